// Internal to storage/postgres/custody*.cc: lookups and writes inside the
// caller's transaction (PgCustody splits its methods by topic: custody.cc
// locations, originals, moves and `where`; custody_loans.cc loans;
// custody_audits.cc audits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/custody_store.h"
#include "storage/postgres/database.h"

namespace dossier::storage::postgres::custody_pg {

// The next number of a custody counter ("locations", "originals", "loans",
// "audits"). REQUIRES: LockCounter(tx, "custody_counters") was the
// transaction's first statement.
std::int64_t NextNumber(Tx& tx, const char* counter);

// By code or barcode (normalised); kNotFound naming it if absent.
Result<Location> FindLocation(Tx& tx, const std::string& key);
// "A / A-03 / A-03-2 / A-03-2-017"
std::string LocationPath(Tx& tx, std::int64_t id);
// The ids of the location and all below it.
std::vector<std::int64_t> Subtree(Tx& tx, std::int64_t id);
// By barcode; kNotFound naming the barcode.
Result<Original> FindOriginal(Tx& tx, const std::string& barcode);

// DOC, customer code or original barcode: the originals with their paths
// and custody histories (CustodyStore::Where).
Result<std::vector<Original>> WhereIn(Tx& tx, const std::string& what);

// One custody_events row.
void WriteCustodyEvent(Tx& tx, std::int64_t original_id,
                       const std::string& event,
                       std::optional<std::int64_t> from_location,
                       std::optional<std::int64_t> to_location,
                       std::optional<std::int64_t> loan_id,
                       const std::string& actor, const std::string& at,
                       const std::string& reason);

// The move of MoveOriginals in the caller's transaction: decides
// (custody::PlanMove) and, when apply, writes; nothing when refused.
Result<MoveOutcome> MoveIn(Tx& tx, const MoveRequest& request,
                           std::vector<MoveProblem>* problems, bool apply);

// The destruction hooks in the caller's transaction, for a PostgreSQL
// retention store that destroys in its own (CustodyStore::
// DestructionBlockers, RecordShredding).
std::vector<std::string> DestructionBlockersIn(Tx& tx,
                                               std::int64_t document_id);
Result<Original> RecordShreddingIn(Tx& tx, const std::string& barcode,
                                   const std::string& actor,
                                   const std::string& at,
                                   const std::string& note);

// The "lending" setting as a policy (custody::ParseLendingPolicy).
Result<LendingPolicy> LendingPolicyIn(Tx& tx);

}  // namespace dossier::storage::postgres::custody_pg
