// core/thread_priority.h: only the calling thread becomes a background
// thread, and the threads it starts inherit that.
#include "core/thread_priority.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <thread>

namespace dossier {
namespace {

struct Priority {
  int policy = -1;
  int nice = 0;
};

Priority OfThisThread() {
  Priority p;
  sched_param param{};
  pthread_getschedparam(pthread_self(), &p.policy, &param);
  p.nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  return p;
}

TEST(ThreadPriorityTest, OnlyTheCallingThreadAndItsChildrenAreLowered) {
  const Priority before = OfThisThread();
  Priority lowered, child, sibling;
  std::thread worker([&] {
    ASSERT_TRUE(LowerThreadPriority());
    lowered = OfThisThread();
    std::thread grandchild([&] { child = OfThisThread(); });
    grandchild.join();
    // Twice is the same as once.
    ASSERT_TRUE(LowerThreadPriority());
    EXPECT_EQ(OfThisThread().nice, lowered.nice);
  });
  worker.join();
  std::thread other([&] { sibling = OfThisThread(); });
  other.join();

  EXPECT_EQ(lowered.policy, SCHED_BATCH);
  EXPECT_GE(lowered.nice, 10);
  EXPECT_EQ(child.policy, SCHED_BATCH);
  EXPECT_EQ(child.nice, lowered.nice);
  // The thread that asked nothing keeps what it had.
  const Priority after = OfThisThread();
  EXPECT_EQ(after.policy, before.policy);
  EXPECT_EQ(after.nice, before.nice);
  EXPECT_EQ(sibling.policy, before.policy);
  EXPECT_EQ(sibling.nice, before.nice);
}

}  // namespace
}  // namespace dossier
