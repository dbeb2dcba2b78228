// PgWorkQueue (storage/postgres/work_queue.h): the work queue on
// PostgreSQL. The checks and messages are storage/work_queue.h's, shared
// with SQLite; here items are locked, loaded and written.
#include "storage/postgres/work_queue.h"

#include <fmt/format.h>

#include "storage/postgres/common.h"
#include "storage/postgres/database.h"

namespace dossier::storage::postgres {
namespace {

#define DOSSIER_PG_ITEM_COLUMNS                                              \
  "id, kind, spool, payload, state, enqueued_by, enqueued_at, worker, "      \
  "lease_until, attempts, started_at, finished_at, result, error "

const Sql kInsert{"queue.insert",
                  "INSERT INTO work_items (kind, spool, payload, enqueued_by, "
                  "enqueued_at) VALUES ($1, $2, $3, $4, $5) "
                  "RETURNING " DOSSIER_PG_ITEM_COLUMNS};
// NOTIFY dossier_work, delivered to the listeners when the transaction
// commits; the payload is the item's id, for whoever watches the channel.
const Sql kNotify{"queue.notify", "SELECT pg_notify('dossier_work', $1)"};
const Sql kById{"queue.by_id",
                "SELECT " DOSSIER_PG_ITEM_COLUMNS "FROM work_items WHERE id = $1"};
const Sql kLockById{"queue.lock_by_id", "SELECT " DOSSIER_PG_ITEM_COLUMNS
                    "FROM work_items WHERE id = $1 FOR UPDATE"};
// The server's clock in epoch seconds: leases of all workers agree on it.
const Sql kEpochNow{"queue.epoch_now", "SELECT floor(extract(epoch FROM now()))::bigint"};
// The oldest item that is queued or whose lease ran out before $1, that
// no other transaction holds (the partial index work_items_open).
const Sql kNextClaimable{
    "queue.next_claimable",
    "SELECT " DOSSIER_PG_ITEM_COLUMNS
    "FROM work_items WHERE state IN ('queued', 'running') AND "
    "(state = 'queued' OR lease_until < $1) ORDER BY id LIMIT 1 "
    "FOR UPDATE SKIP LOCKED"};
const Sql kAnyClaimable{
    "queue.any_claimable",
    "SELECT EXISTS (SELECT 1 FROM work_items WHERE state IN ('queued', "
    "'running') AND (state = 'queued' OR lease_until < "
    "floor(extract(epoch FROM now()))::bigint))"};
const Sql kGiveUp{"queue.give_up",
                  "UPDATE work_items SET state = 'failed', lease_until = 0, "
                  "finished_at = $2, error = $3 WHERE id = $1"};
const Sql kTake{"queue.take",
                "UPDATE work_items SET state = 'running', worker = $2, "
                "lease_until = $3, attempts = attempts + 1, started_at = $4 "
                "WHERE id = $1 RETURNING " DOSSIER_PG_ITEM_COLUMNS};
const Sql kRenew{"queue.renew", "UPDATE work_items SET lease_until = $2 WHERE id = $1"};
const Sql kFinish{"queue.finish",
                  "UPDATE work_items SET state = 'done', lease_until = 0, "
                  "finished_at = $2, result = $3 WHERE id = $1"};
const Sql kFail{"queue.fail",
                "UPDATE work_items SET state = 'failed', lease_until = 0, "
                "finished_at = $2, error = $3 WHERE id = $1"};
const Sql kListAll{"queue.list_all", "SELECT " DOSSIER_PG_ITEM_COLUMNS
                   "FROM work_items ORDER BY id DESC LIMIT $1"};
const Sql kListState{"queue.list_state", "SELECT " DOSSIER_PG_ITEM_COLUMNS
                     "FROM work_items WHERE state = $1 ORDER BY id DESC LIMIT $2"};
#undef DOSSIER_PG_ITEM_COLUMNS

WorkItem ReadItem(const pqxx::row& row) {
  WorkItem w;
  w.id = Int(row[0]);
  w.display_id = WorkItemDisplayId(w.id);
  w.kind = Text(row[1]);
  w.spool = Text(row[2]);
  w.payload = Text(row[3]);
  w.state = Text(row[4]);
  w.enqueued_by = Text(row[5]);
  w.enqueued_at = Text(row[6]);
  w.worker = Text(row[7]);
  w.lease_until = Int(row[8]);
  w.attempts = static_cast<int>(Int(row[9]));
  w.started_at = Text(row[10]);
  w.finished_at = Text(row[11]);
  w.result = Text(row[12]);
  w.error = Text(row[13]);
  return w;
}

Result<WorkItem> ItemWith(Tx& tx, const Sql& sql, std::int64_t id) {
  auto r = tx.Exec(sql, id);
  if (r.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("no work item {}", WorkItemDisplayId(id)));
  }
  return ReadItem(r[0]);
}

std::int64_t EpochNow(Tx& tx) { return Int(tx.Exec(kEpochNow)[0][0]); }

// The item as the worker holds it, locked until the transaction ends, or
// kConflict saying who has it now.
Result<WorkItem> HeldBy(Tx& tx, std::int64_t id, const std::string& worker) {
  auto item = ItemWith(tx, kLockById, id);
  if (!item) return item;
  if (auto s = CheckHeld(*item, worker); !s) return std::unexpected(s.error());
  return item;
}

}  // namespace

PgWorkQueue::PgWorkQueue(PgCatalog& catalog) : catalog_(catalog) {}
PgWorkQueue::~PgWorkQueue() = default;

