// End-to-end tests of the `dossier` command on generated samples and the
// shared corpus: ingest, export, text extraction, search and the errors a
// station meets. They run the real binary with real OCR.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>

#include "core/file_util.h"
#include "core/hash.h"
#include "tests/support/ocr_score.h"
#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunCommand;
using testing::ShellQuote;

// One archive with one customer per test.
class E2E : public ::testing::Test {
 protected:
  void SetUp() override {
    archive_ = tmp_.path() / "archive";
    auto init = Dossier("init " + ShellQuote(archive_.string()));
    ASSERT_EQ(init.exit_code, 0) << init.out;
    auto add = Dossier("customer add --name '上海明川贸易有限公司' --kind company");
    ASSERT_EQ(add.exit_code, 0) << add.out;
    customer_ = add.out.substr(0, add.out.find('\t'));
    ASSERT_TRUE(std::regex_match(customer_, std::regex("KH-\\d{4}-\\d{6}-[0-9A-Z]")))
        << customer_;
  }

  CommandResult Dossier(const std::string& args) {
    return RunCommand("OMP_THREAD_LIMIT=1 " +
                      ShellQuote(testing::DossierBinary().string()) +
                      " --archive " + ShellQuote(archive_.string()) + " " + args);
  }

  // Ingests and returns the document ids printed ("-> D000001").
  std::vector<std::string> Ingest(const std::string& args, int* exit_code = nullptr) {
    auto r = Dossier("ingest " + args + " --customer " + customer_);
    if (exit_code != nullptr) *exit_code = r.exit_code;
    last_output_ = r.out;
    std::vector<std::string> ids;
    std::regex re("-> (D\\d{6})");
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), re), end; it != end; ++it) {
      ids.push_back((*it)[1]);
    }
    return ids;
  }

  std::string ExportText(const std::string& id) {
    fs::path pdf = tmp_.path() / (id + ".pdf");
    auto r = Dossier("export " + id + " --to " + ShellQuote(pdf.string()) + " --force");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    auto text = RunCommand("pdftotext -enc UTF-8 " + ShellQuote(pdf.string()) + " -");
    EXPECT_EQ(text.exit_code, 0) << text.out;
    return text.out;
  }

  double Cer(const fs::path& reference, const std::string& hypothesis) {
    return testing::OcrCerAgainstFile(reference, hypothesis, tmp_.path());
  }

  testing::TempDir tmp_;
  fs::path archive_;
  std::string customer_;
  std::string last_output_;
};

TEST_F(E2E, ChineseContractRoundTripsThroughThePdfTextLayer) {
  fs::path s = testing::SamplesDir();
  auto ids = Ingest(ShellQuote((s / "zh-contract-1.png").string()) + " " +
                    ShellQuote((s / "zh-contract-2.png").string()) +
                    " --one-document --type contract --title 服务合同");
  ASSERT_EQ(ids.size(), 1u) << last_output_;
  std::string text = ExportText(ids[0]);
  // No spaces between Chinese characters in the text layer.
  EXPECT_NE(text.find("合同编号"), std::string::npos) << text;
  EXPECT_NE(text.find("甲方"), std::string::npos) << text;
  EXPECT_NE(text.find("统一社会信用代码"), std::string::npos) << text;
  auto show = Dossier("show " + ids[0]);
  EXPECT_NE(show.out.find("Pages       2"), std::string::npos) << show.out;
  double cer = Cer(s / "zh-contract-1.txt", text.substr(0, text.find('\f')));
  EXPECT_LT(cer, 0.10) << text;
}

TEST_F(E2E, EnglishAgreementIsExtractableAndSearchable) {
  fs::path s = testing::SamplesDir();
  auto ids = Ingest(ShellQuote((s / "en-agreement.png").string()) + " --type contract");
  ASSERT_EQ(ids.size(), 1u) << last_output_;
  std::string text = ExportText(ids[0]);
  EXPECT_NE(text.find("Agreement"), std::string::npos) << text;
  EXPECT_LT(Cer(s / "en-agreement.txt", text), 0.05) << text;
  // Case-insensitive word search.
  auto hit = Dossier("search AGREEMENT");
  EXPECT_EQ(hit.exit_code, 0);
  EXPECT_NE(hit.out.find(ids[0]), std::string::npos) << hit.out;
  auto miss = Dossier("search zeppelin");
  EXPECT_EQ(miss.out.find(ids[0]), std::string::npos) << miss.out;
}

