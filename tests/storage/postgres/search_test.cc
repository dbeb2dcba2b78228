// Chinese and English search on PostgreSQL (storage/postgres/search.h), on
// the test cluster: the tsvector and tsquery our code writes, and recall on
// generated pages, where every query class and filter must give exactly the
// pages a brute-force scan of the same text finds, and the same pages as the
// SQLite FTS5 index (storage/sqlite/fts_tokenizer.h) on the same text.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/text.h"
#include "storage/postgres/catalog.h"
#include "storage/postgres/search.h"
#include "storage/search_syntax.h"
#include "storage/search_tokens.h"
#include "storage/sqlite/fts_tokenizer.h"
#include "storage/sqlite/search_query.h"
#include "tests/support/pg_test_support.h"

namespace dossier::storage::postgres {
namespace {

using dossier::testing::PgTestDatabase;

TEST(PostgresSearchText, TsVectorHoldsUnigramsAndColocatedBigrams) {
  EXPECT_EQ(TsVectorText("合同书 Late late"),
            "'合':1 '合同':1 '同':2 '同书':2 '书':3 'late':4,5");
  bool over = true;
  EXPECT_EQ(TsVectorText("，", &over), "");
  EXPECT_FALSE(over);
}

TEST(PostgresSearchText, TsVectorReportsPagesPastItsLimits) {
  std::string many;
  for (int i = 0; i < 300; ++i) many += "合 ";
  bool over = false;
  TsVectorText(many, &over);
  EXPECT_TRUE(over);
}

TEST(PostgresSearchText, TsQueryOfEveryQueryClass) {
  auto q = [](std::string_view text) {
    auto r = TsQueryText(text);
    return r ? *r : "error: " + r.error().message;
  };
  EXPECT_EQ(q("档"), "'档'");
  EXPECT_EQ(q("合同"), "'合同'");
  EXPECT_EQ(q("违约责任"), "('违约' <-> '约责' <-> '责任')");
  EXPECT_EQ(q("\"late payment\""), "('late' <-> 'payment')");
  EXPECT_EQ(q("公司abc"), "('公司' <-> '司' <-> 'abc')");
  EXPECT_EQ(q("合同 NOT 乙方"), "('合同' & !('乙方'))");
  EXPECT_EQ(q("(合同 OR 协议) 甲方"), "(('合同' | '协议') & '甲方')");
  auto bad = TsQueryText("NOT 乙方");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

// --- recall ---

struct Page {
  PgPageText row;
  std::vector<std::string> tokens;  // ForEachToken of the text
};

const std::vector<std::string> kWords = {
    "合同", "甲方", "乙方", "违约责任", "档案移交", "客户资料", "保密", "发票",
    "验收", "服务期限", "公司", "有限公司", "借阅", "催还", "民法典", "上海",
    "北京", "合", "同", "档", "方", "麒麟", "琥珀", "骆驼", "invoice",
    "Payment", "late", "service", "agreement", "third", "party", "zeppelin",
    "Confidential", "abc", "HT2024", "第3条"};
const std::vector<std::string> kSeparators = {"", "", " ", "，", "。", "\n",
                                              "：", "、", " (", ") "};
const char* kTypes[] = {"contract", "form", "correspondence", "other"};
const char* kStatuses[] = {"pending", "filed"};

std::string RandomText(std::mt19937& rng) {
  std::string text;
  const int words = 5 + static_cast<int>(rng() % 40);
  for (int i = 0; i < words; ++i) {
    // Mostly the common words, sometimes a random character of a small
    // set, so that rare bigrams and runs across word boundaries occur.
    if (rng() % 6 == 0) {
      static const char* kChars[] = {"合", "同", "甲", "乙", "方", "档", "案",
                                     "约", "责", "任", "公", "司", "麒", "麟"};
      text += kChars[rng() % 14];
    } else {
      text += kWords[rng() % kWords.size()];
    }
    text += kSeparators[rng() % kSeparators.size()];
  }
  return NormalizeText(text);
}

bool Contains(const std::vector<std::string>& hay,
              const std::vector<std::string>& needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) !=
         hay.end();
}

bool Eval(const SearchNode& node, const std::vector<std::string>& tokens) {
  using Kind = SearchNode::Kind;
  switch (node.kind) {
    case Kind::kTerm:
      return Contains(tokens, node.tokens);
    case Kind::kNot:
      return !Eval(node.children.front(), tokens);
    case Kind::kAnd:
      return std::all_of(node.children.begin(), node.children.end(),
                         [&](const SearchNode& c) { return Eval(c, tokens); });
    case Kind::kOr:
      return std::any_of(node.children.begin(), node.children.end(),
                         [&](const SearchNode& c) { return Eval(c, tokens); });
  }
  return false;
}

bool Passes(const PgPageText& row, const PgSearchFilter& f) {
  auto in = [](const auto& list, const auto& value) {
    return list.empty() ||
           std::find(list.begin(), list.end(), value) != list.end();
  };
  return in(f.customer_ids, row.customer_id) && in(f.types, row.type) &&
         in(f.statuses, row.status);
}

class PostgresSearchRecall : public ::testing::Test {
 protected:
  static constexpr int kPages = 1500;
  static constexpr int kPagesPerDocument = 3;
  static constexpr int kCustomers = 7;

