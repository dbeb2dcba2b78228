// Helpers for the capture station tests.
#pragma once

#include <filesystem>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "storage/archive.h"

namespace dossier::testing {

// A gray page with some lines of text, about A4 at the given dpi.
cv::Mat TextPage(const std::string& label, double dpi = 150);

// Rasterises page 1 of a PDF with pdftoppm as 8-bit gray.
cv::Mat RenderPdf(const std::filesystem::path& pdf, int dpi);

// Rotates by degrees (counter-clockwise), white fill, same size.
cv::Mat Rotate(const cv::Mat& gray, double degrees);

// Otsu threshold: a 1-bit looking page.
cv::Mat Binarize(const cv::Mat& gray);

// An archive with two customers (codes returned) in dir/archive.
struct StationArchive {
  std::unique_ptr<storage::Archive> archive;
  std::string customer_a;
  std::string customer_b;
};
StationArchive MakeStationArchive(const std::filesystem::path& dir);

}  // namespace dossier::testing
