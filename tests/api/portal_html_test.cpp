// The portal's output rules, without a server: runtime text is always escaped, JSON embedded in
// <script> cannot close it, and search snippets let through nothing but their <mark> tags.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "api/portal/html.h"
#include "api/portal/page_context.h"
#include "api/portal/partials.h"

namespace datamap::api::portal {
namespace {

TEST(PortalHtml, RuntimeStringsAreEscapedAndOnlyLiteralsAreMarkup) {
  Html h;
  std::string title = "<script>alert(1)</script> & \"quotes\" 'single'";
  h << "<h1>" << title << "</h1>";
  EXPECT_EQ(h.str(),
            "<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;</h1>");
}

TEST(PortalHtml, JsonForScriptCannotEndTheScriptOrOpenAComment) {
  std::string json = R"({"name":"</script><!-- x --> & \u2028"})";
  std::string safe = json_for_script(json);
  EXPECT_EQ(safe.find("</"), std::string::npos);
  EXPECT_EQ(safe.find("<!--"), std::string::npos);
  rapidjson::Document a, b;
  a.Parse(json.c_str());
  b.Parse(safe.c_str());
  ASSERT_FALSE(b.HasParseError());
  EXPECT_EQ(a, b);  // the same JSON value, only spelled with escapes
}

TEST(PortalHtml, UrlsEncodeEveryValue) {
  EXPECT_EQ(Url("/dataset").add("q", "주차장 & \"x\"").add("page", "").add("groups", "a/b").str(),
            "/dataset?q=%EC%A3%BC%EC%B0%A8%EC%9E%A5%20%26%20%22x%22&groups=a%2Fb");
}

TEST(PortalHtml, SearchSnippetsKeepTheirMarksAndNothingElse) {
  rapidjson::Document pkg;
  pkg.Parse(R"({"name":"p","title":"T","notes":"n"})");
  rapidjson::Document hl;
  // As the search engine sends it (already escaped, <em> around matches), with a hostile payload.
  hl.Parse(R"("서울 <em>주차장</em> &lt;img src=x onerror=alert(1)&gt; <script>x</script>")");
  PageContext ctx;
  Html h;
  dataset_card(h, ctx, pkg, &hl);
  const std::string& out = h.str();
  EXPECT_NE(out.find("<mark>주차장</mark>"), std::string::npos) << out;
  EXPECT_EQ(out.find("<img"), std::string::npos) << out;
  EXPECT_EQ(out.find("<script"), std::string::npos) << out;
  EXPECT_NE(out.find("&lt;img src=x"), std::string::npos) << out;
}

TEST(PortalHtml, SnippetsCutWholeCharactersNotBytes) {
  EXPECT_EQ(snippet("가나다라마바사", 3), "가나다…");
  EXPECT_EQ(snippet("  a \n\n b  ", 10), "a b");
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_count(12), "12");
}

}  // namespace
}  // namespace datamap::api::portal
