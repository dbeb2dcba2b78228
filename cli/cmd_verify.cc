// `dossier verify [DOC...]`: app::Verify.
#include <fmt/format.h>

#include "app/documents.h"
#include "cli/command.h"

namespace dossier::cli {

void RegisterVerify(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "verify",
      "Check stored files: fixity (SHA-256 against the catalog) and the PDF/A\n"
      "rules. Results are kept with each document (see `dossier show`).\n"
      "Schedule it (e.g. a weekly cron job) so damage is found while backups\n"
      "still hold good copies.");
  auto ids = std::make_shared<std::vector<std::string>>();
  cmd->add_option("DOC", *ids, "Documents to check (default: all)");
  cmd->callback([&global, ids, action] {
    *action = AppAction([&global, ids]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      auto report = app::Verify(
          **station, CurrentCaller(), *ids, [](const pipeline::VerifyOutcome& o) {
            const auto& v = o.verification;
            Print("{}  fixity {}  PDF/A {}\n", o.display_id,
                       v.fixity_ok ? "ok" : "FAILED",
                       v.pdfa_ok ? "ok (" + v.pdfa_level + ")" : "FAILED");
            for (const auto& p : v.problems) Print("    {}\n", p);
          });
      if (!report) return std::unexpected(report.error());
      for (const auto& id : report->destroyed) {
        Print("{}  destroyed: file purged by approved destruction, tombstone "
              "kept (dossier show {})\n",
              id, id);
      }
      Print("Checked {} document(s): {} failed{}\n", report->documents.size(),
            report->failed(),
            report->destroyed.empty()
                ? ""
                : fmt::format("; {} destroyed, as expected",
                              report->destroyed.size()));
      for (const auto& w : report->warnings) Print("warning: {}\n", w);
      return report->failed() > 0 ? kExitVerifyFailed : kExitOk;
    });
  });
}

}  // namespace dossier::cli
