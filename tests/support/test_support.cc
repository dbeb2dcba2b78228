#include "tests/support/test_support.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <regex>
#include <set>

namespace dossier::testing {

namespace fs = std::filesystem;

fs::path SharedDir() { return fs::path(DOSSIER_TEST_SHARED_DIR); }
fs::path CorpusDir() { return SharedDir() / "corpus"; }
fs::path SamplesDir() { return fs::path(DOSSIER_TEST_SAMPLES_DIR); }
fs::path DossierBinary() { return fs::path(DOSSIER_TEST_BINARY); }

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("dossier-test-" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

CommandResult RunCommand(const std::string& command_line) {
  CommandResult result;
  std::string full = command_line + " 2>&1";
  FILE* pipe = ::popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.out.append(buffer.data(), n);
  }
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

CommandResult RunDossierIsolated(const std::filesystem::path& home,
                                 const std::filesystem::path& archive,
                                 const std::string& args, const std::string& env,
                                 const std::string& stdin_text,
                                 const std::string& shell_prefix) {
  const std::string line =
      "(" + shell_prefix +
      " env -u DOSSIER_USER -u DOSSIER_SESSION -u DOSSIER_PASSWORD"
      " -u DOSSIER_ARCHIVE -u DOSSIER_LOG_KEY HOME=" +
      ShellQuote(home.string()) + " " + env + " " +
      ShellQuote(DossierBinary().string()) + " --archive " +
      ShellQuote(archive.string()) + " " + args + ")";
  if (stdin_text.empty()) return RunCommand(line + " </dev/null");
  return RunCommand("printf '%s\\n' " + ShellQuote(stdin_text) + " | " + line);
}

namespace {

// The subcommand names a `dossier ... --help` lists.
std::set<std::string> Subcommands(const std::string& path) {
  auto help = RunCommand(ShellQuote(DossierBinary().string()) + " " + path +
                         " --help");
  std::set<std::string> names;
  auto at = help.out.find("Subcommands:");
  if (at == std::string::npos) return names;
  std::string section = help.out.substr(at);
  std::regex line_re("\\n  ([a-z][a-z-]*)  ");
  for (std::sregex_iterator it(section.begin(), section.end(), line_re), end;
       it != end; ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

void CollectPaths(const std::string& path, std::vector<std::string>* out) {
  auto subs = Subcommands(path);
  if (subs.empty()) {
    out->push_back(path);
    return;
  }
  for (const auto& sub : subs) {
    CollectPaths(path.empty() ? sub : path + " " + sub, out);
  }
}

}  // namespace

std::vector<std::string> DossierCommandPaths() {
  std::vector<std::string> paths;
  CollectPaths("", &paths);
  return paths;
}

}  // namespace dossier::testing
