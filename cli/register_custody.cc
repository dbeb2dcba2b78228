#include <istream>

#include "cli/command.h"
#include "cli/custody_commands.h"

namespace dossier::cli {

// Registers the custody subcommands; each lives in its own cmd_*.cc file.
void RegisterCustody(CLI::App& app, const GlobalOptions& global,
                     Action* action) {
  RegisterLocationCommand(app, global, action);
  RegisterOriginalCommand(app, global, action);
  RegisterLabelCommand(app, global, action);
  RegisterLoanCommand(app, global, action);
  RegisterAuditCommand(app, global, action);
  RegisterWhereCommand(app, global, action);
}

std::vector<std::string> ReadScanLines(std::istream& in) {
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    std::string scan = storage::NormalizeScan(line);
    if (!scan.empty()) lines.push_back(std::move(scan));
  }
  return lines;
}

}  // namespace dossier::cli
