// /dataset/{name}: everything a reader needs to judge and use one dataset, the related datasets
// from the data map with the reason for each relation, a small drawing of that neighbourhood
// (inline SVG, so it needs no script), schema.org/Dataset JSON-LD for search engines, and the
// developer's links (CKAN API, DCAT).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "api/portal/activity_pages.h"
#include "api/portal/data_preview.h"
#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/pages.h"
#include "api/portal/partials.h"
#include "api/portal/reasons.h"
#include "catalog/errors.h"

namespace datamap::api::portal {

namespace {

bool is_http_url(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

// Only http(s) URLs become links: a source could give "javascript:…" as a resource URL.
void external_link(Html& h, const std::string& url, std::string_view label) {
  if (is_http_url(url))
    h << "<a href=\"" << url << "\" rel=\"noopener nofollow\">" << label << "</a>";
  else
    h << label;
}

void row(Html& h, std::string_view label, const std::string& value) {
  if (value.empty()) return;
  h << "<div><dt>" << label << "</dt><dd>" << value << "</dd></div>\n";
}

std::string json_ld(const PageContext& ctx, const rapidjson::Value& pkg) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto kv = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  std::string name = json_str(pkg, "name");
  w.StartObject();
  kv("@context", "https://schema.org/");
  kv("@type", "Dataset");
  kv("@id", ctx.base_url + "/dataset/" + url_encode(name));
  kv("name", json_str(pkg, "title", name));
  std::string notes = json_str(pkg, "notes");
  // schema.org asks for a description of 50+ characters; the title stands in when there is none.
  kv("description", notes.empty() ? json_str(pkg, "title", name) : catalog::source_text(notes));
  kv("url", ctx.base_url + "/dataset/" + url_encode(name));
  kv("identifier", json_str(pkg, "source_key", json_str(pkg, "id")));
  if (const auto* tags = json_array(pkg, "tags"); tags && !tags->Empty()) {
    w.Key("keywords");
    w.StartArray();
    for (const auto& t : tags->GetArray()) {
      std::string tag = display_title(t);
      w.String(tag.c_str(), static_cast<rapidjson::SizeType>(tag.size()));
    }
    w.EndArray();
  }
  std::string license = json_str(pkg, "license_url", json_str(pkg, "license_title", json_str(pkg, "license_id")));
  kv("license", license);
  kv("dateCreated", json_str(pkg, "issued", json_str(pkg, "metadata_created")));
  kv("dateModified", json_str(pkg, "modified", json_str(pkg, "metadata_modified")));
  kv("inLanguage", "ko");
  w.Key("isAccessibleForFree");
  w.Bool(true);
  kv("spatialCoverage", json_str(pkg, "spatial"));
  kv("temporalCoverage", json_str(pkg, "temporal"));
  if (const auto* org = json_member(pkg, "organization"); org && org->IsObject()) {
    for (const char* role : {"creator", "publisher"}) {
      w.Key(role);
      w.StartObject();
      kv("@type", "Organization");
      kv("name", display_title(*org));
      w.EndObject();
    }
  }
  if (const auto* res = json_array(pkg, "resources"); res && !res->Empty()) {
    w.Key("distribution");
    w.StartArray();
    for (const auto& r : res->GetArray()) {
      w.StartObject();
      kv("@type", "DataDownload");
      kv("name", json_str(r, "name"));
      kv("encodingFormat", json_str(r, "format"));
      if (is_http_url(json_str(r, "url"))) kv("contentUrl", json_str(r, "url"));
      w.EndObject();
    }
    w.EndArray();
  }
  if (const auto* cols = json_array(pkg, "columns"); cols && !cols->Empty()) {
    w.Key("variableMeasured");
    w.StartArray();
    for (const auto& c : cols->GetArray()) {
      std::string col = json_str(c, "name");
      w.String(col.c_str(), static_cast<rapidjson::SizeType>(col.size()));
    }
    w.EndArray();
  }
  w.EndObject();
  return json_for_script(std::string_view(buf.GetString(), buf.GetSize()));
}

// "이 데이터와 결합할 수 있는 데이터": the related datasets with a relation measured on the rows
// (joinable on a column pair, or near by coordinates), each with its figures and a link that
// previews the join (/join). Nothing when there are none.
void joinable_section(Html& h, Lang lang, const rapidjson::Value& related) {
  bool any = false;
  for (const auto& item : related.GetArray()) {
    const rapidjson::Value* reasons = json_array(item, "reasons");
    if (!reasons) continue;
    for (const auto& r : reasons->GetArray()) {
      std::string url = join_preview_url(r);
      if (url.empty()) continue;
      if (!any)
        h << "<section aria-labelledby=\"join-h\"><h2 id=\"join-h\">"
          << tr(lang, "이 데이터와 결합할 수 있는 데이터", "Datasets this one joins with")
          << "</h2>\n<ul class=\"joinable\">";
      any = true;
      h << "<li><a href=\"/dataset/" << url_encode(json_str(item, "name")) << "\">"
        << json_str(item, "title", json_str(item, "name")) << "</a> — ";
      reason_text(h, lang, r);
      h << " <a class=\"join-preview\" href=\"" << url << "\">"
        << tr(lang, "결합 미리보기", "Preview the join") << "</a></li>";
    }
  }
  if (any) h << "</ul></section>\n";
}

// The neighbourhood drawn as SVG: the dataset in the middle, related datasets on a circle, line
// width by relation weight. The list beside it is the text alternative and holds the same links,
// so the drawing is hidden from assistive technology and its links are for the mouse only (a
// second, unlabelled set of the same links would only lengthen the tab order).
void neighbourhood_svg(Html& h, const PageContext& ctx, const std::string& slug,
                       const std::string& title, const rapidjson::Value& related) {
  const int n = static_cast<int>(std::min<rapidjson::SizeType>(related.Size(), 8));
  if (n == 0) return;
  const double cx = 200, cy = 150, radius = 110;
  h << "<figure class=\"neighbourhood\"><svg viewBox=\"0 0 400 300\" aria-hidden=\"true\" "
       "focusable=\"false\">";
  double max_weight = 0;
  for (int i = 0; i < n; ++i) max_weight = std::max(max_weight, json_num(related[i], "weight", 1));
  if (max_weight <= 0) max_weight = 1;
  auto pos = [&](int i) {
    double a = -M_PI / 2 + 2 * M_PI * i / n;
    return std::pair<int, int>{static_cast<int>(cx + radius * std::cos(a)),
                               static_cast<int>(cy + radius * 0.95 * std::sin(a))};
  };
  for (int i = 0; i < n; ++i) {
    auto [x, y] = pos(i);
    double w = 1 + 4 * json_num(related[i], "weight", 1) / max_weight;
    h << "<line x1=\"200\" y1=\"150\" x2=\"" << x << "\" y2=\"" << y << "\" stroke-width=\""
      << static_cast<int>(std::lround(w)) << "\"/>";
  }
  for (int i = 0; i < n; ++i) {
    auto [x, y] = pos(i);
    std::string label = snippet(json_str(related[i], "title", json_str(related[i], "name")), 12);
    h << "<a tabindex=\"-1\" href=\"/dataset/" << url_encode(json_str(related[i], "name"))
      << "\"><circle cx=\"" << x
      << "\" cy=\"" << y << "\" r=\"9\" class=\"nb-node\"/><text x=\"" << x << "\" y=\""
      << (y + (y > 150 ? 24 : -14)) << "\" text-anchor=\"middle\">" << label << "</text></a>";
  }
  h << "<circle cx=\"200\" cy=\"150\" r=\"14\" class=\"nb-center\"/><text x=\"200\" y=\"180\" "
       "text-anchor=\"middle\" class=\"nb-center-label\">"
    << snippet(title, 14) << "</text></svg>\n<figcaption><a href=\"/map?focus="
    << url_encode(slug) << "\">"
    << tr(ctx.lang, "데이터맵에서 크게 보기", "Open in the data map") << "</a></figcaption></figure>\n";
}

}  // namespace

PortalResponse dataset_page(const PageContext& ctx, ActionClient& actions, const std::string& name) {
  const Lang lang = ctx.lang;
  ActionParams show;
  show.str("id", name);
  rapidjson::Document pkg = actions.call("package_show", show);  // NotFound → 404 page
  if (json_str(pkg, "state") == "deleted") throw NotFound("Dataset not found");
  const std::string slug = json_str(pkg, "name", name);
  const std::string title = json_str(pkg, "title", slug);
  const rapidjson::Value* org = json_member(pkg, "organization");
  if (org && !org->IsObject()) org = nullptr;

  Html h;
  h << "<nav class=\"breadcrumb\" aria-label=\"" << tr(lang, "현재 위치", "Breadcrumb") << "\"><ol>"
    << "<li><a href=\"/\">" << tr(lang, "홈", "Home") << "</a></li><li><a href=\"/dataset\">"
    << tr(lang, "데이터 찾기", "Datasets") << "</a></li>";
  if (org)
    h << "<li><a href=\"/organization/" << url_encode(json_str(*org, "name")) << "\">"
      << display_title(*org) << "</a></li>";
  h << "<li aria-current=\"page\">" << snippet(title, 40) << "</li></ol></nav>\n";

  h << "<article class=\"dataset\">\n<header class=\"dataset-head\"><p class=\"card-meta\">"
    << "<span class=\"badge badge-" << json_str(pkg, "type", "dataset") << "\">"
    << dataset_type_label(lang, json_str(pkg, "type")) << "</span>";
  if (json_bool(pkg, "national_priority"))
    h << " <span class=\"badge badge-priority\">" << tr(lang, "국가중점데이터", "National priority") << "</span>";
  if (json_bool(pkg, "standard_dataset"))
    h << " <span class=\"badge\">" << tr(lang, "표준데이터", "Standard dataset") << "</span>";
  if (json_bool(pkg, "private"))
    h << " <span class=\"badge badge-private\">" << tr(lang, "비공개", "Private") << "</span>";
  h << "</p><h1>" << title << "</h1></header>\n<div class=\"dataset-layout\">\n<div class=\"dataset-main\">\n";
  if (std::string notes = json_str(pkg, "notes"); !notes.empty()) {
    h << "<section class=\"notes\" aria-label=\"" << tr(lang, "설명", "Description") << "\">";
    source_paragraphs_html(h, notes);
    h << "</section>\n";
  }

  // Resources
  if (const auto* res = json_array(pkg, "resources"); res && !res->Empty()) {
    h << "<section aria-labelledby=\"res-h\"><h2 id=\"res-h\">" << tr(lang, "데이터 및 리소스", "Data and resources")
      << "</h2><ul class=\"resources\">";
    for (const auto& r : res->GetArray()) {
      std::string rname = json_str(r, "name", json_str(r, "format", "resource"));
      h << "<li><span class=\"format\">" << json_str(r, "format", "?") << "</span> <span class=\"res-name\">"
        << rname << "</span>";
      if (std::string d = json_str(r, "description"); !d.empty())
        h << "<p class=\"res-desc\">" << source_snippet(d, 200) << "</p>";
      std::string url = json_str(r, "url");
      if (is_http_url(url)) {
        h << " <span class=\"res-link\">";
        external_link(h, url, tr(lang, "바로가기", "Open"));
        h << "</span>";
      }
      h << "</li>";
    }
    h << "</ul></section>\n";
  }

  // The rows of resources loaded into the DataStore: preview, point map, profile, API links
  data_sections(h, ctx, actions, pkg);

  // Columns
  if (const auto* cols = json_array(pkg, "columns"); cols && !cols->Empty()) {
    h << "<section aria-labelledby=\"cols-h\"><h2 id=\"cols-h\">" << tr(lang, "컬럼", "Columns")
      << "</h2>" << table_scroll_open(tr(lang, "컬럼", "Columns"))
      << "<table><thead><tr><th scope=\"col\">" << tr(lang, "이름", "Name")
      << "</th><th scope=\"col\">" << tr(lang, "형식", "Type") << "</th><th scope=\"col\">"
      << tr(lang, "설명", "Description") << "</th><th scope=\"col\">" << tr(lang, "공통표준용어", "Standard term")
      << "</th></tr></thead><tbody>";
    for (const auto& c : cols->GetArray())
      h << "<tr><th scope=\"row\">" << json_str(c, "name") << "</th><td>" << json_str(c, "type") << "</td><td>"
        << json_str(c, "description") << "</td><td>" << json_str(c, "standard_term") << "</td></tr>";
    h << "</tbody></table></div></section>\n";
  }

  ActionParams quality;
  quality.str("id", json_str(pkg, "id", slug));
  if (auto q = actions.try_call("quality_show", quality)) quality_section(h, lang, *q);
  validation_section(h, lang, pkg);

  // Related datasets from the map
  ActionParams rel;
  rel.str("id", json_str(pkg, "id", slug)).num("limit", 8);
  if (auto related = actions.try_call("datamap_related", rel)) {
    const rapidjson::Value* list = related->IsArray() ? &*related : json_array(*related, "results");
    if (!list) list = json_array(*related, "related");
    if (list) joinable_section(h, lang, *list);
    h << "<section aria-labelledby=\"rel-h\"><h2 id=\"rel-h\">" << tr(lang, "관련 데이터", "Related datasets") << "</h2>\n";
    if (list && !list->Empty()) {
      h << "<div class=\"related-layout\"><ul class=\"related\">";
      for (const auto& r : list->GetArray()) {
        h << "<li><a href=\"/dataset/" << url_encode(json_str(r, "name")) << "\">"
          << json_str(r, "title", json_str(r, "name")) << "</a>";
        reason_list(h, lang, r);
        h << "</li>";
      }
      h << "</ul>\n";
      neighbourhood_svg(h, ctx, slug, title, *list);
      h << "</div>\n";
    } else {
      h << "<p>" << tr(lang, "데이터맵에서 이어진 데이터가 아직 없습니다.", "The data map has no related datasets for this one yet.") << "</p>\n";
    }
    h << "<p><a href=\"/map?focus=" << url_encode(slug) << "\">" << tr(lang, "데이터맵에서 이 데이터 보기", "See this dataset on the data map")
      << "</a></p></section>\n";
  }
  // The data requests this dataset answers (제공신청 closed with it), and where to ask for more.
  h << "<section aria-labelledby=\"req-h\"><h2 id=\"req-h\">"
    << tr(lang, "이 데이터로 답한 제공신청", "Data requests this dataset answers") << "</h2>";
  if (const auto* reqs = json_array(pkg, "datarequests"); reqs && !reqs->Empty()) {
    h << "<ul>";
    for (const auto& r : reqs->GetArray())
      h << "<li><a href=\"/requests/" << url_encode(json_str(r, "id")) << "\">"
        << json_str(r, "title") << "</a> <span class=\"count\">" << tr(lang, "공감 ", "votes ")
        << json_int(r, "votes") << "</span></li>";
    h << "</ul>";
  }
  h << "<p><a href=\"/requests/new\">"
    << tr(lang, "필요한 데이터가 더 있나요? 제공신청하기", "Need more data? File a data request")
    << "</a> · <a href=\"/reports/new?package=" << url_encode(slug) << "\">"
    << tr(lang, "이 데이터의 오류 신고하기", "Report an error in this dataset") << "</a></p></section>\n";
  reuses_section(h, ctx, actions, pkg);
  h << "</div>\n";

  // Facts
  h << "<aside class=\"dataset-facts\" aria-labelledby=\"facts-h\"><h2 id=\"facts-h\">" << tr(lang, "기본 정보", "Details")
    << "</h2><dl class=\"facts\">";
  if (org)
    h << "<div><dt>" << tr(lang, "제공기관", "Agency") << "</dt><dd><a href=\"/organization/"
      << url_encode(json_str(*org, "name")) << "\">" << display_title(*org) << "</a></dd></div>\n";
  if (const auto* groups = json_array(pkg, "groups"); groups && !groups->Empty()) {
    h << "<div><dt>" << tr(lang, "분류", "Category") << "</dt><dd>";
    bool first = true;
    for (const auto& g : groups->GetArray()) {
      if (!first) h << ", ";
      first = false;
      h << "<a href=\"/group/" << url_encode(json_str(g, "name")) << "\">" << display_title(g) << "</a>";
    }
    if (std::string sub = json_str(pkg, "category_sub"); !sub.empty()) h << " › " << sub;
    h << "</dd></div>\n";
  }
  if (const auto* tags = json_array(pkg, "tags"); tags && !tags->Empty()) {
    h << "<div><dt>" << tr(lang, "키워드", "Keywords") << "</dt><dd><ul class=\"tags\">";
    for (const auto& t : tags->GetArray()) {
      std::string tag = display_title(t);
      h << "<li><a href=\"" << Url("/dataset").add("q", tag).str() << "\">" << tag << "</a></li>";
    }
    h << "</ul></dd></div>\n";
  }
  row(h, tr(lang, "업데이트 주기", "Update frequency"), json_str(pkg, "frequency"));
  row(h, tr(lang, "차기 등록 예정일", "Next update"), short_date(json_str(pkg, "next_update")));
  row(h, tr(lang, "등록일", "Published"), short_date(json_str(pkg, "issued", json_str(pkg, "metadata_created"))));
  row(h, tr(lang, "수정일", "Last modified"), short_date(json_str(pkg, "modified", json_str(pkg, "metadata_modified"))));
  row(h, tr(lang, "이용허락범위", "License"), json_str(pkg, "license_title", json_str(pkg, "license_id")));
  std::string maintainer = json_str(pkg, "maintainer");
  if (std::string phone = json_str(pkg, "maintainer_phone"); !phone.empty())
    maintainer += maintainer.empty() ? phone : " (" + phone + ")";
  row(h, tr(lang, "관리부서", "Maintainer"), maintainer);
  row(h, tr(lang, "공간범위", "Spatial coverage"), json_str(pkg, "spatial"));
  row(h, tr(lang, "시간범위", "Temporal coverage"), json_str(pkg, "temporal"));
  if (std::int64_t v = json_int(pkg, "views"); v > 0) row(h, tr(lang, "조회수", "Views"), format_count(v));
  if (std::int64_t d = json_int(pkg, "downloads"); d > 0)
    row(h, tr(lang, "다운로드·활용신청", "Downloads"), format_count(d));
  row(h, tr(lang, "목록키", "Source key"), json_str(pkg, "source_key"));
  if (std::string url = json_str(pkg, "url"); is_http_url(url)) {
    h << "<div><dt>" << tr(lang, "원본 페이지", "Source page") << "</dt><dd>";
    external_link(h, url, snippet(url, 60));
    h << "</dd></div>\n";
  }
  h << "</dl>\n<h2>" << tr(lang, "개발자용", "For developers") << "</h2><ul class=\"dev-links\">"
    << "<li><a href=\"" << Url("/api/3/action/package_show").add("id", slug).str() << "\">CKAN API: package_show</a></li>"
    << "<li><a href=\"" << Url("/api/3/action/datamap_related").add("id", slug).str() << "\">API: datamap_related</a></li>"
    << "<li><a href=\"/dataset/" << url_encode(slug) << ".jsonld\">DCAT (JSON-LD)</a></li>"
    << "<li><a href=\"/dataset/" << url_encode(slug) << ".ttl\">DCAT (Turtle)</a></li>"
    << "<li><a href=\"/dataset/" << url_encode(slug) << ".rdf\">DCAT (RDF/XML)</a></li></ul></aside>\n";
  h << "</div>\n</article>\n";

  PageSpec spec;
  spec.title = title;
  spec.description = source_snippet(json_str(pkg, "notes", title), 150);
  spec.head_extra = "<script type=\"application/ld+json\">" + json_ld(ctx, pkg) + "</script>\n";
  spec.head_extra +=
      "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feeds/dataset/" +
      url_encode(json_str(pkg, "name")) + ".atom\">\n";
  spec.body = h.take();
  spec.active_nav = "dataset";
  PortalResponse r;
  r.body = render_page(ctx, spec);
  return r;
}

}  // namespace datamap::api::portal
