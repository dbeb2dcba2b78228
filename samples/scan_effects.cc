#include "samples/scan_effects.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

namespace dossier::samples {

ScanParams RandomScanParams(cv::RNG& rng, bool color, int rotation) {
  ScanParams p;
  p.skew_degrees = std::round(rng.uniform(-3.0, 3.0) * 100) / 100;
  p.blur_sigma = std::round(rng.uniform(0.6, 1.0) * 100) / 100;
  p.noise_sigma = std::round(rng.uniform(3.0, 5.0) * 10) / 10;
  p.shading = rng.uniform(0.02, 0.06);
  p.shading_angle = rng.uniform(0.0, 2 * CV_PI);
  // Old office paper: a little less blue than white.
  p.paper_bgr = cv::Vec3f(static_cast<float>(rng.uniform(222.0, 238.0)),
                          static_cast<float>(rng.uniform(236.0, 246.0)),
                          static_cast<float>(rng.uniform(242.0, 250.0)));
  p.rotation = rotation;
  p.color = color;
  return p;
}

cv::Mat SimulateScan(const cv::Mat& clean, const ScanParams& params, cv::RNG& rng) {
  CV_Assert(clean.type() == CV_8UC3);
  const cv::Point2f center(clean.cols / 2.0f, clean.rows / 2.0f);

  // The scanner sees the sheet slightly rotated; the uncovered corners are
  // the white lid, which the paper tint below then colours like the page.
  cv::Mat skewed;
  const cv::Mat m = cv::getRotationMatrix2D(center, params.skew_degrees, 1.0);
  cv::warpAffine(clean, skewed, m, clean.size(), cv::INTER_CUBIC, cv::BORDER_CONSTANT,
                 cv::Scalar(255, 255, 255));

  cv::Mat page;
  skewed.convertTo(page, CV_32FC3, 1.0 / 255);
  cv::GaussianBlur(page, page, cv::Size(0, 0), params.blur_sigma);

  // Paper = tint x (linear shading gradient + low-frequency blotches).
  // Multiplying keeps dark ink dark while the background picks up the tint.
  const int small_w = 32, small_h = 45;
  cv::Mat light(small_h, small_w, CV_32F);
  const double cx = std::cos(params.shading_angle), cy = std::sin(params.shading_angle);
  cv::Mat blotch(small_h, small_w, CV_32F);
  rng.fill(blotch, cv::RNG::UNIFORM, -0.012, 0.012);
  cv::GaussianBlur(blotch, blotch, cv::Size(0, 0), 2.0);
  for (int y = 0; y < small_h; ++y) {
    for (int x = 0; x < small_w; ++x) {
      const double u = (x + 0.5) / small_w - 0.5, v = (y + 0.5) / small_h - 0.5;
      light.at<float>(y, x) = static_cast<float>(1.0 - params.shading * (0.5 + u * cx + v * cy) +
                                                 blotch.at<float>(y, x));
    }
  }
  cv::resize(light, light, page.size(), 0, 0, cv::INTER_CUBIC);
  cv::Mat light3;
  cv::merge(std::vector<cv::Mat>{light * (params.paper_bgr[0] / 255.0f),
                                 light * (params.paper_bgr[1] / 255.0f),
                                 light * (params.paper_bgr[2] / 255.0f)},
            light3);
  page = page.mul(light3);

  cv::Mat out;
  if (params.color) {
    // Sensor noise is mostly luminance noise: the same offset on all channels.
    cv::Mat noise(page.size(), CV_32F);
    rng.fill(noise, cv::RNG::NORMAL, 0.0, params.noise_sigma / 255.0);
    cv::Mat noise3;
    cv::merge(std::vector<cv::Mat>{noise, noise, noise}, noise3);
    page += noise3;
    page.convertTo(out, CV_8UC3, 255.0);
  } else {
    cv::Mat grey;
    cv::cvtColor(page, grey, cv::COLOR_BGR2GRAY);
    cv::Mat noise(grey.size(), CV_32F);
    rng.fill(noise, cv::RNG::NORMAL, 0.0, params.noise_sigma / 255.0);
    grey += noise;
    grey.convertTo(out, CV_8UC1, 255.0);
  }
  if (params.rotation == 180) cv::rotate(out, out, cv::ROTATE_180);
  return out;
}

}  // namespace dossier::samples
