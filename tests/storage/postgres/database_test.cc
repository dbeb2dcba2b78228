// The PostgreSQL catalog's transaction runner and schema, on the test
// cluster (storage/postgres/database.h): serialization failures and
// deadlocks are run again and never reach the caller, a lost connection is
// an error naming the server without its password and writes nothing, a
// dead pooled connection is replaced, and the schema is versioned.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <memory>
#include <string>
#include <thread>

#include "storage/postgres/catalog.h"
#include "storage/postgres/database.h"
#include "tests/support/pg_test_support.h"

namespace dossier::storage::postgres {
namespace {

using dossier::testing::PgTestDatabase;

class PostgresDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = PgTestDatabase::Create();
    ASSERT_TRUE(created) << created.error().message;
    database_ = std::move(*created);
    auto c = PgCatalog::Open(database_->url());
    ASSERT_TRUE(c) << c.error().message;
    catalog_ = std::move(*c);
    ASSERT_TRUE(db().Transact("making the test table", [](Tx& tx) -> Status {
      tx.Run("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)");
      tx.Run("INSERT INTO counter VALUES (1, 0), (2, 0)");
      return Ok();
    }));
  }
  void TearDown() override {
    catalog_.reset();
    database_.reset();
  }
  Database& db() { return catalog_->db(); }
  int Counter(int id) {
    auto n = db().Transact("reading the counter", [&](Tx& tx) -> Result<int> {
      return tx.Run("SELECT n FROM counter WHERE id = " + std::to_string(id))[0][0]
          .as<int>();
    });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }
  // The password in the cluster's URL, which no message may show.
  std::string Password() {
    const std::string& url = database_->cluster_url();
    auto colon = url.find(':', url.find("://") + 3);
    return url.substr(colon + 1, url.find('@') - colon - 1);
  }

  std::unique_ptr<PgTestDatabase> database_;
  std::unique_ptr<PgCatalog> catalog_;
};

TEST_F(PostgresDatabase, TheSchemaIsVersionedAndMigratedOnce) {
  auto v = catalog_->SchemaVersion();
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, LatestPgSchemaVersion());
  // A second station opening the same database finds nothing to do.
  auto again = PgCatalog::Open(database_->url());
  ASSERT_TRUE(again) << again.error().message;
  auto rows = db().Transact("counting versions", [](Tx& tx) -> Result<int> {
    return tx.Run("SELECT count(*) FROM schema_version")[0][0].as<int>();
  });
  ASSERT_TRUE(rows);
  EXPECT_EQ(*rows, LatestPgSchemaVersion());
  // A schema newer than this build is refused, not written over.
  ASSERT_TRUE(db().Transact("faking a newer schema", [](Tx& tx) -> Status {
    tx.Run("INSERT INTO schema_version VALUES (999, 'later')");
    return Ok();
  }));
  auto newer = PgCatalog::Open(database_->url());
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, ErrorCode::kConflict);
  EXPECT_NE(newer.error().message.find("999"), std::string::npos);
}

TEST_F(PostgresDatabase, ASerializationFailureIsRunAgainNotShown) {
  // Another station commits a change to the row this transaction read,
  // before this one writes it: the server refuses this transaction's
  // write; Transact runs it again and the caller sees one success.
  auto other = PgCatalog::Open(database_->url());
  ASSERT_TRUE(other) << other.error().message;
  int runs = 0;
  auto n = db().Transact("incrementing the counter", [&](Tx& tx) -> Result<int> {
    ++runs;
    const int seen = tx.Run("SELECT n FROM counter WHERE id = 1")[0][0].as<int>();
    if (runs == 1) {
      auto s = (*other)->db().Transact("a concurrent increment", [](Tx& o) -> Status {
        o.Run("UPDATE counter SET n = n + 1 WHERE id = 1");
        return Ok();
      });
      EXPECT_TRUE(s) << s.error().message;
    }
    tx.Run("UPDATE counter SET n = " + std::to_string(seen + 1) + " WHERE id = 1");
    return seen + 1;
  });
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(db().retries(), 1);
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(Counter(1), 2);  // both increments, neither lost
}

