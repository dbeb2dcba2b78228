#include "storage/sqlite/catalog.h"

#include <ctime>
#include <set>
#include <thread>

#include "gtest/gtest.h"
#include "records/coding_rule.h"
#include "tests/storage/test_util.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

using testing::MakeDocument;
using testing::MakePage;
using testing::RawDb;
using records::FormatCustomerCode;
using records::ValidateCustomerCode;

int CurrentUtcYear() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() / "catalog.sqlite";
    auto catalog = Catalog::Create(path_);
    ASSERT_TRUE(catalog) << catalog.error().message;
    catalog_ = std::move(*catalog);
  }

  Customer AddCustomer(const std::string& name) {
    auto customer = catalog_->AddCustomer(name, "company", "clerk");
    EXPECT_TRUE(customer) << customer.error().message;
    return customer.value_or(Customer{});
  }

  dossier::testing::TempDir dir_;
  std::filesystem::path path_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, CreateRefusesAnExistingFileAndOpenAMissingOne) {
  auto again = Catalog::Create(path_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto missing = Catalog::Open(dir_.path() / "nope.sqlite");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(CatalogTest, ConnectionSettings) {
  RawDb raw(path_);
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), "wal");
}

TEST_F(CatalogTest, CodesIncrementAndFollowTheRule) {
  const int year = CurrentUtcYear();
  for (int seq = 1; seq <= 3; ++seq) {
    Customer c = AddCustomer("Firm " + std::to_string(seq));
    EXPECT_EQ(c.code, FormatCustomerCode("KH", year, seq));
    EXPECT_TRUE(ValidateCustomerCode(c.code)) << c.code;
  }
}

TEST_F(CatalogTest, CodesAreNeverReused) {
  Customer first = AddCustomer("First");
  Customer second = AddCustomer("Second");
  // Even if the newest customer row disappeared, its code stays used.
  RawDb raw(path_);
  ASSERT_EQ(
      raw.Exec("DELETE FROM customers WHERE id = " + std::to_string(second.id)),
      RawDb::kOk);
  Customer third = AddCustomer("Third");
  EXPECT_NE(third.code, second.code);
  EXPECT_NE(third.code, first.code);
  EXPECT_EQ(third.code, FormatCustomerCode("KH", CurrentUtcYear(), 3));
  // And the sequence itself refuses to go back.
  EXPECT_NE(raw.Exec("UPDATE code_sequence SET last_sequence = 1"), RawDb::kOk);
  EXPECT_NE(raw.Exec("DELETE FROM code_sequence"), RawDb::kOk);
}

TEST_F(CatalogTest, CustomerRoundTripAndHistory) {
  auto added =
      catalog_->AddCustomer("  北京星河科技有限公司 ", "company", "王芳");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->name, "北京星河科技有限公司");
  EXPECT_EQ(added->created_by, "王芳");
  EXPECT_EQ(added->created_at.size(), 20u);  // 2026-03-01T09:30:00Z
  EXPECT_EQ(added->created_at.back(), 'Z');

  auto found = catalog_->FindCustomer(added->code);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->id, added->id);
  EXPECT_EQ(found->code, added->code);
  EXPECT_EQ(found->name, added->name);
  EXPECT_EQ(found->kind, "company");
  EXPECT_EQ(found->created_at, added->created_at);
  EXPECT_EQ(found->created_by, "王芳");

  std::string lower = added->code;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  auto by_lower = catalog_->FindCustomer(lower);
  ASSERT_TRUE(by_lower);
  EXPECT_EQ(by_lower->id, added->id);

  RawDb raw(path_);
  EXPECT_EQ(raw.Query("SELECT count(*) FROM history WHERE table_name = "
                      "'customers' AND record_id = " +
                      std::to_string(added->id)),
            "3");
  EXPECT_EQ(raw.Query("SELECT new_value FROM history WHERE field = 'name'"),
            "北京星河科技有限公司");
  EXPECT_EQ(raw.Query("SELECT actor FROM history WHERE field = 'code'"),
            "王芳");

  auto all = catalog_->ListCustomers();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().code, added->code);
}

