#include "storage/sqlite/bench/bulk_documents.h"

#include <sqlite3.h>

#include <string>

#include "storage/sqlite/sqlite_util.h"

namespace dossier::storage::bench {

Status InsertBenchDocuments(const std::filesystem::path& db, int customers,
                            int count) {
  auto raw = Database::Open(db, SQLITE_OPEN_READWRITE);
  if (!raw) return std::unexpected(raw.error());
  if (auto s = raw->Exec("BEGIN", "starting the bulk insert"); !s) return s;
  auto stmt = raw->Prepare(
      "INSERT INTO documents (customer_id, type, title, status, pdf_sha256,"
      " pdf_size, page_count, mean_confidence, created_at, created_by)"
      " VALUES (?1, 'contract', ?2, 'pending', ?3, 1000, ?4, 90,"
      " '2026-01-01T00:00:00Z', 'bench')",
      "preparing the bulk insert");
  if (!stmt) return std::unexpected(stmt.error());
  const std::string sha(64, 'a');
  for (int i = 0; i < count; ++i) {
    stmt->Bind(1, 1 + i % customers);
    const std::string title = "服务合同 " + std::to_string(i + 1);
    stmt->Bind(2, std::string_view(title));
    stmt->Bind(3, std::string_view(sha));
    stmt->Bind(4, 1 + i % 12);
    if (auto s = stmt->Run(); !s) return s;
    stmt->Reset();
  }
  return raw->Exec("COMMIT", "committing the bulk insert");
}

}  // namespace dossier::storage::bench
