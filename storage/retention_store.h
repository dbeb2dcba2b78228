// Retention, legal holds and destruction (销毁). Schema version 6, see
// docs/governance.md for the rules and the on-disk records.
//
// Retention rules say, per document type, how many years documents are kept
// counted from an event:
//   filing            the date of the review decision (documents.reviewed_at)
//   contract-end      the document's end_date field (YYYY-MM-DD)
//   relationship-end  the customer's relationship end (SetRelationshipEnd)
// A document is due when event date + years <= today. Documents still
// pending review, without a rule, or without the event date are never due.
//
// Destruction is a batch: Propose (documents that are due, not held, not on
// loan, not in another open batch) -> Approve (by someone other than the
// proposer; with approvers configured in setting section "retention",
// {"approvers": ["user", ...]}, only by a listed one). Approval re-checks
// every rule, then in one transaction marks the documents 'destroyed' and
// purges their content from the catalog (page text, OCR words, fields,
// search index); after the commit it removes each PDF from the file store
// unless another live document shares its SHA-256. The document row stays
// as part of the tombstone; history and the destruction records are never
// deleted (triggers). Paper originals are then shredded and recorded one by
// one (RecordShredding: who, when, witness); the batch is completed when
// all are.
//
// Each refusal is kConflict and names the record and the reason, e.g.
// "D000012 cannot be destroyed: legal hold H000003 (litigation 2026-17)".
//
// The store interface and its value types; the implementations are
// storage/sqlite/retention.h (SQLite) and storage/postgres/retention.h
// (PostgreSQL, schema version 5 there).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/records_store.h"

namespace dossier::storage {

struct RetentionRule {
  std::string document_type;  // contract|form|id-copy|correspondence|other
  std::string event;          // filing|contract-end|relationship-end
  int years = 0;              // 0..200
  std::string updated_at;
  std::string updated_by;
};

// One document and where it stands against its type's rule.
struct RetentionStatus {
  std::string document;       // D000012
  std::string archive_number;
  std::string customer_code;
  std::string type;
  std::string title;
  std::string event;          // of the rule
  std::string event_date;     // YYYY-MM-DD, '' when unknown
  int years = 0;
  std::string due_on;         // YYYY-MM-DD, '' when unknown
  bool due = false;
  // Why it cannot be destroyed now even if due: holds, open loans, an
  // original not in place, an open batch. Empty when nothing blocks it.
  std::vector<std::string> blocked_by;
};

struct LegalHold {
  std::int64_t id = 0;
  std::string display_id;  // H000001
  std::string target;      // D000012 or a customer code
  std::string reason;
  std::string placed_by;
  std::string placed_at;
  std::string released_by;  // '' while active
  std::string released_at;
  std::string release_reason;
  bool active() const { return released_at.empty(); }
};

struct DestructionItem {
  std::string document;  // D000012
  std::string archive_number;
  std::string customer_code;
  std::string customer_name;
  std::string type;
  std::string title;
  int page_count = 0;
  std::string pdf_sha256;
  std::string created_at;
  std::string filed_at;
  std::string event;
  std::string event_date;
  int retention_years = 0;
  std::string due_on;
  std::string destroyed_at;    // '' until approved
  std::string file_purged_at;  // '' until the PDF left the file store
};

struct ShreddingRecord {
  std::string barcode;      // OR00000017T
  std::string document;     // D000012, '' for a customer folder
  std::string shredded_by;  // '' while not yet shredded
  std::string witness;
  std::string shredded_at;
  std::string method;
};

struct DestructionBatch {
  std::int64_t id = 0;
  std::string display_id;  // DB000001
  std::string status;      // proposed|approved|completed|cancelled
  std::string reason;
  std::string proposed_by;
  std::string proposed_at;
  std::string approved_by;
  std::string approved_at;
  std::string cancelled_by;
  std::string cancelled_at;
  std::string certificate_sha256;
  std::vector<DestructionItem> items;
  std::vector<ShreddingRecord> originals;  // one per original of the items
};

struct ShreddingRequest {
  std::string batch;    // DB000001
  std::string barcode;  // an original of the batch
  std::string witness;  // must differ from actor
  std::string at;       // ISO 8601 or YYYY-MM-DD; '' = now
  std::string method;   // e.g. "cross-cut shredder, DIN 66399 P-4"
  std::string actor;    // who shredded it
};

// The approver configuration: setting section "retention",
// {"approvers": ["a", "b"]}. Empty: anyone but the proposer.
struct RetentionPolicy {
  std::vector<std::string> approvers;
};

// RetentionStore: what governance's retention rules, legal holds and
// destruction ask of persistence. Every backend implements it and passes
// the contract suite (tests/governance/retention_store_contract_test.cc):
// each call's writes land together or not at all; errors are
// kInvalidArgument for malformed input, kNotFound for an absent record,
// kConflict for a refused state change, kCatalog for the backend's own
// failures.
//
// Thread safety: an instance is NOT thread-safe; use one per thread.
class RetentionStore {
 public:
  virtual ~RetentionStore() = default;
  // --- rules ---
  // Sets (replaces) the rule of a document type; history is recorded.
  // kInvalidArgument for an unknown type or event or years outside 0..200.
  virtual Result<RetentionRule> SetRule(const std::string& type,
                                        const std::string& event, int years,
                                        const std::string& actor) = 0;
  virtual Result<std::vector<RetentionRule>> ListRules() = 0;
  // Records the end of the business relationship (YYYY-MM-DD; '' clears).
  virtual Status SetRelationshipEnd(const std::string& customer_code,
                                    const std::string& date, const std::string& actor) = 0;

