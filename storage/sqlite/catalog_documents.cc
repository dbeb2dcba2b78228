// Catalog: documents, pages and OCR words.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "core/json_text.h"
#include "records/coding_rule.h"
#include "records/review.h"
#include "records/vocabulary.h"
#include "storage/sqlite/catalog.h"
#include "storage/sqlite/catalog_impl.h"

namespace dossier::storage {
namespace {

using nlohmann::json;

constexpr std::string_view kDocumentSelect =
    "SELECT d.id, c.code, c.name, d.type, d.title, d.status, d.pdf_sha256, "
    "d.pdf_size, d.page_count, d.mean_confidence, d.source_key, "
    "d.created_at, d.created_by, d.warnings, "
    "COALESCE(d.archive_number, ''), d.review_reason, d.reviewed_by, "
    "d.reviewed_at, d.replaces_id "
    "FROM documents d JOIN customers c ON c.id = d.customer_id ";

}  // namespace

std::string WarningsToJson(const std::vector<Warning>& warnings) {
  json array = json::array();
  for (const Warning& w : warnings) {
    array.push_back({{"code", w.code}, {"message", w.message}});
  }
  return DumpJson(array);
}

namespace {

Result<DocumentRecord> ReadDocument(const Statement& stmt) {
  DocumentRecord d;
  d.id = stmt.ColumnInt64(0);
  d.display_id = DisplayId(d.id);
  d.customer_code = stmt.ColumnText(1);
  d.customer_name = stmt.ColumnText(2);
  d.type = stmt.ColumnText(3);
  d.title = stmt.ColumnText(4);
  d.status = stmt.ColumnText(5);
  d.pdf_sha256 = stmt.ColumnText(6);
  d.pdf_size = stmt.ColumnInt64(7);
  d.page_count = stmt.ColumnInt(8);
  d.mean_confidence = static_cast<float>(stmt.ColumnDouble(9));
  d.source_key = stmt.ColumnText(10);
  d.created_at = stmt.ColumnText(11);
  d.created_by = stmt.ColumnText(12);
  json warnings = json::parse(stmt.ColumnText(13), nullptr, false);
  if (!warnings.is_array()) {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("catalog: warnings of document {} are corrupt",
                                 d.display_id));
  }
  for (const json& w : warnings) {
    if (!w.is_object()) continue;
    d.warnings.push_back(Warning{w.value("code", ""), w.value("message", "")});
  }
  d.archive_number = stmt.ColumnText(14);
  d.review_reason = stmt.ColumnText(15);
  d.reviewed_by = stmt.ColumnText(16);
  d.reviewed_at = stmt.ColumnText(17);
  if (!stmt.ColumnIsNull(18)) d.replaces = DisplayId(stmt.ColumnInt64(18));
  return d;
}

// Runs a document query and collects all rows.
Result<std::vector<DocumentRecord>> QueryDocuments(Statement& stmt) {
  std::vector<DocumentRecord> documents;
  while (true) {
    auto row = stmt.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto doc = ReadDocument(stmt);
    if (!doc) return std::unexpected(doc.error());
    documents.push_back(std::move(*doc));
  }
  return documents;
}

Result<std::optional<DocumentRecord>> DocumentWhere(
    const Database& db, std::string_view where, std::string_view what,
    const std::function<void(Statement&)>& bind) {
  auto stmt =
      db.Prepare(fmt::format("{} WHERE {}", kDocumentSelect, where), what);
  if (!stmt) return std::unexpected(stmt.error());
  bind(*stmt);
  auto documents = QueryDocuments(*stmt);
  if (!documents) return std::unexpected(documents.error());
  if (documents->empty()) return std::nullopt;
  return std::move(documents->front());
}

Result<std::optional<DocumentRecord>> DocumentById(const Database& db,
                                                   std::int64_t id) {
  return DocumentWhere(db, "d.id = ?1", "reading document " + DisplayId(id),
                       [&](Statement& s) { s.Bind(1, id); });
}


}  // namespace

