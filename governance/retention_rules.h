// The retention and destruction rules (docs/governance.md): which rule is
// valid, when a document falls due, which setting names the approvers, who
// may approve a destruction and who may witness a shredding. Pure functions
// on the store's value types (storage/retention_store.h): the store loads
// the facts, asks these, and writes. Safe to call from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "storage/retention_store.h"

namespace dossier::governance {

// YYYY-MM-DD at the start of text, checked as a calendar date.
std::optional<std::chrono::year_month_day> ParseCalendarDate(
    std::string_view text);
std::string FormatCalendarDate(const std::chrono::year_month_day& ymd);
// event + years; 29 February becomes 28 February in a common year.
std::string AddYears(const std::chrono::year_month_day& event, int years);

// A rule: a known document type (records/vocabulary.h), a known event
// (filing, contract-end, relationship-end), 0..200 years, an actor.
// kInvalidArgument naming what is wrong.
Status CheckRetentionRule(const std::string& type, const std::string& event,
                          int years, const std::string& actor);

// The date a rule's event is counted from: filing -> the review decision,
// relationship-end -> the customer's end, contract-end -> the end_date
// field.
std::string_view RetentionEventDate(std::string_view event,
                                    std::string_view filed_at,
                                    std::string_view relationship_end,
                                    std::string_view contract_end);

// The statuses whose documents a retention rule counts: filed, rejected,
// replaced. A document pending review is never due; a destroyed one is
// gone.
bool MayFallDue(std::string_view document_status);

// The document field a contract-end rule counts from. A flagged value (one
// with a problem) is no date: the event is unknown.
inline constexpr std::string_view kContractEndField = "end_date";
std::string_view ContractEndDate(std::string_view value,
                                 std::string_view problem);

// When a document with this event date (text starting YYYY-MM-DD) and rule
// falls due, and whether it is due on `today`; nullopt when the event date
// is unknown (never due).
struct RetentionDue {
  std::string event_date;
  std::string due_on;
  bool due = false;
};
std::optional<RetentionDue> DueOn(std::string_view event_text, int years,
                                  std::string_view today);

// Why a document named in a proposal cannot be proposed, or nullopt when it
// can (what blocks it, holds and loans, is asked separately): destroyed,
// pending review (never due), no rule for its type (against_rule nullopt),
// an unknown event date, not yet due. The message names the document.
std::optional<std::string> NotProposable(
    const std::string& document, std::string_view document_status,
    std::string_view type,
    const std::optional<storage::RetentionStatus>& against_rule);

// The state a batch moves to when approved: completed when it has no paper
// originals to shred, else approved (completed when the last is shredded).
std::string_view StatusAfterApproval(std::size_t originals);

// The purge after a destruction: a stored file (a destroyed document's PDF
// or a file kept with it) leaves the file store only when no document that
// is not destroyed names the same bytes, as its PDF or as a kept file.
// statuses_naming_it: the status of every document naming the file.
bool MayPurgeFile(const std::vector<std::string>& statuses_naming_it);

// The setting section "retention" (nullopt: never set): {"approvers": [...]}.
Result<storage::RetentionPolicy> ParseRetentionPolicy(
    const std::optional<std::string>& json);

// Approving a batch: it must be proposed, the approver not its proposer,
// and with approvers configured a listed one. kConflict naming the batch.
Status CheckDestructionApproval(const storage::DestructionBatch& batch,
                                const storage::RetentionPolicy& policy,
                                const std::string& actor);

// A shredding names who shredded it and a witness, two different people
// (trimmed). `what` names the original and batch in the message.
Status CheckShreddingWitness(const std::string& what,
                             const std::string& witness,
                             const std::string& actor);

}  // namespace dossier::governance
