#include <ctime>

#include "cli/command.h"
#include "cli/governance_commands.h"

namespace dossier::cli {

// Registers the governance subcommands; each lives in its own cmd_*.cc file.
void RegisterGovernance(CLI::App& app, const GlobalOptions& global,
                        Action* action) {
  RegisterRetentionCommand(app, global, action);
  RegisterHoldCommand(app, global, action);
  RegisterDestroyCommand(app, global, action);
  RegisterBackupCommand(app, global, action);
  RegisterMigrateCommand(app, global, action);
  RegisterRestoreCommand(app, global, action);
}


}  // namespace dossier::cli