TEST_F(E2E, SearchFindsOneAndTwoCharacterChineseTermsAndNotAbsentOnes) {
  fs::path page = testing::CorpusDir() / "zh-synth" / "zhsyn-101-01-contract.png";
  auto ids = Ingest(ShellQuote(page.string()) + " --type contract");
  ASSERT_EQ(ids.size(), 1u) << last_output_;
  auto ref = ReadFile(testing::CorpusDir() / "zh-synth" / "zhsyn-101-01-contract.txt");
  ASSERT_TRUE(ref.has_value());
  ASSERT_NE(ref->find("合同"), std::string::npos);
  for (const char* term : {"合同", "甲方", "甲", "同"}) {
    auto r = Dossier(std::string("search ") + term + " --json");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find(ids[0]), std::string::npos) << term << "\n" << r.out;
  }
  // Absent: a character not on the page, and a pair whose characters are on
  // the page but never next to each other, not even across a line break
  // (search joins lines, since Chinese text wraps inside words: 合同 at a
  // line's end and 甲方 on the next one make 同甲).
  std::string joined = *ref;
  std::erase_if(joined, [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
  ASSERT_EQ(joined.find("鲸"), std::string::npos);
  ASSERT_NE(joined.find("甲"), std::string::npos);
  ASSERT_NE(joined.find("同"), std::string::npos);
  for (const char* term : {"鲸", "鲸鱼", "甲同"}) {
    ASSERT_EQ(joined.find(term), std::string::npos);
    auto r = Dossier(std::string("search ") + term + " --json");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(r.out.find(ids[0]), std::string::npos) << term << "\n" << r.out;
  }
  // Text extracted from the PDF scores like the OCR.
  std::string text = ExportText(ids[0]);
  EXPECT_LT(Cer(testing::CorpusDir() / "zh-synth" / "zhsyn-101-01-contract.txt", text),
            0.15);
}

TEST_F(E2E, RotatedPhototestCopiesComeOutUpright) {
  fs::path dir = testing::CorpusDir() / "tesseract-test";
  for (const char* name : {"phototest.tif", "phototest-rotated-180.png",
                           "phototest-rotated-L.png", "phototest-rotated-R.png",
                           "phototestrot.tif"}) {
    auto ids = Ingest(ShellQuote((dir / name).string()) + " --type correspondence --lang eng");
    ASSERT_EQ(ids.size(), 1u) << name << "\n" << last_output_;
    double cer = Cer(dir / "phototest.txt", ExportText(ids[0]));
    EXPECT_LE(cer, 0.05) << name;
  }
}

TEST_F(E2E, BadInputsFailAloneAndTheBatchGoesOn) {
  fs::path bad = tmp_.path() / "bad";
  fs::create_directories(bad);
  std::ofstream(bad / "zero.png").close();
  auto png = ReadFile(testing::SamplesDir() / "en-agreement.png");
  ASSERT_TRUE(png.has_value());
  ASSERT_TRUE(WriteFileAtomic(bad / "truncated.png",
                              std::string_view(*png).substr(0, png->size() / 3)));
  ASSERT_TRUE(WriteFileAtomic(bad / "notes.tif", std::string_view("meeting notes\n")));
  fs::path good = testing::SamplesDir() / "en-agreement.png";
  auto good_hash = Sha256File(good);

  int exit_code = 0;
  auto ids = Ingest(ShellQuote((bad / "zero.png").string()) + " " +
                        ShellQuote(good.string()) + " " +
                        ShellQuote((bad / "truncated.png").string()) + " " +
                        ShellQuote((bad / "notes.tif").string()) + " " +
                        ShellQuote((bad / "missing.jpg").string()),
                    &exit_code);
  EXPECT_EQ(exit_code, 11) << last_output_;  // batch done, some inputs failed
  EXPECT_EQ(ids.size(), 1u) << last_output_;
  for (const char* name : {"zero.png", "truncated.png", "notes.tif", "missing.jpg"}) {
    std::regex line(std::string("error: .*") + name + ": .+");
    EXPECT_TRUE(std::regex_search(last_output_, line)) << name << "\n" << last_output_;
  }
  // The input files are untouched, and nothing half-written is left.
  EXPECT_EQ(*Sha256File(good), *good_hash);
  EXPECT_TRUE(fs::exists(bad / "zero.png"));
  for (auto& e : fs::recursive_directory_iterator(archive_ / "objects")) {
    EXPECT_EQ(e.path().filename().string().rfind(".tmp", 0), std::string::npos)
        << e.path();
  }
  auto show = Dossier("customer show " + customer_);
  EXPECT_EQ(std::count(show.out.begin(), show.out.end(), '\n'), 6) << show.out;
}

TEST_F(E2E, SameInputTwiceIsOneDocument) {
  fs::path good = testing::SamplesDir() / "en-agreement.png";
  auto first = Ingest(ShellQuote(good.string()));
  ASSERT_EQ(first.size(), 1u) << last_output_;
  int exit_code = -1;
  auto second = Ingest(ShellQuote(good.string()), &exit_code);
  EXPECT_TRUE(second.empty()) << last_output_;
  EXPECT_NE(last_output_.find("already ingested as " + first[0]), std::string::npos)
      << last_output_;
  EXPECT_EQ(exit_code, 0);
}

TEST_F(E2E, UnknownCustomerAndMissingArchiveGiveClearErrors) {
  auto r = RunCommand(ShellQuote(testing::DossierBinary().string()) + " --archive " +
                      ShellQuote(archive_.string()) + " ingest x.png --customer KH-2026-999999-0");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("KH-2026-999999-0"), std::string::npos) << r.out;
  auto none = RunCommand(ShellQuote(testing::DossierBinary().string()) + " --archive " +
                         ShellQuote((tmp_.path() / "nowhere").string()) + " search x");
  EXPECT_EQ(none.exit_code, 3) << none.out;
  EXPECT_NE(none.out.find("dossier init"), std::string::npos) << none.out;
}

