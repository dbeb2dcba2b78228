// Internal: ownership and conversion helpers between Leptonica and OpenCV.
#pragma once

#include <leptonica/allheaders.h>

#include <memory>
#include <opencv2/core.hpp>

namespace dossier::capture {

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// Silences Leptonica's stderr chatter once per process; errors are reported
// through return values instead.
void QuietLeptonica();

// Any Pix -> CV_8UC1 (gray or 1-bit sources) or CV_8UC3 (BGR colour).
cv::Mat PixToMat(Pix* pix);

// CV_8UC1 -> 8 bpp Pix (copy).
PixPtr GrayMatToPix(const cv::Mat& gray);

}  // namespace dossier::capture
