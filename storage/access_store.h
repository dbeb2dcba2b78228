// Access: users, roles, sessions and the tamper-evident access log.
// Manual 3.4 (least privilege per role) and 3.3 (access-controlled storage).
// See docs/access.md for the permission matrix and the log format.
//
// The store interface and its value types; the SQLite implementation is
// storage/sqlite/access.h (schema version 5). Two modes:
//   - open station: the archive has no users (a fresh `dossier init` without
//     --admin, or an archive upgraded from before version 5). The caller
//     names the acting user; it holds the admin role. Everything is logged.
//   - secured: at least one user exists. Users prove who they are with a
//     password (libsodium argon2id, crypto_pwhash_str) or a session token
//     made by CreateSession. An archive never goes back to open.
//
// The access log: one row per command (who, what, when, outcome). Entry n
// stores the SHA-256 of entry n-1 and its own SHA-256 over a canonical
// serialisation (CanonicalLogEntry), so changing, deleting, inserting or
// reordering rows breaks the chain and VerifyLog names the first bad entry.
// Triggers refuse UPDATE and DELETE on the log table. An export carries the
// chain head signed with the archive's Ed25519 key (crypto_sign), whose
// secret half is kept in its own 0600 file, not in the catalog.
//
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "governance/access_log.h"
#include "governance/policy.h"
#include "storage/records_store.h"

namespace dossier::storage {

// Roles, permissions and masking are governance's policy
// (governance/policy.h); the names are used here as before.
using governance::CheckPermission;
using governance::IsRole;
using governance::IsSensitiveField;
using governance::MaskValue;
using governance::Principal;
using governance::RoleHasPermission;
using governance::Roles;

// --- Users and sessions ------------------------------------------------------

struct User {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> roles;  // sorted
  bool active = true;
  std::string created_at;
  std::string created_by;
};


// Failed logins in a row of one claimed name (a user or not).
struct LoginState {
  std::int64_t failures = 0;          // of this name
  std::int64_t station_failures = 0;  // of all names on this archive
  bool locked = false;                // refused until an admin unlocks it
  std::chrono::milliseconds next_delay{0};  // the next attempt waits this
};

struct NewSession {
  std::string token;       // 64 hex digits; shown once, stored hashed
  std::string expires_at;  // ISO 8601 UTC
};

// --- Access log --------------------------------------------------------------

struct NewLogEntry {
  std::string actor;    // user name, or the claimed name of a failed login
  std::string command;  // subcommand path, e.g. "loan approve"
  std::vector<std::string> args;     // secrets already redacted
  std::vector<std::string> records;  // record ids the command named
  std::string outcome;  // "ok", "error:<code>" or "denied"
  std::string detail;   // error message or note; never a password
};

struct LogFilter {
  std::string user;    // exact actor; '' = any
  std::string record;  // record id named by the entry (case-insensitive)
  std::string since;   // inclusive; YYYY-MM-DD or ISO 8601 UTC; '' = open
  std::string until;   // inclusive (a date covers the whole day)
};

// The log chain's entries, checks and export format are governance's
// (governance/access_log.h), by their names here too.
using governance::CanonicalLogEntry;
using governance::LogCheck;
using governance::LogEntry;
using governance::LogEntryHash;
using governance::VerifyLogEntries;
using governance::VerifyLogExport;

// AccessStore: what governance's users, sessions and the access log ask of
// persistence. Every backend implements it and passes the contract suite
// (tests/access/access_store_contract_test.cc): each call's writes land
// together or not at all; errors are kInvalidArgument for malformed input,
// kNotFound for an absent record, kConflict for a refused change,
// kPermissionDenied for a refused login or session, kCatalog for the
// backend's own failures.
//
// Thread safety: an instance is NOT thread-safe; use one per thread.
class AccessStore {
 public:
  virtual ~AccessStore() = default;
  // The archive's random identity (32 hex digits).
  virtual Result<std::string> ArchiveId() = 0;
  // true while no user exists.
  virtual Result<bool> IsOpenStation() = 0;
  // The principal of an open station: the given name with role admin.
  // kConflict if the archive is secured.
  virtual Result<Principal> OpenStationPrincipal(const std::string& name) = 0;

