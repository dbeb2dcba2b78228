// Internal: one page's journey from RawPage to an archived image plus OCR.
#pragma once

#include "capture/cleanup.h"
#include "capture/raw_page.h"
#include "core/result.h"
#include "core/types.h"
#include "ocr/engine.h"
#include "storage/catalog.h"

namespace dossier::pipeline {

struct PageResult {
  PageImage image;            // what the PDF shows
  OcrPage ocr;                // words in the coordinates of ocr.width/height
  storage::PageRecord record; // catalog metadata (without words)
  std::vector<Warning> warnings;
  double seconds = 0.0;
  bool blank = false;
};

// Cleans, orients, deskews, OCRs and encodes one page. When the engine's
// orientation detection is unsure, the candidate orientations are all
// recognised and the one that reads best is kept.
Result<PageResult> ProcessPage(ocr::Engine& engine, const capture::RawPage& raw,
                               const capture::CleanupOptions& cleanup,
                               const capture::EncodeOptions& encode);

}  // namespace dossier::pipeline
