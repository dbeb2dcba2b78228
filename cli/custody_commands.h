// The custody subcommands (paper originals): one file each, registered by
// register_custody.cc. Shared helpers for them.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/command.h"
#include "app/custody.h"

namespace dossier::cli {

void RegisterLocationCommand(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterOriginalCommand(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterLabelCommand(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterLoanCommand(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterAuditCommand(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterWhereCommand(CLI::App& app, const GlobalOptions& global, Action* action);

// Non-empty trimmed lines, as a keyboard-wedge scanner types them.
std::vector<std::string> ReadScanLines(std::istream& in);

}  // namespace dossier::cli
