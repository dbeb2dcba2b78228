// The languages chosen per page (ocr/language_choice.h) read generated
// pages at least as well as today's one set for all, chi_sim+eng: real
// Tesseract through the page pipeline, CER from the shared scorer.
// Chinese, English and bilingual pages in several fonts, sizes, noise,
// skews and orientations (samples/page_renderer.h, samples/scan_effects.h).
// Chinese pages must get the Han model alone, pages set in vertical
// columns the vertical model.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ocr/engine.h"
#include "ocr/language_choice.h"
#include "pipeline/page_processor.h"
#include "samples/page_renderer.h"
#include "samples/scan_effects.h"
#include "tests/support/ocr_score.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

constexpr const char* kCjkFont = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
constexpr const char* kSerifFont = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
constexpr const char* kSansFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// Clauses of a service contract in both languages; a page takes a few,
// starting at its own offset, so no two pages print the same text.
const std::vector<std::string> kChinese = {
    "甲方委托乙方提供档案整理与数字化服务，服务期限为十二个月，自本合同签订之日起计算。",
    "乙方应当按照甲方的要求对纸质档案进行清点、编号、扫描和装订，并在每月五日前提交工作报告。",
    "合同总金额为人民币叁拾陆万元整，甲方分三期支付，每期付款前乙方应开具合法有效的增值税发票。",
    "双方对在履行本合同过程中知悉的客户信息负有保密义务，未经对方书面同意不得向第三方披露。",
    "因不可抗力导致合同无法履行的，受影响一方应在十日内书面通知对方，并提供相关证明材料。",
    "本合同一式两份，双方各执一份，具有同等法律效力，未尽事宜由双方另行协商并签订补充协议。",
    "客户档案借阅须经档案管理员登记，借阅期限不超过三十日，逾期未还的应当说明理由并办理续借。",
    "如发生争议，双方应友好协商解决；协商不成的，任何一方均可向合同签订地人民法院提起诉讼。",
};
const std::vector<std::string> kEnglish = {
    "The Client engages the Contractor to sort, index and scan its paper records for a term of twelve months from the date of signature.",
    "The Contractor shall count, number, scan and bind the files as the Client directs and deliver a written report before the fifth day of each month.",
    "The total price is three hundred and sixty thousand yuan, paid in three instalments, each against a valid invoice issued by the Contractor.",
    "Both parties shall keep confidential all customer information learned in performing this agreement and shall not disclose it without written consent.",
    "A party prevented from performing by force majeure shall notify the other in writing within ten days and provide evidence of the event.",
    "This agreement is made in two copies of equal force, one for each party; matters not covered here are settled by a supplementary agreement.",
    "Files may be borrowed only after the archivist has recorded the loan; a loan lasts at most thirty days and may be renewed once on request.",
    "Disputes shall be settled by friendly negotiation; failing that, either party may bring the matter before the court where this agreement was signed.",
};

// Lines of a contract's head: numbers, dates, codes and amounts, where a
// Latin model competes with the Han one on a Chinese page.
const std::vector<std::string> kChineseHead = {
    "合同编号：HT-2026-0315    签订日期：2026年3月15日",
    "甲方：上海明川贸易有限公司  统一社会信用代码：91310115MA1K4LXR2B",
    "联系电话：021-6238 5190  传真：021-6238 5191  邮编：200120",
    "合同金额：¥360,000.00（人民币叁拾陆万元整）  账号：6222 0210 0103 8847",
    "乙方：北京恒远档案服务有限公司  地址：北京市海淀区中关村南大街27号B座",
};
const std::vector<std::string> kEnglishHead = {
    "Agreement No. HT-2026-0315    Date: 15 March 2026",
    "Client: Shanghai Mingchuan Trading Co., Ltd.  Code: 91310115MA1K4LXR2B",
    "Telephone: 021-6238 5190  Fax: 021-6238 5191  Post code: 200120",
    "Price: CNY 360,000.00  Account: 6222 0210 0103 8847",
    "Contractor: Beijing Hengyuan Records Ltd., 27 Zhongguancun South Street",
};

enum class Kind { kChinese, kEnglish, kMixed, kVertical };

