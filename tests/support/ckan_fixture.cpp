#include "tests/support/ckan_fixture.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace datamap::testing {
namespace {

std::string solr_ms(const std::string& t) {
  if (t.size() < 19) return t;
  std::string out = t.substr(0, 19);
  std::string frac = t.size() > 20 && t[19] == '.' ? t.substr(20, 3) : "";
  while (frac.size() < 3) frac.push_back('0');
  return out + "." + frac + "Z";
}

std::string between(const std::string& s, const std::string& open, const std::string& close) {
  auto a = s.find(open);
  if (a == std::string::npos) return "";
  a += open.size();
  auto b = s.find(close, a);
  return b == std::string::npos ? "" : s.substr(a, b - a);
}

}  // namespace

CkanFixture::CkanFixture(FixtureHttpServer& server) : server_(server) {
  server_.route("/api/3/action/package_search",
                [this](const FixtureRequest& req, FixtureResponse& res) { handle(req, res); });
}

void CkanFixture::set_packages(const std::vector<std::string>& packages) {
  std::vector<Entry> entries;
  entries.reserve(packages.size());
  for (const auto& json : packages) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    Entry e;
    e.id = d.HasMember("id") && d["id"].IsString() ? d["id"].GetString() : "";
    e.modified = d.HasMember("metadata_modified") && d["metadata_modified"].IsString()
                     ? solr_ms(d["metadata_modified"].GetString())
                     : "";
    e.json = json;
    entries.push_back(std::move(e));
  }
  std::vector<Entry> by_id = entries;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.modified, a.id) < std::tie(b.modified, b.id);
  });
  std::sort(by_id.begin(), by_id.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
  std::lock_guard lock(mutex_);
  by_modified_ = std::move(entries);
  by_id_ = std::move(by_id);
}

void CkanFixture::set_packages_from_array(const std::string& json_array) {
  rapidjson::Document doc;
  doc.Parse(json_array.c_str());
  std::vector<std::string> packages;
  for (const auto& p : doc.GetArray()) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    p.Accept(w);
    packages.emplace_back(sb.GetString(), sb.GetSize());
  }
  set_packages(packages);
}

std::size_t CkanFixture::size() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

void CkanFixture::set_delay(std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  delay_ = delay;
}

void CkanFixture::handle(const FixtureRequest& req, FixtureResponse& res) {
  std::chrono::milliseconds delay;
  {
    std::lock_guard lock(mutex_);
    delay = delay_;
  }
  if (delay.count() > 0 && server_.wait_for_stop(delay)) return;
  std::size_t rows = static_cast<std::size_t>(std::stoul(req.param("rows", "10")));
  std::size_t start = static_cast<std::size_t>(std::stoul(req.param("start", "0")));
  std::string sort = req.param("sort", "id asc");
  std::string fq = req.param("fq");
  bool ids_only = req.param("fl") == "id";

  std::lock_guard lock(mutex_);
  const std::vector<Entry>* list = &by_id_;
  std::size_t from = 0;
  if (sort.rfind("metadata_modified asc", 0) == 0) list = &by_modified_;
  if (fq.rfind("metadata_modified:[", 0) == 0) {
    std::string bound = between(fq, "[", " TO");
    if (!bound.empty() && bound.back() == 'Z') bound.pop_back();
    bound = solr_ms(bound);  // Solr parses the date: "…00Z" and "…00.000Z" are the same instant
    list = &by_modified_;
    from = static_cast<std::size_t>(
        std::lower_bound(list->begin(), list->end(), bound,
                         [](const Entry& e, const std::string& b) { return e.modified < b; }) -
        list->begin());
  } else if (fq.rfind("id:{", 0) == 0) {
    std::string after = between(fq, "{", " TO");
    list = &by_id_;
    from = static_cast<std::size_t>(
        std::upper_bound(list->begin(), list->end(), after,
                         [](const std::string& a, const Entry& e) { return a < e.id; }) -
        list->begin());
  } else if (!fq.empty()) {
    return res.send(400, "application/json",
                    "{\"success\": false, \"error\": {\"message\": \"unsupported fq\"}}");
  }
  std::size_t count = list->size() - from;
  std::string body = "{\"help\": \"package_search\", \"success\": true, \"result\": {\"count\": " +
                     std::to_string(count) + ", \"results\": [";
  std::size_t first = from + std::min(start, count);
  std::size_t last = std::min(first + rows, list->size());
  for (std::size_t i = first; i < last; ++i) {
    if (i > first) body += ", ";
    body += ids_only ? "{\"id\": \"" + (*list)[i].id + "\"}" : (*list)[i].json;
  }
  body += "]}}";
  res.send(200, "application/json", body);
}

}  // namespace datamap::testing
