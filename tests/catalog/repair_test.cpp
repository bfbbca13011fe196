// catalog::importer::repair_record: what a harvested record keeps instead of being rejected.
#include "catalog/import/repair.h"

#include <gtest/gtest.h>

#include "catalog/errors.h"
#include "catalog/import/record.h"
#include "catalog/validation.h"

namespace datamap::catalog::importer {
namespace {

std::string extra(const KeyValues& extras, const std::string& key) {
  for (const auto& [k, v] : extras)
    if (k == key) return v;
  return "";
}

Dataset valid_base() {
  Dataset d;
  d.name = "repaired";
  d.title = "Repaired";
  return d;
}

TEST(RepairRecord, ARecordTheValidatorWouldRefuseBecomesOneItAccepts) {
  Dataset d = valid_base();
  d.tags = {"a, b; c," + std::string(120, 'x'), "ok", "ok", std::string(105, 'y'), "  "};
  d.url = "javascript:alert(1)";
  d.issued = "2020-13-45";
  d.modified = "yesterday";
  d.next_update = "soon";
  d.license_id = "my-own-license";
  Resource r;
  r.url = "file:///etc/passwd";
  d.resources.push_back(r);
  FieldErrors before;
  validate_dataset(d, before);
  ASSERT_FALSE(before.empty());

  auto warnings = repair_record(d);
  FieldErrors after;
  validate_dataset(d, after);
  EXPECT_TRUE(after.empty()) << describe(after);
  EXPECT_EQ(d.tags, (std::vector<std::string>{"a", "b", "c", std::string(100, 'x'), "ok",
                                              std::string(100, 'y')}));
  EXPECT_EQ(extra(d.extras, "url_raw"), "javascript:alert(1)");
  EXPECT_EQ(extra(d.extras, "issued_raw"), "2020-13-45");
  EXPECT_EQ(extra(d.extras, "modified_raw"), "yesterday");
  EXPECT_EQ(extra(d.extras, "next_update_raw"), "soon");
  EXPECT_EQ(extra(d.extras, "license_raw"), "my-own-license");
  EXPECT_EQ(extra(d.resources[0].extras, "url_raw"), "file:///etc/passwd");
  EXPECT_TRUE(d.url.empty() && d.issued.empty() && d.license_id.empty() &&
              d.resources[0].url.empty());
  EXPECT_EQ(warnings.size(), 9u);  // split, 2 shortened, url, 3 dates, license, resource url
}

TEST(RepairRecord, AValidRecordIsLeftAloneWithoutWarnings) {
  Dataset d = valid_base();
  d.tags = {"교통", "bus"};
  d.url = "https://example.org/";
  d.issued = "2024-01-02";
  Dataset copy = d;
  EXPECT_TRUE(repair_record(d).empty());
  EXPECT_EQ(d.tags, copy.tags);
  EXPECT_EQ(d.url, copy.url);
  EXPECT_TRUE(d.extras.empty());
}

TEST(RepairRecord, TextThatIsNotUtf8IsNotKeptAnywhere) {
  Dataset d = valid_base();
  d.tags = {std::string("\xff\xfe bad")};
  d.url = std::string("http://\xff");
  auto warnings = repair_record(d);
  EXPECT_TRUE(d.tags.empty());
  EXPECT_TRUE(d.extras.empty());  // invalid text is the validator's to refuse, never stored
  EXPECT_EQ(warnings.size(), 1u);
}

}  // namespace
}  // namespace datamap::catalog::importer
