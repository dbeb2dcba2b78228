// Reading order of the stored PDF's text layer on multi-column pages:
// `pdftotext` of an archived magazine, newsletter or two-column contract
// page must read each column top to bottom, then the next, not across the
// gutter row by row. The pages are generated here with many variations
// (two and three columns, English and Chinese, font sizes, line spacing,
// gutters, a heading and a picture with its caption across the columns), OCRed
// by the real binary, and scored with the shared CER tool.
#include <gtest/gtest.h>

#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "tests/support/ocr_score.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;
using testing::ShellQuote;

constexpr int kWidth = 2480, kHeight = 3508, kMargin = 200;
constexpr const char* kFont = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

struct Layout {
  int columns = 2;
  bool chinese = false;
  int font_px = 36;
  double line_spacing = 1.5;  // baseline pitch / font size
  double gutter = 2.0;        // in font sizes
  bool picture = false;       // a grey picture with a caption across the columns
};

std::string Describe(const Layout& l) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%d columns, %s, %d px, spacing %.2f, gutter %.1f%s",
                l.columns, l.chinese ? "Chinese" : "English", l.font_px, l.line_spacing,
                l.gutter, l.picture ? ", picture" : "");
  return buf;
}

class PageWriter {
 public:
  PageWriter(const Layout& layout, unsigned seed)
      : layout_(layout), rng_(seed), font_(cv::freetype::createFreeType2()) {
    font_->loadFontData(kFont, 0);
  }

  // Renders the page; returns its ground truth, one printed line per line.
  std::string Render(const fs::path& png) {
    cv::Mat page(kHeight, kWidth, CV_8UC3, cv::Scalar(255, 255, 255));
    std::string truth;
    const int font = layout_.font_px;
    const int pitch = static_cast<int>(font * layout_.line_spacing);
    int y = kMargin + font * 2;
    const std::string heading = layout_.chinese ? "档案室季度通讯：客户档案与借阅管理"
                                                : "Quarterly Newsletter of the Records Room";
    Draw(page, heading, kMargin, y, font * 2);
    truth += heading + "\n";
    int top = y + font * 3;
    if (layout_.picture) {
      // A picture across the columns under the heading, and its caption.
      const int picture_height = (kHeight - 2 * kMargin) / 4;
      cv::rectangle(page, {kMargin, top - font}, {kWidth - kMargin, top - font + picture_height},
                    cv::Scalar(150, 150, 150), cv::FILLED);
      top += picture_height + font / 2;
      const std::string caption = FillLine((kWidth - 2 * kMargin) * 2 / 3, font * 4 / 5, true);
      Draw(page, caption, kMargin, top, font * 4 / 5);
      truth += caption + "\n";
      top += font * 3;
    }
    const int bottom = kHeight - kMargin;
    const int gutter = static_cast<int>(layout_.gutter * font);
    const int column_width =
        (kWidth - 2 * kMargin - (layout_.columns - 1) * gutter) / layout_.columns;
    for (int c = 0; c < layout_.columns; ++c) {
      const int x = kMargin + c * (column_width + gutter);
      y = top;
      int lines_in_paragraph = 0;
      const int paragraph_length = 4 + static_cast<int>(rng_() % 6);
      while (y < bottom) {
        const bool first = lines_in_paragraph == 0;
        const int indent = first && layout_.chinese ? 2 * font : 0;
        const std::string line = FillLine(column_width - indent, font, first);
        Draw(page, line, x + indent, y, font);
        truth += line + "\n";
        y += pitch;
        if (++lines_in_paragraph == paragraph_length) {
          lines_in_paragraph = 0;
          y += pitch / 2;
        }
      }
    }
    cv::Mat grey;
    cv::cvtColor(page, grey, cv::COLOR_BGR2GRAY);
    cv::GaussianBlur(grey, grey, {3, 3}, 0.6);
    EXPECT_TRUE(cv::imwrite(png.string(), grey));
    return truth;
  }

 private:
  void Draw(cv::Mat& page, const std::string& text, int x, int baseline, int px) {
    font_->putText(page, text, {x, baseline}, px, cv::Scalar(0, 0, 0), -1, cv::LINE_AA,
                   /*bottomLeftOrigin=*/true);
  }

