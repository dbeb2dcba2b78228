// Cover sheets: payload format, detection on printed-and-scanned sheets
// (200/300 dpi, skewed, bilevel), and batch splitting in ingest.
#include "capture/cover_sheet.h"

#include <gtest/gtest.h>

#include <chrono>
#include <opencv2/imgcodecs.hpp>

#include "archive/cover_sheet_pdf.h"
#include "core/file_util.h"
#include "pipeline/ingest.h"
#include "pipeline/station.h"
#include "records/coding_rule.h"
#include "tests/station/station_util.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using capture::CoverDetection;
using capture::CoverSheet;

TEST(CoverPayload, RoundTripsWithAChineseTitle) {
  CoverSheet sheet{"KH-2026-000001-7", "contract", "服务合同; 100% = ok"};
  auto payload = capture::FormatCoverPayload(sheet);
  ASSERT_TRUE(payload.has_value()) << payload.error().message;
  EXPECT_TRUE(payload->starts_with(
      "DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract;ti="));
  EXPECT_EQ(payload->find(' '), std::string::npos);
  auto back = capture::ParseCoverPayload(*payload);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->customer_code, sheet.customer_code);
  EXPECT_EQ(back->type, sheet.type);
  EXPECT_EQ(back->title, sheet.title);
  auto no_title = capture::FormatCoverPayload({"KH-2026-000001-7", "form", ""});
  ASSERT_TRUE(no_title.has_value());
  EXPECT_EQ(*no_title, "DOSSIER-COVER/1;c=KH-2026-000001-7;t=form");
}

TEST(CoverPayload, RefusesHostilePayloads) {
  const std::string ok = "DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract";
  ASSERT_TRUE(capture::ParseCoverPayload(ok).has_value());
  std::vector<std::string> bad = {
      "",
      "DOSSIER-COVER/",
      "DOSSIER-COVER/2;c=KH-2026-000001-7;t=contract",          // newer version
      "DOSSIER-COVER/1",                                        // no fields
      "DOSSIER-COVER/1;c=KH-2026-000001-7",                     // no type
      "DOSSIER-COVER/1;t=contract;c=KH-2026-000001-7",          // wrong order
      "DOSSIER-COVER/1;c=KH-2026-000001-7;c=KH-2026-000001-7",  // duplicate key
      "DOSSIER-COVER/1;c=kh-2026-000001-7;t=contract",          // lower case
      "DOSSIER-COVER/1;c=KH-2026-00001-7;t=contract",        // short sequence
      "DOSSIER-COVER/1;c=KH-2026-000001-7';DROP TABLE;t=x",  // injection
      "DOSSIER-COVER/1;c=KH-2026-000001-7;t=Contract",       // bad type
      "DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract;ti=",   // empty title
      "DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract;ti=%E6%9C",  // cut UTF-8
      "DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract;ti=%zz",     // bad escape
      "DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract;ti=%",       // cut escape
      "DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract;ti=a b",     // raw space
      "DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract;ti=%0A",  // control char
      "DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract;ti=%C0%AF",  // overlong
      "DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract;ti=x;x=y",   // extra field
      ok + ";ti=" + std::string(700, 'a'),                        // too long
      ok + ";ti=" + std::string(201, 'a'),  // title too long
      std::string("DOSSIER-COVER/1;c=KH-2026-000001-7;t=con\0tract", 47),
  };
  for (const auto& p : bad) {
    auto r = capture::ParseCoverPayload(p);
    EXPECT_FALSE(r.has_value()) << "accepted: " << p;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
  }
  // Random bytes never crash the parser.
  std::string noise = "DOSSIER-COVER/1;";
  for (int i = 0; i < 2000; ++i) {
    noise += static_cast<char>((i * 7919) % 256);
    (void)capture::ParseCoverPayload(noise);
  }
  EXPECT_FALSE(
      capture::FormatCoverPayload({"KH-1", "contract", ""}).has_value());
  EXPECT_FALSE(
      capture::FormatCoverPayload({"KH-2026-000001-7", "x y", ""}).has_value());
  EXPECT_FALSE(
      capture::FormatCoverPayload({"KH-2026-000001-7", "form", "\xff\xfe"})
          .has_value());
}

class CoverSheetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    station_ = testing::MakeStationArchive(tmp_.path());
    ASSERT_TRUE(station_.archive);
  }

  fs::path CoverPdf(const std::string& code, const std::string& type,
                    const std::string& title, const std::string& name) {
    fs::path path = tmp_.path() / name;
    auto pdf = pipeline::MakeCoverSheetPdf(station_.archive->catalog(),
                                           {code, type, title});
    EXPECT_TRUE(pdf.has_value()) << (pdf ? "" : pdf.error().message);
    if (pdf) {
      EXPECT_TRUE(WriteFileAtomic(path, std::string_view(*pdf)).has_value());
    }
    return path;
  }

  // A PDF page drawn around an arbitrary payload (not made by station.cc).
  fs::path RawPayloadPdf(const std::string& payload, const std::string& name) {
    archive::CoverSheetText text;
    text.payload = payload;
    text.customer_code = "?";
    text.type = "?";
    auto pdf = archive::WriteCoverSheetPdf(text);
    EXPECT_TRUE(pdf.has_value());
    fs::path path = tmp_.path() / name;
    if (pdf) {
      EXPECT_TRUE(WriteFileAtomic(path, std::string_view(*pdf)).has_value());
    }
    return path;
  }

  testing::TempDir tmp_;
  testing::StationArchive station_;
};

TEST_F(CoverSheetTest, UnknownCustomerOrTypeIsRefusedWhenPrinting) {
  auto r = pipeline::MakeCoverSheetPdf(
      station_.archive->catalog(),
      {records::FormatCustomerCode("KH", 2026, 99), "contract", ""});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  r = pipeline::MakeCoverSheetPdf(station_.archive->catalog(),
                                  {station_.customer_a, "recipe", ""});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(CoverSheetTest, DetectedOnPrintedSheetsAt200And300DpiSkewedAndBilevel) {
  fs::path pdf =
      CoverPdf(station_.customer_a, "contract", "服务合同", "cover.pdf");
  auto text = testing::RunCommand("pdftotext " +
                                  testing::ShellQuote(pdf.string()) + " -");
  EXPECT_NE(text.out.find(station_.customer_a), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("contract"), std::string::npos);
  for (int dpi : {200, 300}) {
    cv::Mat page = testing::RenderPdf(pdf, dpi);
    ASSERT_FALSE(page.empty());
    for (double angle : {0.0, 3.0, -5.0, 90.0, 180.0}) {
      for (bool bilevel : {false, true}) {
        cv::Mat img = angle == 0 ? page : testing::Rotate(page, angle);
        if (bilevel) img = testing::Binarize(img);
        auto start = std::chrono::steady_clock::now();
        auto found = capture::DetectCoverSheet(img, dpi, "cover.pdf");
        double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count();
        SCOPED_TRACE(::testing::Message()
                     << dpi << " dpi, " << angle << "°, "
                     << (bilevel ? "bilevel" : "gray") << ", " << ms << " ms");
        ASSERT_EQ(found.kind, CoverDetection::Kind::kCover);
        EXPECT_EQ(found.sheet.customer_code, station_.customer_a);
        EXPECT_EQ(found.sheet.type, "contract");
        EXPECT_EQ(found.sheet.title, "服务合同");
      }
    }
  }
}

TEST_F(CoverSheetTest, OtherBarcodesAndPlainPagesAreNotCovers) {
  cv::Mat foreign =
      testing::RenderPdf(RawPayloadPdf("https://example.com/x", "f.pdf"), 200);
  EXPECT_EQ(capture::DetectCoverSheet(foreign, 200, "f").kind,
            CoverDetection::Kind::kNone);
  for (double dpi : {200.0, 300.0}) {
    cv::Mat plain = testing::TextPage("plain", dpi);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(capture::DetectCoverSheet(plain, dpi, "p").kind,
              CoverDetection::Kind::kNone);
    double ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - start)
                    .count();
    std::printf("cover check of a plain %g dpi page: %.0f ms\n", dpi, ms);
    EXPECT_LT(ms, 1500);  // small next to OCR's seconds per page
  }
  cv::Mat hostile = testing::RenderPdf(
      RawPayloadPdf("DOSSIER-COVER/1;c=KH-2026-000001-7;t=contract;ti=%zz",
                    "h.pdf"),
      200);
  auto found = capture::DetectCoverSheet(hostile, 200, "h.pdf #1");
  EXPECT_EQ(found.kind, CoverDetection::Kind::kInvalid);
  ASSERT_TRUE(found.warning.has_value());
  EXPECT_NE(found.warning->message.find("h.pdf #1"), std::string::npos);
}