Status InsertPage(const Database& db, std::int64_t document_id,
                  const PageRecord& page, const std::string& meta,
                  std::string_view what) {
  const std::string text = NormalizeText(page.text);
  auto insert = db.Prepare(
      "INSERT INTO pages (document_id, number, source_file, source_index, "
      "width, height, dpi, rotation, skew, confidence, text, phash) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
      what);
  if (!insert) return std::unexpected(insert.error());
  insert->Bind(1, document_id)
      .Bind(2, page.number)
      .Bind(3, page.source_file)
      .Bind(4, page.source_index)
      .Bind(5, page.width)
      .Bind(6, page.height)
      .Bind(7, page.dpi)
      .Bind(8, page.rotation)
      .Bind(9, page.skew)
      .Bind(10, static_cast<double>(page.confidence))
      .Bind(11, text)
      .Bind(12, page.phash);
  if (auto s = insert->Run(); !s) return s;
  const std::int64_t page_id = sqlite3_last_insert_rowid(db.get());

  auto words = db.Prepare(
      "INSERT INTO words (page_id, word_count, data) VALUES (?1, ?2, ?3)",
      what);
  if (!words) return std::unexpected(words.error());
  words->Bind(1, page_id)
      .Bind(2, static_cast<std::int64_t>(page.words.size()))
      .Bind(3, WordsToJson(page.words));
  if (auto s = words->Run(); !s) return s;

  // External-content FTS5 tables are not updated by triggers of their own:
  // the index row is written here, in the same transaction as the page,
  // with the document's metadata line (catalog_index.cc).
  auto index = db.Prepare(
      "INSERT INTO page_fts (rowid, text, document_id, meta) "
      "VALUES (?1, ?2, ?3, ?4)",
      what);
  if (!index) return std::unexpected(index.error());
  index->Bind(1, page_id).Bind(2, text).Bind(3, document_id).Bind(4, meta);
  return index->Run();
}



Result<DocumentRecord> DocumentByText(const Database& db,
                                      const std::string& id) {
  auto number = ParseDocumentId(id);
  if (!number) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("document id '{}' is not like D000012 or 12", id));
  }
  auto doc = DocumentById(db, *number);
  if (!doc) return std::unexpected(doc.error());
  if (!*doc) {
    return MakeError(ErrorCode::kNotFound, "no document " + DisplayId(*number));
  }
  return std::move(**doc);
}

Result<std::optional<DocumentRecord>> Catalog::FindDocumentBySourceKey(
    const std::string& customer_code, const std::string& source_key) {
  auto code = CanonicalCustomerCode(customer_code);
  if (!code) return std::unexpected(code.error());
  if (source_key.empty()) return std::nullopt;  // no key, nothing to match
  return DocumentWhere(
      impl_->db, "c.code = ?1 AND d.source_key = ?2",
      "looking up an earlier ingest of " + source_key,
      [&](Statement& s) { s.Bind(1, *code).Bind(2, source_key); });
}

