// Shared plumbing for the subcommands: the global options, how the archive
// and the acting user are found, and the exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "storage/access.h"
#include "storage/archive.h"

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

std::filesystem::path ArchiveDir(const GlobalOptions& global);
Result<std::unique_ptr<storage::Archive>> OpenArchive(const GlobalOptions& global);

// The user the command acts as: the authenticated user (RunAsUser); before
// that, or without an archive, $DOSSIER_USER, else the login name.
std::string CurrentUser();

// --- Access control (command.cc; docs/access.md) ---------------------------
//
// Runs the chosen subcommand's action as an authenticated user:
//   1. the subcommand path ("loan approve") gives the permission it needs
//      (storage::PermissionForCommand);
//   2. the archive is opened; if it cannot be, the action runs unguarded
//      (it needs no archive, or fails the same way itself); `init` runs
//      unguarded and logs itself;
//   3. the user is known: on an open station (no users) $DOSSIER_USER or
//      the login name, as admin; on a secured archive $DOSSIER_SESSION, else
//      $DOSSIER_PASSWORD for $DOSSIER_USER (or the login name), else the
//      session file written by `dossier login`;
//   4. refusals (not logged in, missing permission) are logged and returned
//      as kPermissionDenied; otherwise the action runs and its outcome is
//      appended to the access log.
// args: the command line after the program name (secrets are redacted
// before logging).
Result<int> RunAsUser(const CLI::App& app, const std::vector<std::string>& args,
                      const GlobalOptions& global, const Action& action);

// The principal of the running command; empty user before RunAsUser.
const storage::Principal& CurrentPrincipal();
// For login: the principal from here on (also names the log entry's actor).
void SetCurrentPrincipal(storage::Principal principal);
// For a failed login: the claimed name the log entry should carry.
void NoteActor(const std::string& name);
// Adds a record id (D000012, KH-…, OR…) to the running command's log entry,
// for ids not given on the command line.
void NoteRecord(const std::string& id);
// Appends the running command's entry with this outcome (for commands that
// run unguarded, such as init, once their archive exists).
Status AppendCommandLog(storage::Access& access, const std::string& outcome,
                        const std::string& detail);

// Whether the current principal may see ID numbers and phone numbers.
bool MayViewSensitive();
// value, masked (storage::MaskValue) when field is sensitive and the
// current principal lacks 'customer.pii'.
std::string ShowField(std::string_view field, const std::string& value);

// A password: one line from stdin with from_stdin; else $DOSSIER_PASSWORD
// (read once, then removed from the environment); else asked on the
// terminal without echo. kInvalidArgument if none can be had.
Result<std::string> ReadPassword(bool from_stdin, const std::string& prompt);
// The per-user session file for an archive: ~/.dossier/session-<archive-id>.
std::filesystem::path SessionFile(const std::string& archive_id);

}  // namespace dossier::cli
