#include "search/facets.h"

#include <array>

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
      {"quality_rating", 'm', schema::kQualityRating},
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

int facet_field_index(char code) {
  static const std::array<int, 256> table = [] {
    std::array<int, 256> t;
    t.fill(-1);
    const auto& fields = facet_fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      t[static_cast<unsigned char>(fields[i].code)] = static_cast<int>(i);
    }
    return t;
  }();
  return table[static_cast<unsigned char>(code)];
}

void append_facet(std::string& blob, char code, std::string_view value) {
  if (value.empty() || value.find('\0') != std::string_view::npos) return;
  blob.push_back(code);
  blob.append(value);
  blob.push_back('\0');
}

}  // namespace datamap::search
