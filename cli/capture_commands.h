// The capture station subcommands (scan, profile, watch, cover) and what
// they share: ingest options and progress printing.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/command.h"
#include "pipeline/ingest.h"

namespace dossier::cli {

void RegisterScan(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterProfile(CLI::App& app, const GlobalOptions& global,
                     Action* action);
void RegisterWatch(CLI::App& app, const GlobalOptions& global, Action* action);
void RegisterCover(CLI::App& app, const GlobalOptions& global, Action* action);

// Ingest options every capture command takes.
struct CaptureIngestArgs {
  std::string customer;
  std::string type = "other";
  std::string title;
  bool split = false;
  std::string review_customer;
  int jobs = 0;
  std::string languages = "chi_sim+eng";
  bool no_ocr = false;
  bool drop_blank = false;
};

// Adds --customer, --type, --title, --split, --review-customer, --jobs,
// --lang and --no-ocr to cmd.
void AddCaptureIngestOptions(CLI::App* cmd, CaptureIngestArgs* args,
                             bool with_split);

// Fills options from args; resolves the holding customer for review when
// splitting (creating it on first use).
Status ApplyCaptureIngestArgs(storage::Archive& archive,
                              const CaptureIngestArgs& args, bool split,
                              pipeline::IngestOptions* options);

// Prints pages and documents as ingest reports them.
pipeline::IngestCallbacks PrintingCallbacks();

// Prints the summary line and returns the batch's exit code.
int PrintIngestSummary(const pipeline::IngestReport& report);

}  // namespace dossier::cli
