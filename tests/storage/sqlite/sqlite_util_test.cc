// storage/sqlite/sqlite_util.h: the per-connection statement cache and the
// busy timeout, on a scratch database.
#include "storage/sqlite/sqlite_util.h"

#include <sqlite3.h>

#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace dossier::storage {
namespace {

class SqliteUtilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() / "scratch.sqlite";
    auto db = Database::Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db) << db.error().message;
    db_.emplace(std::move(*db));
    ASSERT_TRUE(db_->Exec("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER);"
                          "INSERT INTO t VALUES (1), (2), (3);",
                          "setting up"));
  }
  Database Second() {
    auto db = Database::Open(path_, SQLITE_OPEN_READWRITE);
    EXPECT_TRUE(db) << db.error().message;
    return std::move(*db);
  }

  dossier::testing::TempDir dir_;
  std::filesystem::path path_;
  std::optional<Database> db_;
};

TEST_F(SqliteUtilTest, TheSameSqlInUseTwiceAtOnceGetsTwoStatements) {
  const std::string sql = "SELECT v FROM t ORDER BY v";
  auto outer = db_->Prepare(sql, "outer");
  ASSERT_TRUE(outer);
  ASSERT_TRUE(*outer->Step());
  EXPECT_EQ(outer->ColumnInt(0), 1);
  {
    auto inner = db_->Prepare(sql, "inner");
    ASSERT_TRUE(inner);
    int rows = 0;
    while (*inner->Step()) ++rows;
    EXPECT_EQ(rows, 3);
  }
  // The outer statement's place is kept.
  ASSERT_TRUE(*outer->Step());
  EXPECT_EQ(outer->ColumnInt(0), 2);
}

TEST_F(SqliteUtilTest, AStatementComesBackWithoutItsBindings) {
  {
    auto stmt = db_->Prepare("SELECT ?1", "binding");
    ASSERT_TRUE(stmt);
    stmt->Bind(1, std::int64_t{42});
    ASSERT_TRUE(*stmt->Step());
    EXPECT_EQ(stmt->ColumnInt(0), 42);
  }
  auto again = db_->Prepare("SELECT ?1", "not binding");
  ASSERT_TRUE(again);
  ASSERT_TRUE(*again->Step());
  EXPECT_TRUE(again->ColumnIsNull(0));
}

// A statement left in the middle of its rows goes back reset: it holds no
// read snapshot, so the connection sees what others committed since.
TEST_F(SqliteUtilTest, AStatementLeftMidwayHoldsNoSnapshotOnceItEnds) {
  const std::string sql = "SELECT count(*) FROM t";
  {
    auto stmt = db_->Prepare("SELECT v FROM t", "reading one row");
    ASSERT_TRUE(stmt);
    ASSERT_TRUE(*stmt->Step());
  }
  Database other = Second();
  ASSERT_TRUE(other.Exec("INSERT INTO t VALUES (4)", "writing elsewhere"));
  auto count = db_->QueryInt(sql, "counting");
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(*count, 4);
  // The reused statement sees a later write too.
  ASSERT_TRUE(other.Exec("INSERT INTO t VALUES (5)", "writing elsewhere"));
  EXPECT_EQ(*db_->QueryInt(sql, "counting again"), 5);
}

TEST_F(SqliteUtilTest, StatementsSurviveASchemaChange) {
  const std::string sql = "SELECT * FROM t";
  { ASSERT_TRUE(db_->Prepare(sql, "before")); }
  ASSERT_TRUE(db_->Exec("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'x'", "altering"));
  auto stmt = db_->Prepare(sql, "after");
  ASSERT_TRUE(stmt);
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->ColumnText(1), "x");
}

TEST_F(SqliteUtilTest, ALockHeldElsewhereIsWaitedForThenReportedBusy) {
  Database other = Second();
  ASSERT_TRUE(other.Exec("BEGIN IMMEDIATE", "taking the write lock"));
  ASSERT_TRUE(db_->SetBusyTimeout(std::chrono::milliseconds(20)));
  auto tx = Transaction::Begin(*db_, "writing while locked");
  ASSERT_FALSE(tx);
  EXPECT_NE(tx.error().message.find("locked"), std::string::npos) << tx.error().message;
  ASSERT_TRUE(other.Exec("COMMIT", "releasing"));
  auto later = Transaction::Begin(*db_, "writing after the lock went");
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_TRUE(later->Commit());
}

}  // namespace
}  // namespace dossier::storage
