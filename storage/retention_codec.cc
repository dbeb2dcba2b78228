#include "storage/retention_codec.h"

#include <fmt/format.h>

#include "governance/retention_rules.h"

namespace dossier::storage {

std::string HoldDisplayId(std::int64_t id) { return fmt::format("H{:06d}", id); }
std::string BatchDisplayId(std::int64_t id) { return fmt::format("DB{:06d}", id); }

namespace {
bool IsDay(const std::string& text) {
  return text.size() == 10 && governance::ParseCalendarDate(text).has_value();
}
}  // namespace

Status CheckDay(const std::string& today) {
  if (!IsDay(today)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a date (YYYY-MM-DD)", today));
  }
  return Ok();
}

Status CheckRelationshipEnd(const std::string& customer_code, const std::string& date) {
  if (!date.empty() && !IsDay(date)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("relationship end of {}: '{}' is not a date "
                                 "(YYYY-MM-DD)",
                                 customer_code, date));
  }
  return Ok();
}

Result<std::string> ShreddingTime(const std::string& what, const std::string& at,
                                  const std::string& now) {
  if (at.empty()) return now;
  if (!governance::ParseCalendarDate(at) || (at.size() != 10 && at.size() != 20)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: '{}' is not a date (YYYY-MM-DD) or time "
                                 "(YYYY-MM-DDTHH:MM:SSZ)",
                                 what, at));
  }
  if (at > now) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: {} is in the future", what, at));
  }
  return at;
}

void SetDue(RetentionCandidate& c, const CandidateDates& dates,
            const std::string& today) {
  RetentionStatus& r = c.status;
  const std::string contract_end = std::string(governance::ContractEndDate(
      dates.contract_end_value, dates.contract_end_problem));
  if (auto due = governance::DueOn(
          governance::RetentionEventDate(r.event, c.filed_at, dates.relationship_end,
                                         contract_end),
          r.years, today)) {
    r.event_date = due->event_date;
    r.due_on = due->due_on;
    r.due = due->due;
  }
}

std::string HoldBlocker(std::int64_t hold_id, const std::string& customer_code,
                        const std::string& reason) {
  return fmt::format("legal hold {}{} ({})", HoldDisplayId(hold_id),
                     customer_code.empty() ? "" : " on customer " + customer_code,
                     reason);
}

std::string BatchBlocker(std::int64_t batch_id) {
  return "already proposed in batch " + BatchDisplayId(batch_id);
}

}  // namespace dossier::storage
