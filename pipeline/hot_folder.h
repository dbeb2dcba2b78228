// Hot folder: network scanners drop files into a share; the station ingests
// each file once it is completely written.
//
//   DIR/scan.tif            split at cover sheets (or filed under
//                           WatchOptions::customer_code when set)
//   DIR/KH-2026-000001-7/x  filed under that customer (no splitting)
//   DIR/done/...            inputs whose documents committed (same relative
//                           path; a numeric suffix when the name is taken)
//   DIR/failed/...          inputs that failed, with <name>.reason.txt
//
// A file is taken when its size and modification time have not changed for
// settle_seconds (seen on two polls at least that far apart, and its mtime
// at least that old). Dot files, *.part, *.tmp, *.crdownload and files in
// done/ and failed/ are never taken.
//
// Durability: a file is moved to done/ only after RunIngest returned with its
// documents committed. A process killed at any point leaves the file in DIR,
// and the next run ingests it again; ingest is idempotent (same content, same
// customer: the document found, not a second one), so nothing is lost or
// duplicated.
//
// Thread safety: RunHotFolder runs on the calling thread; `stop` may be set
// from a signal handler or another thread.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>

#include "core/result.h"
#include "pipeline/ingest.h"
#include "storage/archive.h"

namespace dossier::pipeline {

struct WatchOptions {
  std::filesystem::path dir;
  double settle_seconds = 5.0;
  double poll_seconds = 1.0;
  // Process the files present at start (waiting for them to settle), then
  // return; files arriving meanwhile are taken too.
  bool once = false;
  // Files in DIR itself: file under this customer. Empty: split at cover
  // sheets, with pages that need review under ingest.review_customer_code.
  std::string customer_code;
  // Template for each file's ingest: type, title, OCR, jobs, actor, holding
  // customer. files, customer_code and split_on_cover_sheets are set per file.
  IngestOptions ingest;
  // Set to stop; checked between files and while waiting.
  const std::atomic<bool>* stop = nullptr;
};

struct WatchFileEvent {
  std::filesystem::path file;  // as found in DIR
  std::filesystem::path moved_to;
  bool ok = false;
  std::string customer_code;  // empty when splitting
  std::string reason;         // why it failed
  std::optional<IngestReport> report;
};

struct WatchCallbacks {
  std::function<void(const std::filesystem::path&)> on_start;
  std::function<void(const WatchFileEvent&)> on_file;
  IngestCallbacks ingest;
};

struct WatchReport {
  int done = 0;
  int failed = 0;
};

// Watches until stopped (or, with once, until DIR holds no more inputs).
// Errors: kNotFound when DIR does not exist; kIo when done/ or failed/ cannot
// be created or a file cannot be moved (the watch stops rather than
// ingesting a file again and again).
Result<WatchReport> RunHotFolder(storage::Archive& archive,
                                 const WatchOptions& options,
                                 const WatchCallbacks& callbacks = {});

}  // namespace dossier::pipeline