  void SetUp() override {
    auto created = PgTestDatabase::Create();
    ASSERT_TRUE(created) << created.error().message;
    database_ = std::move(*created);
    auto c = PgCatalog::Open(database_->url());
    ASSERT_TRUE(c) << c.error().message;
    catalog_ = std::move(*c);
    index_ = std::make_unique<PgSearchIndex>(*catalog_);

    std::mt19937 rng(1406);
    std::vector<PgPageText> rows;
    for (int p = 1; p <= kPages; ++p) {
      const int document = 1 + (p - 1) / kPagesPerDocument;
      PgPageText row{p,
                     document,
                     1 + document % kCustomers,
                     kTypes[document % 4],
                     kStatuses[document % 2],
                     RandomText(rng)};
      Page page{row, {}};
      ForEachToken(row.text, [&](std::string_view t, size_t, size_t) {
        page.tokens.emplace_back(t);
        return 0;
      });
      pages_.push_back(std::move(page));
      rows.push_back(std::move(row));
    }
    auto indexed = index_->IndexPages(rows);
    ASSERT_TRUE(indexed) << indexed.error().message;
    EXPECT_EQ(indexed->pages, kPages);
    EXPECT_TRUE(indexed->over_limits.empty());

    // The SQLite index on the same text.
    ASSERT_EQ(sqlite3_open(":memory:", &sqlite_), SQLITE_OK);
    ASSERT_TRUE(RegisterTokenizer(sqlite_));
    ASSERT_EQ(sqlite3_exec(sqlite_,
                           "CREATE VIRTUAL TABLE fts USING fts5(text, "
                           "tokenize = 'dossier bigrams'); BEGIN",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(sqlite_, "INSERT INTO fts (rowid, text) VALUES (?1, ?2)",
                       -1, &insert, nullptr);
    for (const Page& page : pages_) {
      sqlite3_bind_int64(insert, 1, page.row.page_id);
      sqlite3_bind_text(insert, 2, page.row.text.c_str(), -1, SQLITE_STATIC);
      ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    ASSERT_EQ(sqlite3_exec(sqlite_, "COMMIT", nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  void TearDown() override {
    if (sqlite_) sqlite3_close(sqlite_);
    index_.reset();
    catalog_.reset();
    database_.reset();
  }

  std::vector<std::int64_t> BruteForce(const std::string& query,
                                       const PgSearchFilter& filter) {
    auto tree = ParseSearchQuery(query);
    EXPECT_TRUE(tree) << query;
    std::vector<std::int64_t> ids;
    if (!tree) return ids;
    for (const Page& page : pages_) {
      if (Passes(page.row, filter) && Eval(*tree, page.tokens)) {
        ids.push_back(page.row.page_id);
      }
    }
    return ids;
  }

  std::vector<std::int64_t> Sqlite(const std::string& query,
                                   const PgSearchFilter& filter) {
    auto match = BuildMatchExpression(query, MatchForm::kBigrams);
    EXPECT_TRUE(match) << query;
    std::set<std::int64_t> found;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(sqlite_, "SELECT rowid FROM fts WHERE fts MATCH ?1", -1,
                       &s, nullptr);
    sqlite3_bind_text(s, 1, match ? match->c_str() : "", -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      found.insert(sqlite3_column_int64(s, 0));
    }
    EXPECT_EQ(rc, SQLITE_DONE) << query << ": " << sqlite3_errmsg(sqlite_);
    sqlite3_finalize(s);
    std::vector<std::int64_t> ids;
    for (std::int64_t id : found) {
      if (Passes(pages_[id - 1].row, filter)) ids.push_back(id);
    }
    return ids;
  }

  std::unique_ptr<PgTestDatabase> database_;
  std::unique_ptr<PgCatalog> catalog_;
  std::unique_ptr<PgSearchIndex> index_;
  std::vector<Page> pages_;
  sqlite3* sqlite_ = nullptr;
};

const std::vector<std::string> kQueries = {
    // 1-character CJK
    "合", "档", "麟", "任",
    // 2-character CJK (common, rare, across word boundaries: 方合, 司甲)
    "合同", "甲方", "麒麟", "方合", "司甲", "约责", "同档",
    // 3- and 4-character CJK
    "民法典", "违约责任", "档案移交", "有限公司", "同甲方", "客户资料保密",
    // English words, case-folded; mixed runs
    "invoice", "PAYMENT", "zeppelin", "abc", "ht2024", "第3条", "公司abc",
    // phrases
    "\"late payment\"", "\"third party\"", "\"service agreement\"",
    "\"档案 移交\"", "\"合同 甲方\"", "\"abc 合同\"",
    // boolean
    "合同 甲方", "合同 AND invoice", "麒麟 OR 骆驼", "合同 NOT 乙方",
    "(琥珀 OR 骆驼) 档案", "confidential -invoice", "合同 -\"违约责任\" 北京",
    "(合 OR 档) NOT (甲方 OR 乙方)",
    // nothing matches
    "不存在", "nonexistentword"};

TEST_F(PostgresSearchRecall, EveryQueryClassEqualsBruteForceAndSqlite) {
  const std::vector<PgSearchFilter> filters = {
      {},
      {{3}, {}, {}},
      {{}, {"contract"}, {}},
      {{2, 5}, {"form", "other"}, {"filed"}},
  };
  std::int64_t total = 0;
  for (const std::string& q : kQueries) {
    for (size_t f = 0; f < filters.size(); ++f) {
      const auto expected = BruteForce(q, filters[f]);
      auto pg = index_->MatchingPages(q, filters[f]);
      ASSERT_TRUE(pg) << q << ": " << pg.error().message;
      EXPECT_EQ(*pg, expected) << q << " (filter " << f << ")";
      EXPECT_EQ(Sqlite(q, filters[f]), expected) << q << " (filter " << f << ")";
      total += static_cast<std::int64_t>(expected.size());
    }
  }
  // The pages are varied enough that the queries find something.
  EXPECT_GT(total, 5 * kPages);
  EXPECT_FALSE(BruteForce("麒麟", {}).empty());
  EXPECT_LT(BruteForce("麒麟", {}).size(), static_cast<size_t>(kPages / 2));
}

TEST_F(PostgresSearchRecall, SearchRanksAmongTheNewestMatchesAndReturnsAllWhenFew) {
  for (const std::string& q : {std::string("麒麟"), std::string("合同"),
                               std::string("\"late payment\"")}) {
    const auto all = BruteForce(q, {});
    auto hits = index_->Search(q, {}, 1000);
    ASSERT_TRUE(hits) << hits.error().message;
    const size_t expected =
        std::min(all.size(), static_cast<size_t>(PgSearchIndex::kCandidates));
    ASSERT_EQ(hits->size(), expected) << q;
    // The candidates are the newest matches: every hit is one of them.
    const std::set<std::int64_t> newest(all.end() - expected, all.end());
    for (size_t i = 0; i < hits->size(); ++i) {
      EXPECT_TRUE(newest.contains((*hits)[i].page_id)) << q;
      EXPECT_EQ((*hits)[i].document_id,
                pages_[(*hits)[i].page_id - 1].row.document_id);
      if (i > 0) {
        EXPECT_GE((*hits)[i - 1].score, (*hits)[i].score) << q;
      }
    }
    auto top = index_->Search(q, {}, 5);
    ASSERT_TRUE(top);
    ASSERT_EQ(top->size(), std::min<size_t>(5, expected));
    for (size_t i = 0; i < top->size(); ++i) {
      EXPECT_EQ((*top)[i].page_id, (*hits)[i].page_id) << q;
    }
  }
}

// A phrase whose words are on most pages takes the newest-first plan
// (search.h); the hits are the same: the newest matches of the phrase,
// not of its words.
TEST(PostgresSearchPlan, ACommonPhraseGivesTheNewestPhraseMatches) {
  auto created = PgTestDatabase::Create();
  ASSERT_TRUE(created) << created.error().message;
  auto catalog = PgCatalog::Open((*created)->url());
  ASSERT_TRUE(catalog) << catalog.error().message;
  PgSearchIndex index(**catalog);
  constexpr int kPages = 3000;
  std::vector<PgPageText> rows;
  std::vector<std::int64_t> phrase_pages;
  for (int p = 1; p <= kPages; ++p) {
    // Odd pages hold 合同 and 同书 but not the phrase 合同书.
    const bool phrase = p % 2 == 0;
    rows.push_back({p, p, 1, "contract", "filed",
                    NormalizeText(phrase ? "合同书 第" + std::to_string(p) + "页"
                                         : "同书 合同 第" + std::to_string(p) + "页")});
    if (phrase) phrase_pages.push_back(p);
  }
  ASSERT_TRUE(index.IndexPages(rows));
  ASSERT_TRUE(index.Maintain());
  auto hits = index.Search("合同书", {}, 1000);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1000u);
  std::set<std::int64_t> got;
  for (const auto& h : *hits) got.insert(h.page_id);
  const std::set<std::int64_t> newest(phrase_pages.end() - 1000, phrase_pages.end());
  EXPECT_EQ(got, newest);
  auto all = index.MatchingPages("合同书", {});
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, phrase_pages);
}

TEST_F(PostgresSearchRecall, ReindexingAndRemovingKeepTheIndexExact) {
  // Page 1 gets new text; document 2's pages leave the index.
  PgPageText changed = pages_[0].row;
  changed.text = NormalizeText("全新的文本 quarantine");
  ASSERT_TRUE(index_->IndexPages({changed}));
  auto found = index_->MatchingPages("quarantine", {});
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, std::vector<std::int64_t>{1});
  ASSERT_TRUE(index_->RemoveDocument(2));
  auto rest = index_->MatchingPages("合", {});
  ASSERT_TRUE(rest);
  for (std::int64_t id : *rest) {
    EXPECT_NE(pages_[id - 1].row.document_id, 2) << id;
    EXPECT_NE(id, 1) << "page 1 no longer holds 合";
  }
}

TEST_F(PostgresSearchRecall, BadInputIsRefusedByName) {
  auto limit = index_->Search("合同", {}, 0);
  ASSERT_FALSE(limit);
  EXPECT_EQ(limit.error().code, ErrorCode::kInvalidArgument);
  auto type = index_->MatchingPages("合同", {{}, {"poem"}, {}});
  ASSERT_FALSE(type);
  EXPECT_EQ(type.error().code, ErrorCode::kInvalidArgument);
  PgPageText bad = pages_[0].row;
  bad.page_id = 99999;
  bad.status = "lost";
  auto indexed = index_->IndexPages({bad});
  ASSERT_FALSE(indexed);
  EXPECT_NE(indexed.error().message.find("page 99999"), std::string::npos)
      << indexed.error().message;
}

}  // namespace
}  // namespace dossier::storage::postgres
