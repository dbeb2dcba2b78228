// Users, roles and sessions (storage/access.h). The access log is in
// access_log.cc; password hashes, the login check and session tokens are
// made as every backend makes them (storage/access_secrets.h).
#include <fmt/format.h>

#include <algorithm>

#include "core/clock.h"
#include "core/hash.h"
#include "governance/users.h"
#include "storage/access_secrets.h"
#include "storage/sqlite/access.h"
#include "storage/sqlite/catalog_impl.h"
#include "storage/sqlite/sqlite_util.h"

namespace dossier::storage {
namespace {

using governance::ValidPassword;
using governance::ValidUserName;

using access_secrets::HashPassword;
using access_secrets::kStationRow;
using access_secrets::UserRow;

Result<std::int64_t> FailuresOf(const Database& db, const std::string& name) {
  auto stmt = db.Prepare("SELECT failures FROM login_failures WHERE name = ?1",
                         "reading failed logins of " + name);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, name);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  return *row ? stmt->ColumnInt64(0) : 0;
}

Result<std::optional<UserRow>> FindUserRow(const Database& db,
                                           const std::string& name) {
  auto stmt = db.Prepare(
      "SELECT id, password_hash, active FROM users WHERE name = ?1",
      "looking up user " + name);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, name);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<UserRow>();
  return std::optional<UserRow>(UserRow{stmt->ColumnInt64(0),
                                        stmt->ColumnText(1),
                                        stmt->ColumnInt(2) != 0});
}

Result<UserRow> RequireUser(const Database& db, const std::string& name) {
  auto row = FindUserRow(db, name);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(access_secrets::NoSuchUser(name));
  return **row;
}

// Grants role to the user; nothing changes if the user has it already.
Status InsertRole(const Database& db, std::int64_t user_id, const std::string& role,
                  const std::string& now, const std::string& actor,
                  const std::string& what) {
  auto grant = db.Prepare(
      "INSERT OR IGNORE INTO user_roles (user_id, role, granted_at, granted_by) "
      "VALUES (?1, ?2, ?3, ?4)",
      what);
  if (!grant) return std::unexpected(grant.error());
  grant->Bind(1, user_id).Bind(2, role).Bind(3, now).Bind(4, actor);
  return grant->Run();
}

// Ends every open session of the user (disabled, or a changed password).
Status EndUserSessions(const Database& db, std::int64_t user_id,
                       const std::string& now, const std::string& what) {
  auto end = db.Prepare(
      "UPDATE sessions SET ended_at = ?2 WHERE user_id = ?1 AND ended_at IS "
      "NULL",
      what);
  if (!end) return std::unexpected(end.error());
  end->Bind(1, user_id).Bind(2, now);
  return end->Run();
}

}  // namespace

Access::Access(Catalog& catalog)
    : catalog_(catalog), db_(&catalog.impl_->db) {}

Result<std::string> Access::ArchiveId() {
  auto stmt = db_->Prepare("SELECT archive_id FROM access_identity WHERE id = 1",
                           "reading the archive identity");
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("catalog {}: the archive identity is missing",
                                 db_->path()));
  }
  return stmt->ColumnText(0);
}

Result<bool> Access::IsOpenStation() {
  auto n = db_->QueryInt("SELECT count(*) FROM users", "counting users");
  if (!n) return std::unexpected(n.error());
  return *n == 0;
}

Result<Principal> Access::OpenStationPrincipal(const std::string& name) {
  return access_secrets::OpenStationPrincipalOf(*this, name);
}

Result<std::vector<std::string>> Access::RolesOf(std::int64_t user_id) {
  auto stmt = db_->Prepare(
      "SELECT role FROM user_roles WHERE user_id = ?1 ORDER BY role",
      "reading roles");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, user_id);
  std::vector<std::string> roles;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    roles.push_back(stmt->ColumnText(0));
  }
  return roles;
}

Result<int> Access::ActiveAdmins() {
  auto n = db_->QueryInt(
      "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id "
      "WHERE u.active = 1 AND r.role = 'admin'",
      "counting admins");
  if (!n) return std::unexpected(n.error());
  return static_cast<int>(*n);
}

