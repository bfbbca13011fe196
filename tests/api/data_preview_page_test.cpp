// The data on the dataset page over real HTTP: a table made with datastore_create appears as a
// preview a reader can page through without script (header cells are the column names, the first
// row's values, its types), with a point map of its coordinates (rows outside Korea counted, not
// drawn), the downloads' and APIs' links, hostile cells and column names shown as text, and
// nothing of a private dataset's table shown to an anonymous visitor.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "api/portal/point_map.h"
#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

class DataPreviewPage : public ::testing::Test {
 protected:
  ApiWorld w;

  // A dataset with one resource; returns the resource's id.
  std::string dataset_with_resource(const std::string& name, bool is_private = false) {
    auto doc = w.ok(
        "package_create",
        R"({"name":")" + name + R"(","title":"주차장 )" + name +
            R"(","owner_org":"agency-a","private":)" + (is_private ? "true" : "false") +
            R"(,"resources":[{"name":"주차장 목록","url":"https://example.org/p.csv","format":"CSV"}]})",
        w.sysadmin);
    return doc["result"]["resources"][0]["id"].GetString();
  }

  // 25 parking lots in Seoul and Busan, one at (0, 0) (a typo'd row) and one without coordinates.
  void load_parking(const std::string& rid) {
    std::string records;
    for (int i = 1; i <= 23; ++i) {
      double lat = i % 2 ? 37.5 + i * 0.001 : 35.1 + i * 0.001;
      double lon = i % 2 ? 127.0 + i * 0.001 : 129.0 + i * 0.001;
      records += R"({"주차장명":"주차장)" + std::to_string(i) + R"(","위도":)" +
                 std::to_string(lat) + R"(,"경도":)" + std::to_string(lon) + R"(,"주차구획수":)" +
                 std::to_string(i * 10) + "},";
    }
    records += R"({"주차장명":"적도 주차장","위도":0,"경도":0,"주차구획수":1},)";
    records += R"({"주차장명":"좌표 없음","위도":null,"경도":null,"주차구획수":2})";
    w.ok("datastore_create",
         R"({"resource_id":")" + rid + R"(","force":true,"fields":[{"id":"주차장명","type":"text"},
             {"id":"위도","type":"numeric"},{"id":"경도","type":"numeric"},{"id":"주차구획수","type":"int"}],
             "records":[)" +
             records + "]}",
         w.sysadmin);
  }
};

TEST_F(DataPreviewPage, ShowsTheFirstRowsTheProfileThePointsAndTheLinks) {
  std::string rid = dataset_with_resource("parking");
  load_parking(rid);
  HttpReply r = w.http.get("/dataset/parking");
  ASSERT_EQ(r.status, 200) << r.body;
  // Header cells are the column names, in table order, after the row-number header.
  EXPECT_NE(
      r.body.find(
          R"(<th scope="col"><span class="col-id">주차장명</span></th><th scope="col"><span class="col-id">위도</span></th>)"),
      std::string::npos);
  // The first row's values, under a row header; 20 rows on the first page, not 21.
  EXPECT_NE(
      r.body.find(
          R"(<th scope="row" class="rownum">1</th><td>주차장1</td><td class="num">37.501</td>)"),
      std::string::npos);
  EXPECT_NE(r.body.find(">20</th>"), std::string::npos);
  EXPECT_EQ(r.body.find(">21</th>"), std::string::npos);
  EXPECT_NE(r.body.find("<caption>주차장 목록 — 전체 25행 중 1–20행</caption>"), std::string::npos);
  // The profile names each column's type in Korean and CKAN's word.
  EXPECT_NE(r.body.find(R"(<td class="col-type">정수 <code>int</code></td>)"), std::string::npos);
  EXPECT_NE(r.body.find(R"(<td class="col-type">숫자 <code>numeric</code></td>)"),
            std::string::npos);
  // The point map: 23 points drawn, the (0, 0) row counted outside Korea, the null row as missing.
  EXPECT_NE(r.body.find(R"(data-points="23" data-outside="1")"), std::string::npos);
  EXPECT_NE(r.body.find("한국 밖 좌표 1행은 그리지 않았습니다."), std::string::npos);
  EXPECT_NE(r.body.find("좌표가 없거나 숫자가 아닌 행: 1행."), std::string::npos);
  // Downloads and APIs.
  EXPECT_NE(r.body.find("/datastore/dump/" + rid + "?format=csv"), std::string::npos);
  EXPECT_NE(r.body.find("/datastore/dump/" + rid + "?format=xlsx"), std::string::npos);
  EXPECT_NE(r.body.find("/openapi/data/" + rid + "?page=1&amp;perPage=10"), std::string::npos);
  EXPECT_NE(r.body.find("/api/3/action/datastore_search?resource_id=" + rid), std::string::npos);

  // The next page, without script: rows 21-25 and a link back.
  std::smatch next;
  ASSERT_TRUE(std::regex_search(r.body, next, std::regex(R"re(<a rel="next" href="([^"]+)")re")));
  std::string href = std::regex_replace(next[1].str(), std::regex("&amp;"), "&");
  HttpReply page2 = w.http.get(href.substr(0, href.find('#')));
  ASSERT_EQ(page2.status, 200);
  EXPECT_NE(page2.body.find("<caption>주차장 목록 — 전체 25행 중 21–25행</caption>"),
            std::string::npos);
  EXPECT_NE(page2.body.find("<td>좌표 없음</td>"), std::string::npos);
  EXPECT_NE(page2.body.find(R"(rel="prev")"), std::string::npos);
  // A page past the end, or not a number, shows a real page instead of an empty table or an error.
  EXPECT_NE(w.http.get("/dataset/parking?rows_of=" + rid + "&rows_page=999999999999")
                .body.find("21–25행"),
            std::string::npos);
  EXPECT_NE(w.http.get("/dataset/parking?rows_of=" + rid + "&rows_page=-3x").body.find("1–20행"),
            std::string::npos);
}

TEST_F(DataPreviewPage, HostileCellsAndColumnNamesAreText) {
  std::string rid = dataset_with_resource("hostile-data");
  w.ok("datastore_create", R"({"resource_id":")" + rid + R"(","force":true,
           "fields":[{"id":"<script>alert(1)</script>","type":"text"},{"id":"note","type":"text"}],
           "records":[{"<script>alert(1)</script>":"<img src=x onerror=alert(2)>","note":"\"><svg onload=alert(3)>"}]})",
       w.sysadmin);
  HttpReply r = w.http.get("/dataset/hostile-data");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<span class=\"col-id\">&lt;script&gt;alert(1)&lt;/script&gt;</span>"),
            std::string::npos);
  EXPECT_NE(r.body.find("<td>&lt;img src=x onerror=alert(2)&gt;</td>"), std::string::npos);
  EXPECT_EQ(r.body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(r.body.find("<img"), std::string::npos);
  EXPECT_EQ(r.body.find("<svg onload"), std::string::npos);
}

TEST_F(DataPreviewPage, APrivateDatasetsRowsAreNotShownToAnonymousVisitors) {
  std::string rid = dataset_with_resource("secret-parking", /*is_private=*/true);
  w.ok("datastore_create",
       R"({"resource_id":")" + rid + R"(","force":true,"fields":[{"id":"비밀","type":"text"}],
           "records":[{"비밀":"숨은값-7731"}]})",
       w.sysadmin);
  HttpReply page = w.http.get("/dataset/secret-parking");
  EXPECT_TRUE(page.status == 403 || page.status == 404) << page.status;
  EXPECT_EQ(page.body.find("숨은값-7731"), std::string::npos);
  HttpReply api = w.http.action("datastore_search", R"({"resource_id":")" + rid + R"("})");
  // 404, as for a resource that does not exist: an outsider learns nothing of it.
  EXPECT_TRUE(api.status == 403 || api.status == 404) << api.status << " " << api.body;
  EXPECT_EQ(api.body.find("숨은값-7731"), std::string::npos);
  // A member of the agency reads the same rows through the same action.
  HttpReply member =
      w.http.action("datastore_search", R"({"resource_id":")" + rid + R"("})", w.member_a);
  EXPECT_EQ(member.status, 200) << member.body;
  EXPECT_NE(member.body.find("숨은값-7731"), std::string::npos);
}

