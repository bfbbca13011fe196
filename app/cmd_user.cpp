// `datamap user add NAME [--sysadmin] [--org ORG --role ROLE]`: creates the user if needed, sets
// the role, and prints a new API token on stdout (alone, so scripts can capture it). It calls the
// same actions as the HTTP API, as the site's own sysadmin.
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/data_dir.h"
#include "app/site_actions.h"
#include "catalog/errors.h"

namespace datamap::app {
namespace {

struct UserOptions {
  std::string name, org, role;
  CatalogOptions where;  // --data, --catalog, --config
  bool sysadmin = false;
};

int add_user(const UserOptions& o) {
  auto store = open_catalog(load_config(o.where));
  SiteActions site(*store);
  auto existing = store->user(o.name);
  if (!existing) {
    auto p = action_params({{"name", o.name}});
    p.AddMember("sysadmin", o.sysadmin, p.GetAllocator());
    site.call("user_create", p);
    std::cerr << "datamap: created user " << o.name << (o.sysadmin ? " (sysadmin)" : "") << "\n";
  } else if (o.sysadmin && !existing->sysadmin) {
    auto p = action_params({{"id", o.name}});
    p.AddMember("sysadmin", true, p.GetAllocator());
    site.call("user_update", p);
    std::cerr << "datamap: " << o.name << " is now a sysadmin\n";
  }
  if (!o.org.empty()) {
    site.call("organization_member_create",
              action_params({{"id", o.org}, {"username", o.name}, {"role", o.role}}));
    std::cerr << "datamap: " << o.name << " is " << o.role << " of " << o.org << "\n";
  }
  auto token = site.call("api_token_create", action_params({{"user", o.name}, {"name", "cli"}}));
  std::cout << token["token"].GetString() << std::endl;
  return 0;
}

}  // namespace

void add_user_command(CLI::App& app) {
  auto* user = app.add_subcommand("user", "Manage users and their API tokens");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Create a user if needed and print a new API token");
  auto o = std::make_shared<UserOptions>();
  add->add_option("NAME", o->name, "user name ([a-z0-9_-], 2-100 chars)")->required();
  add_catalog_options(add, o->where);
  add->add_flag("--sysadmin", o->sysadmin, "make the user a sysadmin");
  auto* org = add->add_option("--org", o->org, "organization (id or name) to give a role in");
  auto* role = add->add_option("--role", o->role, "role in --org")
                   ->check(CLI::IsMember({"admin", "editor", "member"}));
  org->needs(role);
  role->needs(org);
  add->callback([o] {
    try {
      exit_code = add_user(*o);
    } catch (const std::exception& e) {
      std::cerr << "datamap: user add " << o->name << ": " << describe_error(e) << "\n";
      exit_code = 1;
    }
  });
}

}  // namespace datamap::app
