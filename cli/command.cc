#include "cli/command.h"

#include <csignal>
#include "core/json_text.h"

#include "app/session.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace dossier::cli {
namespace {

// The running command: its station, caller and kind of action.
struct CommandState {
  std::unique_ptr<app::Station> station;
  std::optional<Error> station_error;
  app::Caller caller;
  bool app_action = false;
};

CommandState& State() {
  static CommandState state;
  return state;
}

// $DOSSIER_PASSWORD, taken out of the environment the first time it is
// asked for, so that no child process inherits it.
const std::optional<std::string>& EnvPassword() {
  static const std::optional<std::string> password = [] {
    std::optional<std::string> value;
    if (const char* p = std::getenv("DOSSIER_PASSWORD"); p != nullptr) {
      value = p;
      ::unsetenv("DOSSIER_PASSWORD");
    }
    return value;
  }();
  return password;
}

std::string CommandPath(const CLI::App& app) {
  std::string path;
  const CLI::App* current = &app;
  for (;;) {
    auto subs = current->get_subcommands();
    if (subs.empty()) break;
    current = subs.front();
    if (!path.empty()) path += ' ';
    path += current->get_name();
  }
  return path;
}

Result<std::string> ReadSessionToken(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "not logged in to this archive: run `dossier login NAME` "
                     "(or set DOSSIER_SESSION, or DOSSIER_PASSWORD for one "
                     "command)");
  }
  struct stat st {};
  std::string token(128, '\0');
  ssize_t n = -1;
  if (::fstat(fd, &st) == 0 && st.st_uid == ::geteuid() &&
      (st.st_mode & 077) == 0) {
    n = ::read(fd, token.data(), token.size());
  }
  ::close(fd);
  if (n < 0) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "session file " + file.string() +
                         " is not yours or is readable by others; remove it "
                         "and log in again");
  }
  token.resize(static_cast<size_t>(n));
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
    token.pop_back();
  }
  return token;
}

// What the environment says about who is asking.
Result<app::Credentials> CliCredentials(app::Station& station) {
  app::Credentials c;
  c.user = ClaimedUser();
  const char* env_user = std::getenv("DOSSIER_USER");
  c.user_given = env_user != nullptr && *env_user;
  auto open = app::IsOpenStation(station);
  if (!open) return std::unexpected(open.error());
  if (*open) return c;
  if (const char* t = std::getenv("DOSSIER_SESSION"); t != nullptr && *t) {
    c.session = t;
  } else if (EnvPassword()) {
    c.password = *EnvPassword();
  } else {
    auto id = app::ArchiveId(station);
    if (!id) return std::unexpected(id.error());
    auto token = ReadSessionToken(SessionFile(*id));
    if (token) c.session = *token;  // none: Authenticate refuses and logs
  }
  return c;
}

}  // namespace

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return kExitUsage;
    case ErrorCode::kNotFound: return kExitNotFound;
    case ErrorCode::kCorruptInput:
    case ErrorCode::kUnsupported: return kExitBadInput;
    case ErrorCode::kIo: return kExitIo;
    case ErrorCode::kCatalog: return kExitCatalog;
    case ErrorCode::kConflict: return kExitConflict;
    case ErrorCode::kOcr:
    case ErrorCode::kPdf: return kExitEngine;
    case ErrorCode::kInternal: return kExitFailure;
    case ErrorCode::kPermissionDenied: return kExitDenied;
  }
  return kExitFailure;
}

std::filesystem::path ArchiveDir(const GlobalOptions& global) {
  std::optional<std::filesystem::path> explicit_dir;
  if (!global.archive_dir.empty()) explicit_dir = global.archive_dir;
  return app::ResolveArchiveDir(explicit_dir);
}

Result<app::Station*> OpenStation(const GlobalOptions& global) {
  CommandState& st = State();
  if (!st.station) {
    if (st.station_error) return std::unexpected(*st.station_error);
    auto station = app::Station::Open(ArchiveDir(global));
    if (!station) {
      st.station_error = station.error();
      return std::unexpected(station.error());
    }
    st.station = std::move(*station);
  }
  return st.station.get();
}

Result<std::unique_ptr<app::Station>*> StationSlot(const GlobalOptions& global) {
  auto station = OpenStation(global);
  if (!station) return std::unexpected(station.error());
  return &State().station;
}

const app::Caller& CurrentCaller() { return State().caller; }

std::string ClaimedUser() {
  if (const char* u = std::getenv("DOSSIER_USER"); u != nullptr && *u) return u;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr) return pw->pw_name;
  return "unknown";
}

std::string CurrentUser() {
  const auto& principal = State().caller.principal;
  return principal.user.empty() ? ClaimedUser() : principal.user;
}

const app::Principal& CurrentPrincipal() { return State().caller.principal; }

Action AppAction(Action action) {
  State().app_action = true;
  return action;
}

Action StationAction(const GlobalOptions& global,
                     std::function<Result<int>(app::Station&)> body) {
  return AppAction([&global, body]() -> Result<int> {
    auto station = OpenStation(global);
    if (!station) return std::unexpected(station.error());
    return body(**station);
  });
}

Result<int> RunCommand(const CLI::App& app, const std::vector<std::string>& args,
                       const GlobalOptions& global, const Action& action) {
  EnvPassword();  // taken out of the environment before anything runs
  CommandState& st = State();
  st.caller.channel = app::Channel{"cli", args};
  const std::string path = CommandPath(app);
  const std::string operation = OperationForCommand(path);
  if (operation == "archive.init") return action();
  auto station = OpenStation(global);
  if (!station) return action();
  if (governance::PermissionForOperation(operation) != governance::kPublic) {
    auto credentials = CliCredentials(**station);
    if (!credentials) return std::unexpected(credentials.error());
    auto who = app::Authenticate(**station, *credentials, st.caller.channel,
                                 operation.empty() ? path : operation);
    if (!who) return std::unexpected(who.error());
    st.caller.principal = *who;
    st.caller.principal.station = "cli";
  }
  if (st.app_action) return action();
  return app::Run(**station, st.caller, operation.empty() ? path : operation,
                  action);
}

int PrintJson(const nlohmann::json& value) {
  fmt::print("{}\n", DumpJson(value, 2));
  return kExitOk;
}

Result<std::string> ReadPassword(bool from_stdin, const std::string& prompt) {
  std::string line;
  if (from_stdin) {
    if (!std::getline(std::cin, line)) line.clear();
  } else if (EnvPassword()) {
    line = *EnvPassword();
  } else if (::isatty(STDIN_FILENO)) {
    std::cerr << prompt << std::flush;
    termios old {};
    bool restore = ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
      termios quiet = old;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    if (!std::getline(std::cin, line)) line.clear();
    if (restore) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::cerr << "\n";
  } else {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no password given: use --password-stdin or set "
                     "DOSSIER_PASSWORD");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the password is empty");
  }
  return line;
}

std::filesystem::path SessionFile(const std::string& archive_id) {
  std::filesystem::path home;
  if (const char* h = std::getenv("HOME"); h != nullptr && *h) {
    home = h;
  } else if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr) {
    home = pw->pw_dir;
  }
  return home / ".dossier" / ("session-" + archive_id);
}

namespace {
std::atomic<bool> g_stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);
extern "C" void OnStopRequested(int) { g_stop_requested.store(true); }
}  // namespace

const std::atomic<bool>& StopOnSigintAndSigterm() {
  struct sigaction sa {};
  sa.sa_handler = OnStopRequested;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return g_stop_requested;
}

}  // namespace dossier::cli
