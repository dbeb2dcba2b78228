// Scanned PDFs as input (capture/pdf_file.h), made the way offices make
// them: img2pdf and ImageMagick, in grey, 1-bit and colour, several pages;
// and the PDFs that are refused: encrypted, broken, born digital.
//
// ImageMagick: Debian's policy.xml blocks the coder named "PDF"; its "PDFA"
// coder is the same PDF writer (with PDF/A metadata) and is allowed, so the
// tests write through it.
#include "capture/pdf_file.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "capture/image_file.h"
#include "core/file_util.h"
#include "tests/support/test_support.h"

namespace dossier::capture {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;
using testing::ShellQuote;

// A page with text and boxes, at 1/2 A4 size for speed (620x877 at 75 dpi
// would be too coarse; this is A5 at 150 dpi).
cv::Mat GreyPage(int seed) {
  cv::Mat page(1240, 874, CV_8UC1, cv::Scalar(255));
  for (int line = 0; line < 12; ++line) {
    cv::putText(page, fmt::format("Contract line {} page {}", line, seed),
                {80, 150 + line * 80}, cv::FONT_HERSHEY_SIMPLEX, 1.1, cv::Scalar(20), 2);
  }
  cv::rectangle(page, {60, 1100}, {800, 1180}, cv::Scalar(90), 3);
  return page;
}

cv::Mat ColourPage(int seed) {
  cv::Mat grey = GreyPage(seed), page;
  cv::cvtColor(grey, page, cv::COLOR_GRAY2BGR);
  cv::circle(page, {650, 1000}, 80, cv::Scalar(30, 30, 220), -1);  // red stamp
  return page;
}

void Shell(const std::string& command) {
  auto r = RunCommand(command);
  ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.out;
}

// Writes pages as PNG files (with a 150 dpi pHYs chunk) and returns them.
std::vector<fs::path> WritePngs(const fs::path& dir, const std::vector<cv::Mat>& pages,
                                const std::string& stem) {
  std::vector<fs::path> out;
  for (size_t i = 0; i < pages.size(); ++i) {
    fs::path raw = dir / fmt::format("{}-{}-raw.png", stem, i);
    fs::path p = dir / fmt::format("{}-{}.png", stem, i);
    EXPECT_TRUE(cv::imwrite(raw.string(), pages[i]));
    Shell(fmt::format("convert {} -units PixelsPerInch -density 150 {}",
                    ShellQuote(raw.string()), ShellQuote(p.string())));
    out.push_back(p);
  }
  return out;
}

fs::path Img2Pdf(const fs::path& dir, const std::vector<fs::path>& images,
                 const std::string& name) {
  std::string cmd = "img2pdf";
  for (const auto& i : images) cmd += " " + ShellQuote(i.string());
  fs::path out = dir / name;
  cmd += " -o " + ShellQuote(out.string());
  Shell(cmd);
  return out;
}

fs::path MagickPdf(const fs::path& dir, const std::vector<fs::path>& images,
                   const std::string& options, const std::string& name) {
  std::string cmd = "convert";
  for (const auto& i : images) cmd += " " + ShellQuote(i.string());
  fs::path out = dir / name;
  cmd += " " + options + " PDFA:" + ShellQuote(out.string());
  Shell(cmd);
  return out;
}

// Mean absolute difference of two grey images of the same size.
double MeanDiff(const cv::Mat& a, const cv::Mat& b) {
  EXPECT_EQ(a.size(), b.size());
  if (a.size() != b.size()) return 255;
  cv::Mat d;
  cv::absdiff(a, b, d);
  return cv::mean(d)[0];
}

// A minimal hand-made PDF: one page of A5, optionally drawing a grey image
// of w x h pixels over the whole page, and optionally text (visible, or
// invisible as an OCR text layer: 3 Tr).
std::string HandMadePdf(int w, int h, bool text, bool invisible_text) {
  std::vector<std::string> objects;
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  std::string resources = "<< /Font << /F1 5 0 R >>";
  if (w > 0) resources += " /XObject << /Im1 6 0 R >>";
  resources += " >>";
  objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] "
                    "/Resources " + resources + " /Contents 4 0 R >>");
  std::string content;
  if (w > 0) content += "q 420 0 0 595 0 0 cm /Im1 Do Q\n";
  if (text) {
    content += fmt::format("BT {} /F1 24 Tf 50 500 Td (Contract text) Tj ET\n",
                           invisible_text ? "3 Tr" : "");
  }
  objects.push_back(fmt::format("<< /Length {} >>\nstream\n{}endstream",
                                content.size(), content));
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  if (w > 0) {
    std::string pixels(static_cast<size_t>(w) * h, '\xF0');
    for (int y = h / 3; y < h / 3 + 10 && y < h; ++y) {
      for (int x = 10; x < w - 10; ++x) pixels[static_cast<size_t>(y) * w + x] = 0;
    }
    objects.push_back(fmt::format("<< /Type /XObject /Subtype /Image /Width {} "
                                  "/Height {} /ColorSpace /DeviceGray "
                                  "/BitsPerComponent 8 /Length {} >>\nstream\n",
                                  w, h, pixels.size()) +
                      pixels + "\nendstream");
  }
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += fmt::format("{} 0 obj\n{}\nendobj\n", i + 1, objects[i]);
  }
  size_t xref = pdf.size();
  pdf += fmt::format("xref\n0 {}\n0000000000 65535 f \n", objects.size() + 1);
  for (size_t o : offsets) pdf += fmt::format("{:010d} 00000 n \n", o);
  pdf += fmt::format("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n",
                     objects.size() + 1, xref);
  return pdf;
}

