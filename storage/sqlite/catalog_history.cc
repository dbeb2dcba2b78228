// Catalog: reading the change history (manual 3.5). Rows are written by
// WriteHistory in the transaction of each change; nothing here writes.
#include <fmt/format.h>

#include "storage/sqlite/catalog.h"
#include "storage/sqlite/catalog_impl.h"

namespace dossier::storage {
namespace {

Result<std::vector<HistoryEntry>> ReadHistory(Statement& stmt) {
  std::vector<HistoryEntry> out;
  while (true) {
    auto row = stmt.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    HistoryEntry e;
    e.table = stmt.ColumnText(0);
    e.record = stmt.ColumnText(1);
    e.field = stmt.ColumnText(2);
    if (!stmt.ColumnIsNull(3)) e.old_value = stmt.ColumnText(3);
    if (!stmt.ColumnIsNull(4)) e.new_value = stmt.ColumnText(4);
    e.actor = stmt.ColumnText(5);
    e.at = stmt.ColumnText(6);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<std::vector<HistoryEntry>> Catalog::CustomerHistory(
    const std::string& code) {
  auto canonical = CanonicalCustomerCode(code);
  if (!canonical) return std::unexpected(canonical.error());
  auto id = CustomerIdByCode(impl_->db, *canonical);
  if (!id) return std::unexpected(id.error());
  auto stmt = impl_->db.Prepare(
      "SELECT h.table_name, CASE h.table_name WHEN 'customers' THEN ?2 "
      "ELSE 'contact #' || h.record_id END, h.field, h.old_value, "
      "h.new_value, h.actor, h.at FROM history h "
      "WHERE (h.table_name = 'customers' AND h.record_id = ?1) OR "
      "(h.table_name = 'contacts' AND h.record_id IN "
      "(SELECT id FROM contacts WHERE customer_id = ?1)) ORDER BY h.id",
      "reading the history of " + *canonical);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, *id).Bind(2, *canonical);
  return ReadHistory(*stmt);
}

Result<std::vector<HistoryEntry>> Catalog::DocumentHistory(
    const std::string& id) {
  auto doc = DocumentByText(impl_->db, id);
  if (!doc) return std::unexpected(doc.error());
  auto stmt = impl_->db.Prepare(
      "SELECT h.table_name, printf('D%06d', h.record_id), h.field, "
      "h.old_value, h.new_value, h.actor, h.at FROM history h "
      "WHERE h.table_name = 'documents' AND h.record_id = ?1 ORDER BY h.id",
      "reading the history of " + doc->display_id);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, doc->id);
  return ReadHistory(*stmt);
}

}  // namespace dossier::storage
