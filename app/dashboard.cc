#include "app/dashboard.h"

#include "app/operation.h"
#include "storage/catalog.h"
#include "storage/custody.h"
#include "storage/retention.h"

namespace dossier::app {

Result<Dashboard> ShowDashboard(Station& station, const Caller& caller) {
  Operation op(station, caller, "dashboard.show");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<Dashboard> {
    const Principal& who = op.principal();
    Dashboard d;
    if (governance::Holds(who, "document.read")) {
      auto pending = station.records().ListDocumentsByStatus("pending");
      if (!pending) return std::unexpected(pending.error());
      d.pending_reviews = static_cast<std::int64_t>(pending->size());
    }
    if (governance::Holds(who, "loan.read")) {
      auto overdue = station.custody().OverdueLoans(station.Zone().Today());
      if (!overdue) return std::unexpected(overdue.error());
      d.overdue_loans = static_cast<std::int64_t>(overdue->size());
      auto requested = station.custody().ListLoans("requested");
      if (!requested) return std::unexpected(requested.error());
      d.pending_loans = static_cast<std::int64_t>(requested->size());
    }
    if (governance::Holds(who, "location.read")) {
      auto locations = station.custody().ListLocations("");
      if (!locations) return std::unexpected(locations.error());
      std::int64_t open = 0;
      for (const auto& l : *locations) {
        auto audit = station.custody().OpenAuditAt(l.code);
        if (!audit) return std::unexpected(audit.error());
        if (*audit) ++open;
      }
      d.open_audits = open;
    }
    if (governance::Holds(who, "retention.manage")) {
      auto due = station.retention().Due(station.Zone().Today(), /*all=*/false);
      if (!due) return std::unexpected(due.error());
      std::int64_t n = 0;
      for (const auto& s : *due) n += s.due ? 1 : 0;
      d.destructions_due = n;
    }
    return d;
  };
  return op.Finish(run());
}

}  // namespace dossier::app
