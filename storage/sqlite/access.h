// Access: users, roles, sessions and the tamper-evident access log.
// Manual 3.4 (least privilege per role) and 3.3 (access-controlled storage).
// See docs/access.md for the permission matrix and the log format.
//
// Works on the Catalog's SQLite connection (schema version 5). Two modes:
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
// Thread safety: as Catalog. REQUIRES: the Catalog outlives the Access.
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
#include "governance/policy.h"
#include "storage/sqlite/catalog.h"

namespace dossier::storage {

class Database;  // storage/sqlite_util.h

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

struct LogEntry {
  std::int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string command;
  std::string args;     // JSON array text
  std::string records;  // space-separated
  std::string outcome;
  std::string detail;
  std::string prev_hash;
  std::string hash;
};

struct LogFilter {
  std::string user;    // exact actor; '' = any
  std::string record;  // record id named by the entry (case-insensitive)
  std::string since;   // inclusive; YYYY-MM-DD or ISO 8601 UTC; '' = open
  std::string until;   // inclusive (a date covers the whole day)
};

struct LogCheck {
  bool ok = true;
  std::int64_t entries = 0;        // entries read
  std::int64_t first_bad = 0;      // seq of the first bad entry; 0 if ok
  std::string problem;             // what is wrong with it
  std::string head_hash;           // hash of the last good entry
  std::int64_t head_seq = 0;
};

// The exact bytes hashed for an entry (a JSON object with sorted keys over
// all fields but hash). Documented in docs/access.md so a copy can be
// checked without this program.
std::string CanonicalLogEntry(const LogEntry& entry);
// Lower-case hex SHA-256 of CanonicalLogEntry.
std::string LogEntryHash(const LogEntry& entry);
// Checks a sequence of entries in seq order (the chain from entry 1).
LogCheck VerifyLogEntries(std::span<const LogEntry> entries);
// Checks an exported log (ExportLog's JSON): the chain, that the head
// matches the last entry, and the signature. With expected_public_key set
// the export must be signed by that key (hex); otherwise the key in the
// file is used and reported as "key <hex>" in problem-free checks.
// kInvalidArgument if the text is not an export.
Result<LogCheck> VerifyLogExport(std::string_view json,
                                 const std::optional<std::string>& expected_public_key);

class Access {
 public:
  explicit Access(Catalog& catalog);

  // The archive's random identity (32 hex digits).
  Result<std::string> ArchiveId();
  // true while no user exists.
  Result<bool> IsOpenStation();
  // The principal of an open station: the given name with role admin.
  // kConflict if the archive is secured.
  Result<Principal> OpenStationPrincipal(const std::string& name);

  // Adds a user with a password (at least 8 bytes) and one or more roles.
  // kInvalidArgument for a bad name, role or short password; kConflict if
  // the name exists, or if the archive is an open station and roles lack
  // admin (the first user must be an admin).
  Result<User> AddUser(const std::string& name, const std::string& password,
                       const std::vector<std::string>& roles,
                       const std::string& actor);
  Result<User> GetUser(const std::string& name);  // kNotFound
  Result<std::vector<User>> ListUsers();
  Status GrantRole(const std::string& name, const std::string& role,
                   const std::string& actor);
  // kConflict if it would leave no active admin.
  Status RevokeRole(const std::string& name, const std::string& role,
                    const std::string& actor);
  // Disabling ends the user's sessions; kConflict for the last active admin.
  Status SetActive(const std::string& name, bool active,
                   const std::string& actor);
  Status SetPassword(const std::string& name, const std::string& password,
                     const std::string& actor);

  // Checks a password. Unknown user, disabled user and wrong password all
  // give the same kPermissionDenied "login failed for NAME", after the
  // same work (one argon2id verification). The attempt first waits
  // GetLoginState's next_delay; every failure is counted in the catalog
  // (login_failures, shared by all processes) and a name with
  // lockout_after failures in a row is refused until UnlockUser.
  Result<Principal> CheckPassword(const std::string& name,
                                  const std::string& password);
  // CheckPassword, then a new session valid for `hours` (1..168).
  Result<NewSession> CreateSession(const std::string& name,
                                   const std::string& password, int hours);
  // kPermissionDenied if the token is unknown, ended, expired or its user
  // disabled.
  Result<Principal> ResumeSession(const std::string& token);
  // Ends the session (idempotent for an ended one); kNotFound if unknown.
  Status EndSession(const std::string& token);

  // Login throttling (governance::LoginThrottle; setting "login-throttle").
  Result<governance::LoginThrottle> LoginThrottleSettings();
  Status SetLoginThrottle(const governance::LoginThrottle& throttle,
                          const std::string& actor);
  Result<LoginState> GetLoginState(const std::string& name);
  // Clears a user's failed logins and lockout (history: failed_logins);
  // kNotFound for no such user.
  Status UnlockUser(const std::string& name, const std::string& actor);

  // Appends one entry in its own transaction and returns it.
  Result<LogEntry> AppendLog(const NewLogEntry& entry);
  // Entries matching the filter, oldest first.
  Result<std::vector<LogEntry>> ReadLog(const LogFilter& filter);
  // Walks the whole chain.
  Result<LogCheck> VerifyLog();
  // The whole log as JSON: entries, head {seq, hash}, archive id, public
  // key and an Ed25519 signature over the head (docs/access.md). Creates
  // the archive's signing key on first use.
  Result<std::string> ExportLog();
  // The archive's signing public key (hex); created on first use.
  Result<std::string> SigningPublicKey();
  // The file holding the secret signing key (0600): $DOSSIER_LOG_KEY if
  // set, else log-signing.key next to the catalog.
  std::filesystem::path SigningKeyFile() const;
  // Archives made before the key file kept the secret key in the catalog:
  // writes it to SigningKeyFile (unless the same key is there) and removes
  // it from the catalog. A no-op once done.
  Status MigrateSigningKey();

 private:
  Result<std::vector<std::string>> RolesOf(std::int64_t user_id);
  Result<int> ActiveAdmins();
  // Counts a failed login of name (and of the station), locking the name at
  // the limit; a successful one clears both counts.
  Status CountLogin(const std::string& name, bool ok);
  // The secret key's hex text: migrated, read from the key file, or made
  // on first use (kNotFound if the archive has a key but its file is gone).
  Result<std::string> SigningSecret();
  Catalog& catalog_;
  const Database* db_;
};

}  // namespace dossier::storage
