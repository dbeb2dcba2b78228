// core/group_commit.h: who commits which batch, in what order, and what
// each caller gets back. The batches are made deterministic by holding the
// first commit open until the others have queued behind it (no sleeps, no
// timing).
#include "core/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace dossier {
namespace {

using Commits = GroupCommit<int, int>;

// A gate the first commit waits at until the test opens it.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

void AwaitWaiting(const Commits& commits, std::size_t n) {
  while (commits.Waiting() < n) std::this_thread::yield();
}

TEST(GroupCommitTest, OneCallerCommitsAlone) {
  Commits commits;
  std::vector<std::vector<int>> batches;
  auto r = commits.Submit(7, [&](std::span<int> batch) -> Result<std::vector<int>> {
    batches.emplace_back(batch.begin(), batch.end());
    return std::vector<int>{batch[0] * 10};
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 70);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0], std::vector<int>{7});
}

TEST(GroupCommitTest, CallersArrivingDuringACommitShareTheNextInOrder) {
  Commits commits;
  Gate gate;
  std::mutex mu;
  std::vector<std::vector<int>> batches;
  // Each commit "numbers" its items after the last one committed, as the
  // access log chains entries.
  int committed = 0;
  std::atomic<bool> first_in_flight{false};
  auto commit = [&](std::span<int> batch) -> Result<std::vector<int>> {
    if (batch.size() == 1 && batch[0] == 0) {
      first_in_flight = true;
      gate.Wait();
    }
    std::lock_guard lock(mu);
    batches.emplace_back(batch.begin(), batch.end());
    std::vector<int> seqs;
    for (std::size_t i = 0; i < batch.size(); ++i) seqs.push_back(++committed);
    return seqs;
  };
  Result<int> first;
  std::thread leader([&] { first = commits.Submit(0, commit); });
  while (!first_in_flight) std::this_thread::yield();
  // Followers queue one at a time, so their order is known.
  constexpr int kFollowers = 5;
  std::vector<Result<int>> results(kFollowers);
  std::vector<std::thread> followers;
  for (int i = 0; i < kFollowers; ++i) {
    followers.emplace_back([&, i] { results[i] = commits.Submit(i + 1, commit); });
    AwaitWaiting(commits, static_cast<std::size_t>(i) + 1);
  }
  gate.Open();
  leader.join();
  for (auto& t : followers) t.join();

  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, 1);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0], std::vector<int>{0});
  EXPECT_EQ(batches[1], (std::vector<int>{1, 2, 3, 4, 5}));
  for (int i = 0; i < kFollowers; ++i) {
    ASSERT_TRUE(results[i]) << results[i].error().message;
    EXPECT_EQ(*results[i], i + 2) << "follower " << i;
  }
}

TEST(GroupCommitTest, AFailedCommitIsTheErrorOfEveryMemberOfItsBatchOnly) {
  Commits commits;
  Gate gate;
  std::atomic<int> commits_run{0};
  auto commit = [&](std::span<int> batch) -> Result<std::vector<int>> {
    const int n = ++commits_run;
    if (n == 1) {
      gate.Wait();
      return std::vector<int>{batch[0]};
    }
    if (n == 2) {
      return MakeError(ErrorCode::kCatalog,
                       "disk I/O error while committing " +
                           std::to_string(batch.size()) + " entries");
    }
    return std::vector<int>(batch.begin(), batch.end());
  };
  Result<int> first;
  std::thread leader([&] { first = commits.Submit(100, commit); });
  while (commits_run.load() == 0) std::this_thread::yield();
  constexpr int kFollowers = 4;
  std::vector<Result<int>> results(kFollowers);
  std::vector<std::thread> followers;
  for (int i = 0; i < kFollowers; ++i) {
    followers.emplace_back([&, i] { results[i] = commits.Submit(i, commit); });
  }
  AwaitWaiting(commits, kFollowers);
  gate.Open();
  leader.join();
  for (auto& t : followers) t.join();

  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, 100);
  for (int i = 0; i < kFollowers; ++i) {
    ASSERT_FALSE(results[i]) << "follower " << i << " was not told";
    EXPECT_EQ(results[i].error().code, ErrorCode::kCatalog);
    EXPECT_EQ(results[i].error().message,
              "disk I/O error while committing 4 entries");
  }
  // The queue goes on after a failure.
  auto after = commits.Submit(9, commit);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(*after, 9);
}

TEST(GroupCommitTest, AThrowingCommitFailsItsBatchAndLeavesNobodyWaiting) {
  Commits commits;
  auto r = commits.Submit(1, [](std::span<int>) -> Result<std::vector<int>> {
    throw std::runtime_error("out of something");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_NE(r.error().message.find("out of something"), std::string::npos);
  EXPECT_EQ(commits.Waiting(), 0u);
}

TEST(GroupCommitTest, ACommitThatLosesItemsIsAnErrorForAll) {
  Commits commits;
  auto r = commits.Submit(1, [](std::span<int>) -> Result<std::vector<int>> {
    return std::vector<int>{};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

TEST(GroupCommitTest, ManyThreadsEachGetTheirOwnItemBackExactlyOnce) {
  Commits commits;
  std::mutex mu;
  std::vector<int> order;  // every item as committed
  auto commit = [&](std::span<int> batch) -> Result<std::vector<int>> {
    std::lock_guard lock(mu);
    order.insert(order.end(), batch.begin(), batch.end());
    return std::vector<int>(batch.begin(), batch.end());
  };
  constexpr int kThreads = 8;
  constexpr int kEach = 200;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int item = t * kEach + i;
        auto r = commits.Submit(item, commit);
        if (!r || *r != item) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  ASSERT_EQ(order.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(std::set<int>(order.begin(), order.end()).size(), order.size());
  // Each thread's items were committed in the order it submitted them.
  std::vector<int> last(kThreads, -1);
  for (int item : order) {
    EXPECT_GT(item % kEach, last[item / kEach]);
    last[item / kEach] = item % kEach;
  }
}

}  // namespace
}  // namespace dossier
