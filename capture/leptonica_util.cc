#include "capture/leptonica_util.h"

#include <mutex>

namespace dossier::capture {

void QuietLeptonica() {
  static std::once_flag once;
  std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

cv::Mat PixToMat(Pix* pix) {
  PixPtr owned;
  Pix* src = pix;
  if (pixGetColormap(src) != nullptr) {
    owned.reset(pixRemoveColormap(src, REMOVE_CMAP_BASED_ON_SRC));
    src = owned.get();
  }
  int depth = pixGetDepth(src);
  if (depth == 32 || depth == 24) {
    const int w = pixGetWidth(src);
    const int h = pixGetHeight(src);
    cv::Mat out(h, w, CV_8UC3);
    for (int y = 0; y < h; ++y) {
      const l_uint32* line = pixGetData(src) + y * pixGetWpl(src);
      auto* row = out.ptr<cv::Vec3b>(y);
      for (int x = 0; x < w; ++x) {
        l_int32 r, g, b;
        extractRGBValues(line[x], &r, &g, &b);
        row[x] = cv::Vec3b(static_cast<uchar>(b), static_cast<uchar>(g),
                           static_cast<uchar>(r));
      }
    }
    return out;
  }
  PixPtr gray;
  if (depth != 8) {
    gray.reset(pixConvertTo8(src, 0));
    if (!gray) return {};
    src = gray.get();
  }
  const int w = pixGetWidth(src);
  const int h = pixGetHeight(src);
  cv::Mat out(h, w, CV_8UC1);
  for (int y = 0; y < h; ++y) {
    const l_uint32* line = pixGetData(src) + y * pixGetWpl(src);
    auto* row = out.ptr<uchar>(y);
    for (int x = 0; x < w; ++x) {
      row[x] = static_cast<uchar>(GET_DATA_BYTE(line, x));
    }
  }
  return out;
}

PixPtr GrayMatToPix(const cv::Mat& gray) {
  PixPtr pix(pixCreate(gray.cols, gray.rows, 8));
  for (int y = 0; y < gray.rows; ++y) {
    l_uint32* line = pixGetData(pix.get()) + y * pixGetWpl(pix.get());
    const auto* row = gray.ptr<uchar>(y);
    for (int x = 0; x < gray.cols; ++x) SET_DATA_BYTE(line, x, row[x]);
  }
  return pix;
}

}  // namespace dossier::capture
