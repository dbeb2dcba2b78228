#include "cli/command.h"

namespace dossier::cli {

// Registers the custody subcommands; each lives in its own cmd_*.cc file.
void RegisterCustody(CLI::App& /*app*/, const GlobalOptions& /*global*/,
                Action* /*action*/) {}

}  // namespace dossier::cli
