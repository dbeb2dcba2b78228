// The `dossier` command: parses arguments, runs the chosen subcommand's
// action through the application layer (authentication in RunCommand,
// permission and access log in app/) and maps its error to an exit code.
// The work is in the libraries.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.h"

int main(int argc, char** argv) {
  using namespace dossier::cli;
  CLI::App app{
      "Dossier: scanning and archive station for paper customer files.\n"
      "Scans are cleaned, OCRed (Chinese and English) and stored as searchable\n"
      "PDF/A files in an archive, filed under coded customer files."};
  app.name("dossier");
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  GlobalOptions global;
  app.add_option("--archive", global.archive_dir,
                 "Archive folder (default: $DOSSIER_ARCHIVE, else ./archive)");
  app.set_version_flag("--version", "dossier 0.1.0");

  Action action;
  RegisterInit(app, global, &action);
  RegisterCustomer(app, global, &action);
  RegisterIngest(app, global, &action);
  RegisterSearch(app, global, &action);
  RegisterShow(app, global, &action);
  RegisterExport(app, global, &action);
  RegisterVerify(app, global, &action);
  RegisterRecords(app, global, &action);
  RegisterCustody(app, global, &action);
  RegisterCapture(app, global, &action);
  RegisterGovernance(app, global, &action);
  RegisterLogin(app, global, &action);
  RegisterUser(app, global, &action);
  RegisterLog(app, global, &action);
  RegisterSettings(app, global, &action);
  RegisterServe(app, global, &action);

  try {
    // CLI11 parses a reversed vector.
    std::vector<std::string> parse_args =
        ProtectSearchTerms(std::vector<std::string>(argv + 1, argv + argc));
    std::reverse(parse_args.begin(), parse_args.end());
    app.parse(parse_args);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (!action) return kExitUsage;
  auto result = RunCommand(app, std::vector<std::string>(argv + 1, argv + argc),
                          global, action);
  if (!result) {
    std::cerr << "dossier: error: " << dossier::EscapeControls(result.error().message, true)
              << "\n";
    return ExitCodeFor(result.error().code);
  }
  return *result;
}
