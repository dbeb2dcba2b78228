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
  EXPECT_EQ(Build("\"; DROP TABLE x; --\""), "\"drop table x\"");
  EXPECT_EQ(Build("and or not"), "\"and\" AND \"or\" AND \"not\"");
  EXPECT_EQ(Build("NEAR"), "\"near\"");
  EXPECT_EQ(Build("col:value^"), "\"col value\"");
}

TEST(SearchQueryTest, NothingToSearchIsInvalidArgument) {
  for (std::string_view input : {"", "   ", "*", "\"\"", "!?。，", "-"}) {
    auto expression = BuildMatchExpression(input);
    ASSERT_FALSE(expression) << input;
    EXPECT_EQ(expression.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(expression.error().message.find("no letters or digits"),
              std::string::npos);
  }
  // A lone parenthesis is a syntax error, which says so.
  auto paren = BuildMatchExpression("(");
  ASSERT_FALSE(paren);
  EXPECT_EQ(paren.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace dossier::storage

namespace dossier::storage {
namespace {

std::string BuildOk(std::string_view input) {
  auto e = BuildMatchExpression(input);
  EXPECT_TRUE(e) << input << ": " << (e ? "" : e.error().message);
  return e ? *e : "";
}

std::string SyntaxError(std::string_view input) {
  auto e = BuildMatchExpression(input);
  EXPECT_FALSE(e) << input << " gave " << (e ? *e : "");
  if (e) return "";
  EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument);
  return e.error().message;
}

TEST(SearchSyntaxTest, OperatorsPhrasesAndParentheses) {
  EXPECT_EQ(BuildOk("合同 OR 协议"), "\"合 同\" OR \"协 议\"");
  EXPECT_EQ(BuildOk("合同 AND 甲方"), "\"合 同\" AND \"甲 方\"");
  EXPECT_EQ(BuildOk("合同 NOT 乙方"), "\"合 同\" NOT \"乙 方\"");
  EXPECT_EQ(BuildOk("合同 -乙方"), "\"合 同\" NOT \"乙 方\"");
  EXPECT_EQ(BuildOk("合同 甲方 NOT 乙方"),
            "(\"合 同\" AND \"甲 方\") NOT \"乙 方\"");
  EXPECT_EQ(BuildOk("(合同 OR 协议) 甲方"),
            "(\"合 同\" OR \"协 议\") AND \"甲 方\"");
  EXPECT_EQ(BuildOk("\"Service Agreement\""), "\"service agreement\"");
  EXPECT_EQ(BuildOk("（合同 OR 协议）"), "\"合 同\" OR \"协 议\"");
  EXPECT_EQ(BuildOk("HT-2026-0153"), "\"ht 2026 0153\"");
  EXPECT_EQ(BuildOk("甲 OR (乙 NOT 丙)"), "\"甲\" OR (\"乙\" NOT \"丙\")");
}

TEST(SearchSyntaxTest, NegatedChineseTermIsOnePhrase) {
  // Negating character by character (NOT 合 同) would let pages with 合 but
  // not 同 through, or exclude too much; the phrase is negated whole.
  EXPECT_EQ(BuildOk("甲方 NOT 合同书"), "\"甲 方\" NOT \"合 同 书\"");
}

TEST(SearchSyntaxTest, ErrorsSayWhereAndWhat) {
  EXPECT_NE(SyntaxError("合同 OR").find("OR needs a term after it (at character 4)"),
            std::string::npos);
  EXPECT_NE(SyntaxError("OR 合同").find("OR needs a term before it (at character 1)"),
            std::string::npos);
  EXPECT_NE(SyntaxError("(合同 甲方").find("'(' is never closed (at character 1)"),
            std::string::npos);
  EXPECT_NE(SyntaxError("合同)").find("')' has no matching '(' (at character 3)"),
            std::string::npos);
  EXPECT_NE(SyntaxError("合同 \"甲方").find("quote is never closed (at character 4)"),
            std::string::npos);
  EXPECT_NE(SyntaxError("NOT 合同").find("NOT needs a term to exclude from"),
            std::string::npos);
  EXPECT_NE(SyntaxError("合同 AND").find("AND needs a term after it"),
            std::string::npos);
  EXPECT_NE(SyntaxError("()").find("empty"), std::string::npos);
  EXPECT_NE(SyntaxError("甲 OR NOT 乙").find("NOT needs a term to exclude from"),
            std::string::npos);
}

}  // namespace
}  // namespace dossier::storage
