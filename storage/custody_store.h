// Custody: paper originals, their locations, the chain of custody, loans
// (借阅) and cabinet audits (盘点). Manual 3.3 and 3.4 for paper.
//
// The store interface and its value types; the SQLite implementation is
// storage/sqlite/custody.h (schema version 3, see docs/custody.md), the
// PostgreSQL one storage/postgres/custody.h (its version 4). Every
// call that writes does so in one transaction and records history rows;
// custody moves also write custody_events rows (who, when, from, to, why).
//
// Barcodes are custody/barcodes.h. Every store keeps these promises (each
// refusal is kConflict unless noted); the rules are decided by custody/
// (placement.h, lending.h, loan_records.h, audit_reconcile.h), which a
// store asks before it writes:
//   - a bulk move validates every item first and changes nothing if any is
//     unknown (kNotFound), not in place (on loan), or the target is full;
//   - requesters never approve their own loans; external loans (外部提供)
//     need two distinct approvers; with a configured approver list only
//     listed users approve; renewals need approval again;
//   - an original not in place cannot be moved or destroyed (also enforced
//     by triggers);
//   - a return whose page count differs from the catalog's is flagged and
//     stays open until an approver resolves it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "custody/barcodes.h"
#include "storage/records_store.h"

namespace dossier::storage {

// Barcode helpers (custody/barcodes.h), by their names here too.
using custody::IsLocationBarcode;
using custody::IsOriginalBarcode;
using custody::LocationBarcode;
using custody::NormalizeScan;
using custody::OriginalBarcode;

struct Location {
  std::int64_t id = 0;
  std::string code;      // A-03-2-017
  std::string barcode;   // LC000042T
  std::string kind;      // room|cabinet|shelf|box|folder
  std::string name;
  std::int64_t parent_id = 0;  // 0: top level
  std::string parent_code;
  int capacity = 0;      // originals held directly; 0 = unlimited
  std::string security;  // security-level note
  std::string path;      // "A / A-03 / A-03-2 / A-03-2-017"
  int original_count = 0;  // originals held directly (not destroyed)
};

struct NewLocation {
  std::string code;
  std::string kind;
  std::string parent;  // code or barcode; empty for a top-level location
  std::string name;
  int capacity = 0;
  std::string security;
};

// "cabinet A-03 with 5 shelves of 20 boxes": cabinet code, shelves
// A-03-1..A-03-5, boxes A-03-1-001..A-03-5-020.
struct CabinetSpec {
  std::string code;
  std::string parent;   // the room
  int shelves = 0;      // 1..99
  int boxes_per_shelf = 0;  // 1..999
  int box_capacity = 0;     // 0 = unlimited
  std::string security;
};

struct CustodyEvent {
  std::string event;  // register|move|checkout|return|resolve
  std::string from;   // location path, or loan description
  std::string to;
  std::string actor;
  std::string at;
  std::string reason;
};

struct Original {
  std::int64_t id = 0;
  std::string barcode;
  std::int64_t document_id = 0;   // 0: a whole customer folder
  std::string document_display_id;
  std::string customer_code;
  std::string customer_name;
  std::string title;  // document title, or "customer folder"
  int page_count = 0;
  std::int64_t location_id = 0;
  std::string location_code;
  std::string location_path;
  std::string state;  // in-place|on-loan|returned-flagged|destroyed
  std::string loan_id;  // display id of the open loan, if any
  std::string registered_at;
  std::string registered_by;
  std::vector<CustodyEvent> history;  // filled by Where()
};

struct RegisterRequest {
  std::string item;      // document id (D000012) or customer code
  std::string location;  // code or barcode
  int page_count = -1;   // -1: the catalog's page count (customer: sum)
  std::string actor;
};

struct MoveRequest {
  std::vector<std::string> barcodes;
  std::string to;      // location code or barcode
  std::string reason;  // why; recorded in the chain of custody
  std::string actor;
};

// One reason a bulk move was refused.
struct MoveProblem {
  std::string barcode;
  std::string problem;
};

struct MoveOutcome {
  int moved = 0;
  int already_there = 0;
};

// The lending configuration: setting section "lending", e.g.
//   {"approvers": ["a", "b"], "external_approvals": 2,
//    "export_requires_approval": true}
// An empty approver list means any user other than the requester.
struct LendingPolicy {
  std::vector<std::string> approvers;
  int internal_approvals = 1;
  int external_approvals = 2;  // never below 2
  bool export_requires_approval = false;
};

struct LoanApproval {
  int round = 0;
  std::string approver;
  std::string decision;  // approve|reject
  std::string note;
  std::string at;
};

struct Loan {
  std::int64_t id = 0;
  std::string display_id;  // L000001
  std::string kind;        // paper|electronic
  std::string barcode;     // paper
  std::string document_display_id;
  std::string title;
  std::string requester;
  std::string purpose;
  std::string recipient;
  bool external = false;
  std::string due_date;       // YYYY-MM-DD
  std::string requested_due;  // renewal asked for
  std::string status;
  int round = 0;
  int approvals_needed = 0;   // for the current round
  std::vector<LoanApproval> approvals;
  std::string requested_at;
  std::string checked_out_at;
  std::string returned_at;
  int return_pages = -1;
  int original_pages = -1;  // pages the original has (paper), -1 unknown
  std::string return_note;
  std::string resolution;
};

struct LoanRequest {
  std::string item;  // paper: original barcode or document id with one
                     // original; electronic: document id
  bool electronic = false;
  std::string purpose;
  std::string recipient;
  bool external = false;  // 外部提供
  std::string due_date;   // YYYY-MM-DD, not before today
  std::string requester;
};

struct ReturnRequest {
  std::string loan;     // L000001
  std::string barcode;  // scanned from the returned original
  int pages_counted = -1;
  std::string condition;
  std::string actor;
};

// 盘点.
struct Audit {
  std::int64_t id = 0;
  std::string display_id;  // AU000001
  std::int64_t location_id = 0;
  std::string location_code;
  std::string location_path;
  std::string status;  // open|closed
  std::string started_at;
  std::string started_by;
  std::string closed_at;
  std::string closed_by;
  std::string moves_applied_at;
  std::string moves_applied_by;
  int scans = 0;
  // After closing: count per category.
  int found = 0, missing = 0, misplaced = 0, unknown = 0, on_loan = 0,
      duplicates = 0;
};

struct AuditLine {
  std::string category;  // found|missing|misplaced|unknown|on-loan|duplicate
  std::string barcode;
  std::string customer_code;
  std::string customer_name;
  std::string title;
  std::string registered_at;  // location code
  std::string found_at;       // location code where scanned, if known
  std::string suggested_to;   // location code for a suggested move
  int scan_count = 0;
};

// An open audit reconciled as it stands: the counts and lines closing it
// now would give.
struct AuditPreview {
  Audit audit;
  std::vector<AuditLine> lines;
};

struct ScanOutcome {
  int items = 0;     // original (or unknown) barcodes recorded
  int contexts = 0;  // location barcodes: later items were found there
  int ignored = 0;   // blank lines
};

// CustodyStore: what the custody domain (locations, originals, moves,
// loans, audits) asks of persistence. Every backend implements it and
// passes the contract suite (tests/custody/custody_store_contract_test.cc):
// each call's writes land together or not at all; errors are
// kInvalidArgument for malformed input, kNotFound for an absent record,
// kConflict for a refused state change, kCatalog for the backend's own
// failures.
//
// Thread safety: an instance is NOT thread-safe; use one per thread.
class CustodyStore {
 public:
  virtual ~CustodyStore() = default;
  // --- locations ---
  // kInvalidArgument for a bad code/kind, kConflict for a duplicate code,
  // kNotFound for an unknown parent. Kinds nest in order
  // room > cabinet > shelf > box > folder (a child is of a later kind).
  virtual Result<Location> AddLocation(const NewLocation& location,
                                       const std::string& actor) = 0;
  // Creates the cabinet, its shelves and boxes in one transaction.
  virtual Result<std::vector<Location>> AddCabinet(const CabinetSpec& spec,
                                                   const std::string& actor) = 0;
  // By code or barcode; kNotFound if absent.
  virtual Result<Location> GetLocation(const std::string& code_or_barcode) = 0;
  // All locations in tree order: each one directly before its subtree,
  // siblings by code; under: a code or barcode limits the list to that
  // subtree.
  virtual Result<std::vector<Location>> ListLocations(const std::string& under) = 0;

