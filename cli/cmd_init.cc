#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"

namespace dossier::cli {

void RegisterInit(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "init", "Create a new archive: an SQLite catalog and a file store, with "
              "its first admin (--admin) or as an open station");
  struct InitArgs {
    std::string dir;
    std::string admin;
    bool password_stdin = false;
    bool open_station = false;
  };
  auto args = std::make_shared<InitArgs>();
  cmd->add_option("DIR", args->dir,
                  "Archive folder (default: --archive, $DOSSIER_ARCHIVE, ./archive)");
  auto* admin = cmd->add_option(
      "--admin", args->admin,
      "The first user, with role admin; the archive then needs a login for "
      "every command (docs/access.md)");
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
      std::string password;
      if (!args->admin.empty()) {
        // Asked before anything is created, so a bad password leaves no
        // half-made archive.
        auto p = ReadPassword(args->password_stdin,
                              fmt::format("Password for {}: ", args->admin));
        if (!p) return std::unexpected(p.error());
        if (p->size() < 8) {
          return MakeError(ErrorCode::kInvalidArgument,
                           fmt::format("password for user {} is too short (at "
                                       "least 8 characters)",
                                       args->admin));
        }
        password = std::move(*p);
      }
      auto archive = storage::Archive::Init(target);
      if (!archive) return std::unexpected(archive.error());
      storage::Access access((*archive)->catalog());
      if (!args->admin.empty()) {
        auto user = access.AddUser(args->admin, password, {"admin"},
                                   args->admin);
        if (!user) return std::unexpected(user.error());
        SetCurrentPrincipal(storage::Principal{args->admin, {"admin"}, false});
      }
      if (auto s = AppendCommandLog(
              access, "ok",
              args->admin.empty() ? "open station"
                                  : "first admin " + args->admin);
          !s) {
        return std::unexpected(s.error());
      }
      fmt::print("Created archive in {}\n", (*archive)->dir().string());
      if (args->admin.empty()) {
        std::cerr << "Open station: no passwords; $DOSSIER_USER (or the login "
                     "name) acts as admin. Secure it with `dossier user add "
                     "NAME --role admin`.\n";
      } else {
        fmt::print("Admin {} created; log in with `dossier login {}`\n",
                   args->admin, args->admin);
      }
      fmt::print("Use it with --archive {} or export DOSSIER_ARCHIVE={}\n",
                 target.string(), target.string());
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
