// Barcode reading: Code 128, QR and Data Matrix codes in scans and photos
// (ZXing-cpp). Used by audits (盘点) to read every label on a shelf photo.
//
// A photo of a shelf holds many labels, slightly rotated and unevenly lit.
// DecodeBarcodes runs ZXing over the whole image and over a few small
// rotations of it (linear codes read best when nearly horizontal), and
// returns each distinct text once. Thread safety: the functions are pure.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/types.h"

namespace cv {
class Mat;
}

namespace dossier::capture {

struct DecodedBarcode {
  std::string text;    // as encoded, e.g. OR00000017K
  std::string format;  // "Code128", "QRCode", "DataMatrix"
  Box box;             // bounding box in the image as given (approximate
                       // when found in a rotated pass)
};

struct BarcodeOptions {
  // Extra passes at these rotations (degrees) find linear codes tilted by
  // more than ZXing's row scan tolerates. Empty: one pass only.
  std::vector<double> extra_angles = {-8.0, -4.0, 4.0, 8.0};
};

// REQUIRES: image is 8-bit gray or BGR. Order: top to bottom, left to right.
std::vector<DecodedBarcode> DecodeBarcodes(const cv::Mat& image,
                                           const BarcodeOptions& options = {});
// kNotFound if the file is missing, kCorruptInput if it cannot be decoded
// as an image.
Result<std::vector<DecodedBarcode>> DecodeBarcodesInFile(
    const std::filesystem::path& file, const BarcodeOptions& options = {});

}  // namespace dossier::capture
