// Users, roles, sessions and the access log on PostgreSQL
// (storage/postgres/access.h). The rules are governance's
// (governance/users.h, governance/access_log.h) and the libsodium,
// key-file and login work is shared with the SQLite store
// (storage/access_secrets.h); this file is the SQL.
//
// Text that SQLite compares bytewise (names, times, the log's bounds) is
// compared with COLLATE "C" here, so a database made with another
// collation orders and filters the same way.
#include "storage/postgres/access.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/clock.h"
#include "core/hash.h"
#include "governance/users.h"
#include "storage/access_secrets.h"
#include "storage/postgres/common.h"
#include "storage/postgres/database.h"

namespace dossier::storage::postgres {
namespace {

namespace fs = std::filesystem;
using access_secrets::kStationRow;
using access_secrets::UserRow;
using access_secrets::kZeroHash;

const Sql kArchiveId{"access.archive_id",
                     "SELECT archive_id FROM access_identity WHERE id = 1"};
const Sql kCountUsers{"access.count_users", "SELECT count(*) FROM users"};
const Sql kFindUser{"access.find_user",
                    "SELECT id, password_hash, active FROM users WHERE name = $1"};
const Sql kGetUser{"access.get_user",
                   "SELECT id, name, active, created_at, created_by FROM users "
                   "WHERE name = $1"};
const Sql kUserNames{"access.user_names",
                     "SELECT name FROM users ORDER BY name COLLATE \"C\""};
const Sql kRolesOf{"access.roles_of",
                   "SELECT role FROM user_roles WHERE user_id = $1 "
                   "ORDER BY role COLLATE \"C\""};
const Sql kActiveAdmins{"access.active_admins",
                        "SELECT count(*) FROM users u JOIN user_roles r ON "
                        "r.user_id = u.id WHERE u.active AND r.role = 'admin'"};
const Sql kInsertUser{"access.insert_user",
                      "INSERT INTO users (name, password_hash, created_at, "
                      "created_by) VALUES ($1, $2, $3, $4) RETURNING id"};
const Sql kGrant{"access.grant",
                 "INSERT INTO user_roles (user_id, role, granted_at, granted_by) "
                 "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"};
const Sql kRevoke{"access.revoke",
                  "DELETE FROM user_roles WHERE user_id = $1 AND role = $2"};
const Sql kSetActive{"access.set_active",
                     "UPDATE users SET active = $2 WHERE id = $1"};
const Sql kSetPassword{"access.set_password",
                       "UPDATE users SET password_hash = $2 WHERE id = $1"};
const Sql kEndUserSessions{"access.end_user_sessions",
                           "UPDATE sessions SET ended_at = $2 WHERE user_id = $1 "
                           "AND ended_at IS NULL"};
const Sql kFailuresOf{"access.failures_of",
                      "SELECT failures FROM login_failures WHERE name = $1"};
const Sql kResetFailures{"access.reset_failures",
                         "DELETE FROM login_failures WHERE name IN ($1, $2)"};
const Sql kBumpFailures{
    "access.bump_failures",
    "INSERT INTO login_failures (name, failures, last_at) VALUES ($1, 1, $2) "
    "ON CONFLICT (name) DO UPDATE SET failures = login_failures.failures + 1, "
    "last_at = $2"};
const Sql kLockName{"access.lock_name",
                    "UPDATE login_failures SET locked_at = coalesce(locked_at, $2) "
                    "WHERE name = $1"};
const Sql kClearFailures{"access.clear_failures",
                         "DELETE FROM login_failures WHERE name = $1"};
const Sql kInsertSession{"access.insert_session",
                         "INSERT INTO sessions (user_id, token_sha256, created_at, "
                         "expires_at) VALUES ($1, $2, $3, $4)"};
const Sql kFindSession{"access.find_session",
                       "SELECT u.id, u.name, u.active, s.expires_at, "
                       "s.ended_at IS NOT NULL FROM sessions s JOIN users u ON "
                       "u.id = s.user_id WHERE s.token_sha256 = $1"};
const Sql kEndSession{"access.end_session",
                      "UPDATE sessions SET ended_at = coalesce(ended_at, $2) "
                      "WHERE token_sha256 = $1"};
const Sql kLastLog{"access.last_log",
                   "SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1"};
const Sql kAppendLog{"access.append_log",
                     "INSERT INTO access_log (seq, at, actor, command, args, "
                     "records, outcome, detail, prev_hash, hash) VALUES ($1, $2, "
                     "$3, $4, $5, $6, $7, $8, $9, $10)"};
const Sql kReadLog{
    "access.read_log",
    "SELECT seq, at, actor, command, args, records, outcome, detail, "
    "prev_hash, hash FROM access_log "
    "WHERE ($1 = '' OR actor = $1) "
    "AND ($2 = '' OR ' ' || upper(records) || ' ' LIKE "
    "'% ' || upper($2) || ' %' ESCAPE '\\') "
    "AND ($3 = '' OR at COLLATE \"C\" >= $3) "
    "AND ($4 = '' OR at COLLATE \"C\" <= $4) "
    "ORDER BY seq"};
const Sql kLockIdentity{"access.lock_identity",
                        "SELECT sign_public FROM access_identity WHERE id = 1 "
                        "FOR UPDATE"};
const Sql kSetPublicKey{"access.set_public_key",
                        "UPDATE access_identity SET sign_public = $1 WHERE id = 1"};

std::optional<UserRow> FindUserRow(Tx& tx, const std::string& name) {
  auto r = tx.Exec(kFindUser, name);
  if (r.empty()) return std::nullopt;
  return UserRow{Int(r[0][0]), Text(r[0][1]), r[0][2].as<bool>()};
}

Result<UserRow> RequireUser(Tx& tx, const std::string& name) {
  auto row = FindUserRow(tx, name);
  if (!row) return std::unexpected(access_secrets::NoSuchUser(name));
  return *row;
}

std::vector<std::string> RolesOf(Tx& tx, std::int64_t user_id) {
  std::vector<std::string> roles;
  for (const auto& row : tx.Exec(kRolesOf, user_id)) roles.push_back(Text(row[0]));
  return roles;
}

std::int64_t ActiveAdmins(Tx& tx) { return Int(tx.Exec(kActiveAdmins)[0][0]); }

std::int64_t FailuresOf(Tx& tx, const std::string& name) {
  auto r = tx.Exec(kFailuresOf, name);
  return r.empty() ? 0 : Int(r[0][0]);
}

Result<User> ReadUser(Tx& tx, const std::string& name) {
  auto r = tx.Exec(kGetUser, name);
  if (r.empty()) return std::unexpected(access_secrets::NoSuchUser(name));
  User user{Int(r[0][0]), Text(r[0][1]), {}, r[0][2].as<bool>(),
            Text(r[0][3]), Text(r[0][4])};
  user.roles = RolesOf(tx, user.id);
  return user;
}

governance::LoginThrottle ThrottleIn(Tx& tx) {
  return access_secrets::ParseLoginThrottle(GetSetting(tx, "login-throttle"));
}

}  // namespace

PgAccess::PgAccess(PgCatalog& catalog, fs::path key_dir)
    : catalog_(catalog), key_dir_(std::move(key_dir)) {}

Result<std::string> PgAccess::ArchiveId() {
  return catalog_.db().Transact(
      "reading the archive identity", [&](Tx& tx) -> Result<std::string> {
        auto r = tx.Exec(kArchiveId);
        if (r.empty()) {
          return MakeError(ErrorCode::kCatalog,
                           fmt::format("catalog {}: the archive identity is "
                                       "missing",
                                       catalog_.server()));
        }
        return Text(r[0][0]);
      });
}

Result<bool> PgAccess::IsOpenStation() {
  return catalog_.db().Transact("counting users", [](Tx& tx) -> Result<bool> {
    return Int(tx.Exec(kCountUsers)[0][0]) == 0;
  });
}

Result<Principal> PgAccess::OpenStationPrincipal(const std::string& name) {
  return access_secrets::OpenStationPrincipalOf(*this, name);
}

Result<User> PgAccess::AddUser(const std::string& name, const std::string& password,
                               const std::vector<std::string>& roles,
                               const std::string& actor) {
  if (auto s = governance::CheckNewUser(name, password, roles); !s) {
    return std::unexpected(s.error());
  }
  auto hash = access_secrets::HashPassword(password);  // slow: outside
  if (!hash) return std::unexpected(hash.error());
  return catalog_.db().Transact("adding user " + name, [&](Tx& tx) -> Result<User> {
    const bool open = Int(tx.Exec(kCountUsers)[0][0]) == 0;
    if (open && std::find(roles.begin(), roles.end(), "admin") == roles.end()) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("user {}: the first user of an archive must "
                                   "have the admin role",
                                   name));
    }
    if (FindUserRow(tx, name)) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("user {} already exists", name));
    }
    const std::string now = NowUtc();
    const std::int64_t id = Int(tx.Exec(kInsertUser, name, *hash, now, actor)[0][0]);
    for (const auto& role : roles) tx.Exec(kGrant, id, role, now, actor);
    WriteHistory(tx, "users", id, "roles", std::nullopt,
                 fmt::format("{}", fmt::join(roles, " ")), actor, now);
    return ReadUser(tx, name);
  });
}

