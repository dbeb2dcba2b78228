// Backup, verification by restore, restore, and the file-store sweep
// (storage/backup.h).
#include "storage/backup.h"
#include "core/json_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>
#include <thread>

#include "core/clock.h"
#include "core/env.h"
#include "core/file_util.h"
#include "core/hash.h"
#include "storage/archive.h"
#include "storage/postgres/access.h"
#include "storage/postgres/catalog.h"
#include "storage/postgres/catalog_dump.h"
#include "storage/postgres/records.h"
#include "storage/sqlite/catalog_file.h"

namespace dossier::storage {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

#define BACKUP_TRY(expr)                                           \
  do {                                                             \
    if (auto _s = (expr); !_s) return std::unexpected(_s.error()); \
  } while (0)

constexpr char kBackupMarker[] = "dossier-backup";
constexpr char kBackupMarkerText[] = "dossier backup format 1\n";
constexpr char kManifest[] = "manifest.json";
constexpr char kCatalog[] = "catalog.sqlite";
// A PostgreSQL archive's catalog in a backup: pg_dump's custom format.
constexpr char kPgDump[] = "catalog.pgdump";
// A PostgreSQL archive's pointer to its database; never backed up (a
// restore names its own database).
constexpr char kCatalogUrl[] = "catalog-url";
constexpr char kKindSqlite[] = "sqlite";
constexpr char kKindPostgres[] = "postgresql";
constexpr char kArchiveMarker[] = "dossier-archive";
constexpr char kObjects[] = "objects";
// Sheets the station wrote for the archive (destruction certificates, audit
// reports and their CSVs): part of the record, so part of every backup.
constexpr char kReports[] = "reports";
// The log-signing key when it lives in the archive folder (the default; one
// the operator keeps elsewhere with DOSSIER_LOG_KEY is theirs to keep). It
// is backed up with the catalog so a restored archive can sign and export
// its log; the backup folder is owner-only like the archive.
constexpr char kSigningKey[] = "log-signing.key";
constexpr int kManifestFormat = 1;

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// "objects/ab/<sha>.pdf" -> "<sha>" when the name is a store object.
std::optional<std::string> ObjectSha(const fs::path& file) {
  std::string name = file.filename().string();
  if (!name.ends_with(".pdf")) return std::nullopt;
  name.resize(name.size() - 4);
  if (!IsSha256Hex(name)) return std::nullopt;
  if (file.parent_path().filename().string() != name.substr(0, 2)) {
    return std::nullopt;
  }
  return name;
}

std::string ObjectRelPath(const std::string& sha) {
  return std::string(kObjects) + "/" + sha.substr(0, 2) + "/" + sha + ".pdf";
}

Error IoError(const fs::path& path, std::string_view what,
              const std::error_code& ec) {
  return Error{ErrorCode::kIo,
               fmt::format("{}: {}: {}", path.string(), what, ec.message())};
}

struct FileEntry {
  std::string path;  // relative, '/' separated
  std::int64_t size = 0;
  std::string sha256;
};

// Copies one file to dest atomically, hashing the bytes; when expected_sha
// is set the bytes must match it (nothing is written otherwise).
Result<FileEntry> CopyChecked(const fs::path& from, const fs::path& to,
                              const std::string& rel,
                              const std::string& expected_sha) {
  auto bytes = ReadFile(from);
  if (!bytes) return std::unexpected(bytes.error());
  FileEntry e{rel, static_cast<std::int64_t>(bytes->size()), Sha256Hex(*bytes)};
  if (!expected_sha.empty() && e.sha256 != expected_sha) {
    return MakeError(ErrorCode::kCorruptInput,
                     fmt::format("{}: checksum mismatch: SHA-256 is {}, "
                                 "expected {}",
                                 from.string(), e.sha256, expected_sha));
  }
  BACKUP_TRY(WriteFileAtomic(to, *bytes));
  return e;
}

json EntryJson(const FileEntry& e) {
  return json{{"path", e.path}, {"size", e.size}, {"sha256", e.sha256}};
}

std::string NowIso() { return FormatUtc(Now()); }

bool IsEmptyDir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

// The catalog step of a backup: the catalog's copy in the backup folder,
// and what it names.
struct CatalogCopy {
  FileEntry entry;
  int schema_version = 0;
  int documents = 0;
  std::map<std::string, std::vector<std::string>> referenced;  // sha -> docs
};

void Reference(CatalogCopy& copy, const std::string& display_id,
               const std::string& status, const std::string& sha256) {
  ++copy.documents;
  if (status == "destroyed") return;
  copy.referenced[sha256].push_back(display_id);
}

Result<FileEntry> EntryOf(const fs::path& file, const char* name) {
  auto bytes = ReadFile(file);
  if (!bytes) return std::unexpected(bytes.error());
  return FileEntry{name, static_cast<std::int64_t>(bytes->size()), Sha256Hex(*bytes)};
}

Status RenameInto(const fs::path& tmp, const fs::path& final_name) {
  if (::rename(tmp.c_str(), final_name.c_str()) != 0) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("{}: cannot rename into place", final_name.string()));
  }
  return Ok();
}

