#include <fmt/format.h>

#include "cli/command.h"

namespace dossier::cli {

void RegisterInit(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "init", "Create a new archive: an SQLite catalog and a file store");
  auto dir = std::make_shared<std::string>();
  cmd->add_option("DIR", *dir,
                  "Archive folder (default: --archive, $DOSSIER_ARCHIVE, ./archive)");
  cmd->callback([&global, dir, action] {
    *action = [&global, dir]() -> Result<int> {
      std::filesystem::path target =
          dir->empty() ? ArchiveDir(global) : std::filesystem::path(*dir);
      auto archive = storage::Archive::Init(target);
      if (!archive) return std::unexpected(archive.error());
      fmt::print("Created archive in {}\n", (*archive)->dir().string());
      fmt::print("Use it with --archive {} or export DOSSIER_ARCHIVE={}\n",
                 target.string(), target.string());
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
