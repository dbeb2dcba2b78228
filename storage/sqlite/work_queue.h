// SqliteWorkQueue: the SQLite implementation of storage::WorkQueue
// (storage/work_queue.h), on the Catalog's connection (schema version 11,
// table work_items; every state change is in the catalog's history).
// Claims run in BEGIN IMMEDIATE transactions, so worker processes on one
// machine take turns and never claim the same item. There are no wake-ups:
// WaitForWork sleeps, and idle workers poll.
//
// Thread safety: as Catalog. REQUIRES: the Catalog outlives the queue.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/sqlite/catalog.h"
#include "storage/work_queue.h"

namespace dossier::storage {

class Database;  // storage/sqlite/sqlite_util.h

class SqliteWorkQueue final : public WorkQueue {
 public:
  explicit SqliteWorkQueue(Catalog& catalog);
  Result<WorkItem> Enqueue(const std::string& kind, const std::string& spool,
                           const std::string& payload,
                           const std::string& actor) override;
  Result<std::optional<WorkItem>> Claim(const std::string& worker, int lease_seconds,
                                        int max_attempts) override;
  Status Renew(std::int64_t id, const std::string& worker, int lease_seconds) override;
  Status Finish(std::int64_t id, const std::string& worker,
                const std::string& result) override;
  Status Fail(std::int64_t id, const std::string& worker,
              const std::string& error) override;
  Result<WorkItem> Get(std::int64_t id) override;
  Result<std::vector<WorkItem>> List(const std::string& state, int limit) override;
  // Sleeps the timeout and says false: SQLite has no wake-ups.
  Result<bool> WaitForWork(std::chrono::milliseconds timeout) override;

 private:
  const Database* db_;
};

}  // namespace dossier::storage