struct Variant {
  Kind kind;
  const char* font;
  int font_px;
  int rotation;  // degrees clockwise the page lies turned on the scanner
  int seed;
  double blur = 0.8;   // sigma, pixels at 300 dpi
  double noise = 4.0;  // grey levels
  int dpi = 300;       // of the scan; the page is drawn at 300
  int jpeg_quality = 0;  // 0: no JPEG compression
};

const char* KindName(Kind k) {
  return k == Kind::kChinese   ? "Chinese"
         : k == Kind::kEnglish ? "English"
         : k == Kind::kMixed   ? "mixed"
                               : "vertical";
}

struct GeneratedPage {
  cv::Mat scan;  // grey
  int dpi = 300;
  std::string truth;
};

GeneratedPage Generate(const Variant& v) {
  samples::PageSpec spec;
  spec.name = "language-choice";
  spec.line_spacing = 1.8;
  const bool zh = v.kind != Kind::kEnglish;
  if (v.kind == Kind::kVertical) {
    // Columns of Chinese clauses, right to left (竖排).
    std::string text;
    for (int i = 0; i < 3; ++i) text += kChinese[static_cast<size_t>(v.seed + i) % kChinese.size()];
    spec.blocks.push_back(samples::VerticalText{text, v.font_px, 22 * v.font_px});
  } else {
  spec.blocks.push_back(samples::Line{
      v.kind == Kind::kEnglish ? "Records Service Agreement"
      : v.kind == Kind::kChinese ? "档案整理服务合同" : "档案整理服务合同 Records Service Agreement",
      v.font_px + 12, samples::Align::kCenter});
  for (int i = 0; i < 2; ++i) {
    const size_t at = static_cast<size_t>(v.seed + i) % kChineseHead.size();
    if (zh) spec.blocks.push_back(samples::Line{kChineseHead[at], v.font_px});
    if (v.kind != Kind::kChinese) spec.blocks.push_back(samples::Line{kEnglishHead[at], v.font_px});
  }
  for (int i = 0; i < 3; ++i) {
    const size_t at = static_cast<size_t>(v.seed + i) % kChinese.size();
    if (zh) spec.blocks.push_back(samples::Paragraph{kChinese[at], v.font_px, 2 * v.font_px});
    if (v.kind != Kind::kChinese) {
      spec.blocks.push_back(samples::Paragraph{kEnglish[at], v.font_px});
    }
  }
  }
  cv::RNG rng(static_cast<uint64_t>(v.seed));
  samples::PageRenderer renderer(v.font);
  samples::RenderedPage page = renderer.Render(spec, rng);
  // Only the printed part of the sheet: the test reads many pages.
  cv::Mat gray;
  cv::cvtColor(page.image, gray, cv::COLOR_BGR2GRAY);
  int bottom = 0;
  for (int y = 0; y < gray.rows; ++y) {
    if (cv::countNonZero(gray.row(y) < 128) > 0) bottom = y;
  }
  cv::Mat clean = page.image.rowRange(0, std::min(gray.rows, bottom + 240)).clone();
  samples::ScanParams params =
      samples::RandomScanParams(rng, false, v.rotation == 180 ? 180 : 0);
  params.blur_sigma = v.blur;
  params.noise_sigma = v.noise;
  GeneratedPage out;
  out.scan = samples::SimulateScan(clean, params, rng);
  out.dpi = v.dpi;
  if (v.dpi != samples::kDpi) {
    const double f = static_cast<double>(v.dpi) / samples::kDpi;
    cv::resize(out.scan, out.scan, {}, f, f, cv::INTER_AREA);
  }
  if (v.jpeg_quality > 0) {
    std::vector<uchar> bytes;
    cv::imencode(".jpg", out.scan, bytes, {cv::IMWRITE_JPEG_QUALITY, v.jpeg_quality});
    out.scan = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
  }
  if (v.rotation == 90) cv::rotate(out.scan, out.scan, cv::ROTATE_90_CLOCKWISE);
  for (const auto& line : page.lines) out.truth += line + "\n";
  return out;
}

pipeline::PageResult Read(ocr::Engine& engine, const GeneratedPage& page,
                          const ocr::LanguagePolicy& languages) {
  capture::RawPage raw;
  raw.image = page.scan;
  raw.dpi = page.dpi;
  raw.source_file = "generated.png";
  auto result = pipeline::ProcessPage(engine, raw, {}, {}, languages);
  EXPECT_TRUE(result.has_value()) << result.error().message;
  return result ? std::move(*result) : pipeline::PageResult{};
}

