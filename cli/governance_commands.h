// The governance subcommands (retention, holds, destruction, backups): one
// file each, registered by register_governance.cc. Shared helpers for them.
#pragma once

#include <string>

#include "cli/command.h"

namespace dossier::cli {

void RegisterRetentionCommand(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterHoldCommand(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterDestroyCommand(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterBackupCommand(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterRestoreCommand(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterMigrateCommand(CLI::App& app, const GlobalOptions& global, Action* action);

}  // namespace dossier::cli
