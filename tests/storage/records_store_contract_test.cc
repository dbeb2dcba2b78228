// The records store contract: every RecordsStore backend runs this suite
// (SQLite, and PostgreSQL on the test cluster: tests/support/
// pg_test_support.h, each test in its own database). It speaks
// only through the RecordsStore interface, so it tests promises, not SQL:
// codes and numbers, idempotent ingest, all-or-nothing writes, the errors
// each call gives, history, and that several stores on one archive at once
// never hand out the same code.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <thread>

#include "storage/postgres/catalog.h"
#include "storage/postgres/records.h"
#include "storage/sqlite/catalog.h"
#include "tests/storage/test_util.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier::storage::testing {
namespace {

// A backend: makes a new empty store in dir, and opens a further store on
// the same archive (another connection, as another process would).
struct Backend {
  std::string name;
  std::function<std::unique_ptr<RecordsStore>(const std::filesystem::path&)> create;
  std::function<std::unique_ptr<RecordsStore>(const std::filesystem::path&)> open;
};

// Test names end in the backend's name, not the parameter's bytes.
void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

// What a PostgreSQL store lives on: its catalog (pool) and, for the store
// that made it, the test database, dropped after the store and catalog.
struct PgHolding {
  std::shared_ptr<dossier::testing::PgTestDatabase> database;
  std::unique_ptr<postgres::PgCatalog> catalog;
};

class HeldPgRecords : private PgHolding, public postgres::PgRecords {
 public:
  explicit HeldPgRecords(PgHolding holding)
      : PgHolding(std::move(holding)), postgres::PgRecords(*catalog) {}
};

// The database's URL is kept in dir, for the further stores of open.
std::unique_ptr<RecordsStore> OpenPg(const std::filesystem::path& dir, bool create) {
  PgHolding holding;
  std::string url;
  if (create) {
    auto db = dossier::testing::PgTestDatabase::Create();
    EXPECT_TRUE(db) << db.error().message;
    if (!db) return nullptr;
    url = (*db)->url();
    std::ofstream(dir / "pg-url") << url << "\n";
    holding.database = std::move(*db);
  } else {
    std::ifstream in(dir / "pg-url");
    std::getline(in, url);
  }
  auto c = postgres::PgCatalog::Open(url);
  EXPECT_TRUE(c) << c.error().message;
  if (!c) return nullptr;
  holding.catalog = std::move(*c);
  return std::make_unique<HeldPgRecords>(std::move(holding));
}

std::vector<Backend> Backends() {
  return {{"sqlite",
           [](const std::filesystem::path& dir) -> std::unique_ptr<RecordsStore> {
             auto c = Catalog::Create(dir / "catalog.sqlite");
             EXPECT_TRUE(c) << c.error().message;
             return c ? std::move(*c) : nullptr;
           },
           [](const std::filesystem::path& dir) -> std::unique_ptr<RecordsStore> {
             auto c = Catalog::Open(dir / "catalog.sqlite");
             EXPECT_TRUE(c) << c.error().message;
             return c ? std::move(*c) : nullptr;
           }},
          {"postgresql",
           [](const std::filesystem::path& dir) { return OpenPg(dir, true); },
           [](const std::filesystem::path& dir) { return OpenPg(dir, false); }}};
}

class RecordsStoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().create(dir_.path());
    ASSERT_NE(store_, nullptr);
    auto c = store_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
    ASSERT_TRUE(c) << c.error().message;
    customer_ = c->code;
  }
  NewDocument Doc(const std::string& title, const std::string& key = "") {
    NewDocument d = MakeDocument(customer_, title, {"甲方 乙方 服务合同", "第二页 签章"});
    d.source_key = key;
    d.created_by = "scanner";
    return d;
  }
  dossier::testing::TempDir dir_;
  std::unique_ptr<RecordsStore> store_;
  std::string customer_;
};