TEST_F(CoverSheetTest, IngestSplitsAMultiPageTiffAtCoverSheets) {
  const int dpi = 200;
  cv::Mat cover_a = testing::Binarize(testing::Rotate(
      testing::RenderPdf(
          CoverPdf(station_.customer_a, "contract", "租赁合同", "a.pdf"), dpi),
      2.0));
  cv::Mat cover_b = testing::RenderPdf(
      CoverPdf(station_.customer_b, "form", "", "b.pdf"), dpi);
  cv::Mat cover_unknown = testing::RenderPdf(
      RawPayloadPdf(
          *capture::FormatCoverPayload(
              {records::FormatCustomerCode("KH", 2026, 99), "contract", ""}),
          "u.pdf"),
      dpi);
  cv::Mat foreign =
      testing::RenderPdf(RawPayloadPdf("ISBN 978-7-111", "f.pdf"), dpi);
  // [loose page, cover A, page, page, cover B, page with a foreign QR,
  //  cover (unknown customer), page]
  std::vector<cv::Mat> pages = {testing::TextPage("loose", dpi),
                                cover_a,
                                testing::TextPage("a1", dpi),
                                testing::TextPage("a2", dpi),
                                cover_b,
                                foreign,
                                cover_unknown,
                                testing::TextPage("u1", dpi)};
  fs::path tiff = tmp_.path() / "stack.tif";
  ASSERT_TRUE(cv::imwritemulti(tiff.string(), pages));

  auto review =
      pipeline::EnsureReviewCustomer(station_.archive->catalog(), "tester");
  ASSERT_TRUE(review.has_value()) << review.error().message;
  pipeline::IngestOptions o;
  o.files = {tiff};
  o.split_on_cover_sheets = true;
  o.review_customer_code = *review;
  o.actor = "tester";
  o.null_ocr = true;
  o.jobs = 2;
  o.read.fallback_dpi = dpi;
  auto report = pipeline::RunIngest(*station_.archive, o);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->cover_sheets, 3);
  EXPECT_EQ(report->pages, 5);  // covers are not archived
  ASSERT_EQ(report->stored(), 4);
  ASSERT_EQ(report->documents.size(), 4u);
  const auto& d = report->documents;
  // Pages before the first sheet: review.
  EXPECT_EQ(d[0].record.customer_code, *review);
  EXPECT_EQ(d[0].record.status, "pending");
  EXPECT_EQ(d[0].record.page_count, 1);
  ASSERT_FALSE(d[0].record.warnings.empty());
  EXPECT_EQ(d[0].record.warnings[0].code, "needs-review");
  EXPECT_NE(
      d[0].record.warnings[0].message.find("before the first cover sheet"),
      std::string::npos);
  // Cover A.
  EXPECT_EQ(d[1].record.customer_code, station_.customer_a);
  EXPECT_EQ(d[1].record.type, "contract");
  EXPECT_EQ(d[1].record.title, "租赁合同");
  EXPECT_EQ(d[1].record.page_count, 2);
  // Cover B; the page with someone else's QR code is an ordinary page.
  EXPECT_EQ(d[2].record.customer_code, station_.customer_b);
  EXPECT_EQ(d[2].record.type, "form");
  EXPECT_EQ(d[2].record.page_count, 1);
  // Unknown customer: review, saying which code.
  EXPECT_EQ(d[3].record.customer_code, *review);
  EXPECT_EQ(d[3].record.page_count, 1);
  ASSERT_FALSE(d[3].record.warnings.empty());
  EXPECT_NE(d[3].record.warnings[0].message.find(
                records::FormatCustomerCode("KH", 2026, 99)),
            std::string::npos);
  auto pages_a = station_.archive->catalog().GetPages(d[1].record.id, false);
  ASSERT_TRUE(pages_a.has_value());
  EXPECT_EQ((*pages_a)[0].source_index, 2);
  EXPECT_EQ((*pages_a)[1].source_index, 3);

  // The same stack again: all duplicates, nothing new.
  auto again = pipeline::RunIngest(*station_.archive, o);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->stored(), 0);
  EXPECT_EQ(again->duplicates(), 4);
}

TEST_F(CoverSheetTest, SplitNeedsAHoldingCustomer) {
  pipeline::IngestOptions o;
  o.files = {tmp_.path() / "x.png"};
  o.split_on_cover_sheets = true;
  o.actor = "tester";
  o.null_ocr = true;
  auto r = pipeline::RunIngest(*station_.archive, o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace dossier