Result<User> Access::AddUser(const std::string& name,
                             const std::string& password,
                             const std::vector<std::string>& roles,
                             const std::string& actor) {
  if (auto s = governance::CheckNewUser(name, password, roles); !s) {
    return std::unexpected(s.error());
  }
  auto hash = HashPassword(password);  // slow: before taking the write lock
  if (!hash) return std::unexpected(hash.error());
  const std::string what = "adding user " + name;
  auto tx = Transaction::Begin(*db_, what);
  if (!tx) return std::unexpected(tx.error());
  auto open = IsOpenStation();
  if (!open) return std::unexpected(open.error());
  if (*open && std::find(roles.begin(), roles.end(), "admin") == roles.end()) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("user {}: the first user of an archive must "
                                 "have the admin role",
                                 name));
  }
  auto existing = FindUserRow(*db_, name);
  if (!existing) return std::unexpected(existing.error());
  if (*existing) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("user {} already exists", name));
  }
  const std::string now = CurrentUtc().iso8601;
  auto insert = db_->Prepare(
      "INSERT INTO users (name, password_hash, created_at, created_by) "
      "VALUES (?1, ?2, ?3, ?4)",
      what);
  if (!insert) return std::unexpected(insert.error());
  insert->Bind(1, name).Bind(2, *hash).Bind(3, now).Bind(4, actor);
  if (auto s = insert->Run(); !s) return std::unexpected(s.error());
  const std::int64_t id = sqlite3_last_insert_rowid(db_->get());
  for (const auto& role : roles) {
    if (auto s = InsertRole(*db_, id, role, now, actor, what); !s) {
      return std::unexpected(s.error());
    }
  }
  if (auto s = WriteHistory(*db_, "users", id, "roles", std::nullopt,
                            fmt::format("{}", fmt::join(roles, " ")), actor,
                            now);
      !s) {
    return std::unexpected(s.error());
  }
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return GetUser(name);
}

Result<User> Access::GetUser(const std::string& name) {
  auto stmt = db_->Prepare(
      "SELECT id, name, active, created_at, created_by FROM users "
      "WHERE name = ?1",
      "reading user " + name);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, name);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(access_secrets::NoSuchUser(name));
  User user{stmt->ColumnInt64(0), stmt->ColumnText(1), {},
            stmt->ColumnInt(2) != 0, stmt->ColumnText(3), stmt->ColumnText(4)};
  auto roles = RolesOf(user.id);
  if (!roles) return std::unexpected(roles.error());
  user.roles = std::move(*roles);
  return user;
}

Result<std::vector<User>> Access::ListUsers() {
  auto stmt = db_->Prepare("SELECT name FROM users ORDER BY name",
                           "listing users");
  if (!stmt) return std::unexpected(stmt.error());
  std::vector<std::string> names;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    names.push_back(stmt->ColumnText(0));
  }
  std::vector<User> users;
  for (const auto& name : names) {
    auto user = GetUser(name);
    if (!user) return std::unexpected(user.error());
    users.push_back(std::move(*user));
  }
  return users;
}

Status Access::GrantRole(const std::string& name, const std::string& role,
                         const std::string& actor) {
  if (!IsRole(role)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("unknown role '{}'", role));
  }
  const std::string what = fmt::format("granting role {} to {}", role, name);
  auto tx = Transaction::Begin(*db_, what);
  if (!tx) return std::unexpected(tx.error());
  auto user = RequireUser(*db_, name);
  if (!user) return std::unexpected(user.error());
  const std::string now = CurrentUtc().iso8601;
  if (auto s = InsertRole(*db_, user->id, role, now, actor, what); !s) return s;
  if (auto s = WriteHistory(*db_, "users", user->id, "role", std::nullopt,
                            "+" + role, actor, now);
      !s) {
    return s;
  }
  return tx->Commit();
}

Status Access::RevokeRole(const std::string& name, const std::string& role,
                          const std::string& actor) {
  const std::string what = fmt::format("revoking role {} from {}", role, name);
  auto tx = Transaction::Begin(*db_, what);
  if (!tx) return std::unexpected(tx.error());
  auto user = RequireUser(*db_, name);
  if (!user) return std::unexpected(user.error());
  auto stmt = db_->Prepare(
      "DELETE FROM user_roles WHERE user_id = ?1 AND role = ?2", what);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, user->id).Bind(2, role);
  if (auto s = stmt->Run(); !s) return s;
  if (sqlite3_changes(db_->get()) == 0) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("user {} does not have role {}", name, role));
  }
  auto admins = ActiveAdmins();
  if (!admins) return std::unexpected(admins.error());
  if (*admins == 0) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("revoking admin from {} would leave the "
                                 "archive without an active admin",
                                 name));
  }
  if (auto s = WriteHistory(*db_, "users", user->id, "role", role, "-" + role,
                            actor, CurrentUtc().iso8601);
      !s) {
    return s;
  }
  return tx->Commit();
}

