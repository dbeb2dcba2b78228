// `dossier history RECORD`: app::History, masked for the caller.
#include <fmt/format.h>

#include "app/json.h"
#include "app/records.h"
#include "cli/command.h"

namespace dossier::cli {

void RegisterHistory(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "history",
      "Every recorded change of a customer file (with its contacts) or of a\n"
      "document (with its fields and status): who, when, old and new value");
  auto record = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("RECORD", *record, "Customer code (KH-…) or document (D000012)")
      ->required();
  cmd->add_flag("--json", *json, "Print the changes as JSON");
  cmd->callback([&global, record, json, action] {
    *action = AppAction([&global, record, json]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      auto entries = app::History(**station, CurrentCaller(), *record);
      if (!entries) return std::unexpected(entries.error());
      if (*json) return PrintJson(json::ToJson(*entries));
      const TimeZone zone = (*station)->Zone();
      for (const auto& e : *entries) {
        Print("{}  {:<10} {:<12} {:<22} {} -> {}\n", zone.DisplayUtc(e.at),
                   e.actor, e.record, e.field,
                   e.old_value ? "'" + *e.old_value + "'" : "(new)",
                   e.new_value ? "'" + *e.new_value + "'" : "(removed)");
      }
      Print("{} change(s)\n", entries->size());
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
