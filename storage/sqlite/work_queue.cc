#include "storage/sqlite/work_queue.h"

#include <fmt/format.h>

#include <thread>

#include "storage/sqlite/catalog_impl.h"
#include "storage/sqlite/sqlite_util.h"

namespace dossier::storage {
namespace {

constexpr std::string_view kItemColumns =
    "id, kind, spool, payload, state, enqueued_by, enqueued_at, worker, "
    "lease_until, attempts, started_at, finished_at, result, error";

WorkItem ReadItem(const Statement& s) {
  WorkItem w;
  w.id = s.ColumnInt64(0);
  w.display_id = WorkItemDisplayId(w.id);
  w.kind = s.ColumnText(1);
  w.spool = s.ColumnText(2);
  w.payload = s.ColumnText(3);
  w.state = s.ColumnText(4);
  w.enqueued_by = s.ColumnText(5);
  w.enqueued_at = s.ColumnText(6);
  w.worker = s.ColumnText(7);
  w.lease_until = s.ColumnInt64(8);
  w.attempts = s.ColumnInt(9);
  w.started_at = s.ColumnText(10);
  w.finished_at = s.ColumnText(11);
  w.result = s.ColumnText(12);
  w.error = s.ColumnText(13);
  return w;
}

Result<WorkItem> ItemById(const Database& db, std::int64_t id) {
  auto s = db.Prepare(fmt::format("SELECT {} FROM work_items WHERE id = ?1", kItemColumns),
                      "reading work item " + WorkItemDisplayId(id));
  if (!s) return std::unexpected(s.error());
  s->Bind(1, id);
  auto row = s->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("no work item {}", WorkItemDisplayId(id)));
  }
  return ReadItem(*s);
}

Result<std::int64_t> EpochNow(const Database& db) {
  return db.QueryInt("SELECT CAST(strftime('%s', 'now') AS INTEGER)",
                     "reading the clock");
}

// The item as the worker holds it, or kConflict saying who has it now.
// REQUIRES: inside a transaction.
Result<WorkItem> HeldBy(const Database& db, std::int64_t id, const std::string& worker) {
  auto item = ItemById(db, id);
  if (!item) return item;
  if (auto s = CheckHeld(*item, worker); !s) return std::unexpected(s.error());
  return item;
}

// Ends a held item as done (result) or failed (error), with its history.
Status End(const Database& db, std::int64_t id, const std::string& worker,
           const std::string& state, const std::string& text) {
  auto tx = Transaction::Begin(db, fmt::format("ending work item {}", WorkItemDisplayId(id)));
  if (!tx) return std::unexpected(tx.error());
  auto held = HeldBy(db, id, worker);
  if (!held) return std::unexpected(held.error());
  const UtcNow at = CurrentUtc();
  auto s = db.Prepare(
      fmt::format("UPDATE work_items SET state = ?2, lease_until = 0, finished_at = ?3, "
                  "{} = ?4 WHERE id = ?1",
                  state == "done" ? "result" : "error"),
      "ending work item " + held->display_id);
  if (!s) return std::unexpected(s.error());
  s->Bind(1, id).Bind(2, state).Bind(3, at.iso8601).Bind(4, text);
  if (auto r = s->Run(); !r) return r;
  if (auto h = WriteHistory(db, "work_items", id, "state", held->state, state, worker,
                            at.iso8601);
      !h) {
    return h;
  }
  return tx->Commit();
}

}  // namespace

SqliteWorkQueue::SqliteWorkQueue(Catalog& catalog) : db_(&catalog.impl_->db) {}

