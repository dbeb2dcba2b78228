// Shared plumbing for the subcommands: the global options, how the archive
// and the acting user are found, and the exit codes.
#pragma once

#include <atomic>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "app/station.h"
#include "cli/operations.h"
#include "core/result.h"
#include "core/text.h"

namespace dossier::cli {

// Exit codes; mapped from error codes in one place (ExitCodeFor).
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,
  kExitUsage = 2,          // bad arguments (also CLI11's parse errors)
  kExitNotFound = 3,
  kExitBadInput = 4,       // corrupt or unsupported input file
  kExitIo = 5,
  kExitCatalog = 6,
  kExitConflict = 7,
  kExitEngine = 8,         // OCR engine or PDF writer
  kExitWarnings = 10,      // batch done, with warnings
  kExitPartial = 11,       // batch done, some inputs failed
  kExitVerifyFailed = 12,  // verify found damaged or non-PDF/A files
  kExitDenied = 13,        // not logged in, or the role lacks the permission
};

int ExitCodeFor(ErrorCode code);

struct GlobalOptions {
  std::string archive_dir;  // empty: $DOSSIER_ARCHIVE, else ./archive
};

// A subcommand's action: the exit code, or an error to print.
using Action = std::function<Result<int>()>;

// Each subcommand file registers itself and stores its action in *action
// when the subcommand is chosen.
void RegisterInit(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterCustomer(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterIngest(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterSearch(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterShow(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterExport(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterVerify(CLI::App& app, const GlobalOptions& global, Action* action);
// Customer-file review and history (cmd_review.cc, cmd_history.cc).
void RegisterRecords(CLI::App& app, const GlobalOptions& global, Action* action);
// Paper originals: locations, originals, labels, loans, audits, where.
void RegisterCustody(CLI::App& app, const GlobalOptions& global, Action* action);
// Governance: retention, holds, destruction, backup, restore.
void RegisterGovernance(CLI::App& app, const GlobalOptions& global, Action* action);
// Capture station: scan, profile, watch, cover.
void RegisterCapture(CLI::App& app, const GlobalOptions& global, Action* action);
// Access: login, logout, whoami (cmd_login.cc), user (cmd_user.cc), log
// (cmd_log.cc).
void RegisterLogin(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterUser(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterLog(CLI::App& app, const GlobalOptions& global, Action* action);
// Archive settings: the time zone (cmd_settings.cc).
void RegisterSettings(CLI::App& app, const GlobalOptions& global, Action* action);
// The server (cmd_serve.cc).
void RegisterServe(CLI::App& app, const GlobalOptions& global, Action* action);

// `search 合同 -乙方`: an argument of `search` that starts with a single '-'
// (other than -h) is an excluded term, not an option; it is passed on as
// "NOT 乙方", which the query syntax reads the same way. Other commands'
// arguments are returned unchanged. args: the command line after the
// program name.
std::vector<std::string> ProtectSearchTerms(std::vector<std::string> args);

std::filesystem::path ArchiveDir(const GlobalOptions& global);

// --- The application layer (app/station.h) ----------------------------------
//
// RunCommand opens the archive once (an app::Station), authenticates the
// user and runs the chosen subcommand's action:
//   1. the subcommand path ("loan approve") names an app operation
//      (OperationForCommand, a naming table only: the permission each
//      operation needs is governance's, checked in app/);
//   2. `init` runs without a station and logs itself; if the archive cannot
//      be opened, the action runs without one (it needs none, or fails the
//      same way itself);
//   3. credentials: on a secured archive $DOSSIER_SESSION, else
//      $DOSSIER_PASSWORD for $DOSSIER_USER (or the login name), else the
//      session file written by `dossier login`; on an open station
//      $DOSSIER_USER or the login name (app::Authenticate);
//   4. an action made with AppAction calls app functions, which check and
//      log themselves; any other runs inside app::Run under its operation.
// args: the command line after the program name (the app redacts secrets
// before logging).
Result<int> RunCommand(const CLI::App& app, const std::vector<std::string>& args,
                       const GlobalOptions& global, const Action& action);

// Marks the chosen subcommand's action as calling app functions (which
// authorize and log themselves). Call from the subcommand's callback.
Action AppAction(Action action);

// AppAction around body(station): opens the station, then runs body.
// REQUIRES: global outlives the action.
Action StationAction(const GlobalOptions& global,
                     std::function<Result<int>(app::Station&)> body);

// The open station of the running command (opened once); its error if the
// archive cannot be opened.
Result<app::Station*> OpenStation(const GlobalOptions& global);
// The same station, as the slot that owns it, for a use case that closes
// it and opens the archive again (migrate). Opens it first.
Result<std::unique_ptr<app::Station>*> StationSlot(const GlobalOptions& global);
// Who runs the command, and through what (for app calls).
const app::Caller& CurrentCaller();

// Makes SIGINT and SIGTERM set the returned flag instead of ending the
// process, for commands that stop between items (watch, worker). One flag
// per process.
const std::atomic<bool>& StopOnSigintAndSigterm();
// The user the command acts as: the authenticated user; before that, or
// without an archive, $DOSSIER_USER, else the login name.
std::string CurrentUser();
// The name given by $DOSSIER_USER, else the login name.
std::string ClaimedUser();
const app::Principal& CurrentPrincipal();

// Prints a result as indented JSON (app/json.h; invalid UTF-8 is replaced)
// and returns kExitOk.
int PrintJson(const nlohmann::json& value);

// A password: one line from stdin with from_stdin; else $DOSSIER_PASSWORD
// (read once, then removed from the environment); else asked on the
// terminal without echo. kInvalidArgument if none can be had.
Result<std::string> ReadPassword(bool from_stdin, const std::string& prompt);
// The per-user session file for an archive: ~/.dossier/session-<archive-id>.
std::filesystem::path SessionFile(const std::string& archive_id);

// --- Printing ------------------------------------------------------------------
//
// Every text the commands print goes through Print: each string argument is
// passed through EscapeControls (core/text.h), so a stored or claimed value
// with tabs, newlines or terminal escapes cannot fake a line, a column or a
// log entry. Only the format string itself lays out lines and columns.

inline std::string Safe(std::string_view text) { return EscapeControls(text); }

namespace print_internal {
template <class T>
inline constexpr bool kIsText =
    std::is_convertible_v<const std::remove_cvref_t<T>&, std::string_view>;
// What Print passes to fmt for an argument of (forwarding) type T.
template <class T>
using Printed = std::conditional_t<kIsText<T>, std::string, T>;
template <class T>
Printed<T> Escaped(T&& value) {
  if constexpr (kIsText<T>) {
    return EscapeControls(std::string_view(value));
  } else {
    return std::forward<T>(value);
  }
}
}  // namespace print_internal

template <class... Args>
void Print(fmt::format_string<print_internal::Printed<Args>...> format,
           Args&&... args) {
  fmt::print(format, print_internal::Escaped<Args>(std::forward<Args>(args))...);
}

}  // namespace dossier::cli
