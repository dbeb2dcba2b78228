// The backend-neutral search pieces (storage/search_tokens.h,
// storage/search_syntax.h): index tokens with colocated bigrams, the tokens
// a query term is looked up by, and the parsed query tree.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/search_syntax.h"
#include "storage/search_tokens.h"

namespace dossier::storage {
namespace {

struct IndexToken {
  std::string text;
  size_t position;
  bool colocated;
  size_t start;
  size_t end;
  bool operator==(const IndexToken&) const = default;
};

std::ostream& operator<<(std::ostream& os, const IndexToken& t) {
  return os << "{" << t.text << "," << t.position << "," << t.colocated << ","
            << t.start << "," << t.end << "}";
}

std::vector<IndexToken> IndexTokens(std::string_view text) {
  std::vector<IndexToken> out;
  ForEachIndexToken(text, [&](std::string_view token, size_t position,
                              bool colocated, size_t start, size_t end) {
    out.push_back({std::string(token), position, colocated, start, end});
    return 0;
  });
  return out;
}

TEST(SearchTokensTest, BigramsAreColocatedWithTheirFirstCharacter) {
  EXPECT_EQ(IndexTokens("合同书 ab"),
            (std::vector<IndexToken>{{"合", 0, false, 0, 3},
                                     {"合同", 0, true, 0, 6},
                                     {"同", 1, false, 3, 6},
                                     {"同书", 1, true, 3, 9},
                                     {"书", 2, false, 6, 9},
                                     {"ab", 3, false, 10, 12}}));
}

TEST(SearchTokensTest, PositionsCountTokensNotSeparators) {
  // Punctuation is no token: 合，同 are adjacent tokens, as 合同 (so the
  // unigram phrase and the bigram find both alike). A Latin run between two
  // characters is a token of its own, and no bigram spans it.
  auto tokens = IndexTokens("合，同 甲x乙");
  std::vector<std::string> texts;
  for (const auto& t : tokens) texts.push_back(t.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"合", "合同", "同", "同甲", "甲",
                                             "x", "乙"}));
  EXPECT_EQ(tokens.back().position, 4u);
}

TEST(SearchTokensTest, ASinkErrorStopsTokenizing) {
  int seen = 0;
  EXPECT_EQ(ForEachIndexToken("合同书",
                              [&](std::string_view, size_t, bool, size_t, size_t) {
                                return ++seen == 2 ? 7 : 0;
                              }),
            7);
  EXPECT_EQ(seen, 2);
}

TEST(SearchTokensTest, QueryTermTokensLineUpWithIndexPositions) {
  using V = std::vector<std::string>;
  EXPECT_EQ(QueryTermTokens(V{"合"}), V{"合"});
  EXPECT_EQ(QueryTermTokens(V{"合", "同"}), V{"合同"});
  EXPECT_EQ(QueryTermTokens(V{"合", "同", "书"}), (V{"合同", "同书"}));
  EXPECT_EQ(QueryTermTokens(V{"公", "司", "abc"}), (V{"公司", "司", "abc"}));
  EXPECT_EQ(QueryTermTokens(V{"abc", "公", "司"}), (V{"abc", "公司"}));
  EXPECT_EQ(QueryTermTokens(V{"甲", "abc", "乙"}), (V{"甲", "abc", "乙"}));
  EXPECT_EQ(QueryTermTokens(V{"late", "payment"}), (V{"late", "payment"}));
  EXPECT_TRUE(QueryTermTokens(V{}).empty());
}

// The query tree as text, to compare whole trees at once.
std::string Show(const SearchNode& n) {
  using Kind = SearchNode::Kind;
  std::string out;
  switch (n.kind) {
    case Kind::kTerm:
      out = "[";
      for (size_t i = 0; i < n.tokens.size(); ++i) {
        out += (i ? " " : "") + n.tokens[i];
      }
      return out + "]";
    case Kind::kNot:
      return "NOT " + Show(n.children.front());
    case Kind::kAnd:
    case Kind::kOr:
      out = n.kind == Kind::kAnd ? "AND(" : "OR(";
      for (size_t i = 0; i < n.children.size(); ++i) {
        out += (i ? ", " : "") + Show(n.children[i]);
      }
      return out + ")";
  }
  return out;
}

std::string Parsed(std::string_view q) {
  auto tree = ParseSearchQuery(q);
  return tree ? Show(*tree) : "error: " + tree.error().message;
}

TEST(SearchSyntaxTreeTest, TermsOperatorsAndPrecedence) {
  EXPECT_EQ(Parsed("合同"), "[合 同]");
  EXPECT_EQ(Parsed("合同 甲方"), "AND([合 同], [甲 方])");
  EXPECT_EQ(Parsed("合同 OR 协议 甲方"), "OR([合 同], AND([协 议], [甲 方]))");
  EXPECT_EQ(Parsed("(合同 OR 协议) 甲方"), "AND(OR([合 同], [协 议]), [甲 方])");
  EXPECT_EQ(Parsed("合同 NOT 乙方 -违约"),
            "AND([合 同], NOT [乙 方], NOT [违 约])");
  EXPECT_EQ(Parsed("\"Late  Payment\" or"), "AND([late payment], [or])");
  EXPECT_EQ(Parsed("合同 ， 甲方"), "AND([合 同], [甲 方])");
  // Full-width forms are normalised like the index's text.
  EXPECT_EQ(Parsed("ＡＢＣ１２"), "[abc12]");
}

TEST(SearchSyntaxTreeTest, ErrorsNameTheQueryAndThePosition) {
  auto e = ParseSearchQuery("合同 OR");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.error().message,
            "search query '合同 OR': OR needs a term after it (at character 4)");
  for (const char* bad : {"NOT 乙方", "-乙方", "合同 OR NOT 乙方", "，", "",
                          "(合同", "合同)", "\"合同", "()"}) {
    auto r = ParseSearchQuery(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace dossier::storage
