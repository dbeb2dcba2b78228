// Ingest pipeline tests with the null OCR engine: document grouping,
// idempotency, error isolation and durability, without OCR's cost.
#include "pipeline/ingest.h"

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/file_util.h"
#include "tests/support/test_support.h"

namespace dossier::pipeline {
namespace {

namespace fs = std::filesystem;

cv::Mat Page(const std::string& label) {
  cv::Mat page(1100, 850, CV_8UC1, cv::Scalar(255));
  for (int y = 150; y < 900; y += 60) {
    cv::putText(page, label + " line of text", {80, y}, cv::FONT_HERSHEY_SIMPLEX, 1.0,
                cv::Scalar(0), 2);
  }
  return page;
}

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto archive = storage::Archive::Init(tmp_.path() / "archive");
    ASSERT_TRUE(archive.has_value()) << archive.error().message;
    archive_ = std::move(*archive);
    auto c = archive_->catalog().AddCustomer("Test Customer Ltd", "company", "tester");
    ASSERT_TRUE(c.has_value());
    customer_ = c->code;
  }

  fs::path WritePng(const std::string& name) {
    fs::path p = tmp_.path() / name;
    cv::imwrite(p.string(), Page(name));
    return p;
  }

  IngestOptions Options(std::vector<fs::path> files) {
    IngestOptions o;
    o.files = std::move(files);
    o.customer_code = customer_;
    o.actor = "tester";
    o.null_ocr = true;
    o.jobs = 2;
    return o;
  }

  testing::TempDir tmp_;
  std::unique_ptr<storage::Archive> archive_;
  std::string customer_;
};

TEST_F(IngestTest, EachFileIsOneDocumentAndAMultiPageTiffIsOne) {
  fs::path tiff = tmp_.path() / "three.tif";
  ASSERT_TRUE(cv::imwritemulti(tiff.string(), std::vector<cv::Mat>{Page("a"), Page("b"), Page("c")}));
  auto report = RunIngest(*archive_, Options({WritePng("one.png"), tiff}));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_EQ(report->stored(), 2);
  EXPECT_EQ(report->pages, 4);
  EXPECT_EQ(report->documents[0].record.page_count, 1);
  EXPECT_EQ(report->documents[1].record.page_count, 3);
  auto pages = archive_->catalog().GetPages(report->documents[1].record.id, false);
  ASSERT_TRUE(pages.has_value());
  ASSERT_EQ(pages->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*pages)[i].number, i + 1);
    EXPECT_EQ((*pages)[i].source_index, i);  // order kept despite parallel workers
  }
}

TEST_F(IngestTest, OneDocumentMergesFilesInOrder) {
  auto o = Options({WritePng("p1.png"), WritePng("p2.png"), WritePng("p3.png")});
  o.one_document = true;
  o.title = "Merged";
  auto report = RunIngest(*archive_, o);
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->stored(), 1);
  const auto& rec = report->documents[0].record;
  EXPECT_EQ(rec.page_count, 3);
  EXPECT_EQ(rec.title, "Merged");
  auto pages = archive_->catalog().GetPages(rec.id, false);
  ASSERT_TRUE(pages.has_value());
  EXPECT_NE((*pages)[0].source_file.find("p1.png"), std::string::npos);
  EXPECT_NE((*pages)[2].source_file.find("p3.png"), std::string::npos);
  // The stored PDF has three pages and its hash names the file.
  auto pdf = archive_->files().Get(rec.pdf_sha256);
  ASSERT_TRUE(pdf.has_value());
  auto info = testing::RunCommand("pdfinfo " +
                                  testing::ShellQuote(archive_->files().PathFor(rec.pdf_sha256).string()));
  EXPECT_NE(info.out.find("Pages:           3"), std::string::npos) << info.out;
}

TEST_F(IngestTest, ABadFileInAMergedDocumentFailsThatDocumentOnly) {
  fs::path bad = tmp_.path() / "bad.png";
  ASSERT_TRUE(WriteFileAtomic(bad, std::string_view("not a png")));
  auto o = Options({WritePng("m1.png"), bad});
  o.one_document = true;
  auto report = RunIngest(*archive_, o);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->stored(), 0);
  ASSERT_EQ(report->failed(), 1);
  EXPECT_NE(report->documents[0].error->message.find("bad.png"), std::string::npos);
  auto docs = archive_->catalog().ListDocuments(customer_);
  ASSERT_TRUE(docs.has_value());
  EXPECT_TRUE(docs->empty());
  // Nothing was written to the file store.
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(archive_->dir() / "objects")) {
    if (e.is_regular_file()) ++files;
  }
  EXPECT_EQ(files, 0u);
}