// SQLite: the online backup API's one read snapshot.
Result<CatalogCopy> CopySqliteCatalog(const fs::path& archive_dir, const fs::path& to) {
  std::error_code ec;
  const fs::path tmp = to / fmt::format(".tmp-catalog-{}.sqlite", ::getpid());
  fs::remove(tmp, ec);
  if (auto s = CopyCatalogFile(archive_dir / kCatalog, tmp); !s) {
    fs::remove(tmp, ec);
    return std::unexpected(s.error());
  }
  CatalogCopy copy;
  {
    auto read = ReadCatalogFile(tmp);
    if (!read) return std::unexpected(read.error());
    copy.schema_version = read->schema_version;
    for (const CatalogFileDocument& d : read->documents) {
      Reference(copy, d.display_id, d.status, d.pdf_sha256);
    }
  }
  auto entry = EntryOf(tmp, kCatalog);
  if (!entry) return std::unexpected(entry.error());
  copy.entry = std::move(*entry);
  BACKUP_TRY(RenameInto(tmp, to / kCatalog));
  return copy;
}

// PostgreSQL: pg_dump of one snapshot, the documents read in the same one.
Result<CatalogCopy> DumpPostgresCatalog(const std::string& url, const fs::path& to) {
  std::error_code ec;
  const fs::path tmp = to / fmt::format(".tmp-catalog-{}.pgdump", ::getpid());
  auto dump = postgres::DumpCatalog(url, tmp);
  if (!dump) {
    fs::remove(tmp, ec);
    return std::unexpected(dump.error());
  }
  CatalogCopy copy;
  copy.schema_version = dump->schema_version;
  for (const auto& d : dump->documents) Reference(copy, d.display_id, d.status, d.pdf_sha256);
  auto entry = EntryOf(tmp, kPgDump);
  if (!entry) return std::unexpected(entry.error());
  copy.entry = std::move(*entry);
  // pg_dump does not fsync what it wrote.
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    return std::unexpected(IoError(tmp, "fsync", {err, std::generic_category()}));
  }
  ::close(fd);
  BACKUP_TRY(RenameInto(tmp, to / kPgDump));
  return copy;
}

}  // namespace

