// The entry point for untrusted JSON (catalog/untrusted_json.h): iterative, depth-bounded,
// UTF-8 validated, with the byte offset and reason of every refusal. The importers' format
// detection and readers run on it, so a hostile file is an import error, not a crash.
#include "catalog/untrusted_json.h"

#include <gtest/gtest.h>

#include "catalog/errors.h"
#include "catalog/import/ckan_reader.h"
#include "catalog/import/format.h"

namespace datamap::catalog {
namespace {

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(UntrustedJson, ParsesADocument) {
  rapidjson::Document doc;
  EXPECT_FALSE(parse_untrusted_json(R"({"a": [1, 2.5, "x", null, true, {"b": {}}]})", doc));
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["a"].Size(), 6u);
  EXPECT_FALSE(parse_untrusted_json("\xEF\xBB\xBF[1]", doc));  // a BOM is not content
  EXPECT_TRUE(doc.IsArray());
}

TEST(UntrustedJson, NestingUpToTheLimitIsFineOneMoreIsRefused) {
  rapidjson::Document doc;
  EXPECT_FALSE(parse_untrusted_json(nested(kMaxJsonDepth), doc));
  auto e = parse_untrusted_json(nested(kMaxJsonDepth + 1), doc);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->too_deep);
  EXPECT_EQ(e->message(), "JSON nested deeper than 64 levels at byte 64");
  EXPECT_TRUE(doc.IsNull());
  auto objects = parse_untrusted_json(R"({"a":{"a":{"a":1}}})", doc, 2);
  ASSERT_TRUE(objects);
  EXPECT_TRUE(objects->too_deep);
}

TEST(UntrustedJson, TwoMillionBracketsAreRefusedNotACrash) {
  rapidjson::Document doc;
  std::string deep(2'000'000, '[');
  auto e = parse_untrusted_json(deep, doc);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->too_deep);
  EXPECT_TRUE(check_untrusted_json(deep));
  EXPECT_TRUE(check_untrusted_json(std::string(1'000'000, '{') + "\"a\":1"));
  EXPECT_TRUE(check_untrusted_json(std::string(1'000'000, '[') + std::string(1'000'000, ']')));
}

TEST(UntrustedJson, MalformedJsonAndBadUtf8NameTheOffsetAndReason) {
  rapidjson::Document doc;
  auto comma = parse_untrusted_json(R"({"a": 1,, "b": 2})", doc);
  ASSERT_TRUE(comma);
  EXPECT_FALSE(comma->too_deep);
  EXPECT_EQ(comma->offset, 8u);
  EXPECT_NE(comma->message().find("at byte 8"), std::string::npos) << comma->message();
  auto utf8 = parse_untrusted_json("[\"\xC3\x28\"]", doc);
  ASSERT_TRUE(utf8);
  EXPECT_NE(utf8->reason.find("encoding"), std::string::npos) << utf8->reason;
  EXPECT_TRUE(check_untrusted_json("{} {}"));  // one document, not two
  EXPECT_TRUE(check_untrusted_json(""));
}

// A handler that stops on its own is not an error.
struct StopAtFirstString : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, StopAtFirstString> {
  bool String(const char*, rapidjson::SizeType, bool) { return false; }
};

TEST(UntrustedJson, SaxStopsOnItsOwnOrOnDepth) {
  StopAtFirstString stop;
  auto own = parse_untrusted_json_sax(R"([1, "x", 3])", stop);
  EXPECT_TRUE(own.stopped);
  EXPECT_FALSE(own.error);
  auto deep = parse_untrusted_json_sax(std::string(100'000, '[') + "\"x\"", stop);
  EXPECT_FALSE(deep.stopped);
  ASSERT_TRUE(deep.error);
  EXPECT_TRUE(deep.error->too_deep);
}

TEST(UntrustedJson, ImportingADeeplyNestedFileIsAnImportErrorNotACrash) {
  using namespace importer;
  std::string deep(200'000, '[');
  EXPECT_NE(detect_format(deep), Format::jsonld);  // detection survives it
  EXPECT_NE(detect_format("{\"result\": " + deep), Format::unknown);
  ReadContext ctx;
  try {
    read_ckan_json(deep, ctx, [](Record&&) {});
    ADD_FAILURE() << "no error";
  } catch (const BadRequest& e) {
    EXPECT_NE(std::string(e.what()).find("nested deeper than 64 levels"), std::string::npos)
        << e.what();
  }
  std::vector<Record> records;
  read_ckan_jsonl("{\"name\": " + deep + "}\n{\"name\": \"ok\", \"title\": \"OK\"}\n", ctx,
                  [&](Record&& r) { records.push_back(std::move(r)); });
  ASSERT_EQ(records.size(), 2u);
  ASSERT_TRUE(records[0].errors.count("json"));
  EXPECT_NE(records[0].errors["json"][0].find("nested deeper"), std::string::npos);
  EXPECT_TRUE(records[1].errors.empty());
}

}  // namespace
}  // namespace datamap::catalog