Status Access::SetActive(const std::string& name, bool active,
                         const std::string& actor) {
  const std::string what =
      fmt::format("{} user {}", active ? "enabling" : "disabling", name);
  auto tx = Transaction::Begin(*db_, what);
  if (!tx) return std::unexpected(tx.error());
  auto user = RequireUser(*db_, name);
  if (!user) return std::unexpected(user.error());
  if (user->active == active) return Ok();
  const std::string now = CurrentUtc().iso8601;
  auto stmt = db_->Prepare("UPDATE users SET active = ?2 WHERE id = ?1", what);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, user->id).Bind(2, active ? 1 : 0);
  if (auto s = stmt->Run(); !s) return s;
  if (!active) {
    auto admins = ActiveAdmins();
    if (!admins) return std::unexpected(admins.error());
    if (*admins == 0) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("disabling {} would leave the archive "
                                   "without an active admin",
                                   name));
    }
    if (auto s = EndUserSessions(*db_, user->id, now, what); !s) return s;
  }
  if (auto s = WriteHistory(*db_, "users", user->id, "active",
                            active ? "0" : "1", active ? "1" : "0", actor, now);
      !s) {
    return s;
  }
  return tx->Commit();
}

Status Access::SetPassword(const std::string& name, const std::string& password,
                           const std::string& actor) {
  if (auto s = ValidPassword(name, password); !s) return s;
  auto hash = HashPassword(password);
  if (!hash) return std::unexpected(hash.error());
  const std::string what = "setting the password of " + name;
  auto tx = Transaction::Begin(*db_, what);
  if (!tx) return std::unexpected(tx.error());
  auto user = RequireUser(*db_, name);
  if (!user) return std::unexpected(user.error());
  const std::string now = CurrentUtc().iso8601;
  auto stmt =
      db_->Prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1", what);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, user->id).Bind(2, *hash);
  if (auto s = stmt->Run(); !s) return s;
  // A changed password ends every session of the user.
  if (auto s = EndUserSessions(*db_, user->id, now, what); !s) return s;
  if (auto s = WriteHistory(*db_, "users", user->id, "password", std::nullopt,
                            "(changed)", actor, now);
      !s) {
    return s;
  }
  return tx->Commit();
}

Result<governance::LoginThrottle> Access::LoginThrottleSettings() {
  auto text = catalog_.GetSetting("login-throttle");
  if (!text) return std::unexpected(text.error());
  return access_secrets::ParseLoginThrottle(*text);
}

Status Access::SetLoginThrottle(const governance::LoginThrottle& t,
                                const std::string& actor) {
  auto text = access_secrets::LoginThrottleText(t);
  if (!text) return std::unexpected(text.error());
  return catalog_.PutSetting("login-throttle", *text, actor);
}

Result<LoginState> Access::GetLoginState(const std::string& name) {
  auto t = LoginThrottleSettings();
  if (!t) return std::unexpected(t.error());
  auto mine = FailuresOf(*db_, name);
  if (!mine) return std::unexpected(mine.error());
  auto all = FailuresOf(*db_, kStationRow);
  if (!all) return std::unexpected(all.error());
  return access_secrets::LoginStateOf(*t, *mine, *all);
}

Status Access::CountLogin(const std::string& name, bool ok) {
  const std::string what = "counting a login of " + name;
  auto tx = Transaction::Begin(*db_, what);
  if (!tx) return std::unexpected(tx.error());
  const std::string now = CurrentUtc().iso8601;
  if (ok) {
    auto reset = db_->Prepare(
        "DELETE FROM login_failures WHERE name IN (?1, ?2)", what);
    if (!reset) return std::unexpected(reset.error());
    reset->Bind(1, name).Bind(2, std::string(kStationRow));
    if (auto s = reset->Run(); !s) return s;
    return tx->Commit();
  }
  auto t = LoginThrottleSettings();
  if (!t) return std::unexpected(t.error());
  for (const std::string& row : {name, std::string(kStationRow)}) {
    auto bump = db_->Prepare(
        "INSERT INTO login_failures (name, failures, last_at) VALUES (?1, 1, "
        "?2) ON CONFLICT (name) DO UPDATE SET failures = failures + 1, "
        "last_at = ?2",
        what);
    if (!bump) return std::unexpected(bump.error());
    bump->Bind(1, row).Bind(2, now);
    if (auto s = bump->Run(); !s) return s;
  }
  auto failures = FailuresOf(*db_, name);
  if (!failures) return std::unexpected(failures.error());
  if (governance::LoginLocked(*t, *failures)) {
    auto lock = db_->Prepare(
        "UPDATE login_failures SET locked_at = coalesce(locked_at, ?2) "
        "WHERE name = ?1",
        what);
    if (!lock) return std::unexpected(lock.error());
    lock->Bind(1, name).Bind(2, now);
    if (auto s = lock->Run(); !s) return s;
  }
  return tx->Commit();
}

