// Cover sheets: a printed page with a QR code that separates the documents
// of one scanned stack. The payload format (docs/capture.md):
//
//   DOSSIER-COVER/1;c=<customer code>;t=<document type>[;ti=<title>]
//
// - ASCII only, at most kMaxCoverPayload bytes, fields in this order.
// - c: the customer code's shape (two letters, year, six digits, check
//   character: KH-2026-000001-7); the check character is verified by whoever
//   looks the customer up.
// - t: a document type, lower-case letters and '-', at most 32 characters.
// - ti: optional UTF-8 title, percent-encoded: every byte outside
//   [A-Za-z0-9-._~] is written %XX (upper-case hex); at most 200 bytes once
//   decoded, no control characters.
//
// A version other than 1 is refused (an old station must not guess at a
// newer sheet). Parsing never throws and accepts any bytes.
//
// Thread safety: all functions are reentrant.
#pragma once

#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/types.h"

namespace dossier::capture {

inline constexpr std::string_view kCoverPrefix = "DOSSIER-COVER/";
inline constexpr size_t kMaxCoverPayload = 700;
inline constexpr size_t kMaxCoverTitle = 200;

struct CoverSheet {
  std::string customer_code;
  std::string type;
  std::string title;  // UTF-8, may be empty
};

// The payload for a sheet; kInvalidArgument when a field would not parse
// back (bad code shape, bad type, title too long or not UTF-8).
Result<std::string> FormatCoverPayload(const CoverSheet& sheet);

// Parses a payload that starts with kCoverPrefix; kInvalidArgument saying
// what is wrong otherwise. Hostile input (any length, any bytes) is safe.
Result<CoverSheet> ParseCoverPayload(std::string_view payload);

// What a page's barcodes say about it.
struct CoverDetection {
  enum class Kind {
    kNone,     // no barcode of ours (other barcodes are ignored)
    kCover,    // a valid cover sheet: sheet is set
    kInvalid,  // a barcode with our prefix that does not parse: warning says
               // why
  };
  Kind kind = Kind::kNone;
  CoverSheet sheet;
  std::optional<Warning> warning;
};

// Looks for our QR code on a page image (CV_8UC1 or CV_8UC3, any rotation,
// skewed, bilevel or gray). The image is searched at about 150 dpi and, if
// nothing of ours is found there, once more at up to 300 dpi. `where` names
// the page in warnings, e.g. "batch.tif #3".
CoverDetection DetectCoverSheet(const cv::Mat& image, double dpi,
                                const std::string& where);

}  // namespace dossier::capture
