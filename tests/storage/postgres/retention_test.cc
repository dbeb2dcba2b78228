// The PostgreSQL retention store beyond the contract suite
// (tests/governance/retention_store_contract_test.cc runs the shared
// promises on both backends): two stations deciding one destruction batch
// at once, stations proposing the same documents at once, what the store
// answers when its server goes away, a catalog of version 4 upgraded, and
// the server's own refusal to delete or restore a tombstone.
#include "storage/postgres/retention.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/file_store.h"
#include "storage/postgres/catalog.h"
#include "storage/postgres/custody.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records.h"
#include "storage/postgres/schema.h"
#include "tests/storage/test_util.h"
#include "tests/storage/postgres/two_stations.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier::storage::postgres {
namespace {

using dossier::storage::testing::MakeDocument;

constexpr char kFarFuture[] = "2999-01-01";

// Two stations on one database and one shared file store: each its own
// catalog (pool) and retention store.
class PostgresRetention : public PgTwoStationsTest {
 protected:
  void SetUp() override {
    PgTwoStationsTest::SetUp();
    files_ = std::make_unique<FileStore>(dir_.path() / "objects");
  }
  void OpenStations() {
    ASSERT_NO_FATAL_FAILURE(OpenCatalogs());
    records_ = std::make_unique<PgRecords>(*catalog_a_);
    custody_ = std::make_unique<PgCustody>(*catalog_a_);
    a_ = std::make_unique<PgRetention>(*catalog_a_, *files_);
    b_ = std::make_unique<PgRetention>(*catalog_b_, *files_);
  }
  // A customer with `documents` filed contracts, each with its own PDF,
  // kept from filing on for 0 years (due at once).
  void Fill(int documents) {
    ASSERT_TRUE(a_->SetRule("contract", "filing", 0, "rm"));
    auto c = records_->AddCustomer("上海明川贸易有限公司", "company", "clerk");
    ASSERT_TRUE(c) << c.error().message;
    customer_ = c->code;
    for (int i = 0; i < documents; ++i) {
      const std::string bytes = "pdf-bytes-" + std::to_string(i);
      auto sha = files_->Put(bytes);
      ASSERT_TRUE(sha) << sha.error().message;
      NewDocument doc = MakeDocument(c->code, "服务合同 " + std::to_string(i),
                                     {"甲方", "乙方"});
      doc.pdf_sha256 = *sha;
      doc.pdf_size = static_cast<std::int64_t>(bytes.size());
      auto d = records_->AddDocument(doc);
      ASSERT_TRUE(d) << d.error().message;
      ASSERT_TRUE(records_->ApproveDocument(d->display_id, "reviewer"));
      docs_.push_back(d->display_id);
      shas_.push_back(*sha);
    }
  }
  // How often the document's history records it destroyed.
  int Destructions(const std::string& document) {
    auto history = records_->DocumentHistory(document);
    EXPECT_TRUE(history) << history.error().message;
    int n = 0;
    if (history) {
      for (const HistoryEntry& e : *history) {
        n += e.field == "status" && e.new_value == "destroyed";
      }
    }
    return n;
  }
  dossier::testing::TempDir dir_;
  std::unique_ptr<FileStore> files_;
  std::unique_ptr<PgRecords> records_;
  std::unique_ptr<PgCustody> custody_;
  std::unique_ptr<PgRetention> a_, b_;
  std::string customer_;
  std::vector<std::string> docs_;
  std::vector<std::string> shas_;
};

// Runs first(a) and second(b) at once, the first on another thread.
template <typename A, typename B>
void AtOnce(A&& first, B&& second) {
  std::atomic<bool> go{false};
  std::thread t([&] {
    while (!go) std::this_thread::yield();
    first();
  });
  go = true;
  second();
  t.join();
}

// Both stations approve one batch at once: they run as one after the
// other, so the first destroys every document once and the second finds
// the batch no longer proposed and writes nothing.
TEST_F(PostgresRetention, TwoStationsApprovingOneBatchAtOnceOneWins) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Fill(3);
  auto batch = a_->Propose({}, kFarFuture, "期满", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->items.size(), 3u);
  Result<DestructionBatch> first = MakeError(ErrorCode::kInternal, "not run");
  Result<DestructionBatch> second = MakeError(ErrorCode::kInternal, "not run");
  AtOnce([&] { first = a_->Approve(batch->display_id, "boss-a"); },
         [&] { second = b_->Approve(batch->display_id, "boss-b"); });
  ASSERT_NE(first.has_value(), second.has_value())
      << (first ? "" : first.error().message) << " / "
      << (second ? "" : second.error().message);
  const Result<DestructionBatch>& won = first ? first : second;
  const Result<DestructionBatch>& lost = first ? second : first;
  EXPECT_EQ(won->status, "completed");
  EXPECT_EQ(won->approved_by, first ? "boss-a" : "boss-b");
  EXPECT_EQ(lost.error().code, ErrorCode::kConflict);
  EXPECT_NE(lost.error().message.find("not proposed"), std::string::npos)
      << lost.error().message;
  auto stored = b_->GetBatch(batch->display_id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->approved_by, won->approved_by);
  for (std::size_t i = 0; i < docs_.size(); ++i) {
    EXPECT_EQ(records_->GetDocument(docs_[i])->status, "destroyed");
    EXPECT_EQ(Destructions(docs_[i]), 1) << docs_[i];
    EXPECT_FALSE(files_->Contains(shas_[i]));
    EXPECT_FALSE(stored->items[i].destroyed_at.empty());
    EXPECT_FALSE(stored->items[i].file_purged_at.empty());
  }
  // A destroyed document's text is gone from search.
  SearchQuery q;
  q.text = "甲方";
  auto hits = records_->Search(q);
  ASSERT_TRUE(hits) << hits.error().message;
  EXPECT_TRUE(hits->empty());
}

