// `dossier export DOC --to FILE`: app::Export (lending rules for electronic
// copies apply there).
#include <fmt/format.h>

#include "app/documents.h"
#include "cli/command.h"

namespace dossier::cli {

void RegisterExport(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "export", "Write a document's archived PDF to a file (checksum verified)");
  auto input = std::make_shared<app::ExportInput>();
  auto to = std::make_shared<std::string>();
  cmd->add_option("DOC", input->document, "Document id, e.g. D000012")->required();
  cmd->add_option("--to", *to, "Destination file, e.g. contract.pdf")->required();
  cmd->add_flag("--force", input->force, "Overwrite the destination if it exists");
  cmd->add_flag("--text", input->text,
                "Write the OCR text (UTF-8, pages separated by form feeds) "
                "instead of the PDF");
  cmd->add_option("--kept", input->kept,
                  "Write file N kept with the document instead (the scanned "
                  "PDF as received, a page left out as blank; `show` lists them)")
      ->check(CLI::PositiveNumber);
  cmd->callback([&global, input, to, action] {
    *action = AppAction([&global, input, to]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      app::ExportInput request = *input;
      request.to = *to;
      auto done = app::Export(**station, CurrentCaller(), request);
      if (!done) return std::unexpected(done.error());
      if (request.kept > 0) {
        Print("Exported kept file {} of {} to {}\n", request.kept,
              done->document.display_id, done->written.string());
        return kExitOk;
      }
      Print("Exported {}{} ({} pages) to {}\n",
                 request.text ? "the text of " : "", done->document.display_id,
                 done->document.page_count, done->written.string());
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
