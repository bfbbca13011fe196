#include "api/resolve.h"

namespace datamap::api {
namespace {

// The store's lookups already try every identifier in a fixed order (id, then name, then the
// source key or code): the resolver is the one door to them, and the place a new identifier is
// added for every front end at once.
template <typename Source, typename Lookup>
auto resolve(Source& source, std::string_view ref, Lookup lookup) -> decltype(lookup(source, ref)) {
  if (ref.empty()) return std::nullopt;
  return lookup(source, ref);
}

}  // namespace

std::optional<catalog::Dataset> resolve_dataset(catalog::Store& store, std::string_view ref) {
  return resolve(store, ref, [](catalog::Store& s, std::string_view r) { return s.dataset(r); });
}
std::optional<catalog::Dataset> resolve_dataset(catalog::Transaction& tx, std::string_view ref) {
  return resolve(tx, ref,
                 [](catalog::Transaction& t, std::string_view r) { return t.find_dataset(r); });
}
std::optional<catalog::Organization> resolve_organization(catalog::Store& store,
                                                          std::string_view ref) {
  return resolve(store, ref,
                 [](catalog::Store& s, std::string_view r) { return s.organization(r); });
}
std::optional<catalog::Organization> resolve_organization(catalog::Transaction& tx,
                                                          std::string_view ref) {
  return resolve(
      tx, ref, [](catalog::Transaction& t, std::string_view r) { return t.find_organization(r); });
}
std::optional<catalog::Group> resolve_group(catalog::Store& store, std::string_view ref) {
  return resolve(store, ref, [](catalog::Store& s, std::string_view r) { return s.group(r); });
}
std::optional<catalog::Group> resolve_group(catalog::Transaction& tx, std::string_view ref) {
  return resolve(tx, ref,
                 [](catalog::Transaction& t, std::string_view r) { return t.find_group(r); });
}

}  // namespace datamap::api