TEST_P(RecordsStoreContract, CustomerCodesAreSequentialCheckedAndNeverReused) {
  auto b = store_->AddCustomer("北京远航科技有限公司", "company", "clerk");
  auto p = store_->AddCustomer("张三", "person", "clerk");
  ASSERT_TRUE(b && p);
  std::set<std::string> codes{customer_, b->code, p->code};
  EXPECT_EQ(codes.size(), 3u);
  EXPECT_EQ(b->code.substr(0, 3), "KH-");
  auto found = store_->FindCustomer(b->code);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "北京远航科技有限公司");
  EXPECT_EQ(store_->ListCustomers()->size(), 3u);
}

TEST_P(RecordsStoreContract, BadInputAndAbsentRecordsGiveTheirCodes) {
  EXPECT_EQ(store_->AddCustomer(" ", "company", "clerk").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->AddCustomer("X", "robot", "clerk").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->AddCustomer("X", "company", "").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->FindCustomer("KH-nonsense").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->GetDocument("D999999").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->GetPages(999999, false).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->CustomerHistory("KH-nonsense").error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(RecordsStoreContract, IngestIsIdempotentBySourceKey) {
  auto first = store_->AddDocument(Doc("服务合同", "scan-001"));
  ASSERT_TRUE(first) << first.error().message;
  auto again = store_->AddDocument(Doc("服务合同 again", "scan-001"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->display_id, first->display_id);
  EXPECT_EQ(again->title, "服务合同");
  auto found = store_->FindDocumentBySourceKey(customer_, "scan-001");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->display_id, first->display_id);
  EXPECT_EQ(store_->ListDocuments(customer_)->size(), 1u);
  EXPECT_EQ(store_->GetPages(first->id, false)->size(), 2u);
}

TEST_P(RecordsStoreContract, ARefusedDocumentLeavesNothingBehind) {
  NewDocument bad = Doc("坏的", "scan-bad");
  bad.pages[1].number = 5;  // pages must be 1..n in order
  EXPECT_EQ(store_->AddDocument(bad).error().code, ErrorCode::kInvalidArgument);
  NewDocument no_sha = Doc("坏的", "scan-bad");
  no_sha.pdf_sha256 = "abc";
  EXPECT_EQ(store_->AddDocument(no_sha).error().code, ErrorCode::kInvalidArgument);
  NewDocument nobody = Doc("坏的", "scan-bad");
  nobody.customer_code = "KH-2000-000001-X";
  EXPECT_FALSE(store_->AddDocument(nobody));
  EXPECT_TRUE(store_->ListDocuments("")->empty());
  EXPECT_FALSE(*store_->FindDocumentBySourceKey(customer_, "scan-bad"));
  SearchQuery q;
  q.text = "坏的";
  EXPECT_TRUE(store_->Search(q)->empty());
}

TEST_P(RecordsStoreContract, ChangesKeepTheirHistoryWithWhoAndWhen) {
  CustomerUpdate u;
  u.phone = "+8613800138000";
  ASSERT_TRUE(store_->UpdateCustomer(customer_, u, "clerk2"));
  u.phone = "+8613900139000";
  ASSERT_TRUE(store_->UpdateCustomer(customer_, u, "clerk3"));
  auto h = store_->CustomerHistory(customer_);
  ASSERT_TRUE(h);
  std::vector<HistoryEntry> phone;
  for (const auto& e : *h) {
    if (e.field == "phone") phone.push_back(e);
  }
  ASSERT_EQ(phone.size(), 2u);
  EXPECT_EQ(phone[1].old_value.value_or(""), "+8613800138000");
  EXPECT_EQ(phone[1].new_value.value_or(""), "+8613900139000");
  EXPECT_EQ(phone[1].actor, "clerk3");
  EXPECT_FALSE(phone[1].at.empty());
}

TEST_P(RecordsStoreContract, ReviewRefusesTheScannerAndNumbersTheFiled) {
  auto d = store_->AddDocument(Doc("服务合同", "k1"));
  ASSERT_TRUE(d);
  auto own = store_->ApproveDocument(d->display_id, "scanner");
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->GetDocument(d->display_id)->status, "pending");
  auto filed = store_->ApproveDocument(d->display_id, "reviewer");
  ASSERT_TRUE(filed) << filed.error().message;
  EXPECT_EQ(filed->status, "filed");
  EXPECT_EQ(filed->archive_number.substr(0, 3), "DA-");
  EXPECT_EQ(store_->ApproveDocument(d->display_id, "reviewer").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(store_->SetDocumentField(d->display_id, "amount", "1", "reviewer")
                .error()
                .code,
            ErrorCode::kConflict);
  auto e = store_->AddDocument(Doc("另一份", "k2"));
  ASSERT_TRUE(e);
  EXPECT_FALSE(store_->RejectDocument(e->display_id, "", "reviewer"));
  EXPECT_TRUE(store_->RejectDocument(e->display_id, "看不清", "reviewer"));
}

TEST_P(RecordsStoreContract, GroupsRefuseCycles) {
  auto child = store_->AddCustomer("子公司", "company", "clerk");
  ASSERT_TRUE(child);
  ASSERT_TRUE(store_->LinkCustomer(child->code, customer_, "clerk"));
  EXPECT_EQ(store_->LinkCustomer(customer_, child->code, "clerk").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(store_->GroupMembers(customer_)->size(), 2u);
}

TEST_P(RecordsStoreContract, SettingsRoundTripAndRefuseInvalidJson) {
  EXPECT_FALSE(*store_->GetSetting("lending"));
  ASSERT_TRUE(store_->PutSetting("lending", R"({"approvers":["a"]})", "admin"));
  EXPECT_EQ(store_->GetSetting("lending")->value_or(""), R"({"approvers":["a"]})");
  EXPECT_EQ(store_->PutSetting("lending", "{not json", "admin").error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(store_->SetZone("Asia/Shanghai", "admin"));
  EXPECT_EQ(store_->Zone().name(), "Asia/Shanghai");
  EXPECT_FALSE(store_->SetZone("Nowhere/Land", "admin"));
}

TEST_P(RecordsStoreContract, SearchFindsShortChineseTermsAndHonoursFilters) {
  ASSERT_TRUE(store_->AddDocument(Doc("服务合同", "k1")));
  SearchQuery q;
  q.text = "甲";
  auto hits = store_->Search(q);
  ASSERT_TRUE(hits) << hits.error().message;
  EXPECT_EQ(hits->size(), 1u);
  q.text = "甲方 -乙方";
  EXPECT_TRUE(store_->Search(q)->empty());
  q.text = "签章";
  q.statuses = {"filed"};
  EXPECT_TRUE(store_->Search(q)->empty());
  q.text = "";
  EXPECT_EQ(store_->Search(q).error().code, ErrorCode::kInvalidArgument);
  // A filter by a name not in the vocabulary is an error, not "no hits".
  q.text = "签章";
  q.statuses = {"archived"};
  EXPECT_EQ(store_->Search(q).error().code, ErrorCode::kInvalidArgument);
  q.statuses = {"pending"};
  EXPECT_EQ(store_->Search(q)->size(), 1u);
  q.types = {"contracts"};
  EXPECT_EQ(store_->Search(q).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->ListDocumentsByStatus("Pending").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->ListDocumentsByStatus("pending")->size(), 1u);
}

TEST_P(RecordsStoreContract, SeveralStoresAtOnceNeverShareACode) {
  constexpr int kThreads = 4, kEach = 15;
  std::vector<std::vector<std::string>> codes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto store = GetParam().open(dir_.path());
      for (int i = 0; i < kEach; ++i) {
        auto c = store->AddCustomer("客户" + std::to_string(t * 100 + i),
                                    "company", "clerk");
        if (c) codes[t].push_back(c->code);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all{customer_};
  size_t made = 1;
  for (const auto& list : codes) {
    EXPECT_EQ(list.size(), static_cast<size_t>(kEach));
    made += list.size();
    all.insert(list.begin(), list.end());
  }
  EXPECT_EQ(all.size(), made);
  EXPECT_EQ(store_->ListCustomers()->size(), made);
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordsStoreContract,
                         ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace dossier::storage::testing