TEST_F(E2E, HostileQueriesAreNeverSyntaxErrors) {
  for (const char* q : {"\"", "'; DROP TABLE documents; --", "NEAR(", "a AND OR NOT",
                        "*", "(合同"}) {
    auto r = Dossier(std::string("search ") + ShellQuote(q));
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2) << q << "\n" << r.out;
    EXPECT_EQ(r.out.find("syntax error"), std::string::npos) << q << "\n" << r.out;
  }
}

}  // namespace
}  // namespace dossier

namespace dossier {
namespace {

TEST_F(E2E, VerifyFindsAnAlteredFileAndShowKeepsTheResult) {
  fs::path page = testing::CorpusDir() / "tesseract-test" / "phototest.tif";
  auto ids = Ingest(ShellQuote(page.string()) + " --lang eng");
  ASSERT_EQ(ids.size(), 1u) << last_output_;
  auto show = Dossier("show " + ids[0]);
  EXPECT_NE(show.out.find("(ingest by"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("PDF/A ok (PDF/A-2b)"), std::string::npos) << show.out;
  auto ok = Dossier("verify");
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find(ids[0] + "  fixity ok  PDF/A ok (2b)"), std::string::npos) << ok.out;

  // Flip one byte of the stored file.
  fs::path stored;
  for (auto& e : fs::recursive_directory_iterator(archive_ / "objects")) {
    if (e.path().extension() == ".pdf") stored = e.path();
  }
  ASSERT_FALSE(stored.empty());
  fs::permissions(stored, fs::perms::owner_write, fs::perm_options::add);
  auto bytes = ReadFile(stored);
  ASSERT_TRUE(bytes.has_value());
  (*bytes)[bytes->size() / 2] ^= 0x20;
  ASSERT_TRUE(WriteFileAtomic(stored, *bytes).has_value());

  auto bad = Dossier("verify " + ids[0]);
  EXPECT_EQ(bad.exit_code, 12) << bad.out;
  EXPECT_NE(bad.out.find("fixity FAILED"), std::string::npos) << bad.out;
  show = Dossier("show " + ids[0]);
  EXPECT_NE(show.out.find("(verify by"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("fixity FAILED"), std::string::npos) << show.out;
  // An export of a damaged file is refused rather than handing it out.
  auto exported = Dossier("export " + ids[0] + " --to " +
                          ShellQuote((tmp_.path() / "x.pdf").string()));
  EXPECT_NE(exported.exit_code, 0) << exported.out;
  EXPECT_FALSE(fs::exists(tmp_.path() / "x.pdf"));
}

// Run as a user runs it, with nothing about OpenMP in the environment or
// with a limit above one, every OpenMP team inside Tesseract has one
// thread: libgomp, asked to show each team it starts, shows none larger.
TEST_F(E2E, TesseractRunsOneOpenMpThreadPerWorkerWhateverTheEnvironment) {
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"", "en-agreement.png"},
      {"OMP_THREAD_LIMIT=4 OMP_NUM_THREADS=4", "zh-contract-1.png"}};
  for (const auto& [limit, name] : runs) {
    const fs::path page = testing::SamplesDir() / name;
    auto r = RunCommand("env -u OMP_THREAD_LIMIT " + limit +
                        " OMP_DISPLAY_AFFINITY=true OMP_AFFINITY_FORMAT=omp-team-size=%N " +
                        ShellQuote(testing::DossierBinary().string()) + " --archive " +
                        ShellQuote(archive_.string()) + " ingest " +
                        ShellQuote(page.string()) + " --customer " + customer_ +
                        " --type contract --jobs 2 2>&1");
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 10) << r.out;
    EXPECT_FALSE(std::regex_search(r.out, std::regex("omp-team-size=([2-9]|[1-9][0-9])")))
        << "[" << limit << "] " << r.out;
  }
}