Result<BackupReport> BackupArchive(const fs::path& archive_dir,
                                   const fs::path& to) {
  RestrictNewFiles();  // a backup holds what the archive holds: owner-only
  std::error_code ec;
  const bool on_postgres = fs::is_regular_file(archive_dir / kCatalogUrl, ec);
  if (!fs::is_regular_file(archive_dir / kArchiveMarker, ec) ||
      (!on_postgres && !fs::is_regular_file(archive_dir / kCatalog, ec))) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("no archive at {} to back up",
                                 archive_dir.string()));
  }
  std::string pg_url;
  if (on_postgres) {
    auto url = ReadCatalogUrl(archive_dir);
    if (!url) return std::unexpected(url.error());
    pg_url = *url;
  }
  if (to.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "backup: the destination folder is empty");
  }
  if (fs::exists(to, ec)) {
    if (fs::equivalent(to, archive_dir, ec)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("backup: {} is the archive itself; back up "
                                   "to another disk or share",
                                   to.string()));
    }
    if (!IsEmptyDir(to) && !fs::exists(to / kBackupMarker, ec)) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("backup: {} is neither empty nor a Dossier "
                                   "backup; choose another folder",
                                   to.string()));
    }
  }
  fs::create_directories(to / kObjects, ec);
  if (ec) return std::unexpected(IoError(to / kObjects, "cannot create", ec));
  BACKUP_TRY(WriteFileAtomic(to / kBackupMarker,
                             std::string_view(kBackupMarkerText)));

  BackupReport report;
  report.to = to;
  const std::string created_at = NowIso();

  // 1. The catalog snapshot, first: every object it names exists already.
  auto catalog = on_postgres ? DumpPostgresCatalog(pg_url, to)
                             : CopySqliteCatalog(archive_dir, to);
  if (!catalog) return std::unexpected(catalog.error());
  report.schema_version = catalog->schema_version;
  report.documents = catalog->documents;
  std::map<std::string, std::vector<std::string>>& referenced = catalog->referenced;
  const FileEntry& catalog_entry = catalog->entry;
  // An earlier backup of the other kind leaves its catalog behind: gone,
  // so the folder holds one catalog.
  fs::remove(to / (on_postgres ? kCatalog : kPgDump), ec);

  // 2. The archive marker (so a restore is a complete archive).
  auto marker = CopyChecked(archive_dir / kArchiveMarker, to / kArchiveMarker,
                            kArchiveMarker, "");
  if (!marker) return std::unexpected(marker.error());
  std::optional<FileEntry> key;
  if (fs::is_regular_file(archive_dir / kSigningKey, ec)) {
    auto copied =
        CopyChecked(archive_dir / kSigningKey, to / kSigningKey, kSigningKey, "");
    if (!copied) return std::unexpected(copied.error());
    key = std::move(*copied);
  }

  // 2b. The reports folder, every regular file in it (not temporaries of
  // writes in progress, which start with a dot).
  std::vector<FileEntry> reports;
  const fs::path src_reports = archive_dir / kReports;
  if (fs::is_directory(src_reports, ec)) {
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(src_reports, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
      if (it->path().filename().string().starts_with(".")) continue;
      found.push_back(it->path());
    }
    if (ec) return std::unexpected(IoError(src_reports, "cannot list", ec));
    std::sort(found.begin(), found.end());
    for (const fs::path& p : found) {
      const std::string rel = p.lexically_relative(archive_dir).generic_string();
      fs::create_directories((to / rel).parent_path(), ec);
      if (ec) {
        return std::unexpected(
            IoError((to / rel).parent_path(), "cannot create", ec));
      }
      auto copied = CopyChecked(p, to / rel, rel, "");
      if (!copied) return std::unexpected(copied.error());
      reports.push_back(std::move(*copied));
    }
  }

  // 3. Objects, incrementally by content hash.
  std::vector<FileEntry> objects;
  std::set<std::string> in_source;
  const fs::path src_objects = archive_dir / kObjects;
  if (fs::is_directory(src_objects, ec)) {
    for (auto it = fs::recursive_directory_iterator(src_objects, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      auto sha = ObjectSha(it->path());
      if (!sha) continue;  // temporaries of writes in progress
      in_source.insert(*sha);
    }
    if (ec) return std::unexpected(IoError(src_objects, "cannot list", ec));
  }
  for (const auto& [sha, docs] : referenced) {
    if (!in_source.contains(sha) && !fs::exists(to / ObjectRelPath(sha), ec)) {
      report.problems.push_back(fmt::format(
          "{}: its file {} is missing from the archive (run `dossier verify`)",
          fmt::join(docs, ", "), sha));
    }
  }
  for (const std::string& sha : in_source) {
    const std::string rel = ObjectRelPath(sha);
    const fs::path dest = to / rel;
    const fs::path src = archive_dir / rel;
    if (fs::is_regular_file(dest, ec) &&
        fs::file_size(dest, ec) == fs::file_size(src, ec) && !ec) {
      ++report.objects_skipped;
      objects.push_back({rel, static_cast<std::int64_t>(fs::file_size(dest, ec)),
                         sha});
      continue;
    }
    auto copied = CopyChecked(src, dest, rel, sha);
    if (!copied) {
      if (copied.error().code == ErrorCode::kNotFound) continue;  // destroyed
      report.problems.push_back(
          fmt::format("{}{}", copied.error().message,
                      referenced.contains(sha)
                          ? fmt::format(" (file of {}; not copied)",
                                        fmt::join(referenced[sha], ", "))
                          : ""));
      // A good copy from an earlier backup stays listed.
      if (fs::is_regular_file(dest, ec)) {
        objects.push_back(
            {rel, static_cast<std::int64_t>(fs::file_size(dest, ec)), sha});
      }
      continue;
    }
    ++report.objects_copied;
    report.bytes_copied += copied->size;
    objects.push_back(std::move(*copied));
  }
  // Objects in the backup that the archive no longer has and the snapshot
  // does not name: files of destroyed documents. Destruction purges them
  // from backups too.
  std::set<std::string> listed;
  for (const auto& o : objects) listed.insert(o.sha256);
  std::vector<fs::path> stale;
  for (auto it = fs::recursive_directory_iterator(to / kObjects, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto sha = ObjectSha(it->path());
    if (!sha) {
      stale.push_back(it->path());  // a temporary of an interrupted backup
      continue;
    }
    if (listed.contains(*sha)) continue;
    if (referenced.contains(*sha)) {
      objects.push_back({ObjectRelPath(*sha),
                         static_cast<std::int64_t>(fs::file_size(it->path(), ec)),
                         *sha});
      continue;
    }
    stale.push_back(it->path());
    ++report.objects_removed;
  }
  for (const auto& p : stale) fs::remove(p, ec);
  report.objects = static_cast<int>(objects.size());

  // 4. The manifest, last.
  json files = json::array();
  files.push_back(EntryJson(catalog_entry));
  files.push_back(EntryJson(*marker));
  if (key) files.push_back(EntryJson(*key));
  for (const auto& r : reports) files.push_back(EntryJson(r));
  std::sort(objects.begin(), objects.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  for (const auto& o : objects) files.push_back(EntryJson(o));
  json manifest{{"format", kManifestFormat},
                {"catalog", on_postgres ? kKindPostgres : kKindSqlite},
                {"created_at", created_at},
                {"source", fs::absolute(archive_dir).lexically_normal().string()},
                {"schema_version", report.schema_version},
                {"documents", report.documents},
                {"files", files}};
  BACKUP_TRY(WriteFileAtomic(to / kManifest, DumpJson(manifest, 1) + "\n"));
  return report;
}

namespace {

struct Manifest {
  std::string catalog = kKindSqlite;  // kKindSqlite or kKindPostgres
  std::string created_at;
  int schema_version = 0;
  std::vector<FileEntry> files;
};

Result<Manifest> ReadManifest(const fs::path& backup) {
  std::error_code ec;
  if (!fs::is_regular_file(backup / kBackupMarker, ec)) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("{} is not a Dossier backup (no {})",
                                 backup.string(), kBackupMarker));
  }
  auto text = ReadFile(backup / kManifest);
  if (!text) {
    return MakeError(text.error().code,
                     fmt::format("{}: no manifest; the backup never finished "
                                 "({})",
                                 backup.string(), text.error().message));
  }
  json j = json::parse(*text, nullptr, false);
  const std::string name = (backup / kManifest).string();
  if (j.is_discarded() || !j.is_object() || !j.contains("files") ||
      !j["files"].is_array()) {
    return MakeError(ErrorCode::kCorruptInput, name + ": not a valid manifest");
  }
  if (j.value("format", 0) != kManifestFormat) {
    return MakeError(ErrorCode::kUnsupported,
                     fmt::format("{}: manifest format {} is not {}", name,
                                 j.value("format", 0), kManifestFormat));
  }
  Manifest m;
  m.catalog = j.value("catalog", std::string(kKindSqlite));
  if (m.catalog != kKindSqlite && m.catalog != kKindPostgres) {
    return MakeError(ErrorCode::kUnsupported,
                     fmt::format("{}: catalog kind '{}' is not sqlite or postgresql", name,
                                 m.catalog));
  }
  m.created_at = j.value("created_at", "");
  m.schema_version = j.value("schema_version", 0);
  for (const auto& f : j["files"]) {
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string() ||
        !f.contains("sha256") || !f["sha256"].is_string()) {
      return MakeError(ErrorCode::kCorruptInput,
                       name + ": a file entry lacks path or sha256");
    }
    FileEntry e{f["path"].get<std::string>(), f.value("size", std::int64_t{0}),
                f["sha256"].get<std::string>()};
    // Paths are relative and stay inside the backup.
    const fs::path p(e.path);
    if (p.is_absolute() || e.path.find("..") != std::string::npos ||
        e.path.empty()) {
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("{}: refusing file path '{}'", name, e.path));
    }
    m.files.push_back(std::move(e));
  }
  return m;
}

