// The work queue: OCR work that scan stations hand to `dossier worker`
// processes, kept in the catalog so that workers on any machine sharing the
// archive can take it (docs/workers.md).
//
// A work item is one ingest: the files spooled into the archive
// (ARCHIVE/queue/SPOOL/) and what the scanner asked for, as JSON. Its life:
//
//   queued --Claim--> running --Finish--> done
//                        |  \--Fail----> failed
//                        \-- lease runs out --> claimable again
//
// A claim is a lease: the worker must Renew it before it runs out. When a
// worker dies (kill -9, a lost machine) its lease runs out and the next
// Claim hands the item to another worker. A worker whose lease was taken
// over is told so (kConflict) by Renew, Finish and Fail, and must drop the
// item. Doing an item twice is safe because an ingest of the same input is
// a duplicate of the first (pipeline/ingest.h), so no page is filed twice.
// After max_attempts claims without a Finish the item fails, with the last
// worker's name in its error, so a page that kills every worker cannot
// loop forever.
//
// Times are the catalog's clock (seconds since the epoch on the database
// server; SQLite: this machine), so workers on machines with skewed clocks
// agree on when a lease ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace dossier::storage {

struct WorkItem {
  std::int64_t id = 0;
  std::string display_id;  // W000001
  std::string kind;        // "ingest"
  std::string spool;       // the item's folder under ARCHIVE/queue/
  std::string payload;     // JSON: what the work is (app/queue.h)
  std::string state;       // queued|running|done|failed
  std::string enqueued_by;
  std::string enqueued_at;  // ISO 8601 UTC
  std::string worker;       // the worker holding or last holding it
  std::int64_t lease_until = 0;  // epoch seconds; 0 when not running
  int attempts = 0;              // claims so far
  std::string started_at;        // of the latest claim
  std::string finished_at;
  std::string result;  // JSON, once done
  std::string error;   // once failed
};

// Parses W000001 (or 1); kInvalidArgument naming the text otherwise.
Result<std::int64_t> ParseWorkItemId(const std::string& text);
std::string WorkItemDisplayId(std::int64_t id);

// What every backend checks and says alike (the contract suite holds each
// to it); the backends load the item, ask, and write.
// kInvalidArgument unless kind and spool are given.
Status CheckNewWork(const std::string& kind, const std::string& spool);
// kInvalidArgument unless lease_seconds is 1..86400.
Status CheckLeaseSeconds(int lease_seconds);
// kInvalidArgument unless the lease is valid, worker is named and
// max_attempts >= 1.
Status CheckClaim(const std::string& worker, int lease_seconds, int max_attempts);
// kInvalidArgument unless state is '' (all) or a work state.
Status CheckWorkState(const std::string& state);
// Ok while item runs under worker (a lease that ran out is still held
// until another worker claims the item); kConflict otherwise, naming the
// item and why: it ended, or which worker took it over.
Status CheckHeld(const WorkItem& item, const std::string& worker);
// The error of an item claimed max_attempts times without finishing; it
// names the attempts and the last worker.
std::string GivenUpError(const WorkItem& item);

// WorkQueue: every backend implements it and passes the contract suite
// (tests/storage/work_queue_contract_test.cc). Errors: kInvalidArgument
// for malformed input, kNotFound for an unknown item, kConflict when the
// caller no longer holds the item's lease, kCatalog for the backend's own
// failures. Thread safety: an instance is NOT thread-safe; use one per
// thread (or process).
class WorkQueue {
 public:
  virtual ~WorkQueue() = default;
  // Adds a queued item. kind and spool must not be empty.
  virtual Result<WorkItem> Enqueue(const std::string& kind, const std::string& spool,
                                   const std::string& payload,
                                   const std::string& actor) = 0;
  // Takes the oldest item that is queued, or running with its lease run
  // out, for lease_seconds (1..86400). An item whose claims reached
  // max_attempts is failed instead and the next one is looked at.
  // nullopt when there is nothing to do.
  virtual Result<std::optional<WorkItem>> Claim(const std::string& worker,
                                                int lease_seconds,
                                                int max_attempts) = 0;
  // Extends the lease of an item the worker holds; kConflict otherwise.
  virtual Status Renew(std::int64_t id, const std::string& worker,
                       int lease_seconds) = 0;
  // Ends an item the worker holds: done with its result JSON, or failed
  // with the reason; kConflict if the worker no longer holds it.
  virtual Status Finish(std::int64_t id, const std::string& worker,
                        const std::string& result) = 0;
  virtual Status Fail(std::int64_t id, const std::string& worker,
                      const std::string& error) = 0;
  virtual Result<WorkItem> Get(std::int64_t id) = 0;
  // Items in a state ('' = all), newest first, at most limit.
  virtual Result<std::vector<WorkItem>> List(const std::string& state,
                                             int limit) = 0;
  // Waits for work: true as soon as work may be there (an Enqueue on any
  // connection since the previous wait, or claimable items found when the
  // backend began listening), false when timeout passed without. A
  // wake-up is a hint, not a promise: the next Claim may find nothing
  // (another worker was first), and a lease that runs out wakes nobody, so
  // a worker still claims after each timeout. SQLite has no wake-ups and
  // sleeps the timeout; PostgreSQL LISTENs on a connection of its own.
  // kCatalog when the backend cannot wait (that connection lost or not
  // opened); the next call tries again.
  virtual Result<bool> WaitForWork(std::chrono::milliseconds timeout) = 0;
};

}  // namespace dossier::storage
