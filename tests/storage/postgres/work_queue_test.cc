// The PostgreSQL work queue beyond the contract suite
// (tests/storage/work_queue_contract_test.cc runs the shared promises on
// both backends): an upgraded catalog, the history rows, workers claiming
// at once without running a transaction again, the wake-ups of waiting
// workers, and what the queue answers when its server goes away.
#include "storage/postgres/work_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/postgres/catalog.h"
#include "storage/postgres/database.h"
#include "storage/postgres/schema.h"
#include "tests/storage/postgres/two_stations.h"
#include "tests/support/pg_test_support.h"

namespace dossier::storage::postgres {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

// Two stations on one database: each its own catalog (pool) and queue.
class PostgresWorkQueue : public PgTwoStationsTest {
 protected:
  void OpenStations() {
    ASSERT_NO_FATAL_FAILURE(OpenCatalogs());
    a_ = std::make_unique<PgWorkQueue>(*catalog_a_);
    b_ = std::make_unique<PgWorkQueue>(*catalog_b_);
  }
  WorkItem Add(PgWorkQueue& queue, const std::string& spool) {
    auto item = queue.Enqueue("ingest", spool, R"({"files":[]})", "scanner-a");
    EXPECT_TRUE(item) << item.error().message;
    return item ? *item : WorkItem{};
  }
  std::unique_ptr<PgWorkQueue> a_, b_;
};

// A catalog of the version before the queue's migration gets the queue
// when a station opens it.
TEST_F(PostgresWorkQueue, ACatalogOfThePreviousVersionIsUpgradedWithTheQueue) {
  {
    auto db = Database::Connect(database_->url(), PoolOptions{});
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(Migrate(**db, LatestPgSchemaVersion() - 1));
    auto version = ReadSchemaVersion(**db);
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, LatestPgSchemaVersion() - 1);
  }
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  EXPECT_EQ(catalog_a_->SchemaVersion().value_or(-1), LatestPgSchemaVersion());
  const WorkItem a = Add(*a_, "a");
  EXPECT_EQ(a.display_id, "W000001");
  auto claimed = b_->Claim("w1", 60, 3);
  ASSERT_TRUE(claimed && *claimed) << (claimed ? "none" : claimed.error().message);
  EXPECT_EQ((*claimed)->id, a.id);
}

// Every state change is a history row, as on SQLite: who queued it, the
// worker that took it and when it ran, and how it ended.
TEST_F(PostgresWorkQueue, EveryStateChangeIsInTheHistory) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  const WorkItem a = Add(*a_, "a");
  auto claimed = b_->Claim("w1", 60, 3);
  ASSERT_TRUE(claimed && *claimed);
  ASSERT_TRUE(b_->Renew(a.id, "w1", 60));
  ASSERT_TRUE(b_->Finish(a.id, "w1", R"({"stored":1})"));
  std::vector<std::string> rows;
  auto read = catalog_a_->db().Transact("reading history", [&](Tx& tx) -> Status {
    for (const auto& row : tx.Run(
             "SELECT field, coalesce(old_value, '(none)'), new_value, actor FROM "
             "history WHERE table_name = 'work_items' AND record_id = " +
             std::to_string(a.id) + " ORDER BY id")) {
      rows.push_back(Text(row[0]) + " " + Text(row[1]) + " > " + Text(row[2]) + " by " +
                     Text(row[3]));
    }
    return Ok();
  });
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(rows, (std::vector<std::string>{"state (none) > queued by scanner-a",
                                            "worker  > w1 by w1",
                                            "state queued > running by w1",
                                            "state running > done by w1"}));
}

// Four stations claim and finish 40 items at once: each item is handed
// out once, and no claim lost a race and ran again (SKIP LOCKED passes
// over the items other workers hold instead of conflicting with them).
TEST_F(PostgresWorkQueue, WorkersClaimingAtOnceNeitherShareAnItemNorRunAgain) {
  constexpr int kItems = 40;
  constexpr int kWorkers = 4;
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  for (int i = 0; i < kItems; ++i) Add(*a_, "s" + std::to_string(i));
  std::vector<std::unique_ptr<PgCatalog>> catalogs;
  for (int w = 0; w < kWorkers; ++w) {
    auto c = PgCatalog::Open(database_->url());
    ASSERT_TRUE(c) << c.error().message;
    catalogs.push_back(std::move(*c));
  }
  std::vector<std::vector<std::int64_t>> got(kWorkers);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      PgWorkQueue queue(*catalogs[w]);
      const std::string name = "w" + std::to_string(w);
      for (;;) {
        auto c = queue.Claim(name, 60, 3);
        ASSERT_TRUE(c) << c.error().message;
        if (!*c) return;
        got[w].push_back((*c)->id);
        ASSERT_TRUE(queue.Finish((*c)->id, name, "{}"));
      }
    });
  }
  for (auto& t : threads) t.join();
  std::multiset<std::int64_t> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kItems));
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), all.size())
      << "an item was handed out twice";
  for (const auto& c : catalogs) EXPECT_EQ(c->db().retries(), 0);
  auto done = a_->List("done", 100);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->size(), static_cast<std::size_t>(kItems));
}

