// `dossier ingest --crop-to-paper`, run as a user runs it: a generated scan
// of a sheet lying on a dark background is cropped to the sheet only when
// the flag is given, and the crop is named in a warning; without the flag
// the stored page keeps the whole scan.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/capture/paper_scene.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunCommand;
using testing::ShellQuote;

CommandResult Dossier(const fs::path& archive, const std::string& args) {
  return RunCommand(ShellQuote(testing::DossierBinary().string()) + " --archive " +
                    ShellQuote(archive.string()) + " " + args);
}

// The stored width of the first page of a document, from `show --json`.
int StoredPageWidth(const fs::path& archive, const std::string& id) {
  auto show = Dossier(archive, "show " + id + " --json");
  EXPECT_EQ(show.exit_code, 0) << show.out;
  auto doc = nlohmann::json::parse(show.out, nullptr, false);
  if (doc.is_discarded() || !doc.contains("page_list") || doc["page_list"].empty()) {
    ADD_FAILURE() << "no pages in: " << show.out;
    return -1;
  }
  return doc["page_list"][0].value("width", -1);
}

TEST(CropToPaper, ALidOpenScanIsCroppedToTheSheetOnlyWhenAsked) {
  testing::TempDir tmp;
  const fs::path archive = tmp.path() / "archive";
  ASSERT_EQ(RunCommand(ShellQuote(testing::DossierBinary().string()) + " init " +
                       ShellQuote(archive.string())).exit_code, 0);
  auto add = Dossier(archive, "customer add --name 'Northwind Trading Ltd' --kind company");
  ASSERT_EQ(add.exit_code, 0) << add.out;
  const std::string customer = add.out.substr(0, add.out.find('\t'));

  // A4 width at 150 dpi, so the resolution the station assumes for a PNG
  // without one is the scene's own.
  testing_scenes::BorderScene spec;
  spec.scan_width = 1240;
  spec.scan_height = 1754;
  spec.dpi = 150;
  spec.border_fraction = 0.25;
  spec.angle = 1.5;
  spec.seed = 7;
  const testing_scenes::Scene scene = testing_scenes::MakeBorderScene(spec);
  // Two copies one pixel apart, so the second is not taken for the same
  // input as the first.
  const fs::path plain = tmp.path() / "lid-open-1.png";
  const fs::path cropped = tmp.path() / "lid-open-2.png";
  ASSERT_TRUE(cv::imwrite(plain.string(), scene.scan));
  cv::Mat second = scene.scan.clone();
  second.at<unsigned char>(0, 0) ^= 1;
  ASSERT_TRUE(cv::imwrite(cropped.string(), second));

  const std::regex id_re("-> (D\\d{6})");
  std::smatch m;
  auto without = Dossier(archive, "ingest " + ShellQuote(plain.string()) +
                                      " --no-ocr --customer " + customer);
  ASSERT_TRUE(std::regex_search(without.out, m, id_re)) << without.out;
  const std::string plain_id = m[1];
  EXPECT_EQ(without.out.find("cropped to the paper"), std::string::npos) << without.out;

  auto with = Dossier(archive, "ingest " + ShellQuote(cropped.string()) +
                                   " --no-ocr --crop-to-paper --customer " + customer);
  ASSERT_TRUE(std::regex_search(with.out, m, id_re)) << with.out;
  const std::string cropped_id = m[1];
  EXPECT_NE(with.out.find("cropped to the paper"), std::string::npos) << with.out;

  EXPECT_EQ(StoredPageWidth(archive, plain_id), spec.scan_width);
  // The sheet is narrower than the scan and within a few pixels of where
  // the scene put it (turned 1.5 degrees, so its box is a little wider).
  const int width = StoredPageWidth(archive, cropped_id);
  EXPECT_LT(width, spec.scan_width * 0.95) << width;
  EXPECT_NEAR(width, scene.paper_box.width, scene.paper_box.width * 0.06)
      << "paper box " << scene.paper_box.width;
}

}  // namespace
}  // namespace dossier
