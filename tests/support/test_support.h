// Helpers shared by the test binaries.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dossier::testing {

// ../shared next to the repository (DOSSIER_SHARED_DIR at configure time).
std::filesystem::path SharedDir();
std::filesystem::path CorpusDir();
// Folder with the generated sample pages (built by the sample generator).
std::filesystem::path SamplesDir();
// The built `dossier` binary.
std::filesystem::path DossierBinary();

// A fresh empty directory removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr, interleaved
};

// Runs a shell command line, capturing its output.
CommandResult RunCommand(const std::string& command_line);

// Quotes a string for a POSIX shell.
std::string ShellQuote(const std::string& s);

// Runs `dossier --archive ARCHIVE ARGS` as a user would, in a clean
// environment: every DOSSIER_* variable the station reads unset, HOME=home,
// then env (extra VAR=value words). stdin is stdin_text as one line, or
// /dev/null. shell_prefix (e.g. "umask 022;") runs first in the same shell.
CommandResult RunDossierIsolated(const std::filesystem::path& home,
                                 const std::filesystem::path& archive,
                                 const std::string& args,
                                 const std::string& env = "",
                                 const std::string& stdin_text = "",
                                 const std::string& shell_prefix = "");

// Every runnable subcommand path ("loan approve") that `dossier --help`
// lists, recursively, in help order.
std::vector<std::string> DossierCommandPaths();

}  // namespace dossier::testing
