#include <fmt/format.h>

#include "cli/custody_commands.h"

namespace dossier::cli {

void RegisterWhereCommand(CLI::App& app, const GlobalOptions& global,
                          Action* action) {
  auto* cmd = app.add_subcommand(
      "where", "Where a paper original is, and its full chain of custody");
  auto what = std::make_shared<std::string>();
  cmd->add_option("WHAT", *what, "Document id, customer code or barcode")
      ->required();
  cmd->callback([&global, what, action] {
    *action = [&global, what]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Custody custody((*archive)->catalog());
      auto originals = custody.Where(*what);
      if (!originals) return std::unexpected(originals.error());
      for (const auto& o : *originals) {
        fmt::print("{}  {} {} {} ({} pages)\n  at {}  [{}{}]\n", o.barcode,
                   o.document_display_id.empty() ? o.customer_code
                                                 : o.document_display_id,
                   o.customer_name, o.title, o.page_count, o.location_path,
                   o.state, o.loan_id.empty() ? "" : " " + o.loan_id);
        for (const auto& e : o.history) {
          fmt::print("  {}  {:<8} {:<10} {} -> {}  {}\n", e.at, e.event,
                     e.actor, e.from.empty() ? "-" : e.from,
                     e.to.empty() ? "-" : e.to, e.reason);
        }
      }
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
