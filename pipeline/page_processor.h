// Internal: one page's journey from RawPage to an archived image plus OCR.
#pragma once

#include <exception>
#include <string>

#include "capture/cleanup.h"
#include "capture/page_hash.h"
#include "capture/raw_page.h"
#include "core/result.h"
#include "core/types.h"
#include "ocr/engine.h"
#include "ocr/language_choice.h"
#include "pipeline/stage_times.h"
#include "storage/records_store.h"

namespace dossier::pipeline {

struct PageResult {
  PageImage image;            // what the PDF shows
  OcrPage ocr;                // words in the coordinates of ocr.width/height
  // The languages the kept reading was made with, and why
  // (ocr/language_choice.h); for a blank page the engine's own.
  ocr::LanguageChoice languages;
  storage::PageRecord record; // catalog metadata (without words)
  std::vector<Warning> warnings;
  double seconds = 0.0;
  // Time of this page's stages (cleanup, orientation, ocr, encode).
  StageTimes times;
  bool blank = false;
  // Perceptual hashes of the cleaned, upright page turned by 0, 90, 180
  // and 270 degrees (record.phash is the first); empty for a blank page.
  std::array<capture::PageHashValue, 4> hashes{};
};

// Runs fn, turning any exception it throws into an error naming `what`
// ("<file> page N: unexpected failure: <what()>").
template <typename T, typename Fn>
Result<T> GuardPage(const std::string& what, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::exception& e) {
    // OpenCV's messages span lines; an error is one line.
    std::string why = e.what();
    for (char& c : why) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    while (!why.empty() && why.back() == ' ') why.pop_back();
    return std::unexpected(Error{ErrorCode::kCorruptInput,
                                 what + ": cannot be processed (" + why + ")"});
  } catch (...) {
    return std::unexpected(
        Error{ErrorCode::kCorruptInput, what + ": cannot be processed (unknown failure)"});
  }
}

// Cleans, orients, deskews, OCRs and encodes one page. When the engine's
// orientation detection is unsure, the engine's guess is read first and
// kept if it reads surely (kSureRead); else the candidate orientations are
// all recognised and the one that reads best is kept. The languages each
// reading uses are chosen by `languages` (ocr/language_choice.h): from the
// script OSD names, then, if the kept reading's letters say otherwise, the
// page is read once more with the other set (or with the vertical model,
// kept only if it reads better); when
// that set cannot be loaded the first reading is kept, with a
// "languages-unavailable" warning. The raw page is
// taken by value and its image let go as soon as cleanup has its own
// copies. Never throws: any exception from a library is an error naming
// the page.
Result<PageResult> ProcessPage(ocr::Engine& engine, capture::RawPage raw,
                               const capture::CleanupOptions& cleanup,
                               const capture::EncodeOptions& encode,
                               const ocr::LanguagePolicy& languages = {});

}  // namespace dossier::pipeline
