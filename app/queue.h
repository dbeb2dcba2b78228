// Work shared between stations (docs/workers.md): a scan station queues an
// ingest in the catalog and returns at once; `dossier worker` processes on
// any machine that shares the archive take the work, clean, OCR and file
// it. Operations: queue.add (permission document.ingest), queue.work
// (document.ingest), queue.list (document.ingest).
//
// The queued files are copied (never moved) into ARCHIVE/queue/SPOOL/ and
// fsynced before the item is added, so a queued item never names a file
// that is not there; the spool is removed once the item is done. The
// documents a worker files are the scanner's: created by the user who
// queued them, so the review rule (the reviewer is not the scanner) holds.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/capture.h"
#include "app/station.h"
#include "storage/work_queue.h"

namespace dossier::app {

// Queues the ingest of input.files (each checked to be a readable regular
// file first; nothing is queued if one is not). The caller is the scanner.
Result<storage::WorkItem> QueueIngest(Station& station, const Caller& caller,
                                      const IngestInput& input);

struct WorkerOptions {
  std::string name;        // '' = HOST:PID
  int lease_seconds = 60;  // renewed every third of it while a page runs
  int max_attempts = 3;    // claims of one item before it fails
  double poll_seconds = 2.0;  // idle: claim again after this, or when woken
  bool once = false;  // leave when the queue is empty
  int jobs = 1;       // OCR workers per item
  const std::atomic<bool>* stop = nullptr;  // leave between items when set
};

struct WorkerCallbacks {
  std::function<void(const storage::WorkItem&)> on_claim;
  // The item as it ended (done, failed, or still running when the lease
  // was lost to another worker) and what the ingest reported.
  std::function<void(const storage::WorkItem&, const Result<pipeline::IngestReport>&)>
      on_end;
  pipeline::IngestCallbacks ingest;
};

struct WorkerReport {
  int done = 0;
  int failed = 0;
  int lost = 0;  // items another worker took over before this one finished
};

// Takes and does queued work until the queue is empty (once) or stop is
// set. Each item's ingest runs as the user who queued it; the worker's own
// caller must hold document.ingest, and each item is logged as queue.work
// under it. An item whose input cannot be read, or whose ingest fails as a
// whole, is failed with the reason; documents that fail one by one are
// named in the item's result, as ingest reports them.
Result<WorkerReport> RunWorker(Station& station, const Caller& caller,
                               const WorkerOptions& options,
                               const WorkerCallbacks& callbacks);

// Queued work, newest first: every item, or those in one state.
Result<std::vector<storage::WorkItem>> ListWork(Station& station, const Caller& caller,
                                                const std::string& state, int limit);
Result<storage::WorkItem> ShowWork(Station& station, const Caller& caller,
                                   const std::string& item);

// The item as it is now, for a server following the uploads it queued
// (server ApiOptions::queue_uploads). Not logged: nobody is shown anything
// here; a user asking for the upload's job is logged then (job.show).
// kInvalidArgument for a malformed id, kNotFound for an unknown item.
Result<storage::WorkItem> FollowWork(Station& station, const std::string& item);

}  // namespace dossier::app
