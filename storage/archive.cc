#include "storage/archive.h"

#include <fmt/format.h>

#include <cstdlib>
#include <system_error>

namespace dossier::storage {
namespace {

constexpr char kMarkerName[] = "dossier-archive";
constexpr char kMarkerText[] = "dossier archive format 1\n";
constexpr char kCatalogName[] = "catalog.sqlite";
constexpr char kObjectsName[] = "objects";

}  // namespace

std::filesystem::path ResolveArchiveDir(
    const std::optional<std::filesystem::path>& explicit_dir) {
  if (explicit_dir && !explicit_dir->empty()) return *explicit_dir;
  const char* env = std::getenv("DOSSIER_ARCHIVE");
  if (env != nullptr && *env != '\0') return std::filesystem::path(env);
  return std::filesystem::path("archive");
}

Archive::Archive(std::filesystem::path dir, std::unique_ptr<Catalog> catalog,
                 Env* env)
    : dir_(std::move(dir)),
      catalog_(std::move(catalog)),
      files_(dir_ / kObjectsName, env) {}

Result<std::unique_ptr<Archive>> Archive::Init(const std::filesystem::path& dir,
                                               Env* env) {
  std::error_code ec;
  if (std::filesystem::exists(dir / kMarkerName, ec)) {
    return MakeError(
        ErrorCode::kConflict,
        fmt::format("an archive already exists at {}", dir.string()));
  }
  // A catalog without a marker is a half-finished init or someone else's
  // file: refuse rather than guess.
  if (std::filesystem::exists(dir / kCatalogName, ec)) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} already exists; remove it or choose "
                                 "another folder",
                                 (dir / kCatalogName).string()));
  }
  if (auto s = env->CreateDirectories(dir / kObjectsName); !s) {
    return std::unexpected(s.error());
  }
  auto catalog = Catalog::Create(dir / kCatalogName);
  if (!catalog) return std::unexpected(catalog.error());
  // The marker comes last: a folder with a marker is a complete archive.
  if (auto s = env->WriteFileAtomic(dir / kMarkerName,
                                    std::string_view(kMarkerText));
      !s) {
    return std::unexpected(s.error());
  }
  return std::unique_ptr<Archive>(new Archive(dir, std::move(*catalog), env));
}

Result<std::unique_ptr<Archive>> Archive::Open(const std::filesystem::path& dir,
                                               Env* env) {
  auto marker = env->ReadFile(dir / kMarkerName);
  if (!marker) {
    if (marker.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound,
                       fmt::format("no archive at {} (run `dossier init {}` or "
                                   "set DOSSIER_ARCHIVE)",
                                   dir.string(), dir.string()));
    }
    return std::unexpected(marker.error());
  }
  if (*marker != kMarkerText) {
    return MakeError(
        ErrorCode::kUnsupported,
        fmt::format(
            "{}: unknown archive format; this program "
            "reads '{}'",
            (dir / kMarkerName).string(),
            std::string_view(kMarkerText).substr(0, sizeof(kMarkerText) - 2)));
  }
  auto catalog = Catalog::Open(dir / kCatalogName);
  if (!catalog) return std::unexpected(catalog.error());
  return std::unique_ptr<Archive>(new Archive(dir, std::move(*catalog), env));
}

}  // namespace dossier::storage
