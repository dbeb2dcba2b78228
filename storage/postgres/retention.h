// PgRetention: the retention store (storage/retention_store.h) on a
// PostgreSQL catalog (storage/postgres/catalog.h): retention rules, legal
// holds and destruction batches in the tables of schema version 5, beside
// the records (version 3) and custody (version 4) they destroy and shred.
//
// Every call is one SERIALIZABLE transaction (Database::Transact), retried
// when it loses a serialization race, so several stations may work on one
// archive at once: two approving (or approving and cancelling) one batch
// run as one after the other, and the second finds the batch no longer
// proposed (kConflict, nothing written); a hold on a document placed
// while its batch is approved either blocks the approval or is refused
// because the document is destroyed, never both written. The display ids of holds (H000001) and
// batches (DB000001) come from retention_counters rows that only grow,
// taken under a table lock as PgCustody takes barcodes, so no id is
// issued twice and a refused call uses none up. What custody owns (open
// loans, originals not in place, the shredding of an original) is asked of
// PgCustody inside the same transaction, not read from its tables here.
// Every change writes the same history rows as the SQLite store.
//
// Files: an approval commits the destruction first and then removes the
// destroyed documents' PDFs (and the files kept with them) from the file
// store; FinishPurges does that step, and redoes it after a crash between
// the two. It decides and removes while holding a SHARE lock on documents,
// so no station files a document naming those bytes in between.
//
// Rules are governance/'s (governance/retention_rules.h): which documents
// fall due and when, who may approve and witness, which files may go;
// this store loads the facts, asks and writes.
//
// Thread safety: as RetentionStore, one instance per thread.
// REQUIRES: the PgCatalog and the FileStore outlive the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/file_store.h"
#include "storage/postgres/catalog.h"
#include "storage/retention_store.h"

namespace dossier::storage::postgres {

class PgRetention final : public RetentionStore {
 public:
  PgRetention(PgCatalog& catalog, FileStore& files)
      : catalog_(catalog), files_(files) {}
  // --- rules ---
  Result<RetentionRule> SetRule(const std::string& type,
                                const std::string& event, int years,
                                const std::string& actor) override;
  Result<std::vector<RetentionRule>> ListRules() override;
  Status SetRelationshipEnd(const std::string& customer_code,
                            const std::string& date,
                            const std::string& actor) override;
  Result<std::vector<RetentionStatus>> Due(const std::string& today,
                                           bool all = false) override;
  // --- legal holds ---
  Result<LegalHold> AddHold(const std::string& target,
                            const std::string& reason,
                            const std::string& actor) override;
  Result<LegalHold> ReleaseHold(const std::string& hold,
                                const std::string& reason,
                                const std::string& actor) override;
  Result<std::vector<LegalHold>> ListHolds(bool active_only) override;
  // --- destruction ---
  Result<RetentionPolicy> GetPolicy() override;
  Result<DestructionBatch> Propose(const std::vector<std::string>& documents,
                                   const std::string& today,
                                   const std::string& reason,
                                   const std::string& actor) override;
  Result<DestructionBatch> Approve(const std::string& batch,
                                   const std::string& actor) override;
  Result<DestructionBatch> Cancel(const std::string& batch,
                                  const std::string& actor) override;
  Result<DestructionBatch> RecordShredding(
      const ShreddingRequest& request) override;
  Result<DestructionBatch> GetBatch(const std::string& batch) override;
  Result<std::vector<DestructionBatch>> ListBatches() override;
  Result<std::optional<DestructionBatch>> DestroyedBy(
      const std::string& document) override;
  Status RecordCertificate(const std::string& batch, const std::string& sha256,
                           const std::string& actor) override;
  Result<int> FinishPurges() override;

 private:
  PgCatalog& catalog_;
  FileStore& files_;
};

}  // namespace dossier::storage::postgres
