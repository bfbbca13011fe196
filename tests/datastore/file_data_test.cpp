// The automatic file-data API's pieces on their own (api/formats/file_data.h): cond[...] parsing,
// the data.go.kr page envelope in JSON and XML, and the per-resource OpenAPI document, which must
// pass the same `redocly lint` as the server's own document.
#include "api/formats/file_data.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>

#include "catalog/errors.h"
#include "tests/formats/node_tool.h"
#include "tests/support/temp_dir.h"

namespace datamap::api::formats {
namespace {

using datastore::Field;
using datastore::Op;

const std::vector<Field> kFields = {
    {"주차장명", "text", {"주차장 이름", "", "", ""}},
    {"주차구획수", "int", {"", "주차할 수 있는 칸의 수", "", "주차구획수"}},
    {"위도", "numeric", {}},
    {"야간개방", "bool", {}},
    {"기준일자", "date", {}}};

std::string message_of(const ValidationError& e) {
  return e.fields().begin()->first + ": " + e.fields().begin()->second.front();
}

TEST(FileDataConds, EveryOperatorMapsToItsCondition) {
  NameValues q = {{"page", "1"},
                  {"cond[주차장명::EQ]", "시청"},
                  {"cond[주차장명::LIKE]", "공영"},
                  {"cond[주차구획수::GT]", "10"},
                  {"cond[주차구획수::GTE]", "11"},
                  {"cond[위도::LT]", "38"},
                  {"cond[위도::lte]", "37.9"}};
  auto conds = parse_conds(q, kFields);
  ASSERT_EQ(conds.size(), 6u);
  EXPECT_EQ(conds[0].op, Op::eq);
  EXPECT_EQ(conds[0].field, "주차장명");
  EXPECT_EQ(conds[0].values, std::vector<std::string>{"시청"});
  EXPECT_EQ(conds[1].op, Op::like);
  EXPECT_EQ(conds[2].op, Op::gt);
  EXPECT_EQ(conds[3].op, Op::gte);
  EXPECT_EQ(conds[4].op, Op::lt);
  EXPECT_EQ(conds[5].op, Op::lte);
}

TEST(FileDataConds, UnknownColumnOperatorOrShapeIsAnErrorSayingWhatIsAccepted) {
  try {
    parse_conds({{"cond[없는컬럼::EQ]", "x"}}, kFields);
    FAIL() << "accepted an unknown column";
  } catch (const ValidationError& e) {
    EXPECT_NE(message_of(e).find("No column named '없는컬럼'"), std::string::npos) << message_of(e);
    EXPECT_NE(message_of(e).find("주차장명"), std::string::npos) << "lists the columns";
  }
  try {
    parse_conds({{"cond[주차장명::NE]", "x"}}, kFields);
    FAIL() << "accepted an unknown operator";
  } catch (const ValidationError& e) {
    EXPECT_NE(message_of(e).find("Unknown operator 'NE'"), std::string::npos) << message_of(e);
  }
  EXPECT_THROW(parse_conds({{"cond[주차장명]", "x"}}, kFields), ValidationError);
  EXPECT_THROW(parse_conds({{"cond[주차장명::EQ", "x"}}, kFields), ValidationError);
}

TEST(FileDataEnvelope, JsonAndXmlCarryTheCountsAndTypedRows) {
  datastore::SearchResult result;
  result.fields = {kFields[0], kFields[1]};
  result.records = {{std::string("<시청> & \"광장\""), std::int64_t{25}},
                    {std::monostate{}, std::int64_t{3}}};
  FileDataPage page{2, 2, 40, 7, &result};
  rapidjson::Document d;
  d.Parse(file_data_json(page).c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_EQ(d["page"].GetInt(), 2);
  EXPECT_EQ(d["perPage"].GetInt(), 2);
  EXPECT_EQ(d["totalCount"].GetInt(), 40);
  EXPECT_EQ(d["currentCount"].GetInt(), 2);
  EXPECT_EQ(d["matchCount"].GetInt(), 7);
  EXPECT_STREQ(d["data"][0]["주차장명"].GetString(), "<시청> & \"광장\"");
  EXPECT_EQ(d["data"][0]["주차구획수"].GetInt(), 25);
  EXPECT_TRUE(d["data"][1]["주차장명"].IsNull());

  std::string xml = file_data_xml(page);
  EXPECT_NE(xml.find("<currentCount>2</currentCount><matchCount>7</matchCount>"),
            std::string::npos);
  EXPECT_NE(xml.find("<col name=\"주차장명\">&lt;시청&gt; &amp; \"광장\"</col>"), std::string::npos)
      << xml;
}

TEST(FileDataDocument, IsOpenApi31WithEveryColumnAndPassesRedoclyLint) {
  datastore::TableInfo table{"res-1", kFields, {}, 42};
  catalog::Resource r;
  r.id = "res-1";
  r.name = "전국주차장정보표준데이터.csv";
  catalog::Dataset d;
  d.name = "15012896";
  d.title = "전국주차장정보표준데이터";
  std::string text = resource_openapi_json(table, r, d, "http://127.0.0.1:8080");
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["openapi"].GetString(), "3.1.0");
  const auto& op = doc["paths"]["/openapi/data/res-1"]["get"];
  std::vector<std::string> names;
  for (const auto& p : op["parameters"].GetArray()) names.emplace_back(p["name"].GetString());
  for (const char* n :
       {"page", "perPage", "returnType", "cond[주차장명::EQ]", "cond[주차장명::LIKE]",
        "cond[주차구획수::GTE]", "cond[위도::LT]", "cond[기준일자::LTE]"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  EXPECT_EQ(std::find(names.begin(), names.end(), "cond[야간개방::GT]"), names.end())
      << "booleans have no order";
  const auto& props = doc["components"]["schemas"]["Row"]["properties"];
  EXPECT_STREQ(props["주차구획수"]["type"][0].GetString(), "integer");
  EXPECT_STREQ(props["위도"]["type"][0].GetString(), "number");
  EXPECT_STREQ(props["주차장명"]["title"].GetString(), "주차장 이름");
  std::string description = props["주차구획수"]["description"].GetString();
  EXPECT_NE(description.find("주차할 수 있는 칸의 수"), std::string::npos) << description;
  EXPECT_NE(description.find("공통표준용어: 주차구획수"), std::string::npos) << description;

  std::string redocly = std::string(DATAMAP_SOURCE_DIR) + "/node_modules/.bin/redocly";
  ASSERT_TRUE(std::ifstream(redocly).good()) << redocly << " is missing: run `make setup`";
  datamap::testing::TempDir dir;
  std::string file = dir.file("openapi.json");
  std::ofstream(file) << text;
  auto lint = datamap::testing::run_node_script(
      redocly, {"lint", "--config", std::string(DATAMAP_SOURCE_DIR) + "/api/openapi/redocly.yaml",
                "--format", "stylish", file});
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
}

}  // namespace
}  // namespace datamap::api::formats
