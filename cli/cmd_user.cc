// `dossier user add|list|grant|revoke|disable|enable|passwd`: users and
// their roles: app/users.h, which checks, records and logs each change.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/json.h"
#include "app/users.h"
#include "cli/command.h"

namespace dossier::cli {

void RegisterUser(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand("user", "Users and roles (docs/access.md)");
  cmd->require_subcommand(1);
  struct UserArgs {
    std::string name;
    std::string role;
    std::vector<std::string> roles;
    bool password_stdin = false;
  };
  auto args = std::make_shared<UserArgs>();
  std::vector<std::string> role_names(governance::Roles().begin(),
                                      governance::Roles().end());
  auto run = [&global, action](CLI::App* sub,
                               std::function<Result<int>(app::Station&)> body) {
    sub->callback([&global, action, body] {
      *action = AppAction([&global, body]() -> Result<int> {
        auto station = OpenStation(global);
        if (!station) return std::unexpected(station.error());
        return body(**station);
      });
    });
  };

  auto* add = cmd->add_subcommand(
      "add", "Add a user with a password and roles; the first user of an open "
             "station must be an admin and secures the archive");
  add->add_option("NAME", args->name, "User name")->required();
  add->add_option("--role", args->roles, "Role (repeat for several)")
      ->required()
      ->check(CLI::IsMember(role_names));
  add->add_flag("--password-stdin", args->password_stdin,
                "Read the password from stdin (else $DOSSIER_PASSWORD, else "
                "asked on the terminal)");
  run(add, [args](app::Station& station) -> Result<int> {
    auto password = ReadPassword(args->password_stdin,
                                 fmt::format("Password for {}: ", args->name));
    if (!password) return std::unexpected(password.error());
    auto added = app::AddUser(station, CurrentCaller(), args->name, *password,
                              args->roles);
    if (!added) return std::unexpected(added.error());
    const auto& user = added->user;
    Print("{}\t{}\n", user.name, fmt::join(user.roles, ","));
    if (added->secured_archive) {
      Print("The archive is now secured: every command needs a login "
                 "(dossier login {})\n",
                 user.name);
    }
    return kExitOk;
  });

  auto* list = cmd->add_subcommand("list", "List users, roles and state");
  auto json = std::make_shared<bool>(false);
  list->add_flag("--json", *json, "Print the users as JSON");
  run(list, [json](app::Station& station) -> Result<int> {
    auto users = app::ListUsers(station, CurrentCaller());
    if (!users) return std::unexpected(users.error());
    if (*json) return PrintJson(json::ToJson(*users));
    const TimeZone zone = station.Zone();
    for (const auto& u : *users) {
      Print("{}\t{}\t{}\tadded {} by {}\n", u.name, fmt::join(u.roles, ","),
                 u.active ? "active" : "disabled",
                 zone.DisplayUtc(u.created_at), u.created_by);
    }
    return kExitOk;
  });

  for (bool grant : {true, false}) {
    auto* sub = cmd->add_subcommand(grant ? "grant" : "revoke",
                                    grant ? "Give a user a role"
                                          : "Take a role from a user");
    sub->add_option("NAME", args->name, "User name")->required();
    sub->add_option("ROLE", args->role, "Role")->required()->check(
        CLI::IsMember(role_names));
    run(sub, [args, grant](app::Station& station) -> Result<int> {
      auto user = grant ? app::GrantRole(station, CurrentCaller(), args->name,
                                         args->role)
                        : app::RevokeRole(station, CurrentCaller(), args->name,
                                          args->role);
      if (!user) return std::unexpected(user.error());
      Print("{}\t{}\n", user->name, fmt::join(user->roles, ","));
      return kExitOk;
    });
  }

  for (bool enable : {true, false}) {
    auto* sub = cmd->add_subcommand(
        enable ? "enable" : "disable",
        enable ? "Let a disabled user log in again"
               : "Stop a user from logging in and end their sessions");
    sub->add_option("NAME", args->name, "User name")->required();
    run(sub, [args, enable](app::Station& station) -> Result<int> {
      auto user = app::SetUserActive(station, CurrentCaller(), args->name, enable);
      if (!user) {
        return std::unexpected(user.error());
      }
      Print("{}\t{}\n", args->name, enable ? "active" : "disabled");
      return kExitOk;
    });
  }

  auto* unlock = cmd->add_subcommand(
      "unlock", "Clear a user's failed logins and lockout (logged)");
  unlock->add_option("NAME", args->name, "User name")->required();
  run(unlock, [args](app::Station& station) -> Result<int> {
    auto failures = app::UnlockUser(station, CurrentCaller(), args->name);
    if (!failures) return std::unexpected(failures.error());
    Print("{}\tunlocked ({} failed login(s) cleared)\n", args->name, *failures);
    return kExitOk;
  });

  auto* passwd = cmd->add_subcommand(
      "passwd", "Set a password (your own; another user's needs user.manage)");
  passwd->add_option("NAME", args->name, "User name (default: yourself)");
  passwd->add_flag("--password-stdin", args->password_stdin,
                   "Read the new password from stdin");
  run(passwd, [args](app::Station& station) -> Result<int> {
    const std::string name = args->name.empty() ? CurrentUser() : args->name;
    auto password = ReadPassword(args->password_stdin,
                                 fmt::format("New password for {}: ", name));
    if (!password) return std::unexpected(password.error());
    if (auto s = app::SetPassword(station, CurrentCaller(), name, *password);
        !s) {
      return std::unexpected(s.error());
    }
    Print("Password of {} changed; their sessions ended\n", name);
    return kExitOk;
  });
}

}  // namespace dossier::cli
