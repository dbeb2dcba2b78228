#include "archive/pdf_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "archive/xml_lite.h"
#include "tests/archive/archive_test_pages.h"
#include "tests/support/test_support.h"

namespace dossier::archive {
namespace {

using testing::RunCommand;
using testing::ShellQuote;
using testing::TempDir;

std::string Q(const std::filesystem::path& p) { return ShellQuote(p.string()); }

// One 2b document (colour JPEG, gray JPEG, bilevel) and one 1b document,
// written once for all tests in this file.
class PdfWriterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pages_ = new std::vector<ArchivePage>{testing::MakeJpegPage(true),
                                          testing::MakeJpegPage(false),
                                          testing::MakeBilevelPage()};
    setup_error_ = new std::string;
    auto pdf2 =
        WriteSearchablePdf(*pages_, testing::MakeTestInfo(PdfaLevel::k2b));
    auto pdf1 =
        WriteSearchablePdf(*pages_, testing::MakeTestInfo(PdfaLevel::k1b));
    if (!pdf2 || !pdf1) {
      *setup_error_ = !pdf2 ? pdf2.error().message : pdf1.error().message;
      return;
    }
    pdf2b_ = new std::string(*pdf2);
    pdf1b_ = new std::string(*pdf1);
    testing::WriteBytes(Path2b(), *pdf2b_);
    testing::WriteBytes(Path1b(), *pdf1b_);
  }
  static void TearDownTestSuite() {
    delete pdf1b_;
    delete pdf2b_;
    delete setup_error_;
    delete pages_;
    delete dir_;
  }
  // Fails (not skips) every test when the documents could not be written.
  void SetUp() override {
    if (pdf2b_ == nullptr || pdf1b_ == nullptr)
      FAIL() << "writing failed: " << *setup_error_;
  }
  static std::filesystem::path Path2b() { return dir_->path() / "doc-2b.pdf"; }
  static std::filesystem::path Path1b() { return dir_->path() / "doc-1b.pdf"; }

  static TempDir* dir_;
  static std::vector<ArchivePage>* pages_;
  static std::string* pdf2b_;
  static std::string* pdf1b_;
  static std::string* setup_error_;
};

TempDir* PdfWriterTest::dir_ = nullptr;
std::vector<ArchivePage>* PdfWriterTest::pages_ = nullptr;
std::string* PdfWriterTest::pdf2b_ = nullptr;
std::string* PdfWriterTest::pdf1b_ = nullptr;
std::string* PdfWriterTest::setup_error_ = nullptr;

TEST_F(PdfWriterTest, TextLayerGivesChineseWithoutSpacesAndEnglishWithSpaces) {
  for (int page = 1; page <= 3; ++page) {
    auto r = RunCommand("pdftotext -f " + std::to_string(page) + " -l " +
                        std::to_string(page) + " " + Q(Path2b()) + " -");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("Customer Contract 2026"), std::string::npos)
        << page << ": " << r.out;
    EXPECT_NE(r.out.find("客户资料档案管理"), std::string::npos)
        << page << ": " << r.out;
  }
}

TEST_F(PdfWriterTest, WordBoxLandsOnItsImageBox) {
  auto r = RunCommand("pdftotext -bbox -f 1 -l 1 " + Q(Path2b()) + " -");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::smatch m;
  const std::regex word(
      R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Customer</word>)re");
  ASSERT_TRUE(std::regex_search(r.out, m, word)) << r.out;
  const double pt = 72.0 / 300.0;
  const Box b = testing::kCustomerBox;
  EXPECT_NEAR(std::stod(m[1]), b.x * pt, 2.0);
  EXPECT_NEAR(std::stod(m[3]), (b.x + b.width) * pt, 2.0);
  EXPECT_NEAR(std::stod(m[2]), b.y * pt, 4.0);
  EXPECT_NEAR(std::stod(m[4]), (b.y + b.height) * pt, 4.0);
}

TEST_F(PdfWriterTest, PageSizeIsPaperSize) {
  auto r = RunCommand("pdfinfo -f 1 -l 3 " + Q(Path2b()));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::regex size(R"(Page +\d+ size: +([\d.]+) x ([\d.]+) pts)");
  int pages = 0;
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), size), end;
       it != end; ++it) {
    EXPECT_NEAR(std::stod((*it)[1]), 595.2, 0.5);
    EXPECT_NEAR(std::stod((*it)[2]), 841.92, 0.5);
    ++pages;
  }
  EXPECT_EQ(pages, 3) << r.out;
}

