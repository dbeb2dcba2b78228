// Every printed sheet, read the way a person reads it: the page is rendered
// (pdftoppm) and OCR'd (Tesseract chi_sim+eng), and the Chinese title, the
// customer's name and the barcode or archive number must come back. And
// every character the sheet draws must have its glyph in the embedded font:
// libharu's own TrueType subset dropped the parts of composite glyphs above
// id 32767, so 上海明川贸易有限公司 printed as "上 川 易有 公司" while
// pdftotext still read it.
#include "archive/sheets.h"

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
  data.documents.push_back(
      {"D000001", kArchiveNumber, std::string(kCode) + " " + kCustomer, "合同",
       "服务合同", 2, "2016-03-01", "合同终止 + 10 年", "2026-03-01",
       "2026-03-02 10:00 +08:00", std::string(64, 'a')});
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

std::string Written(const archive::TableSheetData& sheet) {
  auto pdf = archive::WriteTableSheetPdf(sheet);
  EXPECT_TRUE(pdf) << pdf.error().message;
  return pdf.value_or("");
}

// The three lists as app/sheets.cc lays them out.
std::string CustomerIndex() {
  archive::TableSheetData sheet;
  sheet.title = "卷内目录";
  sheet.subtitle = "Document index";
  sheet.id = kCode;
  sheet.facts = {{"客户 Customer", std::string(kCode) + "  " + kCustomer},
                 {"文件数 Documents", "2"}};
  sheet.columns = {{"序号 No.", 11, true, true},
                   {"档号 Archive number", 42, true},
                   {"题名 Title", 56},
                   {"类型 Type", 22},
                   {"日期 Date", 22, true},
                   {"页数 Pages", 11, true, true},
                   {"备注 Note", 36}};
  sheet.rows = {{"1", kArchiveNumber, "服务合同", "合同 contract", "2026-03-05",
                 "2", "D000001"},
                {"2", "—", "客户登记表", "表格 form", "2026-03-06", "1",
                 "D000002 待审核 pending"}};
  sheet.signatures = {"立卷人 Compiled by", "检查人 Checked by", "日期 Date"};
  sheet.printed_at = "打印 printed 2026-03-10 02:00 +08:00";
  return Written(sheet);
}

std::string BoxSheet() {
  archive::TableSheetData sheet;
  sheet.title = "盒内文件清单";
  sheet.subtitle = "Box contents";
  sheet.id = "A-03-1-001";
  sheet.facts = {{"位置 Location", "档案室 / A-03 / A-03-1 / A-03-1-001"},
                 {"条码 Barcode", "LC000004X"}};
  sheet.columns = {{"序号 No.", 10, true, true},   {"条码 Barcode", 28, true},
                   {"客户 Customer", 74},          {"文件 Document", 56},
                   {"页数 Pages", 12, true, true}, {"状态 State", 22}};
  sheet.rows = {{"1", kBarcode, std::string(kCode) + " " + kCustomer,
                 "D000001 服务合同", "2", "in-place"}};
  sheet.signatures = {"装盒人 Packed by", "检查人 Checked by", "日期 Date"};
  return Written(sheet);
}

std::string OverdueList() {
  archive::TableSheetData sheet;
  sheet.title = "超期借阅清单";
  sheet.subtitle = "Overdue loans";
  sheet.id = "2026-03-10";
  sheet.landscape = true;
  sheet.facts = {{"日期 As of", "2026-03-10 (Asia/Shanghai)"}};
  sheet.columns = {
      {"借阅单 Loan", 20, true},          {"条码 Original", 28, true},
      {"客户/题名 Customer / title", 74}, {"借阅人 Borrower", 40},
      {"联系方式 Contact", 68},           {"应还 Due", 22, true},
      {"逾期天数 Days", 18, true, true}};
  sheet.rows = {{"L000001", kBarcode,
                 std::string(kCode) + " " + kCustomer + " 服务合同", "周晓岚",
                 "+8613800138000", "2026-03-05", "5"}};
  sheet.signatures = {"档案管理员 Records manager", "日期 Date"};
  return Written(sheet);
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
      {"audit_report",
       AuditReport,
       200,
       {"盘点报告", kCustomer, kBarcode, "AU000001"}},
      {"certificate",
       Certificate,
       200,
       {"销毁证明", kCustomer, kArchiveNumber, kBarcode}},
      {"cover_sheet", CoverSheet, 200, {"档案分隔页", kCustomer, kCode}},
      {"customer_index",
       CustomerIndex,
       200,
       {"卷内目录", kCustomer, kArchiveNumber, "服务合同"}},
      {"box_contents", BoxSheet, 200, {"盒内文件清单", kCustomer, kBarcode}},
      {"overdue_loans",
       OverdueList,
       200,
       {"超期借阅清单", kCustomer, kBarcode}},
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

// A font the user names must be usable; it is never silently replaced by
// a font that prints Chinese as '?'.
TEST(SheetFontTest, ANamedFontThatCannotBeEmbeddedIsRefusedByName) {
  std::vector<archive::Label> labels{{kBarcode, "", kCustomer, "服务合同"}};
  archive::LabelSheetOptions options;
  options.stock = *archive::FindLabelStock("a4-3x8");
  options.font_path = "/no/such/font.ttf";
  auto missing = archive::WriteLabelSheet(labels, options);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("/no/such/font.ttf"),
            std::string::npos);
  // CFF outlines (OpenType .otf, like Debian's Noto CJK): libharu cannot
  // embed them.
  options.font_path = "/usr/share/fonts/opentype/urw-base35/C059-Roman.otf";
  auto cff = archive::WriteLabelSheet(labels, options);
  ASSERT_FALSE(cff);
  EXPECT_EQ(cff.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(cff.error().message.find("no TrueType outlines"),
            std::string::npos)
      << cff.error().message;
  // The default font, named explicitly, works.
  options.font_path = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
  EXPECT_TRUE(archive::WriteLabelSheet(labels, options));
}

}  // namespace
}  // namespace dossier
