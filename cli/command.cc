#include "cli/command.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <regex>

namespace dossier::cli {
namespace {

// What RunAsUser knows about the running command, for its log entry.
struct CommandState {
  std::string path;                  // "loan approve"
  std::vector<std::string> args;     // secrets redacted
  std::vector<std::string> records;  // ids named on the command line
  storage::Principal principal;
  std::string claimed_actor;         // a failed login's name
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

std::string EnvUser() {
  if (const char* u = std::getenv("DOSSIER_USER"); u != nullptr && *u) return u;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr) return pw->pw_name;
  return "unknown";
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

bool IsSecretOption(std::string_view option) {
  for (std::string_view word : {"password", "token", "secret"}) {
    if (option.find(word) != std::string_view::npos) return true;
  }
  return false;
}

// Options named like secrets lose their value; --password-stdin is a flag
// and is kept (its value never is on the command line). Values of options
// named like sensitive fields (--id-number, --phone) are masked: the log's
// readers need not see them.
std::vector<std::string> Redact(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  bool redact_next = false;
  bool mask_next = false;
  for (const auto& arg : args) {
    if (redact_next || mask_next) {
      out.push_back(redact_next ? "(redacted)" : storage::MaskValue(arg));
      redact_next = mask_next = false;
      continue;
    }
    if (arg.starts_with("--")) {
      std::string field = arg.substr(2, arg.find('=') - 2);
      std::replace(field.begin(), field.end(), '-', '_');
      if (storage::IsSensitiveField(field)) {
        auto eq = arg.find('=');
        if (eq == std::string::npos) {
          mask_next = true;
          out.push_back(arg);
        } else {
          out.push_back(arg.substr(0, eq + 1) +
                        storage::MaskValue(arg.substr(eq + 1)));
        }
        continue;
      }
    }
    if (arg.starts_with("--") && IsSecretOption(arg) &&
        !arg.ends_with("-stdin")) {
      auto eq = arg.find('=');
      if (eq == std::string::npos) {
        redact_next = true;
        out.push_back(arg);
      } else {
        out.push_back(arg.substr(0, eq + 1) + "(redacted)");
      }
      continue;
    }
    out.push_back(arg);
  }
  return out;
}

// Record ids on the command line: documents, customers, originals,
// locations, loans, audits, archive numbers.
std::vector<std::string> RecordsIn(const std::vector<std::string>& args) {
  static const std::regex kId(
      R"(D\d{1,9}|KH-\d{4}-\d{6}-[0-9A-Z]|OR\d{8}[0-9A-Z]|LC\d{6}[0-9A-Z]|)"
      R"(L\d{6}|AU\d{6}|DA-\d{4}-[A-Z]{2}-\d{6}-[0-9A-Z])",
      std::regex::icase);
  std::vector<std::string> ids;
  for (const auto& arg : args) {
    std::string value = arg;
    if (arg.starts_with("--")) {
      auto eq = arg.find('=');
      if (eq == std::string::npos) continue;
      value = arg.substr(eq + 1);
    }
    if (!std::regex_match(value, kId)) continue;
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    if (std::find(ids.begin(), ids.end(), value) == ids.end()) {
      ids.push_back(value);
    }
  }
  return ids;
}

std::string OutcomeOf(const Error& error) {
  return error.code == ErrorCode::kPermissionDenied
             ? "denied"
             : std::string("error:") + ErrorCodeName(error.code);
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

Result<storage::Principal> Authenticate(storage::Access& access) {
  auto open = access.IsOpenStation();
  if (!open) return std::unexpected(open.error());
  if (*open) return access.OpenStationPrincipal(EnvUser());
  Result<storage::Principal> who;
  if (const char* t = std::getenv("DOSSIER_SESSION"); t != nullptr && *t) {
    who = access.ResumeSession(t);
  } else if (EnvPassword()) {
    NoteActor(EnvUser());
    who = access.CheckPassword(EnvUser(), *EnvPassword());
  } else {
    auto id = access.ArchiveId();
    if (!id) return std::unexpected(id.error());
    auto token = ReadSessionToken(SessionFile(*id));
    if (!token) return std::unexpected(token.error());
    who = access.ResumeSession(*token);
  }
  if (!who) return who;
  const char* env_user = std::getenv("DOSSIER_USER");
  if (env_user != nullptr && *env_user && who->user != env_user) {
    NoteActor(who->user);
    return MakeError(ErrorCode::kPermissionDenied,
                     fmt::format("DOSSIER_USER is {} but the session belongs "
                                 "to {}: unset DOSSIER_USER or log in as {}",
                                 env_user, who->user, env_user));
  }
  return who;
}

std::string LogActor() {
  const CommandState& st = State();
  if (!st.principal.user.empty()) return st.principal.user;
  if (!st.claimed_actor.empty()) return st.claimed_actor;
  return EnvUser();
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
  return storage::ResolveArchiveDir(explicit_dir);
}

Result<std::unique_ptr<storage::Archive>> OpenArchive(const GlobalOptions& global) {
  return storage::Archive::Open(ArchiveDir(global));
}

std::string CurrentUser() {
  const auto& principal = State().principal;
  return principal.user.empty() ? EnvUser() : principal.user;
}

const storage::Principal& CurrentPrincipal() { return State().principal; }

void SetCurrentPrincipal(storage::Principal principal) {
  State().principal = std::move(principal);
}

void NoteActor(const std::string& name) { State().claimed_actor = name; }

void NoteRecord(const std::string& id) {
  auto& records = State().records;
  if (std::find(records.begin(), records.end(), id) == records.end()) {
    records.push_back(id);
  }
}

Status AppendCommandLog(storage::Access& access, const std::string& outcome,
                        const std::string& detail) {
  const CommandState& st = State();
  auto entry = access.AppendLog(storage::NewLogEntry{
      LogActor(), st.path, st.args, st.records, outcome, detail});
  if (!entry) return std::unexpected(entry.error());
  return Ok();
}

Result<int> RunAsUser(const CLI::App& app, const std::vector<std::string>& args,
                      const GlobalOptions& global, const Action& action) {
  EnvPassword();  // taken out of the environment before anything runs
  CommandState& st = State();
  st.path = CommandPath(app);
  st.args = Redact(args);
  st.records = RecordsIn(args);
  if (st.path == "init") return action();
  auto archive = storage::Archive::Open(ArchiveDir(global));
  if (!archive) return action();
  storage::Access access((*archive)->catalog());

  const std::string permission(storage::PermissionForCommand(st.path));
  if (permission != storage::kPublic) {
    auto who = Authenticate(access);
    Status allowed = who ? storage::CheckPermission(who->roles, permission)
                         : Status(std::unexpected(who.error()));
    if (who) st.principal = *who;
    if (!allowed) {
      if (auto s = AppendCommandLog(access, OutcomeOf(allowed.error()),
                                    allowed.error().message);
          !s) {
        std::cerr << "dossier: error: " << s.error().message << "\n";
      }
      return std::unexpected(allowed.error());
    }
  }

  Result<int> result = action();
  std::string outcome = "ok";
  std::string detail;
  if (!result) {
    outcome = OutcomeOf(result.error());
    detail = result.error().message;
  } else if (*result != kExitOk) {
    detail = fmt::format("exit {}", *result);
  }
  if (auto s = AppendCommandLog(access, outcome, detail); !s) {
    if (result) return std::unexpected(s.error());
    std::cerr << "dossier: error: " << s.error().message << "\n";
  }
  return result;
}

bool MayViewSensitive() {
  const auto& principal = State().principal;
  if (principal.user.empty()) return true;  // no archive: nothing to show
  return std::any_of(principal.roles.begin(), principal.roles.end(),
                     [](const std::string& role) {
                       return storage::RoleHasPermission(role, "customer.pii");
                     });
}

std::string ShowField(std::string_view field, const std::string& value) {
  if (value.empty() || !storage::IsSensitiveField(field) || MayViewSensitive()) {
    return value;
  }
  return storage::MaskValue(value);
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

}  // namespace dossier::cli
