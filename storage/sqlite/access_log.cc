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
//     unless they can read that file too.
//   - Appends run in BEGIN IMMEDIATE, so two processes never both link to
//     the same previous entry.
//   - All text is made valid UTF-8 before it is stored (file names from the
//     command line may not be), so the canonical JSON is well defined.
#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "core/json_text.h"
#include "storage/sqlite/access.h"
#include "storage/sqlite/access_internal.h"
#include "storage/sqlite/catalog_impl.h"
#include "storage/sqlite/sqlite_util.h"

namespace dossier::storage {
namespace {

using nlohmann::json;

const std::string kZeroHash(64, '0');

// Log fields are stored as valid UTF-8: bytes that are not (a file name in
// another encoding) are kept, escaped as \xNN (core/json_text.h).
std::string Utf8(const std::string& s) { return EscapeInvalidUtf8(s); }

const char* kLogColumns =
    "seq, at, actor, command, args, records, outcome, detail, prev_hash, hash";

LogEntry ReadEntry(const Statement& stmt) {
  return LogEntry{stmt.ColumnInt64(0), stmt.ColumnText(1), stmt.ColumnText(2),
                  stmt.ColumnText(3),  stmt.ColumnText(4), stmt.ColumnText(5),
                  stmt.ColumnText(6),  stmt.ColumnText(7), stmt.ColumnText(8),
                  stmt.ColumnText(9)};
}

// A bound for `at`: a date or an ISO 8601 time. A date in `until` covers
// the whole day: "2026-03-01T~" sorts after every time of that day.
Result<std::string> TimeBound(const std::string& text, bool until) {
  if (text.empty()) return std::string();
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  bool date_ok = text.size() >= 10 && digit(0) && digit(1) && digit(2) &&
                 digit(3) && text[4] == '-' && digit(5) && digit(6) &&
                 text[7] == '-' && digit(8) && digit(9);
  if (!date_ok || (text.size() > 10 && text[10] != 'T')) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("time '{}' is not YYYY-MM-DD or "
                                 "YYYY-MM-DDTHH:MM:SSZ",
                                 text));
  }
  if (until && text.size() == 10) return text + "T~";  // '~' > any digit
  return text;
}

}  // namespace

Result<LogEntry> Access::AppendLog(const NewLogEntry& entry) {
  LogEntry e;
  e.at = CurrentUtc().iso8601;
  e.actor = Utf8(entry.actor);
  e.command = Utf8(entry.command);
  e.args = DumpJson(json(entry.args));
  std::string records;
  for (const auto& r : entry.records) {
    if (!records.empty()) records += ' ';
    records += r;
  }
  e.records = Utf8(records);
  e.outcome = Utf8(entry.outcome);
  e.detail = Utf8(entry.detail);
  const std::string what = "appending to the access log";
  auto tx = Transaction::Begin(*db_, what);
  if (!tx) return std::unexpected(tx.error());
  auto last = db_->Prepare(
      "SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1", what);
  if (!last) return std::unexpected(last.error());
  auto row = last->Step();
  if (!row) return std::unexpected(row.error());
  e.seq = *row ? last->ColumnInt64(0) + 1 : 1;
  e.prev_hash = *row ? last->ColumnText(1) : kZeroHash;
  last->Reset();
  e.hash = LogEntryHash(e);
  auto insert = db_->Prepare(
      fmt::format("INSERT INTO access_log ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                  "?7, ?8, ?9, ?10)",
                  kLogColumns),
      what);
  if (!insert) return std::unexpected(insert.error());
  insert->Bind(1, e.seq).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.command)
      .Bind(5, e.args).Bind(6, e.records).Bind(7, e.outcome).Bind(8, e.detail)
      .Bind(9, e.prev_hash).Bind(10, e.hash);
  if (auto s = insert->Run(); !s) return std::unexpected(s.error());
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return e;
}

Result<std::vector<LogEntry>> Access::ReadLog(const LogFilter& filter) {
  auto since = TimeBound(filter.since, false);
  if (!since) return std::unexpected(since.error());
  auto until = TimeBound(filter.until, true);
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
  std::string record;
  for (char c : filter.record) {
    if (c == '%' || c == '_' || c == '\\') record += '\\';
    record += c;
  }
  stmt->Bind(1, filter.user).Bind(2, record).Bind(3, *since).Bind(4, *until);
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
// The secret key lives in its own 0600 file (SigningKeyFile), not in the
// catalog: a copy of the catalog (a backup, a stolen file) carries no key,
// and rewriting the catalog does not give the power to sign. The catalog
// keeps the public key only, so a missing key file is noticed rather than
// silently replaced.

namespace {

namespace fs = std::filesystem;

constexpr char kKeyFileName[] = "log-signing.key";

// The secret key's hex text from the file; nullopt if the file is absent.
Result<std::optional<std::string>> ReadKeyFile(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return MakeError(ErrorCode::kIo,
                     fmt::format("log signing key {}: cannot open: {}",
                                 file.string(), std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return MakeError(ErrorCode::kIo, fmt::format("log signing key {} is not a "
                                                 "regular file",
                                                 file.string()));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return MakeError(ErrorCode::kPermissionDenied,
                     fmt::format("log signing key {} is mode {:04o}: others "
                                 "could read it; chmod 600 it",
                                 file.string(), st.st_mode & 07777));
  }
  std::string text;
  char buf[512];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > 4096) break;
  }
  ::close(fd);
  sodium_memzero(buf, sizeof buf);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' ||
                           text.back() == ' ')) {
    text.pop_back();
  }
  return std::optional<std::string>(std::move(text));
}