  // Documents that are due on `today` (YYYY-MM-DD), oldest due first,
  // with what blocks each. all: every document with a rule, due or not.
  virtual Result<std::vector<RetentionStatus>> Due(const std::string& today,
                                                   bool all = false) = 0;

  // --- legal holds ---
  // target: a document id (D000012) or a customer code. reason required.
  virtual Result<LegalHold> AddHold(const std::string& target, const std::string& reason,
                                    const std::string& actor) = 0;
  virtual Result<LegalHold> ReleaseHold(const std::string& hold,
                                        const std::string& reason,
                                        const std::string& actor) = 0;
  // active_only: only holds not released.
  virtual Result<std::vector<LegalHold>> ListHolds(bool active_only) = 0;

  // --- destruction ---
  virtual Result<RetentionPolicy> GetPolicy() = 0;
  // documents empty: every due document that nothing blocks. Refuses the
  // whole batch (kConflict listing every problem) if any given document is
  // not due or is blocked; kInvalidArgument if there is nothing to propose.
  virtual Result<DestructionBatch> Propose(const std::vector<std::string>& documents,
                                           const std::string& today,
                                           const std::string& reason,
                                           const std::string& actor) = 0;
  // Re-checks holds, loans and originals, then destroys the electronic
  // records (see the top of this file). The approver may not be the
  // proposer; with approvers configured, must be listed.
  virtual Result<DestructionBatch> Approve(const std::string& batch,
                                           const std::string& actor) = 0;
  virtual Result<DestructionBatch> Cancel(const std::string& batch,
                                          const std::string& actor) = 0;
  // Records the shredding of one original of an approved batch; the
  // original's state becomes destroyed (custody event "destroy").
  virtual Result<DestructionBatch> RecordShredding(const ShreddingRequest& request) = 0;
  virtual Result<DestructionBatch> GetBatch(const std::string& batch) = 0;
  virtual Result<std::vector<DestructionBatch>> ListBatches() = 0;
  // The approved (or completed) batch that destroyed the document (D000012),
  // nullopt when it was not destroyed. Its item for the document is the
  // tombstone; certificate_sha256 names the certificate.
  virtual Result<std::optional<DestructionBatch>> DestroyedBy(const std::string& document) = 0;
  // Remembers the SHA-256 of an issued certificate.
  virtual Status RecordCertificate(const std::string& batch, const std::string& sha256,
                                   const std::string& actor) = 0;
  // Removes PDFs of destroyed documents still in the file store (after a
  // crash between the catalog commit and the removal). Returns how many.
  virtual Result<int> FinishPurges() = 0;
};


}  // namespace dossier::storage
