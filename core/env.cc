#include "core/env.h"

#include "core/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

namespace dossier {

namespace fs = std::filesystem;

Error PosixError(const fs::path& file, std::string_view operation,
                 int error_number) {
  std::string message = file.string();
  message += ": ";
  message += operation;
  message += ": ";
  message += std::strerror(error_number);
  return Error{ErrorCode::kIo, std::move(message)};
}

WritableFile::~WritableFile() = default;
Env::~Env() = default;

namespace {

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(fs::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(std::span<const std::uint8_t> bytes) override {
    size_t written = 0;
    while (written < bytes.size()) {
      ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        return std::unexpected(PosixError(path_, "write", errno));
      }
      written += static_cast<size_t>(n);
    }
    return Ok();
  }

  Status Sync() override {
    if (::fsync(fd_) != 0)
      return std::unexpected(PosixError(path_, "fsync", errno));
    return Ok();
  }

  Status Close() override {
    // Linux releases the descriptor even when close reports an error, so it
    // is never retried.
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return std::unexpected(PosixError(path_, "close", errno));
    return Ok();
  }

 private:
  const fs::path path_;
  int fd_;
};

class PosixEnv final : public Env {
 public:
  Result<std::unique_ptr<WritableFile>> NewWritableFile(
      const fs::path& path) override {
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
      return std::unexpected(PosixError(path, "cannot create", errno));
    return std::make_unique<PosixWritableFile>(path, fd);
  }

  Result<std::string> ReadFile(const fs::path& path) override {
    // O_NONBLOCK: a FIFO opens without waiting for a writer, and is then
    // refused below with the devices; only regular files are read.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
      // ENOTDIR: a leading component is a file, so this name is absent too.
      if (errno == ENOENT || errno == ENOTDIR) {
        return MakeError(ErrorCode::kNotFound,
                         path.string() + ": no such file");
      }
      if (errno == EISDIR) return IsDirectory(path);
      return std::unexpected(PosixError(path, "cannot open", errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      const int err = errno;
      ::close(fd);
      return std::unexpected(PosixError(path, "cannot stat", err));
    }
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return IsDirectory(path);
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      return MakeError(ErrorCode::kInvalidArgument,
                       path.string() + ": is " + NonRegularKind(st.st_mode) +
                           ", not a regular file; refused without reading it");
    }
    std::string out;
    // The size is a hint only; the loop reads to the end either way.
    out.reserve(static_cast<size_t>(st.st_size));
    char buffer[64 * 1024];
    while (true) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd);
        return std::unexpected(PosixError(path, "read", err));
      }
      if (n == 0) break;
      out.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
  }

  Status RenameFile(const fs::path& from, const fs::path& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return std::unexpected(
          PosixError(from, "cannot rename to " + to.string(), errno));
    }
    return Ok();
  }

  Status RemoveFile(const fs::path& path) override {
    if (::unlink(path.c_str()) != 0) {
      if (errno == ENOENT) {
        return MakeError(ErrorCode::kNotFound,
                         path.string() + ": no such file");
      }
      return std::unexpected(PosixError(path, "cannot remove", errno));
    }
    return Ok();
  }

  Status CreateDirectories(const fs::path& dir) override {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      return MakeError(
          ErrorCode::kIo,
          dir.string() + ": cannot create directory: " + ec.message());
    }
    return Ok();
  }

  Status SyncDirectory(const fs::path& dir) override {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return std::unexpected(PosixError(dir, "cannot open", errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) return std::unexpected(PosixError(dir, "fsync", err));
    return Ok();
  }

  bool FileExists(const fs::path& path) override {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  }

  Result<std::uint64_t> FileSize(const fs::path& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) {
        return MakeError(ErrorCode::kNotFound,
                         path.string() + ": no such file");
      }
      return std::unexpected(PosixError(path, "cannot stat", errno));
    }
    if (!S_ISREG(st.st_mode)) {
      return MakeError(ErrorCode::kNotFound,
                       path.string() + ": not a regular file");
    }
    return static_cast<std::uint64_t>(st.st_size);
  }

 private:
  static std::unexpected<Error> IsDirectory(const fs::path& path) {
    return MakeError(ErrorCode::kInvalidArgument,
                     path.string() + ": is a directory");
  }
};

// Unique among the writers of one directory: the pid tells processes apart,
// the counter threads of one process, and the random part a pid reused
// after a crash that left a temporary behind.
std::string TempName(const fs::path& path) {
  static std::atomic<std::uint64_t> counter{0};
  thread_local std::mt19937_64 random{std::random_device{}()};
  return ".tmp-" + path.filename().string() + "-" + std::to_string(::getpid()) +
         "-" + std::to_string(counter.fetch_add(1)) + "-" +
         std::to_string(random() % 1000000000u);
}

}  // namespace

Env* Env::Default() {
  // Leaked on purpose: process lifetime, and usable during static
  // destruction.
  static Env* const env = new PosixEnv;
  return env;
}

Status Env::WriteFileAtomic(const fs::path& path,
                            std::span<const std::uint8_t> bytes) {
  const fs::path dir =
      path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (auto s = CreateDirectories(dir); !s) return s;
  const fs::path tmp = dir / TempName(path);
  auto file = NewWritableFile(tmp);
  // A failed exclusive create made no file, so there is nothing to remove.
  if (!file) return std::unexpected(file.error());
  Status s = (*file)->Append(bytes);
  if (s) s = (*file)->Sync();
  // Close even after an error, and report close's error only if nothing
  // failed before it.
  Status closed = (*file)->Close();
  if (s && !closed) s = closed;
  if (s) s = RenameFile(tmp, path);
  if (!s) {
    // Best effort: the error that matters is s. A temporary that cannot be
    // removed is left for `dossier backup sweep`.
    (void)RemoveFile(tmp);
    return s;
  }
  return SyncDirectory(dir);
}

Status Env::WriteFileAtomic(const fs::path& path, std::string_view bytes) {
  return WriteFileAtomic(
      path,
      std::span<const std::uint8_t>(
          reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace dossier