TEST_F(CatalogTest, FindCustomerErrors) {
  auto bad = catalog_->FindCustomer("KH-2026-000017-Q");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  auto absent = catalog_->FindCustomer("KH-2026-000017-K");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, ErrorCode::kNotFound);
  EXPECT_NE(absent.error().message.find("KH-2026-000017-K"), std::string::npos);
}

TEST_F(CatalogTest, AddCustomerRejectsBadInput) {
  auto kind = catalog_->AddCustomer("X", "alien", "clerk");
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().code, ErrorCode::kInvalidArgument);
  auto name = catalog_->AddCustomer("   ", "person", "clerk");
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().code, ErrorCode::kInvalidArgument);
  auto actor = catalog_->AddCustomer("X", "person", "");
  ASSERT_FALSE(actor);
  EXPECT_EQ(actor.error().code, ErrorCode::kInvalidArgument);
  // Failed attempts use no sequence numbers.
  EXPECT_EQ(AddCustomer("Y").code,
            FormatCustomerCode("KH", CurrentUtcYear(), 1));
}

TEST_F(CatalogTest, DocumentRoundTripWithPagesAndWords) {
  Customer customer = AddCustomer("Firm");
  NewDocument doc = MakeDocument(customer.code, "Lease 2026",
                                 {"本合同由甲方签订", "Page two text"});
  doc.source_key = "sha:1234";
  doc.pages[0].confidence = 80.f;
  doc.pages[1].confidence = 90.f;
  doc.pages[1].rotation = 90;
  doc.pages[1].skew = -1.25;
  doc.pages[1].dpi = 200.0;
  doc.pages[0].words = {
      OcrWord{"本合同", Box{10, 20, 300, 40}, 58, 91.5f, 0},
      OcrWord{"甲方", Box{320, 20, 200, 40}, 58, 88.25f, 0},
  };
  doc.warnings = {Warning{"low-confidence", "scan.tif page 1: 80"}};

  auto added = catalog_->AddDocument(doc);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->display_id, "D000001");
  EXPECT_EQ(added->customer_code, customer.code);
  EXPECT_EQ(added->customer_name, "Firm");
  EXPECT_EQ(added->type, "contract");
  EXPECT_EQ(added->title, "Lease 2026");
  EXPECT_EQ(added->status, "pending");
  EXPECT_EQ(added->pdf_sha256, doc.pdf_sha256);
  EXPECT_EQ(added->pdf_size, 1234);
  EXPECT_EQ(added->page_count, 2);
  EXPECT_FLOAT_EQ(added->mean_confidence, 85.f);
  EXPECT_EQ(added->source_key, "sha:1234");
  EXPECT_EQ(added->created_by, "tester");
  ASSERT_EQ(added->warnings.size(), 1u);
  EXPECT_EQ(added->warnings[0].code, "low-confidence");
  EXPECT_EQ(added->warnings[0].message, "scan.tif page 1: 80");

  for (const char* id : {"D000001", "d1", "1", "D1"}) {
    auto got = catalog_->GetDocument(id);
    ASSERT_TRUE(got) << id;
    EXPECT_EQ(got->id, added->id);
    EXPECT_EQ(got->title, "Lease 2026");
  }

  auto pages = catalog_->GetPages(added->id, true);
  ASSERT_TRUE(pages) << pages.error().message;
  ASSERT_EQ(pages->size(), 2u);
  const PageRecord& p1 = (*pages)[0];
  EXPECT_EQ(p1.number, 1);
  EXPECT_EQ(p1.text, "本合同由甲方签订");
  EXPECT_EQ(p1.source_file, "scan.tif");
  EXPECT_EQ(p1.width, 2480);
  ASSERT_EQ(p1.words.size(), 2u);
  EXPECT_EQ(p1.words[1].text, "甲方");
  EXPECT_EQ(p1.words[1].box.x, 320);
  EXPECT_EQ(p1.words[1].box.width, 200);
  EXPECT_EQ(p1.words[1].baseline, 58);
  EXPECT_FLOAT_EQ(p1.words[1].confidence, 88.25f);
  const PageRecord& p2 = (*pages)[1];
  EXPECT_EQ(p2.number, 2);
  EXPECT_EQ(p2.source_index, 1);
  EXPECT_EQ(p2.rotation, 90);
  EXPECT_DOUBLE_EQ(p2.skew, -1.25);
  EXPECT_DOUBLE_EQ(p2.dpi, 200.0);
  EXPECT_TRUE(p2.words.empty());

  auto no_words = catalog_->GetPages(added->id, false);
  ASSERT_TRUE(no_words);
  EXPECT_TRUE((*no_words)[0].words.empty());
  EXPECT_EQ((*no_words)[0].text, "本合同由甲方签订");

  RawDb raw(path_);
  EXPECT_EQ(raw.Query("SELECT count(*) FROM history WHERE table_name = "
                      "'documents'"),
            "6");
}