TEST_F(PdfWriterTest, QpdfCheckIsClean) {
  for (const auto& path : {Path2b(), Path1b()}) {
    auto r = RunCommand("qpdf --check " + Q(path));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("No syntax or stream encoding errors found"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("WARNING"), std::string::npos) << r.out;
  }
}

TEST_F(PdfWriterTest, SharedPdfaCheckPassesOn2b) {
  const auto tool = testing::SharedDir() / "tools" / "pdfa-check";
  auto r = RunCommand("/usr/bin/python3 " + Q(tool) + " " + Q(Path2b()) + " 2");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
}

TEST_F(PdfWriterTest, SharedPdfaCheckPassesOn1b) {
  const auto tool = testing::SharedDir() / "tools" / "pdfa-check";
  auto r = RunCommand("/usr/bin/python3 " + Q(tool) + " " + Q(Path1b()) + " 1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
}

TEST_F(PdfWriterTest, PreflightSays1bIsValid) {
  const auto tool = testing::SharedDir() / "tools" / "pdfa-preflight";
  auto r = RunCommand("sh " + Q(tool) + " " + Q(Path1b()));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("is a valid PDF/A-1b file"), std::string::npos) << r.out;
}

TEST_F(PdfWriterTest, InProcessCheckPasses) {
  PdfCheckReport r2 = CheckPdfA(*pdf2b_);
  EXPECT_TRUE(r2.ok) << ::testing::PrintToString(r2.problems);
  EXPECT_EQ(r2.level, "2b");
  PdfCheckReport r1 = CheckPdfA(*pdf1b_);
  EXPECT_TRUE(r1.ok) << ::testing::PrintToString(r1.problems);
  EXPECT_EQ(r1.level, "1b");
}

TEST_F(PdfWriterTest, HeaderVersionFitsLevel) {
  EXPECT_TRUE(pdf1b_->starts_with("%PDF-1.4\n"));
  EXPECT_TRUE(pdf2b_->starts_with("%PDF-1.7\n"));
}

// Value of "Field:   value" in pdfinfo output.
std::string InfoField(std::string out, const std::string& field) {
  out.insert(0, "\n");
  const std::size_t at = out.find("\n" + field + ":");
  if (at == std::string::npos) return "<missing>";
  const std::size_t start = out.find_first_not_of(' ', at + field.size() + 2);
  return out.substr(start, out.find('\n', start) - start);
}

// Dig the XMP out with pdfinfo -meta and read it with our XML reader.
std::string XmpTitle(const std::string& xmp) {
  auto root = ParseXml(xmp);
  if (!root) return "<unparseable: " + root.error().message + ">";
  std::function<std::string(const XmlElement&)> find =
      [&](const XmlElement& e) -> std::string {
    if (e.ns == "http://purl.org/dc/elements/1.1/" && e.local == "title") {
      for (const auto& alt : e.children) {
        for (const auto& li : alt->children) return li->text;
      }
    }
    for (const auto& c : e.children) {
      std::string t = find(*c);
      if (!t.empty()) return t;
    }
    return {};
  };
  return find(**root);
}

TEST_F(PdfWriterTest, ChineseTitleWithXmlSpecialCharactersRoundTrips) {
  const std::string title = testing::MakeTestInfo(PdfaLevel::k2b).title;
  auto meta = RunCommand("pdfinfo -meta " + Q(Path2b()) + " 2>/dev/null");
  ASSERT_EQ(meta.exit_code, 0) << meta.out;
  EXPECT_NE(meta.out.find("客户合同 &lt;A&amp;B&gt; &quot;甲方&quot;"),
            std::string::npos)
      << meta.out;
  const std::size_t begin = meta.out.find("<?xpacket begin");
  const std::size_t end = meta.out.find("<?xpacket end=\"w\"?>");
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(XmpTitle(meta.out.substr(begin, end + 19 - begin)), title);
  EXPECT_NE(meta.out.find(
                "<dossier:customerCode>C2026-00017-X</dossier:customerCode>"),
            std::string::npos);
  EXPECT_NE(meta.out.find("<dossier:pageCount>3</dossier:pageCount>"),
            std::string::npos);

  auto info = RunCommand("pdfinfo " + Q(Path2b()));
  ASSERT_EQ(info.exit_code, 0) << info.out;
  EXPECT_EQ(InfoField(info.out, "Title"), title) << info.out;
  EXPECT_EQ(InfoField(info.out, "Author"), "王小明") << info.out;
}