TEST_F(PostgresDatabase, ATransactionThatAlwaysLosesIsAConflictAfterItsAttempts) {
  // Every run loses the same race: after max_attempts runs the caller gets
  // one clean kConflict, and nothing of this transaction is written.
  PoolOptions options;
  options.max_attempts = 3;
  auto mine = PgCatalog::Open(database_->url(), options);
  ASSERT_TRUE(mine) << mine.error().message;
  auto other = PgCatalog::Open(database_->url());
  ASSERT_TRUE(other) << other.error().message;
  int runs = 0;
  auto s = (*mine)->db().Transact("setting the counter", [&](Tx& tx) -> Status {
    ++runs;
    tx.Run("SELECT n FROM counter WHERE id = 1");
    auto o = (*other)->db().Transact("a concurrent increment", [](Tx& t) -> Status {
      t.Run("UPDATE counter SET n = n + 1 WHERE id = 1");
      return Ok();
    });
    EXPECT_TRUE(o) << o.error().message;
    tx.Run("UPDATE counter SET n = 100 WHERE id = 1");
    tx.Run("UPDATE counter SET n = 100 WHERE id = 2");
    return Ok();
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_NE(s.error().message.find("setting the counter"), std::string::npos)
      << s.error().message;
  EXPECT_NE(s.error().message.find("busy"), std::string::npos) << s.error().message;
  EXPECT_EQ(runs, 3);
  EXPECT_EQ((*mine)->db().retries(), 2);
  EXPECT_EQ(Counter(1), 3);  // the other station's three increments only
  EXPECT_EQ(Counter(2), 0);
}

TEST_F(PostgresDatabase, ADeadlockIsRunAgainNotShown) {
  // Two transactions lock rows 1 and 2 in opposite orders; the server
  // aborts one as a deadlock victim, which runs again. Both succeed.
  auto other = PgCatalog::Open(database_->url());
  ASSERT_TRUE(other) << other.error().message;
  std::latch both_hold_one(2);
  std::atomic<int> runs{0};
  auto lock_both = [&](Database& d, int first, int second) {
    bool first_run = true;
    return d.Transact("locking two rows", [&](Tx& tx) -> Status {
      ++runs;
      tx.Run("UPDATE counter SET n = n + 1 WHERE id = " + std::to_string(first));
      if (first_run) {
        first_run = false;
        both_hold_one.arrive_and_wait();
      }
      tx.Run("UPDATE counter SET n = n + 1 WHERE id = " + std::to_string(second));
      return Ok();
    });
  };
  Status a, b;
  std::thread t([&] { b = lock_both((*other)->db(), 2, 1); });
  a = lock_both(db(), 1, 2);
  t.join();
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  // At least the deadlock victim ran again. Its second run can also lose,
  // to the survivor's commit of a row it then updates (a serialization
  // failure), and run a third time: every run beyond the first two is a
  // retry, and each transaction's effect is counted once.
  const auto retries = db().retries() + (*other)->db().retries();
  EXPECT_GE(retries, 1);
  EXPECT_EQ(static_cast<std::int64_t>(runs.load()), 2 + retries);
  EXPECT_EQ(Counter(1), 2);
  EXPECT_EQ(Counter(2), 2);
}

TEST_F(PostgresDatabase, ALostConnectionIsAClearErrorAndWritesNothing) {
  auto killer = PgCatalog::Open(database_->url());
  ASSERT_TRUE(killer) << killer.error().message;
  int runs = 0;
  auto s = db().Transact("writing the counter", [&](Tx& tx) -> Status {
    ++runs;
    tx.Run("UPDATE counter SET n = 42 WHERE id = 1");
    const int pid = tx.Run("SELECT pg_backend_pid()")[0][0].as<int>();
    auto k = (*killer)->db().Transact("ending a backend", [&](Tx& o) -> Status {
      o.Run("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
      return Ok();
    });
    EXPECT_TRUE(k) << k.error().message;
    tx.Run("UPDATE counter SET n = 43 WHERE id = 2");
    return Ok();
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(runs, 1);  // reported, not run again behind the caller's back
  EXPECT_EQ(s.error().code, ErrorCode::kCatalog);
  const std::string& m = s.error().message;
  EXPECT_NE(m.find(catalog_->server()), std::string::npos) << m;
  EXPECT_NE(m.find("127.0.0.1"), std::string::npos) << m;
  EXPECT_NE(m.find(database_->name()), std::string::npos) << m;
  EXPECT_NE(m.find("writing the counter"), std::string::npos) << m;
  EXPECT_NE(m.find("nothing of it was written"), std::string::npos) << m;
  EXPECT_EQ(m.find(Password()), std::string::npos) << m;
  EXPECT_EQ(Counter(1), 0);
  EXPECT_EQ(Counter(2), 0);
}

TEST_F(PostgresDatabase, ADeadPooledConnectionIsReplaced) {
  auto pid = db().Transact("asking the backend", [](Tx& tx) -> Result<int> {
    return tx.Run("SELECT pg_backend_pid()")[0][0].as<int>();
  });
  ASSERT_TRUE(pid);
  auto killer = PgCatalog::Open(database_->url());
  ASSERT_TRUE(killer);
  ASSERT_TRUE((*killer)->db().Transact("ending a backend", [&](Tx& o) -> Status {
    // Waits until the backend is gone, so the pool holds a dead one.
    o.Run("SELECT pg_terminate_backend(" + std::to_string(*pid) + ", 10000)");
    return Ok();
  }));
  const auto opened = db().connections_opened();
  auto next = db().Transact("asking again", [](Tx& tx) -> Result<int> {
    return tx.Run("SELECT pg_backend_pid()")[0][0].as<int>();
  });
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_NE(*next, *pid);
  EXPECT_GT(db().connections_opened(), opened);
}

TEST_F(PostgresDatabase, AnUnreachableServerIsNamedWithoutItsPassword) {
  // A port nothing listens on: the URL of the cluster with port 1.
  const std::string url =
      "postgresql://dossier:" + Password() + "@127.0.0.1:1/dossier_nowhere";
  auto c = PgCatalog::Open(url);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kCatalog);
  EXPECT_NE(c.error().message.find("dossier@127.0.0.1:1/dossier_nowhere"),
            std::string::npos)
      << c.error().message;
  EXPECT_EQ(c.error().message.find(Password()), std::string::npos)
      << c.error().message;
}

TEST_F(PostgresDatabase, AnErrorFromTheUseCaseRollsItBack) {
  auto s = db().Transact("a refused change", [](Tx& tx) -> Status {
    tx.Run("UPDATE counter SET n = 7 WHERE id = 1");
    return MakeError(ErrorCode::kConflict, "refused");
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Counter(1), 0);
  EXPECT_EQ(db().retries(), 0);
}

}  // namespace
}  // namespace dossier::storage::postgres
