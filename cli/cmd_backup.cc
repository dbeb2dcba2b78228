#include <fmt/format.h>

#include "cli/governance_commands.h"
#include "app/governance.h"

namespace dossier::cli {
namespace {

// zone: the archive's, or the machine's when checked without the archive.
void PrintCheck(const storage::BackupCheck& c, const TimeZone& zone) {
  Print("Backup {} taken {}: schema {} (opens as {}), {} file(s) checked, "
             "{} document(s) ({} destroyed), integrity {}\n",
             c.backup.string(), zone.DisplayUtc(c.created_at), c.schema_version,
             c.restored_schema, c.files_checked, c.documents, c.destroyed,
             c.integrity.empty() ? "not checked" : c.integrity);
  for (const auto& p : c.problems) Print("    PROBLEM: {}\n", p);
}

}  // namespace

void RegisterBackupCommand(CLI::App& app, const GlobalOptions& global,
                           Action* action) {
  auto* cmd = app.add_subcommand(
      "backup",
      "Back up the archive while it is in use (`backup --to DIR`), check a\n"
      "backup by restoring it (`backup verify DIR`), or sweep the file store.\n"
      "Incremental: files already in DIR are not copied again. Put DIR on\n"
      "another disk or a mounted share; schedule `backup verify` (see\n"
      "docs/governance.md).");
  auto to = std::make_shared<std::string>();
  cmd->add_option("--to", *to, "Backup folder (new, or an earlier backup)");
  cmd->require_subcommand(0, 1);

  auto* verify = cmd->add_subcommand(
      "verify",
      "Restore a backup into a scratch folder and check every checksum, the\n"
      "catalog's integrity and that it opens (upgrading an older schema);\n"
      "a PostgreSQL archive's backup is restored into a scratch database");
  auto dir = std::make_shared<std::string>();
  auto scratch = std::make_shared<std::string>();
  auto scratch_url = std::make_shared<std::string>();
  verify->add_option("DIR", *dir, "Backup folder")->required();
  verify->add_option("--scratch", *scratch,
                     "Where to restore for the check (default: temp folder)");
  verify->add_option("--scratch-url", *scratch_url,
                     "A backup of a PostgreSQL archive is restored into a scratch\n"
                     "database on this server (postgresql://USER@HOST:PORT/DBNAME;\n"
                     "the role needs CREATEDB), dropped afterwards. Default: the\n"
                     "archive's own server");
  verify->callback([&global, dir, scratch, scratch_url, action] {
    *action = AppAction([&global, dir, scratch, scratch_url]() -> Result<int> {
      // A backup can be checked on a machine without the archive.
      auto station = OpenStation(global);
      auto check = station ? app::VerifyBackup(**station, CurrentCaller(), *dir,
                                               *scratch, *scratch_url)
                           : app::VerifyBackupOffline(*dir, *scratch, *scratch_url);
      if (!check) return std::unexpected(check.error());
      PrintCheck(*check, station ? (*station)->Zone() : TimeZone::Machine());
      Print("{}\n", check->ok() ? "Backup OK: it restores."
                                     : "Backup FAILED its restore test.");
      return check->ok() ? kExitOk : kExitVerifyFailed;
    });
  });

  auto* sweep = cmd->add_subcommand(
      "sweep",
      "Remove leftovers of interrupted writes from the archive's file store:\n"
      "temporary files and files no document names, older than --min-age");
  auto hours = std::make_shared<double>(24.0);
  auto dry = std::make_shared<bool>(false);
  sweep->add_option("--min-age-hours", *hours,
                    "Only files at least this old (default 24; 0 only when "
                    "no other process uses the archive)");
  sweep->add_flag("--dry-run", *dry, "List, do not remove");
  sweep->callback([&global, hours, dry, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto r = app::SweepFileStore(
          st, CurrentCaller(),
          std::chrono::seconds(static_cast<long long>(*hours * 3600)), *dry);
      if (!r) return std::unexpected(r.error());
      for (const auto& p : r->removed) {
        Print("{}{}\n", *dry ? "would remove " : "removed ", p);
      }
      Print("{} temporary file(s), {} unreferenced file(s)\n",
                 r->temporaries_removed, r->orphans_removed);
      return kExitOk;
    });
  });

  cmd->callback([&global, cmd, to, action] {
    if (cmd->get_subcommands().size() > 0) return;
    if (to->empty()) {
      throw CLI::RequiredError("--to (or a subcommand: verify, sweep)");
    }
    *action = StationAction(global, [&global, to](app::Station& st) -> Result<int> {
      auto r = app::Backup(st, CurrentCaller(), *to);
      if (!r) return std::unexpected(r.error());
      Print("Backed up {} to {}: schema {}, {} document(s), {} file(s): "
                 "{} copied ({} bytes), {} already there, {} removed\n",
                 ArchiveDir(global).string(), r->to.string(), r->schema_version,
                 r->documents, r->objects, r->objects_copied, r->bytes_copied,
                 r->objects_skipped, r->objects_removed);
      for (const auto& p : r->problems) Print("    PROBLEM: {}\n", p);
      return r->ok() ? kExitOk : kExitVerifyFailed;
    });
  });
}

}  // namespace dossier::cli
