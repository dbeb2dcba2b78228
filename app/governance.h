// Governance as use cases: retention rules, legal holds, destruction with
// its certificate, the access log, backups and archive settings
// (operations retention.*, hold.*, destroy.*, log.*, backup.*,
// archive.settings). The destruction certificate PDF is produced here, the
// glue between the retention rules and archive/.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/station.h"
#include "storage/access_store.h"
#include "storage/backup.h"
#include "storage/retention_store.h"

namespace dossier::app {

Result<storage::RetentionRule> SetRetentionRule(Station& station,
                                                const Caller& caller,
                                                const std::string& type,
                                                const std::string& event,
                                                int years);
Result<std::vector<storage::RetentionRule>> ListRetentionRules(
    Station& station, const Caller& caller);
// date '' clears.
Status SetRelationshipEnd(Station& station, const Caller& caller,
                          const std::string& customer, const std::string& date);
// today '' = today in the archive's zone.
Result<std::vector<storage::RetentionStatus>> RetentionDue(Station& station,
                                                           const Caller& caller,
                                                           const std::string& today,
                                                           bool all);

Result<storage::LegalHold> AddHold(Station& station, const Caller& caller,
                                   const std::string& target,
                                   const std::string& reason);
Result<storage::LegalHold> ReleaseHold(Station& station, const Caller& caller,
                                       const std::string& hold,
                                       const std::string& reason);
Result<std::vector<storage::LegalHold>> ListHolds(Station& station,
                                                  const Caller& caller,
                                                  bool active_only);

// today '' = today in the archive's zone.
Result<storage::DestructionBatch> ProposeDestruction(
    Station& station, const Caller& caller,
    const std::vector<std::string>& documents, const std::string& today,
    const std::string& reason);
struct DestructionResult {
  storage::DestructionBatch batch;
  std::filesystem::path certificate;  // empty when none was issued
};
// Approves (the electronic records are destroyed) and issues the
// certificate to ARCHIVE/reports/destruction-DBxxxxxx.pdf. font '' = the
// default CJK font.
Result<DestructionResult> ApproveDestruction(Station& station,
                                             const Caller& caller,
                                             const std::string& batch,
                                             const std::string& font);
Result<storage::DestructionBatch> CancelDestruction(Station& station,
                                                    const Caller& caller,
                                                    const std::string& batch);
struct ShreddingInput {
  std::string batch;
  std::string barcode;
  std::string witness;  // must differ from the caller
  std::string at;       // '' = now
  std::string method;
};
// Records the shredding by the caller and reissues the certificate.
Result<DestructionResult> RecordShredding(Station& station, const Caller& caller,
                                          const ShreddingInput& input,
                                          const std::string& font);
// batch '' = every batch.
Result<std::vector<storage::DestructionBatch>> ShowDestruction(
    Station& station, const Caller& caller, const std::string& batch);
// to '' = ARCHIVE/reports/destruction-BATCH.pdf.
Result<DestructionResult> IssueCertificate(Station& station, const Caller& caller,
                                           const std::string& batch,
                                           const std::filesystem::path& to,
                                           const std::string& font);

Result<std::vector<storage::LogEntry>> ReadLog(Station& station,
                                               const Caller& caller,
                                               const storage::LogFilter& filter);
// The live chain; with head set, also that this earlier head is in it.
Result<storage::LogCheck> VerifyLog(Station& station, const Caller& caller,
                                    const std::string& head);
// An exported copy; with no key given, this archive's key is expected when
// the copy is of this archive. station may be null: a copy is checked on
// any machine, with the key in the file (or the given one), unlogged.
Result<storage::LogCheck> VerifyLogCopy(Station* station, const Caller& caller,
                                        const std::filesystem::path& file,
                                        const std::optional<std::string>& key);
// Writes the signed export; kConflict if `to` exists and !force.
Result<storage::LogCheck> ExportLog(Station& station, const Caller& caller,
                                    const std::filesystem::path& to, bool force);

Result<storage::BackupReport> Backup(Station& station, const Caller& caller,
                                     const std::filesystem::path& to);
// A backup of a PostgreSQL archive is checked in a scratch database on
// scratch_url's server, or, when that is empty, on the open archive's own
// server (when the archive is on PostgreSQL).
Result<storage::BackupCheck> VerifyBackup(Station& station, const Caller& caller,
                                          const std::filesystem::path& backup,
                                          const std::filesystem::path& scratch,
                                          const std::string& scratch_url = {});
Result<storage::SweepReport> SweepFileStore(Station& station,
                                            const Caller& caller,
                                            std::chrono::seconds min_age,
                                            bool dry_run);

// Checks a backup without any open archive (a backup is checked on any
// machine); nothing is logged, as no archive's log is at hand.
Result<storage::BackupCheck> VerifyBackupOffline(
    const std::filesystem::path& backup, const std::filesystem::path& scratch,
    const std::string& scratch_url = {});
// Restores a backup into a new archive folder and logs the restore
// (backup.restore) in the restored archive's log. With a current archive
// open, the caller needs backup.manage there and the restore is logged
// there too; without one (a bare machine) the caller's claimed name is
// trusted, as for init. A backup of a PostgreSQL archive is restored into
// the empty database at catalog_url (storage::RestoreBackup).
Result<storage::BackupCheck> RestoreArchive(Station* current, const Caller& caller,
                                            const std::filesystem::path& backup,
                                            const std::filesystem::path& to,
                                            const std::string& catalog_url = {});

// Login throttling (a setting; archive.settings): applies the given
// fields (unset ones keep their value) and returns the result.
struct ThrottleChange {
  std::optional<int> delay_ms;
  std::optional<int> max_delay_ms;
  std::optional<int> lockout_after;
};
Result<governance::LoginThrottle> SetLoginThrottle(Station& station,
                                                   const Caller& caller,
                                                   const ThrottleChange& change);

// The archive's time zone (a setting; archive.settings). name '' shows it.
Result<std::string> SetTimeZone(Station& station, const Caller& caller,
                                const std::string& name);

}  // namespace dossier::app
