// CKAN's package relationships: package_relationship_create, package_relationships_list,
// package_relationship_delete. Stored in the forward direction only (depends_on, derives_from,
// links_to, child_of): an inverse type (dependency_of, ...) given by a client is stored as the
// forward type with subject and object swapped, and read back from either side, as CKAN does.
// Creating or deleting needs edit rights on one of the two datasets' organizations and sight of
// the other (CKAN asks for edit rights on both; here an agency may state that its dataset derives
// from another agency's public one, which is what the data map is for).
#include "api/action.h"
#include "api/actions/support.h"
#include "api/json.h"
#include "api/params.h"
#include "catalog/errors.h"
#include "graph/service.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;

int type_index(const std::string& type) {
  for (int i = 0; i < int(std::size(catalog::kRelationshipTypes)); ++i)
    if (type == catalog::kRelationshipTypes[i]) return i;
  return -1;
}

std::string known_types() {
  std::string out;
  for (const char* t : catalog::kRelationshipTypes)
    out += (out.empty() ? "" : ", ") + std::string(t);
  return out;
}

struct Sides {
  catalog::Dataset subject, object;
  std::string type;  // forward
};

// Reads subject, object and type; swaps an inverse type into its forward form.
Sides read_sides(ActionContext& ctx, const Value& params) {
  std::string type = need_string(params, "type");
  int index = type_index(type);
  if (index < 0)
    throw ValidationError("type", "Unknown relationship type; use one of: " + known_types());
  Sides s;
  s.subject = actions::visible_dataset(ctx, need_string(params, "subject"));
  s.object = actions::visible_dataset(ctx, need_string(params, "object"));
  if (s.subject.id == s.object.id)
    throw ValidationError("object", "A dataset cannot relate to itself");
  if (index % 2 == 1) {  // inverse: store the forward type from the other side
    std::swap(s.subject, s.object);
    index -= 1;
  }
  s.type = catalog::kRelationshipTypes[index];
  return s;
}

void require_edit(ActionContext& ctx, const catalog::Dataset& subject,
                  const catalog::Dataset& object) {
  // Whichever of the two the caller named as subject, they must be able to edit one of them.
  if (!ctx.caller.can_edit_org(subject.owner_org) && !ctx.caller.can_edit_org(object.owner_org))
    throw NotAuthorized("You may only relate datasets of an organization you edit");
}

void write_relationship(const std::string& subject, const std::string& type,
                        const std::string& object, const std::string& comment, Value& out,
                        Alloc& a) {
  out.SetObject();
  out.AddMember("subject", json_string(subject, a), a);
  out.AddMember("type", json_string(type, a), a);
  out.AddMember("object", json_string(object, a), a);
  out.AddMember("comment", json_string(comment, a), a);
}

void package_relationship_create(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  Sides s = read_sides(ctx, params);
  require_edit(ctx, s.subject, s.object);
  std::string comment = opt_string(params, "comment").value_or("");
  if (comment.size() > 10'000) throw ValidationError("comment", "At most 10000 bytes");
  catalog::Relationship r{s.subject.id, s.object.id, s.type, comment};
  ctx.services.store->write([&](catalog::Transaction& tx) { tx.put_relationship(r); });
  if (ctx.services.map) ctx.services.map->notify();
  write_relationship(s.subject.name, s.type, s.object.name, comment, result, result.GetAllocator());
}

void package_relationship_delete(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  Sides s = read_sides(ctx, params);
  require_edit(ctx, s.subject, s.object);
  catalog::Relationship r{s.subject.id, s.object.id, s.type, ""};
  ctx.services.store->write([&](catalog::Transaction& tx) { tx.delete_relationship(r); });
  if (ctx.services.map) ctx.services.map->notify();
  result.SetNull();
}

void package_relationships_list(ActionContext& ctx, const Value& params, Document& result) {
  catalog::Dataset d = actions::visible_dataset(ctx, need_string(params, "id"));
  std::optional<catalog::Dataset> other;
  if (auto id2 = opt_string(params, "id2"); id2 && !id2->empty())
    other = actions::visible_dataset(ctx, *id2);
  std::string rel = opt_string(params, "rel").value_or("");
  if (!rel.empty() && type_index(rel) < 0)
    throw ValidationError("rel", "Unknown relationship type; use one of: " + known_types());
  auto& a = result.GetAllocator();
  result.SetArray();
  for (const auto& r : ctx.services.store->relationships(d.id)) {
    // Seen from d: d is the subject, the stored type inverted when d was the object.
    bool d_is_subject = r.subject_id == d.id;
    const std::string& other_id = d_is_subject ? r.object_id : r.subject_id;
    int index = type_index(r.type);
    if (index < 0) continue;
    std::string type = catalog::kRelationshipTypes[d_is_subject ? index : (index ^ 1)];
    if (!rel.empty() && rel != type) continue;
    if (other && other->id != other_id) continue;
    auto o = ctx.services.store->dataset(other_id);
    if (!o || o->state == "deleted" || !actions::may_see(ctx, *o)) continue;
    Value v;
    write_relationship(d.name, type, o->name, r.comment, v, a);
    result.PushBack(v, a);
  }
}

}  // namespace

void register_relationship_actions(Registry& r) {
  r.add({"package_relationship_create", package_relationship_create, true,
         "Relates two datasets: subject, object (id or name), type (depends_on, dependency_of, "
         "derives_from, has_derivation, links_to, linked_from, child_of, parent_of), comment. "
         "Needs edit rights on one of the two datasets' organizations."});
  r.add({"package_relationships_list", package_relationships_list, false,
         "The relationships of dataset id, seen from it; id2 and rel (a type) filter them."});
  r.add({"package_relationship_delete", package_relationship_delete, true,
         "Removes the relationship subject/type/object (either direction may be named)."});
}

}  // namespace datamap::api
