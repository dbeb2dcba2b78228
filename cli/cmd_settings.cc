// `dossier settings timezone [ZONE]`: the archive's time zone, in which
// times are shown and due dates reckoned (app::SetTimeZone).
#include <fmt/format.h>

#include "app/governance.h"
#include "cli/command.h"

namespace dossier::cli {

void RegisterSettings(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand("settings", "Archive settings");
  cmd->require_subcommand(1);
  auto* tz = cmd->add_subcommand(
      "timezone",
      "Show or set the archive's time zone (an IANA name such as\n"
      "Asia/Shanghai); times are stored in UTC and shown in this zone");
  auto zone = std::make_shared<std::string>();
  tz->add_option("ZONE", *zone, "New zone (default: show the current one)");
  tz->callback([&global, zone, action] {
    *action = StationAction(global, [zone](app::Station& st) -> Result<int> {
      auto name = app::SetTimeZone(st, CurrentCaller(), *zone);
      if (!name) return std::unexpected(name.error());
      fmt::print("{}\t{}\n", *name, st.Zone().Display(Now()));
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