TEST_F(PdfWriterTest, BilevelPageIsUprightAndBlackOnWhite) {
  // Render page 3 (the G4 page) small and gray; the mark block is top-left.
  const auto prefix = dir_->path() / "render";
  auto r = RunCommand("pdftoppm -f 3 -l 3 -r 20 -gray " + Q(Path2b()) + " " +
                      Q(prefix));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::string pgm;
  for (const auto& entry : std::filesystem::directory_iterator(dir_->path())) {
    if (entry.path().extension() == ".pgm")
      pgm = testing::ReadBytes(entry.path());
  }
  ASSERT_FALSE(pgm.empty());
  int width = 0, height = 0, maxval = 0, consumed = 0;
  ASSERT_EQ(std::sscanf(pgm.c_str(), "P5 %d %d %d%n", &width, &height, &maxval,
                        &consumed),
            3);
  const auto* pixels =
      reinterpret_cast<const unsigned char*>(pgm.data()) + consumed + 1;
  auto at = [&](int px_x, int px_y) {  // coordinates in 300 dpi pixels
    return pixels[(px_y * height / testing::kA4Height) * width +
                  px_x * width / testing::kA4Width];
  };
  const Box mark = testing::kMarkBlock;
  EXPECT_LT(at(mark.x + mark.width / 2, mark.y + mark.height / 2),
            64);                   // black block
  EXPECT_GT(at(1200, 2500), 192);  // white paper
  // Mirrored positions must be white, or the page is flipped.
  EXPECT_GT(
      at(testing::kA4Width - mark.x - mark.width / 2, mark.y + mark.height / 2),
      192);
  EXPECT_GT(at(mark.x + mark.width / 2,
               testing::kA4Height - mark.y - mark.height / 2),
            192);
}

TEST_F(PdfWriterTest, SameInputGivesSameBytesAndOtherDocumentOtherId) {
  auto again =
      WriteSearchablePdf(*pages_, testing::MakeTestInfo(PdfaLevel::k2b));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *pdf2b_);
  DocumentInfo other = testing::MakeTestInfo(PdfaLevel::k2b);
  other.document_id = "D000013";
  auto different = WriteSearchablePdf(*pages_, other);
  ASSERT_TRUE(different.has_value());
  const std::regex id(R"(/ID \[ *<([0-9A-Fa-f]+)>)");
  std::smatch a, b;
  ASSERT_TRUE(std::regex_search(*pdf2b_, a, id));
  ASSERT_TRUE(std::regex_search(*different, b, id));
  EXPECT_EQ(a[1].str().size(), 32u);
  EXPECT_NE(a[1].str(), b[1].str());
}

OcrWord MakeWord(const char* text, Box box, int line) {
  OcrWord w;
  w.text = text;
  w.box = box;
  w.baseline = box.y + box.height;
  w.line = line;
  return w;
}

TEST(PdfWriterTextTest, SingleCharacterChineseWordsWithGapsAndMixedLines) {
  // What Tesseract's chi_sim gives: one word per character, gaps between.
  std::vector<ArchivePage> pages = {testing::MakeBilevelPage()};
  OcrPage& ocr = pages[0].ocr;
  ocr.words.clear();
  const char* chars[] = {"甲", "方", "签", "字", "盖", "章"};
  for (int i = 0; i < 6; ++i)
    ocr.words.push_back(MakeWord(chars[i], {300 + i * 110, 1400, 90, 90}, 0));
  ocr.words.push_back(MakeWord("合同编号", {300, 1600, 360, 90}, 1));
  ocr.words.push_back(MakeWord("HT-2026-001", {700, 1600, 500, 90}, 1));
  ocr.words.push_back(MakeWord("(第2版)", {1240, 1600, 300, 90}, 1));
  auto pdf = WriteSearchablePdf(pages, testing::MakeTestInfo(PdfaLevel::k2b));
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  TempDir dir;
  testing::WriteBytes(dir.path() / "cjk.pdf", *pdf);
  auto text = RunCommand("pdftotext " + Q(dir.path() / "cjk.pdf") + " -");
  ASSERT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find("甲方签字盖章"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("合同编号 HT-2026-001 (第2版)"), std::string::npos)
      << text.out;
}

