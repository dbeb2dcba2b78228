// The day's work at a glance (operation dashboard.show, any logged-in
// user): each count only for callers whose roles may see that work; a
// count the caller may not see is absent (nullopt), never zero.
#pragma once

#include <cstdint>
#include <optional>

#include "app/station.h"

namespace dossier::app {

struct Dashboard {
  std::optional<std::int64_t> pending_reviews;   // document.read
  std::optional<std::int64_t> overdue_loans;     // loan.read
  std::optional<std::int64_t> pending_loans;     // loan.read: awaiting approval
  std::optional<std::int64_t> open_audits;       // location.read
  std::optional<std::int64_t> destructions_due;  // retention.manage
};
Result<Dashboard> ShowDashboard(Station& station, const Caller& caller);

}  // namespace dossier::app
