// The work queue contract (storage/work_queue.h): every WorkQueue backend
// runs this suite (SQLite, and PostgreSQL on the test cluster: tests/
// support/pg_test_support.h, each test in its own database). It speaks
// only through the interface: order, leases, take-over, the end of an
// item, give-up after max_attempts, listing, waiting, and the errors.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/postgres/catalog.h"
#include "storage/postgres/work_queue.h"
#include "storage/sqlite/catalog.h"
#include "storage/sqlite/work_queue.h"
#include "storage/work_queue.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier::storage::testing {
namespace {

// One archive's queue: the catalog it lives in (SQLite's, or PostgreSQL's
// with the test database for the queue that made it), then the queue
// (destroyed first).
struct QueueStores {
  std::unique_ptr<Catalog> catalog;
  dossier::testing::PgTestCatalog pg;
  std::unique_ptr<WorkQueue> queue;
  ~QueueStores() { queue.reset(); }
};

struct QueueBackend {
  std::string name;
  // create: a new empty archive in dir; else a further connection to it.
  std::function<std::unique_ptr<QueueStores>(const std::filesystem::path&, bool)> make;
};

// Test names end in the backend's name, not the parameter's bytes.
void PrintTo(const QueueBackend& backend, std::ostream* os) { *os << backend.name; }

std::unique_ptr<QueueStores> OpenPg(const std::filesystem::path& dir, bool create) {
  auto s = std::make_unique<QueueStores>();
  auto holding = dossier::testing::OpenPgTestCatalog(dir, create);
  EXPECT_TRUE(holding) << holding.error().message;
  if (!holding) return s;
  s->pg = std::move(*holding);
  s->queue = std::make_unique<postgres::PgWorkQueue>(*s->pg.catalog);
  return s;
}

std::vector<QueueBackend> QueueBackends() {
  return {{"sqlite",
           [](const std::filesystem::path& dir, bool create) {
             auto s = std::make_unique<QueueStores>();
             auto c = create ? Catalog::Create(dir / "catalog.sqlite")
                             : Catalog::Open(dir / "catalog.sqlite");
             EXPECT_TRUE(c) << c.error().message;
             if (!c) return s;
             s->catalog = std::move(*c);
             s->queue = std::make_unique<SqliteWorkQueue>(*s->catalog);
             return s;
           }},
          {"postgresql", OpenPg}};
}

class WorkQueueContract : public ::testing::TestWithParam<QueueBackend> {
 protected:
  void SetUp() override {
    stores_ = GetParam().make(dir_.path(), true);
    ASSERT_NE(stores_->queue, nullptr);
  }
  WorkQueue& queue() { return *stores_->queue; }
  // A second station's connection to the same archive.
  std::unique_ptr<QueueStores> Other() { return GetParam().make(dir_.path(), false); }

  WorkItem Add(const std::string& spool) {
    auto item = queue().Enqueue("ingest", spool, R"({"files":[]})", "scanner-a");
    EXPECT_TRUE(item) << item.error().message;
    return item ? *item : WorkItem{};
  }

  dossier::testing::TempDir dir_;
  std::unique_ptr<QueueStores> stores_;
};

TEST_P(WorkQueueContract, EnqueuedItemsAreQueuedAndNamed) {
  const WorkItem a = Add("spool-a");
  EXPECT_EQ(a.display_id, WorkItemDisplayId(a.id));
  EXPECT_EQ(a.state, "queued");
  EXPECT_EQ(a.kind, "ingest");
  EXPECT_EQ(a.spool, "spool-a");
  EXPECT_EQ(a.enqueued_by, "scanner-a");
  EXPECT_EQ(a.attempts, 0);
  EXPECT_FALSE(a.enqueued_at.empty());
  auto again = queue().Get(a.id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->payload, R"({"files":[]})");
  auto parsed = ParseWorkItemId(a.display_id);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, a.id);
}

