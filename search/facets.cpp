#include "search/facets.h"

#include "search/schema.h"

namespace datamap::search {

const std::vector<FacetField>& facet_fields() {
  static const std::vector<FacetField> fields = {
      {"organization", 'o', schema::kOrgName},   {"groups", 'g', schema::kGroup},
      {"tags", 't', schema::kTag},               {"res_format", 'f', schema::kFormat},
      {"license_id", 'l', schema::kLicense},     {"type", 'y', schema::kType},
      {"national_priority", 'n', schema::kNationalPriority},
      {"standard_dataset", 's', schema::kStandard},
      {"category_sub", 'c', schema::kCategorySub}, {"frequency", 'q', schema::kFrequency},
      {"source", 'r', schema::kSource},
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

FacetSpy::FacetSpy(const Xapian::Database& db, const std::vector<const FacetField*>& fields)
    : db_(db),
      values_(db_.valuestream_begin(schema::kFacets)),
      values_end_(db_.valuestream_end(schema::kFacets)),
      counts_(fields.size()) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    slot_of_code_[static_cast<unsigned char>(fields[i]->code)] = static_cast<int>(i) + 1;
  }
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  const Xapian::docid did = doc.get_docid();
  if (did < last_) values_ = db_.valuestream_begin(schema::kFacets);  // not in order: restart
  last_ = did;
  if (values_ == values_end_) return;
  values_.skip_to(did);
  if (values_ == values_end_ || values_.get_docid() != did) return;
  count(*values_);
}

void FacetSpy::count(const std::string& blob) {
  std::size_t p = 0;
  while (p < blob.size()) {
    std::size_t end = blob.find('\0', p);
    if (end == std::string::npos) end = blob.size();
    if (int slot = slot_of_code_[static_cast<unsigned char>(blob[p])]; slot > 0 && end > p + 1) {
      std::string_view value(blob.data() + p + 1, end - p - 1);
      auto& counts = counts_[slot - 1];
      auto it = counts.find(value);
      if (it == counts.end()) {
        counts.emplace(std::string(value), 1);
      } else {
        ++it->second;
      }
    }
    p = end + 1;
  }
}

}  // namespace datamap::search
