#include "storage/sqlite/fts_tokenizer.h"

#include <sqlite3.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace dossier::storage {
namespace {

struct Token {
  std::string text;
  size_t start;
  size_t end;
  bool operator==(const Token&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Token& t) {
  return os << "{" << t.text << "," << t.start << "," << t.end << "}";
}

std::vector<Token> Tokens(std::string_view text) {
  std::vector<Token> out;
  ForEachToken(text, [&](std::string_view token, size_t start, size_t end) {
    out.push_back({std::string(token), start, end});
    return 0;
  });
  return out;
}

TEST(FtsTokenizerTest, CjkCharactersAreSingleTokens) {
  // Each Han character is 3 bytes of UTF-8.
  EXPECT_EQ(Tokens("合同编号"),
            (std::vector<Token>{
                {"合", 0, 3}, {"同", 3, 6}, {"编", 6, 9}, {"号", 9, 12}}));
}

TEST(FtsTokenizerTest, LatinRunsAreFoldedWordsWithSourceOffsets) {
  EXPECT_EQ(Tokens("Contract HT-2024 ÄRGER"),
            (std::vector<Token>{{"contract", 0, 8},
                                {"ht", 9, 11},
                                {"2024", 12, 16},
                                {"ärger", 17, 23}}));  // Ä is 2 bytes
}

TEST(FtsTokenizerTest, MixedTextAndPunctuation) {
  // "。" and "：" are CJK punctuation, not tokens; a Latin run stops at CJK.
  EXPECT_EQ(Tokens("甲方：ABC公司。"), (std::vector<Token>{{"甲", 0, 3},
                                                           {"方", 3, 6},
                                                           {"abc", 9, 12},
                                                           {"公", 12, 15},
                                                           {"司", 15, 18}}));
  EXPECT_TRUE(Tokens("  ,.;!? — 。、").empty());
}

TEST(FtsTokenizerTest, SinkCanStopTokenizing) {
  int seen = 0;
  int rc = ForEachToken("a b c", [&](std::string_view, size_t, size_t) {
    return ++seen == 2 ? 7 : 0;
  });
  EXPECT_EQ(rc, 7);
  EXPECT_EQ(seen, 2);
}

TEST(FtsTokenizerTest, WorksInsideFts5) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  ASSERT_TRUE(RegisterTokenizer(db.get()));
  ASSERT_EQ(sqlite3_exec(db.get(),
                         "CREATE VIRTUAL TABLE t USING fts5(x, "
                         "tokenize='dossier');"
                         "INSERT INTO t VALUES ('本合同由甲方签订 Signed');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db.get());
  auto count = [&](const char* match) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db.get(), "SELECT count(*) FROM t WHERE t MATCH ?1", -1,
                       &stmt, nullptr);
    sqlite3_bind_text(stmt, 1, match, -1, SQLITE_TRANSIENT);
    int n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    return n;
  };
  EXPECT_EQ(count("\"合\""), 1);
  EXPECT_EQ(count("\"合同\""), 1);
  EXPECT_EQ(count("\"同合\""), 0);
  EXPECT_EQ(count("\"SIGNED\""), 1);
}

}  // namespace
}  // namespace dossier::storage
