// Where an ingest spends its time: wall-clock and CPU seconds per stage of
// a page's journey, summed over every thread that ran the stage.
//
//   setup        OCR engines created and their models loaded
//   read         inputs hashed, originals kept, pages decoded
//   cleanup      Prepare, OCR scaling, rotation, deskew, perceptual hashes
//   orientation  orientation detection, and the reading of every candidate
//                orientation that was not kept
//   ocr          the recognition of the orientation kept, with each language
//                set it was read with (ocr/language_choice.h)
//   encode       the page image encoded for the archive (1-bit, JPEG)
//   pdf          the searchable PDF/A written and checked
//   store        the PDF (and originals, dropped pages) put in the file store
//   catalog      catalog look-ups, duplicate checks, field extraction, rows
//
// CPU seconds are the thread's own (CLOCK_THREAD_CPUTIME_ID), so with
// several workers the stages' CPU seconds add up to about the process's CPU
// time, whatever else the machine runs; their wall seconds add up to more
// than the batch's wall time.
//
// Thread safety: a StageTimes is written by one thread at a time; merge
// per-thread copies with +=.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace dossier::pipeline {

enum class Stage : std::size_t {
  kSetup,
  kRead,
  kCleanup,
  kOrientation,
  kOcr,
  kEncode,
  kPdf,
  kStore,
  kCatalog,
};
inline constexpr std::size_t kStageCount = 9;

// "setup", "read", ... as in the table above.
std::string_view StageName(Stage stage);

struct StageTime {
  double seconds = 0.0;      // wall clock
  double cpu_seconds = 0.0;  // the running thread's CPU time
};

struct StageTimes {
  std::array<StageTime, kStageCount> stages{};

  StageTime& operator[](Stage s) { return stages[static_cast<std::size_t>(s)]; }
  const StageTime& operator[](Stage s) const {
    return stages[static_cast<std::size_t>(s)];
  }
  StageTimes& operator+=(const StageTimes& other);
  double TotalSeconds() const;
  double TotalCpuSeconds() const;
};

// CPU seconds used so far by the calling thread, and by the whole process.
double ThreadCpuSeconds();
double ProcessCpuSeconds();

// Adds the time from construction to Stop() (or destruction) to one stage.
class StageTimer {
 public:
  StageTimer(StageTimes& times, Stage stage);
  ~StageTimer() { Stop(); }
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;
  // Adds the time so far; later calls add nothing. Returns the time added.
  StageTime Stop();

 private:
  StageTimes* times_;
  Stage stage_;
  double wall_start_;
  double cpu_start_;
  bool stopped_ = false;
};

}  // namespace dossier::pipeline