Result<User> PgAccess::GetUser(const std::string& name) {
  return catalog_.db().Transact("reading user " + name,
                                [&](Tx& tx) { return ReadUser(tx, name); });
}

Result<std::vector<User>> PgAccess::ListUsers() {
  return catalog_.db().Transact(
      "listing users", [&](Tx& tx) -> Result<std::vector<User>> {
        std::vector<User> users;
        for (const auto& row : tx.Exec(kUserNames)) {
          auto user = ReadUser(tx, Text(row[0]));
          if (!user) return std::unexpected(user.error());
          users.push_back(std::move(*user));
        }
        return users;
      });
}

Status PgAccess::GrantRole(const std::string& name, const std::string& role,
                           const std::string& actor) {
  if (!IsRole(role)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("unknown role '{}'", role));
  }
  return catalog_.db().Transact(
      fmt::format("granting role {} to {}", role, name), [&](Tx& tx) -> Status {
        auto user = RequireUser(tx, name);
        if (!user) return std::unexpected(user.error());
        const std::string now = NowUtc();
        tx.Exec(kGrant, user->id, role, now, actor);
        WriteHistory(tx, "users", user->id, "role", std::nullopt, "+" + role,
                     actor, now);
        return Ok();
      });
}

Status PgAccess::RevokeRole(const std::string& name, const std::string& role,
                            const std::string& actor) {
  return catalog_.db().Transact(
      fmt::format("revoking role {} from {}", role, name), [&](Tx& tx) -> Status {
        auto user = RequireUser(tx, name);
        if (!user) return std::unexpected(user.error());
        if (tx.Exec(kRevoke, user->id, role).affected_rows() == 0) {
          return MakeError(ErrorCode::kNotFound,
                           fmt::format("user {} does not have role {}", name, role));
        }
        if (ActiveAdmins(tx) == 0) {
          return MakeError(ErrorCode::kConflict,
                           fmt::format("revoking admin from {} would leave the "
                                       "archive without an active admin",
                                       name));
        }
        WriteHistory(tx, "users", user->id, "role", role, "-" + role, actor,
                     NowUtc());
        return Ok();
      });
}

