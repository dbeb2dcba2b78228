// Internal: helpers shared by custody.cc, custody_loans.cc and
// custody_audits.cc. Not part of the public API.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "custody/lending.h"
#include "storage/sqlite/catalog_impl.h"
#include "storage/sqlite/custody.h"
#include "storage/sqlite/sqlite_util.h"

namespace dossier::storage::custody_internal {

// Propagates an error from a Result/Status expression.
#define CUSTODY_TRY(expr)                                          \
  do {                                                             \
    if (auto _s = (expr); !_s) return std::unexpected(_s.error()); \
  } while (0)

// Display ids (custody/barcodes.h).
using custody::AuditId;
using custody::LoanId;
using custody::ParseDisplayId;

// Location row by code or barcode (input normalised); kNotFound if absent.
Result<Location> FindLocation(const Database& db, const std::string& key);
// "A / A-03 / A-03-2 / A-03-2-017"
Result<std::string> LocationPath(const Database& db, std::int64_t id);
// The original by barcode; kNotFound names the barcode.
Result<Original> FindOriginal(const Database& db, const std::string& barcode);

// The ids of the location and all locations below it.
Result<std::vector<std::int64_t>> Subtree(const Database& db, std::int64_t id);

// Inserts history rows with one prepared statement (bulk friendly).
class HistoryWriter {
 public:
  static Result<HistoryWriter> Make(const Database& db);
  Status Write(std::string_view table, std::int64_t record_id,
               std::string_view field,
               const std::optional<std::string>& old_value,
               std::string_view new_value, std::string_view actor,
               std::string_view at);

 private:
  explicit HistoryWriter(Statement stmt) : stmt_(std::move(stmt)) {}
  Statement stmt_;
};

// One custody_events row.
Status WriteCustodyEvent(const Database& db, std::int64_t original_id,
                         std::string_view event,
                         std::optional<std::int64_t> from_location,
                         std::optional<std::int64_t> to_location,
                         std::optional<std::int64_t> loan_id,
                         std::string_view actor, std::string_view at,
                         std::string_view reason);

// The move of MoveOriginals inside the caller's transaction; validates
// everything first and writes nothing if any problem is found.
Result<MoveOutcome> MoveInTransaction(const Database& db,
                                      const MoveRequest& request,
                                      std::vector<MoveProblem>* problems);

Result<LendingPolicy> ReadLendingPolicy(Catalog& catalog);
// Ok if `user` may decide a loan/approval requested by `requester`
// (custody/lending.h).
using custody::CheckApprover;

}  // namespace dossier::storage::custody_internal