// One station approves while the other cancels: exactly one happens, and
// a cancelled batch destroyed nothing.
TEST_F(PostgresRetention, ApprovingAndCancellingAtOnceDoOneOrTheOther) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Fill(2);
  auto batch = a_->Propose({}, kFarFuture, "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  Result<DestructionBatch> approved =
      MakeError(ErrorCode::kInternal, "not run");
  Result<DestructionBatch> cancelled =
      MakeError(ErrorCode::kInternal, "not run");
  AtOnce([&] { approved = a_->Approve(batch->display_id, "boss"); },
         [&] { cancelled = b_->Cancel(batch->display_id, "rm"); });
  ASSERT_NE(approved.has_value(), cancelled.has_value())
      << (approved ? "" : approved.error().message) << " / "
      << (cancelled ? "" : cancelled.error().message);
  EXPECT_EQ((approved ? cancelled : approved).error().code,
            ErrorCode::kConflict);
  auto stored = a_->GetBatch(batch->display_id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->status, approved ? "completed" : "cancelled");
  for (std::size_t i = 0; i < docs_.size(); ++i) {
    EXPECT_EQ(records_->GetDocument(docs_[i])->status,
              approved ? "destroyed" : "filed");
    EXPECT_EQ(files_->Contains(shas_[i]), !approved);
    EXPECT_EQ(stored->items[i].destroyed_at.empty(), !approved);
  }
}

// A hold on a document placed while another station approves its
// destruction: either the hold comes first and blocks the approval, or the
// approval comes first and the hold is refused; never both written.
TEST_F(PostgresRetention, AHoldPlacedDuringAnApprovalBlocksItOrIsRefused) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Fill(1);
  auto batch = a_->Propose({}, kFarFuture, "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  Result<DestructionBatch> approved =
      MakeError(ErrorCode::kInternal, "not run");
  Result<LegalHold> hold = MakeError(ErrorCode::kInternal, "not run");
  AtOnce([&] { approved = a_->Approve(batch->display_id, "boss"); },
         [&] { hold = b_->AddHold(docs_[0], "诉讼 2026-17", "legal"); });
  ASSERT_NE(approved.has_value(), hold.has_value())
      << (approved ? "" : approved.error().message) << " / "
      << (hold ? "" : hold.error().message);
  if (approved) {
    EXPECT_EQ(hold.error().code, ErrorCode::kConflict);
    EXPECT_NE(hold.error().message.find("already destroyed"), std::string::npos)
        << hold.error().message;
    EXPECT_TRUE(a_->ListHolds(false)->empty());
  } else {
    EXPECT_EQ(approved.error().code, ErrorCode::kConflict);
    EXPECT_NE(approved.error().message.find("legal hold H000001"),
              std::string::npos)
        << approved.error().message;
    EXPECT_EQ(records_->GetDocument(docs_[0])->status, "filed");
    EXPECT_TRUE(files_->Contains(shas_[0]));
  }
}