// A worker waiting with nothing queued is woken by another station's
// Enqueue, long before its timeout; and it does not wake before the
// Enqueue.
TEST_F(PostgresWorkQueue, AWaitEndsSoonAfterAnotherStationQueues) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  // Listening already, and nothing there: the wait runs to its end.
  const auto quiet_start = steady_clock::now();
  auto quiet = a_->WaitForWork(milliseconds(1500));
  ASSERT_TRUE(quiet) << quiet.error().message;
  EXPECT_FALSE(*quiet);
  EXPECT_GE(steady_clock::now() - quiet_start, seconds(1));

  std::atomic<bool> queued{false};
  bool woke_after_queueing = false;
  Result<bool> woken = false;
  steady_clock::duration waited{};
  std::thread waiter([&] {
    const auto start = steady_clock::now();
    woken = a_->WaitForWork(seconds(60));
    waited = steady_clock::now() - start;
    woke_after_queueing = queued.load();
  });
  std::this_thread::sleep_for(milliseconds(1000));
  queued = true;
  const WorkItem item = Add(*b_, "a");
  waiter.join();
  ASSERT_TRUE(woken) << woken.error().message;
  EXPECT_TRUE(*woken) << "the wait ran to its timeout";
  EXPECT_TRUE(woke_after_queueing) << "woken before anything was queued";
  EXPECT_LT(waited, seconds(30));
  // The wake-up is used up; the work is there to claim.
  auto again = a_->WaitForWork(milliseconds(1000));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again);
  auto claimed = a_->Claim("w1", 60, 3);
  ASSERT_TRUE(claimed && *claimed);
  EXPECT_EQ((*claimed)->id, item.id);
}

// Notifications that come while the worker is busy are kept for its next
// wait; work queued before a queue ever listened is found when it starts.
TEST_F(PostgresWorkQueue, WorkQueuedWhileNotWaitingEndsTheNextWaitAtOnce) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  Add(*b_, "before");
  const auto first_start = steady_clock::now();
  auto first = a_->WaitForWork(seconds(60));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(*first) << "work queued before listening was not seen";
  EXPECT_LT(steady_clock::now() - first_start, seconds(30));
  auto claimed = a_->Claim("w1", 60, 3);
  ASSERT_TRUE(claimed && *claimed);
  // Listening now; the next item comes between waits.
  Add(*b_, "between");
  const auto second_start = steady_clock::now();
  auto second = a_->WaitForWork(seconds(60));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(*second);
  EXPECT_LT(steady_clock::now() - second_start, seconds(30));
}

// The database refuses connections and its backends are ended: the
// pooled and the listening connections are dead and no new one can be
// made. Every call is a kCatalog error naming the server, nothing is
// written, and once the server is back the queue works again.
TEST_F(PostgresWorkQueue, ALostServerIsACatalogErrorAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(OpenStations());
  const WorkItem a = Add(*a_, "a");
  auto claimed = a_->Claim("w1", 60, 3);
  ASSERT_TRUE(claimed && *claimed);
  auto listening = b_->WaitForWork(milliseconds(100));  // b_ now listens
  ASSERT_TRUE(listening) << listening.error().message;
  auto allow = [&](bool on) {
    auto s = database_->SetConnectable(on);
    ASSERT_TRUE(s) << s.error().message;
  };
  allow(false);
  auto waited = b_->WaitForWork(seconds(20));
  ASSERT_FALSE(waited) << "a lost listening connection was not noticed";
  EXPECT_EQ(waited.error().code, ErrorCode::kCatalog);
  EXPECT_NE(waited.error().message.find(catalog_b_->server()), std::string::npos)
      << waited.error().message;
  auto relisten = b_->WaitForWork(milliseconds(100));
  ASSERT_FALSE(relisten);
  EXPECT_EQ(relisten.error().code, ErrorCode::kCatalog);
  auto added = a_->Enqueue("ingest", "b", "{}", "scanner-a");
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kCatalog);
  EXPECT_NE(added.error().message.find(catalog_a_->server()), std::string::npos)
      << added.error().message;
  auto other = b_->Claim("w2", 60, 3);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kCatalog);
  EXPECT_EQ(a_->Renew(a.id, "w1", 60).error().code, ErrorCode::kCatalog);
  EXPECT_EQ(a_->Finish(a.id, "w1", "{}").error().code, ErrorCode::kCatalog);
  EXPECT_EQ(b_->Get(a.id).error().code, ErrorCode::kCatalog);
  allow(true);
  auto all = b_->List("", 10);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].state, "running");
  EXPECT_EQ((*all)[0].worker, "w1");
  EXPECT_EQ((*all)[0].attempts, 1);
  // Listening again, with nothing claimable (a's lease holds).
  auto back = b_->WaitForWork(milliseconds(1000));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_FALSE(*back);
  EXPECT_TRUE(a_->Finish(a.id, "w1", "{}"));
}

}  // namespace
}  // namespace dossier::storage::postgres
