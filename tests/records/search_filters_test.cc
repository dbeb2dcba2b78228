// Search syntax against real index rows: NOT with Chinese terms, OR,
// phrases, and the filters.
#include <gtest/gtest.h>

#include <set>

#include "storage/sqlite/catalog.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

using testing::MakeDocument;

class SearchFiltersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = std::move(*Catalog::Create(dir_.path() / "catalog.sqlite"));
    parent_ = catalog_->AddCustomer("集团", "company", "clerk").value();
    child_ = catalog_->AddCustomer("子公司", "company", "clerk").value();
    other_ = catalog_->AddCustomer("其他", "company", "clerk").value();
    ASSERT_TRUE(catalog_->LinkCustomer(child_.code, parent_.code, "clerk"));
    Add(parent_.code, "contract", "甲方 本合同 service agreement", "2024-03-05");
    Add(child_.code, "contract", "甲方 合 同 分开 agreement service", "2024-06-01");
    Add(child_.code, "form", "甲方 登记表 合作", "");
    Add(other_.code, "contract", "乙方 合同书 甲方", "2025-01-01");
  }

  void Add(const std::string& code, const std::string& type,
           const std::string& text, const std::string& signing_date) {
    NewDocument doc = MakeDocument(code, text, {text});
    doc.type = type;
    if (!signing_date.empty()) {
      DocumentField f;
      f.name = "signing_date";
      f.value = signing_date;
      doc.fields.push_back(f);
    }
    ASSERT_TRUE(catalog_->AddDocument(doc));
  }

  std::set<std::string> Ids(SearchQuery q) {
    auto hits = catalog_->Search(q);
    EXPECT_TRUE(hits) << q.text << ": " << hits.error().message;
    std::set<std::string> ids;
    for (const auto& h : hits.value_or(std::vector<SearchHit>{})) {
      ids.insert(h.display_id);
    }
    return ids;
  }
  std::set<std::string> Ids(const std::string& text) {
    return Ids(SearchQuery{text, "", 50});
  }

  dossier::testing::TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
  Customer parent_, child_, other_;
};

TEST_F(SearchFiltersTest, NotCannotBeBypassedForChineseTerms) {
  // 合同 appears in D1 and D4 (合同书); D2 has 合 and 同 apart (NormalizeText
  // joins "合 同" into 合同, as OCR spaces mean nothing in Chinese).
  EXPECT_EQ(Ids("合同"), (std::set<std::string>{"D000001", "D000002", "D000004"}));
  EXPECT_EQ(Ids("甲方 NOT 合同"), (std::set<std::string>{"D000003"}));
  EXPECT_EQ(Ids("甲方 -合同"), (std::set<std::string>{"D000003"}));
  EXPECT_EQ(Ids("甲方 NOT 合"), (std::set<std::string>{}));
  EXPECT_EQ(Ids("甲方 NOT 合同书"),
            (std::set<std::string>{"D000001", "D000002", "D000003"}));
}

TEST_F(SearchFiltersTest, OrPhrasesAndParentheses) {
  EXPECT_EQ(Ids("登记表 OR 合同书"), (std::set<std::string>{"D000003", "D000004"}));
  EXPECT_EQ(Ids("\"service agreement\""), (std::set<std::string>{"D000001"}));
  EXPECT_EQ(Ids("service agreement"), (std::set<std::string>{"D000001", "D000002"}));
  EXPECT_EQ(Ids("(登记表 OR 合同书) 乙方"), (std::set<std::string>{"D000004"}));
}

TEST_F(SearchFiltersTest, CustomerWithGroupTypeStatusAndDates) {
  SearchQuery q{"甲方", parent_.code, 50};
  EXPECT_EQ(Ids(q), (std::set<std::string>{"D000001"}));
  q.include_group = true;
  EXPECT_EQ(Ids(q), (std::set<std::string>{"D000001", "D000002", "D000003"}));
  q.types = {"form"};
  EXPECT_EQ(Ids(q), (std::set<std::string>{"D000003"}));
  SearchQuery s{"甲方", "", 50};
  s.statuses = {"filed"};
  EXPECT_TRUE(Ids(s).empty());
  s.statuses = {"pending"};
  EXPECT_EQ(Ids(s).size(), 4u);
  SearchQuery d{"甲方", "", 50};
  d.date_field = "signing_date";
  d.date_from = "2024-01-01";
  d.date_to = "2024-12-31";
  EXPECT_EQ(Ids(d), (std::set<std::string>{"D000001", "D000002"}));
  d.date_field = "";
  d.date_from = "2000-01-01";
  d.date_to = "";
  EXPECT_EQ(Ids(d).size(), 4u);  // scan date is today
  d.date_from = "2024/01/01";
  EXPECT_EQ(catalog_->Search(d).error().code, ErrorCode::kInvalidArgument);
  SearchQuery f{"甲方", "", 50};
  f.field_equals = {{"signing_date", "2025-01-01"}};
  EXPECT_EQ(Ids(f), (std::set<std::string>{"D000004"}));
}

TEST_F(SearchFiltersTest, AccessScopeLimitsEveryQuery) {
  SearchQuery q{"甲方 OR 乙方", "", 50};
  q.access.customer_codes = std::vector<std::string>{child_.code};
  EXPECT_EQ(Ids(q), (std::set<std::string>{"D000002", "D000003"}));
  q.text = "(甲方) OR (乙方 NOT 不存在)";
  EXPECT_EQ(Ids(q), (std::set<std::string>{"D000002", "D000003"}));
}

TEST_F(SearchFiltersTest, HitsCarryPageStatusAndMarkedSnippet) {
  auto hits = catalog_->Search(SearchQuery{"合同书", "", 5}).value();
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].page_number, 1);
  EXPECT_EQ(hits[0].status, "pending");
  EXPECT_NE(hits[0].snippet.find("[合同书]"), std::string::npos) << hits[0].snippet;
}

}  // namespace
}  // namespace dossier::storage
