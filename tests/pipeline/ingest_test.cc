// Ingest pipeline tests with the null OCR engine: document grouping,
// idempotency, error isolation and durability, without OCR's cost.
#include "pipeline/ingest.h"

#include <gtest/gtest.h>

#include <pthread.h>
#include <sched.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fmt/format.h>

#include "core/file_util.h"
#include "core/hash.h"
#include "storage/backup.h"
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

// on_page runs on the worker that processed the page: workers are
// background threads unless the ingest asks for normal priority.
TEST_F(IngestTest, OcrWorkersRunInTheBackgroundUnlessAskedNotTo) {
  for (const bool background : {true, false}) {
    std::vector<int> policies;
    IngestCallbacks callbacks;
    callbacks.on_page = [&](const PageEvent&) {
      int policy = -1;
      sched_param param{};
      pthread_getschedparam(pthread_self(), &policy, &param);
      policies.push_back(policy);
    };
    auto o = Options({WritePng(fmt::format("bg-{}.png", background))});
    o.background = background;
    auto report = RunIngest(*archive_, o, callbacks);
    ASSERT_TRUE(report.has_value()) << report.error().message;
    ASSERT_EQ(policies.size(), 1u);
    EXPECT_EQ(policies[0] == SCHED_BATCH, background) << "policy " << policies[0];
  }
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


// Pages to PDF with img2pdf, at 150 dpi.
fs::path ScannedPdf(const fs::path& dir, const std::vector<cv::Mat>& pages,
                    const std::string& name) {
  std::string cmd = "img2pdf";
  for (size_t i = 0; i < pages.size(); ++i) {
    fs::path raw = dir / fmt::format("{}-{}-raw.png", name, i);
    fs::path png = dir / fmt::format("{}-{}.png", name, i);
    EXPECT_TRUE(cv::imwrite(raw.string(), pages[i]));
    auto r = testing::RunCommand(fmt::format(
        "convert {} -units PixelsPerInch -density 150 {}",
        testing::ShellQuote(raw.string()), testing::ShellQuote(png.string())));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    cmd += " " + testing::ShellQuote(png.string());
  }
  fs::path out = dir / name;
  auto r = testing::RunCommand(cmd + " -o " + testing::ShellQuote(out.string()));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return out;
}

int CountWarnings(const std::vector<Warning>& warnings, const std::string& code) {
  return static_cast<int>(std::count_if(warnings.begin(), warnings.end(),
                                        [&](const Warning& w) { return w.code == code; }));
}

TEST_F(IngestTest, AThreePageScannedPdfIsOneDocumentAndKeptAsReceived) {
  fs::path pdf = ScannedPdf(tmp_.path(), {Page("one"), Page("two"), Page("three")},
                            "mfp-scan.pdf");
  auto report = RunIngest(*archive_, Options({pdf}));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_EQ(report->stored(), 1) << (report->documents[0].error
                                         ? report->documents[0].error->message
                                         : "");
  const auto& rec = report->documents[0].record;
  EXPECT_EQ(rec.page_count, 3);
  auto pages = archive_->catalog().GetPages(rec.id, false);
  ASSERT_TRUE(pages.has_value());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*pages)[i].source_index, i);
    EXPECT_NEAR((*pages)[i].dpi, 150, 1);
    EXPECT_EQ((*pages)[i].width, 850);  // the scan's own pixels
    EXPECT_EQ((*pages)[i].phash.size(), 64u);
  }
  // The PDF as received is kept with the document, byte for byte.
  auto files = archive_->catalog().GetDocumentFiles(rec.id);
  ASSERT_TRUE(files.has_value());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].role, "original");
  EXPECT_EQ((*files)[0].media_type, "application/pdf");
  EXPECT_EQ((*files)[0].sha256, *Sha256File(pdf));
  EXPECT_EQ(*ReadFile(archive_->files().PathFor((*files)[0].sha256)), *ReadFile(pdf));
  // `backup sweep` removes objects no document names; the kept PDF is named.
  auto swept = storage::SweepFileStore(tmp_.path() / "archive", std::chrono::seconds(0),
                                       false);
  ASSERT_TRUE(swept.has_value()) << swept.error().message;
  EXPECT_EQ(swept->orphans_removed, 0);
  EXPECT_TRUE(archive_->files().Contains((*files)[0].sha256));
  // The same PDF again is the same document.
  auto again = RunIngest(*archive_, Options({pdf}));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->duplicates(), 1);
  EXPECT_EQ(again->documents[0].record.id, rec.id);
}

