// The retention and destruction rules (governance/retention_rules.h).
#include "governance/retention_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <nlohmann/json.hpp>

#include "records/vocabulary.h"

namespace dossier::governance {
namespace {

constexpr std::string_view kEvents[] = {"filing", "contract-end",
                                        "relationship-end"};

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

std::optional<std::chrono::year_month_day> ParseCalendarDate(
    std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  y = std::stoi(std::string(text.substr(0, 4)));
  m = std::stoi(std::string(text.substr(5, 2)));
  d = std::stoi(std::string(text.substr(8, 2)));
  std::chrono::year_month_day ymd{std::chrono::year(y),
                                  std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::string FormatCalendarDate(const std::chrono::year_month_day& ymd) {
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::string AddYears(const std::chrono::year_month_day& event, int years) {
  std::chrono::year_month_day due = event + std::chrono::years(years);
  if (!due.ok()) {
    due = std::chrono::year_month_day{due.year(), due.month(),
                                      std::chrono::day(28)};
  }
  return FormatCalendarDate(due);
}

Status CheckRetentionRule(const std::string& type, const std::string& event,
                          int years, const std::string& actor) {
  if (auto known = records::ParseDocumentType(type); !known) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "retention rule: " + known.error().message);
  }
  if (std::find(std::begin(kEvents), std::end(kEvents), event) ==
      std::end(kEvents)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("retention rule for {}: unknown event '{}' "
                                 "(filing, contract-end, relationship-end)",
                                 type, event));
  }
  if (years < 0 || years > 200) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("retention rule for {}: {} years is outside "
                                 "0..200",
                                 type, years));
  }
  if (IsBlank(actor)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "retention rule: the acting user is unknown");
  }
  return Ok();
}

std::string_view RetentionEventDate(std::string_view event,
                                    std::string_view filed_at,
                                    std::string_view relationship_end,
                                    std::string_view contract_end) {
  if (event == "filing") return filed_at;
  if (event == "relationship-end") return relationship_end;
  return contract_end;
}

bool MayFallDue(std::string_view status) {
  return status == "filed" || status == "rejected" || status == "replaced";
}

std::string_view ContractEndDate(std::string_view value,
                                 std::string_view problem) {
  return problem.empty() ? value : std::string_view();
}

std::optional<std::string> NotProposable(
    const std::string& document, std::string_view status,
    std::string_view type,
    const std::optional<storage::RetentionStatus>& against_rule) {
  if (status == "destroyed") return document + " is already destroyed";
  if (!MayFallDue(status)) {
    return status == "pending"
               ? document + " is pending review, never due"
               : fmt::format("{} is {}, never due", document, status);
  }
  if (!against_rule) {
    return fmt::format("{}: no retention rule for type {}", document, type);
  }
  if (against_rule->event_date.empty()) {
    return fmt::format("{}: the {} date is unknown", document,
                       against_rule->event);
  }
  if (!against_rule->due) {
    return fmt::format("{} is not due until {}", document,
                       against_rule->due_on);
  }
  return std::nullopt;
}

std::string_view StatusAfterApproval(std::size_t originals) {
  return originals == 0 ? "completed" : "approved";
}

bool MayPurgeFile(const std::vector<std::string>& statuses_naming_it) {
  return std::all_of(statuses_naming_it.begin(), statuses_naming_it.end(),
                     [](const std::string& s) { return s == "destroyed"; });
}

std::optional<RetentionDue> DueOn(std::string_view event_text, int years,
                                  std::string_view today) {
  auto event = ParseCalendarDate(event_text);
  if (!event) return std::nullopt;
  RetentionDue out;
  out.event_date = FormatCalendarDate(*event);
  out.due_on = AddYears(*event, years);
  out.due = out.due_on <= today;
  return out;
}

Result<storage::RetentionPolicy> ParseRetentionPolicy(
    const std::optional<std::string>& value) {
  storage::RetentionPolicy policy;
  if (!value) return policy;
  nlohmann::json j = nlohmann::json::parse(*value, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting 'retention' must be a JSON object");
  }
  if (j.contains("approvers")) {
    if (!j["approvers"].is_array()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "setting 'retention': approvers must be a list of user "
                       "names");
    }
    for (const auto& a : j["approvers"]) {
      if (!a.is_string()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "setting 'retention': approvers must be a list of "
                         "user names");
      }
      policy.approvers.push_back(a.get<std::string>());
    }
  }
  return policy;
}

Status CheckDestructionApproval(const storage::DestructionBatch& batch,
                                const storage::RetentionPolicy& policy,
                                const std::string& actor) {
  if (batch.status != "proposed") {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} is {}, not proposed", batch.display_id,
                                 batch.status));
  }
  if (actor == batch.proposed_by) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{}: {} proposed this destruction and may "
                                 "not approve it; another records manager "
                                 "must",
                                 batch.display_id, actor));
  }
  if (!policy.approvers.empty() &&
      std::find(policy.approvers.begin(), policy.approvers.end(), actor) ==
          policy.approvers.end()) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{}: {} is not a destruction approver "
                                 "(setting 'retention', approvers)",
                                 batch.display_id, actor));
  }
  return Ok();
}

Status CheckShreddingWitness(const std::string& what,
                             const std::string& witness,
                             const std::string& actor) {
  if (witness.empty() || actor.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     what + ": who shredded it and a witness are required");
  }
  if (witness == actor) {
    return MakeError(
        ErrorCode::kConflict,
        what + ": the witness must be someone other than " + actor);
  }
  return Ok();
}

}  // namespace dossier::governance