// Copies every manifest file into dest, checking sizes and checksums.
// Problems are collected; returns the number of files checked.
int CopyAll(const fs::path& backup, const Manifest& m, const fs::path& dest,
            std::vector<std::string>* problems) {
  int checked = 0;
  std::set<std::string> listed;
  for (const FileEntry& e : m.files) {
    listed.insert(e.path);
    ++checked;
    auto copied = CopyChecked(backup / e.path, dest / e.path, e.path, e.sha256);
    if (!copied) {
      problems->push_back(copied.error().message);
    } else if (copied->size != e.size) {
      problems->push_back(fmt::format("{}: size {} differs from the manifest's "
                                      "{}",
                                      (backup / e.path).string(), copied->size,
                                      e.size));
    }
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(backup / kObjects, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string rel =
        it->path().lexically_relative(backup).generic_string();
    if (!ObjectSha(it->path())) continue;
    if (!listed.contains(rel)) {
      problems->push_back(fmt::format("{}: not in the manifest",
                                      it->path().string()));
    }
  }
  return checked;
}

// Checks a restored archive: on SQLite integrity and foreign keys; opening
// it (which upgrades the schema); on PostgreSQL the access log's hash
// chain; every live document's file must be present.
void CheckRestored(const fs::path& dir, BackupCheck* check) {
  const bool on_postgres = fs::exists(dir / kCatalogUrl);
  if (!on_postgres) {
    CatalogFileCheck file = CheckCatalogFile(dir / kCatalog);
    check->integrity = file.integrity;
    check->problems.insert(check->problems.end(), file.problems.begin(),
                           file.problems.end());
    if (!file.complete) return;
  }
  auto archive = Archive::Open(dir);
  if (!archive) {
    check->problems.push_back("opening the restored archive: " +
                              archive.error().message);
    return;
  }
  Result<std::vector<DocumentRecord>> docs;
  if (on_postgres) {
    postgres::PgCatalog& pg = *(*archive)->postgres();
    check->restored_schema = pg.SchemaVersion().value_or(0);
    auto log = postgres::PgAccess(pg, dir).VerifyLog();
    if (!log) {
      check->problems.push_back("checking the access log: " + log.error().message);
    } else if (!log->ok) {
      check->problems.push_back(fmt::format("the access log's hash chain breaks at entry {}: {}",
                                            log->first_bad, log->problem));
    }
    check->integrity = log && log->ok
                           ? fmt::format("restored by pg_restore; access log chain ok ({} entries)",
                                         log->entries)
                           : "restored by pg_restore";
    docs = postgres::PgRecords(pg).ListDocuments("");
  } else {
    check->restored_schema = (*archive)->catalog().SchemaVersion();
    docs = (*archive)->catalog().ListDocuments("");
  }
  if (!docs) {
    check->problems.push_back(docs.error().message);
    return;
  }
  for (const DocumentRecord& d : *docs) {
    ++check->documents;
    if (d.status == "destroyed") {
      ++check->destroyed;
      continue;
    }
    if (!(*archive)->files().Contains(d.pdf_sha256)) {
      check->problems.push_back(fmt::format("{}: its file {} is not in the "
                                            "backup",
                                            d.display_id, d.pdf_sha256));
    }
  }
}

}  // namespace