fs::path WriteBytes(const fs::path& p, std::string_view bytes) {
  EXPECT_TRUE(WriteFileAtomic(p, bytes));
  return p;
}

TEST(ReadPdf, Img2PdfGreyPagesComeBackAtTheirPixelsAndResolution) {
  testing::TempDir dir;
  std::vector<cv::Mat> pages = {GreyPage(1), GreyPage(2), GreyPage(3)};
  fs::path pdf = Img2Pdf(dir.path(), WritePngs(dir.path(), pages, "g"), "grey.pdf");
  auto read = ReadImageFile(pdf);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const RawPage& p = (*read)[i];
    EXPECT_EQ(p.source_index, i);
    EXPECT_EQ(p.source_file, pdf.string());
    EXPECT_NEAR(p.dpi, 150, 0.5);
    EXPECT_EQ(p.image.type(), CV_8UC1) << "grey stays grey";
    EXPECT_FALSE(p.bilevel);
    EXPECT_LT(MeanDiff(p.image, pages[i]), 1.0) << "page " << i + 1;
    EXPECT_TRUE(p.warnings.empty());
  }
}

TEST(ReadPdf, Img2PdfColourJpegPagesStayColour) {
  testing::TempDir dir;
  std::vector<fs::path> jpegs;
  for (int i = 0; i < 2; ++i) {
    fs::path raw = dir.path() / fmt::format("c{}.png", i);
    fs::path jpg = dir.path() / fmt::format("c{}.jpg", i);
    ASSERT_TRUE(cv::imwrite(raw.string(), ColourPage(i)));
    Shell(fmt::format("convert {} -units PixelsPerInch -density 200 -quality 90 {}",
                    ShellQuote(raw.string()), ShellQuote(jpg.string())));
    jpegs.push_back(jpg);
  }
  fs::path pdf = Img2Pdf(dir.path(), jpegs, "colour.pdf");
  auto read = ReadImageFile(pdf);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 2u);
  for (const RawPage& p : *read) {
    EXPECT_NEAR(p.dpi, 200, 0.5);
    EXPECT_EQ(p.image.type(), CV_8UC3);
    EXPECT_EQ(p.image.cols, 874);
    EXPECT_EQ(p.image.rows, 1240);
    cv::Vec3b stamp = p.image.at<cv::Vec3b>(1000, 650);
    EXPECT_GT(stamp[2], 150) << "the red stamp is still red";
    EXPECT_LT(stamp[1], 100);
  }
}

