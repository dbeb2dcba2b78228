// OCR engines. An Engine turns a grey page image into an OcrPage (words,
// boxes, confidences) and can tell a page's orientation.
//
// Thread safety: an Engine instance is used by one thread at a time. The
// pipeline gives every worker its own engine (one TessBaseAPI per worker).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "core/types.h"

namespace dossier::ocr {

// A borrowed 8-bit grey image; the pixels must stay alive during the call.
struct GrayImageView {
  const std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int bytes_per_line = 0;
  double dpi = 300.0;
};

struct Orientation {
  int degrees_clockwise = 0;  // rotate the page this much to make it upright
  float confidence = 0.f;     // engine's own scale; higher is surer
  std::string script;         // e.g. "Han", "Latin"; empty if none named
  float script_confidence = 0.f;  // engine's own scale; higher is surer
};

class Engine {
 public:
  virtual ~Engine() = default;
  // e.g. "Tesseract 5.3.0"
  virtual std::string Name() const = 0;
  // The languages the engine was created with, e.g. "chi_sim+eng".
  virtual std::string Languages() const = 0;
  // Recognises the page with `languages` (Tesseract's '+'-joined names, e.g.
  // "chi_sim"; empty: Languages()). Another set than Languages() is loaded
  // on first use and kept; a kOcr error names a set that cannot be loaded.
  // Text is NFKC-normalised, without spaces between CJK characters. The
  // result's width/height/dpi are those of the input, its languages the
  // set it was read with.
  virtual Result<OcrPage> Recognize(const GrayImageView& image,
                                    const std::string& languages) = 0;
  Result<OcrPage> Recognize(const GrayImageView& image) { return Recognize(image, {}); }
  // kOcr error when the orientation cannot be determined (too little text).
  virtual Result<Orientation> DetectOrientation(const GrayImageView& image) = 0;
};

struct TesseractOptions {
  std::string languages = "chi_sim+eng";
  std::string tessdata_dir;  // empty: Tesseract's default
  bool operator==(const TesseractOptions&) const = default;
};

// Creates a Tesseract engine. kOcr error naming the languages and the
// tessdata folder when a traineddata file is missing.
Result<std::unique_ptr<Engine>> MakeTesseractEngine(const TesseractOptions& options);

// An engine that recognises nothing and reports every page upright; for
// tests of the stages around OCR.
std::unique_ptr<Engine> MakeNullEngine();

}  // namespace dossier::ocr
