#include "core/text.h"

#include <gtest/gtest.h>

namespace dossier {
namespace {

TEST(NormalizeText, RemovesSpacesBetweenCjkCharacters) {
  EXPECT_EQ(NormalizeText("合 同 编 号"), "合同编号");
  EXPECT_EQ(NormalizeText("甲方 ： 上海"), "甲方:上海");
}

TEST(NormalizeText, KeepsSpacesBetweenLatinWords) {
  EXPECT_EQ(NormalizeText("Service   Agreement  No. 7"), "Service Agreement No. 7");
}

TEST(NormalizeText, KeepsSpaceBetweenCjkAndLatinWord) {
  EXPECT_EQ(NormalizeText("签订 Contract"), "签订 Contract");
}

TEST(NormalizeText, FoldsFullWidthForms) {
  EXPECT_EQ(NormalizeText("ＡＢＣ１２３"), "ABC123");
  EXPECT_EQ(NormalizeText("电话：１３８"), "电话:138");
}

TEST(NormalizeText, KeepsLinesAndTrimsThem) {
  EXPECT_EQ(NormalizeText("  a b \n\n 合 同 \n"), "a b\n\n合同");
}

TEST(NormalizeText, ReplacesInvalidUtf8) {
  std::string bad = "ab\xff" "c";
  EXPECT_EQ(NormalizeText(bad), "ab\xEF\xBF\xBD" "c");
}

TEST(IsCjkCodepoint, ClassifiesScripts) {
  EXPECT_TRUE(IsCjkCodepoint(U'合'));
  EXPECT_TRUE(IsCjkCodepoint(U'。'));
  EXPECT_FALSE(IsCjkCodepoint(U'a'));
  EXPECT_FALSE(IsCjkCodepoint(U'7'));
}

TEST(TrimSpace, RemovesAsciiWhitespaceAtBothEndsOnly) {
  EXPECT_EQ(TrimSpace(" \t\r\n 张 三 \v\f"), "张 三");
  EXPECT_EQ(TrimSpace("a"), "a");
  EXPECT_EQ(TrimSpace(" \n\t "), "");
  EXPECT_EQ(TrimSpace(""), "");
  // An ideographic space (U+3000) is text, not ASCII whitespace.
  EXPECT_EQ(TrimSpace("\u3000x "), "\u3000x");
}

}  // namespace
}  // namespace dossier