Status PgAccess::SetActive(const std::string& name, bool active,
                           const std::string& actor) {
  return catalog_.db().Transact(
      fmt::format("{} user {}", active ? "enabling" : "disabling", name),
      [&](Tx& tx) -> Status {
        auto user = RequireUser(tx, name);
        if (!user) return std::unexpected(user.error());
        if (user->active == active) return Ok();
        const std::string now = NowUtc();
        tx.Exec(kSetActive, user->id, active);
        if (!active) {
          if (ActiveAdmins(tx) == 0) {
            return MakeError(ErrorCode::kConflict,
                             fmt::format("disabling {} would leave the archive "
                                         "without an active admin",
                                         name));
          }
          tx.Exec(kEndUserSessions, user->id, now);
        }
        WriteHistory(tx, "users", user->id, "active", active ? "0" : "1",
                     active ? "1" : "0", actor, now);
        return Ok();
      });
}

Status PgAccess::SetPassword(const std::string& name, const std::string& password,
                             const std::string& actor) {
  if (auto s = governance::ValidPassword(name, password); !s) return s;
  auto hash = access_secrets::HashPassword(password);
  if (!hash) return std::unexpected(hash.error());
  return catalog_.db().Transact(
      "setting the password of " + name, [&](Tx& tx) -> Status {
        auto user = RequireUser(tx, name);
        if (!user) return std::unexpected(user.error());
        const std::string now = NowUtc();
        tx.Exec(kSetPassword, user->id, *hash);
        // A changed password ends every session of the user.
        tx.Exec(kEndUserSessions, user->id, now);
        WriteHistory(tx, "users", user->id, "password", std::nullopt,
                     "(changed)", actor, now);
        return Ok();
      });
}

Result<governance::LoginThrottle> PgAccess::LoginThrottleSettings() {
  return catalog_.db().Transact(
      "reading the login throttle",
      [](Tx& tx) -> Result<governance::LoginThrottle> { return ThrottleIn(tx); });
}

