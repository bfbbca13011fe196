// Related words learnt from the catalog (search/synonyms.h load_related, data/search/related.txt).
#include <gtest/gtest.h>

#include <fstream>

#include "search/synonyms.h"
#include "tests/support/temp_dir.h"

using namespace datamap::search;

TEST(RelatedWords, FileLinesLeadOneWayAndBadLinesAreSkipped) {
  datamap::testing::TempDir dir;
  const std::string path = dir.file("related.txt");
  std::ofstream(path) << "# comment: 주석\n"
                         "장애우: 장애인, 복지\n"
                         "no colon here\n"
                         "두 단어: 단어\n"        // a phrase key: only single words lead
                         "하천: 하천\n"           // itself only: nothing to add
                         "고기잡이을:  조업 ,\n"  // keys are read as stems, spaces trimmed
                         "\xff\xfe: 장애인\n";    // not UTF-8
  SynonymTable t;
  t.load_related(path);
  EXPECT_EQ(t.related("장애우"), (std::vector<std::string>{"장애인", "복지"}));
  EXPECT_TRUE(t.related("장애인").empty());  // one way
  EXPECT_TRUE(t.related("하천").empty());
  EXPECT_TRUE(t.related("두").empty());
  EXPECT_EQ(t.related("고기잡이"), std::vector<std::string>{"조업"});
  EXPECT_EQ(t.related_count(), 2u);
}

TEST(RelatedWords, AMissingFileIsAnError) {
  SynonymTable t;
  EXPECT_THROW(t.load_related("/nonexistent/related.txt"), std::runtime_error);
}
