// The capture station subcommands (scan, profile, watch, cover) and what
// they share: ingest options and progress printing.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "app/capture.h"
#include "cli/command.h"
#include "pipeline/ingest.h"

namespace dossier::cli {

void RegisterScan(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterProfile(CLI::App& app, const GlobalOptions& global,
                     Action* action);
void RegisterWatch(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterCover(CLI::App& app, const GlobalOptions& global, Action* action);
// dossier worker and dossier jobs (the work queue).
void RegisterWorker(CLI::App& app, const GlobalOptions& global, Action* action);

// Ingest options every capture command takes.
using CaptureIngestArgs = app::CaptureInput;

// Adds --customer, --type, --title, --split, --review-customer, --jobs,
// --foreground, --lang and --no-ocr to cmd.
void AddCaptureIngestOptions(CLI::App* cmd, CaptureIngestArgs* args,
                             bool with_split);

// Prints pages and documents as ingest reports them.
pipeline::IngestCallbacks PrintingCallbacks();

// Prints the summary line and returns the batch's exit code.
int PrintIngestSummary(const pipeline::IngestReport& report);

// The batch's stage times as JSON: wall_seconds, cpu_seconds (the
// process's), pages, and per stage its seconds, cpu_seconds and share (of
// cpu_seconds); other_cpu_seconds is what no stage counted.
nlohmann::json StageTimesJson(const pipeline::IngestReport& report);

// Prints the stage times as a table, each stage's share of the CPU time.
void PrintStageTimes(const pipeline::IngestReport& report);

}  // namespace dossier::cli
