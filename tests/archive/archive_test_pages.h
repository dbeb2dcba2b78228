// Synthetic pages for the archive tests: A4 images with a black block in the
// top-left corner (to check orientation and polarity) and OCR words with
// known boxes.
#pragma once

#include <filesystem>
#include <string>

#include "archive/pdf_writer.h"

namespace dossier::testing {

inline constexpr int kA4Width = 2480;  // pixels at 300 dpi
inline constexpr int kA4Height = 3508;

// Where the black block is, in pixels.
inline constexpr Box kMarkBlock{200, 200, 600, 300};

// Box of the English word "Customer" on the test pages.
inline constexpr Box kCustomerBox{300, 800, 420, 70};

// Words: English line "Customer Contract 2026" and a Chinese line of two
// words "客户资料" "档案管理" (drawn where the OCR says, as rectangles).
OcrPage MakeTestOcr();

archive::ArchivePage MakeJpegPage(bool color);
archive::ArchivePage MakeBilevelPage();

archive::DocumentInfo MakeTestInfo(archive::PdfaLevel level);

void WriteBytes(const std::filesystem::path& path, const std::string& bytes);
std::string ReadBytes(const std::filesystem::path& path);

}  // namespace dossier::testing
