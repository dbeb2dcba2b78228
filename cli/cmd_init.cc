#include <fmt/format.h>

#include <iostream>

#include "app/session.h"
#include "cli/command.h"

namespace dossier::cli {

void RegisterInit(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "init", "Create a new archive: a catalog (SQLite in the folder, or "
              "PostgreSQL with --catalog) and a file store, with its first "
              "admin (--admin) or as an open station / 新建档案库");
  struct InitArgs {
    std::string dir;
    std::string admin;
    bool password_stdin = false;
    bool open_station = false;
    std::string catalog;
  };
  auto args = std::make_shared<InitArgs>();
  cmd->add_option("DIR", args->dir,
                  "Archive folder (default: --archive, $DOSSIER_ARCHIVE, ./archive)");
  auto* admin = cmd->add_option(
      "--admin", args->admin,
      "The first user, with role admin; the archive then needs a login for "
      "every command (docs/access.md)");
  cmd->add_option(
      "--catalog", args->catalog,
      "postgresql://USER@HOST:PORT/DBNAME: keep the catalog in this empty "
      "PostgreSQL database, for several stations that share the folder "
      "(docs/deploy.md); default: catalog.sqlite in the folder");
  cmd->add_flag("--password-stdin", args->password_stdin,
                "Read the admin's password from stdin (else $DOSSIER_PASSWORD, "
                "else asked on the terminal)");
  cmd->add_flag("--open-station", args->open_station,
                "No users: $DOSSIER_USER (or the login name) acts as admin; "
                "the default without --admin")
      ->excludes(admin);
  cmd->callback([&global, args, action] {
    *action = [&global, args]() -> Result<int> {
      std::filesystem::path target = args->dir.empty()
                                         ? ArchiveDir(global)
                                         : std::filesystem::path(args->dir);
      app::InitInput input{target, args->admin, "", args->catalog};
      if (!args->admin.empty()) {
        // Asked before anything is created, so a bad password leaves no
        // half-made archive.
        auto p = ReadPassword(args->password_stdin,
                              fmt::format("Password for {}: ", args->admin));
        if (!p) return std::unexpected(p.error());
        input.password = std::move(*p);
      }
      auto station = app::InitArchive(input, ClaimedUser(), CurrentCaller().channel);
      if (!station) return std::unexpected(station.error());
      if (args->catalog.empty()) {
        Print("Created archive in {}\n", target.string());
      } else {
        Print("Created archive in {} with its catalog on PostgreSQL {}\n",
              target.string(), (*station)->CatalogLocation());
      }
      if (args->admin.empty()) {
        std::cerr << "Open station: no passwords; $DOSSIER_USER (or the login "
                     "name) acts as admin. Secure it with `dossier user add "
                     "NAME --role admin`.\n";
      } else {
        Print("Admin {} created; log in with `dossier login {}`\n",
                   args->admin, args->admin);
      }
      Print("Use it with --archive {} or export DOSSIER_ARCHIVE={}\n",
                 target.string(), target.string());
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
