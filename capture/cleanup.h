// Page cleanup: each step takes a const page and returns a new one, so the
// pipeline can run, skip or measure every step on its own.
//
//   RawPage --Prepare--> CleanPage --Rotate(OSD)--> --Deskew--> ready for OCR
//                                                      \--EncodeForArchive--> PageImage
//
// All functions are thread-safe (no shared state).
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "capture/raw_page.h"
#include "core/result.h"
#include "core/types.h"

namespace dossier::capture {

struct CleanPage {
  cv::Mat gray;              // CV_8UC1, what OCR sees
  cv::Mat color;             // CV_8UC3 BGR, kept only when has_color
  double dpi = 300.0;
  bool bilevel_source = false;
  bool has_color = false;    // colour content (a red seal, blue ink, photo)
  bool blank = false;        // no ink found: a blank duplex back
  int rotation = 0;          // degrees clockwise applied so far (0/90/180/270)
  double skew = 0.0;         // degrees of deskew applied (counter-clockwise +)
  std::string source_file;
  int source_index = 0;
  std::vector<Warning> warnings;
};

struct CleanupOptions {
  bool deskew = true;
  double max_skew_degrees = 10.0;
  // A page is blank when fewer than this fraction of the pixels of its
  // inner area (margins cut off) are ink. Conservative on purpose: a faint
  // page with a little text must never count as blank.
  double blank_ink_fraction = 0.0008;
  // Fraction of clearly coloured pixels above which colour is kept.
  double color_fraction = 0.0005;
};

// Grayscale conversion, colour and blank detection, quality warnings.
Result<CleanPage> Prepare(const RawPage& raw, const CleanupOptions& options);

// Rotates by a multiple of 90 degrees clockwise (exact, no resampling).
CleanPage Rotate(const CleanPage& page, int degrees_clockwise);

// Measures skew with Leptonica and rotates the page level. Skipped with a
// warning when the measurement is not confident.
CleanPage Deskew(const CleanPage& page, const CleanupOptions& options);

// Measured skew angle of a gray page, degrees, counter-clockwise positive
// (the angle the text lines rise by); confidence 0 when unmeasurable.
struct SkewEstimate {
  double degrees = 0.0;
  double confidence = 0.0;
};
SkewEstimate MeasureSkew(const cv::Mat& gray, double max_degrees);

struct EncodeOptions {
  int jpeg_quality_gray = 60;
  int jpeg_quality_color = 70;
};

// Chooses the page's archive encoding: colour JPEG when it has colour
// content, bilevel (stored as CCITT G4) when the source was bilevel, else
// grey JPEG. The image keeps the page's dpi.
PageImage EncodeForArchive(const CleanPage& page, const EncodeOptions& options);

}  // namespace dossier::capture
