// Scanned PDFs as input (what an office multifunction printer writes when it
// "scans to PDF").
//
// Design notes. Two well-kept Debian libraries, each for what it does best:
//
//  - qpdf (libqpdf-dev, already used by archive/pdfa_check.cc) reads the
//    structure: which image XObjects each page draws (also inside forms),
//    their pixel size and bit depth. poppler-cpp has no API that lists a
//    page's images, and guessing the resolution would resample the scan.
//  - poppler-cpp (libpoppler-cpp-dev) renders each page. It is rendered at
//    the resolution of its largest embedded image (image pixels over page
//    inches, on the long side, so /Rotate does not matter), so the page
//    comes back at the pixels it was scanned with and goes through the same
//    cleanup and OCR as a TIFF. A grey or 1-bit image is rendered to 8-bit
//    grey (no colour conversion); 1-bit pages without antialiasing, then
//    marked bilevel so they are stored as 1-bit again.
//
// What is refused, with the file named and the reason (kCorruptInput unless
// said otherwise):
//  - a truncated file (no %%EOF near its end) or one neither library parses;
//  - an encrypted PDF, with or without a password (kUnsupported: decrypt it
//    first); PDF/A forbids encryption and the original is kept as received;
//  - a page without a scanned image (a born-digital page, or an image too
//    small to be the page: under 50 dpi over the page), kUnsupported;
//  - more pages than ImageFileOptions::max_pdf_pages, or a page whose
//    rendering would exceed max_megapixels.
//
// A PDF that already has a text layer (an MFP's own OCR) is taken like any
// other: its text is not used, the pages are OCR'd again, and the first page
// carries a kPdfTextLayerWarning saying so.
#pragma once

#include <memory>
#include <string>

#include "capture/image_file.h"
#include "capture/page_source.h"
#include "core/result.h"

namespace dossier::capture {

inline constexpr char kPdfTextLayerWarning[] = "pdf-text-layer";

// Opens PDF bytes already read and size-checked by OpenImageFile. `name` is
// what pages and errors are called. Pages are rendered one at a time by
// Next().
Result<std::unique_ptr<PageSource>> OpenPdfBytes(std::string name,
                                                 std::string bytes,
                                                 const ImageFileOptions& options);

// True when the bytes start like a PDF (the signature OpenImageFile sniffs).
bool LooksLikePdf(std::string_view bytes);

}  // namespace dossier::capture
