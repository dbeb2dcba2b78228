// Search behaviour end to end through Catalog::Search.
#include <algorithm>

#include "gtest/gtest.h"
#include "storage/sqlite/catalog.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

using testing::MakeDocument;

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = Catalog::Create(dir_.path() / "catalog.sqlite");
    ASSERT_TRUE(catalog) << catalog.error().message;
    catalog_ = std::move(*catalog);
    a_ = catalog_->AddCustomer("甲公司", "company", "clerk").value();
    b_ = catalog_->AddCustomer("乙公司", "company", "clerk").value();
    // Customer A, document 1: a contract of two pages.
    ASSERT_TRUE(catalog_->AddDocument(
        MakeDocument(a_.code, "租赁合同",
                     {"本合同由甲方与乙方签订。Payment is due monthly.",
                      "附件一 价格表 Price list for the lease"})));
    // Customer B, document 2: one page, the same words in another context.
    ASSERT_TRUE(catalog_->AddDocument(MakeDocument(
        b_.code, "借款合同", {"借款合同 第三条 还款方式 PAYMENT schedule"})));
    // Customer B, document 3: ranking pages; same length, 3 hits vs 1.
    ASSERT_TRUE(catalog_->AddDocument(
        MakeDocument(b_.code, "发票",
                     {"发票号码一二三 开具日期 金额 备注 说明 发票 附言",
                      "发票一张 开具日期 金额 备注 说明 收据 附言 其他"})));
    ASSERT_TRUE(catalog_->AddDocument(
        MakeDocument(b_.code, "发票二",
                     {"收据 发票 发票 发票 金额 备注 说明 附言 其他 备用"})));
  }

  std::vector<SearchHit> Search(const std::string& text,
                                const std::string& customer = "") {
    auto hits = catalog_->Search(SearchQuery{text, customer, 20});
    EXPECT_TRUE(hits) << text << ": " << hits.error().message;
    return hits.value_or(std::vector<SearchHit>{});
  }

  dossier::testing::TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
  Customer a_;
  Customer b_;
};

TEST_F(SearchTest, FindsOneChineseCharacter) {
  auto hits = Search("甲");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].display_id, "D000001");
  EXPECT_EQ(hits[0].page_number, 1);
  EXPECT_EQ(hits[0].customer_code, a_.code);
  EXPECT_EQ(hits[0].title, "租赁合同");
  EXPECT_EQ(hits[0].type, "contract");
}

TEST_F(SearchTest, FindsTwoChineseCharacters) {
  auto hits = Search("合同");
  ASSERT_EQ(hits.size(), 2u);
  std::vector<std::string> ids = {hits[0].display_id, hits[1].display_id};
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"D000001", "D000002"}));

  auto price = Search("价格");
  ASSERT_EQ(price.size(), 1u);
  EXPECT_EQ(price[0].page_number, 2);
}

TEST_F(SearchTest, FindsEnglishCaseInsensitively) {
  for (const char* query :
       {"payment", "PAYMENT", "Payment", "ｐａｙｍｅｎｔ"}) {
    auto hits = Search(query);
    EXPECT_EQ(hits.size(), 2u) << query;
  }
  EXPECT_EQ(Search("LEASE").size(), 1u);
}

TEST_F(SearchTest, AbsentTermsFindNothing) {
  EXPECT_TRUE(Search("banana").empty());
  EXPECT_TRUE(Search("猫").empty());  // a character in no page
  // 甲 and 乙 are both on page 1, but never next to each other.
  EXPECT_TRUE(Search("甲乙").empty());
  // A word is matched whole: "pay" is not "payment".
  EXPECT_TRUE(Search("pay").empty());
}

TEST_F(SearchTest, TermsAreAnded) {
  auto hits = Search("合同 payment");
  ASSERT_EQ(hits.size(), 2u);
  auto only_a = Search("合同 monthly");
  ASSERT_EQ(only_a.size(), 1u);
  EXPECT_EQ(only_a[0].display_id, "D000001");
  EXPECT_TRUE(Search("合同 banana").empty());
}

TEST_F(SearchTest, FiltersByCustomer) {
  auto hits = Search("合同", b_.code);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].display_id, "D000002");
  EXPECT_EQ(hits[0].customer_code, b_.code);
  EXPECT_TRUE(Search("甲", b_.code).empty());

  auto bad = catalog_->Search(SearchQuery{"合同", "KH-2026-000017-Q", 20});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SearchTest, SnippetMarksTheHit) {
  auto hits = Search("合同", a_.code);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].snippet.find("[合同]"), std::string::npos)
      << hits[0].snippet;
  auto english = Search("payment", a_.code);
  ASSERT_EQ(english.size(), 1u);
  // The snippet shows the page's own spelling, not the folded token.
  EXPECT_NE(english[0].snippet.find("[Payment]"), std::string::npos)
      << english[0].snippet;
}

