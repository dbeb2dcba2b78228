// The catalog as a file (storage/sqlite/catalog_file.h).
#include "storage/sqlite/catalog_file.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "storage/sqlite/catalog_impl.h"
#include "storage/sqlite/sqlite_util.h"

namespace dossier::storage {
namespace {

namespace fs = std::filesystem;

// Opens a catalog file with the busy timeout, without the Catalog's
// configuration and migrations (the archive may be of an older schema,
// and backing up must not change it).
Result<Database> OpenForCopy(const fs::path& path, int flags) {
  auto db = Database::Open(path, flags);
  if (!db) return std::unexpected(db.error());
  if (auto s = db->SetBusyTimeout(std::chrono::seconds(10)); !s) {
    return std::unexpected(s.error());
  }
  return db;
}

}  // namespace

Status CopyCatalogFile(const fs::path& src, const fs::path& dest) {
  auto source = OpenForCopy(src, SQLITE_OPEN_READWRITE);
  if (!source) return std::unexpected(source.error());
  {
    auto target = OpenForCopy(dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!target) return std::unexpected(target.error());
    sqlite3_backup* backup =
        sqlite3_backup_init(target->get(), "main", source->get(), "main");
    if (backup == nullptr) {
      return std::unexpected(target->LastError("starting the online backup of " +
                                               src.string()));
    }
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 200; ++attempt) {
      rc = sqlite3_backup_step(backup, -1);  // all pages in one snapshot
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const int finish = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      return std::unexpected(source->ErrorFor(
          rc, "copying the catalog " + src.string() + " (online backup)"));
    }
    if (finish != SQLITE_OK) {
      return std::unexpected(target->ErrorFor(
          finish, "finishing the online backup of " + src.string()));
    }
    if (auto s = target->Exec("PRAGMA journal_mode = DELETE",
                              "making the catalog copy self-contained");
        !s) {
      return std::unexpected(s.error());
    }
  }
  return Ok();
}

Result<CatalogFileContents> ReadCatalogFile(const fs::path& path) {
  auto copy = OpenForCopy(path, SQLITE_OPEN_READONLY);
  if (!copy) return std::unexpected(copy.error());
  CatalogFileContents out;
  auto version = copy->QueryInt("PRAGMA user_version",
                                "reading the backed-up schema version");
  if (!version) return std::unexpected(version.error());
  out.schema_version = static_cast<int>(*version);
  auto docs = copy->Prepare(
      "SELECT id, pdf_sha256, status FROM documents ORDER BY id",
      "listing the backed-up documents");
  if (!docs) return std::unexpected(docs.error());
  while (true) {
    auto row = docs->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.documents.push_back({docs->ColumnInt64(0),
                             DisplayId(docs->ColumnInt64(0)),
                             docs->ColumnText(1), docs->ColumnText(2)});
  }
  return out;
}

CatalogFileCheck CheckCatalogFile(const fs::path& path) {
  CatalogFileCheck check;
  auto db = OpenForCopy(path, SQLITE_OPEN_READWRITE);
  if (!db) {
    check.problems.push_back(db.error().message);
    return check;
  }
  auto q = db->Prepare("PRAGMA integrity_check", "checking integrity");
  if (!q) {
    check.problems.push_back(q.error().message);
    return check;
  }
  std::string answer;
  while (true) {
    auto row = q->Step();
    if (!row) {
      check.problems.push_back(row.error().message);
      return check;
    }
    if (!*row) break;
    answer += (answer.empty() ? "" : "; ") + q->ColumnText(0);
  }
  check.integrity = answer;
  if (answer != "ok") {
    check.problems.push_back("catalog integrity_check: " + answer);
  }
  auto fk = db->Prepare("PRAGMA foreign_key_check", "checking foreign keys");
  if (fk) {
    auto row = fk->Step();
    if (row && *row) {
      check.problems.push_back(fmt::format(
          "catalog foreign_key_check: a row of {} points at a missing {}",
          fk->ColumnText(0), fk->ColumnText(2)));
    }
  }
  check.complete = true;
  return check;
}

Result<std::set<std::string>> NamedObjects(const fs::path& path) {
  std::set<std::string> named;
  auto db = OpenForCopy(path, SQLITE_OPEN_READWRITE);
  if (!db) return std::unexpected(db.error());
  // Files kept with a document (schema 9: original inputs, dropped
  // pages) are named by it as much as its PDF/A is.
  auto kept = db->QueryInt(
      "SELECT count(*) FROM sqlite_master WHERE name = 'document_files'",
      "looking for kept files");
  if (!kept) return std::unexpected(kept.error());
  auto q = db->Prepare(
      *kept > 0
          ? "SELECT pdf_sha256 FROM documents WHERE status <> 'destroyed' "
            "UNION SELECT f.sha256 FROM document_files f JOIN documents d "
            "ON d.id = f.document_id WHERE d.status <> 'destroyed'"
          : "SELECT pdf_sha256 FROM documents WHERE status <> 'destroyed'",
      "listing the files documents name");
  if (!q) return std::unexpected(q.error());
  while (true) {
    auto row = q->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    named.insert(q->ColumnText(0));
  }
  return named;
}

}  // namespace dossier::storage
