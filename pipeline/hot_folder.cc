#include "pipeline/hot_folder.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/file_util.h"
#include "core/text.h"
#include "records/coding_rule.h"

namespace dossier::pipeline {

namespace fs = std::filesystem;

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr const char* kDone = "done";
constexpr const char* kFailed = "failed";

bool Ignored(const std::string& name) {
  if (name.empty() || name[0] == '.') return true;
  for (const char* suffix : {".part", ".tmp", ".crdownload", ".reason.txt"}) {
    if (name.ends_with(suffix)) return true;
  }
  return false;
}

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

std::string Errno(int err) { return std::strerror(err); }

// Opens the folder `name` under `parent`, never through a symbolic link.
Fd OpenDirAt(int parent, const std::string& name) {
  return Fd(::openat(parent, name.empty() ? "." : name.c_str(),
                     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

// Opens (creating when missing) the folder `name` under `parent`; refuses a
// symbolic link. `shown` names it in errors.
Result<Fd> EnsureDirAt(int parent, const std::string& name,
                       const fs::path& shown, mode_t mode = 0777) {
  if (name.empty()) {
    Fd fd = OpenDirAt(parent, "");
    if (fd.ok()) return fd;
    return MakeError(ErrorCode::kIo, fmt::format("{}: cannot open: {}",
                                                 shown.string(), Errno(errno)));
  }
  if (::mkdirat(parent, name.c_str(), mode) != 0 && errno != EEXIST) {
    return MakeError(ErrorCode::kIo, fmt::format("{}: cannot create: {}",
                                                 shown.string(), Errno(errno)));
  }
  Fd fd = OpenDirAt(parent, name);
  if (fd.ok()) return fd;
  const int err = errno;
  if (err == ELOOP) {
    return MakeError(
        ErrorCode::kConflict,
        fmt::format("{}: is a symbolic link; the hot folder writes only "
                    "inside itself and does not follow it",
                    shown.string()));
  }
  return MakeError(ErrorCode::kIo, fmt::format("{}: cannot open: {}",
                                               shown.string(), Errno(err)));
}

struct DirEntry {
  std::string name;
  struct stat st {};
};

// Entries of the folder open as `dir` (not "." and ".."), not followed.
std::vector<DirEntry> ReadDir(int dir) {
  std::vector<DirEntry> out;
  int fd = ::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return out;
  DIR* d = ::fdopendir(fd);
  if (d == nullptr) {
    ::close(fd);
    return out;
  }
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    DirEntry entry{name, {}};
    if (::fstatat(dir, name.c_str(), &entry.st, AT_SYMLINK_NOFOLLOW) != 0) {
      continue;
    }
    out.push_back(std::move(entry));
  }
  ::closedir(d);
  return out;
}

// One candidate input: DIR/<sub>/<name> (sub empty: in DIR itself).
struct Input {
  std::string sub;
  std::string name;
  bool link = false;  // a symbolic link (to a file or a folder)
  off_t size = 0;
  timespec mtime{};
  ino_t ino = 0;
  fs::path rel() const { return sub.empty() ? fs::path(name) : fs::path(sub) / name; }
};

std::vector<Input> ListInputs(int dir) {
  std::vector<Input> out;
  auto add = [&](const std::string& sub, const DirEntry& e) {
    Input in;
    in.sub = sub;
    in.name = e.name;
    in.link = S_ISLNK(e.st.st_mode);
    in.size = e.st.st_size;
    in.mtime = e.st.st_mtim;
    in.ino = e.st.st_ino;
    out.push_back(std::move(in));
  };
  for (const auto& e : ReadDir(dir)) {
    if (Ignored(e.name) || e.name == kDone || e.name == kFailed) continue;
    if (S_ISDIR(e.st.st_mode)) {
      Fd sub = OpenDirAt(dir, e.name);
      if (!sub.ok()) continue;
      for (const auto& f : ReadDir(sub.get())) {
        if (Ignored(f.name)) continue;
        if (S_ISREG(f.st.st_mode) || S_ISLNK(f.st.st_mode)) add(e.name, f);
      }
    } else if (S_ISREG(e.st.st_mode) || S_ISLNK(e.st.st_mode)) {
      add("", e);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Input& a, const Input& b) { return a.rel() < b.rel(); });
  return out;
}

// --- Is the file completely written? -------------------------------------

class FileBytes {
 public:
  FileBytes(int fd, off_t size) : fd_(fd), size_(size) {}
  off_t size() const { return size_; }
  bool Read(off_t at, void* out, size_t n) const {
    if (at < 0 || static_cast<off_t>(at + n) > size_) return false;
    return ::pread(fd_, out, n, at) == static_cast<ssize_t>(n);
  }
  std::string Tail(size_t n) const {
    n = std::min<size_t>(n, static_cast<size_t>(size_));
    std::string s(n, '\0');
    if (!Read(size_ - static_cast<off_t>(n), s.data(), n)) return {};
    return s;
  }

 private:
  int fd_;
  off_t size_;
};

std::optional<std::string> PngIncomplete(const FileBytes& f) {
  off_t pos = 8;
  for (int chunks = 0; chunks < 1000000; ++chunks) {
    unsigned char head[8];
    if (!f.Read(pos, head, 8)) return "PNG ends before its IEND chunk";
    const uint32_t len = (uint32_t{head[0]} << 24) | (uint32_t{head[1]} << 16) |
                         (uint32_t{head[2]} << 8) | head[3];
    const off_t end = pos + 12 + static_cast<off_t>(len);
    if (end > f.size()) return "PNG ends inside a chunk";
    if (std::memcmp(head + 4, "IEND", 4) == 0) return std::nullopt;
    pos = end;
  }
  return std::nullopt;  // not a PNG we can walk; let the reader decide
}

std::optional<std::string> JpegIncomplete(const FileBytes& f) {
  std::string tail = f.Tail(64);
  while (!tail.empty() && (tail.back() == '\0' || tail.back() == '\n' ||
                           tail.back() == '\r' || tail.back() == ' ')) {
    tail.pop_back();
  }
  if (tail.size() >= 2 && static_cast<unsigned char>(tail[tail.size() - 2]) == 0xFF &&
      static_cast<unsigned char>(tail.back()) == 0xD9) {
    return std::nullopt;
  }
  return "JPEG has no end marker yet";
}

std::optional<std::string> PdfIncomplete(const FileBytes& f) {
  if (f.Tail(2048).find("%%EOF") != std::string::npos) return std::nullopt;
  return "PDF has no %%EOF yet";
}

// Walks the IFD chain; every directory and every strip or tile must lie
// inside the file.
std::optional<std::string> TiffIncomplete(const FileBytes& f, bool little) {
  auto u16 = [&](off_t at, uint32_t* v) {
    unsigned char b[2];
    if (!f.Read(at, b, 2)) return false;
    *v = little ? (b[0] | (b[1] << 8)) : ((b[0] << 8) | b[1]);
    return true;
  };
  auto u32 = [&](off_t at, uint32_t* v) {
    unsigned char b[4];
    if (!f.Read(at, b, 4)) return false;
    *v = little ? (uint32_t{b[0]} | (uint32_t{b[1]} << 8) |
                   (uint32_t{b[2]} << 16) | (uint32_t{b[3]} << 24))
                : ((uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) |
                   (uint32_t{b[2]} << 8) | uint32_t{b[3]});
    return true;
  };
  // Values of an entry of type SHORT (3) or LONG (4).
  auto values = [&](off_t entry, std::vector<uint32_t>* out) {
    uint32_t type = 0, count = 0;
    if (!u16(entry + 2, &type) || !u32(entry + 4, &count)) return false;
    if ((type != 3 && type != 4) || count > 10000000) return true;  // unknown
    const uint32_t width = type == 3 ? 2 : 4;
    off_t at = entry + 8;
    if (uint64_t{count} * width > 4) {
      uint32_t where = 0;
      if (!u32(entry + 8, &where)) return false;
      at = where;
    }
    if (at + static_cast<off_t>(count) * width > f.size()) return false;
    out->resize(count);
    for (uint32_t i = 0; i < count; ++i) {
      if (!(type == 3 ? u16(at + i * 2, &(*out)[i]) : u32(at + i * 4, &(*out)[i])))
        return false;
    }
    return true;
  };
  uint32_t ifd = 0;
  if (!u32(4, &ifd)) return "TIFF header incomplete";
  std::set<uint32_t> visited;
  while (ifd != 0) {
    if (!visited.insert(ifd).second || visited.size() > 100000) break;
    uint32_t n = 0;
    if (!u16(ifd, &n)) return "TIFF ends before a page directory";
    if (ifd + 2 + static_cast<off_t>(n) * 12 + 4 > f.size())
      return "TIFF ends inside a page directory";
    std::vector<uint32_t> offsets, counts;
    for (uint32_t i = 0; i < n; ++i) {
      const off_t entry = ifd + 2 + static_cast<off_t>(i) * 12;
      uint32_t tag = 0;
      if (!u16(entry, &tag)) return "TIFF ends inside a page directory";
      std::vector<uint32_t>* into = nullptr;
      if (tag == 273 || tag == 324) into = &offsets;  // strip/tile offsets
      if (tag == 279 || tag == 325) into = &counts;   // their byte counts
      if (into != nullptr && !values(entry, into))
        return "TIFF ends before its strip table";
    }
    for (size_t i = 0; i < std::min(offsets.size(), counts.size()); ++i) {
      if (static_cast<off_t>(offsets[i]) + counts[i] > f.size())
        return "TIFF ends inside its image data";
    }
    if (!u32(ifd + 2 + static_cast<off_t>(n) * 12, &ifd))
      return "TIFF ends inside a page directory";
  }
  return std::nullopt;
}

// Why the file open as fd does not look completely written yet, or nullopt
// when it does (or is of a kind we cannot tell: the reader decides).
std::optional<std::string> Incomplete(int fd, off_t size) {
  if (size == 0) return "the file is empty";
  FileBytes f(fd, size);
  unsigned char magic[8] = {};
  if (!f.Read(0, magic, std::min<off_t>(size, 8))) return "cannot read it yet";
  if (size < 8) return "too short to tell what it is";
  if (std::memcmp(magic, "\x89PNG\r\n\x1a\n", 8) == 0) return PngIncomplete(f);
  if (magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF)
    return JpegIncomplete(f);
  if (std::memcmp(magic, "%PDF-", 5) == 0) return PdfIncomplete(f);
  if (std::memcmp(magic, "II*\0", 4) == 0) return TiffIncomplete(f, true);
  if (std::memcmp(magic, "MM\0*", 4) == 0) return TiffIncomplete(f, false);
  return std::nullopt;
}

// --- Writers seen by inotify ----------------------------------------------

// Tracks which inputs a process is writing: modified and not yet closed
// after writing (IN_MODIFY ... IN_CLOSE_WRITE). Best effort: without
// inotify (or on a network share where remote writes raise no events) it
// knows nothing and the other checks decide.
class WriteTracker {
 public:
  WriteTracker() : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {}

  // Watches the folder open as dir_fd, known as `sub` ("" for DIR).
  void Watch(int dir_fd, const std::string& sub) {
    if (!fd_.ok()) return;
    struct stat st {};
    if (::fstat(dir_fd, &st) != 0) return;
    auto it = subs_.find(sub);
    if (it != subs_.end() && it->second.ino == st.st_ino) return;
    const std::string path = fmt::format("/proc/self/fd/{}", dir_fd);
    const int wd = ::inotify_add_watch(
        fd_.get(), path.c_str(),
        IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR);
    if (wd < 0) return;
    subs_[sub] = {st.st_ino, wd};
    wd_sub_[wd] = sub;
  }

  void Drain() {
    if (!fd_.ok()) return;
    alignas(inotify_event) char buf[16384];
    for (;;) {
      const ssize_t n = ::read(fd_.get(), buf, sizeof buf);
      if (n <= 0) return;
      for (ssize_t at = 0; at < n;) {
        const auto* e = reinterpret_cast<const inotify_event*>(buf + at);
        at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
        auto it = wd_sub_.find(e->wd);
        if (it == wd_sub_.end() || e->len == 0) continue;
        const std::string name = e->name;
        const fs::path rel = it->second.empty() ? fs::path(name)
                                                : fs::path(it->second) / name;
        if (e->mask & IN_MODIFY) writing_.insert(rel);
        if (e->mask & (IN_CLOSE_WRITE | IN_MOVED_FROM | IN_DELETE))
          writing_.erase(rel);
      }
    }
  }

  bool Writing(const fs::path& rel) const { return writing_.contains(rel); }
  void Forget(const fs::path& rel) { writing_.erase(rel); }

 private:
  struct Watched {
    ino_t ino = 0;
    int wd = -1;
  };
  Fd fd_;
  std::map<std::string, Watched> subs_;
  std::map<int, std::string> wd_sub_;
  std::set<fs::path> writing_;
};

// --- Moving and reason files ------------------------------------------------

// Moves from_dir/name to dest_dir/<name, or name-2, -3... when taken>, never
// replacing an entry. Returns the name used.
Result<std::string> MoveFreeName(int from_dir, const std::string& name,
                                 int dest_dir, const fs::path& shown_from,
                                 const fs::path& shown_dest_dir) {
  const fs::path p(name);
  for (int i = 1; i < 100000; ++i) {
    const std::string candidate =
        i == 1 ? name
               : fmt::format("{}-{}{}", p.stem().string(), i, p.extension().string());
    struct stat st {};
    if (::fstatat(dest_dir, candidate.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
      continue;
    int r = ::renameat2(from_dir, name.c_str(), dest_dir, candidate.c_str(),
                        RENAME_NOREPLACE);
    if (r != 0 && errno == EINVAL) {  // file system without RENAME_NOREPLACE
      r = ::renameat(from_dir, name.c_str(), dest_dir, candidate.c_str());
    }
    if (r == 0) return candidate;
    if (errno == EEXIST) continue;
    return MakeError(ErrorCode::kIo,
                     fmt::format("{}: cannot move to {}: {}", shown_from.string(),
                                 (shown_dest_dir / candidate).string(),
                                 Errno(errno)));
  }
  return MakeError(ErrorCode::kIo, fmt::format("{}: no free name in {}",
                                               shown_from.string(),
                                               shown_dest_dir.string()));
}

// Writes dir/name atomically (temporary, fsync, rename), never through a
// symbolic link: an existing entry of that name is replaced, not followed.
Status WriteAt(int dir, const std::string& name, const std::string& text,
               const fs::path& shown) {
  const std::string tmp = fmt::format(".{}.tmp-{}", name, ::getpid());
  Fd fd(::openat(dir, tmp.c_str(),
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  auto fail = [&](int err) -> Status {
    ::unlinkat(dir, tmp.c_str(), 0);
    return MakeError(ErrorCode::kIo, fmt::format("{}: cannot write: {}",
                                                 shown.string(), Errno(err)));
  };
  if (!fd.ok()) return fail(errno);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail(errno);
  fd.Reset();
  if (::renameat(dir, tmp.c_str(), dir, name.c_str()) != 0) return fail(errno);
  ::fsync(dir);
  return {};
}

std::string Describe(const IngestReport& r) {
  std::string out;
  for (const auto& d : r.documents) {
    if (d.error) out += d.error->message + "\n";
  }
  if (r.source_error) out += r.source_error->message + "\n";
  return out;
}

double Seconds(const timespec& t) { return t.tv_sec + t.tv_nsec / 1e9; }

class HotFolder {
 public:
  HotFolder(storage::Archive& archive, const WatchOptions& options,
            const WatchCallbacks& callbacks)
      : archive_(archive), options_(options), callbacks_(callbacks) {}

  Result<WatchReport> Run();

 private:
  // A file that cannot be taken yet, and since when it looks like this.
  struct Seen {
    off_t size = 0;
    timespec mtime{};
    ino_t ino = 0;
    SteadyClock::time_point since;
  };

  Status Open();
  Status Recover();
  // Moves DIR/<sub>/<name> (from the folder open as from) to failed/ with
  // the reason; `shown` is how the input is named.
  Result<fs::path> Fail(int from, const std::string& sub,
                        const std::string& name, const fs::path& shown,
                        const std::string& reason);
  // Moves it to done/ when *ok, else to failed/ with *reason; when done/
  // cannot be used, to failed/ after all (*ok and *reason say so).
  Result<fs::path> MoveOut(int from, const std::string& sub,
                           const std::string& name, const fs::path& shown,
                           bool* ok, std::string* reason);
  // Why the input is not ready to take yet (nullopt: take it now). Sets
  // *give_up when it has waited long enough.
  std::optional<std::string> NotReady(const Input& in, bool* give_up);
  Status Take(const Input& in);
  Status Process(const Input& in, WatchFileEvent& event, int proc_sub);
  bool stopped() const {
    return options_.stop != nullptr && options_.stop->load();
  }
  void Notify(const WatchFileEvent& e) {
    if (e.ok) {
      ++report_.done;
    } else {
      ++report_.failed;
    }
    if (callbacks_.on_file) callbacks_.on_file(e);
  }

  storage::Archive& archive_;
  const WatchOptions& options_;
  const WatchCallbacks& callbacks_;
  Fd dir_, done_, failed_, processing_;
  WriteTracker tracker_;
  std::map<fs::path, Seen> seen_;
  WatchReport report_;
};

Status HotFolder::Open() {
  const fs::path& dir = options_.dir;
  dir_ = Fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir_.ok()) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("{}: no such folder to watch", dir.string()));
  }
  // Check all three before creating anything: a refused start changes
  // nothing.
  for (const char* name : {kDone, kFailed, kProcessingFolder}) {
    struct stat st {};
    if (::fstatat(dir_.get(), name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISLNK(st.st_mode)) {
      return MakeError(
          ErrorCode::kConflict,
          fmt::format("{}: is a symbolic link; the hot folder writes only "
                      "inside itself (make it a plain folder)",
                      (dir / name).string()));
    }
    if (!S_ISDIR(st.st_mode)) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("{}: is not a folder", (dir / name).string()));
    }
  }
  auto done = EnsureDirAt(dir_.get(), kDone, dir / kDone);
  if (!done) return std::unexpected(done.error());
  done_ = std::move(*done);
  auto failed = EnsureDirAt(dir_.get(), kFailed, dir / kFailed);
  if (!failed) return std::unexpected(failed.error());
  failed_ = std::move(*failed);
  auto processing =
      EnsureDirAt(dir_.get(), kProcessingFolder, dir / kProcessingFolder, 0700);
  if (!processing) return std::unexpected(processing.error());
  processing_ = std::move(*processing);
  // One watch per folder: a second one would take the first one's file in
  // processing for a file the station stopped on.
  if (::flock(processing_.get(), LOCK_EX | LOCK_NB) != 0) {
    return MakeError(
        ErrorCode::kConflict,
        fmt::format("{}: another dossier watch is running on this folder",
                    dir.string()));
  }
  struct stat st {};
  if (::fstat(processing_.get(), &st) == 0 && st.st_uid == ::geteuid()) {
    ::fchmod(processing_.get(), 0700);
  }
  tracker_.Watch(dir_.get(), "");
  return {};
}

Result<fs::path> HotFolder::MoveOut(int from, const std::string& sub,
                                    const std::string& name,
                                    const fs::path& shown, bool* ok,
                                    std::string* reason) {
  const fs::path top = options_.dir / (*ok ? kDone : kFailed);
  auto dest = EnsureDirAt(*ok ? done_.get() : failed_.get(), sub, top / sub);
  if (!dest && *ok) {
    // done/<sub> cannot be used (e.g. it is a symbolic link): the file goes
    // to failed/ with that reason instead, its documents are committed.
    *reason = fmt::format("its documents are committed, but {}",
                          dest.error().message);
    *ok = false;
    return MoveOut(from, sub, name, shown, ok, reason);
  }
  if (!dest) return std::unexpected(dest.error());
  auto moved = MoveFreeName(from, name, dest->get(), shown, top / sub);
  if (!moved) return std::unexpected(moved.error());
  const fs::path moved_to = top / sub / *moved;
  if (!*ok) {
    const std::string text = fmt::format("{}\n{}\n", shown.string(), *reason);
    if (auto s = WriteAt(dest->get(), *moved + ".reason.txt", text,
                         moved_to.string() + ".reason.txt");
        !s) {
      return std::unexpected(s.error());
    }
  }
  return moved_to;
}

Result<fs::path> HotFolder::Fail(int from, const std::string& sub,
                                 const std::string& name, const fs::path& shown,
                                 const std::string& reason) {
  std::string r = reason;
  bool ok = false;
  return MoveOut(from, sub, name, shown, &ok, &r);
}

// Files left in the processing folder were being processed when the
// station stopped: they go to failed/, never again through ingest.
Status HotFolder::Recover() {
  const std::string reason =
      "the station stopped while processing this file (it was killed or "
      "crashed); documents it committed before are kept. Put it back into "
      "the hot folder to try again.";
  auto recover = [&](int from, const std::string& sub) -> Status {
    for (const auto& e : ReadDir(from)) {
      if (e.name.starts_with(".")) continue;
      if (sub.empty() && S_ISDIR(e.st.st_mode)) continue;  // below
      const fs::path rel = sub.empty() ? fs::path(e.name) : fs::path(sub) / e.name;
      const fs::path shown = options_.dir / rel;
      auto moved = Fail(from, sub, e.name, shown, reason);
      if (!moved) return std::unexpected(moved.error());
      WatchFileEvent event;
      event.file = shown;
      event.moved_to = *moved;
      event.customer_code = sub;
      event.reason = reason;
      Notify(event);
    }
    return {};
  };
  if (auto s = recover(processing_.get(), ""); !s) return s;
  for (const auto& e : ReadDir(processing_.get())) {
    if (!S_ISDIR(e.st.st_mode)) continue;
    Fd sub = OpenDirAt(processing_.get(), e.name);
    if (!sub.ok()) continue;
    if (auto s = recover(sub.get(), e.name); !s) return s;
    sub.Reset();
    ::unlinkat(processing_.get(), e.name.c_str(), AT_REMOVEDIR);  // if empty
  }
  return {};
}

std::optional<std::string> HotFolder::NotReady(const Input& in, bool* give_up) {
  *give_up = false;
  const auto now = SteadyClock::now();
  const fs::path rel = in.rel();
  Seen s{in.size, in.mtime, in.ino, now};
  auto it = seen_.find(rel);
  const bool same = it != seen_.end() && it->second.size == in.size &&
                    it->second.ino == in.ino &&
                    it->second.mtime.tv_sec == in.mtime.tv_sec &&
                    it->second.mtime.tv_nsec == in.mtime.tv_nsec;
  if (same) s.since = it->second.since;
  seen_[rel] = s;
  if (in.link) return std::nullopt;  // failed at once, nothing to wait for
  const auto settle = std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(options_.settle_seconds));
  timespec wall{};
  ::clock_gettime(CLOCK_REALTIME, &wall);
  if (!same || now - s.since < settle ||
      Seconds(wall) - Seconds(in.mtime) < options_.settle_seconds) {
    return "still changing";
  }
  std::optional<std::string> why;
  if (tracker_.Writing(rel)) why = "a process still has it open for writing";
  Fd parent = OpenDirAt(dir_.get(), in.sub);
  Fd fd(parent.ok() ? ::openat(parent.get(), in.name.c_str(),
                               O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
                    : -1);
  if (fd.ok()) {
    if (auto incomplete = Incomplete(fd.get(), in.size)) why = incomplete;
  }
  if (!why) return std::nullopt;
  const auto max_wait = std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(options_.max_wait_seconds));
  if (now - s.since >= max_wait) {
    *give_up = true;
    // Complete by its format but never closed: take it after all.
    if (*why == "a process still has it open for writing" &&
        !(fd.ok() && Incomplete(fd.get(), in.size))) {
      return std::nullopt;
    }
  }
  return why;
}

Status HotFolder::Process(const Input& in, WatchFileEvent& event, int proc_sub) {
  const fs::path shown = options_.dir / in.rel();
  // Opened without following a link: what was taken is what is read.
  Fd fd(::openat(proc_sub, in.name.c_str(),
                 O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  struct stat st {};
  if (!fd.ok() && errno == ELOOP) {
    event.reason = fmt::format(
        "{}: is a symbolic link; the hot folder follows no links",
        shown.string());
    return {};
  }
  if (!fd.ok() || ::fstat(fd.get(), &st) != 0) {
    event.reason = fmt::format("{}: cannot open: {}", shown.string(), Errno(errno));
    return {};
  }
  if (!S_ISREG(st.st_mode)) {
    event.reason = fmt::format("{}: is not a regular file", shown.string());
    return {};
  }
  if (!in.sub.empty() && !records::ValidateCustomerCode(in.sub)) {
    event.reason = fmt::format("sub-folder '{}' is not a customer code", in.sub);
    return {};
  }
  // Ingest reads the file through the processing folder this process holds
  // open (mode 0700), so a link swapped in elsewhere cannot redirect it.
  // (Without /proc, through its path.)
  const std::string via =
      ::access("/proc/self/fd", X_OK) == 0
          ? fmt::format("/proc/self/fd/{}/{}", proc_sub, in.name)
          : (options_.dir / kProcessingFolder / in.rel()).string();
  IngestOptions o = options_.ingest;
  o.files = {via};
  o.source = nullptr;
  o.one_document = false;
  if (!in.sub.empty()) {
    o.customer_code = in.sub;
    o.split_on_cover_sheets = false;
  } else if (!options_.customer_code.empty()) {
    o.customer_code = options_.customer_code;
    o.split_on_cover_sheets = false;
  } else {
    o.customer_code.clear();
    o.split_on_cover_sheets = true;
  }
  event.customer_code = o.customer_code;
  // Pages, messages and reports name the file as found in DIR.
  o.read.display_name = shown.string();
  auto rename = [&](std::string s) {
    ReplaceAll(s, via, shown.string());
    return s;
  };
  auto rename_outcome = [&](DocumentOutcome& d) {
    for (auto& f : d.inputs) f = rename(f.string());
    if (d.error) d.error->message = rename(d.error->message);
    for (auto& w : d.warnings) w.message = rename(w.message);
  };
  IngestCallbacks ingest_callbacks;
  if (callbacks_.ingest.on_page) {
    ingest_callbacks.on_page = [&](const PageEvent& e) {
      PageEvent copy = e;
      copy.source_file = rename(copy.source_file);
      callbacks_.ingest.on_page(copy);
    };
  }
  if (callbacks_.ingest.on_document) {
    ingest_callbacks.on_document = [&](const DocumentOutcome& d) {
      DocumentOutcome copy = d;
      rename_outcome(copy);
      callbacks_.ingest.on_document(copy);
    };
  }
  auto result = RunIngest(archive_, o, ingest_callbacks);
  if (result) {
    for (auto& d : result->documents) rename_outcome(d);
  }
  if (!result) {
    event.reason = result.error().message;
  } else {
    event.ok = result->failed() == 0;
    if (!event.ok) event.reason = Describe(*result);
    event.report = std::move(*result);
  }
  ReplaceAll(event.reason, via, shown.string());
  return {};
}

Status HotFolder::Take(const Input& in) {
  const fs::path rel = in.rel();
  const fs::path shown = options_.dir / rel;
  WatchFileEvent event;
  event.file = shown;
  Fd parent = OpenDirAt(dir_.get(), in.sub);
  if (!parent.ok()) {
    if (errno != ELOOP) return {};  // gone meanwhile
    // The customer sub-folder was swapped for a link: fail the link itself.
    auto moved = Fail(dir_.get(), "", in.sub, options_.dir / in.sub,
                      fmt::format("{}: is a symbolic link; the hot folder "
                                  "follows no links",
                                  (options_.dir / in.sub).string()));
    if (!moved) return std::unexpected(moved.error());
    event.file = options_.dir / in.sub;
    event.moved_to = *moved;
    event.reason = "is a symbolic link";
    Notify(event);
    return {};
  }
  if (callbacks_.on_start) {
    // An exception here, too, is this file's failure.
    std::optional<std::string> thrown;
    try {
      callbacks_.on_start(shown);
    } catch (const std::exception& e) {
      thrown = fmt::format("{}: internal error while taking it: {}",
                           shown.string(), e.what());
    } catch (...) {
      thrown = fmt::format("{}: internal error while taking it", shown.string());
    }
    if (thrown) {
      event.reason = *thrown;
      auto moved = Fail(parent.get(), in.sub, in.name, shown, event.reason);
      if (!moved) return std::unexpected(moved.error());
      event.moved_to = *moved;
      Notify(event);
      return {};
    }
  }
  if (in.link) {
    // Never followed: the link itself is moved to failed/.
    const bool folder = in.sub.empty() && [&] {
      struct stat st {};
      return ::fstatat(dir_.get(), in.name.c_str(), &st, 0) == 0 &&
             S_ISDIR(st.st_mode);
    }();
    event.reason = fmt::format(
        "{}: is a symbolic link{}; the hot folder follows no links",
        shown.string(), folder ? " to a folder" : "");
    struct stat st {};
    if (::fstatat(parent.get(), in.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return {};  // gone meanwhile
    auto moved = Fail(parent.get(), in.sub, in.name, shown, event.reason);
    if (!moved) return std::unexpected(moved.error());
    event.moved_to = *moved;
    Notify(event);
    return {};
  }
  // Taken: moved into the processing folder first, so that a crash while
  // processing it sends it to failed/ on the next start (Recover) instead
  // of processing it again and again.
  auto proc_sub = EnsureDirAt(processing_.get(), in.sub,
                              options_.dir / kProcessingFolder / in.sub, 0700);
  if (!proc_sub) return std::unexpected(proc_sub.error());
  if (::renameat2(parent.get(), in.name.c_str(), proc_sub->get(),
                  in.name.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno == ENOENT) return {};  // gone meanwhile
    return MakeError(ErrorCode::kIo,
                     fmt::format("{}: cannot move to {}: {}", shown.string(),
                                 (options_.dir / kProcessingFolder / rel).string(),
                                 Errno(errno)));
  }
  ::fsync(proc_sub->get());
  tracker_.Forget(rel);
  // Any exception while processing the file is that file's failure.
  try {
    if (auto s = Process(in, event, proc_sub->get()); !s) {
      event.ok = false;
      event.reason = s.error().message;
    }
  } catch (const std::exception& e) {
    event.ok = false;
    event.reason = fmt::format("{}: internal error while processing it: {}",
                               shown.string(), e.what());
  } catch (...) {
    event.ok = false;
    event.reason = fmt::format("{}: internal error while processing it",
                               shown.string());
  }
  // Only now, with the documents committed (or the failure known), does
  // the input leave the processing folder.
  auto moved = MoveOut(proc_sub->get(), in.sub, in.name, shown, &event.ok,
                       &event.reason);
  if (!moved) return std::unexpected(moved.error());
  event.moved_to = *moved;
  Notify(event);
  return {};
}

Result<WatchReport> HotFolder::Run() {
  if (auto s = Open(); !s) return std::unexpected(s.error());
  if (auto s = Recover(); !s) return std::unexpected(s.error());
  while (!stopped()) {
    tracker_.Drain();
    // Watch the customer sub-folders too.
    for (const auto& e : ReadDir(dir_.get())) {
      if (!S_ISDIR(e.st.st_mode) || Ignored(e.name) || e.name == kDone ||
          e.name == kFailed) {
        continue;
      }
      Fd sub = OpenDirAt(dir_.get(), e.name);
      if (sub.ok()) tracker_.Watch(sub.get(), e.name);
    }
    tracker_.Drain();
    const auto inputs = ListInputs(dir_.get());
    if (inputs.empty() && options_.once) break;
    std::set<fs::path> present;
    std::vector<Input> ready;
    std::vector<std::pair<Input, std::string>> given_up;
    for (const auto& in : inputs) {
      present.insert(in.rel());
      bool give_up = false;
      auto why = NotReady(in, &give_up);
      if (!why) {
        ready.push_back(in);
      } else if (give_up) {
        given_up.emplace_back(in, *why);
      }
    }
    std::erase_if(seen_, [&](const auto& kv) { return !present.contains(kv.first); });

    for (const auto& [in, why] : given_up) {
      if (stopped()) break;
      Fd parent = OpenDirAt(dir_.get(), in.sub);
      if (!parent.ok()) continue;
      const fs::path shown = options_.dir / in.rel();
      WatchFileEvent event;
      event.file = shown;
      event.reason = fmt::format(
          "{}: not completely written after waiting {:g} s ({}); given up",
          shown.string(), options_.max_wait_seconds, why);
      auto moved = Fail(parent.get(), in.sub, in.name, shown, event.reason);
      if (!moved) return std::unexpected(moved.error());
      event.moved_to = *moved;
      seen_.erase(in.rel());
      Notify(event);
    }
    for (const auto& in : ready) {
      if (stopped()) break;
      if (auto s = Take(in); !s) return std::unexpected(s.error());
      seen_.erase(in.rel());
    }
    if (!ready.empty() || !given_up.empty()) continue;  // look again at once
    // Sleep in small steps so a stop request is seen quickly.
    const auto wake =
        SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                 std::chrono::duration<double>(options_.poll_seconds));
    while (SteadyClock::now() < wake && !stopped()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return report_;
}

}  // namespace

Result<WatchReport> RunHotFolder(storage::Archive& archive,
                                 const WatchOptions& options,
                                 const WatchCallbacks& callbacks) {
  HotFolder folder(archive, options, callbacks);
  return folder.Run();
}

namespace {

std::string ModifiedUtc(const fs::file_time_type& t) {
  const auto sys = std::chrono::file_clock::to_sys(t);
  return FormatUtc(std::chrono::time_point_cast<TimePoint::duration>(sys));
}

// The regular files (and links) directly in dir, as entries under rel.
void ListFiles(const fs::path& dir, const fs::path& rel, const std::string& customer,
               bool with_reasons, std::vector<HotFolderEntry>& out) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (Ignored(name)) continue;
    std::error_code sec;
    const auto st = e.symlink_status(sec);
    if (sec) continue;
    HotFolderEntry entry;
    entry.link = fs::is_symlink(st);
    if (!entry.link && !fs::is_regular_file(st)) continue;
    entry.path = rel / name;
    entry.customer_code = customer;
    if (!entry.link) {
      entry.bytes = fs::file_size(e.path(), sec);
      auto t = fs::last_write_time(e.path(), sec);
      if (!sec) entry.modified = ModifiedUtc(t);
    }
    if (with_reasons) {
      // "<shown path>\n<reason>\n", written beside the failed file.
      auto text = ReadFile(e.path().string() + ".reason.txt");
      if (text) {
        const auto nl = text->find('\n');
        std::string reason = nl == std::string::npos ? *text : text->substr(nl + 1);
        while (!reason.empty() && (reason.back() == '\n' || reason.back() == '\r')) reason.pop_back();
        entry.reason = reason;
      }
    }
    out.push_back(std::move(entry));
  }
}

void ListTree(const fs::path& dir, const fs::path& rel, bool with_reasons,
              std::vector<HotFolderEntry>& out) {
  ListFiles(dir, rel, rel.empty() ? "" : rel.begin()->string(), with_reasons, out);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code sec;
    if (!fs::is_directory(e.symlink_status(sec))) continue;
    ListTree(e.path(), rel / name, with_reasons, out);
  }
}

}  // namespace

Result<HotFolderState> ReadHotFolder(const fs::path& dir, int limit) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("hot folder {} does not exist", dir.string()));
  }
  HotFolderState state;
  // Waiting: DIR itself and its customer sub-folders (one level, as a watch takes them).
  ListFiles(dir, "", "", false, state.waiting);
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (Ignored(name) || name == kDone || name == kFailed) continue;
    std::error_code sec;
    if (!fs::is_directory(e.symlink_status(sec))) continue;
    ListFiles(e.path(), name, name, false, state.waiting);
  }
  const fs::path processing = dir / kProcessingFolder;
  if (fs::is_directory(fs::symlink_status(processing, ec))) {
    ListTree(processing, "", false, state.processing);
  }
  const fs::path failed = dir / kFailed;
  if (fs::is_directory(fs::symlink_status(failed, ec))) {
    ListTree(failed, "", true, state.failed);
    for (auto& f : state.failed) f.path = fs::path(kFailed) / f.path;
  }
  const fs::path done = dir / kDone;
  if (fs::is_directory(fs::symlink_status(done, ec))) {
    std::vector<HotFolderEntry> all;
    ListTree(done, "", false, all);
    state.done = static_cast<int>(all.size());
  }
  std::sort(state.waiting.begin(), state.waiting.end(),
            [](const auto& a, const auto& b) { return a.modified < b.modified; });
  std::sort(state.failed.begin(), state.failed.end(),
            [](const auto& a, const auto& b) { return a.modified > b.modified; });
  const auto cut = [&](std::vector<HotFolderEntry>& v) {
    if (limit > 0 && v.size() > static_cast<std::size_t>(limit)) {
      v.resize(static_cast<std::size_t>(limit));
      state.truncated = true;
    }
  };
  cut(state.waiting);
  cut(state.processing);
  cut(state.failed);
  return state;
}

}  // namespace dossier::pipeline
