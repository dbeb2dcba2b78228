// Value types that flow between modules. Plain data, no behaviour, no
// third-party types, so that every module may include this header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dossier {

// Something that did not stop the work, e.g. low OCR confidence.
struct Warning {
  std::string code;     // stable, machine-readable, e.g. "low-confidence"
  std::string message;  // names the file and page
};

// Axis-aligned box in pixels of the page image, origin top-left.
struct Box {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

// One recognised word. For CJK text a "word" is what the engine reports as one
// (often a run of characters); text is NFKC-normalised, without spaces.
struct OcrWord {
  std::string text;        // UTF-8
  Box box;                 // bounding box in page-image pixels
  int baseline = 0;        // y of the baseline in pixels (box bottom if unknown)
  float confidence = 0.f;  // 0..100
  int line = 0;            // index into OcrPage::lines
  // Confidence (0..100) of each code point of text, in order, where the
  // engine gives one per character; empty when it does not.
  std::vector<float> symbol_confidence;
};

struct OcrLine {
  Box box;
  std::string text;  // words joined; no spaces between CJK characters
  // The engine's text block (a column, a heading, a caption) the line
  // belongs to; blocks are numbered in reading order from 0.
  int block = 0;
};

// OCR result for one page. Coordinates refer to the image the engine saw,
// which is width x height pixels at dpi.
struct OcrPage {
  int width = 0;
  int height = 0;
  double dpi = 300.0;
  std::vector<OcrWord> words;
  std::vector<OcrLine> lines;
  std::string text;              // normalised full text, lines joined by '\n'
  std::string languages;         // e.g. "chi_sim+eng"
  float mean_confidence = 0.f;   // word-weighted, 0..100; 0 if no words
};

// An encoded page image ready to be embedded in a PDF.
struct PageImage {
  enum class Encoding {
    kJpeg,     // bytes are a complete JPEG file (gray or RGB, per channels)
    kBilevel,  // packed 1-bit rows, MSB first, bit 1 = BLACK, each row
               // padded to whole bytes; the PDF writer stores it as CCITT G4
  };
  Encoding encoding = Encoding::kJpeg;
  std::vector<std::uint8_t> bytes;
  int width = 0;   // pixels
  int height = 0;  // pixels
  int channels = 1;  // 1 gray/bilevel, 3 RGB
  double dpi = 300.0;
};

}  // namespace dossier
