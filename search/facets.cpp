#include "search/facets.h"

#include "search/schema.h"

namespace datamap::search {

const std::vector<FacetField>& facet_fields() {
  static const std::vector<FacetField> fields = {
      {"organization", 'o', schema::kOrgName},
      {"groups", 'g', schema::kGroup},
      {"tags", 't', schema::kTag},
      {"res_format", 'f', schema::kFormat},
      {"license_id", 'l', schema::kLicense},
      {"type", 'y', schema::kType},
      {"national_priority", 'n', schema::kNationalPriority},
      {"standard_dataset", 's', schema::kStandard},
      {"category_sub", 'c', schema::kCategorySub},
      {"frequency", 'q', schema::kFrequency},
      {"source", 'r', schema::kSource},
      {"columns", 'k', schema::kColumn},
  };
  return fields;
}

const FacetField* find_facet_field(std::string_view name) {
  for (const auto& f : facet_fields()) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

void append_facet(std::string& blob, char code, std::string_view value) {
  if (value.empty() || value.find('\0') != std::string_view::npos) return;
  blob.push_back(code);
  blob.append(value);
  blob.push_back('\0');
}

}  // namespace datamap::search
