// The `datamap` command. Wiring only: each subcommand lives in its own cmd_*.cpp and calls the
// libraries' actions.
#include <exception>
#include <iostream>

#include "app/commands.h"
#include "harvest/import_readers.h"

namespace datamap::app {
int exit_code = 0;
}

int main(int argc, char** argv) {
  // `datamap import` reads data.json and DCAT RDF with the harvesters' mappings.
  datamap::harvest::register_import_readers();
  CLI::App app{"datamap: open public-data catalog and National Data Map server"};
  app.require_subcommand(1);
  // Subcommands register here as they land.
  datamap::app::add_serve_command(app);
  datamap::app::add_user_command(app);
  datamap::app::add_import_command(app);
  datamap::app::add_reindex_command(app);
  datamap::app::add_harvest_command(app);
  datamap::app::add_attach_command(app);
  datamap::app::add_quality_command(app);
  datamap::app::add_migrate_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "datamap: " << e.what() << "\n";
    return 1;
  }
  return datamap::app::exit_code;
}
