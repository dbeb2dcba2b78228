#include "storage/work_queue.h"

#include <fmt/format.h>

#include "storage/records_codec.h"

namespace dossier::storage {

std::string WorkItemDisplayId(std::int64_t id) { return fmt::format("W{:06d}", id); }

Result<std::int64_t> ParseWorkItemId(const std::string& text) {
  auto id = ParsePrefixedId(text, 'W');
  if (!id) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a work item id (like W000012)", text));
  }
  return *id;
}

Status CheckNewWork(const std::string& kind, const std::string& spool) {
  if (kind.empty() || spool.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a work item needs a kind and a spool folder");
  }
  return Ok();
}

Status CheckLeaseSeconds(int lease_seconds) {
  if (lease_seconds < 1 || lease_seconds > 86400) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("a lease of {} s is not between 1 s and a day",
                                 lease_seconds));
  }
  return Ok();
}

Status CheckClaim(const std::string& worker, int lease_seconds, int max_attempts) {
  if (auto s = CheckLeaseSeconds(lease_seconds); !s) return s;
  if (worker.empty() || max_attempts < 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a claim needs a worker name and at least one attempt");
  }
  return Ok();
}

Status CheckWorkState(const std::string& state) {
  if (!state.empty() && state != "queued" && state != "running" && state != "done" &&
      state != "failed") {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a work state (queued, running, done, "
                                 "failed)",
                                 state));
  }
  return Ok();
}

Status CheckHeld(const WorkItem& item, const std::string& worker) {
  if (item.state == "running" && item.worker == worker) return Ok();
  const std::string why = item.state != "running"
                              ? "it is " + item.state
                              : "worker " + item.worker + " took it over";
  return MakeError(ErrorCode::kConflict,
                   fmt::format("work item {} is no longer held by worker {}: {}",
                               item.display_id, worker, why));
}

std::string GivenUpError(const WorkItem& item) {
  return fmt::format("given up after {} attempts; the last, by worker {}, "
                     "ended without finishing (the worker stopped or "
                     "lost its lease)",
                     item.attempts, item.worker);
}

}  // namespace dossier::storage