  int TextWidth(const std::string& text, int px) {
    int base = 0;
    return font_->getTextSize(text, px, -1, &base).width;
  }

  // A line of running text as wide as the column allows.
  std::string FillLine(int width, int px, bool first) {
    static const std::vector<std::string> kEnglish = {
        "archive", "records",   "customer", "contract", "filed",   "review",
        "pages",   "scanner",   "clerks",   "search",   "numbers", "cabinet",
        "shelf",   "loans",     "approval", "history",  "backup",  "retention",
        "every",   "keeps",     "quickly",  "the",      "and",     "for",
        "with",    "under",     "before",   "after",    "boxes",   "audit"};
    static const std::vector<std::string> kChinese = {
        "档案", "客户", "合同", "借阅", "审批", "归档", "扫描", "文件", "柜架",
        "盘点", "销毁", "保管", "期限", "记录", "查询", "编号", "原件", "复印",
        "管理", "制度", "部门", "负责", "登记", "移交", "年度", "检查", "安全"};
    std::string line;
    while (true) {
      std::string next;
      if (layout_.chinese) {
        next = line + kChinese[rng_() % kChinese.size()];
        if (rng_() % 7 == 0) next += "，";
      } else {
        std::string word = kEnglish[rng_() % kEnglish.size()];
        if (line.empty() && first) word[0] = static_cast<char>(std::toupper(word[0]));
        next = line.empty() ? word : line + " " + word;
      }
      if (TextWidth(next, px) > width) break;
      line = std::move(next);
    }
    return line;
  }

  Layout layout_;
  std::mt19937 rng_;
  cv::Ptr<cv::freetype::FreeType2> font_;
};

TEST(ReadingOrder, PdfTextFollowsTheColumnsOnGeneratedPages) {
  testing::TempDir tmp;
  const fs::path archive = tmp.path() / "archive";
  auto dossier = [&](const std::string& args) {
    return RunCommand(ShellQuote(testing::DossierBinary().string()) + " --archive " +
                      ShellQuote(archive.string()) + " " + args + " 2>&1");
  };
  ASSERT_EQ(dossier("init " + ShellQuote(archive.string())).exit_code, 0);
  auto add = dossier("customer add --name 'Records Room' --kind company");
  ASSERT_EQ(add.exit_code, 0) << add.out;
  const std::string customer = add.out.substr(0, add.out.find('\t'));

  const std::vector<Layout> layouts = {
      {2, false, 36, 1.50, 2.5, false}, {3, false, 32, 1.35, 2.0, true},
      {2, true, 40, 1.75, 2.0, true},   {3, true, 34, 1.60, 3.0, false},
      {2, false, 44, 1.90, 1.8, true},
  };
  unsigned seed = 20261201;
  for (const Layout& layout : layouts) {
    SCOPED_TRACE(Describe(layout));
    const fs::path png = tmp.path() / ("page-" + std::to_string(seed) + ".png");
    const std::string truth = PageWriter(layout, seed++).Render(png);
    auto ingest = dossier("ingest " + ShellQuote(png.string()) + " --customer " + customer +
                          " --lang " + (layout.chinese ? "chi_sim+eng" : "eng"));
    ASSERT_TRUE(ingest.exit_code == 0 || ingest.exit_code == 10) << ingest.out;
    std::smatch id;
    ASSERT_TRUE(std::regex_search(ingest.out, id, std::regex("-> (D\\d{6})"))) << ingest.out;
    const fs::path pdf = tmp.path() / (id[1].str() + ".pdf");
    auto exported = dossier("export " + id[1].str() + " --to " + ShellQuote(pdf.string()));
    ASSERT_EQ(exported.exit_code, 0) << exported.out;
    auto text = RunCommand("pdftotext -enc UTF-8 " + ShellQuote(pdf.string()) + " -");
    ASSERT_EQ(text.exit_code, 0) << text.out;
    const double cer = testing::OcrCer(tmp.path(), truth, text.out);
    std::printf("[ reading-order ] %s: pdftotext CER %.3f\n", Describe(layout).c_str(), cer);
    // The OCR of these clean pages is near perfect; lines read across the
    // gutter give a CER of 0.5 and more.
    EXPECT_LT(cer, 0.12) << text.out;
  }
}

}  // namespace
}  // namespace dossier