TEST_F(DataPreviewPage, AResourceWithoutATableAddsNoPreview) {
  dataset_with_resource("no-table");
  HttpReply r = w.http.get("/dataset/no-table");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("data-preview"), std::string::npos);
  EXPECT_NE(r.body.find("주차장 목록"), std::string::npos);
}

// The point map on its own: fitted to the points inside Korea, whatever lies outside.
TEST(PointMap, OutliersAreCountedAndDoNotStretchTheDrawing) {
  using namespace api::portal;
  PageContext ctx;
  PointSample s;
  s.points = {{37.56, 126.97}, {35.18, 129.07}, {-37.56, 126.97}, {126.97, 37.56}};
  s.rows_total = 10000, s.rows_read = 5;
  Html h;
  point_map(h, ctx, s, "테스트");
  const std::string& out = h.str();
  EXPECT_NE(out.find(R"(data-points="2" data-outside="2")"), std::string::npos);
  EXPECT_NE(out.find("고르게 뽑은 5행"), std::string::npos);
  EXPECT_NE(out.find("좌표가 없거나 숫자가 아닌 행: 1행."), std::string::npos);
  // Seoul and Busan span the drawing: the graticule shows whole degrees between them, not 0°N.
  EXPECT_NE(out.find("127°E"), std::string::npos);
  EXPECT_EQ(out.find(">0°N"), std::string::npos);
  EXPECT_EQ(out.find("<image"), std::string::npos);  // no tiles unless configured
  ctx.map_tiles_url = "https://tiles.example.kr/{z}/{x}/{y}.png?a=1&b=2";
  Html tiled;
  point_map(tiled, ctx, s, "테스트");
  EXPECT_NE(tiled.str().find("<image href=\"https://tiles.example.kr/"), std::string::npos);
  EXPECT_NE(tiled.str().find(".png?a=1&amp;b=2\""), std::string::npos);
}

TEST(PointMap, NoPointInsideKoreaGivesTheCaptionAlone) {
  using namespace api::portal;
  PageContext ctx;
  PointSample s;
  s.points = {{0, 0}};
  s.rows_total = s.rows_read = 1;
  Html h;
  point_map(h, ctx, s, "x");
  EXPECT_EQ(h.str().find("<svg"), std::string::npos);
  EXPECT_NE(h.str().find("한국 밖 좌표 1행은 그리지 않았습니다."), std::string::npos);
}

}  // namespace
}  // namespace datamap::testing
