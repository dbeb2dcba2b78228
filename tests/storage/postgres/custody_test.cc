// The PostgreSQL custody store beyond the contract suite
// (tests/custody/custody_store_contract_test.cc runs the shared promises
// on both backends): a catalog of version 3 upgraded with its records,
// stations moving and registering at once, and what the store answers when
// its server goes away.
#include "storage/postgres/custody.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/postgres/catalog.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records.h"
#include "storage/postgres/schema.h"
#include "tests/storage/test_util.h"
#include "tests/storage/postgres/two_stations.h"
#include "tests/support/pg_test_support.h"

namespace dossier::storage::postgres {
namespace {

using dossier::storage::testing::MakeDocument;

// Two stations on one database: each its own catalog (pool) and stores.
class PostgresCustody : public PgTwoStationsTest {
 protected:
  void OpenStations() {
    ASSERT_NO_FATAL_FAILURE(OpenCatalogs());
    records_ = std::make_unique<PgRecords>(*catalog_a_);
    a_ = std::make_unique<PgCustody>(*catalog_a_);
    b_ = std::make_unique<PgCustody>(*catalog_b_);
  }
  // A customer with `documents` documents, a room A and cabinet A-01 of
  // 1 shelf with 3 boxes of 2 originals each.
  void Fill(int documents) {
    auto c = records_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
    ASSERT_TRUE(c) << c.error().message;
    for (int i = 0; i < documents; ++i) {
      auto d = records_->AddDocument(MakeDocument(
          c->code, "服务合同 " + std::to_string(i), {"甲方", "乙方"}));
      ASSERT_TRUE(d) << d.error().message;
      docs_.push_back(d->display_id);
    }
    ASSERT_TRUE(a_->AddLocation({"A", "room", "", "档案室", 0, ""}, "clerk"));
    ASSERT_TRUE(a_->AddCabinet({"A-01", "A", 1, 3, 2, ""}, "clerk"));
  }
  std::string Register(const std::string& item, const std::string& at) {
    auto o = a_->RegisterOriginal({item, at, -1, "clerk"});
    EXPECT_TRUE(o) << o.error().message;
    return o ? o->barcode : "";
  }
  int Moves(const std::string& barcode) {
    auto where = a_->Where(barcode);
    EXPECT_TRUE(where) << where.error().message;
    int n = 0;
    if (where) {
      for (const CustodyEvent& e : (*where)[0].history) n += e.event == "move";
    }
    return n;
  }
  std::unique_ptr<PgRecords> records_;
  std::unique_ptr<PgCustody> a_, b_;
  std::vector<std::string> docs_;
};

// A catalog made before custody (version 3) with a customer and a
// document: opening it adds custody's tables, and the document gets an
// original.
TEST_F(PostgresCustody, ACatalogOfVersion3IsUpgradedWithItsRecords) {
  {
    auto db = Database::Connect(database_->url(), PoolOptions{});
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(Migrate(**db, 3));
    auto version = ReadSchemaVersion(**db);
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, 3);
    auto filled = (*db)->Transact("filling version 3", [](Tx& tx) -> Status {
      tx.Run(
          "INSERT INTO customers (code, year, sequence, name, kind, "
          "created_at, "
          "created_by) VALUES ('KH-2026-000001-0', 2026, 1, '旧客户', "
          "'company', "
          "'2026-01-05T08:00:00Z', 'clerk')");
      tx.Run(
          "INSERT INTO documents (customer_id, type, title, status, "
          "pdf_sha256, "
          "pdf_size, page_count, mean_confidence, created_at, created_by) "
          "SELECT id, 'contract', '旧合同', 'pending', repeat('a', 64), 10, 4, "
          "90, "
          "'2026-01-05T08:00:00Z', 'scanner' FROM customers");
      return Ok();
    });
    ASSERT_TRUE(filled) << filled.error().message;
  }
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  EXPECT_EQ(catalog_a_->SchemaVersion().value_or(-1), LatestPgSchemaVersion());
  EXPECT_GE(LatestPgSchemaVersion(), 4);
  auto document = records_->ListDocuments("");
  ASSERT_TRUE(document) << document.error().message;
  ASSERT_EQ(document->size(), 1u);
  ASSERT_TRUE(a_->AddLocation({"A", "room", "", "档案室", 0, ""}, "clerk"));
  auto original =
      a_->RegisterOriginal({(*document)[0].display_id, "A", -1, "clerk"});
  ASSERT_TRUE(original) << original.error().message;
  EXPECT_EQ(original->barcode, OriginalBarcode(1));
  EXPECT_EQ(original->page_count, 4);
  EXPECT_EQ(original->customer_code, "KH-2026-000001-0");
  EXPECT_EQ(original->title, "旧合同");
  auto where = b_->Where("KH-2026-000001-0");
  ASSERT_TRUE(where) << where.error().message;
  EXPECT_EQ(where->size(), 1u);
}

// Both stations move one original, each with another, into a box with
// room for two: they run as one after the other, so the first moves both
// and the second finds the box full and moves nothing.
TEST_F(PostgresCustody,
       TwoStationsMovingOneOriginalAtOnceOneWinsTheOtherIsRefused) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Fill(3);
  const std::string shared = Register(docs_[0], "A-01-1-002");
  const std::string mine = Register(docs_[1], "A-01-1-002");
  const std::string theirs = Register(docs_[2], "A-01-1-003");
  Result<MoveOutcome> first = MakeError(ErrorCode::kInternal, "not run");
  Result<MoveOutcome> second = MakeError(ErrorCode::kInternal, "not run");
  std::atomic<bool> go{false};
  std::thread t([&] {
    while (!go) std::this_thread::yield();
    first = a_->MoveOriginals(
        {{shared, mine}, "A-01-1-001", "reshelving", "clerk-a"});
  });
  go = true;
  second = b_->MoveOriginals(
      {{shared, theirs}, "A-01-1-001", "reshelving", "clerk-b"});
  t.join();
  ASSERT_NE(first.has_value(), second.has_value())
      << (first ? "" : first.error().message) << " / "
      << (second ? "" : second.error().message);
  const Result<MoveOutcome>& won = first ? first : second;
  const Result<MoveOutcome>& lost = first ? second : first;
  EXPECT_EQ(won->moved, 2);
  EXPECT_EQ(lost.error().code, ErrorCode::kConflict);
  EXPECT_NE(lost.error().message.find("A-01-1-001 is full"), std::string::npos)
      << lost.error().message;
  EXPECT_NE(lost.error().message.find("nothing was changed"), std::string::npos)
      << lost.error().message;
  // Nothing of the refused move was written.
  const std::string& loser_item = first ? theirs : mine;
  const std::string& winner_item = first ? mine : theirs;
  EXPECT_EQ(b_->GetOriginal(winner_item)->location_code, "A-01-1-001");
  EXPECT_EQ(b_->GetOriginal(loser_item)->location_code,
            first ? "A-01-1-003" : "A-01-1-002");
  EXPECT_EQ(Moves(shared), 1);
  EXPECT_EQ(Moves(loser_item), 0);
  auto box = b_->OriginalsAt("A-01-1-001", false);
  ASSERT_TRUE(box) << box.error().message;
  EXPECT_EQ(box->size(), 2u);
}