Result<DocumentRecord> Catalog::AddDocument(const NewDocument& doc) {
  auto code = CanonicalCustomerCode(doc.customer_code);
  if (!code) return std::unexpected(code.error());
  if (auto s = records::CheckNewDocument(doc); !s) return std::unexpected(s.error());

  const Database& db = impl_->db;
  const std::string what =
      fmt::format("adding document '{}' for {}", doc.title, *code);
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());

  auto customer_id = CustomerIdByCode(db, *code);
  if (!customer_id) return std::unexpected(customer_id.error());

  // Checked inside the write transaction, so two processes ingesting the
  // same input cannot both insert it.
  if (!doc.source_key.empty()) {
    auto earlier = DocumentWhere(
        db, "d.customer_id = ?1 AND d.source_key = ?2", what,
        [&](Statement& s) { s.Bind(1, *customer_id).Bind(2, doc.source_key); });
    if (!earlier) return std::unexpected(earlier.error());
    if (*earlier) return std::move(**earlier);
  }

  double confidence_sum = 0.0;
  for (const PageRecord& page : doc.pages) confidence_sum += page.confidence;
  const double mean_confidence =
      confidence_sum / static_cast<double>(doc.pages.size());
  const UtcNow now = CurrentUtc();

  auto insert = db.Prepare(
      "INSERT INTO documents (customer_id, type, title, status, pdf_sha256, "
      "pdf_size, page_count, mean_confidence, source_key, created_at, "
      "created_by, warnings) "
      "VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
      what);
  if (!insert) return std::unexpected(insert.error());
  insert->Bind(1, *customer_id)
      .Bind(2, doc.type)
      .Bind(3, doc.title)
      .Bind(4, doc.pdf_sha256)
      .Bind(5, doc.pdf_size)
      .Bind(6, static_cast<std::int64_t>(doc.pages.size()))
      .Bind(7, mean_confidence)
      .Bind(8, doc.source_key)
      .Bind(9, now.iso8601)
      .Bind(10, doc.created_by)
      .Bind(11, WarningsToJson(doc.warnings));
  if (auto s = insert->Run(); !s) return std::unexpected(s.error());
  const std::int64_t document_id = sqlite3_last_insert_rowid(db.get());

  const std::array<std::pair<std::string_view, std::string>, 6> fields = {{
      {"customer", *code},
      {"type", doc.type},
      {"title", doc.title},
      {"status", "pending"},
      {"pdf_sha256", doc.pdf_sha256},
      {"source_key", doc.source_key},
  }};
  for (const auto& [field, value] : fields) {
    if (auto s = WriteHistory(db, "documents", document_id, field, std::nullopt,
                              value, doc.created_by, now.iso8601);
        !s) {
      return std::unexpected(s.error());
    }
  }
  for (const DocumentField& field : doc.fields) {
    if (auto s = PutDocumentField(db, document_id, field, doc.created_by,
                                  now.iso8601);
        !s) {
      return std::unexpected(s.error());
    }
  }
  for (const DocumentFile& file : doc.files) {
    auto kept = db.Prepare(
        "INSERT INTO document_files (document_id, role, sha256, size, "
        "media_type, source_file, source_index, note, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        what);
    if (!kept) return std::unexpected(kept.error());
    kept->Bind(1, document_id)
        .Bind(2, file.role)
        .Bind(3, file.sha256)
        .Bind(4, file.size)
        .Bind(5, file.media_type)
        .Bind(6, file.source_file)
        .Bind(7, file.source_index)
        .Bind(8, file.note)
        .Bind(9, now.iso8601);
    if (auto s = kept->Run(); !s) return std::unexpected(s.error());
  }
  // The pages last: their index rows carry the metadata, fields included.
  auto meta = ComputeSearchMeta(db, document_id);
  if (!meta) return std::unexpected(meta.error());
  auto set_meta = db.Prepare(
      "UPDATE documents SET search_meta = ?1 WHERE id = ?2", what);
  if (!set_meta) return std::unexpected(set_meta.error());
  set_meta->Bind(1, *meta).Bind(2, document_id);
  if (auto s = set_meta->Run(); !s) return std::unexpected(s.error());
  for (const PageRecord& page : doc.pages) {
    if (auto s = InsertPage(db, document_id, page, *meta, what); !s) {
      return std::unexpected(s.error());
    }
  }
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());

  auto stored = DocumentById(db, document_id);
  if (!stored) return std::unexpected(stored.error());
  if (!*stored) {
    return MakeError(
        ErrorCode::kInternal,
        "document " + DisplayId(document_id) + " vanished after commit");
  }
  return std::move(**stored);
}

Result<DocumentRecord> Catalog::GetDocument(const std::string& id) {
  return DocumentByText(impl_->db, id);
}

Result<DocumentRecord> Catalog::FindDocumentByArchiveNumber(
    const std::string& archive_number) {
  auto canonical = records::CanonicalArchiveNumber(archive_number);
  if (!canonical) return std::unexpected(canonical.error());
  const std::string& number = *canonical;
  auto doc = DocumentWhere(impl_->db, "d.archive_number = ?1",
                           "looking up archive number " + number,
                           [&](Statement& s) { s.Bind(1, number); });
  if (!doc) return std::unexpected(doc.error());
  if (!*doc) {
    return MakeError(ErrorCode::kNotFound,
                     "no document has archive number " + number);
  }
  return std::move(**doc);
}

