#include "cli/command.h"

namespace dossier::cli {

// Registers the records subcommands; each lives in its own cmd_*.cc file.
void RegisterRecords(CLI::App& /*app*/, const GlobalOptions& /*global*/,
                Action* /*action*/) {}

}  // namespace dossier::cli