TEST_F(SearchTest, RanksPagesWithMoreHitsFirst) {
  auto hits = Search("发票", b_.code);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].display_id, "D000004");  // three hits
  for (size_t i = 1; i < hits.size(); ++i) {
    EXPECT_GE(hits[i - 1].score, hits[i].score);
  }
  EXPECT_GT(hits[0].score, hits[2].score);
}

TEST_F(SearchTest, SnippetMarksExactlyTheCharacters) {
  // The index also holds bigrams; the marks still cover just the query.
  auto one = Search("甲", a_.code);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_NE(one[0].snippet.find("[甲]方"), std::string::npos) << one[0].snippet;
  auto three = Search("价格表");
  ASSERT_EQ(three.size(), 1u);
  EXPECT_NE(three[0].snippet.find("[价格表]"), std::string::npos)
      << three[0].snippet;
}

// More matching pages than are ranked (1000): filters still reach the
// older pages, and the largest limit returns as many hits as asked.
TEST_F(SearchTest, FiltersReachPagesBeyondTheRankedCandidates) {
  NewDocument form = MakeDocument(a_.code, "表格", {"发票 登记表"});
  form.type = "form";
  ASSERT_TRUE(catalog_->AddDocument(form));  // D000005
  std::vector<std::string> many(1100, "发票 收据 common page");
  ASSERT_TRUE(catalog_->AddDocument(MakeDocument(a_.code, "大批", many)));
  auto all = catalog_->Search(SearchQuery{"发票", "", 1000});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->size(), 1000u);
  // Customer B's pages are older than the 1100 new ones.
  EXPECT_EQ(Search("发票", b_.code).size(), 3u);
  SearchQuery forms{"发票", "", 20};
  forms.types = {"form"};
  auto hits = catalog_->Search(forms);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].display_id, "D000005");
  EXPECT_EQ(Search("发票 NOT common").size(), 4u);
}

TEST_F(SearchTest, LimitIsHonoured) {
  auto hits = catalog_->Search(SearchQuery{"发票", "", 1});
  ASSERT_TRUE(hits);
  EXPECT_EQ(hits->size(), 1u);
  EXPECT_EQ(catalog_->Search(SearchQuery{"发票", "", 0}).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(SearchTest, HostileInputNeverBreaksTheQuery) {
  for (const char* query :
       {"\"; DROP TABLE x; --", "AND OR NOT", "*", "(", "NEAR(", "\"", "合同\"",
        "text:合同", "^payment", "payment*", "NOT 合同", "'", "合同 OR 1=1",
        "{text}: x", "\\", "%_"}) {
    auto hits = catalog_->Search(SearchQuery{query, "", 20});
    if (!hits) {
      EXPECT_EQ(hits.error().code, ErrorCode::kInvalidArgument)
          << query << ": " << hits.error().message;
    }
  }
  // Words in hostile input are still searched as words; an unclosed quote
  // or a NOT with nothing to exclude from is a syntax error.
  EXPECT_TRUE(Search("\"; DROP TABLE x; --\"").empty());
  EXPECT_FALSE(catalog_->Search(SearchQuery{"合同\"", "", 20}));
  EXPECT_FALSE(catalog_->Search(SearchQuery{"NOT 合同", "", 20}));
  EXPECT_EQ(Search("not 合同").size(), 0u);  // lower-case "not" is a word
  // The tables are still there.
  EXPECT_EQ(Search("合同").size(), 2u);
}

TEST_F(SearchTest, EmptyQueriesAreInvalid) {
  for (const char* query : {"", "   ", "!!!", "。，"}) {
    auto hits = catalog_->Search(SearchQuery{query, "", 20});
    ASSERT_FALSE(hits) << query;
    EXPECT_EQ(hits.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST_F(SearchTest, SearchWorksAfterReopening) {
  // The tokenizer must be registered on the new connection too.
  catalog_.reset();
  auto reopened = Catalog::Open(dir_.path() / "catalog.sqlite");
  ASSERT_TRUE(reopened);
  auto hits = (*reopened)->Search(SearchQuery{"甲", "", 20});
  ASSERT_TRUE(hits) << hits.error().message;
  EXPECT_EQ(hits->size(), 1u);
}

}  // namespace
}  // namespace dossier::storage