Result<WorkItem> PgWorkQueue::Enqueue(const std::string& kind, const std::string& spool,
                                      const std::string& payload,
                                      const std::string& actor) {
  if (auto s = CheckNewWork(kind, spool); !s) return std::unexpected(s.error());
  return catalog_.db().Transact("queueing work", [&](Tx& tx) -> Result<WorkItem> {
    const std::string now = NowUtc();
    WorkItem item = ReadItem(tx.Exec(kInsert, kind, spool, payload, actor, now)[0]);
    WriteHistory(tx, "work_items", item.id, "state", std::nullopt, "queued", actor, now);
    tx.Exec(kNotify, std::to_string(item.id));
    return item;
  });
}

Result<std::optional<WorkItem>> PgWorkQueue::Claim(const std::string& worker,
                                                   int lease_seconds,
                                                   int max_attempts) {
  if (auto s = CheckClaim(worker, lease_seconds, max_attempts); !s) {
    return std::unexpected(s.error());
  }
  return catalog_.db().Transact(
      "claiming work for worker " + worker, Isolation::kReadCommitted,
      [&](Tx& tx) -> Result<std::optional<WorkItem>> {
        const std::int64_t now = EpochNow(tx);
        const std::string at = NowUtc();
        for (;;) {
          // Each look is a statement of its own: an item another worker
          // committed meanwhile is seen as it is now.
          auto r = tx.Exec(kNextClaimable, now);
          if (r.empty()) return std::optional<WorkItem>();
          const WorkItem item = ReadItem(r[0]);
          if (item.attempts >= max_attempts) {
            tx.Exec(kGiveUp, item.id, at, GivenUpError(item));
            WriteHistory(tx, "work_items", item.id, "state", item.state, "failed",
                         worker, at);
            continue;
          }
          WorkItem claimed =
              ReadItem(tx.Exec(kTake, item.id, worker, now + lease_seconds, at)[0]);
          WriteHistory(tx, "work_items", item.id, "worker", item.worker, worker, worker,
                       at);
          if (item.state != "running") {
            WriteHistory(tx, "work_items", item.id, "state", item.state, "running",
                         worker, at);
          }
          return std::optional<WorkItem>(std::move(claimed));
        }
      });
}

Status PgWorkQueue::Renew(std::int64_t id, const std::string& worker, int lease_seconds) {
  if (auto s = CheckLeaseSeconds(lease_seconds); !s) return s;
  return catalog_.db().Transact("renewing the lease of " + WorkItemDisplayId(id),
                                Isolation::kReadCommitted, [&](Tx& tx) -> Status {
                                  auto held = HeldBy(tx, id, worker);
                                  if (!held) return std::unexpected(held.error());
                                  tx.Exec(kRenew, id, EpochNow(tx) + lease_seconds);
                                  return Ok();
                                });
}

Status PgWorkQueue::End(std::int64_t id, const std::string& worker,
                        const std::string& state, const std::string& text) {
  return catalog_.db().Transact(
      fmt::format("ending work item {}", WorkItemDisplayId(id)), Isolation::kReadCommitted,
      [&](Tx& tx) -> Status {
        auto held = HeldBy(tx, id, worker);
        if (!held) return std::unexpected(held.error());
        const std::string at = NowUtc();
        tx.Exec(state == "done" ? kFinish : kFail, id, at, text);
        WriteHistory(tx, "work_items", id, "state", held->state, state, worker, at);
        return Ok();
      });
}

Status PgWorkQueue::Finish(std::int64_t id, const std::string& worker,
                           const std::string& result) {
  return End(id, worker, "done", result);
}

Status PgWorkQueue::Fail(std::int64_t id, const std::string& worker,
                         const std::string& error) {
  return End(id, worker, "failed", error);
}

Result<WorkItem> PgWorkQueue::Get(std::int64_t id) {
  return catalog_.db().Transact(
      "reading work item " + WorkItemDisplayId(id),
      [&](Tx& tx) -> Result<WorkItem> { return ItemWith(tx, kById, id); });
}

Result<std::vector<WorkItem>> PgWorkQueue::List(const std::string& state, int limit) {
  if (auto s = CheckWorkState(state); !s) return std::unexpected(s.error());
  const int n = limit < 1 ? 1 : limit;
  return catalog_.db().Transact(
      "listing work items", [&](Tx& tx) -> Result<std::vector<WorkItem>> {
        auto rows = state.empty() ? tx.Exec(kListAll, n) : tx.Exec(kListState, state, n);
        std::vector<WorkItem> items;
        items.reserve(rows.size());
        for (const auto& row : rows) items.push_back(ReadItem(row));
        return items;
      });
}

Result<bool> PgWorkQueue::WaitForWork(std::chrono::milliseconds timeout) {
  if (!listener_) {
    auto listener = catalog_.db().Listen(kWorkChannel);
    if (!listener) return std::unexpected(listener.error());
    // Work queued before the LISTEN held notified nobody here: look once.
    // Work queued after it will be notified.
    auto any = catalog_.db().Transact("looking for claimable work",
                                      [](Tx& tx) -> Result<bool> {
                                        return tx.Exec(kAnyClaimable)[0][0].as<bool>();
                                      });
    if (!any) return std::unexpected(any.error());
    listener_ = std::move(*listener);
    if (*any) return true;
  }
  auto woken = listener_->Wait(timeout);
  if (!woken) listener_.reset();  // the next call listens again
  return woken;
}

}  // namespace dossier::storage::postgres
