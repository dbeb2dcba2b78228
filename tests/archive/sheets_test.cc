// Every printed sheet, read the way a person reads it: the page is rendered
// (pdftoppm) and OCR'd (Tesseract chi_sim+eng), and the Chinese title, the
// customer's name and the barcode or archive number must come back. And
// every character the sheet draws must have its glyph in the embedded font:
// libharu's own TrueType subset dropped the parts of composite glyphs above
// id 32767, so 上海明川贸易有限公司 printed as "上 川 易有 公司" while
// pdftotext still read it.
#include <functional>
#include <string>

#include "archive/certificate.h"
#include "archive/cover_sheet_pdf.h"
#include "archive/labels.h"
#include "archive/report.h"
#include "gtest/gtest.h"
#include "tests/archive/sheet_check.h"

namespace dossier {
namespace {

using testing::CheckDrawnGlyphs;
using testing::OcrFirstPage;

constexpr char kCustomer[] = "上海明川贸易有限公司";
constexpr char kCode[] = "KH-2026-000001-0";
constexpr char kBarcode[] = "OR00000017K";
constexpr char kArchiveNumber[] = "DA-2026-HT-000001-K";

std::string LabelSheet() {
  std::vector<archive::Label> labels;
  for (int i = 0; i < 3; ++i) {
    labels.push_back({kBarcode, "", std::string(kCustomer) + "  " + kCode,
                      "D000001 服务合同"});
  }
  archive::LabelSheetOptions options;
  options.stock = *archive::FindLabelStock("a4-2x7");
  auto pdf = archive::WriteLabelSheet(labels, options);
  EXPECT_TRUE(pdf) << pdf.error().message;
  return pdf.value_or("");
}

std::string AuditReport() {
  archive::AuditReportData data;
  data.audit_id = "AU000001";
  data.location_path = "档案室 / A-03";
  data.started = "2026-03-01 09:00 +08:00 by 王审计";
  data.closed = "2026-03-01 10:00 +08:00 by 王审计";
  data.counts = {{"found", 1}, {"missing", 1}};
  data.lines.push_back({"missing", kBarcode,
                        std::string(kCode) + " " + kCustomer, "服务合同",
                        "A-03-1-001", "", "", 0});
  data.lines.push_back({"found", "OR00000018H",
                        std::string(kCode) + " " + kCustomer, "客户登记表",
                        "A-03-1-001", "A-03-1-001", "", 1});
  auto pdf = archive::WriteAuditReportPdf(data);
  EXPECT_TRUE(pdf) << pdf.error().message;
  return pdf.value_or("");
}

std::string Certificate() {
  archive::CertificateData data;
  data.batch_id = "DB000001";
  data.status = "completed";
  data.reason = "2026年度到期销毁";
  data.proposed = "2026-03-01 09:00 +08:00 by 李文";
  data.approved = "2026-03-02 09:00 +08:00 by 赵明";
  data.issued_at = "2026-03-03 09:00 +08:00";
  data.issued_by = "赵明";
  data.archive_name = "/srv/dossier";
  data.documents.push_back({"D000001", kArchiveNumber,
                            std::string(kCode) + " " + kCustomer, "合同",
                            "服务合同", 2, "2016-03-01", "合同终止 + 10 年",
                            "2026-03-01", "2026-03-02 10:00 +08:00",
                            std::string(64, 'a')});
  data.originals.push_back({kBarcode, "D000001", "张三", "李四",
                            "2026-03-03 10:00 +08:00", "碎纸机"});
  auto pdf = archive::WriteDestructionCertificatePdf(data);
  EXPECT_TRUE(pdf) << pdf.error().message;
  return pdf.value_or("");
}

std::string CoverSheet() {
  archive::CoverSheetText text;
  text.payload = std::string("DOSSIER-COVER/1;c=") + kCode + ";t=contract";
  text.customer_code = kCode;
  text.customer_name = kCustomer;
  text.type = "合同 contract";
  text.title = "服务合同";
  auto pdf = archive::WriteCoverSheetPdf(text);
  EXPECT_TRUE(pdf) << pdf.error().message;
  return pdf.value_or("");
}

struct SheetCase {
  const char* name;
  std::function<std::string()> make;
  int dpi;
  // What OCR of page 1 must read (compared without spaces).
  std::vector<std::string> expected;
};

std::vector<SheetCase> Sheets() {
  return {
      {"labels", LabelSheet, 200, {kCustomer, kBarcode}},
      {"audit_report", AuditReport, 200,
       {"盘点报告", kCustomer, kBarcode, "AU000001"}},
      {"certificate", Certificate, 200,
       {"销毁证明", kCustomer, kArchiveNumber, kBarcode}},
      {"cover_sheet", CoverSheet, 200, {"档案分隔页", kCustomer, kCode}},
  };
}

class SheetTest : public ::testing::TestWithParam<SheetCase> {};

TEST_P(SheetTest, EveryDrawnCharacterHasItsGlyphInAnEmbeddedFont) {
  const std::string pdf = GetParam().make();
  ASSERT_FALSE(pdf.empty());
  auto drawn = CheckDrawnGlyphs(pdf);
  EXPECT_GT(drawn.characters, 20);
  EXPECT_TRUE(drawn.problems.empty())
      << drawn.problems.size() << " problems, first: " << drawn.problems[0];
}

// Tesseract reads the letter O in a code as the digit 0 (OR00000017K as
// 0R00000017K); both sides are compared with O as 0. Which character was
// drawn is checked exactly by the glyph test above.
std::string FoldO(std::string s) {
  for (char& c : s) {
    if (c == 'O') c = '0';
  }
  return s;
}

TEST_P(SheetTest, OcrOfTheRenderedPageReadsTitleNameAndCode) {
  const SheetCase& c = GetParam();
  const std::string pdf = c.make();
  ASSERT_FALSE(pdf.empty());
  const std::string text = FoldO(OcrFirstPage(pdf, c.dpi));
  for (const std::string& want : c.expected) {
    EXPECT_NE(text.find(FoldO(want)), std::string::npos)
        << c.name << ": OCR did not read " << want << " in:\n"
        << text;
  }
}

INSTANTIATE_TEST_SUITE_P(Sheets, SheetTest, ::testing::ValuesIn(Sheets()),
                         [](const ::testing::TestParamInfo<SheetCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace dossier
