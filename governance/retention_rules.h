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
