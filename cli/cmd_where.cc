#include <fmt/format.h>

#include "app/custody.h"
#include "app/json.h"
#include "cli/custody_commands.h"

namespace dossier::cli {

void RegisterWhereCommand(CLI::App& app, const GlobalOptions& global,
                          Action* action) {
  auto* cmd = app.add_subcommand(
      "where", "Where a paper original is, and its full chain of custody");
  auto what = std::make_shared<std::string>();
  cmd->add_option("WHAT", *what, "Document id, customer code or barcode")
      ->required();
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print the originals and their custody as JSON");
  cmd->callback([&global, what, json, action] {
    *action = AppAction([&global, what, json]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::Station& st = **station;
      auto originals = app::Where(st, CurrentCaller(), *what);
      if (!originals) return std::unexpected(originals.error());
      if (*json) return PrintJson(json::ToJson(*originals));
      const TimeZone zone = st.Zone();
      for (const auto& o : *originals) {
        Print("{}  {} {} {} ({} pages)\n  at {}  [{}{}]\n", o.barcode,
                   o.document_display_id.empty() ? o.customer_code
                                                 : o.document_display_id,
                   o.customer_name, o.title, o.page_count, o.location_path,
                   o.state, o.loan_id.empty() ? "" : " " + o.loan_id);
        for (const auto& e : o.history) {
          Print("  {}  {:<8} {:<10} {} -> {}  {}\n", zone.DisplayUtc(e.at), e.event,
                     e.actor, e.from.empty() ? "-" : e.from,
                     e.to.empty() ? "-" : e.to, e.reason);
        }
      }
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