TEST_F(CatalogTest, GetDocumentErrors) {
  for (const char* id : {"", "D", "X12", "12a", "-3", "0", "D-1"}) {
    auto got = catalog_->GetDocument(id);
    ASSERT_FALSE(got) << id;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument) << id;
  }
  auto absent = catalog_->GetDocument("D000999");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, ErrorCode::kNotFound);
  EXPECT_NE(absent.error().message.find("D000999"), std::string::npos);
  EXPECT_EQ(catalog_->GetPages(999, false).error().code, ErrorCode::kNotFound);
}

TEST_F(CatalogTest, IngestIsIdempotentBySourceKey) {
  Customer customer = AddCustomer("Firm");
  NewDocument doc = MakeDocument(customer.code, "Scan", {"text"});
  doc.source_key = "inbox/scan-001.tif";

  auto none = catalog_->FindDocumentBySourceKey(customer.code, doc.source_key);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  auto first = catalog_->AddDocument(doc);
  ASSERT_TRUE(first);
  auto found = catalog_->FindDocumentBySourceKey(customer.code, doc.source_key);
  ASSERT_TRUE(found);
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->id, first->id);

  auto second = catalog_->AddDocument(doc);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, first->id);
  auto all = catalog_->ListDocuments("");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(CatalogTest, AddDocumentRejectsBadInputAndWritesNothing) {
  Customer customer = AddCustomer("Firm");
  NewDocument bad_type = MakeDocument(customer.code, "T", {"x"});
  bad_type.type = "poem";
  EXPECT_EQ(catalog_->AddDocument(bad_type).error().code,
            ErrorCode::kInvalidArgument);
  NewDocument bad_hash = MakeDocument(customer.code, "T", {"x"});
  bad_hash.pdf_sha256 = "ABC";
  EXPECT_EQ(catalog_->AddDocument(bad_hash).error().code,
            ErrorCode::kInvalidArgument);
  NewDocument bad_numbers = MakeDocument(customer.code, "T", {"x", "y"});
  bad_numbers.pages[1].number = 5;
  EXPECT_EQ(catalog_->AddDocument(bad_numbers).error().code,
            ErrorCode::kInvalidArgument);
  NewDocument no_pages = MakeDocument(customer.code, "T", {});
  EXPECT_EQ(catalog_->AddDocument(no_pages).error().code,
            ErrorCode::kInvalidArgument);
  NewDocument unknown = MakeDocument("KH-2026-000017-K", "T", {"x"});
  EXPECT_EQ(catalog_->AddDocument(unknown).error().code, ErrorCode::kNotFound);

  RawDb raw(path_);
  EXPECT_EQ(raw.Query("SELECT count(*) FROM documents"), "0");
  EXPECT_EQ(raw.Query("SELECT count(*) FROM pages"), "0");
}

