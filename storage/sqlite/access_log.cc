// The hash-chained access log (storage/access.h, docs/access.md).
//
// Design notes:
//   - Entry n's hash is SHA-256 over CanonicalLogEntry(n), which includes
//     n's seq and prev_hash (entry n-1's hash; 64 zeros for entry 1). A
//     changed field changes the hash; a deleted, inserted or moved row
//     breaks a seq or prev_hash link. VerifyLogEntries checks, per entry:
//     the seq follows, the stored hash matches the content, the prev_hash
//     matches the previous entry; the first failure is reported.
//   - Someone who can write the SQLite file could rewrite the whole chain
//     from some entry on, or cut its tail. An exported log carries the head
//     signed with the archive's Ed25519 key; a later `log verify --head`
//     proves that the head seen then is still in the chain. The secret key
//     is in its own 0600 file (SigningKeyFile), not in the catalog, so
//     whoever can rewrite the catalog cannot also re-sign a forged chain
//     unless they can read that file too (storage/access_secrets.h keeps
//     the file and signs the export, for every backend).
//   - Appends run in BEGIN IMMEDIATE, so two processes never both link to
//     the same previous entry.
//   - All text is made valid UTF-8 before it is stored (file names from the
//     command line may not be), so the canonical JSON is well defined.
#include <fmt/format.h>
#include <sodium.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <span>

#include "storage/access_secrets.h"
#include "storage/sqlite/access.h"
#include "storage/sqlite/catalog_impl.h"
#include "storage/sqlite/sqlite_util.h"

namespace dossier::storage {
namespace {

using access_secrets::kZeroHash;

const char* kLogColumns =
    "seq, at, actor, command, args, records, outcome, detail, prev_hash, hash";

LogEntry ReadEntry(const Statement& stmt) {
  return LogEntry{stmt.ColumnInt64(0), stmt.ColumnText(1), stmt.ColumnText(2),
                  stmt.ColumnText(3),  stmt.ColumnText(4), stmt.ColumnText(5),
                  stmt.ColumnText(6),  stmt.ColumnText(7), stmt.ColumnText(8),
                  stmt.ColumnText(9)};
}

// Appends the batch in one transaction, in order, chained to the last
// entry in the catalog; nothing of it is kept if any step fails.
Result<std::vector<LogEntry>> AppendBatch(const Database& db,
                                          std::span<LogEntry> batch) {
  const std::string what =
      batch.size() == 1
          ? std::string("appending to the access log")
          : fmt::format("appending a batch of {} entries to the access log",
                        batch.size());
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto last = db.Prepare(
      "SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1", what);
  if (!last) return std::unexpected(last.error());
  auto row = last->Step();
  if (!row) return std::unexpected(row.error());
  std::int64_t seq = *row ? last->ColumnInt64(0) : 0;
  std::string prev_hash = *row ? last->ColumnText(1) : std::string(kZeroHash);
  last->Reset();
  auto insert = db.Prepare(
      fmt::format("INSERT INTO access_log ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                  "?7, ?8, ?9, ?10)",
                  kLogColumns),
      what);
  if (!insert) return std::unexpected(insert.error());
  for (LogEntry& e : batch) {
    e.seq = ++seq;
    e.prev_hash = std::move(prev_hash);
    e.hash = LogEntryHash(e);
    prev_hash = e.hash;
    insert->Reset();
    insert->Bind(1, e.seq).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.command)
        .Bind(5, e.args).Bind(6, e.records).Bind(7, e.outcome).Bind(8, e.detail)
        .Bind(9, e.prev_hash).Bind(10, e.hash);
    if (auto s = insert->Run(); !s) return std::unexpected(s.error());
  }
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return std::vector<LogEntry>(batch.begin(), batch.end());
}

// The group commit of each catalog file this process appends to. Every
// connection to the same file shares one, so requests on different
// threads (the server's workers) share transactions and fsyncs. Other
// processes are kept in order by BEGIN IMMEDIATE, as before: the chain's
// last entry is read inside the batch's transaction. A file reached by two
// spellings of its path gets two queues, which is still correct, only
// batched less.
LogCommits& LogCommitsFor(const std::string& catalog_path) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<LogCommits>> by_path;
  std::lock_guard lock(mu);
  auto& slot = by_path[catalog_path];
  if (!slot) slot = std::make_unique<LogCommits>();
  return *slot;
}

}  // namespace

Result<LogEntry> Access::AppendLog(const NewLogEntry& entry) {
  LogEntry e = access_secrets::PrepareLogEntry(entry);
  // Inside a transaction of this connection the entry can only be part of
  // that transaction (as before): a batch's BEGIN would fail for everyone.
  if (sqlite3_get_autocommit(db_->get()) == 0) {
    auto one = AppendBatch(*db_, std::span<LogEntry>(&e, 1));
    if (!one) return std::unexpected(one.error());
    return std::move(one->front());
  }
  if (log_commits_ == nullptr) log_commits_ = &LogCommitsFor(db_->path());
  return log_commits_->Submit(std::move(e), [this](std::span<LogEntry> batch) {
    return AppendBatch(*db_, batch);
  });
}