TEST_F(IngestTest, SecondRunOfTheSameInputIsADuplicate) {
  fs::path p = WritePng("same.png");
  auto first = RunIngest(*archive_, Options({p}));
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->stored(), 1);
  auto second = RunIngest(*archive_, Options({p}));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->stored(), 0);
  EXPECT_EQ(second->duplicates(), 1);
  EXPECT_EQ(second->documents[0].record.id, first->documents[0].record.id);
  // A copy under another name is the same input too.
  fs::copy_file(p, tmp_.path() / "copy.png");
  auto third = RunIngest(*archive_, Options({tmp_.path() / "copy.png"}));
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->duplicates(), 1);
}

TEST_F(IngestTest, RefusesUnknownCustomerAndType) {
  auto o = Options({WritePng("x.png")});
  o.customer_code = "KH-2026-999999-0";
  auto r = RunIngest(*archive_, o);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("KH-2026-999999-0"), std::string::npos);
  o = Options({WritePng("y.png")});
  o.type = "recipe";
  r = RunIngest(*archive_, o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(IngestTest, ReportsEveryPageThroughTheCallback) {
  int pages = 0;
  IngestCallbacks callbacks;
  callbacks.on_page = [&](const PageEvent&) { ++pages; };
  auto report = RunIngest(*archive_, Options({WritePng("c1.png"), WritePng("c2.png")}),
                          callbacks);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(pages, 2);
}

}  // namespace
}  // namespace dossier::pipeline

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace dossier::pipeline {
namespace {

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// A long multi-page TIFF streams through the pipeline: pages are decoded one
// at a time and the worker queue is bounded, so memory does not grow with
// the page count.
TEST_F(IngestTest, LongTiffStreamsWithBoundedMemory) {
  constexpr int kPages = 120;
  const cv::Size size(1240, 1754);  // A4 at 150 dpi: 2.2 MB per decoded page
  fs::path tiff = tmp_.path() / "long.tif";
  // Written by a child process, so making the file does not raise this
  // process's peak memory.
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::vector<cv::Mat> pages;
    for (int i = 0; i < kPages; ++i) {
      cv::Mat page(size, CV_8UC1, cv::Scalar(255));
      cv::putText(page, "page " + std::to_string(i + 1), {100, 200},
                  cv::FONT_HERSHEY_SIMPLEX, 2.0, cv::Scalar(0), 3);
      pages.push_back(page);
    }
    _exit(cv::imwritemulti(tiff.string(), pages) ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const long before = PeakRssKb();
  auto report = RunIngest(*archive_, Options({tiff}));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_EQ(report->stored(), 1);
  EXPECT_EQ(report->documents[0].record.page_count, kPages);
  const long grown_mb = (PeakRssKb() - before) / 1024;
  // Holding every decoded page would take kPages * 2.2 MB = 260 MB.
  EXPECT_LT(grown_mb, 130) << "peak RSS grew by " << grown_mb << " MB";
}

}  // namespace
}  // namespace dossier::pipeline

namespace dossier::pipeline {
namespace {

TEST_F(IngestTest, DropsBlankBacksAndSaysSoButKeepsFaintText) {
  fs::path tiff = tmp_.path() / "duplex.tif";
  cv::Mat blank(1100, 850, CV_8UC1, cv::Scalar(245));
  cv::Mat faint = blank.clone();
  cv::putText(faint, "received", {300, 550}, cv::FONT_HERSHEY_SIMPLEX, 1.0,
              cv::Scalar(170), 2);
  ASSERT_TRUE(cv::imwritemulti(tiff.string(),
                               std::vector<cv::Mat>{Page("front"), blank, faint, blank}));
  auto o = Options({tiff});
  o.drop_blank_pages = true;
  auto report = RunIngest(*archive_, o);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_EQ(report->stored(), 1);
  EXPECT_EQ(report->documents[0].record.page_count, 2);  // front + faint
  int dropped = 0;
  for (const auto& w : report->documents[0].warnings) {
    if (w.code == "dropped-blank") {
      ++dropped;
      EXPECT_NE(w.message.find("duplex.tif"), std::string::npos);
    }
  }
  EXPECT_EQ(dropped, 2);
  // The record of the dropped pages is kept with the document.
  auto doc = archive_->catalog().GetDocument(report->documents[0].record.display_id);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(std::count_if(doc->warnings.begin(), doc->warnings.end(),
                          [](const Warning& w) { return w.code == "dropped-blank"; }),
            2);
}

}  // namespace
}  // namespace dossier::pipeline
