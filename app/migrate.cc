// MigrateToPostgres (app/migrate.h).
#include "app/migrate.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "app/operation.h"
#include "core/env.h"
#include "core/hash.h"
#include "storage/archive.h"
#include "storage/postgres/access.h"
#include "storage/postgres/catalog.h"
#include "storage/postgres/catalog_load.h"

namespace dossier::app {
namespace {

namespace fs = std::filesystem;
namespace pg = storage::postgres;

Error CopyDiffers(const std::string& server, const std::string& what) {
  return Error{ErrorCode::kCatalog,
               fmt::format("the copy on {} is not the archive's catalog: {}; the "
                           "archive goes on with its SQLite catalog (the "
                           "database is left as it is, for a look: drop it "
                           "before trying again)",
                           server, what)};
}

// Every stored file a live document names: present, with its checksum.
Result<std::int64_t> CheckFiles(storage::TableSource& source, storage::FileStore& files,
                                const std::string& server) {
  std::map<std::string, std::string> status;  // document id -> status
  std::set<std::string> wanted;
  auto s = source.Rows("documents", {"id", "status", "pdf_sha256"}, {"id"},
                       [&](const std::vector<storage::Cell>& row) -> Status {
                         status[row[0].value_or("")] = row[1].value_or("");
                         if (row[1].value_or("") != "destroyed" && row[2]) {
                           wanted.insert(*row[2]);
                         }
                         return Ok();
                       });
  if (!s) return std::unexpected(s.error());
  s = source.Rows("document_files", {"id", "document_id", "sha256"}, {"id"},
                  [&](const std::vector<storage::Cell>& row) -> Status {
                    if (status[row[1].value_or("")] != "destroyed" && row[2]) {
                      wanted.insert(*row[2]);
                    }
                    return Ok();
                  });
  if (!s) return std::unexpected(s.error());
  for (const std::string& sha : wanted) {
    auto bytes = files.Get(sha);
    if (!bytes) {
      return std::unexpected(CopyDiffers(
          server, fmt::format("stored file {} cannot be read: {}",
                              files.PathFor(sha).string(), bytes.error().message)));
    }
    if (Sha256Hex(*bytes) != sha) {
      return std::unexpected(CopyDiffers(
          server, fmt::format("stored file {} does not have its checksum {}",
                              files.PathFor(sha).string(), sha)));
    }
  }
  return static_cast<std::int64_t>(wanted.size());
}

}  // namespace

Result<MigrateReport> MigrateToPostgres(std::unique_ptr<Station>& station,
                                        const Caller& caller, const std::string& url) {
  Operation op(*station, caller, "archive.migrate");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  const fs::path dir = station->archive().dir();
  auto run = [&]() -> Result<MigrateReport> {
    if (station->OnPostgres()) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("archive {} has its catalog on PostgreSQL "
                                   "already ({})",
                                   dir.string(), station->CatalogLocation()));
    }
    if (!storage::postgres::IsConnectionString(url)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--to: not a PostgreSQL URL (postgresql://USER@HOST:PORT/"
                       "DBNAME, or libpq key=value pairs)");
    }
    const fs::path kept = dir / "catalog.sqlite.migrated";
    std::error_code ec;
    if (fs::exists(kept, ec)) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("{} exists (an earlier migration's catalog); "
                                   "move it away first",
                                   kept.string()));
    }
    // A database with the schema and no records will do (an earlier
    // attempt that was refused left it so); LoadCatalog refuses records.
    auto target = pg::PgCatalog::Open(url);
    if (!target) return std::unexpected(target.error());
    const std::string server = (*target)->server();
    MigrateReport report;
    report.server = server;
    {
      auto snapshot = station->catalog().Snapshot();
      if (!snapshot) return std::unexpected(snapshot.error());
      auto load = pg::LoadCatalog(**target, **snapshot);
      if (!load) return std::unexpected(load.error());
      report.pages_indexed = load->pages_indexed;
      auto back = pg::DigestCatalog(**target, load->tables);
      if (!back) return std::unexpected(back.error());
      for (size_t i = 0; i < load->tables.size(); ++i) {
        const auto& a = load->tables[i];
        const auto& b = (*back)[i];
        if (a.rows != b.rows) {
          return std::unexpected(CopyDiffers(
              server, fmt::format("table {} has {} rows here and {} there", a.table,
                                  a.rows, b.rows)));
        }
        if (a.sha256 != b.sha256) {
          return std::unexpected(CopyDiffers(
              server, fmt::format("table {} holds other values there", a.table)));
        }
        report.tables.push_back(MigratedTable{a.table, a.rows, a.sha256});
      }
      pg::PgAccess access(**target, dir);
      auto log = access.VerifyLog();
      if (!log) return std::unexpected(log.error());
      if (!log->ok) {
        return std::unexpected(CopyDiffers(
            server, fmt::format("the access log's hash chain breaks at entry {}: {}",
                                log->first_bad, log->problem)));
      }
      report.log_entries = log->entries;
      auto files = CheckFiles(**snapshot, station->archive().files(), server);
      if (!files) return std::unexpected(files.error());
      report.files_checked = *files;
      // The switch, still under the lock: with both names present no
      // station opens the archive (Archive::Open refuses an unclear
      // catalog) until the SQLite one is set aside below.
      if (auto s = Env::Default()->WriteFileAtomic(dir / "catalog-url", url + "\n"); !s) {
        return std::unexpected(s.error());
      }
    }
    report.kept_sqlite = kept;
    return report;
  };
  Result<MigrateReport> result = run();
  if (!result) return op.Finish(std::move(result));
  // Closing the SQLite catalog checkpoints its log; then it is set aside.
  station.reset();
  std::error_code ec;
  fs::rename(dir / "catalog.sqlite", result->kept_sqlite, ec);
  for (const char* suffix : {"-wal", "-shm"}) {
    const fs::path side = dir / (std::string("catalog.sqlite") + suffix);
    if (fs::exists(side)) fs::rename(side, result->kept_sqlite.string() + suffix, ec);
  }
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("the catalog was copied and checked, but {} could "
                                 "not be renamed to {} ({}): rename it by hand",
                                 (dir / "catalog.sqlite").string(),
                                 result->kept_sqlite.string(), ec.message()));
  }
  auto opened = Station::Open(dir);
  if (!opened) return std::unexpected(opened.error());
  station = std::move(*opened);
  Operation done(*station, caller, "archive.migrate");
  return done.Finish(std::move(result));
}

}  // namespace dossier::app
