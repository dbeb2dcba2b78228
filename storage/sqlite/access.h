// Access: the SQLite implementation of storage::AccessStore
// (storage/access_store.h): users, sessions, login throttling and the
// hash-chained access log, on the Catalog's connection (docs/access.md).
//
// AppendLog returns once its entry is committed. Appends from several
// threads (each with its own Access) are committed in groups: one
// transaction and one fsync for all the entries that arrived while the
// previous group was being committed, in arrival order, chained as one
// by one; a failed group commit is every member's error.
//
// Thread safety: as Catalog. REQUIRES: the Catalog outlives the Access.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/group_commit.h"
#include "core/result.h"
#include "storage/access_store.h"
#include "storage/sqlite/catalog.h"

namespace dossier::storage {

class Database;  // storage/sqlite/sqlite_util.h

// The access log's group commit: entries appended at once on different
// connections to one catalog file share a transaction and its fsync
// (core/group_commit.h; one per catalog file in the process).
using LogCommits = GroupCommit<LogEntry, LogEntry>;

class Access final : public AccessStore {
 public:
  explicit Access(Catalog& catalog);
  Result<std::string> ArchiveId() override;
  Result<bool> IsOpenStation() override;
  Result<Principal> OpenStationPrincipal(const std::string& name) override;
  Result<User> AddUser(const std::string& name, const std::string& password,
                       const std::vector<std::string>& roles,
                       const std::string& actor) override;
  Result<User> GetUser(const std::string& name) override;
  Result<std::vector<User>> ListUsers() override;
  Status GrantRole(const std::string& name, const std::string& role,
                   const std::string& actor) override;
  Status RevokeRole(const std::string& name, const std::string& role,
                    const std::string& actor) override;
  Status SetActive(const std::string& name, bool active,
                   const std::string& actor) override;
  Status SetPassword(const std::string& name, const std::string& password,
                     const std::string& actor) override;
  Result<Principal> CheckPassword(const std::string& name,
                                  const std::string& password) override;
  Result<NewSession> CreateSession(const std::string& name,
                                   const std::string& password, int hours) override;
  Result<Principal> ResumeSession(const std::string& token) override;
  Status EndSession(const std::string& token) override;
  Result<governance::LoginThrottle> LoginThrottleSettings() override;
  Status SetLoginThrottle(const governance::LoginThrottle& throttle,
                          const std::string& actor) override;
  Result<LoginState> GetLoginState(const std::string& name) override;
  Status UnlockUser(const std::string& name, const std::string& actor) override;
  Result<LogEntry> AppendLog(const NewLogEntry& entry) override;
  Result<std::vector<LogEntry>> ReadLog(const LogFilter& filter) override;
  Result<LogCheck> VerifyLog() override;
  Result<std::string> ExportLog() override;
  Result<std::string> SigningPublicKey() override;
  std::filesystem::path SigningKeyFile() const override;
  Status MigrateSigningKey() override;

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
  LogCommits* log_commits_ = nullptr;  // found on the first append
};

}  // namespace dossier::storage