// `ingest --timings` prints the stage table and `--timings-json` writes
// every stage, whose CPU shares add up to about the whole run's CPU time.
// Presence and consistency only; no speed is asserted.
TEST_F(E2E, IngestTimingsNameEveryStageAndAddUpToTheRunsCpuTime) {
  const fs::path json_file = tmp_.path() / "timings.json";
  auto ids = Ingest(ShellQuote((testing::SamplesDir() / "zh-contract-1.png").string()) +
                    " --type contract --timings --timings-json " +
                    ShellQuote(json_file.string()));
  ASSERT_EQ(ids.size(), 1u) << last_output_;
  EXPECT_NE(last_output_.find("Stage times"), std::string::npos) << last_output_;
  auto text = ReadFile(json_file);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  const auto j = nlohmann::json::parse(*text);
  EXPECT_EQ(j.at("pages").get<int>(), 1);
  double share = 0, cpu = 0;
  for (const char* stage : {"setup", "read", "cleanup", "orientation", "ocr", "encode",
                            "pdf", "store", "catalog"}) {
    ASSERT_TRUE(j.at("stages").contains(stage)) << stage << "\n" << *text;
    EXPECT_NE(last_output_.find(std::string("  ") + stage + " "), std::string::npos) << stage;
    share += j["stages"][stage].at("share").get<double>();
    cpu += j["stages"][stage].at("cpu_seconds").get<double>();
  }
  EXPECT_GT(j["stages"]["ocr"]["cpu_seconds"].get<double>(), 0.0);
  EXPECT_GT(j.at("wall_seconds").get<double>(), 0.0);
  EXPECT_LE(share, 1.01) << *text;
  EXPECT_GE(share, 0.85) << *text;
  EXPECT_NEAR(cpu + j.at("other_cpu_seconds").get<double>(),
              j.at("cpu_seconds").get<double>(), 1e-6);
}

}  // namespace
}  // namespace dossier
