// Retention: the SQLite implementation of storage::RetentionStore
// (storage/retention_store.h): retention rules, legal holds and destruction
// on the Catalog's connection (schema version 6, docs/governance.md), with
// the file store the destroyed documents' PDFs are removed from.
//
// Thread safety: as Catalog. REQUIRES: the Catalog and FileStore outlive the
// Retention object.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/file_store.h"
#include "storage/retention_store.h"
#include "storage/sqlite/catalog.h"

namespace dossier::storage {

class Database;  // storage/sqlite/sqlite_util.h

class Retention final : public RetentionStore {
 public:
  Retention(Catalog& catalog, FileStore& files);
  // --- rules ---
  Result<RetentionRule> SetRule(const std::string& type,
                                const std::string& event, int years,
                                const std::string& actor) override;
  Result<std::vector<RetentionRule>> ListRules() override;
  Status SetRelationshipEnd(const std::string& customer_code,
                            const std::string& date, const std::string& actor) override;
  Result<std::vector<RetentionStatus>> Due(const std::string& today,
                                           bool all = false) override;
  // --- legal holds ---
  Result<LegalHold> AddHold(const std::string& target, const std::string& reason,
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
  Result<DestructionBatch> RecordShredding(const ShreddingRequest& request) override;
  Result<DestructionBatch> GetBatch(const std::string& batch) override;
  Result<std::vector<DestructionBatch>> ListBatches() override;
  Result<std::optional<DestructionBatch>> DestroyedBy(const std::string& document) override;
  Status RecordCertificate(const std::string& batch, const std::string& sha256,
                           const std::string& actor) override;
  Result<int> FinishPurges() override;

 private:
  Catalog& catalog_;
  FileStore& files_;
  const Database* db_;
};

}  // namespace dossier::storage
