#include "tests/storage/sqlite/raw_db.h"

#include <sqlite3.h>

#include "gtest/gtest.h"

namespace dossier::storage::testing {

static_assert(RawDb::kOk == RawDb::kOk);

struct RawDb::Handle {
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
  };
  std::unique_ptr<sqlite3, Closer> db;
};

RawDb::RawDb(const std::filesystem::path& path)
    : handle_(std::make_unique<Handle>()) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), RawDb::kOk);
  handle_->db.reset(db);
}

RawDb::~RawDb() = default;

std::string RawDb::Query(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(handle_->db.get(), sql.c_str(), -1, &stmt,
                               nullptr),
            RawDb::kOk)
      << sqlite3_errmsg(handle_->db.get());
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return out;
}

int RawDb::Exec(const std::string& sql) {
  return sqlite3_exec(handle_->db.get(), sql.c_str(), nullptr, nullptr,
                      nullptr);
}

std::string RawDb::LastError() const {
  return sqlite3_errmsg(handle_->db.get());
}

}  // namespace dossier::storage::testing