TEST(PdfWriterErrorTest, NoPagesIsAnError) {
  auto r = WriteSearchablePdf({}, testing::MakeTestInfo(PdfaLevel::k2b));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kPdf);
}

TEST(PdfWriterErrorTest, ShortBilevelBufferNamesThePage) {
  std::vector<ArchivePage> pages = {testing::MakeJpegPage(false),
                                    testing::MakeBilevelPage()};
  pages[1].image.bytes.resize(100);
  auto r = WriteSearchablePdf(pages, testing::MakeTestInfo(PdfaLevel::k2b));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kPdf);
  EXPECT_NE(r.error().message.find("page 2"), std::string::npos)
      << r.error().message;
}

TEST(PdfWriterErrorTest, CorruptJpegIsAnErrorNotACrash) {
  std::vector<ArchivePage> pages = {testing::MakeJpegPage(false)};
  pages[0].image.bytes.resize(40);
  auto r = WriteSearchablePdf(pages, testing::MakeTestInfo(PdfaLevel::k2b));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kPdf);
  EXPECT_NE(r.error().message.find("page 1"), std::string::npos)
      << r.error().message;
}

TEST(PdfWriterErrorTest, BadScanDateIsRejected) {
  std::vector<ArchivePage> pages = {testing::MakeBilevelPage()};
  DocumentInfo info = testing::MakeTestInfo(PdfaLevel::k2b);
  info.scan_date = "27.11.2026";
  auto r = WriteSearchablePdf(pages, info);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("27.11.2026"), std::string::npos);
}

TEST(PdfWriterPlainTest, PageWithoutWordsAndEmptyInfoIsStillPdfA) {
  std::vector<ArchivePage> pages = {testing::MakeBilevelPage()};
  pages[0].ocr.words.clear();
  auto r = WriteSearchablePdf(pages, DocumentInfo{});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  PdfCheckReport report = CheckPdfA(*r);
  EXPECT_TRUE(report.ok) << ::testing::PrintToString(report.problems);
  TempDir dir;
  testing::WriteBytes(dir.path() / "empty.pdf", *r);
  auto check = RunCommand("/usr/bin/python3 " +
                          Q(testing::SharedDir() / "tools" / "pdfa-check") +
                          " " + Q(dir.path() / "empty.pdf") + " 2");
  EXPECT_EQ(check.exit_code, 0) << check.out;
}

TEST(PdfWriterPlainTest, OcrBoxesOfASmallerImageAreScaled) {
  // OCR ran on a half-size image; the boxes must land on the full page.
  std::vector<ArchivePage> pages = {testing::MakeJpegPage(false)};
  pages[0].ocr.width /= 2;
  pages[0].ocr.height /= 2;
  for (OcrWord& w : pages[0].ocr.words) {
    w.box = {w.box.x / 2, w.box.y / 2, w.box.width / 2, w.box.height / 2};
    w.baseline /= 2;
  }
  auto r = WriteSearchablePdf(pages, testing::MakeTestInfo(PdfaLevel::k2b));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  TempDir dir;
  testing::WriteBytes(dir.path() / "scaled.pdf", *r);
  auto bbox =
      RunCommand("pdftotext -bbox " + Q(dir.path() / "scaled.pdf") + " -");
  std::smatch m;
  const std::regex word(
      R"re(<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>Customer<)re");
  ASSERT_TRUE(std::regex_search(bbox.out, m, word)) << bbox.out;
  EXPECT_NEAR(std::stod(m[1]), testing::kCustomerBox.x * 72.0 / 300, 2.0);
  EXPECT_NEAR(
      std::stod(m[2]),
      (testing::kCustomerBox.x + testing::kCustomerBox.width) * 72.0 / 300,
      2.0);
}

}  // namespace
}  // namespace dossier::archive
