#include "tests/conformance/conformance.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <thread>

namespace datamap::testing {

Refusal refusal(ApiWorld& w, const std::string& action, const std::string& body,
                const std::string& token) {
  HttpReply r = w.http.action(action, body, token);
  return {static_cast<int>(r.status), error_type(r)};
}

void wait_for_search(ApiWorld& w) {
  auto revision = w.ok("status_show", "{}")["result"]["revision"].GetInt64();
  for (int i = 0; i < 600; ++i) {
    if (w.ok("status_show", "{}")["result"]["search_revision"].GetInt64() >= revision) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL() << "search never reached revision " << revision;
}

rapidjson::Document create(ApiWorld& w, const std::string& body) {
  rapidjson::Document dict;
  dict.Parse(body.c_str(), body.size());
  EXPECT_TRUE(dict.IsObject()) << body;
  if (dict.IsObject() && !dict.HasMember("title") && dict.HasMember("name"))
    dict.AddMember("title", rapidjson::Value(dict["name"], dict.GetAllocator()),
                   dict.GetAllocator());
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  dict.Accept(writer);
  return w.ok("package_create", out.GetString(), w.sysadmin);
}

}  // namespace datamap::testing