namespace {

// A PostgreSQL backup copied into dir: its dump restored into the database
// at url, and dir made an archive of it (catalog-url in place of the dump).
Status RestorePostgresInto(const fs::path& dir, const std::string& url) {
  BACKUP_TRY(postgres::RestoreCatalog(dir / kPgDump, url));
  BACKUP_TRY(WriteFileAtomic(dir / kCatalogUrl, url + "\n"));
  std::error_code ec;
  fs::remove(dir / kPgDump, ec);
  return Ok();
}

}  // namespace

Result<BackupCheck> VerifyBackup(const fs::path& backup,
                                 const fs::path& scratch_parent,
                                 const std::string& scratch_server) {
  auto manifest = ReadManifest(backup);
  if (!manifest) return std::unexpected(manifest.error());
  if (manifest->catalog == kKindPostgres && scratch_server.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} holds a PostgreSQL catalog: checking it restores it "
                                 "into a scratch database; name a server for it "
                                 "(--scratch-url postgresql://USER@HOST:PORT/DBNAME)",
                                 backup.string()));
  }
  std::error_code ec;
  fs::path parent = scratch_parent.empty() ? fs::temp_directory_path(ec)
                                           : scratch_parent;
  std::string pattern = (parent / "dossier-restore-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("{}: cannot create a scratch folder",
                                 parent.string()));
  }
  const fs::path scratch(pattern);
  BackupCheck check;
  check.backup = backup;
  check.created_at = manifest->created_at;
  check.schema_version = manifest->schema_version;
  check.files_checked = CopyAll(backup, *manifest, scratch, &check.problems);
  if (check.problems.empty() && manifest->catalog == kKindPostgres) {
    auto db = postgres::CreateScratchDatabase(scratch_server);
    if (!db) {
      fs::remove_all(scratch, ec);
      return std::unexpected(db.error());
    }
    if (auto s = RestorePostgresInto(scratch, db->url); !s) {
      check.problems.push_back(s.error().message);
    } else {
      CheckRestored(scratch, &check);
    }
    if (auto s = postgres::DropScratchDatabase(*db); !s) {
      check.problems.push_back("the scratch database " + db->name +
                               " could not be dropped: " + s.error().message);
    }
  } else if (check.problems.empty()) {
    CheckRestored(scratch, &check);
  }
  fs::remove_all(scratch, ec);
  return check;
}