TEST(ReadPdf, OneBitPagesAreRenderedExactlyAndMarkedBilevel) {
  testing::TempDir dir;
  cv::Mat page = GreyPage(7), bw;
  cv::threshold(page, bw, 128, 255, cv::THRESH_BINARY);
  fs::path raw = dir.path() / "bw-raw.png";
  ASSERT_TRUE(cv::imwrite(raw.string(), bw));
  fs::path g4 = dir.path() / "bw.tif";
  Shell(fmt::format("convert {} -monochrome -compress Group4 -units PixelsPerInch "
                  "-density 300 {}",
                  ShellQuote(raw.string()), ShellQuote(g4.string())));
  fs::path png1 = dir.path() / "bw1.png";
  Shell(fmt::format("convert {} -monochrome -depth 1 -units PixelsPerInch -density 300 {}",
                  ShellQuote(raw.string()), ShellQuote(png1.string())));
  const std::vector<fs::path> pdfs = {
      Img2Pdf(dir.path(), {g4}, "g4.pdf"),          // CCITT G4 in the PDF
      Img2Pdf(dir.path(), {png1}, "png1.pdf"),      // 1-bit Flate
      MagickPdf(dir.path(), {png1, png1}, "-monochrome -compress Group4",
                "magick-bw.pdf"),
  };
  for (const auto& pdf : pdfs) {
    auto read = ReadImageFile(pdf);
    ASSERT_TRUE(read.has_value()) << pdf << ": " << read.error().message;
    ASSERT_GE(read->size(), 1u);
    for (const RawPage& p : *read) {
      EXPECT_TRUE(p.bilevel) << pdf;
      EXPECT_NEAR(p.dpi, 300, 0.5) << pdf;
      EXPECT_EQ(p.image.type(), CV_8UC1);
      EXPECT_EQ(MeanDiff(p.image, bw), 0.0) << pdf << ": not pixel-exact";
    }
  }
}

TEST(ReadPdf, ImageMagickGreyAndColourMultiPage) {
  testing::TempDir dir;
  std::vector<cv::Mat> grey = {GreyPage(1), GreyPage(2), GreyPage(3)};
  auto pngs = WritePngs(dir.path(), grey, "m");
  fs::path grey_pdf = MagickPdf(dir.path(), pngs, "-colorspace Gray -compress Zip",
                                "magick-grey.pdf");
  auto read = ReadImageFile(grey_pdf);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*read)[i].image.type(), CV_8UC1);
    EXPECT_NEAR((*read)[i].dpi, 150, 0.5);
    EXPECT_LT(MeanDiff((*read)[i].image, grey[i]), 1.0);
  }
  std::vector<cv::Mat> colour = {ColourPage(1), ColourPage(2)};
  auto cpngs = WritePngs(dir.path(), colour, "mc");
  fs::path colour_pdf =
      MagickPdf(dir.path(), cpngs, "-compress JPEG -quality 85", "magick-colour.pdf");
  auto cread = ReadImageFile(colour_pdf);
  ASSERT_TRUE(cread.has_value()) << cread.error().message;
  ASSERT_EQ(cread->size(), 2u);
  for (const RawPage& p : *cread) {
    EXPECT_EQ(p.image.type(), CV_8UC3);
    EXPECT_EQ(p.image.cols, 874);
    EXPECT_NEAR(p.dpi, 150, 0.5);
  }
}

TEST(ReadPdf, ATextLayerIsNotedAndThePagesAreStillTaken) {
  testing::TempDir dir;
  fs::path pdf = WriteBytes(dir.path() / "mfp-ocr.pdf", HandMadePdf(875, 1240, true, true));
  auto read = ReadImageFile(pdf);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 1u);
  EXPECT_NEAR((*read)[0].dpi, 150, 0.5);
  ASSERT_EQ((*read)[0].warnings.size(), 1u);
  EXPECT_EQ((*read)[0].warnings[0].code, kPdfTextLayerWarning);
  EXPECT_NE((*read)[0].warnings[0].message.find("OCR'd again"), std::string::npos);
}