// Two readings of the same page can differ by a character or two where
// the sets agree on the model but not on a marginal glyph.
constexpr double kPageTolerance = 0.01;

TEST(LanguageChoiceOcr, ChinesePagesGetTheHanModelAndNoPageReadsWorse) {
  auto engine = ocr::MakeTesseractEngine({"chi_sim+eng", ""});
  ASSERT_TRUE(engine.has_value()) << engine.error().message;
  const auto chosen = ocr::LanguagePolicy::FromOption(ocr::kAutoLanguages);
  const auto today = ocr::LanguagePolicy::FromOption("chi_sim+eng");
  // Clean to hard: the harder pages (blur, noise, 200 dpi, small print)
  // are where the sets differ.
  const std::vector<Variant> variants = {
      {Kind::kChinese, kCjkFont, 40, 0, 1, 1.3, 8.0, 200, 45},
      {Kind::kChinese, kCjkFont, 52, 180, 2, 1.0, 5.0, 300},
      {Kind::kChinese, kCjkFont, 46, 90, 3, 1.5, 9.0, 300, 50},
      {Kind::kChinese, kCjkFont, 32, 0, 4, 1.2, 7.0, 200, 40},
      {Kind::kEnglish, kSerifFont, 42, 0, 5, 1.3, 8.0, 200, 45},
      {Kind::kEnglish, kSansFont, 38, 180, 6, 0.8, 4.0, 300},
      {Kind::kEnglish, kCjkFont, 32, 0, 7, 1.2, 7.0, 200, 40},
      {Kind::kMixed, kCjkFont, 44, 0, 8, 0.8, 4.0, 300},
      {Kind::kMixed, kCjkFont, 36, 180, 9, 1.3, 8.0, 200, 45},
      {Kind::kMixed, kCjkFont, 50, 90, 10, 1.5, 9.0, 300, 50},
      {Kind::kVertical, kCjkFont, 48, 0, 11, 0.8, 4.0, 300},
      {Kind::kVertical, kCjkFont, 40, 180, 12, 1.2, 7.0, 200, 45},
  };

  testing::TempDir tmp;
  double sum_chosen[4] = {0, 0, 0, 0}, sum_today[4] = {0, 0, 0, 0};
  for (const Variant& v : variants) {
    const GeneratedPage page = Generate(v);
    const auto mine = Read(**engine, page, chosen);
    const auto base = Read(**engine, page, today);
    const double cer = testing::OcrCer(tmp.path(), page.truth, mine.ocr.text);
    const double cer_today = testing::OcrCer(tmp.path(), page.truth, base.ocr.text);
    std::printf("[ languages ] %-7s %2d px, %3d°: %-11s CER %.3f (chi_sim+eng %.3f) — %s\n",
                KindName(v.kind), v.font_px, v.rotation, mine.languages.languages.c_str(),
                cer, cer_today, mine.languages.reason.c_str());
    const int k = static_cast<int>(v.kind);
    sum_chosen[k] += cer;
    sum_today[k] += cer_today;
    EXPECT_EQ(mine.ocr.languages, mine.languages.languages);
    if (v.kind == Kind::kChinese) {
      EXPECT_EQ(mine.languages.languages, "chi_sim") << mine.languages.reason;
    } else if (v.kind == Kind::kVertical) {
      // Read with the vertical model, columns right to left: a reading in
      // another order would miss most of the text.
      EXPECT_EQ(mine.languages.languages, "chi_sim_vert") << mine.languages.reason;
      EXPECT_LT(cer, 0.15);
    } else {
      EXPECT_NE(mine.languages.languages.find("eng"), std::string::npos)
          << KindName(v.kind) << ": " << mine.languages.reason;
    }
    EXPECT_LE(cer, cer_today + kPageTolerance)
        << KindName(v.kind) << " " << v.font_px << " px, seed " << v.seed;
  }
  for (int k = 0; k < 4; ++k) {
    EXPECT_LE(sum_chosen[k], sum_today[k] + 1e-9) << KindName(static_cast<Kind>(k));
  }
}

}  // namespace
}  // namespace dossier