// Two stations propose the same due documents at once: one batch holds
// them, the other proposal is refused and uses up no batch number.
TEST_F(PostgresRetention, StationsProposingTheSameDocumentsMakeOneBatch) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Fill(2);
  Result<DestructionBatch> first = MakeError(ErrorCode::kInternal, "not run");
  Result<DestructionBatch> second = MakeError(ErrorCode::kInternal, "not run");
  AtOnce([&] { first = a_->Propose(docs_, kFarFuture, "", "rm-a"); },
         [&] { second = b_->Propose(docs_, kFarFuture, "", "rm-b"); });
  ASSERT_NE(first.has_value(), second.has_value())
      << (first ? "" : first.error().message) << " / "
      << (second ? "" : second.error().message);
  const Result<DestructionBatch>& won = first ? first : second;
  const Result<DestructionBatch>& lost = first ? second : first;
  EXPECT_EQ(won->display_id, "DB000001");
  EXPECT_EQ(lost.error().code, ErrorCode::kConflict);
  EXPECT_NE(lost.error().message.find("already proposed in batch DB000001"),
            std::string::npos)
      << lost.error().message;
  auto batches = a_->ListBatches();
  ASSERT_TRUE(batches) << batches.error().message;
  ASSERT_EQ(batches->size(), 1u);
  ASSERT_TRUE(b_->Cancel("DB000001", "rm"));
  auto next = b_->Propose(docs_, kFarFuture, "", "rm");
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->display_id, "DB000002");
}

// Two stations record the last two originals of a batch at once: both are
// recorded, and the batch is completed exactly once.
TEST_F(PostgresRetention, StationsShreddingTheLastOriginalsAtOnceCompleteOnce) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Fill(2);
  ASSERT_TRUE(
      custody_->AddLocation({"A", "room", "", "档案室", 0, ""}, "clerk"));
  ASSERT_TRUE(custody_->AddCabinet({"A-01", "A", 1, 1, 0, ""}, "clerk"));
  std::vector<std::string> barcodes;
  for (const std::string& doc : docs_) {
    auto o = custody_->RegisterOriginal({doc, "A-01-1-001", -1, "clerk"});
    ASSERT_TRUE(o) << o.error().message;
    barcodes.push_back(o->barcode);
  }
  auto batch = a_->Propose({}, kFarFuture, "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  auto approved = b_->Approve(batch->display_id, "boss");
  ASSERT_TRUE(approved) << approved.error().message;
  ASSERT_EQ(approved->status, "approved");
  Result<DestructionBatch> first = MakeError(ErrorCode::kInternal, "not run");
  Result<DestructionBatch> second = MakeError(ErrorCode::kInternal, "not run");
  AtOnce(
      [&] {
        first = a_->RecordShredding({batch->display_id, barcodes[0], "witness",
                                     "", "cross-cut P-4", "porter-a"});
      },
      [&] {
        second = b_->RecordShredding({batch->display_id, barcodes[1], "witness",
                                      "", "cross-cut P-4", "porter-b"});
      });
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second) << second.error().message;
  auto stored = a_->GetBatch(batch->display_id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->status, "completed");
  for (const ShreddingRecord& r : stored->originals) {
    EXPECT_FALSE(r.shredded_by.empty()) << r.barcode;
    EXPECT_EQ(custody_->GetOriginal(r.barcode)->state, "destroyed");
  }
  auto db = Database::Connect(database_->url(), PoolOptions{});
  ASSERT_TRUE(db) << db.error().message;
  auto completions = (*db)->Transact("counting", [](Tx& tx) -> Result<int> {
    return static_cast<int>(
        Int(tx.Run("SELECT count(*) FROM history WHERE table_name = "
                   "'destruction_batches' AND new_value = 'completed'")[0][0]));
  });
  ASSERT_TRUE(completions) << completions.error().message;
  EXPECT_EQ(*completions, 1);
}