// Writes a new key file (0600, never over an existing one).
Status WriteKeyFile(const fs::path& file, const std::string& sk_hex) {
  const int fd = ::open(file.c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        0600);
  if (fd < 0) {
    return MakeError(errno == EEXIST ? ErrorCode::kConflict : ErrorCode::kIo,
                     fmt::format("log signing key {}: cannot create: {}",
                                 file.string(), std::strerror(errno)));
  }
  const std::string text = sk_hex + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, text.data(), text.size()) ==
                static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    ::unlink(file.c_str());
    return MakeError(ErrorCode::kIo, fmt::format("log signing key {}: cannot "
                                                 "write it",
                                                 file.string()));
  }
  return Ok();
}

// The secret key bytes and the public key (hex) from the key's hex text.
Result<std::string> PublicFromSecret(const std::string& sk_hex,
                                     const fs::path& file,
                                     unsigned char (&sk)[crypto_sign_SECRETKEYBYTES]) {
  size_t sk_len = 0;
  if (sodium_hex2bin(sk, sizeof sk, sk_hex.data(), sk_hex.size(), nullptr,
                     &sk_len, nullptr) != 0 ||
      sk_len != sizeof sk) {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("log signing key {} is damaged (not {} hex "
                                 "bytes)",
                                 file.string(), sizeof sk));
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, sk);
  char pk_hex[sizeof pk * 2 + 1];
  sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
  return std::string(pk_hex);
}

}  // namespace

fs::path Access::SigningKeyFile() const {
  if (const char* env = std::getenv("DOSSIER_LOG_KEY");
      env != nullptr && *env != '\0') {
    return fs::path(env);
  }
  return fs::path(db_->path()).parent_path() / kKeyFileName;
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
  if (auto s = InitSodium(); !s) return std::unexpected(s.error());
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
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  char pk_hex[sizeof pk * 2 + 1];
  char sk_hex[sizeof sk * 2 + 1];
  sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
  sodium_bin2hex(sk_hex, sizeof sk_hex, sk, sizeof sk);
  sodium_memzero(sk, sizeof sk);
  std::string secret(sk_hex);
  sodium_memzero(sk_hex, sizeof sk_hex);
  if (auto s = WriteKeyFile(file, secret); !s) return std::unexpected(s.error());
  auto put = db_->Prepare(
      "UPDATE access_identity SET sign_public = ?1 WHERE id = 1", what);
  if (!put) return std::unexpected(put.error());
  put->Bind(1, std::string_view(pk_hex));
  if (auto s = put->Run(); !s) return std::unexpected(s.error());
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return secret;
}

Result<std::string> Access::SigningPublicKey() {
  auto secret = SigningSecret();
  if (!secret) return std::unexpected(secret.error());
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  auto pub = PublicFromSecret(*secret, SigningKeyFile(), sk);
  sodium_memzero(sk, sizeof sk);
  sodium_memzero(secret->data(), secret->size());
  return pub;
}

Result<std::string> Access::ExportLog() {
  auto secret = SigningSecret();
  if (!secret) return std::unexpected(secret.error());
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  auto pub = PublicFromSecret(*secret, SigningKeyFile(), sk);
  sodium_memzero(secret->data(), secret->size());
  if (!pub) return std::unexpected(pub.error());
  auto id = ArchiveId();
  if (!id) {
    sodium_memzero(sk, sizeof sk);
    return std::unexpected(id.error());
  }
  auto entries = ReadLog(LogFilter{});
  if (!entries) {
    sodium_memzero(sk, sizeof sk);
    return std::unexpected(entries.error());
  }
  std::int64_t head_seq = entries->empty() ? 0 : entries->back().seq;
  std::string head_hash = entries->empty() ? kZeroHash : entries->back().hash;
  const std::string message = governance::SignedLogMessage(*id, head_seq, head_hash);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), sk);
  sodium_memzero(sk, sizeof sk);
  char sig_hex[sizeof sig * 2 + 1];
  sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
  json out{{"format", governance::kLogExportFormat},
           {"archive_id", *id},
           {"exported_at", CurrentUtc().iso8601},
           {"entries", json::array()},
           {"head", {{"seq", head_seq}, {"hash", head_hash}}},
           {"public_key", *pub},
           {"signature", std::string(sig_hex)}};
  for (const auto& e : *entries) out["entries"].push_back(governance::LogEntryJson(e));
  return DumpJson(out, 1) + "\n";
}

}  // namespace dossier::storage
