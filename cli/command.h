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

std::filesystem::path ArchiveDir(const GlobalOptions& global);
Result<std::unique_ptr<storage::Archive>> OpenArchive(const GlobalOptions& global);

// The user the command acts as: $DOSSIER_USER, else the login name.
std::string CurrentUser();

}  // namespace dossier::cli
