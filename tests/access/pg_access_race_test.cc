// Several stations on one PostgreSQL catalog at once (storage/postgres/
// access.h), on the test cluster: appends to the access log from two
// stations form one unbroken chain, and two stations adding the same user
// get one success and one clean conflict. Whichever station wins a race,
// the loser's transaction is run again or refused, never half-written.
#include <gtest/gtest.h>

#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/postgres/access.h"
#include "storage/postgres/catalog.h"
#include "tests/support/pg_test_support.h"
#include "tests/support/test_support.h"

namespace dossier::storage::postgres {
namespace {

class PostgresStations : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = dossier::testing::PgTestDatabase::Create();
    ASSERT_TRUE(created) << created.error().message;
    database_ = std::move(*created);
  }
  // A station: its own pool on the shared database.
  std::unique_ptr<PgCatalog> Station() {
    auto c = PgCatalog::Open(database_->url());
    EXPECT_TRUE(c) << c.error().message;
    return c ? std::move(*c) : nullptr;
  }
  dossier::testing::TempDir dir_;
  std::unique_ptr<dossier::testing::PgTestDatabase> database_;
};

TEST_F(PostgresStations, AppendsFromTwoStationsFormOneChain) {
  constexpr int kEach = 40;
  auto a = Station();
  auto b = Station();
  ASSERT_TRUE(a && b);
  std::latch start(2);
  std::vector<std::int64_t> seqs[2];
  std::vector<std::string> errors[2];
  auto append = [&](PgCatalog& station, int who) {
    PgAccess access(station, dir_.path());
    start.arrive_and_wait();
    for (int i = 0; i < kEach; ++i) {
      auto e = access.AppendLog({"station" + std::to_string(who), "document.show",
                                 {"show", std::to_string(i)}, {}, "ok", ""});
      if (e) {
        seqs[who].push_back(e->seq);
      } else {
        errors[who].push_back(e.error().message);
      }
    }
  };
  std::thread t([&] { append(*b, 1); });
  append(*a, 0);
  t.join();
  EXPECT_TRUE(errors[0].empty()) << errors[0].front();
  EXPECT_TRUE(errors[1].empty()) << errors[1].front();
  // Every entry got its own place in the chain.
  std::set<std::int64_t> all(seqs[0].begin(), seqs[0].end());
  all.insert(seqs[1].begin(), seqs[1].end());
  EXPECT_EQ(all.size(), 2u * kEach);
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), 2 * kEach);
  PgAccess reader(*a, dir_.path());
  auto check = reader.VerifyLog();
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->ok) << check->problem;
  EXPECT_EQ(check->entries, 2 * kEach);
  LogFilter one;
  one.user = "station1";
  EXPECT_EQ(reader.ReadLog(one)->size(), static_cast<size_t>(kEach));
}

TEST_F(PostgresStations, OneCatalogsPoolServesSeveralThreads) {
  // The server's threads share one PgCatalog; each has its own store.
  constexpr int kThreads = 4, kEach = 15;
  auto station = Station();
  ASSERT_TRUE(station);
  std::latch start(kThreads);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      PgAccess access(*station, dir_.path());
      start.arrive_and_wait();
      for (int i = 0; i < kEach; ++i) {
        if (!access.AppendLog({"thread" + std::to_string(t), "user.list", {}, {},
                               "ok", ""})) {
          ++failures[t];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  PgAccess reader(*station, dir_.path());
  auto check = reader.VerifyLog();
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->ok) << check->problem;
  EXPECT_EQ(check->entries, kThreads * kEach);
}

TEST_F(PostgresStations, TwoStationsAddingOneUserGetOneSuccessAndOneConflict) {
  auto a = Station();
  auto b = Station();
  ASSERT_TRUE(a && b);
  {
    PgAccess setup(*a, dir_.path());
    ASSERT_TRUE(setup.AddUser("admin", "correct horse", {"admin"}, "setup"));
  }
  std::latch start(2);
  Result<User> got[2];
  auto add = [&](PgCatalog& station, int who) {
    PgAccess access(station, dir_.path());
    start.arrive_and_wait();
    got[who] = access.AddUser("ann", "long enough " + std::to_string(who),
                              {"clerk"}, "admin");
  };
  std::thread t([&] { add(*b, 1); });
  add(*a, 0);
  t.join();
  const int winners = (got[0] ? 1 : 0) + (got[1] ? 1 : 0);
  ASSERT_EQ(winners, 1);
  const Result<User>& loser = got[0] ? got[1] : got[0];
  EXPECT_EQ(loser.error().code, ErrorCode::kConflict) << loser.error().message;
  // The winner's password is the one that works; one user, one history.
  const int winner = got[0] ? 0 : 1;
  PgAccess reader(*a, dir_.path());
  EXPECT_TRUE(reader.CheckPassword("ann", "long enough " + std::to_string(winner)));
  EXPECT_EQ(reader.ListUsers()->size(), 2u);
}

}  // namespace
}  // namespace dossier::storage::postgres
