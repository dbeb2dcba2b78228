// Reading page images from files: PNG, JPEG and TIFF (also multi-page and
// 1-bit CCITT G4 TIFF). The file type is recognised from its first bytes,
// not its name, so a text file named .tif is refused as "not an image".
//
// The input file is only read, never changed.
#pragma once

#include <filesystem>
#include <vector>

#include <memory>

#include "capture/page_source.h"
#include "capture/raw_page.h"
#include "core/result.h"

namespace dossier::capture {

struct ImageFileOptions {
  // Refuse images larger than this before decoding them (decompression bombs).
  double max_megapixels = 200.0;
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
// reason: kNotFound (missing), kCorruptInput (empty, truncated,
// undecodable), kUnsupported (not PNG/JPEG/TIFF).
Result<std::unique_ptr<PageSource>> OpenImageFile(
    const std::filesystem::path& path, const ImageFileOptions& options = {});

// Reads every page of the file at once (OpenImageFile drained); for small
// files and tests.
Result<std::vector<RawPage>> ReadImageFile(const std::filesystem::path& path,
                                           const ImageFileOptions& options = {});

}  // namespace dossier::capture
