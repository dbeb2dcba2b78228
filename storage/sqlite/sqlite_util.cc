#include "storage/sqlite/sqlite_util.h"

#include <fmt/format.h>

#include <thread>

namespace dossier::storage {

StatementCache::~StatementCache() {
  for (auto& [sql, stmt] : idle_) sqlite3_finalize(stmt);
}

sqlite3_stmt* StatementCache::Take(std::string_view sql) {
  auto it = idle_.find(sql);
  if (it == idle_.end()) return nullptr;
  sqlite3_stmt* stmt = it->second;
  idle_.erase(it);
  return stmt;
}

void StatementCache::Give(sqlite3_stmt* stmt) {
  // Reset first: a statement kept in the middle of its rows would hold its
  // read snapshot (and a lock) on the connection.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  const char* sql = sqlite3_sql(stmt);
  if (sql == nullptr || idle_.size() >= kLimit) {
    sqlite3_finalize(stmt);
    return;
  }
  auto [it, added] = idle_.emplace(sql, stmt);
  if (!added) sqlite3_finalize(stmt);  // a second copy, made while one was in use
}

void StatementFinalizer::operator()(sqlite3_stmt* stmt) const {
  if (cache != nullptr) {
    cache->Give(stmt);
  } else {
    sqlite3_finalize(stmt);
  }
}

Statement::Statement(const Database* db, sqlite3_stmt* stmt, std::string what,
                     StatementCache* cache)
    : db_(db), stmt_(stmt, StatementFinalizer{cache}), what_(std::move(what)) {}

Statement& Statement::Bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  if (rc != SQLITE_OK && !bind_error_) bind_error_ = db_->ErrorFor(rc, what_);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  int rc = sqlite3_bind_double(stmt_.get(), index, value);
  if (rc != SQLITE_OK && !bind_error_) bind_error_ = db_->ErrorFor(rc, what_);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(),
                               SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && !bind_error_) bind_error_ = db_->ErrorFor(rc, what_);
  return *this;
}

Statement& Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_.get(), index);
  if (rc != SQLITE_OK && !bind_error_) bind_error_ = db_->ErrorFor(rc, what_);
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_) return std::unexpected(*bind_error_);
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Reset so the statement releases its read lock before the caller's
  // transaction (if any) rolls back.
  Error error = db_->ErrorFor(rc, what_);
  sqlite3_reset(stmt_.get());
  return std::unexpected(std::move(error));
}

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
  }
  sqlite3_reset(stmt_.get());
  return Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  bind_error_.reset();
}

std::int64_t Statement::ColumnInt64(int col) const {
  return sqlite3_column_int64(stmt_.get(), col);
}

int Statement::ColumnInt(int col) const {
  return sqlite3_column_int(stmt_.get(), col);
}

double Statement::ColumnDouble(int col) const {
  return sqlite3_column_double(stmt_.get(), col);
}

std::string Statement::ColumnText(int col) const {
  const auto* text = sqlite3_column_text(stmt_.get(), col);
  if (text == nullptr) return {};
  int size = sqlite3_column_bytes(stmt_.get(), col);
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(size));
}

bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL;
}

Result<Database> Database::Open(const std::filesystem::path& path, int flags) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  // sqlite3_open_v2 may hand back a handle even on failure; own it either
  // way so it is closed.
  SqliteHandle handle(raw);
  if (rc != SQLITE_OK) {
    std::string message =
        raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return MakeError(
        ErrorCode::kCatalog,
        fmt::format("catalog {}: {} while opening", path.string(), message));
  }
  sqlite3_extended_result_codes(raw, 1);
  return Database(std::move(handle), path.string());
}

Error Database::LastError(std::string_view what) const {
  return Error{ErrorCode::kCatalog,
               fmt::format("catalog {}: {} while {}", path_,
                           sqlite3_errmsg(handle_.get()), what)};
}

Error Database::ErrorFor(int rc, std::string_view what) const {
  // errmsg describes the most recent failing call, which is the one that
  // returned rc; fall back to the generic text if it was cleared.
  const char* message = sqlite3_errcode(handle_.get()) == SQLITE_OK
                            ? sqlite3_errstr(rc)
                            : sqlite3_errmsg(handle_.get());
  return Error{ErrorCode::kCatalog,
               fmt::format("catalog {}: {} while {}", path_, message, what)};
}

Status Database::Exec(std::string_view sql, std::string_view what) const {
  std::string copy(sql);  // sqlite3_exec wants a NUL-terminated string
  int rc = sqlite3_exec(handle_.get(), copy.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(ErrorFor(rc, what));
  return Ok();
}

Result<Statement> Database::Prepare(std::string_view sql,
                                    std::string_view what) const {
  if (sqlite3_stmt* cached = cache_->Take(sql)) {
    return Statement(this, cached, std::string(what), cache_.get());
  }
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(handle_.get(), sql.data(),
                              static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return std::unexpected(ErrorFor(rc, what));
  }
  // Only a statement whose SQL is exactly the text asked for is kept: a
  // text with more after its first statement is compiled each time.
  const bool whole = tail == sql.data() + sql.size();
  return Statement(this, raw, std::string(what), whole ? cache_.get() : nullptr);
}

Result<std::int64_t> Database::QueryInt(std::string_view sql,
                                        std::string_view what) const {
  auto stmt = Prepare(sql, what);
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return 0;
  return stmt->ColumnInt64(0);
}

namespace {

// sqlite3_busy_handler's callback: `tries` is how often it was called for
// this lock; non-zero means try again.
int WaitBriefly(void* timeout, int tries) {
  constexpr auto kPoll = std::chrono::milliseconds(1);
  const auto limit = *static_cast<const std::chrono::milliseconds*>(timeout);
  if (kPoll * tries >= limit) return 0;
  std::this_thread::sleep_for(kPoll);
  return 1;
}

}  // namespace

Status Database::SetBusyTimeout(std::chrono::milliseconds timeout) const {
  *busy_timeout_ = timeout;
  int rc = sqlite3_busy_handler(handle_.get(), WaitBriefly, busy_timeout_.get());
  if (rc != SQLITE_OK) return std::unexpected(ErrorFor(rc, "setting the busy timeout"));
  return Ok();
}

Result<Transaction> Transaction::Begin(const Database& db,
                                       std::string_view what) {
  if (auto s = db.Exec("BEGIN IMMEDIATE", what); !s) {
    return std::unexpected(s.error());
  }
  return Transaction(&db, std::string(what));
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_), what_(std::move(other.what_)), open_(other.open_) {
  other.open_ = false;
}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Status Transaction::Commit() {
  auto status = db_->Exec("COMMIT", what_);
  // A failed COMMIT leaves the transaction open; the destructor rolls back.
  if (status) open_ = false;
  return status;
}

Result<std::vector<std::int64_t>> Statement::CollectInt64s() {
  std::vector<std::int64_t> values;
  while (true) {
    auto row = Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return values;
    values.push_back(ColumnInt64(0));
  }
}

Status Statement::ForEachRow(const std::function<void()>& on_row) {
  while (true) {
    auto row = Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return Ok();
    on_row();
  }
}

}  // namespace dossier::storage
