// GET /api/docs: the Swagger UI page over /api/openapi.json, with every script, stylesheet and
// icon it names served by this server (copied from npm's swagger-ui-dist at build time; no CDN).
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

std::vector<std::string> asset_urls(const std::string& html) {
  static const std::regex kRef(R"re((?:src|href)="([^"]+)")re");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kRef); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

std::string media_type(const std::string& content_type) {
  return content_type.substr(0, content_type.find(';'));
}

TEST(ApiDocsPage, ServesSwaggerUiPointingAtTheDocumentWithEveryAssetFromThisServer) {
  TestServer server;
  HttpClient http = server.client();
  HttpReply page = http.get("/api/docs");
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 300);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("data-spec-url=\"/api/openapi.json\""), std::string::npos);

  auto urls = asset_urls(page.body);
  std::size_t scripts = 0, styles = 0;
  for (const auto& url : urls) {
    if (url == "/api/openapi.json") continue;  // the noscript link
    ASSERT_EQ(url.rfind("/", 0), 0u) << url << ": every asset must come from this server";
    HttpReply asset = http.get(url);
    EXPECT_EQ(asset.status, 200) << url;
    EXPECT_FALSE(asset.body.empty()) << url;
    std::string type = media_type(asset.header("content-type"));
    if (url.size() > 3 && url.substr(url.size() - 3) == ".js") {
      EXPECT_EQ(type, "text/javascript") << url;
      ++scripts;
    } else if (url.size() > 4 && url.substr(url.size() - 4) == ".css") {
      EXPECT_EQ(type, "text/css") << url;
      ++styles;
    } else if (url.size() > 4 && url.substr(url.size() - 4) == ".png") {
      EXPECT_EQ(type, "image/png") << url;
    }
  }
  EXPECT_EQ(scripts, 2u) << "swagger-ui-bundle.js and the page's start-up script";
  EXPECT_EQ(styles, 1u);

  // The bundle is Swagger UI's, and the start-up script loads the URL the page names.
  HttpReply bundle = http.get("/static/vendor/swagger-ui/swagger-ui-bundle.js");
  EXPECT_NE(bundle.body.find("SwaggerUIBundle"), std::string::npos);
  HttpReply start = http.get("/static/api-docs.js");
  EXPECT_NE(start.body.find("SwaggerUIBundle("), std::string::npos);
  EXPECT_NE(start.body.find("data-spec-url"), std::string::npos) << start.body;

  // Only GET: anything else is 405 with Allow.
  HttpReply post = http.post("/api/docs", "{}");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("allow"), "GET");
}

}  // namespace
}  // namespace datamap::testing