TEST_F(IngestTest, APdfWithATextLayerIsTakenAgainAndItsOriginalKept) {
  // Dossier's own PDF/A output: a scan with a text layer (OCR'd in English).
  auto ocr = Options({WritePng("typed.png")});
  ocr.null_ocr = false;
  ocr.ocr.languages = "eng";
  ocr.jobs = 1;
  auto first = RunIngest(*archive_, ocr);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->stored(), 1);
  fs::path ocred = tmp_.path() / "with-text.pdf";
  fs::copy_file(archive_->files().PathFor(first->documents[0].record.pdf_sha256), ocred);
  auto o = Options({ocred});
  auto report = RunIngest(*archive_, o);
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->stored(), 1) << (report->documents[0].error
                                         ? report->documents[0].error->message
                                         : "");
  EXPECT_EQ(CountWarnings(report->documents[0].warnings, "pdf-text-layer"), 1);
  auto files = archive_->catalog().GetDocumentFiles(report->documents[0].record.id);
  ASSERT_TRUE(files.has_value());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].sha256, *Sha256File(ocred));
}

TEST_F(IngestTest, EncryptedBrokenAndBornDigitalPdfsFailAloneNamingTheFile) {
  fs::path good = ScannedPdf(tmp_.path(), {Page("good")}, "good.pdf");
  fs::path locked = tmp_.path() / "locked.pdf";
  auto r = testing::RunCommand(fmt::format("qpdf --encrypt pw pw 256 -- {} {}",
                                           testing::ShellQuote(good.string()),
                                           testing::ShellQuote(locked.string())));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  fs::path broken = tmp_.path() / "broken.pdf";
  ASSERT_TRUE(WriteFileAtomic(broken, std::string_view("%PDF-1.4\ngarbage\n%%EOF\n")));
  auto report = RunIngest(*archive_, Options({locked, broken, good}));
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->documents.size(), 3u);
  ASSERT_TRUE(report->documents[0].error.has_value());
  EXPECT_NE(report->documents[0].error->message.find("locked.pdf"), std::string::npos);
  EXPECT_NE(report->documents[0].error->message.find("password"), std::string::npos);
  ASSERT_TRUE(report->documents[1].error.has_value());
  EXPECT_NE(report->documents[1].error->message.find("broken.pdf: damaged PDF"),
            std::string::npos);
  EXPECT_TRUE(report->documents[2].stored);
}

TEST_F(IngestTest, DroppedBlankPagesAreKeptWithTheDocumentAndASignatureIsNotBlank) {
  fs::path tiff = tmp_.path() / "duplex-signed.tif";
  cv::Mat blank(1100, 850, CV_8UC1, cv::Scalar(245));
  cv::Mat signed_back = blank.clone();
  // A small signature in the bottom-right corner, 8 mm from the edges.
  std::vector<cv::Point> curve;
  for (int i = 0; i <= 40; ++i) {
    curve.emplace_back(700 + i * 2, 1030 + static_cast<int>(8 * std::sin(i * 0.5)));
  }
  cv::polylines(signed_back, curve, false, cv::Scalar(60), 2, cv::LINE_AA);
  cv::Mat black(1100, 850, CV_8UC1, cv::Scalar(8));
  ASSERT_TRUE(cv::imwritemulti(
      tiff.string(), std::vector<cv::Mat>{Page("front"), blank, signed_back, black}));
  auto o = Options({tiff});
  o.drop_blank_pages = true;
  auto report = RunIngest(*archive_, o);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_EQ(report->stored(), 1);
  const auto& outcome = report->documents[0];
  EXPECT_EQ(outcome.record.page_count, 3) << "front, signed back, black page kept";
  EXPECT_EQ(CountWarnings(outcome.warnings, "dropped-blank"), 1);
  EXPECT_EQ(CountWarnings(outcome.warnings, "scanner-fault"), 1);
  auto files = archive_->catalog().GetDocumentFiles(outcome.record.id);
  ASSERT_TRUE(files.has_value());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].role, "dropped-page");
  EXPECT_EQ((*files)[0].source_index, 1);
  auto bytes = ReadFile(archive_->files().PathFor((*files)[0].sha256));
  ASSERT_TRUE(bytes.has_value());
  cv::Mat image = cv::imdecode(std::vector<uchar>(bytes->begin(), bytes->end()),
                               cv::IMREAD_GRAYSCALE);
  EXPECT_EQ(image.cols, 850) << "the dropped page's image can be opened";
  EXPECT_EQ(image.rows, 1100);
}

