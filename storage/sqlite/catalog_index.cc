// Catalog: the document metadata in the search index (schema 9).
//
// Design notes. page_fts has three columns: the page's OCR text, the
// document id (unindexed) and `meta`, the document's metadata as one line
// of text: title · customer name · customer code · archive number ·
// barcodes of its originals · field values. Every page row of a document
// carries the same meta, so one query may match words of the page and
// words of the metadata together (服务合同 上海明川 finds page 3 of the
// contract titled 服务合同 of 上海明川贸易有限公司).
//
// The index is external-content over the view page_search (pages joined
// with documents.search_meta). The meta line is stored in
// documents.search_meta, not computed in the view, because FTS5 deletes a
// row by tokenizing the values it was indexed with: a customer renamed
// first and reindexed after still deletes what was indexed. Hence the one
// rule: change the metadata, then call ReindexDocumentMetadata in the same
// transaction.
#include <fmt/format.h>

#include "core/text.h"
#include "storage/sqlite/catalog.h"
#include "storage/sqlite/catalog_impl.h"

namespace dossier::storage {
namespace {

constexpr std::string_view kSeparator = " · ";

}  // namespace

Result<std::string> ComputeSearchMeta(const Database& db,
                                      std::int64_t document_id) {
  const std::string what = "indexing the metadata of " + DisplayId(document_id);
  auto doc = db.Prepare(
      "SELECT d.title, c.name, c.code, coalesce(d.archive_number, '') "
      "FROM documents d JOIN customers c ON c.id = d.customer_id "
      "WHERE d.id = ?1",
      what);
  if (!doc) return std::unexpected(doc.error());
  doc->Bind(1, document_id);
  auto row = doc->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return MakeError(ErrorCode::kNotFound, "no document " + DisplayId(document_id));
  }
  std::vector<std::string> parts;
  for (int i = 0; i < 4; ++i) parts.push_back(doc->ColumnText(i));
  // Originals (schema 3) and fields (schema 2), in a stable order.
  for (std::string_view sql :
       {"SELECT barcode FROM originals WHERE document_id = ?1 ORDER BY id",
        "SELECT value FROM document_fields WHERE document_id = ?1 "
        "ORDER BY name"}) {
    auto stmt = db.Prepare(sql, what);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->Bind(1, document_id);
    while (true) {
      auto next = stmt->Step();
      if (!next) return std::unexpected(next.error());
      if (!*next) break;
      parts.push_back(stmt->ColumnText(0));
    }
  }
  std::string meta;
  for (const std::string& part : parts) {
    std::string text = NormalizeText(part);
    if (text.empty()) continue;
    if (!meta.empty()) meta += kSeparator;
    meta += text;
  }
  return meta;
}

Status ReindexDocumentMetadata(const Database& db, std::int64_t document_id) {
  const std::string what = "reindexing " + DisplayId(document_id);
  auto state = db.Prepare(
      "SELECT status, search_meta FROM documents WHERE id = ?1", what);
  if (!state) return std::unexpected(state.error());
  state->Bind(1, document_id);
  auto row = state->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return MakeError(ErrorCode::kNotFound, "no document " + DisplayId(document_id));
  }
  // A destroyed document's pages left the index with its text; it stays out.
  if (state->ColumnText(0) == "destroyed") return Ok();
  const std::string old_meta = state->ColumnText(1);
  state->Reset();
  auto meta = ComputeSearchMeta(db, document_id);
  if (!meta) return std::unexpected(meta.error());
  if (*meta == old_meta) return Ok();
  for (std::string_view sql : {
           // Out with the values the rows were indexed with (the view
           // still shows the old search_meta) ...
           "INSERT INTO page_fts (page_fts, rowid, text, document_id, meta) "
           "SELECT 'delete', id, text, document_id, meta FROM page_search "
           "WHERE document_id = ?1",
           "UPDATE documents SET search_meta = ?2 WHERE id = ?1",
           // ... and in with the new ones.
           "INSERT INTO page_fts (rowid, text, document_id, meta) "
           "SELECT id, text, document_id, meta FROM page_search "
           "WHERE document_id = ?1",
       }) {
    auto stmt = db.Prepare(sql, what);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->Bind(1, document_id);
    if (sql.find("?2") != std::string_view::npos) stmt->Bind(2, *meta);
    if (auto s = stmt->Run(); !s) return s;
  }
  return Ok();
}

Status ReindexCustomerDocuments(const Database& db, std::int64_t customer_id) {
  auto ids = db.Prepare("SELECT id FROM documents WHERE customer_id = ?1",
                        "reindexing the documents of a customer");
  if (!ids) return std::unexpected(ids.error());
  ids->Bind(1, customer_id);
  std::vector<std::int64_t> documents;
  while (true) {
    auto row = ids->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    documents.push_back(ids->ColumnInt64(0));
  }
  for (std::int64_t id : documents) {
    if (auto s = ReindexDocumentMetadata(db, id); !s) return s;
  }
  return Ok();
}

Status UnindexDocumentPages(const Database& db, std::int64_t document_id) {
  auto stmt = db.Prepare(
      "INSERT INTO page_fts (page_fts, rowid, text, document_id, meta) "
      "SELECT 'delete', id, text, document_id, meta FROM page_search "
      "WHERE document_id = ?1",
      "removing " + DisplayId(document_id) + " from the search index");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, document_id);
  return stmt->Run();
}

Status FillSearchIndexV10(const Database& db) {
  const std::string what = "indexing document metadata (schema 9)";
  auto ids = db.Prepare(
      "SELECT id FROM documents WHERE status <> 'destroyed' ORDER BY id", what);
  if (!ids) return std::unexpected(ids.error());
  std::vector<std::int64_t> documents;
  while (true) {
    auto row = ids->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    documents.push_back(ids->ColumnInt64(0));
  }
  auto set = db.Prepare("UPDATE documents SET search_meta = ?2 WHERE id = ?1",
                        what);
  if (!set) return std::unexpected(set.error());
  for (std::int64_t id : documents) {
    auto meta = ComputeSearchMeta(db, id);
    if (!meta) return std::unexpected(meta.error());
    set->Reset();
    set->Bind(1, id).Bind(2, *meta);
    if (auto s = set->Run(); !s) return s;
  }
  // One pass over every page, with the metadata in place.
  return db.Exec(
      "INSERT INTO page_fts(page_fts) VALUES ('rebuild');"
      "INSERT INTO page_fts(page_fts) VALUES ('optimize');",
      what);
}

Status Catalog::ReindexDocumentMetadata(std::int64_t document_id) {
  const Database& db = impl_->db;
  auto tx = Transaction::Begin(db, "reindexing " + DisplayId(document_id));
  if (!tx) return std::unexpected(tx.error());
  if (auto s = storage::ReindexDocumentMetadata(db, document_id); !s) return s;
  return tx->Commit();
}

}  // namespace dossier::storage