  // --- originals ---
  virtual Result<Original> RegisterOriginal(const RegisterRequest& request) = 0;
  // Bulk form for imports and benchmarks: one transaction, all or nothing.
  virtual Result<std::vector<std::string>> RegisterOriginals(
              const std::vector<RegisterRequest>& requests) = 0;
  virtual Result<Original> GetOriginal(const std::string& barcode) = 0;
  virtual Result<std::vector<Original>> OriginalsAt(const std::string& location,
                                                    bool include_sublocations) = 0;
  // Validates everything first; on any problem returns kConflict (or
  // kNotFound when every problem is an unknown item) listing every
  // problem and changes nothing.
  virtual Result<MoveOutcome> MoveOriginals(const MoveRequest& request) = 0;
  // Same checks as MoveOriginals without changing anything.
  virtual std::vector<MoveProblem> CheckMove(const MoveRequest& request) = 0;
  // For the destruction module: Ok only for an original in place.
  virtual Status CheckCanDestroy(const std::string& barcode) = 0;
  // For the destruction module: what, on custody's side, keeps a document
  // (its catalog row id) from being destroyed now, one line each: its open
  // loans, paper or electronic ("open loan L000003 (checked-out)"), and
  // originals that are not in place ("original O… is on-loan").
  virtual Result<std::vector<std::string>> DestructionBlockers(std::int64_t document_id) = 0;
  // For the destruction module, inside its transaction: the original's
  // state becomes destroyed, with its history and a custody "destroy"
  // event at `at`. Returns the original as it was. kNotFound for an unknown
  // barcode; kConflict when it is not in place.
  virtual Result<Original> RecordShredding(const std::string& barcode,
                                           const std::string& actor,
                                           const std::string& at,
                                           const std::string& note) = 0;

