#include "storage/search_query.h"

#include "gtest/gtest.h"

namespace dossier::storage {
namespace {

std::string Build(std::string_view input) {
  auto expression = BuildMatchExpression(input);
  EXPECT_TRUE(expression) << input;
  return expression ? *expression : std::string();
}

TEST(SearchQueryTest, ChineseTermBecomesPhraseOfCharacters) {
  EXPECT_EQ(Build("合"), "\"合\"");
  EXPECT_EQ(Build("合同"), "\"合 同\"");
}

TEST(SearchQueryTest, TermsAreAndedAndNotGluedByNormalisation) {
  // NormalizeText alone would join "合同 甲方" into one four-character run.
  EXPECT_EQ(Build("合同 甲方"), "\"合 同\" AND \"甲 方\"");
  EXPECT_EQ(Build("合同\u3000Payment"), "\"合 同\" AND \"payment\"");
  EXPECT_EQ(Build("  Contract  "), "\"contract\"");
}

TEST(SearchQueryTest, NormalisesLikeTheIndex) {
  EXPECT_EQ(Build("ＰＤＦ"), "\"pdf\"");  // full-width folded by NFKC
  EXPECT_EQ(Build("HT-2024"), "\"ht 2024\"");
}

TEST(SearchQueryTest, SyntaxOfTheUserNeverReachesFts) {
  EXPECT_EQ(Build("\"; DROP TABLE x; --"), "\"drop\" AND \"table\" AND \"x\"");
  EXPECT_EQ(Build("AND OR NOT"), "\"and\" AND \"or\" AND \"not\"");
  EXPECT_EQ(Build("NEAR("), "\"near\"");
  EXPECT_EQ(Build("a\"b"), "\"a b\"");
  EXPECT_EQ(Build("col:value^"), "\"col value\"");
}

TEST(SearchQueryTest, NothingToSearchIsInvalidArgument) {
  for (std::string_view input : {"", "   ", "*", "(", "\"\"", "!?。，", "-"}) {
    auto expression = BuildMatchExpression(input);
    ASSERT_FALSE(expression) << input;
    EXPECT_EQ(expression.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(expression.error().message.find("no letters or digits"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace dossier::storage
