#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "pipeline/ingest.h"

namespace dossier::cli {

namespace {

struct IngestArgs {
  std::vector<std::string> files;
  std::string customer;
  std::string type = "other";
  std::string title;
  bool one_document = false;
  int jobs = 0;
  std::string pdfa = "2b";
  std::string languages = "chi_sim+eng";
};

}  // namespace

void RegisterIngest(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "ingest",
      "Clean, OCR and archive scanned pages (PNG, JPEG, TIFF incl. multi-page "
      "and G4).\nEach FILE becomes one document; a multi-page TIFF one "
      "multi-page document.");
  auto args = std::make_shared<IngestArgs>();
  cmd->add_option("FILE", args->files, "Image files to ingest")->required();
  cmd->add_option("--customer", args->customer, "Customer code to file under")
      ->required();
  cmd->add_option("--type", args->type, "Document type")
      ->check(CLI::IsMember(pipeline::DocumentTypes()));
  cmd->add_option("--title", args->title, "Document title (default: file name)");
  cmd->add_flag("--one-document", args->one_document,
                "Merge all FILEs, in order, into one document");
  cmd->add_option("--jobs", args->jobs, "OCR workers (default: one per core)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--pdfa", args->pdfa, "PDF/A level: 2b (default) or 1b")
      ->check(CLI::IsMember({"2b", "1b"}));
  cmd->add_option("--lang", args->languages,
                  "Tesseract languages (default: chi_sim+eng)");
  cmd->callback([&global, args, action] {
    *action = [&global, args]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      pipeline::IngestOptions options;
      for (const auto& f : args->files) options.files.emplace_back(f);
      options.customer_code = args->customer;
      options.type = args->type;
      options.title = args->title;
      options.one_document = args->one_document;
      options.jobs = args->jobs;
      options.actor = CurrentUser();
      options.ocr.languages = args->languages;
      options.pdfa = args->pdfa == "1b" ? archive::PdfaLevel::k1b
                                        : archive::PdfaLevel::k2b;
      pipeline::IngestCallbacks callbacks;
      callbacks.on_page = [](const pipeline::PageEvent& e) {
        fmt::print("  page  {} #{}: {}rotated {}°, skew {:+.2f}°, {} words, "
                   "confidence {:.0f}, {:.2f} s\n",
                   e.source_file, e.source_index + 1, e.blank ? "blank, " : "",
                   e.rotation, e.skew, e.words, e.confidence, e.seconds);
        std::fflush(stdout);
      };
      callbacks.on_document = [](const pipeline::DocumentOutcome& d) {
        std::string inputs = d.inputs.front().string();
        if (d.inputs.size() > 1) inputs += fmt::format(" (+{})", d.inputs.size() - 1);
        if (d.error) {
          std::fflush(stdout);
          std::cerr << "dossier: error: " << d.error->message << "\n";
        } else if (d.duplicate) {
          fmt::print("= {} already ingested as {} (not stored again)\n", inputs,
                     d.record.display_id);
        } else {
          fmt::print("+ {} -> {} ({} pages, confidence {:.0f}, {} KB, sha256 {})\n",
                     inputs, d.record.display_id, d.record.page_count,
                     d.record.mean_confidence, (d.record.pdf_size + 1023) / 1024,
                     d.record.pdf_sha256.substr(0, 12));
        }
        for (const auto& w : d.warnings) {
          fmt::print("  warning [{}] {}\n", w.code, w.message);
        }
        std::fflush(stdout);
      };
      auto report = pipeline::RunIngest(**archive, options, callbacks);
      if (!report) return std::unexpected(report.error());
      double per_page = report->pages ? report->seconds / report->pages : 0.0;
      fmt::print(
          "Ingested {} document(s), {} duplicate(s), {} failed; {} page(s) in "
          "{:.1f} s ({:.2f} s/page); {} warning(s)\n",
          report->stored(), report->duplicates(), report->failed(), report->pages,
          report->seconds, per_page, report->warnings());
      if (report->failed() > 0) return kExitPartial;
      if (report->warnings() > 0) return kExitWarnings;
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
