#include "cli/command.h"

namespace dossier::cli {

// Registers the governance subcommands; each lives in its own cmd_*.cc file.
void RegisterGovernance(CLI::App& /*app*/, const GlobalOptions& /*global*/,
                        Action* /*action*/) {}

}  // namespace dossier::cli
