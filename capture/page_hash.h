// A perceptual hash of a cleaned page, to recognise the same page scanned
// again, saved in another format (JPEG at another quality, PNG, TIFF) or
// turned by 90 or 180 degrees.
//
// The hash is a 256-bit DCT hash (pHash) of the page's ink: the page is
// cropped to its ink's bounding box (so a shift on the glass does not
// matter), scaled to 64x64, its 2-D DCT taken, and each of the 16x16 lowest
// frequencies but the constant one compared with their median. The usual
// 8x8 of a 64-bit pHash sees only a page's layout, so every form of one
// layout would look alike; 16x16 also sees the filled-in lines. Close pages
// differ in a few bits; unrelated pages in about half. The text on the
// page is the second signal (pipeline/ingest.cc compares the two).
#pragma once

#include <array>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

namespace dossier::capture {

inline constexpr int kPageHashBits = 256;

struct PageHashValue {
  std::array<std::uint64_t, 4> words{};
  bool empty() const { return words == std::array<std::uint64_t, 4>{}; }
};

// The hash of a grey page (CV_8UC1) as it stands; empty for a page
// without ink.
PageHashValue PerceptualHash(const cv::Mat& gray, double dpi);

// The hashes of the page turned by 0, 90, 180 and 270 degrees clockwise.
std::array<PageHashValue, 4> PerceptualHashes(const cv::Mat& gray, double dpi);

// Bits that differ, 0..256.
int HammingDistance(const PageHashValue& a, const PageHashValue& b);

// 64 lower-case hex digits, and back (false for other text).
std::string HashHex(const PageHashValue& hash);
bool ParseHashHex(const std::string& text, PageHashValue* hash);

}  // namespace dossier::capture
