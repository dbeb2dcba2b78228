#include "core/output_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "core/env.h"

namespace dossier {
namespace fs = std::filesystem;
namespace {

std::unexpected<Error> Refused(const fs::path& target, const std::string& why) {
  return MakeError(ErrorCode::kInvalidArgument, target.string() + ": " + why);
}

// The target as the file system resolves it: its parent made absolute and
// free of symbolic links and "..", then its own name.
fs::path Resolved(const fs::path& target) {
  std::error_code ec;
  fs::path absolute = fs::absolute(target, ec);
  if (ec) absolute = target;
  fs::path parent = fs::weakly_canonical(absolute.parent_path(), ec);
  if (ec) parent = absolute.parent_path().lexically_normal();
  return parent / absolute.filename();
}

bool Inside(const fs::path& path, const fs::path& folder) {
  const fs::path rel = path.lexically_relative(folder);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

Status CheckOutputFile(const fs::path& target, const OutputFileOptions& options) {
  if (target.empty() || !target.has_filename() || target.filename() == "." ||
      target.filename() == "..") {
    return Refused(target, "not a file name");
  }
  if (!options.protect.empty()) {
    std::error_code ec;
    fs::path folder = fs::weakly_canonical(fs::absolute(options.protect, ec), ec);
    if (ec) folder = options.protect.lexically_normal();
    const fs::path resolved = Resolved(target);
    if (Inside(resolved, folder)) {
      return Refused(target, "is inside the archive folder " + folder.string() +
                                 "; write output files elsewhere");
    }
  }
  struct stat st {};
  if (::lstat(target.c_str(), &st) != 0) {
    if (errno == ENOENT) return Ok();
    return MakeError(ErrorCode::kIo, target.string() + ": cannot stat: " +
                                         std::strerror(errno));
  }
  if (S_ISLNK(st.st_mode)) {
    return Refused(target, "is a symbolic link; give the file it points to");
  }
  if (S_ISDIR(st.st_mode)) return Refused(target, "is a directory");
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
    return Refused(target, "is a device, not a regular file");
  }
  if (S_ISFIFO(st.st_mode)) return Refused(target, "is a FIFO, not a regular file");
  if (!S_ISREG(st.st_mode)) return Refused(target, "is not a regular file");
  if (!options.replace) {
    return MakeError(ErrorCode::kConflict,
                     target.string() + ": exists" +
                         (options.has_force_flag ? " (use --force to overwrite)"
                                                 : ""));
  }
  return Ok();
}

Status WriteOutputFile(const fs::path& target, std::string_view bytes,
                       const OutputFileOptions& options) {
  if (auto s = CheckOutputFile(target, options); !s) return s;
  Env* env = Env::Default();
  const fs::path dir =
      target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (auto s = env->CreateDirectories(dir); !s) return s;
  thread_local std::mt19937_64 random{std::random_device{}()};
  const fs::path tmp = dir / (".tmp-" + target.filename().string() + "-" +
                              std::to_string(::getpid()) + "-" +
                              std::to_string(random() % 1000000000u));
  auto file = env->NewWritableFile(tmp);
  if (!file) return std::unexpected(file.error());
  Status s = (*file)->Append(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  if (s) s = (*file)->Sync();
  Status closed = (*file)->Close();
  if (s && !closed) s = closed;
  // The target may have changed while the bytes were written.
  if (s) s = CheckOutputFile(target, options);
  if (s) s = env->RenameFile(tmp, target);
  if (!s) {
    (void)env->RemoveFile(tmp);
    return s;
  }
  return env->SyncDirectory(dir);
}

}  // namespace dossier