Result<std::vector<LogEntry>> Access::ReadLog(const LogFilter& filter) {
  auto since = access_secrets::LogTimeBound(filter.since, false);
  if (!since) return std::unexpected(since.error());
  auto until = access_secrets::LogTimeBound(filter.until, true);
  if (!until) return std::unexpected(until.error());
  auto stmt = db_->Prepare(
      fmt::format("SELECT {} FROM access_log "
                  "WHERE (?1 = '' OR actor = ?1) "
                  "AND (?2 = '' OR ' ' || upper(records) || ' ' LIKE "
                  "'% ' || upper(?2) || ' %' ESCAPE '\\') "
                  "AND (?3 = '' OR at >= ?3) AND (?4 = '' OR at <= ?4) "
                  "ORDER BY seq",
                  kLogColumns),
      "reading the access log");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, filter.user).Bind(2, access_secrets::EscapeLike(filter.record)).Bind(3, *since).Bind(4, *until);
  std::vector<LogEntry> entries;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    entries.push_back(ReadEntry(*stmt));
  }
  return entries;
}

Result<LogCheck> Access::VerifyLog() {
  auto entries = ReadLog(LogFilter{});
  if (!entries) return std::unexpected(entries.error());
  return VerifyLogEntries(*entries);
}

// --- The log-signing key --------------------------------------------------
//
// The secret key is in its own 0600 file (storage/access_secrets.h); the
// catalog keeps the public key only (access_identity.sign_public), so a
// missing key file is noticed rather than silently replaced.

namespace fs = std::filesystem;
using access_secrets::ReadKeyFile;
using access_secrets::WriteKeyFile;

fs::path Access::SigningKeyFile() const {
  return access_secrets::SigningKeyFileIn(fs::path(db_->path()).parent_path());
}

Status Access::MigrateSigningKey() {
  const std::string what = "moving the log signing key out of the catalog";
  {
    // The common case, without taking the write lock: nothing to move.
    auto pending = db_->QueryInt(
        "SELECT count(*) FROM access_identity WHERE sign_secret <> ''", what);
    if (!pending) return std::unexpected(pending.error());
    if (*pending == 0) return Ok();
  }
  auto tx = Transaction::Begin(*db_, what);
  if (!tx) return std::unexpected(tx.error());
  auto stmt = db_->Prepare(
      "SELECT sign_secret FROM access_identity WHERE id = 1", what);
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  std::string sk_hex = *row ? stmt->ColumnText(0) : "";
  stmt->Reset();
  if (sk_hex.empty()) return Ok();
  const fs::path file = SigningKeyFile();
  auto existing = ReadKeyFile(file);
  if (!existing) return std::unexpected(existing.error());
  if (!*existing) {
    if (auto s = WriteKeyFile(file, sk_hex); !s) return s;
  } else if (**existing != sk_hex) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("catalog {} holds a log signing key and {} "
                                 "holds another: move one away",
                                 db_->path(), file.string()));
  }
  sodium_memzero(sk_hex.data(), sk_hex.size());
  // secure_delete overwrites the freed text in the database file too.
  if (auto s = db_->Exec("PRAGMA secure_delete = ON", what); !s) return s;
  auto clear = db_->Prepare(
      "UPDATE access_identity SET sign_secret = '' WHERE id = 1", what);
  if (!clear) return std::unexpected(clear.error());
  if (auto s = clear->Run(); !s) return s;
  return tx->Commit();
}

Result<std::string> Access::SigningSecret() {
  if (auto s = access_secrets::InitSodium(); !s) return std::unexpected(s.error());
  if (auto s = MigrateSigningKey(); !s) return std::unexpected(s.error());
  const fs::path file = SigningKeyFile();
  auto existing = ReadKeyFile(file);
  if (!existing) return std::unexpected(existing.error());
  if (*existing) return std::move(**existing);
  const std::string what = "creating the log signing key";
  auto tx = Transaction::Begin(*db_, what);
  if (!tx) return std::unexpected(tx.error());
  auto stmt = db_->Prepare(
      "SELECT sign_public FROM access_identity WHERE id = 1", what);
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  std::string pub = *row ? stmt->ColumnText(0) : "";
  stmt->Reset();
  if (!pub.empty()) {
    // The archive has a key, but its file is gone: a new key would make
    // every earlier export unverifiable against "the archive's key".
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("log signing key {} is missing (the archive's "
                                 "public key is {}): put the key file back, or "
                                 "name it with DOSSIER_LOG_KEY",
                                 file.string(), pub));
  }
  access_secrets::KeyPair pair = access_secrets::NewKeyPair();
  std::string secret = std::move(pair.secret_hex);
  if (auto s = WriteKeyFile(file, secret); !s) return std::unexpected(s.error());
  auto put = db_->Prepare(
      "UPDATE access_identity SET sign_public = ?1 WHERE id = 1", what);
  if (!put) return std::unexpected(put.error());
  put->Bind(1, pair.public_hex);
  if (auto s = put->Run(); !s) return std::unexpected(s.error());
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return secret;
}

Result<std::string> Access::SigningPublicKey() {
  return access_secrets::SigningPublicKeyOf(*this, SigningSecret());
}

Result<std::string> Access::ExportLog() {
  return access_secrets::ExportLogOf(*this, SigningSecret());
}

}  // namespace dossier::storage
