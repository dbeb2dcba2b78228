// Custody: the SQLite implementation of storage::CustodyStore
// (storage/custody_store.h): paper originals, their locations, the chain of
// custody, loans and cabinet audits, on the Catalog's connection (schema
// version 3, see docs/custody.md).
//
// Thread safety: as Catalog. REQUIRES: the Catalog outlives the Custody.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/custody_store.h"
#include "storage/sqlite/catalog.h"

namespace dossier::storage {

class Database;  // storage/sqlite/sqlite_util.h

class Custody final : public CustodyStore {
 public:
  explicit Custody(Catalog& catalog);
  // --- locations ---
  Result<Location> AddLocation(const NewLocation& location,
                               const std::string& actor) override;
  Result<std::vector<Location>> AddCabinet(const CabinetSpec& spec,
                                           const std::string& actor) override;
  Result<Location> GetLocation(const std::string& code_or_barcode) override;
  Result<std::vector<Location>> ListLocations(const std::string& under) override;
  // --- originals ---
  Result<Original> RegisterOriginal(const RegisterRequest& request) override;
  Result<std::vector<std::string>> RegisterOriginals(
      const std::vector<RegisterRequest>& requests) override;
  Result<Original> GetOriginal(const std::string& barcode) override;
  Result<std::vector<Original>> OriginalsAt(const std::string& location,
                                            bool include_sublocations) override;
  Result<MoveOutcome> MoveOriginals(const MoveRequest& request) override;
  std::vector<MoveProblem> CheckMove(const MoveRequest& request) override;
  Status CheckCanDestroy(const std::string& barcode) override;
  Result<std::vector<std::string>> DestructionBlockers(std::int64_t document_id) override;
  Result<Original> RecordShredding(const std::string& barcode,
                                   const std::string& actor,
                                   const std::string& at,
                                   const std::string& note) override;
  Result<std::vector<Original>> Where(const std::string& what) override;
  // --- loans ---
  Result<LendingPolicy> GetLendingPolicy() override;
  Result<Loan> RequestLoan(const LoanRequest& request) override;
  Result<Loan> ApproveLoan(const std::string& loan, const std::string& approver,
                           const std::string& note) override;
  Result<Loan> RejectLoan(const std::string& loan, const std::string& approver,
                          const std::string& note) override;
  Result<Loan> CheckoutLoan(const std::string& loan, const std::string& barcode,
                            const std::string& actor) override;
  Result<Loan> RequestRenewal(const std::string& loan,
                              const std::string& new_due,
                              const std::string& actor) override;
  Result<Loan> ReturnLoan(const ReturnRequest& request) override;
  Result<Loan> ResolveReturn(const std::string& loan, const std::string& actor,
                             const std::string& note) override;
  Result<Loan> GetLoan(const std::string& loan) override;
  Result<std::vector<Loan>> ListLoans(const std::string& status) override;
  Result<std::vector<Loan>> OverdueLoans(const std::string& today) override;
  Result<std::optional<Loan>> AuthorizeExport(const std::string& document,
                                              const std::string& user) override;
  // --- audits ---
  Result<Audit> StartAudit(const std::string& location,
                           const std::string& actor) override;
  Result<ScanOutcome> AddScans(const std::string& audit,
                               const std::vector<std::string>& lines,
                               const std::string& source) override;
  Result<Audit> CloseAudit(const std::string& audit, const std::string& actor) override;
  Result<AuditPreview> PreviewAudit(const std::string& audit) override;
  Result<Audit> GetAudit(const std::string& audit) override;
  Result<std::optional<Audit>> OpenAuditAt(const std::string& location) override;
  Result<std::vector<AuditLine>> AuditReport(const std::string& audit) override;
  Result<std::vector<Audit>> AuditHistory(const std::string& location) override;
  Result<MoveOutcome> ApplyAuditMoves(const std::string& audit,
                                      const std::string& approver) override;

 private:
  Catalog& catalog_;
  const Database* db_;  // the catalog's connection
};

}  // namespace dossier::storage
