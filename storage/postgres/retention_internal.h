// Internal to storage/postgres/retention*.cc: lookups inside the caller's
// transaction (PgRetention splits its methods by topic: retention.cc
// rules, due documents and legal holds; retention_batches.cc destruction
// batches, shredding and the file purge).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/postgres/database.h"
#include "storage/retention_store.h"

namespace dossier::storage::postgres::retention_pg {

std::string HoldId(std::int64_t id);   // H000001
std::string BatchId(std::int64_t id);  // DB000001

// The next number of a retention counter ("holds", "batches"). REQUIRES:
// LockCounter(tx, "retention_counters") was the transaction's first
// statement.
std::int64_t NextNumber(Tx& tx, const char* counter);

// A document with a rule for its type, with the facts its due date
// depends on, measured against `today`.
struct Candidate {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
  std::string document_status;
  RetentionStatus status;
  std::string customer_name;
  std::string created_at;
  std::string filed_at;
  std::string pdf_sha256;
  int page_count = 0;
};
// Every document with a rule for its type (whether a rule counts it is
// governance::MayFallDue's), by id.
std::vector<Candidate> Candidates(Tx& tx, const std::string& today);
// One document, nullopt when there is no rule for its type.
std::optional<Candidate> CandidateOf(Tx& tx, std::int64_t document_id,
                                     const std::string& today);

// Why the document cannot be destroyed now: active holds on it or its
// customer, what custody says (open loans, originals not in place), an
// open batch other than except_batch. Empty when nothing blocks it.
std::vector<std::string> Blockers(Tx& tx, std::int64_t document_id,
                                  std::int64_t customer_id,
                                  std::int64_t except_batch);

}  // namespace dossier::storage::postgres::retention_pg
