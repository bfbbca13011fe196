#include "tests/support/map_wait.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <thread>

namespace datamap::testing {

std::string json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

rapidjson::Document related_when(const TestServer& server, const std::string& id,
                                 const std::function<bool(const rapidjson::Value&)>& until) {
  rapidjson::Document d;
  for (int i = 0; i < 150; ++i) {
    auto reply =
        server.client().action("datamap_related", R"({"id": ")" + id + R"(", "limit": 20})");
    d = reply.json();
    if (reply.status == 200 && d.IsObject() && d.HasMember("result") && until(d["result"]))
      return d;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ADD_FAILURE() << "the map never showed it for " << id << ": " << json_text(d);
  return d;
}

}  // namespace datamap::testing
