#include "api/portal/partials.h"

#include <algorithm>
#include <set>

#include "api/portal/action_client.h"
#include "api/portal/layout.h"

namespace datamap::api::portal {

std::string_view dataset_type_label(Lang lang, const std::string& type) {
  if (type == "file") return tr(lang, "파일데이터", "File");
  if (type == "api") return tr(lang, "오픈API", "Open API");
  if (type == "standard") return tr(lang, "표준데이터", "Standard data");
  return tr(lang, "데이터셋", "Dataset");
}

std::string_view facet_label(Lang lang, const std::string& field) {
  if (field == "organization") return tr(lang, "제공기관", "Agency");
  if (field == "groups") return tr(lang, "분류", "Category");
  if (field == "res_format") return tr(lang, "파일 형식", "Format");
  if (field == "type") return tr(lang, "유형", "Type");
  if (field == "license_id") return tr(lang, "이용허락범위", "License");
  if (field == "frequency") return tr(lang, "업데이트 주기", "Update frequency");
  if (field == "tags") return tr(lang, "키워드", "Keyword");
  if (field == "quality_rating") return tr(lang, "메타데이터 품질", "Metadata quality");
  return "";
}

std::string_view quality_rating_label(Lang lang, const std::string& rating) {
  if (rating == "excellent") return tr(lang, "우수", "Excellent");
  if (rating == "good") return tr(lang, "양호", "Good");
  if (rating == "sufficient") return tr(lang, "보통", "Sufficient");
  if (rating == "bad") return tr(lang, "미흡", "Poor");
  return rating;
}

std::string display_title(const rapidjson::Value& obj) {
  if (obj.IsString()) return obj.GetString();
  for (const char* key : {"title", "display_name", "name"}) {
    std::string v = json_str(obj, key);
    if (!v.empty()) return v;
  }
  return "";
}

std::string short_date(const std::string& iso) { return iso.substr(0, std::min<std::size_t>(10, iso.size())); }

std::string snippet(const std::string& text, std::size_t max_chars) {
  std::string collapsed;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !collapsed.empty();
      continue;
    }
    if (space) collapsed += ' ';
    space = false;
    collapsed += c;
  }
  std::size_t chars = 0;
  for (std::size_t i = 0; i < collapsed.size(); ++i) {
    if ((static_cast<unsigned char>(collapsed[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return collapsed.substr(0, i) + "…";
      ++chars;
    }
  }
  return collapsed;
}

void source_paragraphs_html(Html& h, std::string_view text) {
  for (const auto& p : catalog::source_paragraphs(text)) h << "<p>" << p << "</p>\n";
}

std::string source_snippet(std::string_view text, std::size_t max_chars) {
  return snippet(catalog::source_text(text), max_chars);
}

namespace {

// The search engine's snippet marks matched words with <em> (or <mark>) and may already be
// HTML-escaped. Decode the five entities, escape everything again, then let exactly the marker
// tags back in as <mark>: nothing else from the source can become markup, whichever form it came.
std::string decode_basic_entities(const std::string& s) {
  static const std::pair<std::string_view, char> kEntities[] = {
      {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&#x27;", '\''}, {"&amp;", '&'}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool matched = false;
    if (s[i] == '&')
      for (const auto& [entity, c] : kEntities)
        if (s.compare(i, entity.size(), entity) == 0) {
          out += c;
          i += entity.size();
          matched = true;
          break;
        }
    if (!matched) out += s[i++];
  }
  return out;
}

std::string marked_snippet(const std::string& text) {
  std::string escaped = escape_html(decode_basic_entities(text));
  static const std::pair<std::string_view, std::string_view> kMarkers[] = {
      {"&lt;mark&gt;", "<mark>"}, {"&lt;/mark&gt;", "</mark>"}, {"&lt;em&gt;", "<mark>"}, {"&lt;/em&gt;", "</mark>"}};
  std::string out;
  for (std::size_t i = 0; i < escaped.size();) {
    bool matched = false;
    for (const auto& [from, to] : kMarkers)
      if (escaped.compare(i, from.size(), from) == 0) {
        out += to;
        i += from.size();
        matched = true;
        break;
      }
    if (!matched) out += escaped[i++];
  }
  return out;
}

std::string first_highlight_text(const rapidjson::Value& hl) {
  if (hl.IsString()) return hl.GetString();
  if (hl.IsArray()) {
    for (const auto& v : hl.GetArray()) {
      std::string s = first_highlight_text(v);
      if (!s.empty()) return s;
    }
  }
  if (hl.IsObject()) {
    for (const char* key : {"notes", "text", "title"})
      if (auto* v = json_member(hl, key)) {
        std::string s = first_highlight_text(*v);
        if (!s.empty()) return s;
      }
    for (const auto& m : hl.GetObject()) {
      std::string s = first_highlight_text(m.value);
      if (!s.empty()) return s;
    }
  }
  return "";
}

}  // namespace

void dataset_card(Html& h, const PageContext& ctx, const rapidjson::Value& pkg,
                  const rapidjson::Value* highlight) {
  const Lang lang = ctx.lang;
  std::string name = json_str(pkg, "name");
  std::string title = json_str(pkg, "title", name);
  h << "<li class=\"card\"><h3 class=\"card-title\"><a href=\"/dataset/" << url_encode(name)
    << "\">" << title << "</a></h3>\n<p class=\"card-meta\">";
  h << "<span class=\"badge badge-" << json_str(pkg, "type", "dataset") << "\">"
    << dataset_type_label(lang, json_str(pkg, "type")) << "</span>";
  // The metadata quality rating (docs/QUALITY.md), its words visible, not only its colour.
  if (auto* q = json_member(pkg, "quality"); q && q->IsObject()) {
    std::string rating = json_str(*q, "rating");
    h << " <span class=\"badge badge-quality badge-quality-" << rating << "\">"
      << tr(lang, "메타데이터 품질 ", "Metadata quality ") << quality_rating_label(lang, rating)
      << " (" << json_int(*q, "percent") << "%)</span>";
  }
  if (json_bool(pkg, "national_priority"))
    h << " <span class=\"badge badge-priority\">" << tr(lang, "국가중점", "National priority")
      << "</span>";
  if (auto* org = json_member(pkg, "organization"); org && org->IsObject())
    h << " <span class=\"meta-org\">" << display_title(*org) << "</span>";
  if (auto* groups = json_array(pkg, "groups"))
    for (const auto& g : groups->GetArray()) h << " · <span>" << display_title(g) << "</span>";
  // The publisher's own modification date, as on the dataset page; the catalog's record date only
  // when the source gave none (an import or harvest touches every record on the same day).
  std::string modified = json_str(pkg, "modified", json_str(pkg, "metadata_modified"));
  if (!modified.empty())
    h << " · <span>" << tr(lang, "수정일 ", "Updated ") << "<time datetime=\"" << modified
      << "\">" << short_date(modified) << "</time></span>";
  h << "</p>\n";
  std::string hl = highlight ? first_highlight_text(*highlight) : "";
  if (!hl.empty())
    h << "<p class=\"card-snippet\">" << Raw{marked_snippet(snippet(hl, 400))} << "</p>\n";
  else if (std::string notes = json_str(pkg, "notes"); !notes.empty())
    h << "<p class=\"card-snippet\">" << source_snippet(notes, 160) << "</p>\n";
  std::set<std::string> formats;
  if (auto* res = json_array(pkg, "resources"))
    for (const auto& r : res->GetArray())
      if (std::string f = json_str(r, "format"); !f.empty()) formats.insert(f);
  if (!formats.empty()) {
    h << "<ul class=\"formats\" aria-label=\"" << tr(lang, "파일 형식", "Formats") << "\">";
    for (const auto& f : formats) h << "<li>" << f << "</li>";
    h << "</ul>\n";
  }
  h << "</li>\n";
}

void pager(Html& h, const PageContext& ctx, std::int64_t page, std::int64_t total,
           std::int64_t per_page) {
  std::int64_t pages = (total + per_page - 1) / per_page;
  if (pages <= 1) return;
  const Lang lang = ctx.lang;
  auto link = [&](std::int64_t p) { return url_with(ctx, "page", std::to_string(p)); };
  h << "<nav class=\"pager\" aria-label=\"" << tr(lang, "페이지", "Pages") << "\"><ul>";
  if (page > 1)
    h << "<li><a rel=\"prev\" href=\"" << link(page - 1) << "\">" << tr(lang, "‹ 이전", "‹ Previous")
      << "</a></li>";
  std::int64_t from = std::max<std::int64_t>(1, page - 3);
  std::int64_t to = std::min<std::int64_t>(pages, page + 3);
  if (from > 1) h << "<li><a href=\"" << link(1) << "\">1</a></li>";
  if (from > 2) h << "<li aria-hidden=\"true\">…</li>";
  for (std::int64_t p = from; p <= to; ++p) {
    if (p == page)
      h << "<li><a aria-current=\"page\" href=\"" << link(p) << "\">" << p << "</a></li>";
    else
      h << "<li><a href=\"" << link(p) << "\">" << p << "</a></li>";
  }
  if (to < pages - 1) h << "<li aria-hidden=\"true\">…</li>";
  if (to < pages) h << "<li><a href=\"" << link(pages) << "\">" << pages << "</a></li>";
  if (page < pages)
    h << "<li><a rel=\"next\" href=\"" << link(page + 1) << "\">" << tr(lang, "다음 ›", "Next ›")
      << "</a></li>";
  h << "</ul></nav>\n";
}

}  // namespace datamap::api::portal
