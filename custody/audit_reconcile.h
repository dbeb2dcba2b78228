// The reconciliation of a cabinet audit (盘点, docs/custody.md): what was
// expected in the audited subtree against what was scanned. Pure: the store
// loads the originals and the scans, asks this for the lines, and keeps
// them (on closing) or shows them (a preview). Categories:
//   found      expected here (registered in the subtree) and scanned; when a
//              box barcode was scanned first, scanned in its registered box
//   missing    expected here, not on loan, not scanned
//   misplaced  scanned here but registered elsewhere (outside the subtree,
//              or in another box of it); suggested move (originals in
//              place only): to where it was scanned (the box context, else
//              the audited location)
//   unknown    scanned, matches no original that is not destroyed
//   on-loan    expected here but lent out: absent by design
//   duplicate  scanned more than once (also counted in its own category)
// Safe to call from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "storage/custody_store.h"

namespace dossier::custody {

// An original as reconciliation sees it.
struct AuditOriginal {
  std::int64_t id = 0;
  std::string barcode;
  std::int64_t location_id = 0;
  std::string state;  // in-place|on-loan|returned-flagged|destroyed
};

// One scanned item, in scan order; context: the location barcode scanned
// last before it, if any.
struct AuditScan {
  std::string barcode;
  std::optional<std::int64_t> context;
};

// One line of the result, with ids the store turns into codes and titles.
struct ReconciledLine {
  std::string category;
  std::string barcode;
  std::optional<std::int64_t> original_id;
  std::optional<std::int64_t> registered_location_id;
  std::optional<std::int64_t> found_location_id;
  std::optional<std::int64_t> suggested_location_id;
  int scan_count = 0;
};

// A batch of scanned lines (AddScans), in order: blank lines are ignored;
// a location barcode that names a location (location_of) says where the
// following items were found; anything else is an item scanned there.
struct ScanBatch {
  std::vector<AuditScan> items;
  storage::ScanOutcome outcome;
};
using LocationLookup = std::function<Result<std::optional<std::int64_t>>(
    const std::string& barcode)>;
Result<ScanBatch> ReadScanLines(const std::vector<std::string>& lines,
                                const LocationLookup& location_of);

// What reconciliation needs from the catalog.
struct AuditInput {
  std::int64_t audited_location_id = 0;
  // Every original registered in the audited subtree, not destroyed.
  std::vector<AuditOriginal> expected;
  // The ids of the audited location and everything below it.
  std::vector<std::int64_t> subtree;
  std::vector<AuditScan> scans;
  // The originals (any state) whose barcodes were scanned, by barcode.
  std::unordered_map<std::string, AuditOriginal> scanned;
};

// The lines: expected originals first (in `expected` order), then
// misplaced from outside, unknown and duplicate lines (in no set order;
// reports sort by category and barcode).
std::vector<ReconciledLine> ReconcileAudit(const AuditInput& input);

// Adds `count` lines of `category` to the audit's per-category counts.
void CountCategory(storage::Audit& audit, const std::string& category,
                   int count);

// Whether `approver` may apply the suggested moves of `audit` now: it is
// closed, its moves were not applied yet (the message shows when, in
// `zone`), and the approver is not the auditor (custody::CheckApprover).
// kConflict otherwise.
Status CheckApplyMoves(const storage::Audit& audit,
                       const storage::LendingPolicy& policy,
                       const std::string& approver, const TimeZone& zone);

// One suggested move of an audit's report: an original and where to.
struct SuggestedMove {
  std::string to;  // location code
  std::string barcode;
};
// The moves to apply, one all-or-nothing move per target, in the order
// given (sorted by target), each with the reason the chain of custody
// keeps ("audit AU000001: found at A-01-2-001, approved by boss").
std::vector<storage::MoveRequest> AuditMoves(
    const storage::Audit& audit, const std::string& approver,
    const std::vector<SuggestedMove>& moves);

}  // namespace dossier::custody