Result<std::vector<PageRecord>> Catalog::GetPages(std::int64_t document_id,
                                                  bool with_words) {
  const Database& db = impl_->db;
  const std::string what = "reading the pages of " + DisplayId(document_id);
  auto exists = DocumentById(db, document_id);
  if (!exists) return std::unexpected(exists.error());
  if (!*exists) {
    return MakeError(ErrorCode::kNotFound,
                     "no document " + DisplayId(document_id));
  }
  auto stmt = db.Prepare(
      fmt::format("SELECT p.id, p.number, p.source_file, p.source_index, "
                  "p.width, p.height, p.dpi, p.rotation, p.skew, "
                  "p.confidence, p.text, {}, p.phash FROM pages p "
                  "LEFT JOIN words w ON w.page_id = p.id "
                  "WHERE p.document_id = ?1 ORDER BY p.number",
                  with_words ? "w.data" : "NULL"),
      what);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, document_id);
  std::vector<PageRecord> pages;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    PageRecord page;
    page.number = stmt->ColumnInt(1);
    page.source_file = stmt->ColumnText(2);
    page.source_index = stmt->ColumnInt(3);
    page.width = stmt->ColumnInt(4);
    page.height = stmt->ColumnInt(5);
    page.dpi = stmt->ColumnDouble(6);
    page.rotation = stmt->ColumnInt(7);
    page.skew = stmt->ColumnDouble(8);
    page.confidence = static_cast<float>(stmt->ColumnDouble(9));
    page.text = stmt->ColumnText(10);
    page.phash = stmt->ColumnText(12);
    if (with_words && !stmt->ColumnIsNull(11)) {
      auto words = WordsFromJson(stmt->ColumnText(11), stmt->ColumnInt64(0));
      if (!words) return std::unexpected(words.error());
      page.words = std::move(*words);
    }
    pages.push_back(std::move(page));
  }
  return pages;
}

Result<std::vector<DocumentRecord>> Catalog::ListDocuments(
    const std::string& customer_code) {
  const Database& db = impl_->db;
  if (customer_code.empty()) {
    auto stmt = db.Prepare(fmt::format("{} ORDER BY d.id", kDocumentSelect),
                           "listing documents");
    if (!stmt) return std::unexpected(stmt.error());
    return QueryDocuments(*stmt);
  }
  auto code = CanonicalCustomerCode(customer_code);
  if (!code) return std::unexpected(code.error());
  auto customer_id = CustomerIdByCode(db, *code);
  if (!customer_id) return std::unexpected(customer_id.error());
  auto stmt = db.Prepare(
      fmt::format("{} WHERE d.customer_id = ?1 ORDER BY d.id", kDocumentSelect),
      "listing the documents of " + *code);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, *customer_id);
  return QueryDocuments(*stmt);
}

Result<std::vector<DocumentFile>> Catalog::GetDocumentFiles(
    std::int64_t document_id) {
  const Database& db = impl_->db;
  auto exists = DocumentById(db, document_id);
  if (!exists) return std::unexpected(exists.error());
  if (!*exists) {
    return MakeError(ErrorCode::kNotFound, "no document " + DisplayId(document_id));
  }
  auto stmt = db.Prepare(
      "SELECT role, sha256, size, media_type, source_file, source_index, note, "
      "created_at FROM document_files WHERE document_id = ?1 ORDER BY id",
      "reading the files kept with " + DisplayId(document_id));
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, document_id);
  std::vector<DocumentFile> files;
  if (auto s = stmt->ForEachRow([&] {
        DocumentFile f;
        f.role = stmt->ColumnText(0);
        f.sha256 = stmt->ColumnText(1);
        f.size = stmt->ColumnInt64(2);
        f.media_type = stmt->ColumnText(3);
        f.source_file = stmt->ColumnText(4);
        f.source_index = stmt->ColumnInt(5);
        f.note = stmt->ColumnText(6);
        f.created_at = stmt->ColumnText(7);
        files.push_back(std::move(f));
      });
      !s) {
    return std::unexpected(s.error());
  }
  return files;
}

Result<std::vector<PageHash>> Catalog::ListPageHashes() {
  const Database& db = impl_->db;
  auto stmt = db.Prepare(
      "SELECT d.id, c.code, d.status, p.number, p.phash FROM pages p "
      "JOIN documents d ON d.id = p.document_id "
      "JOIN customers c ON c.id = d.customer_id "
      "WHERE p.phash <> '' AND d.status <> 'destroyed' "
      "ORDER BY d.id, p.number",
      "listing page hashes");
  if (!stmt) return std::unexpected(stmt.error());
  std::vector<PageHash> hashes;
  if (auto s = stmt->ForEachRow([&] {
        PageHash h;
        h.document_id = stmt->ColumnInt64(0);
        h.display_id = DisplayId(h.document_id);
        h.customer_code = stmt->ColumnText(1);
        h.status = stmt->ColumnText(2);
        h.page_number = stmt->ColumnInt(3);
        h.phash = stmt->ColumnText(4);
        hashes.push_back(std::move(h));
      });
      !s) {
    return std::unexpected(s.error());
  }
  return hashes;
}

}  // namespace dossier::storage