// A page unlike Page(): a table of boxes and a large heading.
cv::Mat OtherPage() {
  cv::Mat page(1100, 850, CV_8UC1, cv::Scalar(255));
  cv::putText(page, "INVOICE", {200, 200}, cv::FONT_HERSHEY_DUPLEX, 3.0, cv::Scalar(0), 6);
  for (int r = 0; r < 5; ++r) {
    cv::rectangle(page, {100, 350 + r * 120}, {750, 450 + r * 120}, cv::Scalar(0), 3);
  }
  cv::circle(page, {650, 950}, 80, cv::Scalar(0), 5);
  return page;
}

TEST_F(IngestTest, TheSamePageAgainInAnotherFormatOrTurnedIsFlaggedNeverMerged) {
  fs::path png = WritePng("original.png");
  auto first = RunIngest(*archive_, Options({png}));
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->stored(), 1);
  const std::string original_id = first->documents[0].record.display_id;
  const cv::Mat page = Page("original.png");
  fs::path jpg = tmp_.path() / "again.jpg";
  cv::imwrite(jpg.string(), page, {cv::IMWRITE_JPEG_QUALITY, 40});
  cv::Mat turned;
  cv::rotate(page, turned, cv::ROTATE_90_CLOCKWISE);
  fs::path tif = tmp_.path() / "turned.tif";
  cv::imwrite(tif.string(), turned);
  cv::rotate(page, turned, cv::ROTATE_180);
  fs::path upside = tmp_.path() / "upside-down.png";
  cv::imwrite(upside.string(), turned);
  fs::path other = tmp_.path() / "other.png";
  cv::imwrite(other.string(), OtherPage());
  auto report = RunIngest(*archive_, Options({jpg, tif, upside, other}));
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->stored(), 4) << "a likely duplicate is stored, never merged";
  for (int i = 0; i < 3; ++i) {
    const auto& d = report->documents[i];
    ASSERT_GE(CountWarnings(d.warnings, "likely-duplicate"), 1) << d.inputs.front();
    bool names_original = false;
    for (const auto& w : d.warnings) {
      if (w.code == "likely-duplicate" &&
          w.message.find(original_id + " page 1") != std::string::npos) {
        names_original = true;
      }
    }
    EXPECT_TRUE(names_original) << d.inputs.front();
    EXPECT_NE(d.record.id, first->documents[0].record.id);
  }
  EXPECT_EQ(CountWarnings(report->documents[3].warnings, "likely-duplicate"), 0);
  // The flag is kept with the document, for review. (Documents of one batch
  // commit in the order their pages finish, so a copy may also be flagged
  // against another copy stored before it.)
  auto kept = archive_->catalog().GetDocument(report->documents[0].record.display_id);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(CountWarnings(kept->warnings, "likely-duplicate"),
            CountWarnings(report->documents[0].warnings, "likely-duplicate"));
  EXPECT_GE(CountWarnings(kept->warnings, "likely-duplicate"), 1);
}