namespace {

// A restore is copied into "<parent>/.<name>.restoring-<pid>" and renamed
// onto <name> once verified; the name of a killed one says whose it was.
constexpr std::string_view kRestoringInfix = ".restoring-";

std::string StagingPrefix(const fs::path& target) {
  return "." + target.filename().string() + std::string(kRestoringInfix);
}

// Removes the staging folders of restores into target whose process is gone
// (killed mid-copy): never a complete archive, so nothing to resume.
// Returns how many were removed.
int RemoveAbandonedRestores(const fs::path& target) {
  std::error_code ec;
  const fs::path parent = target.parent_path().empty() ? fs::path(".")
                                                       : target.parent_path();
  const std::string prefix = StagingPrefix(target);
  std::vector<fs::path> abandoned;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() ||
        pid_text.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    // kill(pid, 0) fails with ESRCH once the process is gone.
    if (pid == ::getpid() || (::kill(pid, 0) != 0 && errno == ESRCH)) {
      abandoned.push_back(e.path());
    }
  }
  for (const auto& dir : abandoned) fs::remove_all(dir, ec);
  return static_cast<int>(abandoned.size());
}

Status SyncDir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return std::unexpected(IoError(dir, "cannot open", {errno, std::generic_category()}));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return std::unexpected(IoError(dir, "fsync", {err, std::generic_category()}));
  return Ok();
}

}  // namespace

