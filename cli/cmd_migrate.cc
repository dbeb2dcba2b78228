#include <fmt/format.h>

#include "app/migrate.h"
#include "cli/governance_commands.h"

namespace dossier::cli {

void RegisterMigrateCommand(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "migrate",
      "Move the archive's catalog from SQLite into an empty PostgreSQL\n"
      "database and check the copy (row counts and digests of every table,\n"
      "the access log's hash chain, every stored file's checksum) before\n"
      "switching; the SQLite catalog is kept as catalog.sqlite.migrated.\n"
      "Stop `dossier serve` and workers first (docs/deploy.md) / 迁移目录库到 PostgreSQL");
  auto to = std::make_shared<std::string>();
  cmd->add_option("--to", *to, "postgresql://USER@HOST:PORT/DBNAME of an empty database")
      ->required();
  cmd->callback([&global, to, action] {
    *action = AppAction([&global, to]() -> Result<int> {
      auto slot = StationSlot(global);
      if (!slot) return std::unexpected(slot.error());
      auto report = app::MigrateToPostgres(**slot, CurrentCaller(), *to);
      if (!report) return std::unexpected(report.error());
      for (const auto& t : report->tables) {
        Print("  {:<22} {:>9} row(s)  {}\n", t.table, t.rows, t.sha256.substr(0, 16));
      }
      Print("Copied {} table(s) to {} and checked them: every row and value the "
            "same; access log chain of {} entr(ies) verified; {} stored file(s) "
            "checked; {} page(s) indexed for search.\n",
            report->tables.size(), report->server, report->log_entries,
            report->files_checked, report->pages_indexed);
      Print("The archive now uses PostgreSQL; the SQLite catalog is kept as {}.\n"
            "已迁移到 PostgreSQL。\n",
            report->kept_sqlite.string());
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
