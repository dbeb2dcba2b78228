#include "pipeline/page_processor.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/text.h"

namespace dossier::pipeline {

namespace {

// OSD confidence above which its answer is taken without checking.
constexpr float kSureOrientation = 4.0f;

// A reading this confident (mean word confidence, over at least
// kSureReadChars characters) is of an upright page: pages read upside
// down or sideways score 25-60 on the development corpus, upright ones
// 70-95. When orientation detection was unsure, the guess read this surely
// is kept without reading the other candidates.
constexpr float kSureReadConfidence = 80.0f;
constexpr size_t kSureReadChars = 30;

bool ReadsSurely(const OcrPage& page) {
  size_t chars = 0;
  for (const auto& w : page.words) chars += DecodeUtf8(w.text).size();
  return chars >= kSureReadChars && page.mean_confidence >= kSureReadConfidence;
}

// Tesseract reads best when glyphs are about 20 pixels or more high. Pages
// whose print is smaller in the image (low-resolution scans, small print)
// are enlarged for OCR, up to kMaxUpscale and kMaxOcrPixels; images above
// kMaxOcrPixels are reduced to it.
constexpr double kMinGlyphHeight = 12.0;
constexpr double kTargetGlyphHeight = 20.0;
constexpr double kMaxUpscale = 3.0;
constexpr double kMaxOcrPixels = 12e6;

double OcrScaleFactor(const capture::CleanPage& page) {
  const double pixels = static_cast<double>(page.gray.total());
  // Very large images (600 dpi and up) were reduced by Prepare already
  // (CleanupOptions::max_pixels); this is for callers' own options.
  if (pixels > kMaxOcrPixels * 1.01) return std::sqrt(kMaxOcrPixels / pixels);
  const double glyph = capture::MedianGlyphHeight(page.gray, page.dpi);
  if (glyph <= 0 || glyph >= kMinGlyphHeight) return 1.0;
  double factor = std::min(kMaxUpscale, kTargetGlyphHeight / glyph);
  factor = std::min(factor, std::sqrt(kMaxOcrPixels / pixels));
  return factor > 1.2 ? factor : 1.0;
}

ocr::GrayImageView View(const cv::Mat& gray, double dpi) {
  return {gray.data, gray.cols, gray.rows, static_cast<int>(gray.step), dpi};
}

// How well a recognition reads: confident characters count, so a page read
// the wrong way round (few, unsure characters) scores low.
double ReadScore(const OcrPage& page) {
  double score = 0;
  for (const auto& w : page.words) {
    score += (w.confidence / 100.0) * (w.confidence / 100.0) *
             static_cast<double>(DecodeUtf8(w.text).size());
  }
  return score;
}

struct Candidate {
  capture::CleanPage page;
  OcrPage ocr;
  double score = -1;
  StageTime recognition;  // time of its Recognize call
};

Result<Candidate> ReadAt(ocr::Engine& engine, const capture::CleanPage& prepared,
                         int rotation, const capture::CleanupOptions& cleanup,
                         const std::string& languages, StageTimes& times) {
  Candidate c;
  {
    StageTimer timer(times, Stage::kCleanup);
    c.page = capture::Deskew(capture::Rotate(prepared, rotation), cleanup);
  }
  // Counted as orientation until it is known to be the one kept.
  StageTimer timer(times, Stage::kOrientation);
  auto ocr = engine.Recognize(View(c.page.gray, c.page.dpi), languages);
  c.recognition = timer.Stop();
  if (!ocr) return std::unexpected(ocr.error());
  c.ocr = std::move(*ocr);
  c.score = ReadScore(c.ocr);
  return c;
}

Result<PageResult> ProcessPageUnguarded(ocr::Engine& engine,
                                        capture::RawPage& raw,
                                        const capture::CleanupOptions& options,
                                        const capture::EncodeOptions& encode,
                                        const ocr::LanguagePolicy& languages) {
  // Very large images (600 dpi and up) are reduced first: their print is
  // far bigger than OCR needs, and their copies would dominate memory.
  capture::CleanupOptions cleanup = options;
  if (cleanup.max_pixels <= 0) cleanup.max_pixels = kMaxOcrPixels;
  auto start = std::chrono::steady_clock::now();
  const std::string name =
      fmt::format("{} page {}", raw.source_file, raw.source_index + 1);
  PageResult result;
  StageTimes& times = result.times;
  StageTimer cleanup_timer(times, Stage::kCleanup);
  auto prepared = capture::Prepare(raw, cleanup);
  // The decoded scan (a 600 dpi colour page is 100 MB) is not needed any
  // more: the clean page holds its own grey copy, and the colour one when
  // the page has colour.
  raw.image.release();
  if (!prepared) return std::unexpected(prepared.error());

  Candidate best;
  const double ocr_scale = prepared->blank ? 1.0 : OcrScaleFactor(*prepared);
  if (ocr_scale != 1.0) {
    prepared = capture::Rescale(*prepared, ocr_scale);
  }
  cleanup_timer.Stop();
  if (prepared->blank) {
    best.page = *prepared;
    best.ocr.width = best.page.gray.cols;
    best.ocr.height = best.page.gray.rows;
    best.ocr.dpi = best.page.dpi;
    best.ocr.languages = engine.Languages();
    result.languages = {best.ocr.languages, "blank page"};
    result.blank = true;
  } else {
    StageTimer osd_timer(times, Stage::kOrientation);
    auto osd = engine.DetectOrientation(View(prepared->gray, prepared->dpi));
    osd_timer.Stop();
    result.languages =
        ocr::FirstChoice(languages, osd ? std::optional(*osd) : std::nullopt);
    std::vector<int> candidates;
    if (osd && osd->confidence >= kSureOrientation) {
      candidates = {osd->degrees_clockwise};
    } else {
      // Unsure: the engine's guess first, then upright and the guess
      // turned half way (Chinese pages at 90 and 270 degrees are easily
      // confused).
      int guess = osd ? osd->degrees_clockwise : 0;
      candidates = {guess};
      for (int other : {0, (guess + 180) % 360}) {
        if (std::find(candidates.begin(), candidates.end(), other) == candidates.end()) {
          candidates.push_back(other);
        }
      }
    }
    size_t read = 0;
    bool sure_read = false;
    for (int rotation : candidates) {
      auto candidate =
          ReadAt(engine, *prepared, rotation, cleanup, result.languages.languages, times);
      if (!candidate) {
        return MakeError(candidate.error().code,
                         name + ": " + candidate.error().message);
      }
      ++read;
      // Only the guess may end the search: a later candidate reading
      // surely still has to beat the ones read before it.
      sure_read = read == 1 && candidates.size() > 1 && ReadsSurely(candidate->ocr);
      if (candidate->score > best.score) best = std::move(*candidate);
      if (sure_read) break;
    }
    // The kept reading is OCR; the others were the price of orientation.
    times[Stage::kOrientation].seconds -= best.recognition.seconds;
    times[Stage::kOrientation].cpu_seconds -= best.recognition.cpu_seconds;
    times[Stage::kOcr].seconds += best.recognition.seconds;
    times[Stage::kOcr].cpu_seconds += best.recognition.cpu_seconds;
    // The kept reading's letters may say the page is in another script
    // than OSD named: then it is read again, upright, with the other set.
    if (auto second = ocr::SecondChoice(languages, result.languages, best.ocr)) {
      StageTimer timer(times, Stage::kOcr);
      auto again = engine.Recognize(View(best.page.gray, best.page.dpi), second->languages);
      if (again && (!second->if_better || ReadScore(*again) > ReadScore(best.ocr))) {
        best.ocr = std::move(*again);
        result.languages = std::move(*second);
      } else if (!again) {
        best.page.warnings.push_back(
            {"languages-unavailable",
             fmt::format("{}: not read again with {} ({}); kept the reading with {}", name,
                         second->languages, again.error().message,
                         result.languages.languages)});
      }
    }
    if (candidates.size() > 1) {
      const std::string why = osd ? fmt::format("confidence {:.1f}", osd->confidence)
                                  : osd.error().message;
      best.page.warnings.push_back(
          {"orientation-checked",
           sure_read
               ? fmt::format("{}: orientation detection unsure ({}); kept {} "
                             "degrees, which read surely (mean confidence {:.0f})",
                             name, why, best.page.rotation, best.ocr.mean_confidence)
               : fmt::format("{}: orientation detection unsure ({}); kept {} "
                             "degrees after reading {} orientations",
                             name, why, best.page.rotation, read)});
    }
  }

  const capture::CleanPage& page = best.page;
  // An enlarged copy is only for OCR: the archive keeps the scan's own
  // resolution and the PDF writer scales the OCR boxes back. A reduced one
  // (still above 300 dpi) is archived as it is, with its dpi scaled, so the
  // page keeps its paper size.
  {
    StageTimer timer(times, Stage::kEncode);
    result.image = capture::EncodeForArchive(
        ocr_scale > 1.0 ? capture::Rescale(page, 1.0 / ocr_scale) : page, encode);
  }
  result.ocr = std::move(best.ocr);
  result.warnings = page.warnings;
  if (!result.blank && !result.ocr.words.empty() &&
      result.ocr.mean_confidence < 60.f) {
    result.warnings.push_back(
        {"low-confidence",
         fmt::format("{}: mean OCR confidence {:.0f} is low; check the scan",
                     name, result.ocr.mean_confidence)});
  }
  storage::PageRecord& rec = result.record;
  rec.source_file = raw.source_file;
  rec.source_index = raw.source_index;
  rec.width = result.ocr.width;
  rec.height = result.ocr.height;
  rec.dpi = result.ocr.dpi;
  rec.rotation = page.rotation;
  rec.skew = page.skew;
  rec.confidence = result.ocr.mean_confidence;
  rec.text = result.ocr.text;
  if (!result.blank) {
    StageTimer timer(times, Stage::kCleanup);
    result.hashes = capture::PerceptualHashes(page.gray, page.dpi);
    if (!result.hashes[0].empty()) rec.phash = capture::HashHex(result.hashes[0]);
  }
  result.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  return result;
}

}  // namespace

Result<PageResult> ProcessPage(ocr::Engine& engine, capture::RawPage raw,
                               const capture::CleanupOptions& cleanup,
                               const capture::EncodeOptions& encode,
                               const ocr::LanguagePolicy& languages) {
  // The one error boundary of a page: OpenCV, Tesseract glue and the
  // standard library throw on inputs nobody foresaw (a 5000x1 image made
  // cv::resize assert). Whatever escapes becomes an error on this page's
  // input, and the rest of the batch goes on.
  return GuardPage<PageResult>(fmt::format("{} page {}", raw.source_file, raw.source_index + 1),
                   [&] { return ProcessPageUnguarded(engine, raw, cleanup, encode, languages); });
}

}  // namespace dossier::pipeline
