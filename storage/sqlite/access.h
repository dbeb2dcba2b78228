// Access: the SQLite implementation of storage::AccessStore
// (storage/access_store.h): users, sessions, login throttling and the
// hash-chained access log, on the Catalog's connection (docs/access.md).
//
// Thread safety: as Catalog. REQUIRES: the Catalog outlives the Access.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/access_store.h"
#include "storage/sqlite/catalog.h"

namespace dossier::storage {

class Database;  // storage/sqlite/sqlite_util.h

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
};

}  // namespace dossier::storage
