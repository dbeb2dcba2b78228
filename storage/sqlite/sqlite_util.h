// Internal: thin RAII wrappers over the sqlite3 C API.
//
// Every failure is translated here into
//   Error{kCatalog, "catalog <path>: <sqlite3_errmsg> while <what>"}
// so callers only say what they were doing. Not part of the public API.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <functional>
#include <map>
#include <string>
#include <vector>
#include <string_view>

#include "core/result.h"

namespace dossier::storage {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

class Database;

// The statements of one connection that were prepared and are not in use,
// by SQL text, so that the same SQL is compiled once per connection rather
// than once per call. A statement is taken out while a Statement uses it
// (two uses of the same SQL at once get two statements) and handed back
// reset, without bindings, when that Statement ends. At most kLimit are
// kept; a statement returned to a full cache is finalized.
class StatementCache {
 public:
  static constexpr std::size_t kLimit = 64;
  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  ~StatementCache();  // finalizes what it holds
  // A prepared statement of exactly this SQL, or nullptr.
  sqlite3_stmt* Take(std::string_view sql);
  void Give(sqlite3_stmt* stmt);

 private:
  std::map<std::string, sqlite3_stmt*, std::less<>> idle_;
};

// Ends a Statement's use of its sqlite3_stmt: back to its connection's
// cache, or finalized when there is none.
struct StatementFinalizer {
  StatementCache* cache = nullptr;
  void operator()(sqlite3_stmt* stmt) const;
};

// A prepared statement. Bind errors are remembered and reported by the next
// Step(), so call sites can chain binds without checking each one.
// REQUIRES: the Database outlives the Statement.
class Statement {
 public:
  Statement(const Database* db, sqlite3_stmt* stmt, std::string what,
            StatementCache* cache = nullptr);

  // Parameter indexes are 1-based, as in SQLite.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) {
    return Bind(index, static_cast<std::int64_t>(value));
  }
  Statement& Bind(int index, double value);
  // The text is copied (SQLITE_TRANSIENT): the caller's buffer may die.
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) {
    return Bind(index, std::string_view(value));
  }
  Statement& BindNull(int index);

  // true: a row is ready; false: the statement is done.
  Result<bool> Step();
  // Steps to completion, ignoring rows; for INSERT/UPDATE/DDL.
  Status Run();
  // Steps to completion, collecting column 0 of every row as an integer
  // (e.g. the ids of the records a query selects).
  Result<std::vector<std::int64_t>> CollectInt64s();
  // Steps to completion, calling on_row for each row while it is current.
  Status ForEachRow(const std::function<void()>& on_row);
  // Makes the statement reusable with new bindings.
  void Reset();

  std::int64_t ColumnInt64(int col) const;
  int ColumnInt(int col) const;
  double ColumnDouble(int col) const;
  std::string ColumnText(int col) const;
  bool ColumnIsNull(int col) const;

 private:
  const Database* db_;
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt_;
  std::string what_;
  std::optional<Error> bind_error_;
};

// An open connection plus the path used in error messages.
class Database {
 public:
  // flags as for sqlite3_open_v2 (SQLITE_OPEN_*).
  static Result<Database> Open(const std::filesystem::path& path, int flags);

  sqlite3* get() const { return handle_.get(); }
  const std::string& path() const { return path_; }

  // The catalog error for the connection's last failure.
  Error LastError(std::string_view what) const;
  Error ErrorFor(int rc, std::string_view what) const;

  // Runs one or more statements without results.
  Status Exec(std::string_view sql, std::string_view what) const;
  // One statement; compiled on the connection's first use of this SQL and
  // kept for the next (StatementCache).
  Result<Statement> Prepare(std::string_view sql, std::string_view what) const;
  // For single-value queries such as PRAGMA user_version.
  Result<std::int64_t> QueryInt(std::string_view sql,
                                std::string_view what) const;
  // A lock another connection holds is waited for up to `timeout`, tried
  // again every millisecond (SQLite's own handler backs off to 100 ms
  // between tries, so a short transaction elsewhere could cost a request
  // most of that); then SQLITE_BUSY.
  Status SetBusyTimeout(std::chrono::milliseconds timeout) const;

 private:
  Database(SqliteHandle handle, std::string path)
      : handle_(std::move(handle)), path_(std::move(path)),
        cache_(std::make_unique<StatementCache>()) {}
  SqliteHandle handle_;
  std::string path_;
  // How long SetBusyTimeout waits, read by the busy handler.
  std::unique_ptr<std::chrono::milliseconds> busy_timeout_ =
      std::make_unique<std::chrono::milliseconds>(0);
  // Declared after handle_: its statements are finalized before the
  // connection closes. On the heap: a Database moves, Statements keep it.
  std::unique_ptr<StatementCache> cache_;
};

// BEGIN IMMEDIATE on construction via Begin(); rolls back in the destructor
// unless Commit() succeeded. IMMEDIATE takes the write lock up front, so two
// writers wait on busy_timeout instead of failing with SQLITE_BUSY when a
// read transaction tries to upgrade.
class Transaction {
 public:
  static Result<Transaction> Begin(const Database& db, std::string_view what);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Status Commit();

 private:
  Transaction(const Database* db, std::string what)
      : db_(db), what_(std::move(what)) {}
  const Database* db_;
  std::string what_;
  bool open_ = true;
};

}  // namespace dossier::storage
