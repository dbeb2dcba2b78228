#include "core/file_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace dossier {

namespace fs = std::filesystem;

namespace {

std::string Errno() { return std::strerror(errno); }

Status FsyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, dir.string() + ": cannot open: " + Errno());
  }
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) {
    return MakeError(ErrorCode::kIo, dir.string() + ": fsync: " + Errno());
  }
  return Ok();
}

}  // namespace

Status WriteFileAtomic(const fs::path& path, std::span<const std::uint8_t> bytes) {
  std::error_code ec;
  fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  fs::create_directories(dir, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     dir.string() + ": cannot create directory: " + ec.message());
  }
  std::random_device rd;
  fs::path tmp = dir / (".tmp-" + path.filename().string() + "-" +
                        std::to_string(::getpid()) + "-" + std::to_string(rd()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, tmp.string() + ": cannot create: " + Errno());
  }
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string reason = Errno();
      ::close(fd);
      ::unlink(tmp.c_str());
      return MakeError(ErrorCode::kIo, path.string() + ": write failed: " + reason);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    std::string reason = Errno();
    ::close(fd);
    ::unlink(tmp.c_str());
    return MakeError(ErrorCode::kIo, path.string() + ": fsync failed: " + reason);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string reason = Errno();
    ::unlink(tmp.c_str());
    return MakeError(ErrorCode::kIo, path.string() + ": rename failed: " + reason);
  }
  return FsyncDirectory(dir);
}

Status WriteFileAtomic(const fs::path& path, std::string_view bytes) {
  return WriteFileAtomic(
      path, std::span<const std::uint8_t>(
                reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Result<std::string> ReadFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return MakeError(ErrorCode::kNotFound, path.string() + ": no such file");
  }
  if (fs::is_directory(path, ec)) {
    return MakeError(ErrorCode::kInvalidArgument, path.string() + ": is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIo, path.string() + ": cannot open: " + Errno());
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    return MakeError(ErrorCode::kIo, path.string() + ": read error");
  }
  return ss.str();
}

}  // namespace dossier