// Stations registering at once each wait for the counter: no barcode twice,
// none skipped; each barcode is searchable at once.
TEST_F(PostgresCustody, StationsRegisteringAtOnceNeverShareABarcode) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Fill(8);
  ASSERT_TRUE(a_->AddCabinet({"A-02", "A", 1, 1, 0, ""}, "clerk"));
  std::vector<std::string> got_a, got_b;
  std::vector<std::string> errors;
  std::mutex mu;
  auto station = [&](PgCustody& store, int from,
                     std::vector<std::string>& out) {
    for (int i = from; i < from + 4; ++i) {
      auto o = store.RegisterOriginal({docs_[i], "A-02-1-001", -1, "clerk"});
      std::lock_guard lock(mu);
      if (o) {
        out.push_back(o->barcode);
      } else {
        errors.push_back(o.error().message);
      }
    }
  };
  std::thread t([&] { station(*a_, 0, got_a); });
  station(*b_, 4, got_b);
  t.join();
  ASSERT_TRUE(errors.empty()) << errors.front();
  std::set<std::string> all(got_a.begin(), got_a.end());
  all.insert(got_b.begin(), got_b.end());
  std::set<std::string> expected;
  for (int i = 1; i <= 8; ++i) expected.insert(OriginalBarcode(i));
  EXPECT_EQ(all, expected);
  // A barcode is in its document's metadata line: search finds it.
  SearchQuery q;
  q.text = got_b.front();
  auto hits = records_->Search(q);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].matched, "metadata");
  EXPECT_EQ((*hits)[0].display_id, docs_[4]);
}

// The database refuses connections and its backends are ended: the
// stores' pooled connections are dead and no new one can be made.
TEST_F(PostgresCustody, ALostServerIsACatalogErrorAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Fill(2);
  const std::string barcode = Register(docs_[0], "A-01-1-001");
  auto allow = [&](bool on) {
    auto s = database_->SetConnectable(on);
    ASSERT_TRUE(s) << s.error().message;
  };
  allow(false);
  auto moved =
      a_->MoveOriginals({{barcode}, "A-01-1-002", "reshelving", "clerk"});
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kCatalog);
  EXPECT_NE(moved.error().message.find(catalog_a_->server()), std::string::npos)
      << moved.error().message;
  auto registered = b_->RegisterOriginal({docs_[1], "A-01-1-002", -1, "clerk"});
  ASSERT_FALSE(registered);
  EXPECT_EQ(registered.error().code, ErrorCode::kCatalog);
  auto loan = b_->RequestLoan(
      {barcode, false, "核对", "法务部", false, "2999-01-31", "asker"});
  ASSERT_FALSE(loan);
  EXPECT_EQ(loan.error().code, ErrorCode::kCatalog);
  EXPECT_EQ(b_->GetOriginal(barcode).error().code, ErrorCode::kCatalog);
  allow(true);
  auto still = a_->GetOriginal(barcode);
  ASSERT_TRUE(still) << still.error().message;
  EXPECT_EQ(still->location_code, "A-01-1-001");
  EXPECT_EQ(Moves(barcode), 0);
  EXPECT_TRUE(b_->ListLoans("")->empty());
  // The refused registration used up no barcode.
  auto next = b_->RegisterOriginal({docs_[1], "A-01-1-002", -1, "clerk"});
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->barcode, OriginalBarcode(2));
}

}  // namespace
}  // namespace dossier::storage::postgres
