// `dossier login [NAME]`, `dossier logout`, `dossier whoami`. A session
// token goes to ~/.dossier/session-<archive-id> (mode 0600) or, with
// --print-token, to stdout for $DOSSIER_SESSION. See docs/access.md.
#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <cstdlib>

#include "app/session.h"
#include "cli/command.h"

namespace dossier::cli {
namespace {

// Writes the token to a fresh 0600 file next to the target, then renames.
Status WriteSessionFile(const std::filesystem::path& file,
                        const std::string& token) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("creating {}: {}", file.parent_path().string(),
                                 ec.message()));
  }
  std::filesystem::permissions(file.parent_path(),
                               std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  const std::filesystem::path tmp =
      file.string() + fmt::format(".tmp{}", ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0600);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("writing session file {}", tmp.string()));
  }
  const std::string text = token + "\n";
  bool ok = ::write(fd, text.data(), text.size()) ==
                static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return MakeError(ErrorCode::kIo,
                     fmt::format("writing session file {}", file.string()));
  }
  return Ok();
}

}  // namespace

void RegisterLogin(CLI::App& app, const GlobalOptions& global, Action* action) {
  struct LoginArgs {
    std::string name;
    bool password_stdin = false;
    int hours = 8;
    bool print_token = false;
  };
  auto args = std::make_shared<LoginArgs>();
  auto* login = app.add_subcommand(
      "login", "Log in to the archive: starts a session (default 8 hours)");
  login->add_option("NAME", args->name,
                    "User name (default: $DOSSIER_USER, else the login name)");
  login->add_flag("--password-stdin", args->password_stdin,
                  "Read the password from the first line of stdin (else "
                  "$DOSSIER_PASSWORD, else asked on the terminal)");
  login->add_option("--hours", args->hours, "Session length in hours (1-168)")
      ->check(CLI::Range(1, 168));
  login->add_flag("--print-token", args->print_token,
                  "Print the session token for $DOSSIER_SESSION instead of "
                  "writing the session file");
  login->callback([&global, args, action] {
    *action = AppAction([&global, args]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      auto open = app::IsOpenStation(**station);
      if (!open) return std::unexpected(open.error());
      const std::string name = args->name.empty() ? CurrentUser() : args->name;
      // No password is asked of an open station: Login refuses it.
      std::string password_text;
      if (!*open) {
        auto password = ReadPassword(args->password_stdin,
                                     fmt::format("Password for {}: ", name));
        if (!password) return std::unexpected(password.error());
        password_text = std::move(*password);
      }
      auto login = app::Login(**station, CurrentCaller().channel, name,
                              password_text, args->hours);
      if (!login) return std::unexpected(login.error());
      const auto& session = login->session;
      const auto& user = login->user;
      if (args->print_token) {
        Print("{}\n", session.token);
        return kExitOk;
      }
      auto id = app::ArchiveId(**station);
      if (!id) return std::unexpected(id.error());
      const auto file = SessionFile(*id);
      if (auto s = WriteSessionFile(file, session.token); !s) {
        return std::unexpected(s.error());
      }
      Print("Logged in as {} ({}) until {}\nSession file {}\n", name,
                 fmt::join(user.roles, ", "),
                 (*station)->Zone().DisplayUtc(session.expires_at),
                 file.string());
      return kExitOk;
    });
  });

  auto* logout = app.add_subcommand("logout", "End the current session");
  logout->callback([&global, action] {
    *action = AppAction([&global]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      if (const char* t = std::getenv("DOSSIER_SESSION"); t != nullptr && *t) {
        if (auto s = app::Logout(**station, CurrentCaller(), t); !s) {
          return std::unexpected(s.error());
        }
        Print("Session ended; unset DOSSIER_SESSION\n");
        return kExitOk;
      }
      auto id = app::ArchiveId(**station);
      if (!id) return std::unexpected(id.error());
      const auto file = SessionFile(*id);
      std::error_code ec;
      if (!std::filesystem::exists(file, ec)) {
        Print("No session file for this archive; nothing to end\n");
        return kExitOk;
      }
      std::string token;
      if (FILE* f = std::fopen(file.c_str(), "r"); f != nullptr) {
        char buf[160] = {};
        if (std::fgets(buf, sizeof buf, f) != nullptr) token = buf;
        std::fclose(f);
      }
      while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) {
        token.pop_back();
      }
      auto ended = app::Logout(**station, CurrentCaller(), token);
      std::filesystem::remove(file, ec);
      if (!ended && ended.error().code != ErrorCode::kNotFound) {
        return std::unexpected(ended.error());
      }
      Print("Logged out; removed {}\n", file.string());
      return kExitOk;
    });
  });

  auto* whoami = app.add_subcommand("whoami", "Show the acting user and roles");
  auto json = std::make_shared<bool>(false);
  whoami->add_flag("--json", *json, "Print the user as JSON");
  whoami->callback([&global, json, action] {
    *action = [&global, json]() -> Result<int> {
      const auto& p = CurrentPrincipal();
      if (p.user.empty()) {
        // No archive could be opened: nobody is logged in to anything.
        auto station = OpenStation(global);
        if (!station) return std::unexpected(station.error());
      }
      if (*json) {
        return PrintJson({{"user", p.user},
                          {"roles", p.roles},
                          {"auth", p.auth},
                          {"open_station", p.open_station}});
      }
      Print("{}\t{}\t{}\n", p.user, fmt::join(p.roles, ","),
                 p.open_station ? "open station" : "logged in");
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