  // DOC (D000012), customer code, or original barcode: the originals with
  // their location paths and full custody histories. kNotFound if none.
  virtual Result<std::vector<Original>> Where(const std::string& what) = 0;

  // --- loans ---
  virtual Result<LendingPolicy> GetLendingPolicy() = 0;
  virtual Result<Loan> RequestLoan(const LoanRequest& request) = 0;
  virtual Result<Loan> ApproveLoan(const std::string& loan, const std::string& approver,
                                   const std::string& note) = 0;
  virtual Result<Loan> RejectLoan(const std::string& loan, const std::string& approver,
                                  const std::string& note) = 0;
  // Paper: the scanned barcode must be the loan's original. Electronic:
  // barcode is ignored and the loan becomes "exported".
  virtual Result<Loan> CheckoutLoan(const std::string& loan, const std::string& barcode,
                                    const std::string& actor) = 0;
  virtual Result<Loan> RequestRenewal(const std::string& loan,
                                      const std::string& new_due,
                                      const std::string& actor) = 0;
  virtual Result<Loan> ReturnLoan(const ReturnRequest& request) = 0;
  // Closes a flagged return; by an approver other than the requester.
  virtual Result<Loan> ResolveReturn(const std::string& loan, const std::string& actor,
                                     const std::string& note) = 0;
  virtual Result<Loan> GetLoan(const std::string& loan) = 0;
  // status empty: all loans; "open": not rejected/returned/exported.
  virtual Result<std::vector<Loan>> ListLoans(const std::string& status) = 0;
  // Out (checked-out or renewal-requested) with due_date < today; today
  // empty: today in the archive's time zone.
  virtual Result<std::vector<Loan>> OverdueLoans(const std::string& today) = 0;
  // Whether `user` may export an electronic copy of the document now. With
  // export_requires_approval, needs an approved electronic loan requested by
  // user, which this marks exported (kConflict otherwise). Returns the loan
  // used, or nullopt when no approval is configured.
  virtual Result<std::optional<Loan>> AuthorizeExport(const std::string& document,
                                                      const std::string& user) = 0;

  // --- audits ---
  virtual Result<Audit> StartAudit(const std::string& location,
                                   const std::string& actor) = 0;
  // Records scanned lines in order. A location barcode sets where the
  // following items were found. source: "stdin", a file or photo name.
  virtual Result<ScanOutcome> AddScans(const std::string& audit,
                                       const std::vector<std::string>& lines,
                                       const std::string& source) = 0;
  // Reconciles (custody/audit_reconcile.h) and closes. kConflict if
  // already closed.
  virtual Result<Audit> CloseAudit(const std::string& audit, const std::string& actor) = 0;
  // The same reconciliation for an open audit, as it stands, without
  // closing it or keeping anything (the live view while scanning).
  // kConflict if the audit is closed.
  virtual Result<AuditPreview> PreviewAudit(const std::string& audit) = 0;
  virtual Result<Audit> GetAudit(const std::string& audit) = 0;
  // The open audit of a location, if any.
  virtual Result<std::optional<Audit>> OpenAuditAt(const std::string& location) = 0;
  virtual Result<std::vector<AuditLine>> AuditReport(const std::string& audit) = 0;
  virtual Result<std::vector<Audit>> AuditHistory(const std::string& location) = 0;
  // Applies the report's suggested moves in one all-or-nothing move. The
  // approver may not be the auditor; with an approver list, must be on it.
  virtual Result<MoveOutcome> ApplyAuditMoves(const std::string& audit,
                                              const std::string& approver) = 0;
};


}  // namespace dossier::storage