Result<WorkItem> SqliteWorkQueue::Enqueue(const std::string& kind,
                                          const std::string& spool,
                                          const std::string& payload,
                                          const std::string& actor) {
  if (auto s = CheckNewWork(kind, spool); !s) return std::unexpected(s.error());
  auto tx = Transaction::Begin(*db_, "queueing work");
  if (!tx) return std::unexpected(tx.error());
  const UtcNow at = CurrentUtc();
  auto s = db_->Prepare(
      "INSERT INTO work_items (kind, spool, payload, enqueued_by, enqueued_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      "queueing work");
  if (!s) return std::unexpected(s.error());
  s->Bind(1, kind).Bind(2, spool).Bind(3, payload).Bind(4, actor).Bind(5, at.iso8601);
  if (auto r = s->Run(); !r) return std::unexpected(r.error());
  const std::int64_t id = sqlite3_last_insert_rowid(db_->get());
  if (auto h = WriteHistory(*db_, "work_items", id, "state", std::nullopt, "queued",
                            actor, at.iso8601);
      !h) {
    return std::unexpected(h.error());
  }
  auto item = ItemById(*db_, id);
  if (!item) return item;
  if (auto c = tx->Commit(); !c) return std::unexpected(c.error());
  return item;
}

Result<std::optional<WorkItem>> SqliteWorkQueue::Claim(const std::string& worker,
                                                       int lease_seconds,
                                                       int max_attempts) {
  if (auto s = CheckClaim(worker, lease_seconds, max_attempts); !s) {
    return std::unexpected(s.error());
  }
  auto tx = Transaction::Begin(*db_, "claiming work for worker " + worker);
  if (!tx) return std::unexpected(tx.error());
  auto now = EpochNow(*db_);
  if (!now) return std::unexpected(now.error());
  const UtcNow at = CurrentUtc();
  for (;;) {
    auto s = db_->Prepare(
        fmt::format("SELECT {} FROM work_items WHERE state = 'queued' OR "
                    "(state = 'running' AND lease_until < ?1) ORDER BY id LIMIT 1",
                    kItemColumns),
        "looking for work");
    if (!s) return std::unexpected(s.error());
    s->Bind(1, *now);
    auto row = s->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    WorkItem item = ReadItem(*s);
    if (item.attempts >= max_attempts) {
      auto fail = db_->Prepare(
          "UPDATE work_items SET state = 'failed', lease_until = 0, finished_at = ?2, "
          "error = ?3 WHERE id = ?1",
          "failing work item " + item.display_id);
      if (!fail) return std::unexpected(fail.error());
      fail->Bind(1, item.id)
          .Bind(2, at.iso8601)
          .Bind(3, GivenUpError(item));
      if (auto r = fail->Run(); !r) return std::unexpected(r.error());
      if (auto h = WriteHistory(*db_, "work_items", item.id, "state", item.state,
                                "failed", worker, at.iso8601);
          !h) {
        return std::unexpected(h.error());
      }
      continue;
    }
    auto take = db_->Prepare(
        "UPDATE work_items SET state = 'running', worker = ?2, lease_until = ?3, "
        "attempts = attempts + 1, started_at = ?4 WHERE id = ?1",
        "claiming work item " + item.display_id);
    if (!take) return std::unexpected(take.error());
    take->Bind(1, item.id).Bind(2, worker).Bind(3, *now + lease_seconds).Bind(4, at.iso8601);
    if (auto r = take->Run(); !r) return std::unexpected(r.error());
    if (auto h = WriteHistory(*db_, "work_items", item.id, "worker", item.worker, worker,
                              worker, at.iso8601);
        !h) {
      return std::unexpected(h.error());
    }
    if (item.state != "running") {
      if (auto h = WriteHistory(*db_, "work_items", item.id, "state", item.state,
                                "running", worker, at.iso8601);
          !h) {
        return std::unexpected(h.error());
      }
    }
    auto claimed = ItemById(*db_, item.id);
    if (!claimed) return std::unexpected(claimed.error());
    if (auto c = tx->Commit(); !c) return std::unexpected(c.error());
    return std::optional<WorkItem>(std::move(*claimed));
  }
  if (auto c = tx->Commit(); !c) return std::unexpected(c.error());
  return std::optional<WorkItem>();
}

Status SqliteWorkQueue::Renew(std::int64_t id, const std::string& worker,
                              int lease_seconds) {
  if (auto s = CheckLeaseSeconds(lease_seconds); !s) return s;
  auto tx = Transaction::Begin(*db_, "renewing the lease of " + WorkItemDisplayId(id));
  if (!tx) return std::unexpected(tx.error());
  auto now = EpochNow(*db_);
  if (!now) return std::unexpected(now.error());
  auto held = HeldBy(*db_, id, worker);
  if (!held) return std::unexpected(held.error());
  auto s = db_->Prepare("UPDATE work_items SET lease_until = ?2 WHERE id = ?1",
                        "renewing the lease of " + held->display_id);
  if (!s) return std::unexpected(s.error());
  s->Bind(1, id).Bind(2, *now + lease_seconds);
  if (auto r = s->Run(); !r) return r;
  return tx->Commit();
}

Status SqliteWorkQueue::Finish(std::int64_t id, const std::string& worker,
                               const std::string& result) {
  return End(*db_, id, worker, "done", result);
}

Status SqliteWorkQueue::Fail(std::int64_t id, const std::string& worker,
                             const std::string& error) {
  return End(*db_, id, worker, "failed", error);
}

Result<WorkItem> SqliteWorkQueue::Get(std::int64_t id) { return ItemById(*db_, id); }

Result<std::vector<WorkItem>> SqliteWorkQueue::List(const std::string& state, int limit) {
  if (auto s = CheckWorkState(state); !s) return std::unexpected(s.error());
  auto s = db_->Prepare(
      fmt::format("SELECT {} FROM work_items WHERE ?1 = '' OR state = ?1 "
                  "ORDER BY id DESC LIMIT ?2",
                  kItemColumns),
      "listing work items");
  if (!s) return std::unexpected(s.error());
  s->Bind(1, state).Bind(2, limit < 1 ? 1 : limit);
  std::vector<WorkItem> items;
  auto r = s->ForEachRow([&] { items.push_back(ReadItem(*s)); });
  if (!r) return std::unexpected(r.error());
  return items;
}

Result<bool> SqliteWorkQueue::WaitForWork(std::chrono::milliseconds timeout) {
  // SQLite cannot tell another process's commit: wait, and let the worker
  // claim after the timeout.
  if (timeout.count() > 0) std::this_thread::sleep_for(timeout);
  return false;
}

}  // namespace dossier::storage