  // Adds a user with a password (at least 8 bytes) and one or more roles.
  // kInvalidArgument for a bad name, role or short password; kConflict if
  // the name exists, or if the archive is an open station and roles lack
  // admin (the first user must be an admin).
  virtual Result<User> AddUser(const std::string& name, const std::string& password,
                               const std::vector<std::string>& roles,
                               const std::string& actor) = 0;
  virtual Result<User> GetUser(const std::string& name) = 0;  // kNotFound
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Status GrantRole(const std::string& name, const std::string& role,
                           const std::string& actor) = 0;
  // kConflict if it would leave no active admin.
  virtual Status RevokeRole(const std::string& name, const std::string& role,
                            const std::string& actor) = 0;
  // Disabling ends the user's sessions; kConflict for the last active admin.
  virtual Status SetActive(const std::string& name, bool active,
                           const std::string& actor) = 0;
  virtual Status SetPassword(const std::string& name, const std::string& password,
                             const std::string& actor) = 0;

  // Checks a password. Unknown user, disabled user and wrong password all
  // give the same kPermissionDenied "login failed for NAME", after the
  // same work (one argon2id verification). The attempt first waits
  // GetLoginState's next_delay; every failure is counted in the catalog
  // (login_failures, shared by all processes) and a name with
  // lockout_after failures in a row is refused until UnlockUser.
  virtual Result<Principal> CheckPassword(const std::string& name,
                                          const std::string& password) = 0;
  // CheckPassword, then a new session valid for `hours` (1..168).
  virtual Result<NewSession> CreateSession(const std::string& name,
                                           const std::string& password, int hours) = 0;
  // kPermissionDenied if the token is unknown, ended, expired or its user
  // disabled.
  virtual Result<Principal> ResumeSession(const std::string& token) = 0;
  // Ends the session (idempotent for an ended one); kNotFound if unknown.
  virtual Status EndSession(const std::string& token) = 0;

  // Login throttling (governance::LoginThrottle; setting "login-throttle").
  virtual Result<governance::LoginThrottle> LoginThrottleSettings() = 0;
  virtual Status SetLoginThrottle(const governance::LoginThrottle& throttle,
                                  const std::string& actor) = 0;
  virtual Result<LoginState> GetLoginState(const std::string& name) = 0;
  // Clears a user's failed logins and lockout (history: failed_logins);
  // kNotFound for no such user.
  virtual Status UnlockUser(const std::string& name, const std::string& actor) = 0;

  // Appends one entry and returns it once it is committed: durable, and
  // chained after every entry committed before it. A backend may commit
  // the entries of several callers at once in one transaction (a group
  // commit, storage/sqlite/access.h); a failed commit is an error to each
  // of them, and none of their entries is kept.
  virtual Result<LogEntry> AppendLog(const NewLogEntry& entry) = 0;
  // Entries matching the filter, oldest first.
  virtual Result<std::vector<LogEntry>> ReadLog(const LogFilter& filter) = 0;
  // Walks the whole chain.
  virtual Result<LogCheck> VerifyLog() = 0;
  // The whole log as JSON: entries, head {seq, hash}, archive id, public
  // key and an Ed25519 signature over the head (docs/access.md). Creates
  // the archive's signing key on first use.
  virtual Result<std::string> ExportLog() = 0;
  // The archive's signing public key (hex); created on first use.
  virtual Result<std::string> SigningPublicKey() = 0;
  // The file holding the secret signing key (0600): $DOSSIER_LOG_KEY if
  // set, else log-signing.key next to the catalog.
  virtual std::filesystem::path SigningKeyFile() const = 0;
  // Archives made before the key file kept the secret key in the catalog:
  // writes it to SigningKeyFile (unless the same key is there) and removes
  // it from the catalog. A no-op once done.
  virtual Status MigrateSigningKey() = 0;
};


}  // namespace dossier::storage