Status Access::UnlockUser(const std::string& name, const std::string& actor) {
  const std::string what = "unlocking user " + name;
  auto tx = Transaction::Begin(*db_, what);
  if (!tx) return std::unexpected(tx.error());
  auto user = RequireUser(*db_, name);
  if (!user) return std::unexpected(user.error());
  auto failures = FailuresOf(*db_, name);
  if (!failures) return std::unexpected(failures.error());
  auto clear = db_->Prepare("DELETE FROM login_failures WHERE name = ?1", what);
  if (!clear) return std::unexpected(clear.error());
  clear->Bind(1, name);
  if (auto s = clear->Run(); !s) return s;
  if (auto s = WriteHistory(*db_, "users", user->id, "failed_logins",
                            std::to_string(*failures), "0", actor,
                            CurrentUtc().iso8601);
      !s) {
    return s;
  }
  return tx->Commit();
}

Result<Principal> Access::CheckPassword(const std::string& name,
                                        const std::string& password) {
  auto user = access_secrets::CheckLogin(
      *this, name, password, [&] { return FindUserRow(*db_, name); },
      [&](bool ok) { return CountLogin(name, ok); });
  if (!user) return std::unexpected(user.error());
  auto roles = RolesOf(user->id);
  if (!roles) return std::unexpected(roles.error());
  return Principal{name, std::move(*roles), false, "password", ""};
}

Result<NewSession> Access::CreateSession(const std::string& name,
                                         const std::string& password,
                                         int hours) {
  auto session = access_secrets::StartSession(*this, name, password, hours);
  if (!session) return std::unexpected(session.error());
  const std::string what = "starting a session for " + name;
  auto user = RequireUser(*db_, name);
  if (!user) return std::unexpected(user.error());
  auto stmt = db_->Prepare(
      "INSERT INTO sessions (user_id, token_sha256, created_at, expires_at) "
      "VALUES (?1, ?2, ?3, ?4)",
      what);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, user->id)
      .Bind(2, Sha256Hex(session->token))
      .Bind(3, CurrentUtc().iso8601)
      .Bind(4, session->expires_at);
  if (auto s = stmt->Run(); !s) return std::unexpected(s.error());
  return session;
}

Result<Principal> Access::ResumeSession(const std::string& token) {
  auto stmt = db_->Prepare(
      "SELECT u.id, u.name, u.active, s.expires_at, s.ended_at IS NOT NULL "
      "FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.token_sha256 = ?1",
      "looking up a session");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, Sha256Hex(token));
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "the session is not known to this archive: log in again "
                     "(dossier login NAME)");
  }
  const std::string name = stmt->ColumnText(1);
  if (auto s = access_secrets::CheckSession(name, stmt->ColumnInt(4) != 0,
                                            stmt->ColumnText(3),
                                            stmt->ColumnInt(2) != 0);
      !s) {
    return std::unexpected(s.error());
  }
  auto roles = RolesOf(stmt->ColumnInt64(0));
  if (!roles) return std::unexpected(roles.error());
  return Principal{name, std::move(*roles), false, "session", ""};
}

Status Access::EndSession(const std::string& token) {
  auto stmt = db_->Prepare(
      "UPDATE sessions SET ended_at = coalesce(ended_at, ?2) "
      "WHERE token_sha256 = ?1",
      "ending a session");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, Sha256Hex(token)).Bind(2, CurrentUtc().iso8601);
  if (auto s = stmt->Run(); !s) return s;
  if (sqlite3_changes(db_->get()) == 0) {
    return MakeError(ErrorCode::kNotFound,
                     "the session is not known to this archive");
  }
  return Ok();
}

}  // namespace dossier::storage