TEST(ReadPdf, RefusesBornDigitalPdfsNamingThePage) {
  testing::TempDir dir;
  fs::path text_only = WriteBytes(dir.path() / "letter.pdf", HandMadePdf(0, 0, true, false));
  auto read = ReadImageFile(text_only);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(read.error().message.find("letter.pdf"), std::string::npos);
  EXPECT_NE(read.error().message.find("page 1 has no scanned image"), std::string::npos)
      << read.error().message;
  // A logo on a typed letter is an image, but not a scan of the page.
  fs::path logo = WriteBytes(dir.path() / "logo.pdf", HandMadePdf(120, 60, true, false));
  auto logo_read = ReadImageFile(logo);
  ASSERT_FALSE(logo_read.has_value());
  EXPECT_EQ(logo_read.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(logo_read.error().message.find("is not a scan"), std::string::npos)
      << logo_read.error().message;
}

TEST(ReadPdf, RefusesEncryptedPdfs) {
  testing::TempDir dir;
  fs::path plain = Img2Pdf(dir.path(), WritePngs(dir.path(), {GreyPage(1)}, "e"),
                           "plain.pdf");
  fs::path locked = dir.path() / "locked.pdf";
  Shell(fmt::format("qpdf --encrypt secret owner 256 -- {} {}",
                  ShellQuote(plain.string()), ShellQuote(locked.string())));
  auto read = ReadImageFile(locked);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(read.error().message.find("locked.pdf"), std::string::npos);
  EXPECT_NE(read.error().message.find("password"), std::string::npos)
      << read.error().message;
  // Encrypted with an empty user password: opens, but is still encrypted.
  fs::path restricted = dir.path() / "restricted.pdf";
  Shell(fmt::format("qpdf --encrypt '' owner 256 --print=none -- {} {}",
                  ShellQuote(plain.string()), ShellQuote(restricted.string())));
  auto rread = ReadImageFile(restricted);
  ASSERT_FALSE(rread.has_value());
  EXPECT_EQ(rread.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(rread.error().message.find("encrypted"), std::string::npos)
      << rread.error().message;
}

TEST(ReadPdf, RefusesBrokenPdfs) {
  testing::TempDir dir;
  fs::path good = Img2Pdf(dir.path(), WritePngs(dir.path(), {GreyPage(1)}, "b"),
                          "good.pdf");
  auto bytes = ReadFile(good);
  ASSERT_TRUE(bytes.has_value());
  fs::path cut = WriteBytes(dir.path() / "cut.pdf",
                            std::string_view(*bytes).substr(0, bytes->size() / 2));
  auto read = ReadImageFile(cut);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kCorruptInput);
  EXPECT_NE(read.error().message.find("cut.pdf: truncated PDF"), std::string::npos)
      << read.error().message;
  fs::path junk = WriteBytes(dir.path() / "junk.pdf",
                             "%PDF-1.7\nthis is not a PDF body at all\n%%EOF\n");
  auto jread = ReadImageFile(junk);
  ASSERT_FALSE(jread.has_value());
  EXPECT_EQ(jread.error().code, ErrorCode::kCorruptInput);
  EXPECT_NE(jread.error().message.find("junk.pdf: damaged PDF"), std::string::npos)
      << jread.error().message;
}

TEST(ReadPdf, PageAndSizeLimits) {
  testing::TempDir dir;
  fs::path pdf = Img2Pdf(dir.path(),
                         WritePngs(dir.path(), {GreyPage(1), GreyPage(2), GreyPage(3)}, "l"),
                         "three.pdf");
  ImageFileOptions few;
  few.max_pdf_pages = 2;
  auto read = ReadImageFile(pdf, few);
  ASSERT_FALSE(read.has_value());
  EXPECT_NE(read.error().message.find("3 pages exceeds the limit of 2"), std::string::npos)
      << read.error().message;
  ImageFileOptions small;
  small.max_megapixels = 0.5;  // the pages are 1.1 MP
  auto big = ReadImageFile(pdf, small);
  ASSERT_FALSE(big.has_value());
  EXPECT_NE(big.error().message.find("over the limit"), std::string::npos)
      << big.error().message;
}

TEST(ReadPdf, NeverChangesTheInput) {
  testing::TempDir dir;
  fs::path pdf = Img2Pdf(dir.path(), WritePngs(dir.path(), {GreyPage(1)}, "k"), "k.pdf");
  auto before = ReadFile(pdf);
  auto mtime = fs::last_write_time(pdf);
  ASSERT_TRUE(ReadImageFile(pdf).has_value());
  EXPECT_EQ(*ReadFile(pdf), *before);
  EXPECT_EQ(fs::last_write_time(pdf), mtime);
}

}  // namespace
}  // namespace dossier::capture
