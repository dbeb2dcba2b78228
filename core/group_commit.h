// Group commit: many threads each need one item made durable (an
// access-log entry), and a durable commit costs about the same for one item
// as for many (one transaction, one fsync). A GroupCommit lets them share
// commits without giving up any guarantee:
//
//   - Submit returns only once the caller's own item was committed, with
//     what the commit made of it, or with the error that failed it.
//   - One commit runs at a time. Items submitted while it runs wait, and
//     the first of their callers to wake commits all of them together
//     (leader and followers); it commits that one batch and returns.
//   - A batch is handed to the commit function in the order its items were
//     submitted, and batches are committed in order, so items are never
//     reordered.
//   - A commit either keeps every item of its batch or none: when it fails
//     (or throws), every member of the batch gets its error. Nothing is
//     dropped silently and nothing is retried behind the callers' backs.
//
// The commit function is the leader's: each caller passes its own (e.g. on
// its own database connection), and it runs on the leader's thread.
//
// Thread safety: Submit and Waiting may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace dossier {

template <typename Item, typename Done>
class GroupCommit {
 public:
  // Commits the batch in the given order. Returns one Done per item, in the
  // same order, or the error that kept the whole batch from being
  // committed. The items may be changed (e.g. numbered) on the way.
  using CommitFn = std::function<Result<std::vector<Done>>(std::span<Item> batch)>;

  // Waits until `item` is committed (or its batch failed); see above.
  Result<Done> Submit(Item item, const CommitFn& commit) {
    Slot mine{std::move(item), std::nullopt};
    std::unique_lock lock(mu_);
    waiting_.push_back(&mine);
    while (!mine.outcome) {
      if (committing_) {
        cv_.wait(lock);
        continue;
      }
      // No commit in flight and ours still waits: this thread leads the
      // next batch, everything that waits now.
      committing_ = true;
      std::vector<Slot*> batch(waiting_.begin(), waiting_.end());
      waiting_.clear();
      lock.unlock();
      Result<std::vector<Done>> done = CommitBatch(batch, commit);
      lock.lock();
      for (std::size_t i = 0; i < batch.size(); ++i) {
        if (done) {
          batch[i]->outcome.emplace(std::move((*done)[i]));
        } else {
          batch[i]->outcome.emplace(std::unexpected(done.error()));
        }
      }
      committing_ = false;
      cv_.notify_all();
    }
    return std::move(*mine.outcome);
  }

  // Items submitted and not yet taken into a commit (for tests and
  // monitoring).
  std::size_t Waiting() const {
    std::lock_guard lock(mu_);
    return waiting_.size();
  }

 private:
  struct Slot {
    Item item;
    std::optional<Result<Done>> outcome;
  };

  static Result<std::vector<Done>> CommitBatch(const std::vector<Slot*>& batch,
                                               const CommitFn& commit) {
    try {
      std::vector<Item> items;
      items.reserve(batch.size());
      for (Slot* slot : batch) items.push_back(std::move(slot->item));
      Result<std::vector<Done>> done = commit(std::span<Item>(items));
      if (done && done->size() != items.size()) {
        return MakeError(ErrorCode::kInternal,
                         "a group commit of " + std::to_string(items.size()) +
                             " items reported " + std::to_string(done->size()));
      }
      return done;
    } catch (const std::exception& e) {
      return MakeError(ErrorCode::kInternal,
                       std::string("a group commit failed: ") + e.what());
    }
  }

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Slot*> waiting_;
  bool committing_ = false;
};

}  // namespace dossier
