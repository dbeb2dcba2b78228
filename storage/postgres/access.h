// PgAccess: storage::AccessStore (storage/access_store.h) on a PostgreSQL
// catalog: users, roles, sessions, login throttling and the hash-chained
// access log with its signed export, behaving exactly as the SQLite store
// (storage/sqlite/access.h); the contract suite
// (tests/access/access_store_contract_test.cc) runs against both.
//
// Differences that follow from the server:
//   - each call is one SERIALIZABLE transaction (storage/postgres/
//     database.h): two stations appending to the log at once get
//     consecutive entries, the loser of the race runs again;
//   - the secret log-signing key is in a 0600 file in key_dir (or
//     $DOSSIER_LOG_KEY), since there is no catalog file to sit beside; each
//     station that exports the log needs that file.
//
// Thread safety: as AccessStore (one per thread); several PgAccess may
// share one PgCatalog. REQUIRES: the PgCatalog outlives the PgAccess.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/access_store.h"
#include "storage/postgres/catalog.h"

namespace dossier::storage::postgres {

class PgAccess final : public AccessStore {
 public:
  PgAccess(PgCatalog& catalog, std::filesystem::path key_dir);
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
  // The key never was in a PostgreSQL catalog: nothing to move.
  Status MigrateSigningKey() override;

 private:
  Status CountLogin(const std::string& name, bool ok);
  Result<std::string> SigningSecret();
  PgCatalog& catalog_;
  const std::filesystem::path key_dir_;
};

}  // namespace dossier::storage::postgres
