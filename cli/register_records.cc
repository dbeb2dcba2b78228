#include "cli/command.h"

namespace dossier::cli {

void RegisterReview(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterHistory(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterDocument(CLI::App& app, const GlobalOptions& global, Action* action);

// Registers the records subcommands; each lives in its own cmd_*.cc file.
void RegisterRecords(CLI::App& app, const GlobalOptions& global,
                     Action* action) {
  RegisterReview(app, global, action);
  RegisterHistory(app, global, action);
  RegisterDocument(app, global, action);
}

}  // namespace dossier::cli
