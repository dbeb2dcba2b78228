// Reading page images from files: PNG, JPEG and TIFF (also multi-page and
// 1-bit CCITT G4 TIFF), and scanned PDFs (capture/pdf_file.h). The file type is recognised from its first bytes,
// not its name, so a text file named .tif is refused as "not an image".
//
// The input file is only read, never changed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include <memory>

#include "capture/page_source.h"
#include "capture/raw_page.h"
#include "core/result.h"

namespace dossier::capture {

// Code of the page warning for a page decoded from damaged data.
inline constexpr char kCorruptDataWarning[] = "corrupt-data";


struct ImageFileOptions {
  // Refuse images larger than this before decoding them (decompression bombs).
  double max_megapixels = 200.0;
  // Refuse files larger than this before reading them (fstat): the whole
  // file is held in memory while its pages are decoded. An uncompressed
  // 200 MP colour TIFF is 600 MB.
  std::uint64_t max_file_bytes = std::uint64_t{1} << 30;
  // Refuse images narrower or lower than this: not a scanned page (a
  // 5000x1 strip), and too small for cleanup to scale.
  int min_side_pixels = 8;
  // Refuse a PDF of more pages than this before rendering any.
  int max_pdf_pages = 2000;
  // Resolution assumed when the file records none or an implausible one.
  // 0 means: estimate from the pixel width, assuming an A4 page.
  double fallback_dpi = 0.0;
  // Name the pages (RawPage::source_file) and errors carry instead of the
  // path, for a file opened through a path that is not its name (the hot
  // folder reads through its processing folder's handle). Empty: the path.
  std::string display_name;
};

// Opens the file and checks it (kind, completeness, size) without decoding
// any page; pages are then decoded one at a time by Next(), so a 500-page
// TIFF is never held decoded in memory. Errors name the file and the
// reason: kNotFound (missing), kInvalidArgument (a directory, FIFO, device
// or socket: refused before it is read), kCorruptInput (empty, truncated,
// undecodable, too large a file or image, too small an image),
// kUnsupported (not PNG/JPEG/TIFF/PDF; an encrypted or non-scan PDF, see
// capture/pdf_file.h).
//
// A page the decoder read while reporting damaged data (libjpeg's
// "Corrupt JPEG data", a libtiff error it recovered from) carries a
// kCorruptDataWarning warning saying so; other decoder warnings become
// "decoder-warning" page warnings.
Result<std::unique_ptr<PageSource>> OpenImageFile(
    const std::filesystem::path& path, const ImageFileOptions& options = {});

// Checks an input before anything reads it: a regular file (not a FIFO or
// device, which would block or never end) no larger than
// options.max_file_bytes. Errors as OpenImageFile's, naming the file.
Status CheckInputFile(const std::filesystem::path& path,
                      const ImageFileOptions& options);

// Reads every page of the file at once (OpenImageFile drained); for small
// files and tests.
Result<std::vector<RawPage>> ReadImageFile(const std::filesystem::path& path,
                                           const ImageFileOptions& options = {});

}  // namespace dossier::capture
