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
#include "storage/retention_codec.h"
#include "storage/retention_store.h"

namespace dossier::storage::postgres::retention_pg {

// The next number of a retention counter ("holds", "batches"). REQUIRES:
// LockCounter(tx, "retention_counters") was the transaction's first
// statement.
std::int64_t NextNumber(Tx& tx, const char* counter);

// A document with a rule for its type, with the facts its due date
// depends on, measured against `today`.
using Candidate = RetentionCandidate;
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
