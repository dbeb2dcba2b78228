// What both catalog backends share in retention (storage/retention_store.h):
// the display ids of holds and batches, the checks of dates they are given,
// the due date of a candidate document from the facts read with it, and the
// words that say what blocks a destruction. The SQL differs; what is
// decided and said does not.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "storage/retention_store.h"

namespace dossier::storage {

std::string HoldDisplayId(std::int64_t id);   // H000001
std::string BatchDisplayId(std::int64_t id);  // DB000001

// kInvalidArgument naming the text unless today is a date (YYYY-MM-DD).
Status CheckDay(const std::string& today);
// kInvalidArgument naming the customer unless date is '' (clears it) or a
// date (YYYY-MM-DD).
Status CheckRelationshipEnd(const std::string& customer_code, const std::string& date);

// When a shredding happened: at (trimmed) if given, a date (YYYY-MM-DD) or
// time (YYYY-MM-DDTHH:MM:SSZ) not after now; now if at is empty.
// kInvalidArgument naming what otherwise.
Result<std::string> ShreddingTime(const std::string& what, const std::string& at,
                                  const std::string& now);

// A document with a rule for its type, with the facts its due date depends
// on.
struct RetentionCandidate {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
  std::string document_status;
  RetentionStatus status;  // document ids, type, title, rule's event and years
  std::string customer_name;
  std::string created_at;
  std::string filed_at;
  std::string pdf_sha256;
  int page_count = 0;
};

// The dates read beside a candidate: its customer's relationship end and
// its contract-end field (governance::kContractEndField) with its problem.
struct CandidateDates {
  std::string relationship_end;
  std::string contract_end_value;
  std::string contract_end_problem;
};
// Sets c.status's event date, due date and whether it is due on today,
// by the governance rules; left empty when the event has no date yet.
// REQUIRES: c.status.event, c.status.years and c.filed_at are read.
void SetDue(RetentionCandidate& c, const CandidateDates& dates,
            const std::string& today);

// "legal hold H000002 on customer KH-… (reason)", or without the customer
// part for a hold on the document itself (customer_code '').
std::string HoldBlocker(std::int64_t hold_id, const std::string& customer_code,
                        const std::string& reason);
// "already proposed in batch DB000003".
std::string BatchBlocker(std::int64_t batch_id);

}  // namespace dossier::storage
