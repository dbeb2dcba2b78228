// The capture station subcommands (scan, profile, watch, cover) and what
// they share: ingest options and progress printing.
#pragma once

#include <CLI/CLI.hpp>
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

// Ingest options every capture command takes.
using CaptureIngestArgs = app::CaptureInput;

// Adds --customer, --type, --title, --split, --review-customer, --jobs,
// --lang and --no-ocr to cmd.
void AddCaptureIngestOptions(CLI::App* cmd, CaptureIngestArgs* args,
                             bool with_split);

// Prints pages and documents as ingest reports them.
pipeline::IngestCallbacks PrintingCallbacks();

// Prints the summary line and returns the batch's exit code.
int PrintIngestSummary(const pipeline::IngestReport& report);

}  // namespace dossier::cli
