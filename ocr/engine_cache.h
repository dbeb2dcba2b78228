// EngineCache: OCR engines kept between ingests by a long-running process
// (a `dossier worker` taking one queued item after another, the server's
// upload jobs), so each ingest does not load its Tesseract models again: a
// model set costs some 0.3-1 s and 40-64 MB to load, and a queued item is
// often one page.
//
// Thread safety: Take and Give may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/result.h"
#include "ocr/engine.h"

namespace dossier::ocr {

class EngineCache {
 public:
  // A kept engine made with equal options, or a new one
  // (MakeTesseractEngine, with its errors).
  Result<std::unique_ptr<Engine>> Take(const TesseractOptions& options);
  // Keeps an engine made with options for a later Take.
  void Give(const TesseractOptions& options, std::unique_ptr<Engine> engine);
  // Engines kept now.
  int kept() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<TesseractOptions, std::unique_ptr<Engine>>> kept_;
};

}  // namespace dossier::ocr
