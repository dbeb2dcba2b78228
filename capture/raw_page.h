// Page images as they come from a source, before any cleanup.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/types.h"

namespace dossier::capture {

// One page as read from a file or scanner.
struct RawPage {
  cv::Mat image;             // CV_8UC1 (gray) or CV_8UC3 (BGR)
  double dpi = 300.0;        // resolution of image
  bool bilevel = false;      // the source was 1-bit (e.g. a G4 TIFF)
  std::string source_file;   // path or device name
  int source_index = 0;      // page index within the source, 0-based
  std::vector<Warning> warnings;
};

}  // namespace dossier::capture
