#include "storage/archive.h"

#include <fmt/format.h>

#include "storage/postgres/records.h"

#include <sys/stat.h>

#include <cstdlib>
#include <system_error>

namespace dossier::storage {
namespace {

constexpr char kMarkerName[] = "dossier-archive";
constexpr char kMarkerText[] = "dossier archive format 1\n";
constexpr char kCatalogName[] = "catalog.sqlite";
constexpr char kCatalogUrlName[] = "catalog-url";
constexpr char kObjectsName[] = "objects";

}  // namespace

void RestrictNewFiles() { ::umask(077); }

std::vector<std::string> ArchiveModeProblems(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> problems;
  auto check = [&](const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return;
    const bool is_dir = S_ISDIR(st.st_mode);
    if (!is_dir && !S_ISREG(st.st_mode)) return;
    const unsigned mode = st.st_mode & 07777;
    const unsigned wanted = is_dir ? 0700u : 0600u;
    if ((mode & 077) != 0) {
      problems.push_back(fmt::format(
          "{} is mode {:04o}, should be {:04o} (readable by others: chmod "
          "{:o} it)",
          path.string(), mode, wanted, wanted));
    }
  };
  check(dir);
  std::error_code ec;
  for (fs::recursive_directory_iterator it(
           dir, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    check(it->path());
  }
  return problems;
}

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
      sqlite_(std::move(catalog)),
      records_(sqlite_.get()),
      files_(dir_ / kObjectsName, env) {}

Archive::Archive(std::filesystem::path dir,
                 std::unique_ptr<postgres::PgCatalog> pg, Env* env)
    : dir_(std::move(dir)),
      pg_(std::move(pg)),
      pg_records_(std::make_unique<postgres::PgRecords>(*pg_)),
      records_(pg_records_.get()),
      files_(dir_ / kObjectsName, env) {}

Archive::~Archive() = default;

std::string Archive::catalog_location() const {
  if (pg_) return pg_->server();
  return (dir_ / kCatalogName).string();
}

namespace {

// What Init checks before it writes anything: no archive, no stray catalog.
Status CheckNewArchiveDir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir / kMarkerName, ec)) {
    return MakeError(
        ErrorCode::kConflict,
        fmt::format("an archive already exists at {}", dir.string()));
  }
  // A catalog without a marker is a half-finished init or someone else's
  // file: refuse rather than guess.
  for (const char* name : {kCatalogName, kCatalogUrlName}) {
    if (std::filesystem::exists(dir / name, ec)) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("{} already exists; remove it or choose "
                                   "another folder",
                                   (dir / name).string()));
    }
  }
  return Ok();
}

// Creates dir and dir/objects, owner-only. The folder may have existed
// before (an empty folder made by the operator): it is narrowed too.
Status MakeArchiveFolders(const std::filesystem::path& dir, Env* env) {
  RestrictNewFiles();
  if (auto s = env->CreateDirectories(dir / kObjectsName); !s) return s;
  for (const auto& d : {dir, dir / kObjectsName}) {
    if (::chmod(d.c_str(), 0700) != 0) {
      return MakeError(ErrorCode::kIo,
                       fmt::format("{}: cannot make it owner-only (chmod 0700)",
                                   d.string()));
    }
  }
  return Ok();
}

// The marker comes last: a folder with a marker is a complete archive.
Status WriteMarker(const std::filesystem::path& dir, Env* env) {
  return env->WriteFileAtomic(dir / kMarkerName, std::string_view(kMarkerText));
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' ||
                           text.back() == ' ' || text.back() == '\t')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

Result<std::string> ReadCatalogUrl(const std::filesystem::path& dir, Env* env) {
  auto url = env->ReadFile(dir / kCatalogUrlName);
  if (!url) return std::unexpected(url.error());
  std::error_code ec;
  if (std::filesystem::exists(dir / kCatalogName, ec)) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} has both {} and {}: which catalog is "
                                 "the archive's is unclear; move one away",
                                 dir.string(), kCatalogName, kCatalogUrlName));
  }
  std::string text = Trimmed(*url);
  if (!postgres::IsConnectionString(text)) {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("{}: not a PostgreSQL URL", (dir / kCatalogUrlName).string()));
  }
  return text;
}

Result<std::unique_ptr<Archive>> Archive::Init(const std::filesystem::path& dir,
                                               Env* env) {
  if (auto s = CheckNewArchiveDir(dir); !s) return std::unexpected(s.error());
  if (auto s = MakeArchiveFolders(dir, env); !s) return std::unexpected(s.error());
  auto catalog = Catalog::Create(dir / kCatalogName);
  if (!catalog) return std::unexpected(catalog.error());
  if (auto s = WriteMarker(dir, env); !s) return std::unexpected(s.error());
  return std::unique_ptr<Archive>(new Archive(dir, std::move(*catalog), env));
}

Result<std::unique_ptr<Archive>> Archive::InitPostgres(
    const std::filesystem::path& dir, const std::string& url, Env* env) {
  if (!postgres::IsConnectionString(url) || url.find('\n') != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--catalog: not a PostgreSQL URL (postgresql://USER@HOST:"
                     "PORT/DBNAME, or libpq key=value pairs)");
  }
  if (auto s = CheckNewArchiveDir(dir); !s) return std::unexpected(s.error());
  // The server is asked first: an unreachable server or a database that
  // already holds a catalog leaves no folder behind.
  auto pg = postgres::PgCatalog::Create(url);
  if (!pg) return std::unexpected(pg.error());
  if (auto s = MakeArchiveFolders(dir, env); !s) return std::unexpected(s.error());
  if (auto s = env->WriteFileAtomic(dir / kCatalogUrlName, url + "\n"); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = WriteMarker(dir, env); !s) return std::unexpected(s.error());
  return std::unique_ptr<Archive>(new Archive(dir, std::move(*pg), env));
}

Result<std::unique_ptr<Archive>> Archive::Open(const std::filesystem::path& dir,
                                               Env* env) {
  RestrictNewFiles();
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
  auto url = ReadCatalogUrl(dir, env);
  if (url) {
    auto pg = postgres::PgCatalog::Open(*url);
    if (!pg) return std::unexpected(pg.error());
    return std::unique_ptr<Archive>(new Archive(dir, std::move(*pg), env));
  }
  if (url.error().code != ErrorCode::kNotFound) return std::unexpected(url.error());
  auto catalog = Catalog::Open(dir / kCatalogName);
  if (!catalog) return std::unexpected(catalog.error());
  return std::unique_ptr<Archive>(new Archive(dir, std::move(*catalog), env));
}

}  // namespace dossier::storage
