// source_paragraphs(): what agencies send as descriptions (data.go.kr's <br/>, entities, stray
// markup) comes out as plain paragraphs, and nothing of it survives as a tag.
#include <gtest/gtest.h>

#include "catalog/text.h"

namespace datamap::catalog {
namespace {

using Paras = std::vector<std::string>;

TEST(SourceText, DatagoLineBreaksBecomeParagraphs) {
  // As the bundled data.go.kr list has them: <br/>, and the odd </br>.
  EXPECT_EQ(source_paragraphs("전국 주차장 위치<br/>운영시간 포함<br/><br/>출처: 각 시군구</br>끝"),
            (Paras{"전국 주차장 위치", "운영시간 포함", "출처: 각 시군구", "끝"}));
  EXPECT_EQ(source_paragraphs("a<br>b<BR />c"), (Paras{"a", "b", "c"}));
}

TEST(SourceText, EntitiesAreDecodedAndNbspIsASpace) {
  EXPECT_EQ(source_text("Tom&#39;s &amp; Jerry&nbsp;&nbsp;data &lt;raw&gt; &quot;q&quot;"),
            "Tom's & Jerry data <raw> \"q\"");
  EXPECT_EQ(source_text("x\xC2\xA0\xC2\xA0y"), "x y");
}

TEST(SourceText, BlockElementsSplitAndOtherTagsKeepTheirText) {
  EXPECT_EQ(source_paragraphs("<p>first <b>bold</b> <a href=\"http://x\">link</a></p><p>second</p>"
                              "<ul><li>one</li><li>two</li></ul>"),
            (Paras{"first bold link", "second", "one", "two"}));
}

TEST(SourceText, ScriptsAndStylesAreDroppedNotShown) {
  std::string out = source_text(
      "safe<script>alert(1)</script><style>p{}</style> text<img src=x "
      "onerror=alert(2)>");
  EXPECT_EQ(out, "safe text");
}

TEST(SourceText, ALessThanSignThatStartsNoTagStaysText) {
  EXPECT_EQ(source_text("a < b and 3<5"), "a < b and 3<5");
}

TEST(SourceText, PlainTextIsOnlySplitAtLineBreaks) {
  EXPECT_EQ(source_paragraphs("  one\r\n\n two  words \n"), (Paras{"one", "two words"}));
  EXPECT_TRUE(source_paragraphs("").empty());
  EXPECT_TRUE(source_paragraphs("<br/><br/>&nbsp;").empty());
}

TEST(SourceText, BrokenMarkupNeverThrowsAndLeavesNoTag) {
  for (const char* hostile : {"<", "<<<>>>", "</div></div>text", "<p <p <p", "&#xFFFFFFFF; &#0;",
                              "<![CDATA[x]]>", "<!-- open comment", "<div>" /* unclosed */}) {
    std::string out;
    EXPECT_NO_THROW(out = source_text(hostile)) << hostile;
    EXPECT_TRUE(is_valid_utf8(out)) << hostile;
    EXPECT_EQ(out.find("<div"), std::string::npos) << hostile;
  }
}

}  // namespace
}  // namespace datamap::catalog
