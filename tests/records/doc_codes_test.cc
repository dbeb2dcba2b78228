// Every example code in README.md and docs/*.md carries the check character
// the coding rule (records/coding_rule.h) really gives: customer codes
// (KH-YYYY-NNNNNN-C), archive numbers (DA-YYYY-TT-NNNNNN-C), original
// barcodes (OR + 8 digits + C) and location barcodes (LC + 6 digits + C).
// A code quoted as an input inside an error message ('KH-…') is an example
// of a wrong code and is left out.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "records/coding_rule.h"

namespace dossier::records {
namespace {

namespace fs = std::filesystem;

std::string Payload(std::string code) {
  code.pop_back();
  std::string out;
  for (char c : code) {
    if (c != '-') out += c;
  }
  return out;
}

struct Finding {
  std::string file;
  int line = 0;
  std::string code;
};

// Wrong codes in the file: each with its line.
std::vector<Finding> WrongCodes(const fs::path& file, int* checked) {
  static const std::regex kCode(
      R"((KH-\d{4}-\d{6}-[0-9A-Z])|(DA-\d{4}-[A-Z]{2}-\d{6}-[0-9A-Z])|)"
      R"((OR\d{8}[0-9A-Z])|(LC\d{6}[0-9A-Z]))");
  std::ifstream in(file);
  std::vector<Finding> wrong;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    for (std::sregex_iterator it(line.begin(), line.end(), kCode), end;
         it != end; ++it) {
      const auto pos = static_cast<size_t>(it->position());
      const size_t after = pos + it->length();
      // Part of a longer token (e.g. a longer barcode): not a code.
      if (pos > 0 && std::isalnum(static_cast<unsigned char>(line[pos - 1]))) {
        continue;
      }
      if (after < line.size() &&
          std::isalnum(static_cast<unsigned char>(line[after]))) {
        continue;
      }
      if (pos > 0 && line[pos - 1] == '\'') continue;  // a refused input
      const std::string code = it->str();
      ++*checked;
      if (Mod3736CheckChar(Payload(code)) != code.back()) {
        wrong.push_back({file.filename().string(), number, code});
      }
    }
  }
  return wrong;
}

TEST(DocCodesTest, EveryExampleCodeHasTheRightCheckCharacter) {
  const fs::path root = DOSSIER_SOURCE_DIR;
  std::vector<fs::path> files = {root / "README.md"};
  for (const auto& e : fs::directory_iterator(root / "docs")) {
    if (e.path().extension() == ".md") files.push_back(e.path());
  }
  int checked = 0;
  std::vector<Finding> wrong;
  for (const auto& f : files) {
    auto w = WrongCodes(f, &checked);
    wrong.insert(wrong.end(), w.begin(), w.end());
  }
  EXPECT_GT(checked, 20) << "the examples were not found";
  for (const auto& w : wrong) {
    const std::string payload = Payload(w.code);
    ADD_FAILURE() << w.file << ":" << w.line << ": " << w.code
                  << " has the wrong check character; the rule gives '"
                  << Mod3736CheckChar(payload) << "'";
  }
}

TEST(DocCodesTest, TheCheckerFindsAWrongCode) {
  const fs::path file = fs::temp_directory_path() / "doc_codes_test_sample.md";
  {
    std::ofstream out(file);
    out << "dossier show KH-2026-000001-7 and OR00000017K, DA-2026-HT-000001-K\n"
        << "customer code 'KH-2026-000017-Q': check character 'Q' does not match\n";
  }
  int checked = 0;
  auto wrong = WrongCodes(file, &checked);
  fs::remove(file);
  EXPECT_EQ(checked, 3);
  ASSERT_EQ(wrong.size(), 2u);
  EXPECT_EQ(wrong[0].code, "KH-2026-000001-7");
  EXPECT_EQ(wrong[1].code, "OR00000017K");
}

}  // namespace
}  // namespace dossier::records