Result<BackupCheck> RestoreBackup(const fs::path& backup,
                                  const fs::path& new_archive,
                                  const std::string& catalog_url) {
  RestrictNewFiles();
  auto manifest = ReadManifest(backup);
  if (!manifest) return std::unexpected(manifest.error());
  if (manifest->catalog == kKindPostgres && catalog_url.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} holds a PostgreSQL catalog: restore it into an empty "
                                 "database (--catalog postgresql://USER@HOST:PORT/DBNAME)",
                                 backup.string()));
  }
  if (manifest->catalog == kKindSqlite && !catalog_url.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} holds a SQLite catalog: restore it without --catalog, "
                                 "then move it with `dossier migrate --to`",
                                 backup.string()));
  }
  if (!catalog_url.empty() && !postgres::IsConnectionString(catalog_url)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--catalog: not a PostgreSQL URL (postgresql://USER@HOST:PORT/DBNAME, "
                     "or libpq key=value pairs)");
  }
  std::error_code ec;
  const fs::path target = fs::absolute(new_archive, ec).lexically_normal();
  const fs::path named =
      target.has_filename() ? target : target.parent_path();  // "dir/" -> dir
  if (fs::exists(named, ec) && !IsEmptyDir(named)) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("restore: {} exists and is not empty; restore "
                                 "into a new folder",
                                 new_archive.string()));
  }
  const fs::path parent = named.parent_path();
  if (auto s = Env::Default()->CreateDirectories(parent); !s) {
    return std::unexpected(s.error());
  }
  RemoveAbandonedRestores(named);
  // Everything lands in a staging folder beside the target, invisible under
  // the target's name until it is complete and checked.
  const fs::path staging =
      parent / (StagingPrefix(named) + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  auto cleanup = [&] { fs::remove_all(staging, ec); };
  auto refused = [&](const BackupCheck& check) {
    cleanup();
    return MakeError(ErrorCode::kCorruptInput,
                     fmt::format("restore from {} refused, nothing restored: {}",
                                 backup.string(), fmt::join(check.problems, "; ")));
  };
  BackupCheck check;
  check.backup = backup;
  check.created_at = manifest->created_at;
  check.schema_version = manifest->schema_version;
  check.files_checked = CopyAll(backup, *manifest, staging, &check.problems);
  if (!check.problems.empty()) return refused(check);
  if (manifest->catalog == kKindPostgres) {
    // Checked in a scratch database on the same server first, so the
    // target database is written only with a backup known to be good, and
    // then in one transaction (all of it or nothing).
    const fs::path dump = staging / kPgDump;
    const fs::path kept = staging.parent_path() / (staging.filename().string() + ".pgdump");
    auto db = postgres::CreateScratchDatabase(catalog_url);
    if (!db) {
      cleanup();
      return std::unexpected(db.error());
    }
    std::error_code copy_ec;
    fs::copy_file(dump, kept, fs::copy_options::overwrite_existing, copy_ec);
    if (auto s = RestorePostgresInto(staging, db->url); !s) {
      check.problems.push_back(s.error().message);
    } else {
      CheckRestored(staging, &check);
    }
    (void)postgres::DropScratchDatabase(*db);
    if (copy_ec) check.problems.push_back(IoError(kept, "cannot copy", copy_ec).message);
    if (!check.problems.empty()) {
      fs::remove(kept, ec);
      return refused(check);
    }
    fs::rename(kept, dump, ec);
    if (auto s = RestorePostgresInto(staging, catalog_url); !s) {
      cleanup();
      return std::unexpected(s.error());
    }
    check.restored_schema = 0;
    check.documents = 0;
    check.destroyed = 0;
    CheckRestored(staging, &check);
    if (!check.problems.empty()) return refused(check);
  } else {
    CheckRestored(staging, &check);
    if (!check.problems.empty()) return refused(check);
  }
  // The folders' entries are made durable before the name appears.
  for (auto it = fs::recursive_directory_iterator(staging, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec)) {
      if (auto s = SyncDir(it->path()); !s) {
        cleanup();
        return std::unexpected(s.error());
      }
    }
  }
  if (auto s = SyncDir(staging); !s) {
    cleanup();
    return std::unexpected(s.error());
  }
  // rename(2) replaces an empty directory atomically.
  if (::rename(staging.c_str(), named.c_str()) != 0) {
    const int err = errno;
    cleanup();
    return std::unexpected(IoError(named, "cannot rename the restored archive "
                                          "into place",
                                   {err, std::generic_category()}));
  }
  if (auto s = SyncDir(parent); !s) return std::unexpected(s.error());
  return check;
}

Result<SweepReport> SweepFileStore(const fs::path& archive_dir,
                                   std::chrono::seconds min_age,
                                   bool dry_run) {
  std::error_code ec;
  if (!fs::is_regular_file(archive_dir / kArchiveMarker, ec)) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("no archive at {}", archive_dir.string()));
  }
  // The set of named files first: a file written after this read is newer
  // than min_age (unless min_age is 0, see the header).
  Result<std::set<std::string>> named;
  if (fs::is_regular_file(archive_dir / kCatalogUrl, ec)) {
    auto url = ReadCatalogUrl(archive_dir);
    if (!url) return std::unexpected(url.error());
    named = postgres::NamedFiles(*url);
  } else {
    named = NamedObjects(archive_dir / kCatalog);
  }
  if (!named) return std::unexpected(named.error());
  SweepReport report;
  const auto now = fs::file_time_type::clock::now();
  std::vector<fs::path> doomed;
  for (auto it = fs::recursive_directory_iterator(archive_dir / kObjects, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto mtime = fs::last_write_time(it->path(), ec);
    if (ec || now - mtime < min_age) continue;
    const std::string name = it->path().filename().string();
    if (name.starts_with(".tmp-")) {
      ++report.temporaries_removed;
      doomed.push_back(it->path());
    } else if (auto sha = ObjectSha(it->path()); sha && !named->contains(*sha)) {
      ++report.orphans_removed;
      doomed.push_back(it->path());
    }
  }
  if (ec) {
    return std::unexpected(IoError(archive_dir / kObjects, "cannot list", ec));
  }
  for (const auto& p : doomed) {
    report.removed.push_back(p.string());
    if (!dry_run) fs::remove(p, ec);
  }
  return report;
}

}  // namespace dossier::storage
