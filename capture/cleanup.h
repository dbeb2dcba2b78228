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
  // Almost all black: a scanner fault (lamp, open lid), never blank; it
  // carries a kScannerFaultWarning.
  bool dark_fault = false;
  // Where the page was cut out of the scan when it lay on a dark
  // background (FindPaper); empty when the whole scan is the page.
  cv::Rect paper_crop;
  int rotation = 0;          // degrees clockwise applied so far (0/90/180/270)
  double skew = 0.0;         // degrees of deskew applied (counter-clockwise +)
  std::string source_file;
  int source_index = 0;
  std::vector<Warning> warnings;
};

struct CleanupOptions {
  bool deskew = true;
  double max_skew_degrees = 10.0;
  // A page is blank when CheckBlank finds no mark: no group of ink strokes
  // of at least blank_min_mark_mm across (and 1 mm^2 of ink), darker than
  // the paper around it by blank_min_contrast grey levels or more. Dust and
  // speckle are smaller; a signature, a 2 mm note or a stamp is larger.
  double blank_min_mark_mm = 2.0;
  int blank_min_contrast = 22;
  // A page with at least this fraction of near-black pixels is a scanner
  // fault, not a page: kept, with a warning.
  double dark_fault_fraction = 0.6;
  // Fraction of clearly coloured pixels above which colour is kept.
  double color_fraction = 0.0005;
  // Paint dark scanner borders and punch holes white before OCR.
  bool remove_scanner_marks = true;
  // Crop a page scanned with the lid open or on a dark background to the
  // paper (FindPaper) before anything else looks at it. Off by default:
  // on the development corpus it made one bordered contract page read
  // worse and a bordered blank back not blank (docs/capture.md).
  bool crop_to_paper = false;
  // > 0: Prepare first reduces a scan of more pixels than this to this
  // many (its dpi scaled alike), so cleanup and OCR never hold copies of a
  // 600 dpi or larger page. 0: kept at its size.
  double max_pixels = 0;
};

// Code of the page warning for an (almost) all-black page.
inline constexpr char kScannerFaultWarning[] = "scanner-fault";

// What the blank check found on a page (gray: CV_8UC1 at dpi; color:
// CV_8UC3 BGR of the same page, or empty). The decision is made on marks,
// connected ink strokes grouped within 1 mm, measured in millimetres on the
// page, not on a fraction of the page: a 1 cm note in a corner counts as
// much as a full page of text. A 1.5 mm band along the edges (paper edge
// shadow) is not looked at.
struct BlankCheck {
  bool blank = false;
  bool dark_fault = false;     // mostly black: a scanner fault, never blank
  double dark_fraction = 0.0;  // pixels darker than grey 80
  int marks = 0;               // marks found
  double largest_mark_mm = 0;  // longest side of the largest mark's box
  int contrast_threshold = 0;  // grey levels used (raised on noisy scans)
};
BlankCheck CheckBlank(const cv::Mat& gray, const cv::Mat& color, double dpi,
                      const CleanupOptions& options);

// Dark areas a scanner adds: borders connected to the image edge and round
// punch holes near an edge. Returns a copy with them painted white and how
// many areas were removed. Content inside the page is never touched.
struct ScannerMarks {
  cv::Mat gray;
  int borders = 0;
  int holes = 0;
};
ScannerMarks RemoveScannerMarks(const cv::Mat& gray, double dpi);

// The sheet of paper on a scan that shows dark background around it (lid
// open, a dark platen, a shadow): found when at least two sides of the scan
// show a dark band whose inner edge is a straight line, all of them at one
// angle, and the bright region inside covers at least 40% of the scan. The
// band's text touching the paper's edge, thick rules, dark photos and
// pictures printed on the page are not background: the page is closed
// (dark features up to 6 mm wide removed) before it is looked at, and a
// dark area that does not run along a side as a straight-edged band is not
// a border. A page without such borders is not found, and is left exactly
// as it is.
//
// paper: the paper's pixels (CV_8UC1 255, same size as the scan), holes
// (a dark photo inside) filled. crop: the paper's bounding box in the scan.
// angle: how far the paper's edges are turned, degrees counter-clockwise.
struct PaperRegion {
  bool found = false;
  cv::Rect crop;
  cv::Mat paper;
  double angle = 0.0;
  int border_sides = 0;  // sides with a dark band (0..4)
  int background = 0;    // median grey of the band
  int paper_level = 0;   // median grey of the paper
};
PaperRegion FindPaper(const cv::Mat& gray, double dpi);

// The scan cropped to the paper, the background left inside the crop (the
// corners of a turned sheet) painted white. color may be empty; else it is
// cropped alike.
struct PaperCrop {
  cv::Mat gray;
  cv::Mat color;
};
PaperCrop CropToPaper(const cv::Mat& gray, const cv::Mat& color,
                      const PaperRegion& region);

// Reduction to options.max_pixels, grayscale conversion, cropping to the
// paper, scanner-mark removal, colour and blank detection, quality
// warnings (low dpi, judged on the scan's own dpi; too dark, too light,
// blurred, text cut off at an edge). A colour page's colour image shares
// raw.image's pixels when the page was not reduced (nothing here writes
// to them).
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

enum class ImageMode {
  kAuto,     // chosen per page (see EncodeForArchive)
  kBilevel,  // always 1-bit (CCITT G4 in the PDF)
  kGray,     // always grey JPEG
  kColor,    // colour JPEG when the source has colour, else grey JPEG
};

// Median height in pixels of the glyph-sized ink blobs of a page; 0 when
// there is no text-like ink. Tells how small the print is in the image,
// whatever dpi the file claims.
double MedianGlyphHeight(const cv::Mat& gray, double dpi);

// A copy scaled by factor (> 1 enlarges) with its dpi scaled alike, so OCR
// boxes found on it map back to the page by the ratio of the sizes.
CleanPage Rescale(const CleanPage& page, double factor);

struct EncodeOptions {
  ImageMode mode = ImageMode::kAuto;
  int jpeg_quality_gray = 60;
  int jpeg_quality_color = 65;
  // Auto mode keeps grey below this resolution: 1-bit at low dpi loses
  // strokes that grey keeps legible.
  double min_bilevel_dpi = 200.0;
  // Auto mode: a grey page is text-only (and goes to 1-bit) when fewer
  // than this fraction of its pixels are mid-tones after flattening.
  double max_midtone_fraction = 0.08;
};

// Fraction of mid-tone pixels of a flattened grey page; photos, halftones
// and shaded areas raise it, plain text on paper keeps it near zero.
double MidtoneFraction(const cv::Mat& gray, double dpi);

// Grey page -> black text on white: background flattened (grey or yellowed
// paper becomes white), Otsu threshold, specks removed.
cv::Mat Binarize(const cv::Mat& gray, double dpi);

// Chooses the page's archive encoding, in auto mode: colour JPEG when it has
// colour content (a red seal, blue ink, a photo), 1-bit CCITT G4 when the
// source was 1-bit or the page is text only at >= min_bilevel_dpi, else
// grey JPEG. The image keeps the page's size and dpi.
PageImage EncodeForArchive(const CleanPage& page, const EncodeOptions& options);

}  // namespace dossier::capture
