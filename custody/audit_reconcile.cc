// Audit reconciliation (custody/audit_reconcile.h).
#include "custody/audit_reconcile.h"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

#include "custody/lending.h"

namespace dossier::custody {
namespace {

// A scanned barcode: how often, and the context of its last scan.
struct Seen {
  int count = 0;
  std::optional<std::int64_t> context;
};

}  // namespace

std::vector<ReconciledLine> ReconcileAudit(const AuditInput& input) {
  // Hashed: the lines' order is the report's to choose (by category and
  // barcode), and a whole archive is 100,000 barcodes.
  std::unordered_map<std::string, Seen> seen;
  seen.reserve(input.scans.size());
  for (const AuditScan& s : input.scans) {
    Seen& entry = seen[s.barcode];
    ++entry.count;
    entry.context = s.context;
  }
  const std::unordered_set<std::int64_t> subtree(input.subtree.begin(),
                                                 input.subtree.end());
  std::vector<ReconciledLine> lines;
  for (const AuditOriginal& o : input.expected) {
    ReconciledLine line;
    line.barcode = o.barcode;
    line.original_id = o.id;
    line.registered_location_id = o.location_id;
    auto it = seen.find(o.barcode);
    const Seen* s = it == seen.end() ? nullptr : &it->second;
    const bool elsewhere =
        s != nullptr && s->context && *s->context != o.location_id;
    if (o.state == "on-loan") {
      line.category = "on-loan";
    } else if (s == nullptr) {
      line.category = "missing";
    } else if (elsewhere) {
      line.category = "misplaced";
    } else {
      line.category = "found";
    }
    if (s != nullptr) {
      line.found_location_id = s->context;
      line.scan_count = s->count;
    }
    if (o.state == "in-place" && elsewhere)
      line.suggested_location_id = s->context;
    lines.push_back(std::move(line));
  }
  for (const auto& [barcode, s] : seen) {
    auto it = input.scanned.find(barcode);
    const AuditOriginal* o = it == input.scanned.end() ? nullptr : &it->second;
    const bool live = o != nullptr && o->state != "destroyed";
    if (live && !subtree.contains(o->location_id)) {
      // Scanned here, registered outside the subtree.
      const std::int64_t found = s.context.value_or(input.audited_location_id);
      ReconciledLine line{"misplaced", barcode,      o->id,  o->location_id,
                          found,       std::nullopt, s.count};
      if (o->state == "in-place") line.suggested_location_id = found;
      lines.push_back(std::move(line));
    }
    if (!live) {
      lines.push_back({"unknown", barcode, std::nullopt, std::nullopt,
                       s.context, std::nullopt, s.count});
    }
  }
  for (const auto& [barcode, s] : seen) {
    if (s.count < 2) continue;
    auto it = input.scanned.find(barcode);
    ReconciledLine line{"duplicate", barcode,      std::nullopt, std::nullopt,
                        s.context,   std::nullopt, s.count};
    if (it != input.scanned.end()) {
      line.original_id = it->second.id;
      line.registered_location_id = it->second.location_id;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

Result<ScanBatch> ReadScanLines(const std::vector<std::string>& lines,
                                const LocationLookup& location_of) {
  ScanBatch batch;
  std::optional<std::int64_t> context;
  for (const std::string& line : lines) {
    std::string code = NormalizeScan(line);
    if (code.empty()) {
      ++batch.outcome.ignored;
      continue;
    }
    if (IsLocationBarcode(code)) {
      auto location = location_of(code);
      if (!location) return std::unexpected(location.error());
      if (*location) {
        context = *location;
        ++batch.outcome.contexts;
        continue;
      }
    }
    batch.items.push_back({std::move(code), context});
    ++batch.outcome.items;
  }
  return batch;
}

void CountCategory(storage::Audit& a, const std::string& c, int n) {
  if (c == "found") a.found = n;
  if (c == "missing") a.missing = n;
  if (c == "misplaced") a.misplaced = n;
  if (c == "unknown") a.unknown = n;
  if (c == "on-loan") a.on_loan = n;
  if (c == "duplicate") a.duplicates = n;
}

Status CheckApplyMoves(const storage::Audit& audit,
                       const storage::LendingPolicy& policy,
                       const std::string& approver, const TimeZone& zone) {
  if (audit.status != "closed") {
    return MakeError(ErrorCode::kConflict,
                     audit.display_id + " is still open; close it first");
  }
  if (!audit.moves_applied_at.empty()) {
    return MakeError(
        ErrorCode::kConflict,
        fmt::format("the moves of {} were applied at {} by {}",
                    audit.display_id, zone.DisplayUtc(audit.moves_applied_at),
                    audit.moves_applied_by));
  }
  return CheckApprover(policy, approver, audit.started_by,
                       "moves of " + audit.display_id);
}

std::vector<storage::MoveRequest> AuditMoves(
    const storage::Audit& audit, const std::string& approver,
    const std::vector<SuggestedMove>& moves) {
  std::vector<storage::MoveRequest> out;
  for (const SuggestedMove& m : moves) {
    if (out.empty() || out.back().to != m.to) {
      out.push_back({{},
                     m.to,
                     "audit " + audit.display_id + ": found at " + m.to +
                         ", approved by " + approver,
                     approver});
    }
    out.back().barcodes.push_back(m.barcode);
  }
  return out;
}

}  // namespace dossier::custody
