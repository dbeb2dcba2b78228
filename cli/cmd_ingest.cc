#include <fmt/format.h>

#include "cli/capture_commands.h"
#include "app/queue.h"
#include "cli/command.h"
#include "core/file_util.h"
#include "pipeline/ingest.h"

namespace dossier::cli {

namespace {

struct IngestArgs {
  std::vector<std::string> files;
  CaptureIngestArgs common;
  bool one_document = false;
  std::string pdfa = "2b";
  bool timings = false;
  std::string timings_json;
  bool queue = false;
};

}  // namespace

void RegisterIngest(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "ingest",
      "Clean, OCR and archive scanned pages (PNG, JPEG, TIFF incl. multi-page "
      "and G4).\nEach FILE becomes one document; a multi-page TIFF one "
      "multi-page document.\nWith --split, the batch is cut at cover sheets "
      "(`dossier cover`) instead.");
  auto args = std::make_shared<IngestArgs>();
  cmd->add_option("FILE", args->files, "Image files to ingest")->required();
  AddCaptureIngestOptions(cmd, &args->common, /*with_split=*/true);
  cmd->add_flag("--one-document", args->one_document,
                "Merge all FILEs, in order, into one document");
  cmd->add_option("--pdfa", args->pdfa, "PDF/A level: 2b (default) or 1b")
      ->check(CLI::IsMember({"2b", "1b"}));
  cmd->add_flag("--timings", args->timings,
                "Print where the time went: CPU and wall seconds per stage "
                "(read, cleanup, orientation, OCR, encode, PDF, store, catalog)");
  cmd->add_option("--timings-json", args->timings_json,
                  "Write the stage times as JSON to this file");
  cmd->add_flag("--queue", args->queue,
                "Copy the FILEs into the archive's work queue and return at "
                "once;\n`dossier worker` processes clean, OCR and file them "
                "(`dossier jobs` shows them)");
  cmd->callback([&global, args, action] {
    *action = StationAction(global, [args](app::Station& st) -> Result<int> {
      app::IngestInput input;
      input.capture = args->common;
      for (const auto& f : args->files) input.files.emplace_back(f);
      input.one_document = args->one_document;
      input.pdfa = args->pdfa == "1b" ? archive::PdfaLevel::k1b
                                      : archive::PdfaLevel::k2b;
      if (args->queue) {
        auto item = app::QueueIngest(st, CurrentCaller(), input);
        if (!item) return std::unexpected(item.error());
        Print("queued {} ({} file(s)) / 已排队\n", item->display_id, input.files.size());
        return kExitOk;
      }
      auto report = app::Ingest(st, CurrentCaller(), input, PrintingCallbacks());
      if (!report) return std::unexpected(report.error());
      const int code = PrintIngestSummary(*report);
      if (args->timings) PrintStageTimes(*report);
      if (!args->timings_json.empty()) {
        if (auto s = WriteFileAtomic(args->timings_json,
                                     StageTimesJson(*report).dump(2) + "\n");
            !s) {
          return std::unexpected(s.error());
        }
      }
      return code;
    });
  });
}

}  // namespace dossier::cli
