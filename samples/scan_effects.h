// Turns a clean rendered page into something that looks like a flatbed scan:
// skew, optical blur, tinted uneven paper, sensor noise, and optionally a
// page placed upside down. Everything random comes from the caller's cv::RNG,
// so a seed reproduces the same bytes.
#ifndef DOSSIER_SAMPLES_SCAN_EFFECTS_H_
#define DOSSIER_SAMPLES_SCAN_EFFECTS_H_

#include <opencv2/core.hpp>

namespace dossier::samples {

struct ScanParams {
  // Rotation of the content, positive = counter-clockwise as seen on screen
  // (OpenCV's getRotationMatrix2D convention). A deskewer rotates by the
  // negative of this to straighten the page.
  double skew_degrees = 0;
  double blur_sigma = 0.8;
  double noise_sigma = 4.0;  // grey levels
  double shading = 0.05;     // brightness drop across the page, fraction
  double shading_angle = 0;  // radians, direction of the brightness drop
  cv::Vec3f paper_bgr{236, 244, 248};
  int rotation = 0;  // 0 or 180, applied last
  bool color = false;
};

// Draws the random parts of ScanParams. Skew is uniform in [-3, 3] degrees.
ScanParams RandomScanParams(cv::RNG& rng, bool color, int rotation);

// REQUIRES: clean is CV_8UC3. Returns CV_8UC3 if params.color, else CV_8UC1.
cv::Mat SimulateScan(const cv::Mat& clean, const ScanParams& params, cv::RNG& rng);

}  // namespace dossier::samples

#endif  // DOSSIER_SAMPLES_SCAN_EFFECTS_H_
