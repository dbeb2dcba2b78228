// Helpers for the fault tests: sample pages, an archive template, running
// the ingest driver in a child process (optionally killed or with a file
// size limit), and a full consistency check of an archive.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dossier::faults {

// n small distinct PNG pages in dir: page-00.png ...
std::vector<std::filesystem::path> MakePages(const std::filesystem::path& dir,
                                             int n);

// Creates an archive with one customer; returns the customer code.
std::string MakeArchive(const std::filesystem::path& dir);

struct DriverRun {
  int exit_code = -1;   // -1 when killed
  bool killed = false;
  double seconds = 0;
  std::string out;      // the driver's stdout and stderr
  std::set<std::string> stored;  // D000012 ids reported committed
};

// Runs the driver; kill_after_ms: SIGKILL after that long (if still running).
DriverRun RunDriver(const std::filesystem::path& archive,
                    const std::string& customer,
                    const std::vector<std::filesystem::path>& files,
                    std::optional<int> kill_after_ms = std::nullopt,
                    std::optional<long> fsize = std::nullopt);

// Starts the driver without waiting; Wait() collects it.
struct Running {
  int pid = -1;
  std::filesystem::path out_file;
  double start = 0;
};
Running StartDriver(const std::filesystem::path& archive,
                    const std::string& customer,
                    const std::vector<std::filesystem::path>& files,
                    std::optional<long> fsize, const std::filesystem::path& out);
DriverRun Wait(const Running& running, std::optional<int> kill_after_ms);

struct ArchiveCheck {
  int documents = 0;
  int distinct_sources = 0;
  int objects = 0;       // complete store objects
  int temporaries = 0;   // .tmp-* leftovers of interrupted writes
  int orphans = 0;       // objects no document names
  std::string integrity;
  std::vector<std::string> problems;  // anything inconsistent
  std::set<std::string> ids;          // D000012 ...
};

// Opens the archive the way a restarted station does and checks: integrity
// ok, every document's file present with the right SHA-256, every object's
// bytes match its name (nothing half-written under a final name).
ArchiveCheck CheckArchive(const std::filesystem::path& archive);

}  // namespace dossier::faults