Status PgAccess::SetLoginThrottle(const governance::LoginThrottle& t,
                                  const std::string& actor) {
  auto text = access_secrets::LoginThrottleText(t);
  if (!text) return std::unexpected(text.error());
  return catalog_.db().Transact("saving setting login-throttle", [&](Tx& tx) {
    return PutSetting(tx, "login-throttle", *text, actor);
  });
}

Result<LoginState> PgAccess::GetLoginState(const std::string& name) {
  return catalog_.db().Transact(
      "reading failed logins of " + name, [&](Tx& tx) -> Result<LoginState> {
        const governance::LoginThrottle t = ThrottleIn(tx);
        const std::int64_t mine = FailuresOf(tx, name);
        const std::int64_t all = FailuresOf(tx, kStationRow);
        return access_secrets::LoginStateOf(t, mine, all);
      });
}

Status PgAccess::CountLogin(const std::string& name, bool ok) {
  return catalog_.db().Transact("counting a login of " + name, [&](Tx& tx) -> Status {
    const std::string now = NowUtc();
    if (ok) {
      tx.Exec(kResetFailures, name, std::string(kStationRow));
      return Ok();
    }
    const governance::LoginThrottle t = ThrottleIn(tx);
    for (const std::string& row : {name, std::string(kStationRow)}) {
      tx.Exec(kBumpFailures, row, now);
    }
    if (governance::LoginLocked(t, FailuresOf(tx, name))) {
      tx.Exec(kLockName, name, now);
    }
    return Ok();
  });
}

Status PgAccess::UnlockUser(const std::string& name, const std::string& actor) {
  return catalog_.db().Transact("unlocking user " + name, [&](Tx& tx) -> Status {
    auto user = RequireUser(tx, name);
    if (!user) return std::unexpected(user.error());
    const std::int64_t failures = FailuresOf(tx, name);
    tx.Exec(kClearFailures, name);
    WriteHistory(tx, "users", user->id, "failed_logins", std::to_string(failures),
                 "0", actor, NowUtc());
    return Ok();
  });
}

Result<Principal> PgAccess::CheckPassword(const std::string& name,
                                          const std::string& password) {
  auto user = access_secrets::CheckLogin(
      *this, name, password,
      [&] {
        return catalog_.db().Transact(
            "looking up user " + name,
            [&](Tx& tx) -> Result<std::optional<UserRow>> { return FindUserRow(tx, name); });
      },
      [&](bool ok) { return CountLogin(name, ok); });
  if (!user) return std::unexpected(user.error());
  return catalog_.db().Transact("reading roles", [&](Tx& tx) -> Result<Principal> {
    return Principal{name, RolesOf(tx, user->id), false, "password", ""};
  });
}

Result<NewSession> PgAccess::CreateSession(const std::string& name,
                                           const std::string& password, int hours) {
  auto started = access_secrets::StartSession(*this, name, password, hours);
  if (!started) return std::unexpected(started.error());
  const NewSession session = std::move(*started);
  return catalog_.db().Transact(
      "starting a session for " + name, [&](Tx& tx) -> Result<NewSession> {
        auto user = RequireUser(tx, name);
        if (!user) return std::unexpected(user.error());
        tx.Exec(kInsertSession, user->id, Sha256Hex(session.token), NowUtc(),
                session.expires_at);
        return session;
      });
}

Result<Principal> PgAccess::ResumeSession(const std::string& token) {
  return catalog_.db().Transact(
      "looking up a session", [&](Tx& tx) -> Result<Principal> {
        auto r = tx.Exec(kFindSession, Sha256Hex(token));
        if (r.empty()) {
          return MakeError(ErrorCode::kPermissionDenied,
                           "the session is not known to this archive: log in "
                           "again (dossier login NAME)");
        }
        const std::string name = Text(r[0][1]);
        if (auto s = access_secrets::CheckSession(name, r[0][4].as<bool>(),
                                                  Text(r[0][3]), r[0][2].as<bool>());
            !s) {
          return std::unexpected(s.error());
        }
        return Principal{name, RolesOf(tx, Int(r[0][0])), false, "session", ""};
      });
}

Status PgAccess::EndSession(const std::string& token) {
  return catalog_.db().Transact("ending a session", [&](Tx& tx) -> Status {
    if (tx.Exec(kEndSession, Sha256Hex(token), NowUtc()).affected_rows() == 0) {
      return MakeError(ErrorCode::kNotFound,
                       "the session is not known to this archive");
    }
    return Ok();
  });
}