TEST_F(CatalogTest, FailedTransactionLeavesNoRows) {
  Customer customer = AddCustomer("Firm");
  // A trigger makes the second page's insert fail after the document and
  // the first page went in: the whole AddDocument must roll back.
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.Exec("CREATE TRIGGER fail_page BEFORE INSERT ON pages "
                       "WHEN NEW.number = 2 BEGIN "
                       "SELECT RAISE(ABORT, 'injected failure'); END;"),
              RawDb::kOk);
  }
  auto result =
      catalog_->AddDocument(MakeDocument(customer.code, "T", {"a", "b"}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kCatalog);
  EXPECT_NE(result.error().message.find("injected failure"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find(path_.string()), std::string::npos);
  RawDb raw(path_);
  EXPECT_EQ(raw.Query("SELECT count(*) FROM documents"), "0");
  EXPECT_EQ(raw.Query("SELECT count(*) FROM pages"), "0");
  EXPECT_EQ(raw.Query("SELECT count(*) FROM words"), "0");
  EXPECT_EQ(raw.Query("SELECT count(*) FROM history WHERE table_name = "
                      "'documents'"),
            "0");
}

TEST_F(CatalogTest, ListDocumentsFiltersByCustomer) {
  Customer a = AddCustomer("A");
  Customer b = AddCustomer("B");
  ASSERT_TRUE(catalog_->AddDocument(MakeDocument(a.code, "a1", {"x"})));
  ASSERT_TRUE(catalog_->AddDocument(MakeDocument(b.code, "b1", {"x"})));
  ASSERT_TRUE(catalog_->AddDocument(MakeDocument(a.code, "a2", {"x"})));
  auto of_a = catalog_->ListDocuments(a.code);
  ASSERT_TRUE(of_a);
  ASSERT_EQ(of_a->size(), 2u);
  EXPECT_EQ((*of_a)[0].title, "a1");
  EXPECT_EQ((*of_a)[1].title, "a2");
  EXPECT_EQ(catalog_->ListDocuments("").value().size(), 3u);
  EXPECT_EQ(catalog_->ListDocuments("KH-2026-000017-K").error().code,
            ErrorCode::kNotFound);
}

TEST_F(CatalogTest, TwoCatalogsOnOneFileBothWrite) {
  auto other = Catalog::Open(path_);
  ASSERT_TRUE(other) << other.error().message;
  auto a = catalog_->AddCustomer("From one", "person", "one");
  auto b = (*other)->AddCustomer("From two", "person", "two");
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_NE(a->code, b->code);
  ASSERT_TRUE(catalog_->AddDocument(MakeDocument(b->code, "d", {"x"})));
  EXPECT_EQ((*other)->ListDocuments("").value().size(), 1u);
  EXPECT_EQ(catalog_->ListCustomers().value().size(), 2u);
}

TEST_F(CatalogTest, ConcurrentWritersWaitInsteadOfFailing) {
  constexpr int kPerThread = 25;
  std::vector<std::string> codes[2];
  std::vector<std::string> errors[2];
  auto work = [&](int t) {
    auto catalog = Catalog::Open(path_);
    if (!catalog) {
      errors[t].push_back(catalog.error().message);
      return;
    }
    for (int i = 0; i < kPerThread; ++i) {
      auto c = (*catalog)->AddCustomer("c", "person", "t");
      if (c) {
        codes[t].push_back(c->code);
      } else {
        errors[t].push_back(c.error().message);
      }
    }
  };
  std::thread t0(work, 0);
  std::thread t1(work, 1);
  t0.join();
  t1.join();
  EXPECT_TRUE(errors[0].empty()) << errors[0].front();
  EXPECT_TRUE(errors[1].empty()) << errors[1].front();
  std::set<std::string> unique(codes[0].begin(), codes[0].end());
  unique.insert(codes[1].begin(), codes[1].end());
  EXPECT_EQ(unique.size(), 2u * kPerThread);
}

}  // namespace
}  // namespace dossier::storage

namespace dossier::storage {
namespace {

TEST(CatalogSettings, RoundTripAndHistory) {
  dossier::testing::TempDir dir;
  auto catalog = Catalog::Create(dir.path() / "c.sqlite");
  ASSERT_TRUE(catalog);
  auto none = (*catalog)->GetSetting("scan-profiles");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE((*catalog)->PutSetting("scan-profiles", R"({"a":1})", "admin"));
  ASSERT_TRUE((*catalog)->PutSetting("scan-profiles", R"({"a":2})", "admin"));
  auto got = (*catalog)->GetSetting("scan-profiles");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ(**got, R"({"a":2})");
  auto bad = (*catalog)->PutSetting("x", "{not json", "admin");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  RawDb raw(dir.path() / "c.sqlite");
  EXPECT_EQ(raw.Query("SELECT old_value FROM history WHERE table_name = 'settings' "
                      "AND old_value IS NOT NULL"),
            R"({"a":1})");
}

}  // namespace
}  // namespace dossier::storage
