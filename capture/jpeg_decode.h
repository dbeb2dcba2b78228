// Decoding a JPEG with libjpeg directly, so that its warnings are seen.
//
// libjpeg decodes damaged entropy-coded data ("Corrupt JPEG data: premature
// end of data segment", "extraneous bytes before marker") by warning and
// filling the rest of the image with grey or black; some of those warnings
// come only at the end of the image, after Leptonica's reader has stopped
// counting. Here every warning is collected, nothing is printed to stderr,
// and a fatal libjpeg error is a value (no exit, no longjmp past C++).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "capture/leptonica_util.h"

namespace dossier::capture {

struct JpegDecoded {
  PixPtr pix;                         // 8-bit gray or 32-bit RGB; null on error
  std::string error;                  // libjpeg's message when pix is null
  std::vector<std::string> warnings;  // corrupt-data warnings, first few kept
  int warning_count = 0;              // all of them
};

// REQUIRES: bytes stays alive during the call. Thread-safe (no globals).
JpegDecoded DecodeJpeg(std::string_view bytes);

}  // namespace dossier::capture
