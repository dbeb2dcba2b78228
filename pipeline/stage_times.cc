#include "pipeline/stage_times.h"

#include <time.h>

#include <chrono>

namespace dossier::pipeline {

namespace {

double Seconds(clockid_t clock) {
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) return 0.0;
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double WallSeconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string_view StageName(Stage stage) {
  switch (stage) {
    case Stage::kSetup: return "setup";
    case Stage::kRead: return "read";
    case Stage::kCleanup: return "cleanup";
    case Stage::kOrientation: return "orientation";
    case Stage::kOcr: return "ocr";
    case Stage::kEncode: return "encode";
    case Stage::kPdf: return "pdf";
    case Stage::kStore: return "store";
    case Stage::kCatalog: return "catalog";
  }
  return "?";
}

StageTimes& StageTimes::operator+=(const StageTimes& other) {
  for (std::size_t i = 0; i < kStageCount; ++i) {
    stages[i].seconds += other.stages[i].seconds;
    stages[i].cpu_seconds += other.stages[i].cpu_seconds;
  }
  return *this;
}

double StageTimes::TotalSeconds() const {
  double total = 0;
  for (const auto& s : stages) total += s.seconds;
  return total;
}

double StageTimes::TotalCpuSeconds() const {
  double total = 0;
  for (const auto& s : stages) total += s.cpu_seconds;
  return total;
}

double ThreadCpuSeconds() { return Seconds(CLOCK_THREAD_CPUTIME_ID); }
double ProcessCpuSeconds() { return Seconds(CLOCK_PROCESS_CPUTIME_ID); }

StageTimer::StageTimer(StageTimes& times, Stage stage)
    : times_(&times),
      stage_(stage),
      wall_start_(WallSeconds()),
      cpu_start_(ThreadCpuSeconds()) {}

StageTime StageTimer::Stop() {
  StageTime added;
  if (stopped_) return added;
  stopped_ = true;
  added.seconds = WallSeconds() - wall_start_;
  added.cpu_seconds = ThreadCpuSeconds() - cpu_start_;
  StageTime& slot = (*times_)[stage_];
  slot.seconds += added.seconds;
  slot.cpu_seconds += added.cpu_seconds;
  return added;
}

}  // namespace dossier::pipeline