TEST_P(WorkQueueContract, ClaimsTakeTheOldestAndNeverTheSameItemTwice) {
  const WorkItem a = Add("a");
  const WorkItem b = Add("b");
  auto other = Other();
  ASSERT_NE(other->queue, nullptr);
  auto first = queue().Claim("w1", 60, 3);
  ASSERT_TRUE(first && *first) << (first ? "none" : first.error().message);
  EXPECT_EQ((*first)->id, a.id);
  EXPECT_EQ((*first)->state, "running");
  EXPECT_EQ((*first)->worker, "w1");
  EXPECT_EQ((*first)->attempts, 1);
  EXPECT_GT((*first)->lease_until, 0);
  auto second = other->queue->Claim("w2", 60, 3);
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->id, b.id);
  auto none = queue().Claim("w3", 60, 3);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(*none) << "an item under a live lease was handed out again";
}

TEST_P(WorkQueueContract, FinishedAndFailedItemsAreNotClaimedAgain) {
  const WorkItem a = Add("a");
  const WorkItem b = Add("b");
  auto ca = queue().Claim("w1", 60, 3);
  auto cb = queue().Claim("w1", 60, 3);
  ASSERT_TRUE(ca && *ca && cb && *cb);
  ASSERT_TRUE(queue().Finish(a.id, "w1", R"({"stored":1})"));
  ASSERT_TRUE(queue().Fail(b.id, "w1", "page 2 unreadable"));
  auto done = queue().Get(a.id);
  auto failed = queue().Get(b.id);
  ASSERT_TRUE(done && failed);
  EXPECT_EQ(done->state, "done");
  EXPECT_EQ(done->result, R"({"stored":1})");
  EXPECT_FALSE(done->finished_at.empty());
  EXPECT_EQ(failed->state, "failed");
  EXPECT_EQ(failed->error, "page 2 unreadable");
  auto none = queue().Claim("w2", 1, 3);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  // An ended item cannot be ended again.
  auto twice = queue().Finish(a.id, "w1", "{}");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_NE(twice.error().message.find(a.display_id), std::string::npos)
      << twice.error().message;
}

TEST_P(WorkQueueContract, ALeaseThatRunsOutIsTakenOverAndTheFirstWorkerIsRefused) {
  const WorkItem a = Add("a");
  auto first = queue().Claim("w1", 1, 5);
  ASSERT_TRUE(first && *first);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto other = Other();
  auto taken = other->queue->Claim("w2", 60, 5);
  ASSERT_TRUE(taken && *taken) << "an item whose lease ran out was not handed out";
  EXPECT_EQ((*taken)->id, a.id);
  EXPECT_EQ((*taken)->worker, "w2");
  EXPECT_EQ((*taken)->attempts, 2);
  for (Status s : {queue().Renew(a.id, "w1", 60), queue().Finish(a.id, "w1", "{}"),
                   queue().Fail(a.id, "w1", "x")}) {
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::kConflict);
    EXPECT_NE(s.error().message.find("w2"), std::string::npos) << s.error().message;
  }
  ASSERT_TRUE(other->queue->Finish(a.id, "w2", "{}"));
  auto item = queue().Get(a.id);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->state, "done");
  EXPECT_EQ(item->worker, "w2");
}

TEST_P(WorkQueueContract, ARenewedLeaseIsNotTakenOver) {
  Add("a");
  auto first = queue().Claim("w1", 2, 5);
  ASSERT_TRUE(first && *first);
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    ASSERT_TRUE(queue().Renew((*first)->id, "w1", 2));
  }
  auto none = Other()->queue->Claim("w2", 60, 5);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none) << "a renewed lease was taken over";
  // A lease that ran out stays the worker's until someone claims the item.
  std::this_thread::sleep_for(std::chrono::milliseconds(3100));
  EXPECT_TRUE(queue().Finish((*first)->id, "w1", "{}"));
}

TEST_P(WorkQueueContract, AnItemThatNeverFinishesFailsAfterMaxAttempts) {
  const WorkItem a = Add("a");
  const WorkItem b = Add("b");
  auto first = queue().Claim("w1", 1, 2);
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->id, a.id);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto second = queue().Claim("w2", 1, 2);
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->id, a.id);
  EXPECT_EQ((*second)->attempts, 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  // The third claim gives a up and takes b.
  auto third = queue().Claim("w3", 60, 2);
  ASSERT_TRUE(third && *third);
  EXPECT_EQ((*third)->id, b.id);
  auto given_up = queue().Get(a.id);
  ASSERT_TRUE(given_up);
  EXPECT_EQ(given_up->state, "failed");
  EXPECT_NE(given_up->error.find("2 attempts"), std::string::npos) << given_up->error;
  EXPECT_NE(given_up->error.find("w2"), std::string::npos) << given_up->error;
}

