// `dossier retention rule set|list, relationship-end, due`: app/governance.h.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/governance.h"
#include "app/json.h"
#include "cli/governance_commands.h"

namespace dossier::cli {

void RegisterRetentionCommand(CLI::App& app, const GlobalOptions& global,
                              Action* action) {
  auto* cmd = app.add_subcommand(
      "retention",
      "Retention rules per document type, and what has come due "
      "(docs/governance.md)");
  cmd->require_subcommand(1);
  auto json = std::make_shared<bool>(false);

  auto* rule = cmd->add_subcommand("rule", "Set or list retention rules");
  rule->require_subcommand(1);
  auto* set = rule->add_subcommand(
      "set", "Keep documents of TYPE for YEARS counted from an event");
  auto type = std::make_shared<std::string>();
  auto event = std::make_shared<std::string>();
  auto years = std::make_shared<int>(0);
  set->add_option("TYPE", *type,
                  "contract, form, id-copy, correspondence or other")
      ->required();
  set->add_option("--from", *event,
                  "filing, contract-end (field end_date) or relationship-end")
      ->required();
  set->add_option("--years", *years, "Years to keep (0..200)")->required();
  set->callback([&global, type, event, years, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto r = app::SetRetentionRule(st, CurrentCaller(), *type, *event, *years);
      if (!r) return std::unexpected(r.error());
      Print("{}: kept {} years from {}\n", r->document_type, r->years,
                 r->event);
      return kExitOk;
    });
  });

  auto* list = rule->add_subcommand("list", "List the retention rules");
  list->add_flag("--json", *json, "Print the rules as JSON");
  list->callback([&global, json, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto rules = app::ListRetentionRules(st, CurrentCaller());
      if (!rules) return std::unexpected(rules.error());
      if (*json) return PrintJson(json::ToJson(*rules));
      if (rules->empty()) Print("No retention rules.\n");
      const TimeZone zone = st.Zone();
      for (const auto& r : *rules) {
        Print("{:<15} {:>3} years from {:<17} (set {} by {})\n",
                   r.document_type, r.years, r.event,
                   zone.DisplayUtc(r.updated_at), r.updated_by);
      }
      return kExitOk;
    });
  });

  auto* ended = cmd->add_subcommand(
      "relationship-end",
      "Record the day the relationship with a customer ended");
  auto code = std::make_shared<std::string>();
  auto date = std::make_shared<std::string>();
  ended->add_option("CUSTOMER", *code, "Customer code")->required();
  ended->add_option("--on", *date, "YYYY-MM-DD ('' clears)")->required();
  ended->callback([&global, code, date, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      if (auto s = app::SetRelationshipEnd(st, CurrentCaller(), *code, *date); !s) {
        return std::unexpected(s.error());
      }
      Print("{}: relationship ended {}\n", *code,
                 date->empty() ? "(cleared)" : *date);
      return kExitOk;
    });
  });

  auto* due = cmd->add_subcommand("due", "Documents whose retention has ended");
  auto today = std::make_shared<std::string>();
  auto all = std::make_shared<bool>(false);
  due->add_option("--today", *today, "Date to count to (default: today)");
  due->add_flag("--all", *all, "Every document with a rule, due or not");
  due->add_flag("--json", *json, "Print the documents as JSON");
  due->callback([&global, today, all, json, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto list = app::RetentionDue(st, CurrentCaller(), *today, *all);
      if (!list) return std::unexpected(list.error());
      if (*json) return PrintJson(json::ToJson(*list));
      int due_count = 0;
      for (const auto& s : *list) {
        due_count += s.due ? 1 : 0;
        Print("{}  {:<5} due {:<10}  {} {} + {}y  {}  {}  {}\n",
                   s.document, s.due ? "DUE" : "-",
                   s.due_on.empty() ? "unknown" : s.due_on, s.event,
                   s.event_date.empty() ? "(no date)" : s.event_date, s.years,
                   s.customer_code, s.type, s.title);
        for (const auto& b : s.blocked_by) Print("    blocked: {}\n", b);
      }
      Print("{} document(s) due\n", due_count);
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
