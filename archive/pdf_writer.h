// Searchable PDF/A writer (libharu).
//
// Writes one PDF for one document: each page is its image, drawn to fill the
// page at the image's dpi (page size = paper size), plus an invisible text
// layer (text render mode 3) with each OCR word placed on its box and
// stretched to the box width, so selection and search land on the word.
// CJK text is written without spaces between characters.
//
// Thread safety: WriteSearchablePdf is reentrant; call it from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/types.h"

namespace dossier::archive {

enum class PdfaLevel { k2b, k1b };

// Document-level metadata, written to the Info dictionary and XMP.
// All strings are UTF-8; any of them may be empty.
struct DocumentInfo {
  std::string title;
  std::string creator;          // station user who scanned it
  std::string customer_code;
  std::string document_type;    // contract, form, ...
  std::string archive_number;   // empty until filed
  std::string document_id;      // catalog id, e.g. "D000012"
  std::string ocr_engine;       // e.g. "Tesseract 5.3.0"
  std::string languages;        // e.g. "chi_sim+eng"
  std::string scan_date;        // ISO 8601, e.g. "2026-11-27T07:30:00Z"
  PdfaLevel pdfa = PdfaLevel::k2b;
};

// One page: the image to show and the OCR words to put under it. OCR
// coordinates are pixels of an image ocr.width x ocr.height; if that differs
// from image.width x image.height the writer scales the boxes.
struct ArchivePage {
  PageImage image;
  OcrPage ocr;
};

// Returns the complete PDF file as bytes (format: docs/pdf-format.md).
// The same pages and info give the same bytes: dates come from scan_date
// (the time of writing when it is empty) and the trailer ID from a digest of
// the input.
// Error (kPdf) names the page and the libharu error code; kInvalidArgument
// when scan_date is not ISO 8601.
Result<std::string> WriteSearchablePdf(std::span<const ArchivePage> pages,
                                       const DocumentInfo& info);

// Result of the in-process structural PDF/A check.
struct PdfCheckReport {
  bool ok = false;
  std::string level;                  // "2b" or "1b" as declared in the XMP
  std::vector<std::string> problems;  // empty when ok
};

// Checks bytes of a PDF for the rules a scanned archive can break: XMP
// present and parseable with pdfaid part/conformance, OutputIntent with
// GTS_PDFA1, trailer ID, all fonts embedded, no encryption, no transparency.
PdfCheckReport CheckPdfA(std::string_view pdf_bytes);

}  // namespace dossier::archive
