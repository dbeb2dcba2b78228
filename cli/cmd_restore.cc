#include <fmt/format.h>

#include "cli/governance_commands.h"
#include "app/governance.h"

namespace dossier::cli {

void RegisterRestoreCommand(CLI::App& app, const GlobalOptions& global,
                            Action* action) {
  auto* cmd = app.add_subcommand(
      "restore",
      "Restore a backup into a new archive folder; every checksum is checked\n"
      "and an older schema is upgraded");
  auto dir = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  cmd->add_option("DIR", *dir, "Backup folder")->required();
  cmd->add_option("--to", *to, "New archive folder (must not exist or be empty)")
      ->required();
  auto catalog = std::make_shared<std::string>();
  cmd->add_option("--catalog", *catalog,
                  "For a backup of a PostgreSQL archive: postgresql://USER@HOST:PORT/DBNAME\n"
                  "of an empty database to restore the catalog into");
  cmd->callback([&global, dir, to, catalog, action] {
    *action = AppAction([&global, dir, to, catalog]() -> Result<int> {
      auto station = OpenStation(global);
      app::Caller caller = CurrentCaller();
      if (caller.principal.user.empty()) caller.principal.user = ClaimedUser();
      auto r = app::RestoreArchive(station ? *station : nullptr, caller, *dir, *to, *catalog);
      if (!r) return std::unexpected(r.error());
      Print("Restored {} (taken {}) to {}: {} file(s) checked, schema {} "
                 "-> {}, {} document(s), integrity {}\n",
                 *dir, r->created_at, *to, r->files_checked, r->schema_version,
                 r->restored_schema, r->documents, r->integrity);
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
