#include "storage/sqlite/search_query.h"

#include <sqlite3.h>

#include <memory>

#include "gtest/gtest.h"
#include "storage/sqlite/fts_tokenizer.h"

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

namespace dossier::storage {
namespace {

std::string Bigrams(std::string_view input) {
  auto e = BuildMatchExpression(input, MatchForm::kBigrams);
  EXPECT_TRUE(e) << input << ": " << (e ? "" : e.error().message);
  return e ? *e : "";
}

TEST(SearchBigramsTest, CjkRunsAreWrittenWithoutSpaces) {
  EXPECT_EQ(Bigrams("合"), "\"合\"");
  EXPECT_EQ(Bigrams("合同"), "\"合同\"");
  EXPECT_EQ(Bigrams("合同书 甲方"), "\"合同书\" AND \"甲方\"");
  EXPECT_EQ(Bigrams("甲方 NOT 合同书"), "\"甲方\" NOT \"合同书\"");
  EXPECT_EQ(Bigrams("\"Service Agreement\""), "\"service agreement\"");
  // A run followed by more tokens keeps its last character as a unigram,
  // so that the next token's position lines up.
  EXPECT_EQ(Bigrams("ABC公司"), "\"abc 公司\"");
  EXPECT_EQ(Bigrams("公司ABC"), "\"公司 司 abc\"");
  EXPECT_EQ(Bigrams("甲 OR (乙方 NOT 丙)"), "\"甲\" OR (\"乙方\" NOT \"丙\")");
}

// The bigram index with the bigram form finds exactly the pages the unigram
// form finds (the unigram tokens are indexed too).
TEST(SearchBigramsTest, BigramIndexMatchesTheSamePages) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  ASSERT_TRUE(RegisterTokenizer(db.get()));
  ASSERT_EQ(sqlite3_exec(db.get(),
                         "CREATE VIRTUAL TABLE t USING fts5(x, "
                         "tokenize='dossier bigrams');"
                         "INSERT INTO t VALUES ('本合同由甲方签订');"
                         "INSERT INTO t VALUES ('合，同 分开');"
                         "INSERT INTO t VALUES ('甲方：ABC公司ABC');"
                         "INSERT INTO t VALUES ('合 abc 同');"
                         "INSERT INTO t VALUES ('公司abc 合同书');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db.get());
  auto rows = [&](const std::string& match) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db.get(),
                                 "SELECT group_concat(rowid) FROM "
                                 "(SELECT rowid FROM t WHERE t MATCH ?1 "
                                 "ORDER BY rowid)",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(stmt, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    std::string out = "error";
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      auto* text = sqlite3_column_text(stmt, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(stmt);
    return out;
  };
  const std::pair<const char*, const char*> cases[] = {
      {"合", "1,2,4,5"},       {"合同", "1,2,5"},     {"合同书", "5"},
      {"甲方 签订", "1"},      {"公司abc", "3,5"},    {"abc公司", "3"},
      {"合 NOT 合同", "4"},    {"同 分开", "2"},      {"司", "3,5"},
      {"\"合同 书\"", "5"},  {"合同 OR 公司", "1,2,3,5"},
  };
  for (const auto& [query, expected] : cases) {
    EXPECT_EQ(rows(Bigrams(query)), expected) << query;
    EXPECT_EQ(rows(BuildMatchExpression(query).value()), expected) << query;
  }
}

}  // namespace
}  // namespace dossier::storage
