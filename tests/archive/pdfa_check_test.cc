#include <gtest/gtest.h>

#include "archive/pdf_writer.h"
#include "tests/archive/archive_test_pages.h"

namespace dossier::archive {
namespace {

bool HasProblem(const PdfCheckReport& r, std::string_view needle) {
  for (const std::string& p : r.problems) {
    if (p.find(needle) != std::string::npos) return true;
  }
  return false;
}

// A correct but plain PDF 1.4: one page, Helvetica not embedded, no XMP,
// no OutputIntent, no /ID.
std::string PlainPdf() {
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> /ExtGState << /G1 << /ca 0.5 >> >> "
      ">> "
      "/Group << /S /Transparency /CS /DeviceRGB >> >>",
      "<< /Length 33 >>\nstream\nBT /F1 12 Tf 20 20 Td (Hi) Tj ET\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) +
         "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::string SmallArchivePdf() {
  std::vector<ArchivePage> pages = {testing::MakeBilevelPage()};
  auto pdf = WriteSearchablePdf(pages, testing::MakeTestInfo(PdfaLevel::k2b));
  EXPECT_TRUE(pdf.has_value());
  return pdf.value_or("");
}

TEST(CheckPdfATest, PlainPdfHasEveryProblemNamed) {
  PdfCheckReport r = CheckPdfA(PlainPdf());
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.level.empty());
  EXPECT_TRUE(HasProblem(r, "no /Metadata"))
      << ::testing::PrintToString(r.problems);
  EXPECT_TRUE(HasProblem(r, "OutputIntent"));
  EXPECT_TRUE(HasProblem(r, "/ID"));
  EXPECT_TRUE(HasProblem(r, "font /Helvetica is not embedded"));
  EXPECT_TRUE(HasProblem(r, "/ca < 1"));
  EXPECT_TRUE(HasProblem(r, "transparency group"));
  EXPECT_FALSE(HasProblem(r, "damaged"))
      << ::testing::PrintToString(r.problems);
}

TEST(CheckPdfATest, NotAPdfIsAProblemNotACrash) {
  PdfCheckReport r = CheckPdfA("hello, world");
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.problems.empty());
}

TEST(CheckPdfATest, ArchivePdfPasses) {
  PdfCheckReport r = CheckPdfA(SmallArchivePdf());
  EXPECT_TRUE(r.ok) << ::testing::PrintToString(r.problems);
  EXPECT_EQ(r.level, "2b");
}

TEST(CheckPdfATest, ChangedOutputIntentIsFound) {
  std::string pdf = SmallArchivePdf();
  const std::size_t at = pdf.find("/GTS_PDFA1");
  ASSERT_NE(at, std::string::npos);
  pdf.replace(at, 10, "/GTS_PDFX1");  // same length: offsets stay valid
  PdfCheckReport r = CheckPdfA(pdf);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(HasProblem(r, "GTS_PDFA1"))
      << ::testing::PrintToString(r.problems);
}

TEST(CheckPdfATest, BrokenXmpIsFound) {
  std::string pdf = SmallArchivePdf();
  const std::size_t at = pdf.find("</pdfaid:part>");
  ASSERT_NE(at, std::string::npos);
  pdf.replace(at, 14, "</pdfaid:parT>");
  PdfCheckReport r = CheckPdfA(pdf);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(HasProblem(r, "XMP")) << ::testing::PrintToString(r.problems);
}

TEST(CheckPdfATest, MissingPdfaIdIsFound) {
  std::string pdf = SmallArchivePdf();
  for (std::size_t at; (at = pdf.find("pdfaid:part")) != std::string::npos;) {
    pdf.replace(at, 11, "pdfaid:pare");
  }
  PdfCheckReport r = CheckPdfA(pdf);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(HasProblem(r, "pdfaid:part"))
      << ::testing::PrintToString(r.problems);
}

TEST(CheckPdfATest, TruncatedFileIsDamaged) {
  std::string pdf = SmallArchivePdf();
  pdf.resize(pdf.size() / 2);
  PdfCheckReport r = CheckPdfA(pdf);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.problems.empty());
}

}  // namespace
}  // namespace dossier::archive
