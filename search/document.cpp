#include "search/document.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "catalog/package_json.h"
#include "catalog/quality_json.h"
#include "catalog/text.h"
#include "catalog/visibility.h"
#include "search/analysis.h"
#include "search/facets.h"
#include "search/lexicon.h"
#include "search/romanization.h"
#include "search/schema.h"

namespace datamap::search {
namespace {

void add_term(Xapian::Document& doc, const std::string& term, Xapian::termcount wdf) {
  if (term.size() <= schema::kMaxTermBytes) doc.add_term(term, wdf);
}

std::string bool_str(bool b) {
  return b ? "true" : "false";
}

}  // namespace

std::string exact_title_key(std::string_view title) {
  std::string key;
  for (const auto& t : tokenize(title)) {
    if (!t.part) key += t.text;
  }
  return key;
}

void index_text(Xapian::Document& doc, std::string_view text, int weight) {
  for (const auto& t : tokenize(text)) {
    for (const auto& term : index_terms(t)) add_term(doc, term, weight);
  }
}

void index_title(Xapian::Document& doc, std::string_view title,
                 std::vector<std::string>* spelling_words) {
  // Weighted free text, plus positional "S" terms for phrases and prefixes.
  Xapian::termpos pos = 0;
  std::unordered_set<std::string> seen_words;
  for (const auto& t : tokenize(title)) {
    const std::vector<std::string> terms = index_terms(t);
    for (const auto& term : terms) add_term(doc, term, schema::kWeightTitle);
    if (!t.part) ++pos;
    const std::string sterm = schema::kTitle + t.stem;
    if (sterm.size() <= schema::kMaxTermBytes) doc.add_posting(sterm, pos);
    // The other title terms without positions, each once: a word standing alone in the title
    // and the same word inside a title compound weigh the same.
    for (const auto& term : terms) {
      if (term != t.stem) add_term(doc, schema::kTitle + term, 1);
    }
    if (spelling_words && !t.part && t.script != Script::Number && utf8_length(t.stem) >= 2 &&
        seen_words.insert(t.stem).second) {
      spelling_words->push_back(t.stem);
    }
  }
  for (const auto& reading : bracket_readings(title)) {
    for (const auto& t : tokenize(reading)) {
      for (const auto& term : index_terms(t)) {
        add_term(doc, term, schema::kWeightTitle);
        add_term(doc, schema::kTitle + term, 1);
      }
    }
  }
  if (auto key = exact_title_key(title); !key.empty()) {
    add_term(doc, schema::kExactTitle + key, 1);
  }
}

void index_romanized(Xapian::Document& doc, std::string_view text) {
  constexpr std::size_t kMaxRomanizedSyllables = 6;
  const Lexicon& lexicon = default_lexicon();
  auto add_keys = [&](const std::string& word) {
    if (utf8_length(word) < 2 || lexicon.contains(word))
      return;  // the vocabulary is read at query time
    // wdf 0: the keys add nothing to the document's length, so BM25 ranks every other query
    // as before (with wdf 1 the tuned set lost 0.005); a match is weighted at query time.
    for (const auto& key : romanized_keys(word)) add_term(doc, schema::kRomanized + key, 0);
  };
  for (const auto& t : tokenize(text)) {
    if (t.part || t.script != Script::Hangul) continue;
    // A name is short; a long compound (전국자전거대여소표준데이터) is read by its unknown parts.
    // The word as written too: 궁을가 is read as 궁을 + the particle 가.
    if (utf8_length(t.text) <= kMaxRomanizedSyllables) {
      add_keys(t.stem);
      if (t.text != t.stem) add_keys(t.text);
    }
    for (const auto& piece : lexicon.split(t.stem)) add_keys(piece);
  }
}

BuiltDocument build_document(const catalog::Dataset& d, const catalog::Organization* org,
                             const GroupLookup& group_of,
                             const catalog::quality::LinkResults& links) {
  const catalog::quality::Score quality =
      catalog::quality::score_dataset(d, org, links, catalog::quality::today_utc());
  std::vector<const catalog::Group*> groups;
  for (const auto& g : d.groups) groups.push_back(group_of ? group_of(g) : nullptr);
  BuiltDocument out;
  Xapian::Document& doc = out.doc;

  index_title(doc, d.title, catalog::is_public(d) ? &out.title_words : nullptr);
  index_romanized(doc, d.title);
  index_text(doc, d.name, schema::kWeightName);
  for (const auto& tag : d.tags) index_text(doc, tag, schema::kWeightTags);
  for (const auto& g : d.groups) index_text(doc, g, schema::kWeightGroups);
  index_text(doc, d.category_sub, schema::kWeightGroups);
  if (org) {
    index_text(doc, org->title, schema::kWeightAgency);
    index_text(doc, org->name, schema::kWeightAgency);
    index_romanized(doc, org->title);
  }
  index_text(doc, catalog::source_text(d.notes), schema::kWeightText);  // not its <br/> tags
  index_text(doc, d.maintainer, schema::kWeightText);
  for (const auto& r : d.resources) {
    index_text(doc, r.name, schema::kWeightText);
    index_text(doc, r.description, schema::kWeightText);
    index_text(doc, r.format, schema::kWeightText);
    for (const auto& c : r.columns) {
      index_text(doc, c.name, schema::kWeightText);
      index_text(doc, c.standard_term, schema::kWeightText);
    }
  }
  for (const auto& c : d.columns) {
    index_text(doc, c.name, schema::kWeightText);
    index_text(doc, c.description, schema::kWeightText);
    index_text(doc, c.standard_term, schema::kWeightText);
  }
  if (!d.source_key.empty()) add_term(doc, d.source_key, schema::kWeightName);

  // Boolean filters and facets.
  std::string facets;
  auto boolean = [&](const char* prefix, char code, const std::string& value) {
    if (value.empty()) return;
    add_term(doc, prefix + value, 0);
    if (code) append_facet(facets, code, value);
  };
  out.id_term = schema::kId + d.id;
  doc.add_boolean_term(out.id_term);
  boolean(schema::kName, 0, d.name);
  boolean(schema::kOrgId, 0, d.owner_org);
  if (org) {
    add_term(doc, schema::kOrgName + org->name, 0);
    append_facet(facets, 'o', org->name + '\x1f' + org->title);
  }
  std::unordered_set<std::string> formats;
  for (std::size_t i = 0; i < d.groups.size(); ++i) {
    add_term(doc, schema::kGroup + d.groups[i], 0);
    const catalog::Group* g = groups[i];
    append_facet(facets, 'g',
                 g && !g->title.empty() ? d.groups[i] + '\x1f' + g->title : d.groups[i]);
  }
  for (const auto& t : d.tags) boolean(schema::kTag, 't', t);
  for (const auto& r : d.resources) {
    if (!r.format.empty() && formats.insert(r.format).second)
      boolean(schema::kFormat, 'f', r.format);
  }
  // fq=columns:X — a column named X, or carrying the standard term or semantic type X.
  std::unordered_set<std::string> columns;
  auto column = [&](const std::string& value) {
    if (!value.empty() && columns.insert(value).second) boolean(schema::kColumn, 'k', value);
  };
  for (const auto& c : d.columns) {
    column(c.name);
    column(c.standard_term);
  }
  for (const auto& r : d.resources)
    for (const auto& c : r.columns) {
      column(c.name);
      column(c.standard_term);
      column(c.semantic_type);
    }
  boolean(schema::kType, 'y', d.type);
  boolean(schema::kLicense, 'l', d.license_id);
  boolean(schema::kNationalPriority, 'n', bool_str(d.national_priority));
  boolean(schema::kStandard, 's', bool_str(d.standard_dataset));
  boolean(schema::kCategorySub, 'c', d.category_sub);
  boolean(schema::kFrequency, 'q', d.frequency);
  boolean(schema::kSource, 'r', d.source);
  {
    // Named by the rating's id, shown by its Korean label (as organizations by their title).
    const std::string rating(catalog::quality::rating_name(quality.rating));
    add_term(doc, schema::kQualityRating + rating, 0);
    append_facet(facets, 'm',
                 rating + '\x1f' + std::string(catalog::quality::rating_label_ko(quality.rating)));
  }
  if (d.is_private) doc.add_boolean_term(schema::kCapacityPrivate);
  if (d.state != "active") {
    doc.add_boolean_term(schema::kState + d.state);
    doc.add_boolean_term(schema::kEditOrg + d.owner_org);
  } else if (d.is_private) {
    doc.add_boolean_term(schema::kPrivateOrg + d.owner_org);
  } else {
    doc.add_boolean_term(schema::kPublic);
  }

  doc.add_value(schema::kFacets, facets);
  doc.add_value(schema::kModified, d.metadata_modified);
  doc.add_value(schema::kCreated, d.metadata_created);
  doc.add_value(schema::kTitleSort, fold(d.title));
  doc.add_value(schema::kViews, Xapian::sortable_serialise(static_cast<double>(d.views)));
  doc.add_value(schema::kDownloads, Xapian::sortable_serialise(static_cast<double>(d.downloads)));
  doc.add_value(schema::kPopularity,
                Xapian::sortable_serialise(
                    std::log10(1.0 + static_cast<double>(std::max<std::int64_t>(d.views, 0))) +
                    schema::kQualityPrior * quality.ratio()));
  doc.add_value(schema::kQuality, Xapian::sortable_serialise(quality.ratio()));
  doc.add_value(schema::kNameSort, d.name);
  doc.add_value(schema::kIdValue, d.id);
  doc.add_value(schema::kIssued, d.issued);
  doc.add_value(schema::kModifiedSource, d.modified);

  // The stored package dict, with the group dicts package_show has (name, id, title,
  // display_name, description).
  rapidjson::Document pkg;
  auto& alloc = pkg.GetAllocator();
  catalog::write_package(d, org, pkg, alloc);
  if (auto m = pkg.FindMember("groups");
      m != pkg.MemberEnd() && m->value.IsArray() && m->value.Size() == groups.size()) {
    auto str = [&](const std::string& v) {
      return rapidjson::Value(v.c_str(), static_cast<rapidjson::SizeType>(v.size()), alloc);
    };
    for (rapidjson::SizeType i = 0; i < m->value.Size(); ++i) {
      const catalog::Group* g = groups[i];
      if (!g || !m->value[i].IsObject()) continue;
      m->value[i].AddMember("id", str(g->id), alloc);
      m->value[i].AddMember("title", str(g->title), alloc);
      m->value[i].AddMember("display_name", str(g->title.empty() ? g->name : g->title), alloc);
      m->value[i].AddMember("description", str(g->description), alloc);
    }
  }
  rapidjson::Value quality_json;
  catalog::quality::write_summary(quality, quality_json, alloc);
  pkg.AddMember("quality", quality_json, alloc);
  rapidjson::StringBuffer json;
  rapidjson::Writer<rapidjson::StringBuffer> writer(json);
  pkg.Accept(writer);
  doc.set_data(std::string(json.GetString(), json.GetSize()));
  return out;
}

}  // namespace datamap::search
