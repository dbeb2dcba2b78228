// PgCustody: the custody store (storage/custody_store.h) on a PostgreSQL
// catalog (storage/postgres/catalog.h): locations, paper originals, moves,
// the chain of custody, loans (借阅) and cabinet audits (盘点), in the
// tables of schema version 4 beside the records of version 3 (documents
// and customers are joined there, not copied).
//
// Every call is one SERIALIZABLE transaction (Database::Transact), retried
// when it loses a serialization race or a deadlock, so several stations
// may work on one archive at once: two moving the same original are run
// as one after the other, and the second sees the first's move (or is
// refused, as a bulk move is, with nothing written). Barcodes and the
// display ids of loans and audits come from custody_counters rows that
// only grow; stations taking numbers at once wait for each other on that
// table (LockCounter, as PgRecords does for archive numbers), so no number
// is issued twice and a refused call uses none up. Every change writes
// history rows (and custody events) in its transaction, as on SQLite.
//
// Rules are custody/'s (placement.h, lending.h, loan_states.h,
// audit_reconcile.h): this store loads, asks them and writes.
//
// Thread safety: as CustodyStore, one instance per thread.
// REQUIRES: the PgCatalog outlives the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/custody_store.h"
#include "storage/postgres/catalog.h"

namespace dossier::storage::postgres {

class PgCustody final : public CustodyStore {
 public:
  explicit PgCustody(PgCatalog& catalog) : catalog_(catalog) {}
  // --- locations ---
  Result<Location> AddLocation(const NewLocation& location,
                               const std::string& actor) override;
  Result<std::vector<Location>> AddCabinet(const CabinetSpec& spec,
                                           const std::string& actor) override;
  Result<Location> GetLocation(const std::string& code_or_barcode) override;
  Result<std::vector<Location>> ListLocations(
      const std::string& under) override;
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
  Result<std::vector<std::string>> DestructionBlockers(
      std::int64_t document_id) override;
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
  Result<Audit> CloseAudit(const std::string& audit,
                           const std::string& actor) override;
  Result<AuditPreview> PreviewAudit(const std::string& audit) override;
  Result<Audit> GetAudit(const std::string& audit) override;
  Result<std::optional<Audit>> OpenAuditAt(
      const std::string& location) override;
  Result<std::vector<AuditLine>> AuditReport(const std::string& audit) override;
  Result<std::vector<Audit>> AuditHistory(const std::string& location) override;
  Result<MoveOutcome> ApplyAuditMoves(const std::string& audit,
                                      const std::string& approver) override;

 private:
  PgCatalog& catalog_;
};

}  // namespace dossier::storage::postgres
