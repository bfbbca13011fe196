// Source text rendered as text (issue 19 item 6): a description with data.go.kr's <br/>, </br>,
// &nbsp; and entities shows as paragraphs on the dataset page and as plain text in its
// schema.org JSON-LD, the search card, DCAT (Turtle) and data.json; no tag from the source is
// ever shown, as markup or as escaped text.
#include <gtest/gtest.h>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

class SourceTextPages : public ::testing::Test {
 protected:
  ApiWorld w;
  void SetUp() override {
    w.ok("package_create",
         R"({"name":"br-notes","title":"성남시 공동주택 현황","owner_org":"agency-a",
             "notes":"공동주택 주소와 단지명입니다.<br/>※ 의무관리대상만&nbsp;포함</br>Tom&#39;s &amp; co <b>굵게</b>"})",
         w.sysadmin);
  }
};

TEST_F(SourceTextPages, DatasetPageShowsParagraphsAndJsonLdPlainText) {
  HttpReply r = w.http.get("/dataset/br-notes");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<p>공동주택 주소와 단지명입니다.</p>\n<p>※ 의무관리대상만 포함</p>\n"
                        "<p>Tom&#39;s &amp; co 굵게</p>"),
            std::string::npos)
      << r.body.substr(r.body.find("class=\"notes\""), 400);
  EXPECT_EQ(r.body.find("&lt;br"), std::string::npos) << "a <br/> shown as text";
  EXPECT_EQ(r.body.find("&lt;b&gt;"), std::string::npos);
  EXPECT_EQ(r.body.find("&amp;nbsp;"), std::string::npos);
  EXPECT_NE(r.body.find(R"("description":"공동주택 주소와 단지명입니다.\n※ 의무관리대상만 포함\nTom's \u0026 co 굵게")"),
            std::string::npos);
}

TEST_F(SourceTextPages, DcatAndDataJsonCarryTheTextWithoutTags) {
  HttpReply ttl = w.http.get("/dataset/br-notes", {{"Accept", "text/turtle"}});
  ASSERT_EQ(ttl.status, 200) << ttl.body;
  EXPECT_NE(ttl.body.find("의무관리대상만 포함"), std::string::npos) << ttl.body;
  EXPECT_EQ(ttl.body.find("<br"), std::string::npos) << ttl.body;
  HttpReply dj = w.http.get("/data.json");
  ASSERT_EQ(dj.status, 200);
  EXPECT_NE(dj.body.find("의무관리대상만 포함"), std::string::npos);
  EXPECT_EQ(dj.body.find("<br"), std::string::npos);
}

}  // namespace
}  // namespace datamap::testing
