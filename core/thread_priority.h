// CPU priority of the calling thread, for batch work (OCR) that shares a
// machine with interactive work (the server answering clerks).
#pragma once

#include "core/result.h"

namespace dossier {

// Makes the calling thread a background thread: SCHED_BATCH (no wakeup
// preemption of other work) and nice +10, so it gets the CPU the
// interactive threads leave and nearly all of it when they are idle.
// Only this thread changes (Linux keeps the nice value per thread);
// threads it starts afterwards inherit it. kIo naming the call if the
// system refuses; the thread then runs on as it was.
Status LowerThreadPriority();

}  // namespace dossier
