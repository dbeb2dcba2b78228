// The stage times of a real ingest (Tesseract, two workers) are reported
// for every stage and add up to the batch's CPU time. Not a speed test: it
// checks presence and consistency only.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "pipeline/ingest.h"
#include "tests/support/test_support.h"

namespace dossier::pipeline {
namespace {

namespace fs = std::filesystem;

cv::Mat Page(const std::string& label, bool upside_down) {
  cv::Mat page(1100, 850, CV_8UC1, cv::Scalar(255));
  for (int y = 150; y < 900; y += 60) {
    cv::putText(page, label + " the quick brown fox jumps", {60, y},
                cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(0), 2);
  }
  if (upside_down) cv::rotate(page, page, cv::ROTATE_180);
  return page;
}

TEST(StageTimes, ARealIngestReportsEveryStageAndTheyAddUpToItsCpuTime) {
  testing::TempDir tmp;
  auto archive = storage::Archive::Init(tmp.path() / "archive");
  ASSERT_TRUE(archive.has_value()) << archive.error().message;
  auto customer = (*archive)->catalog().AddCustomer("Timing Ltd", "company", "tester");
  ASSERT_TRUE(customer.has_value());

  IngestOptions options;
  options.customer_code = customer->code;
  options.actor = "tester";
  options.jobs = 2;
  for (int i = 0; i < 3; ++i) {
    const fs::path file = tmp.path() / ("page" + std::to_string(i) + ".png");
    ASSERT_TRUE(cv::imwrite(file.string(), Page("Page " + std::to_string(i), i == 1)));
    options.files.push_back(file);
  }
  double page_seconds = 0;
  IngestCallbacks callbacks;
  callbacks.on_page = [&](const PageEvent& e) { page_seconds += e.seconds; };
  auto report = RunIngest(**archive, options, callbacks);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_EQ(report->stored(), 3);

  // Every stage ran and was timed.
  for (std::size_t i = 0; i < kStageCount; ++i) {
    const auto stage = static_cast<Stage>(i);
    EXPECT_GT(report->stages[stage].seconds, 0.0) << StageName(stage);
    EXPECT_GE(report->stages[stage].cpu_seconds, 0.0) << StageName(stage);
    EXPECT_LE(report->stages[stage].seconds, 3 * report->seconds) << StageName(stage);
  }
  EXPECT_GT(report->stages[Stage::kOcr].cpu_seconds, 0.0);
  EXPECT_GT(report->stages[Stage::kSetup].cpu_seconds, 0.0);

  // The stages account for the process's CPU time: nothing is counted
  // twice (not more than it), and little is left out.
  const double stages_cpu = report->stages.TotalCpuSeconds();
  EXPECT_GT(report->cpu_seconds, 0.0);
  EXPECT_LE(stages_cpu, report->cpu_seconds * 1.01 + 0.01);
  EXPECT_GE(stages_cpu, report->cpu_seconds * 0.85)
      << "stages " << stages_cpu << " s of " << report->cpu_seconds << " s CPU";

  // The workers' stages are the pages' own time.
  const double worker_wall = report->stages[Stage::kCleanup].seconds +
                             report->stages[Stage::kOrientation].seconds +
                             report->stages[Stage::kOcr].seconds +
                             report->stages[Stage::kEncode].seconds;
  EXPECT_LE(worker_wall, page_seconds * 1.01 + 0.01);
  EXPECT_GE(worker_wall, page_seconds * 0.9);
}

}  // namespace
}  // namespace dossier::pipeline
