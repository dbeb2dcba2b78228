#include "pipeline/hot_folder.h"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <thread>

#include "core/file_util.h"
#include "records/coding_rule.h"

namespace dossier::pipeline {

namespace fs = std::filesystem;

namespace {

using SteadyClock = std::chrono::steady_clock;

bool Ignored(const fs::path& p) {
  const std::string name = p.filename().string();
  if (name.empty() || name[0] == '.') return true;
  for (const char* suffix : {".part", ".tmp", ".crdownload", ".reason.txt"}) {
    if (name.ends_with(suffix)) return true;
  }
  return false;
}

struct Seen {
  std::uintmax_t size = 0;
  fs::file_time_type mtime;
  SteadyClock::time_point since;  // first seen with this size and mtime
};

// Regular files in DIR and in its customer sub-folders, relative paths.
std::vector<fs::path> ListInputs(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const fs::path rel = e.path().filename();
    if (Ignored(rel)) continue;
    if (e.is_directory(ec)) {
      if (rel == "done" || rel == "failed") continue;
      for (const auto& f : fs::directory_iterator(e.path(), ec)) {
        if (f.is_regular_file(ec) && !Ignored(f.path().filename())) {
          out.push_back(rel / f.path().filename());
        }
      }
    } else if (e.is_regular_file(ec)) {
      out.push_back(rel);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// dest, or dest with "-2", "-3", ... before the extension if taken.
fs::path FreeName(const fs::path& dest) {
  std::error_code ec;
  if (!fs::exists(dest, ec)) return dest;
  for (int i = 2;; ++i) {
    fs::path p =
        dest.parent_path() / fmt::format("{}-{}{}", dest.stem().string(), i,
                                         dest.extension().string());
    if (!fs::exists(p, ec)) return p;
  }
}

Result<fs::path> MoveTo(const fs::path& from, const fs::path& dest_wanted) {
  std::error_code ec;
  fs::create_directories(dest_wanted.parent_path(), ec);
  if (ec) {
    return MakeError(
        ErrorCode::kIo,
        fmt::format("{}: cannot create: {}", dest_wanted.parent_path().string(),
                    ec.message()));
  }
  fs::path dest = FreeName(dest_wanted);
  fs::rename(from, dest, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("{}: cannot move to {}: {}", from.string(),
                                 dest.string(), ec.message()));
  }
  return dest;
}

std::string Describe(const IngestReport& r) {
  std::string out;
  for (const auto& d : r.documents) {
    if (d.error) out += d.error->message + "\n";
  }
  if (r.source_error) out += r.source_error->message + "\n";
  return out;
}

}  // namespace

Result<WatchReport> RunHotFolder(storage::Archive& archive,
                                 const WatchOptions& options,
                                 const WatchCallbacks& callbacks) {
  std::error_code ec;
  if (!fs::is_directory(options.dir, ec)) {
    return MakeError(
        ErrorCode::kNotFound,
        fmt::format("{}: no such folder to watch", options.dir.string()));
  }
  const fs::path done_dir = options.dir / "done";
  const fs::path failed_dir = options.dir / "failed";
  for (const auto& d : {done_dir, failed_dir}) {
    fs::create_directories(d, ec);
    if (ec) {
      return MakeError(ErrorCode::kIo, fmt::format("{}: cannot create: {}",
                                                   d.string(), ec.message()));
    }
  }
  auto stopped = [&] {
    return options.stop != nullptr && options.stop->load();
  };
  const auto settle = std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(options.settle_seconds));

  WatchReport report;
  std::map<fs::path, Seen> seen;
  while (!stopped()) {
    auto inputs = ListInputs(options.dir);
    if (inputs.empty() && options.once) break;
    const auto now = SteadyClock::now();
    const auto wall_now = fs::file_time_type::clock::now();
    std::map<fs::path, Seen> next_seen;
    std::vector<fs::path> ready;
    for (const auto& rel : inputs) {
      const fs::path full = options.dir / rel;
      auto size = fs::file_size(full, ec);
      if (ec) continue;
      auto mtime = fs::last_write_time(full, ec);
      if (ec) continue;
      Seen s{size, mtime, now};
      auto it = seen.find(rel);
      if (it != seen.end() && it->second.size == size &&
          it->second.mtime == mtime) {
        s.since = it->second.since;
        if (now - s.since >= settle && wall_now - mtime >= settle)
          ready.push_back(rel);
      }
      next_seen[rel] = s;
    }
    seen = std::move(next_seen);

    for (const auto& rel : ready) {
      if (stopped()) break;
      const fs::path full = options.dir / rel;
      if (callbacks.on_start) callbacks.on_start(full);
      WatchFileEvent event;
      event.file = full;
      IngestOptions o = options.ingest;
      o.files = {full};
      o.source = nullptr;
      o.one_document = false;
      std::string folder =
          rel.has_parent_path() ? rel.parent_path().string() : "";
      if (!folder.empty()) {
        o.customer_code = folder;
        o.split_on_cover_sheets = false;
      } else if (!options.customer_code.empty()) {
        o.customer_code = options.customer_code;
        o.split_on_cover_sheets = false;
      } else {
        o.customer_code.clear();
        o.split_on_cover_sheets = true;
      }
      event.customer_code = o.customer_code;
      if (!folder.empty() && !records::ValidateCustomerCode(folder)) {
        event.reason =
            fmt::format("sub-folder '{}' is not a customer code", folder);
      } else {
        auto result = RunIngest(archive, o, callbacks.ingest);
        if (!result) {
          event.reason = result.error().message;
        } else {
          event.ok = result->failed() == 0;
          if (!event.ok) event.reason = Describe(*result);
          event.report = std::move(*result);
        }
      }
      // Only now, with the documents committed (or the failure known), does
      // the input leave DIR.
      const fs::path dest = (event.ok ? done_dir : failed_dir) / rel;
      auto moved = MoveTo(full, dest);
      if (!moved) return std::unexpected(moved.error());
      event.moved_to = *moved;
      if (event.ok) {
        ++report.done;
      } else {
        ++report.failed;
        fs::path reason_file =
            moved->parent_path() / (moved->filename().string() + ".reason.txt");
        std::string text = fmt::format("{}\n{}\n", full.string(), event.reason);
        if (auto s = WriteFileAtomic(reason_file, std::string_view(text)); !s) {
          return std::unexpected(s.error());
        }
      }
      seen.erase(rel);
      if (callbacks.on_file) callbacks.on_file(event);
    }
    if (!ready.empty()) continue;  // look again at once
    // Sleep in small steps so a stop request is seen quickly.
    const auto wake =
        SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                           std::chrono::duration<double>(options.poll_seconds));
    while (SteadyClock::now() < wake && !stopped()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return report;
}

}  // namespace dossier::pipeline