TEST_P(WorkQueueContract, ListsNewestFirstByState) {
  const WorkItem a = Add("a");
  const WorkItem b = Add("b");
  const WorkItem c = Add("c");
  auto claimed = queue().Claim("w1", 60, 3);
  ASSERT_TRUE(claimed && *claimed);
  ASSERT_TRUE(queue().Finish(a.id, "w1", "{}"));
  auto all = queue().List("", 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, c.id);
  EXPECT_EQ((*all)[2].id, a.id);
  auto queued = queue().List("queued", 10);
  ASSERT_TRUE(queued);
  ASSERT_EQ(queued->size(), 2u);
  EXPECT_EQ((*queued)[0].id, c.id);
  EXPECT_EQ((*queued)[1].id, b.id);
  auto limited = queue().List("", 1);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->size(), 1u);
}

TEST_P(WorkQueueContract, BadInputIsRefusedWithTheReason) {
  auto no_kind = queue().Enqueue("", "s", "{}", "a");
  ASSERT_FALSE(no_kind);
  EXPECT_EQ(no_kind.error().code, ErrorCode::kInvalidArgument);
  auto no_spool = queue().Enqueue("ingest", "", "{}", "a");
  ASSERT_FALSE(no_spool);
  EXPECT_EQ(no_spool.error().code, ErrorCode::kInvalidArgument);
  auto lease = queue().Claim("w1", 0, 3);
  ASSERT_FALSE(lease);
  EXPECT_EQ(lease.error().code, ErrorCode::kInvalidArgument);
  auto state = queue().List("sleeping", 5);
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(state.error().message.find("sleeping"), std::string::npos);
  auto missing = queue().Get(999);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("W000999"), std::string::npos);
  auto finish = queue().Finish(999, "w1", "{}");
  ASSERT_FALSE(finish);
  EXPECT_EQ(finish.error().code, ErrorCode::kNotFound);
  auto bad_id = ParseWorkItemId("D000001");
  ASSERT_FALSE(bad_id);
  EXPECT_EQ(bad_id.error().code, ErrorCode::kInvalidArgument);
  // Nothing was added by the refusals.
  auto all = queue().List("", 10);
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
}

TEST_P(WorkQueueContract, ConcurrentClaimsFromManyConnectionsHandOutEachItemOnce) {
  constexpr int kItems = 40;
  for (int i = 0; i < kItems; ++i) Add("s" + std::to_string(i));
  constexpr int kWorkers = 4;
  std::vector<std::vector<std::int64_t>> got(kWorkers);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      auto mine = Other();
      ASSERT_NE(mine->queue, nullptr);
      const std::string name = "w" + std::to_string(w);
      for (;;) {
        auto c = mine->queue->Claim(name, 60, 3);
        ASSERT_TRUE(c) << c.error().message;
        if (!*c) return;
        got[w].push_back((*c)->id);
        ASSERT_TRUE(mine->queue->Finish((*c)->id, name, "{}"));
      }
    });
  }
  for (auto& t : threads) t.join();
  std::multiset<std::int64_t> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kItems));
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), all.size())
      << "an item was handed out twice";
}

TEST_P(WorkQueueContract, WaitingWithNothingQueuedEndsAtTheTimeoutWithoutWork) {
  const auto start = std::chrono::steady_clock::now();
  auto woken = queue().WaitForWork(std::chrono::milliseconds(1200));
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(woken) << woken.error().message;
  EXPECT_FALSE(*woken) << "woken with nothing queued";
  EXPECT_GE(waited, std::chrono::seconds(1));
  // A wait is no claim: the queue is as it was.
  auto all = queue().List("", 10);
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkQueueContract, ::testing::ValuesIn(QueueBackends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace dossier::storage::testing
