// Lays out a PageSpec on a clean white A4 page at 300 dpi and records the
// ground-truth text line by line, exactly as it was drawn.
#ifndef DOSSIER_SAMPLES_PAGE_RENDERER_H_
#define DOSSIER_SAMPLES_PAGE_RENDERER_H_

#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/freetype.hpp>

#include "samples/page_model.h"

namespace dossier::samples {

inline constexpr int kPageWidthPx = 2480;   // A4 at 300 dpi
inline constexpr int kPageHeightPx = 3508;
inline constexpr int kDpi = 300;

struct RenderedPage {
  cv::Mat image;                   // CV_8UC3 BGR, white paper, no degradation
  std::vector<std::string> lines;  // ground truth, one entry per printed line
};

class PageRenderer {
 public:
  // Loads the font (a .ttf/.ttc holding both CJK and Latin glyphs).
  // Throws std::runtime_error if it cannot be loaded.
  explicit PageRenderer(const std::string& font_path);

  // Renders `spec`. `rng` varies the seal's ink only; text layout is fixed.
  // Throws std::runtime_error naming the page if its content overflows.
  RenderedPage Render(const PageSpec& spec, cv::RNG& rng) const;

 private:
  int TextWidth(const std::string& text, int font_px) const;
  void DrawText(cv::Mat& img, const std::string& text, cv::Point baseline_left,
                int font_px) const;
  std::vector<std::string> Wrap(const std::string& text, int font_px, int first_width,
                                int next_width) const;
  void DrawSeal(cv::Mat& img, const Seal& seal, cv::Point center, cv::RNG& rng) const;

  cv::Ptr<cv::freetype::FreeType2> font_;
};

}  // namespace dossier::samples

#endif  // DOSSIER_SAMPLES_PAGE_RENDERER_H_
