// PgWorkQueue: the work queue (storage/work_queue.h) on a PostgreSQL
// catalog (storage/postgres/catalog.h), in the table work_items of its own
// migration (storage/postgres/queue_schema.h), for workers on many
// machines. Every state change writes its history rows in its
// transaction, as on SQLite.
//
// Claims are SELECT ... FOR UPDATE SKIP LOCKED, oldest first: workers
// claiming at once each lock a different item and none waits for another.
// Renew, Finish and Fail lock their item (FOR UPDATE) before they decide,
// so a claim taking it over and a worker ending it are one after the
// other. These run at READ COMMITTED (database.h, Isolation): the row
// locks order them, and SERIALIZABLE's coarse predicate locks would only
// make concurrent claims of different items abort each other. The rest
// (Enqueue, Get, List) is SERIALIZABLE like every other store. Lease times
// are the server's clock.
//
// Wake-ups: Enqueue sends NOTIFY dossier_work in its transaction (so it is
// delivered when the item is committed). WaitForWork LISTENs on a
// connection of its own, opened at its first call: when it has just
// started listening it first looks whether there is claimable work
// (anything queued before it listened sent no notification it could see),
// then waits for a notification. A lost listening connection is kCatalog
// once; the next WaitForWork opens a new one.
//
// Thread safety: as WorkQueue, one instance per thread.
// REQUIRES: the PgCatalog outlives the queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/postgres/catalog.h"
#include "storage/work_queue.h"

namespace dossier::storage::postgres {

class Listener;  // storage/postgres/database.h

// The channel Enqueue notifies and WaitForWork listens on.
inline constexpr const char* kWorkChannel = "dossier_work";

class PgWorkQueue final : public WorkQueue {
 public:
  explicit PgWorkQueue(PgCatalog& catalog);
  ~PgWorkQueue() override;
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
  Result<bool> WaitForWork(std::chrono::milliseconds timeout) override;

 private:
  Status End(std::int64_t id, const std::string& worker, const std::string& state,
             const std::string& text);
  PgCatalog& catalog_;
  std::unique_ptr<Listener> listener_;  // opened by the first WaitForWork
};

}  // namespace dossier::storage::postgres
