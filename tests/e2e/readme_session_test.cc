// The README runs as written: its "A session of real use" block is the one
// scripts/readme-session.sh runs on a fresh archive. This test runs the
// script and checks that the README shows the same commands in the same
// order, and only customer codes, document ids and archive numbers that
// the run really printed (with their check characters). Tesseract's own
// diagnostics must not reach the terminal either.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "records/coding_rule.h"
#include "tests/support/test_support.h"

namespace dossier::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The first ```sh block after the heading.
std::string SessionBlock(const std::string& readme) {
  const auto heading = readme.find("## A session of real use");
  if (heading == std::string::npos) return "";
  const auto open = readme.find("```sh\n", heading);
  if (open == std::string::npos) return "";
  const auto close = readme.find("```", open + 6);
  return readme.substr(open + 6, close - open - 6);
}

// The block's `dossier ...` commands, continuation lines joined, comments
// after the command removed.
std::vector<std::string> Commands(const std::string& block) {
  std::vector<std::string> out;
  std::istringstream in(block);
  std::string line, current;
  while (std::getline(in, line)) {
    if (current.empty() && !line.starts_with("dossier ")) continue;
    if (!current.empty()) {
      const auto first = line.find_first_not_of(' ');
      line = first == std::string::npos ? "" : line.substr(first);
    }
    const bool more = !line.empty() && line.back() == '\\';
    if (more) line.pop_back();
    current += line;
    if (more) continue;
    const auto comment = current.find("  #");
    if (comment != std::string::npos) current.resize(comment);
    while (!current.empty() && current.back() == ' ') current.pop_back();
    out.push_back(current);
    current.clear();
  }
  return out;
}

// A customer code or archive number rewritten to `year`, with the check
// character the rule gives for it.
std::string InYear(std::string code, const std::string& year) {
  code.replace(3, 4, year);
  code.pop_back();
  code.push_back(records::Mod3736CheckChar(code));
  return code;
}

TEST(ReadmeSessionTest, TheReadmeShowsWhatTheScriptReallyPrints) {
  TempDir tmp;
  const fs::path root = DOSSIER_SOURCE_DIR;
  const fs::path work = tmp.path() / "session";
  auto run = RunCommand("sh " + ShellQuote((root / "scripts" / "readme-session.sh").string()) +
                        " " + ShellQuote(DossierBinary().string()) + " " +
                        ShellQuote(SamplesDir().string()) + " " +
                        ShellQuote(work.string()));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const std::string& transcript = run.out;

  const std::string block = SessionBlock(ReadText(root / "README.md"));
  ASSERT_FALSE(block.empty()) << "README.md has no session block";
  // Every README command, in order, is one the script ran.
  std::vector<std::string> ran;
  std::istringstream lines(transcript);
  for (std::string l; std::getline(lines, l);) {
    if (l.starts_with("$ ")) ran.push_back(l.substr(2));
  }
  EXPECT_EQ(Commands(block), ran);

  // The year the codes were issued in (the first customer code printed).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(transcript, m, std::regex(R"(KH-(\d{4})-000001-)")))
      << transcript;
  const std::string year = m[1];
  static const std::regex kCode(
      R"(KH-\d{4}-\d{6}-[0-9A-Z]|DA-\d{4}-[A-Z]{2}-\d{6}-[0-9A-Z]|\bD\d{6}\b)");
  int codes = 0;
  for (std::sregex_iterator it(block.begin(), block.end(), kCode), end;
       it != end; ++it) {
    std::string code = it->str();
    ++codes;
    // The README's own check character is right for its own year.
    if (code.starts_with("KH-") || code.starts_with("DA-")) {
      std::string payload = code.substr(0, code.size() - 1);
      EXPECT_EQ(records::Mod3736CheckChar(payload), code.back()) << code;
      code = InYear(code, year);
    }
    EXPECT_NE(transcript.find(code), std::string::npos)
        << "README shows " << it->str() << ", the session printed no " << code
        << "\n" << transcript;
  }
  EXPECT_GE(codes, 5);
  // The README quotes the output lines it shows: each code-bearing output
  // line's codes appear above; its first customer is the one printed.
  EXPECT_NE(block.find("#   " + InYear("KH-2026-000001-0", "2026")),
            std::string::npos);
  // Tesseract's diagnostics stay off the terminal.
  for (const char* noise : {"Detected ", "diacritics", "Estimating resolution",
                            "Warning: Invalid resolution"}) {
    EXPECT_EQ(transcript.find(noise), std::string::npos) << noise << "\n"
                                                        << transcript;
  }
}

}  // namespace
}  // namespace dossier::testing
