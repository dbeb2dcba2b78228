#include <fmt/format.h>

#include <cstdio>
#include <iostream>

#include "cli/capture_commands.h"
#include "pipeline/station.h"
#include "records/vocabulary.h"

namespace dossier::cli {

// Registers the capture subcommands; each lives in its own cmd_*.cc file.
void RegisterCapture(CLI::App& app, const GlobalOptions& global,
                     Action* action) {
  RegisterScan(app, global, action);
  RegisterProfile(app, global, action);
  RegisterWatch(app, global, action);
  RegisterCover(app, global, action);
  RegisterWorker(app, global, action);
}

void AddCaptureIngestOptions(CLI::App* cmd, CaptureIngestArgs* args,
                             bool with_split) {
  cmd->add_option("--customer", args->customer, "Customer code to file under");
  cmd->add_option("--type", args->type, "Document type (default: other)")
      ->check(CLI::IsMember(records::DocumentTypeNames()));
  cmd->add_option("--title", args->title, "Document title");
  if (with_split) {
    cmd->add_flag("--split", args->split,
                  "Split the batch at cover sheets (`dossier cover`)");
  }
  cmd->add_option("--review-customer", args->review_customer,
                  "Holding customer for pages that need review (default: the "
                  "archive's, created on first use)");
  cmd->add_option("--jobs", args->jobs, "OCR workers (default: one per core)")
      ->check(CLI::Range(1, 64));
  cmd->add_flag("--foreground{false}", args->background,
                "Run OCR at normal CPU priority (default: background, giving "
                "way to the server and other interactive work)");
  cmd->add_option("--lang", args->languages,
                  "Tesseract languages for every page, e.g. chi_sim+eng; auto "
                  "(the default) chooses per page: chi_sim for a page in Han "
                  "script, chi_sim+eng for others (docs/ocr-models.md)");
  cmd->add_flag("--no-ocr", args->no_ocr,
                "Archive page images without OCR (no text layer)");
  cmd->add_flag("--drop-blank", args->drop_blank,
                "Leave blank pages (duplex backs) out; each is named in a "
                "warning kept with the document");
  cmd->add_flag("--crop-to-paper", args->crop_to_paper,
                "Crop pages scanned with the lid open or on a dark background "
                "to the paper; each crop is named in a warning");
  cmd->add_flag("--strict", args->strict,
                "Refuse a document with a page the decoder read from corrupt "
                "data (default: store it, flagged for review)");
}

pipeline::IngestCallbacks PrintingCallbacks() {
  pipeline::IngestCallbacks callbacks;
  callbacks.on_page = [](const pipeline::PageEvent& e) {
    Print(
        "  page  {} #{}: {}rotated {}°, skew {:+.2f}°, {} words, "
        "confidence {:.0f}, {} ({}), {:.2f} s\n",
        e.source_file, e.source_index + 1, e.blank ? "blank, " : "", e.rotation,
        e.skew, e.words, e.confidence, e.languages.languages, e.languages.reason,
        e.seconds);
    std::fflush(stdout);
  };
  callbacks.on_document = [](const pipeline::DocumentOutcome& d) {
    std::string inputs =
        d.inputs.empty() ? "(no input)" : d.inputs.front().string();
    if (d.inputs.size() > 1)
      inputs += fmt::format(" (+{})", d.inputs.size() - 1);
    if (d.error) {
      std::fflush(stdout);
      std::cerr << "dossier: error: " << EscapeControls(d.error->message, true)
                << "\n";
    } else if (d.duplicate) {
      Print("= {} already ingested as {} (not stored again)\n", inputs,
                 d.record.display_id);
    } else {
      Print(
          "+ {} -> {} {} {} \"{}\" ({} pages, confidence {:.0f}, {} KB, sha256 "
          "{})\n",
          inputs, d.record.display_id, d.record.customer_code, d.record.type,
          d.record.title, d.record.page_count, d.record.mean_confidence,
          (d.record.pdf_size + 1023) / 1024, d.record.pdf_sha256.substr(0, 12));
    }
    for (const auto& w : d.warnings)
      Print("  warning [{}] {}\n", w.code, w.message);
    std::fflush(stdout);
  };
  return callbacks;
}

int PrintIngestSummary(const pipeline::IngestReport& report) {
  for (const auto& w : report.batch_warnings) {
    Print("  warning [{}] {}\n", w.code, w.message);
  }
  if (report.source_error) {
    std::fflush(stdout);
    std::cerr << "dossier: error: "
              << EscapeControls(report.source_error->message, true)
              << " (the pages scanned before it were kept)\n";
  }
  const double per_page = report.pages ? report.seconds / report.pages : 0.0;
  Print(
      "Stored {} document(s), {} duplicate(s), {} failed; {} page(s), {} cover "
      "sheet(s) in {:.1f} s ({:.2f} s/page); {} warning(s)\n",
      report.stored(), report.duplicates(), report.failed(), report.pages,
      report.cover_sheets, report.seconds, per_page, report.warnings());
  std::fflush(stdout);
  if (report.failed() > 0) return kExitPartial;
  if (report.warnings() > 0) return kExitWarnings;
  return kExitOk;
}

nlohmann::json StageTimesJson(const pipeline::IngestReport& report) {
  nlohmann::json stages = nlohmann::json::object();
  const double cpu = report.cpu_seconds;
  for (std::size_t i = 0; i < pipeline::kStageCount; ++i) {
    const auto stage = static_cast<pipeline::Stage>(i);
    const auto& t = report.stages[stage];
    stages[std::string(pipeline::StageName(stage))] = {
        {"seconds", t.seconds},
        {"cpu_seconds", t.cpu_seconds},
        {"share", cpu > 0 ? t.cpu_seconds / cpu : 0.0}};
  }
  return {{"wall_seconds", report.seconds},
          {"cpu_seconds", cpu},
          {"pages", report.pages},
          {"stages", stages},
          {"other_cpu_seconds", cpu - report.stages.TotalCpuSeconds()}};
}

void PrintStageTimes(const pipeline::IngestReport& report) {
  const double cpu = report.cpu_seconds;
  Print("Stage times ({} page(s), {:.1f} s wall, {:.1f} s CPU; seconds summed "
        "over threads):\n",
        report.pages, report.seconds, cpu);
  Print("  {:<12} {:>9} {:>7} {:>9}\n", "stage", "CPU s", "share", "wall s");
  auto row = [&](std::string_view name, double cpu_s, double wall_s) {
    Print("  {:<12} {:>9.2f} {:>6.1f}% {:>9.2f}\n", name, cpu_s,
          cpu > 0 ? 100.0 * cpu_s / cpu : 0.0, wall_s);
  };
  for (std::size_t i = 0; i < pipeline::kStageCount; ++i) {
    const auto stage = static_cast<pipeline::Stage>(i);
    row(pipeline::StageName(stage), report.stages[stage].cpu_seconds,
        report.stages[stage].seconds);
  }
  Print("  {:<12} {:>9.2f} {:>6.1f}%\n", "(other)",
        cpu - report.stages.TotalCpuSeconds(),
        cpu > 0 ? 100.0 * (cpu - report.stages.TotalCpuSeconds()) / cpu : 0.0);
  std::fflush(stdout);
}

}  // namespace dossier::cli
