#include "cli/command.h"

namespace dossier::cli {

// Registers the capture subcommands; each lives in its own cmd_*.cc file.
void RegisterCapture(CLI::App& /*app*/, const GlobalOptions& /*global*/,
                Action* /*action*/) {}

}  // namespace dossier::cli
