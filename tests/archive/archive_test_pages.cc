#include "tests/archive/archive_test_pages.h"

#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace dossier::testing {
namespace {

OcrWord Word(const char* text, Box box, int line) {
  OcrWord w;
  w.text = text;
  w.box = box;
  w.baseline = box.y + box.height * 8 / 10;
  w.confidence = 90;
  w.line = line;
  return w;
}

// Grey page with the mark block and a dark bar under every OCR word.
cv::Mat DrawPage(const OcrPage& ocr) {
  cv::Mat page(kA4Height, kA4Width, CV_8UC1, cv::Scalar(235));
  cv::rectangle(
      page,
      cv::Rect(kMarkBlock.x, kMarkBlock.y, kMarkBlock.width, kMarkBlock.height),
      cv::Scalar(0), cv::FILLED);
  for (const OcrWord& w : ocr.words) {
    cv::rectangle(page, cv::Rect(w.box.x, w.box.y, w.box.width, w.box.height),
                  cv::Scalar(60), 3);
  }
  return page;
}

}  // namespace

OcrPage MakeTestOcr() {
  OcrPage ocr;
  ocr.width = kA4Width;
  ocr.height = kA4Height;
  ocr.dpi = 300;
  ocr.words = {
      Word("Customer", kCustomerBox, 0),
      Word("Contract", {760, 800, 400, 70}, 0),
      Word("2026", {1200, 800, 200, 70}, 0),
      Word("客户资料", {300, 1000, 400, 100}, 1),
      Word("档案管理", {720, 1000, 400, 100}, 1),
  };
  ocr.languages = "chi_sim+eng";
  return ocr;
}

archive::ArchivePage MakeJpegPage(bool color) {
  archive::ArchivePage page;
  page.ocr = MakeTestOcr();
  cv::Mat gray = DrawPage(page.ocr);
  cv::Mat image = gray;
  if (color) {
    cv::cvtColor(gray, image, cv::COLOR_GRAY2BGR);
    cv::rectangle(image, cv::Rect(1800, 200, 300, 300), cv::Scalar(0, 0, 255),
                  cv::FILLED);
  }
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 80});
  page.image.encoding = PageImage::Encoding::kJpeg;
  page.image.bytes.assign(jpeg.begin(), jpeg.end());
  page.image.width = kA4Width;
  page.image.height = kA4Height;
  page.image.channels = color ? 3 : 1;
  page.image.dpi = 300;
  return page;
}

archive::ArchivePage MakeBilevelPage() {
  archive::ArchivePage page;
  page.ocr = MakeTestOcr();
  cv::Mat gray = DrawPage(page.ocr);
  const int stride = (kA4Width + 7) / 8;
  page.image.encoding = PageImage::Encoding::kBilevel;
  page.image.bytes.assign(static_cast<std::size_t>(stride) * kA4Height, 0);
  for (int y = 0; y < kA4Height; ++y) {
    const uchar* row = gray.ptr<uchar>(y);
    for (int x = 0; x < kA4Width; ++x) {
      if (row[x] < 128)
        page.image.bytes[y * stride + x / 8] |= 0x80 >> (x % 8);  // 1 = black
    }
  }
  page.image.width = kA4Width;
  page.image.height = kA4Height;
  page.image.channels = 1;
  page.image.dpi = 300;
  return page;
}

archive::DocumentInfo MakeTestInfo(archive::PdfaLevel level) {
  archive::DocumentInfo info;
  info.title = "客户合同 <A&B> \"甲方\"";
  info.creator = "王小明";
  info.customer_code = "C2026-00017-X";
  info.document_type = "contract";
  info.archive_number = "A-2026-0001";
  info.document_id = "D000012";
  info.ocr_engine = "Tesseract 5.3.0";
  info.languages = "chi_sim+eng";
  info.scan_date = "2026-11-27T07:30:00Z";
  info.pdfa = level;
  return info;
}

void WriteBytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

}  // namespace dossier::testing