// A form at 200 dpi: the same printed layout for every fill, different
// filled-in values.
cv::Mat FilledForm(int fill) {
  cv::Mat page(2339, 1654, CV_8UC1, cv::Scalar(250));
  cv::putText(page, "SERVICE APPLICATION FORM", {260, 200}, cv::FONT_HERSHEY_DUPLEX, 2.0,
              cv::Scalar(0), 4);
  const char* labels[] = {"Name", "Company", "Phone", "Address", "Amount", "Date"};
  const char* names[] = {"Li Wei", "Zhang San", "Wang Fang", "Chen Jie"};
  const char* companies[] = {"Mingchuan Trading", "Huaxin Logistics", "Dongfang Foods",
                             "Xinda Machinery"};
  const char* streets[] = {"88 Century Avenue", "12 Nanjing Road", "7 Huaihai Street",
                           "301 Zhongshan Park"};
  for (int i = 0; i < 6; ++i) {
    const int y = 400 + i * 260;
    cv::putText(page, labels[i], {150, y}, cv::FONT_HERSHEY_SIMPLEX, 1.3, cv::Scalar(0), 3);
    cv::rectangle(page, {520, y - 70}, {1500, y + 40}, cv::Scalar(0), 3);
    std::string value;
    switch (i) {
      case 0: value = names[fill]; break;
      case 1: value = companies[fill]; break;
      case 2: value = fmt::format("138{:08d}", 12345678 + fill * 7654321); break;
      case 3: value = streets[fill]; break;
      case 4: value = fmt::format("{} yuan", 1000 + fill * 2750); break;
      default: value = fmt::format("2026-0{}-1{}", fill + 2, fill + 3); break;
    }
    cv::putText(page, value, {560, y}, cv::FONT_HERSHEY_SIMPLEX, 1.3, cv::Scalar(30), 3);
  }
  return page;
}

TEST_F(IngestTest, FormsOfOneLayoutAreNotDuplicatesButARescanIs) {
  std::vector<fs::path> forms;
  for (int i = 0; i < 3; ++i) {
    fs::path p = tmp_.path() / fmt::format("form-{}.png", i);
    cv::imwrite(p.string(), FilledForm(i));
    forms.push_back(p);
  }
  // Form 0 scanned again: shifted, a little skewed, noisier, as JPEG.
  cv::Mat form0 = FilledForm(0);
  cv::Mat m = cv::getRotationMatrix2D({827, 1170}, 0.5, 1.0);
  m.at<double>(0, 2) += 30;
  m.at<double>(1, 2) += 25;
  cv::Mat rescan;
  cv::warpAffine(form0, rescan, m, form0.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(245));
  fs::path rescanned = tmp_.path() / "form-0-rescan.jpg";
  cv::imwrite(rescanned.string(), rescan, {cv::IMWRITE_JPEG_QUALITY, 70});
  auto o = Options(forms);
  o.null_ocr = false;
  o.ocr.languages = "eng";
  auto first = RunIngest(*archive_, o);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  ASSERT_EQ(first->stored(), 3);
  int flagged_forms = 0;
  for (const auto& d : first->documents) {
    flagged_forms += CountWarnings(d.warnings, "likely-duplicate") > 0;
  }
  std::printf("[ duplicates ] forms of one layout, different fill: %d of 3 documents flagged\n",
              flagged_forms);
  EXPECT_EQ(flagged_forms, 0) << "the same layout filled differently is not a duplicate";
  o.files = {rescanned};
  auto second = RunIngest(*archive_, o);
  ASSERT_TRUE(second.has_value());
  ASSERT_EQ(second->stored(), 1);
  const auto& w = second->documents[0].warnings;
  ASSERT_EQ(CountWarnings(w, "likely-duplicate"), 1) << "only form 0, not its siblings";
  for (const auto& x : w) {
    if (x.code != "likely-duplicate") continue;
    std::printf("[ duplicates ] rescan: %s\n", x.message.c_str());
    EXPECT_NE(x.message.find(first->documents[0].record.display_id + " page 1"),
              std::string::npos)
        << x.message;
    EXPECT_NE(x.message.find("text"), std::string::npos);
  }
}

}  // namespace
}  // namespace dossier::pipeline
