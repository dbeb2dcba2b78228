#include "core/thread_priority.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace dossier {

Status LowerThreadPriority() {
  constexpr int kBackgroundNice = 10;
  sched_param param{};
  param.sched_priority = 0;
  if (int rc = pthread_setschedparam(pthread_self(), SCHED_BATCH, &param); rc != 0) {
    return MakeError(ErrorCode::kIo,
                     std::string("cannot make the thread SCHED_BATCH: ") + std::strerror(rc));
  }
  // PRIO_PROCESS with a thread id sets that thread's nice value on Linux.
  const int current = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  if (current >= kBackgroundNice) return Ok();
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kBackgroundNice) != 0) {
    return MakeError(ErrorCode::kIo,
                     std::string("cannot lower the thread's priority: ") + std::strerror(errno));
  }
  return Ok();
}

}  // namespace dossier
