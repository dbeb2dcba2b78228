// The subcommands' names for the application layer's operations: which
// app operation each `dossier` subcommand path runs. Naming only: what an
// operation needs is governance's (governance/policy.h).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace dossier::cli {

// The app operation a subcommand path ("loan approve") runs; "" if the path
// is unknown.
std::string OperationForCommand(std::string_view command_path);
// The command table, for tests and docs: {path, operation}.
std::span<const std::pair<std::string_view, std::string_view>> CommandOperations();

}  // namespace dossier::cli
