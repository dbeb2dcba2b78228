// Catalog::Snapshot (storage/sqlite/catalog.h): the catalog's tables as
// rows of text cells, under the write lock, for `dossier migrate`.
#include <fmt/format.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/sqlite/catalog_impl.h"

namespace dossier::storage {
namespace {

std::string Quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// SQLite's own tables and the search index's (the FTS5 table and its
// shadow tables): a new backend builds its own index from the pages.
bool IsIndexOrInternal(const std::string& name) {
  return name.starts_with("sqlite_") || name == "page_fts" ||
         name.starts_with("page_fts_");
}

const char kHex[] = "0123456789abcdef";

Cell CellOf(sqlite3_stmt* stmt, int col) {
  switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_NULL:
      return std::nullopt;
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(stmt, col));
    case SQLITE_FLOAT:
      return fmt::format("{}", sqlite3_column_double(stmt, col));
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, col));
      const int n = sqlite3_column_bytes(stmt, col);
      std::string out = "\\x";
      out.reserve(2 + 2 * static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) {
        out += kHex[bytes[i] >> 4];
        out += kHex[bytes[i] & 0xf];
      }
      return out;
    }
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
      return std::string(text == nullptr ? "" : text,
                         static_cast<size_t>(sqlite3_column_bytes(stmt, col)));
    }
  }
}

class SqliteSnapshot final : public TableSource {
 public:
  SqliteSnapshot(const Database& db, Transaction tx) : db_(db), tx_(std::move(tx)) {}

  Result<std::vector<std::string>> Tables() override {
    auto stmt = db_.Prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
        "listing the catalog's tables");
    if (!stmt) return std::unexpected(stmt.error());
    std::vector<std::string> names;
    auto s = stmt->ForEachRow([&] {
      std::string name = stmt->ColumnText(0);
      if (!IsIndexOrInternal(name)) names.push_back(std::move(name));
    });
    if (!s) return std::unexpected(s.error());
    return names;
  }

  Result<std::vector<std::string>> Columns(const std::string& table) override {
    auto stmt = db_.Prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid",
                            "reading the columns of " + table);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->Bind(1, table);
    std::vector<std::string> columns;
    auto s = stmt->ForEachRow([&] { columns.push_back(stmt->ColumnText(0)); });
    if (!s) return std::unexpected(s.error());
    if (columns.empty()) {
      return MakeError(ErrorCode::kNotFound,
                       fmt::format("{}: no table {}", db_.path(), table));
    }
    return columns;
  }

  Status Rows(const std::string& table, const std::vector<std::string>& columns,
              const std::vector<std::string>& order_by, const RowSink& sink) override {
    std::string sql = "SELECT ";
    for (size_t i = 0; i < columns.size(); ++i) {
      sql += (i == 0 ? "" : ", ") + Quoted(columns[i]);
    }
    sql += " FROM " + Quoted(table);
    for (size_t i = 0; i < order_by.size(); ++i) {
      sql += (i == 0 ? " ORDER BY " : ", ") + Quoted(order_by[i]) + " COLLATE BINARY";
    }
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
      return std::unexpected(db_.LastError("reading table " + table));
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    std::vector<Cell> row(columns.size());
    for (;;) {
      const int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) return Ok();
      if (rc != SQLITE_ROW) return std::unexpected(db_.ErrorFor(rc, "reading table " + table));
      for (size_t i = 0; i < columns.size(); ++i) row[i] = CellOf(stmt.get(), static_cast<int>(i));
      if (auto s = sink(row); !s) return s;
    }
  }

 private:
  const Database& db_;
  Transaction tx_;  // rolled back (nothing was written) when destroyed
};

}  // namespace

Result<std::unique_ptr<TableSource>> Catalog::Snapshot() {
  auto tx = Transaction::Begin(impl_->db, "taking a snapshot of the catalog");
  if (!tx) return std::unexpected(tx.error());
  return std::unique_ptr<TableSource>(new SqliteSnapshot(impl_->db, std::move(*tx)));
}

}  // namespace dossier::storage