Result<LogEntry> PgAccess::AppendLog(const NewLogEntry& entry) {
  const LogEntry prepared = access_secrets::PrepareLogEntry(entry);
  // SERIALIZABLE: two appenders that read the same head cannot both
  // commit; the loser runs again and links to the winner's entry.
  return catalog_.db().Transact(
      "appending to the access log", [&](Tx& tx) -> Result<LogEntry> {
        LogEntry e = prepared;
        auto last = tx.Exec(kLastLog);
        e.seq = last.empty() ? 1 : Int(last[0][0]) + 1;
        e.prev_hash = last.empty() ? kZeroHash : Text(last[0][1]);
        e.hash = LogEntryHash(e);
        tx.Exec(kAppendLog, e.seq, e.at, e.actor, e.command, e.args, e.records,
                e.outcome, e.detail, e.prev_hash, e.hash);
        return e;
      });
}

Result<std::vector<LogEntry>> PgAccess::ReadLog(const LogFilter& filter) {
  auto since = access_secrets::LogTimeBound(filter.since, false);
  if (!since) return std::unexpected(since.error());
  auto until = access_secrets::LogTimeBound(filter.until, true);
  if (!until) return std::unexpected(until.error());
  return catalog_.db().Transact(
      "reading the access log", [&](Tx& tx) -> Result<std::vector<LogEntry>> {
        std::vector<LogEntry> entries;
        for (const auto& row :
             tx.Exec(kReadLog, filter.user, access_secrets::EscapeLike(filter.record),
                     *since, *until)) {
          entries.push_back(LogEntry{Int(row[0]), Text(row[1]), Text(row[2]),
                                     Text(row[3]), Text(row[4]), Text(row[5]),
                                     Text(row[6]), Text(row[7]), Text(row[8]),
                                     Text(row[9])});
        }
        return entries;
      });
}

Result<LogCheck> PgAccess::VerifyLog() {
  auto entries = ReadLog(LogFilter{});
  if (!entries) return std::unexpected(entries.error());
  return VerifyLogEntries(*entries);
}

fs::path PgAccess::SigningKeyFile() const {
  return access_secrets::SigningKeyFileIn(key_dir_);
}

Status PgAccess::MigrateSigningKey() { return Ok(); }

Result<std::string> PgAccess::SigningSecret() {
  if (auto s = access_secrets::InitSodium(); !s) return std::unexpected(s.error());
  const fs::path file = SigningKeyFile();
  auto existing = access_secrets::ReadKeyFile(file);
  if (!existing) return std::unexpected(existing.error());
  if (*existing) return std::move(**existing);
  return catalog_.db().Transact(
      "creating the log signing key", [&](Tx& tx) -> Result<std::string> {
        // The row lock makes stations that export at once wait for the
        // first, which makes the key; they then read its file.
        const std::string pub = Text(tx.Exec(kLockIdentity)[0][0]);
        auto now_there = access_secrets::ReadKeyFile(file);
        if (!now_there) return std::unexpected(now_there.error());
        if (*now_there) {
          // Made by another station, or by an attempt of ours the server
          // rolled back (its public key then is not recorded yet).
          if (pub.empty()) {
            auto p = access_secrets::PublicKeyOf(**now_there, file);
            if (!p) return std::unexpected(p.error());
            tx.Exec(kSetPublicKey, *p);
          }
          return std::move(**now_there);
        }
        if (!pub.empty()) {
          // The archive has a key, but its file is gone: a new key would
          // make every earlier export unverifiable against "the archive's
          // key".
          return MakeError(ErrorCode::kNotFound,
                           fmt::format("log signing key {} is missing (the "
                                       "archive's public key is {}): put the "
                                       "key file back, or name it with "
                                       "DOSSIER_LOG_KEY",
                                       file.string(), pub));
        }
        access_secrets::KeyPair pair = access_secrets::NewKeyPair();
        if (auto s = access_secrets::WriteKeyFile(file, pair.secret_hex); !s) {
          return std::unexpected(s.error());
        }
        tx.Exec(kSetPublicKey, pair.public_hex);
        return std::move(pair.secret_hex);
      });
}

Result<std::string> PgAccess::SigningPublicKey() {
  return access_secrets::SigningPublicKeyOf(*this, SigningSecret());
}

Result<std::string> PgAccess::ExportLog() {
  return access_secrets::ExportLogOf(*this, SigningSecret());
}

}  // namespace dossier::storage::postgres