// The database refuses connections and its backends are ended: every call
// is kCatalog naming the server, and nothing of it was written.
TEST_F(PostgresRetention, ALostServerIsACatalogErrorAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Fill(2);
  auto batch = a_->Propose({docs_[0]}, kFarFuture, "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  auto allow = [&](bool on) {
    auto s = database_->SetConnectable(on);
    ASSERT_TRUE(s) << s.error().message;
  };
  allow(false);
  auto approved = b_->Approve(batch->display_id, "boss");
  ASSERT_FALSE(approved);
  EXPECT_EQ(approved.error().code, ErrorCode::kCatalog);
  EXPECT_NE(approved.error().message.find(catalog_b_->server()),
            std::string::npos)
      << approved.error().message;
  auto hold = a_->AddHold(docs_[1], "诉讼", "legal");
  ASSERT_FALSE(hold);
  EXPECT_EQ(hold.error().code, ErrorCode::kCatalog);
  auto proposed = a_->Propose({docs_[1]}, kFarFuture, "", "rm");
  ASSERT_FALSE(proposed);
  EXPECT_EQ(proposed.error().code, ErrorCode::kCatalog);
  EXPECT_EQ(b_->Cancel(batch->display_id, "rm").error().code,
            ErrorCode::kCatalog);
  EXPECT_EQ(b_->FinishPurges().error().code, ErrorCode::kCatalog);
  allow(true);
  auto still = a_->GetBatch(batch->display_id);
  ASSERT_TRUE(still) << still.error().message;
  EXPECT_EQ(still->status, "proposed");
  EXPECT_TRUE(still->items[0].destroyed_at.empty());
  EXPECT_EQ(records_->GetDocument(docs_[0])->status, "filed");
  EXPECT_EQ(Destructions(docs_[0]), 0);
  EXPECT_TRUE(files_->Contains(shas_[0]));
  EXPECT_TRUE(a_->ListHolds(false)->empty());
  EXPECT_EQ(a_->ListBatches()->size(), 1u);
  // The refused calls used up no number.
  auto next_hold = a_->AddHold(docs_[1], "诉讼", "legal");
  ASSERT_TRUE(next_hold) << next_hold.error().message;
  EXPECT_EQ(next_hold->display_id, "H000001");
  ASSERT_TRUE(a_->ReleaseHold("H000001", "结案", "legal"));
  auto next_batch = a_->Propose({docs_[1]}, kFarFuture, "", "rm");
  ASSERT_TRUE(next_batch) << next_batch.error().message;
  EXPECT_EQ(next_batch->display_id, "DB000002");
  // And the approval, run again, destroys.
  auto done = b_->Approve(batch->display_id, "boss");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(records_->GetDocument(docs_[0])->status, "destroyed");
  EXPECT_FALSE(files_->Contains(shas_[0]));
}

// A catalog made before retention (version 4) with a customer: opening it
// adds retention's tables, and the customer's relationship end is kept.
TEST_F(PostgresRetention, ACatalogOfVersion4IsUpgraded) {
  {
    auto db = Database::Connect(database_->url(), PoolOptions{});
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(Migrate(**db, 4));
    EXPECT_EQ(ReadSchemaVersion(**db).value_or(-1), 4);
    auto filled = (*db)->Transact("filling version 4", [](Tx& tx) -> Status {
      tx.Run(
          "INSERT INTO customers (code, year, sequence, name, kind, "
          "created_at, created_by) VALUES ('KH-2026-000001-0', 2026, 1, "
          "'旧客户', 'company', '2026-01-05T08:00:00Z', 'clerk')");
      return Ok();
    });
    ASSERT_TRUE(filled) << filled.error().message;
  }
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  EXPECT_EQ(catalog_a_->SchemaVersion().value_or(-1), LatestPgSchemaVersion());
  EXPECT_GE(LatestPgSchemaVersion(), 5);
  ASSERT_TRUE(a_->SetRelationshipEnd("KH-2026-000001-0", "2020-06-30", "rm"));
  auto history = records_->CustomerHistory("KH-2026-000001-0");
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->back().field, "relationship_ended_on");
  EXPECT_EQ(history->back().new_value, "2020-06-30");
}

// The server itself keeps the tombstone: a destroyed document's row cannot
// be deleted or restored, and history is never deleted.
TEST_F(PostgresRetention, TheServerRefusesToDeleteOrRestoreATombstone) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Fill(1);
  auto batch = a_->Propose({}, kFarFuture, "", "rm");
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_TRUE(b_->Approve(batch->display_id, "boss"));
  auto db = Database::Connect(database_->url(), PoolOptions{});
  ASSERT_TRUE(db) << db.error().message;
  for (const char* sql :
       {"DELETE FROM documents", "UPDATE documents SET status = 'filed'",
        "DELETE FROM history", "DELETE FROM destruction_items",
        "DELETE FROM destruction_batches",
        "UPDATE retention_counters SET last_value = 0"}) {
    auto refused = (*db)->Transact(sql, [&](Tx& tx) -> Status {
      tx.Run(sql);
      return Ok();
    });
    EXPECT_FALSE(refused) << sql;
  }
  EXPECT_EQ(records_->GetDocument(docs_[0])->status, "destroyed");
  EXPECT_EQ(Destructions(docs_[0]), 1);
}

}  // namespace
}  // namespace dossier::storage::postgres
