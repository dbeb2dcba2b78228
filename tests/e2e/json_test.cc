// Every command that shows or lists something takes --json and prints valid
// JSON: the help is walked, so a new show or list command without --json,
// or without a case here, fails.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>

#include "tests/support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ShellQuote;

class JsonOutput : public ::testing::Test {
 protected:
  void SetUp() override { archive_ = tmp_.path() / "archive"; }

  // stdout only (stderr is dropped), as an open-station admin.
  CommandResult Dossier(const std::string& args, const std::string& stdin_text = "") {
    std::string line = "env -u DOSSIER_SESSION -u DOSSIER_PASSWORD DOSSIER_USER=admin " +
                       ShellQuote(testing::DossierBinary().string()) +
                       " --archive " + ShellQuote(archive_.string()) + " " + args +
                       " 2>/dev/null";
    line = stdin_text.empty()
               ? line + " </dev/null"
               : "printf '%s\\n' " + ShellQuote(stdin_text) + " | " + line;
    return testing::RunCommand(line);
  }

  std::string First(const CommandResult& r) {
    return r.out.substr(0, r.out.find_first_of("\t \n"));
  }

  testing::TempDir tmp_;
  fs::path archive_;
};

bool ShowsOrLists(const std::string& path) {
  static const std::set<std::string> kVerbs = {
      "show", "list", "tree", "overdue", "due", "history", "report",
      "whoami", "where", "search"};
  const std::string last = path.substr(path.rfind(' ') + 1);
  return kVerbs.contains(last);
}

TEST_F(JsonOutput, EveryShowAndListCommandPrintsValidJson) {
  ASSERT_EQ(Dossier("init").exit_code, 0);
  auto customer = Dossier("customer add --name 上海明川贸易有限公司 --phone 13800138000");
  ASSERT_EQ(customer.exit_code, 0) << customer.out;
  const std::string code = First(customer);
  const fs::path page = testing::SamplesDir() / "zh-contract-1.png";
  ASSERT_TRUE(fs::exists(page)) << page;
  auto ingest = Dossier("ingest " + ShellQuote(page.string()) + " --customer " +
                        code + " --type contract --no-ocr");
  ASSERT_TRUE(ingest.exit_code == 0 || ingest.exit_code == 10) << ingest.out;
  ASSERT_EQ(Dossier("location add A --kind room").exit_code, 0);
  ASSERT_EQ(Dossier("location add-cabinet A-01 --in A --shelves 1 --boxes 2").exit_code, 0);
  auto original = Dossier("original register D000001 --at A-01-1-001");
  ASSERT_EQ(original.exit_code, 0) << original.out;
  const std::string barcode = First(original);
  ASSERT_EQ(Dossier("loan request " + barcode + " --purpose 核对 --due 2999-01-31").exit_code, 0);
  ASSERT_EQ(Dossier("hold add D000001 --reason 诉讼").exit_code, 0);
  ASSERT_EQ(Dossier("audit start --location A-01").exit_code, 0);
  ASSERT_EQ(Dossier("audit scan AU000001", barcode).exit_code, 0);
  ASSERT_EQ(Dossier("audit close AU000001 --report-dir " +
                    ShellQuote(tmp_.path().string())).exit_code, 0);
  ASSERT_EQ(Dossier("retention rule set contract --from filing --years 10").exit_code, 0);
  ASSERT_EQ(Dossier("profile add office --dpi 300").exit_code, 0);

  const std::map<std::string, std::string> args = {
      {"customer show", code},        {"customer list", ""},
      {"show", "D000001"},            {"search", "合同"},
      {"history", code},              {"review list", ""},
      {"review show", "D000001"},     {"location list", ""},
      {"location tree", ""},          {"location show", "A-01-1-001"},
      {"where", "D000001"},           {"original show", barcode},
      {"loan list", ""},              {"loan overdue", ""},
      {"audit report", "AU000001"},   {"audit history", "A-01"},
      {"retention rule list", ""},    {"retention due", ""},
      {"hold list", ""},              {"destroy show", ""},
      {"log show", ""},               {"user list", ""},
      {"profile list", ""},           {"whoami", ""},
  };
  int checked = 0;
  for (const auto& path : testing::DossierCommandPaths()) {
    if (!ShowsOrLists(path)) continue;
    SCOPED_TRACE(path);
    auto help = testing::RunCommand(ShellQuote(testing::DossierBinary().string()) +
                                    " " + path + " --help");
    EXPECT_NE(help.out.find("--json"), std::string::npos) << "no --json";
    auto it = args.find(path);
    ASSERT_NE(it, args.end()) << "no case for this command here";
    auto r = Dossier(path + " " + it->second + " --json");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    ASSERT_FALSE(r.out.empty());
    if (path == "log show") {  // one object per line
      std::istringstream lines(r.out);
      std::string line;
      int n = 0;
      while (std::getline(lines, line)) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        EXPECT_TRUE(j.is_object()) << line;
        EXPECT_TRUE(j.contains("by") && j.contains("at")) << line;
        ++n;
      }
      EXPECT_GT(n, 10);
    } else {
      auto j = nlohmann::json::parse(r.out, nullptr, false);
      EXPECT_FALSE(j.is_discarded()) << r.out;
      EXPECT_TRUE(j.is_object() || j.is_array()) << r.out;
    }
    ++checked;
  }
  EXPECT_GE(checked, static_cast<int>(args.size()));
  // A few shapes: the keys docs/json.md promises.
  auto shown = nlohmann::json::parse(Dossier("show D000001 --json").out);
  EXPECT_EQ(shown["document"], "D000001");
  EXPECT_EQ(shown["customer"], code);
  EXPECT_TRUE(shown["archive_number"].is_null());
  auto cust = nlohmann::json::parse(Dossier("customer show " + code + " --json").out);
  EXPECT_EQ(cust["phone"], "+8613800138000");
  EXPECT_EQ(cust["documents"].size(), 1u);
  auto loans = nlohmann::json::parse(Dossier("loan list --json").out);
  ASSERT_EQ(loans.size(), 1u);
  EXPECT_EQ(loans[0]["requested_by"], "admin");
  EXPECT_EQ(loans[0]["status"], "requested");
  auto where = nlohmann::json::parse(Dossier("where D000001 --json").out);
  ASSERT_EQ(where.size(), 1u);
  EXPECT_EQ(where[0]["barcode"], barcode);
  EXPECT_EQ(where[0]["history"][0]["by"], "admin");
}

}  // namespace
}  // namespace dossier
