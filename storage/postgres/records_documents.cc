// PgRecords (storage/postgres/records.h): documents, pages and their OCR
// words, kept files, page hashes, and the document's search rows.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/text.h"
#include "records/review.h"
#include "records/vocabulary.h"
#include "storage/postgres/common.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records.h"
#include "storage/postgres/records_internal.h"
#include "storage/postgres/search.h"

namespace dossier::storage::postgres {
namespace {

using nlohmann::json;

#define DOSSIER_PG_DOCUMENT_SELECT                                              \
  "SELECT d.id, c.code, c.name, d.type, d.title, d.status, d.pdf_sha256, "     \
  "d.pdf_size, d.page_count, d.mean_confidence, d.source_key, d.created_at, "  \
  "d.created_by, d.warnings::text, coalesce(d.archive_number, ''), "           \
  "d.review_reason, d.reviewed_by, d.reviewed_at, d.replaces_id "              \
  "FROM documents d JOIN customers c ON c.id = d.customer_id "

const Sql kDocumentById{"records.document_by_id",
                        DOSSIER_PG_DOCUMENT_SELECT "WHERE d.id = $1"};
const Sql kDocumentBySourceKey{
    "records.document_by_source_key",
    DOSSIER_PG_DOCUMENT_SELECT "WHERE d.customer_id = $1 AND d.source_key = $2"};
const Sql kDocumentByCodeAndKey{
    "records.document_by_code_and_key",
    DOSSIER_PG_DOCUMENT_SELECT "WHERE c.code = $1 AND d.source_key = $2"};
const Sql kDocumentByArchiveNumber{
    "records.document_by_archive_number",
    DOSSIER_PG_DOCUMENT_SELECT "WHERE d.archive_number = $1"};
const Sql kAllDocuments{"records.all_documents",
                        DOSSIER_PG_DOCUMENT_SELECT "ORDER BY d.id"};
const Sql kCustomerDocuments{
    "records.customer_documents",
    DOSSIER_PG_DOCUMENT_SELECT "WHERE d.customer_id = $1 ORDER BY d.id"};
const Sql kDocumentsByStatus{
    "records.documents_by_status",
    DOSSIER_PG_DOCUMENT_SELECT "WHERE d.status = $1 ORDER BY d.id"};
#undef DOSSIER_PG_DOCUMENT_SELECT

const Sql kInsertDocument{
    "records.insert_document",
    "INSERT INTO documents (customer_id, type, title, status, pdf_sha256, "
    "pdf_size, page_count, mean_confidence, source_key, created_at, "
    "created_by, warnings) VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, "
    "$9, $10, $11::jsonb) RETURNING id"};
const Sql kInsertFile{
    "records.insert_file",
    "INSERT INTO document_files (document_id, role, sha256, size, media_type, "
    "source_file, source_index, note, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
const Sql kInsertPage{
    "records.insert_page",
    "INSERT INTO pages (document_id, number, source_file, source_index, width, "
    "height, dpi, rotation, skew, confidence, text, phash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"};
const Sql kInsertWords{"records.insert_words",
                       "INSERT INTO words (page_id, word_count, data) "
                       "VALUES ($1, $2, $3::jsonb)"};
// The page's text tokens (weight D) and its document's metadata (B).
const Sql kInsertPageSearch{
    "records.insert_page_search",
    "INSERT INTO page_search (page_id, document_id, customer_id, type, status, "
    "tokens) VALUES ($1, $2, $3, $4, $5, $6::tsvector || setweight($7::tsvector, "
    "'B'))"};
const Sql kOriginalBarcodes{"records.original_barcodes",
                            "SELECT barcode FROM originals WHERE document_id = $1 "
                            "ORDER BY id"};
const Sql kMeta{"records.meta", "SELECT search_meta FROM documents WHERE id = $1"};
const Sql kPages{"records.pages",
                 "SELECT p.id, p.number, p.source_file, p.source_index, p.width, "
                 "p.height, p.dpi, p.rotation, p.skew, p.confidence, p.text, "
                 "p.phash FROM pages p WHERE p.document_id = $1 ORDER BY p.number"};
const Sql kPagesWithWords{
    "records.pages_with_words",
    "SELECT p.id, p.number, p.source_file, p.source_index, p.width, p.height, "
    "p.dpi, p.rotation, p.skew, p.confidence, p.text, p.phash, w.data::text "
    "FROM pages p LEFT JOIN words w ON w.page_id = p.id "
    "WHERE p.document_id = $1 ORDER BY p.number"};
const Sql kFiles{"records.files",
                 "SELECT role, sha256, size, media_type, source_file, "
                 "source_index, note, created_at FROM document_files "
                 "WHERE document_id = $1 ORDER BY id"};
const Sql kPageHashes{
    "records.page_hashes",
    "SELECT d.id, c.code, d.status, p.number, p.phash FROM pages p "
    "JOIN documents d ON d.id = p.document_id "
    "JOIN customers c ON c.id = d.customer_id "
    "WHERE p.phash <> '' AND d.status <> 'destroyed' ORDER BY d.id, p.number"};
const Sql kMetaOf{"records.meta_of",
                  "SELECT d.title, c.name, c.code, coalesce(d.archive_number, ''), "
                  "d.customer_id, d.type, d.status FROM documents d "
                  "JOIN customers c ON c.id = d.customer_id WHERE d.id = $1"};
const Sql kFieldValues{"records.field_values",
                       "SELECT value FROM document_fields WHERE document_id = $1 "
                       "ORDER BY name COLLATE \"C\""};
const Sql kSetMeta{"records.set_meta",
                   "UPDATE documents SET search_meta = $2 WHERE id = $1"};
// The text's tokens stay (weight D), the metadata's are replaced.
const Sql kReindexPages{
    "records.reindex_pages",
    "UPDATE page_search SET customer_id = $2, type = $3, status = $4, "
    "tokens = ts_filter(tokens, '{d}') || setweight($5::tsvector, 'B') "
    "WHERE document_id = $1"};
const Sql kField{"records.field",
                 "SELECT name, value, raw, problem, confidence, page, boxes::text, "
                 "source, updated_at, updated_by FROM document_fields "
                 "WHERE document_id = $1 AND name = $2"};
const Sql kPutField{
    "records.put_field",
    "INSERT INTO document_fields (document_id, name, value, raw, problem, "
    "confidence, page, boxes, source, updated_at, updated_by) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11) "
    "ON CONFLICT (document_id, name) DO UPDATE SET value = excluded.value, "
    "raw = excluded.raw, problem = excluded.problem, confidence = "
    "excluded.confidence, page = excluded.page, boxes = excluded.boxes, "
    "source = excluded.source, updated_at = excluded.updated_at, "
    "updated_by = excluded.updated_by"};
const Sql kCustomerDocumentIds{"records.customer_document_ids",
                               "SELECT id FROM documents WHERE customer_id = $1 "
                               "ORDER BY id"};

constexpr std::string_view kMetaSeparator = " · ";

std::string WarningsToJson(const std::vector<Warning>& warnings) {
  json array = json::array();
  for (const Warning& w : warnings) {
    array.push_back({{"code", w.code}, {"message", w.message}});
  }
  return DumpJson(array);
}

Result<DocumentRecord> ReadDocument(const pqxx::row& row) {
  DocumentRecord d;
  d.id = Int(row[0]);
  d.display_id = DisplayId(d.id);
  d.customer_code = Text(row[1]);
  d.customer_name = Text(row[2]);
  d.type = Text(row[3]);
  d.title = Text(row[4]);
  d.status = Text(row[5]);
  d.pdf_sha256 = Text(row[6]);
  d.pdf_size = Int(row[7]);
  d.page_count = static_cast<int>(Int(row[8]));
  d.mean_confidence = static_cast<float>(row[9].as<double>());
  d.source_key = Text(row[10]);
  d.created_at = Text(row[11]);
  d.created_by = Text(row[12]);
  json warnings = json::parse(Text(row[13]), nullptr, false);
  if (!warnings.is_array()) {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("catalog: warnings of document {} are corrupt",
                                 d.display_id));
  }
  for (const json& w : warnings) {
    if (!w.is_object()) continue;
    d.warnings.push_back(Warning{w.value("code", ""), w.value("message", "")});
  }
  d.archive_number = Text(row[14]);
  d.review_reason = Text(row[15]);
  d.reviewed_by = Text(row[16]);
  d.reviewed_at = Text(row[17]);
  if (!row[18].is_null()) d.replaces = DisplayId(Int(row[18]));
  return d;
}

Result<std::vector<DocumentRecord>> ReadDocuments(const pqxx::result& rows) {
  std::vector<DocumentRecord> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    auto doc = ReadDocument(row);
    if (!doc) return std::unexpected(doc.error());
    out.push_back(std::move(*doc));
  }
  return out;
}

Result<std::optional<DocumentRecord>> FirstDocument(const pqxx::result& rows) {
  if (rows.empty()) return std::optional<DocumentRecord>();
  auto doc = ReadDocument(rows[0]);
  if (!doc) return std::unexpected(doc.error());
  return std::optional<DocumentRecord>(std::move(*doc));
}

}  // namespace

// --- Shared with records*.cc -------------------------------------------------

Result<std::optional<DocumentRecord>> DocumentById(Tx& tx, std::int64_t id) {
  return FirstDocument(tx.Exec(kDocumentById, id));
}

Result<DocumentRecord> DocumentByText(Tx& tx, const std::string& id) {
  auto number = ParseDocumentId(id);
  if (!number) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("document id '{}' is not like D000012 or 12", id));
  }
  auto doc = DocumentById(tx, *number);
  if (!doc) return std::unexpected(doc.error());
  if (!*doc) return MakeError(ErrorCode::kNotFound, "no document " + DisplayId(*number));
  return std::move(**doc);
}

static DocumentField ReadField(const pqxx::row& row) {
  DocumentField f;
  f.name = Text(row[0]);
  f.value = Text(row[1]);
  f.raw = Text(row[2]);
  f.problem = Text(row[3]);
  f.confidence = row[4].as<float>();
  f.page = static_cast<int>(Int(row[5]));
  f.boxes = BoxesFromJson(Text(row[6]));
  f.source = Text(row[7]);
  f.updated_at = Text(row[8]);
  f.updated_by = Text(row[9]);
  return f;
}

std::optional<DocumentField> FieldOf(Tx& tx, std::int64_t document_id,
                                     const std::string& name) {
  auto rows = tx.Exec(kField, document_id, name);
  if (rows.empty()) return std::nullopt;
  return ReadField(rows[0]);
}

Status PutDocumentField(Tx& tx, std::int64_t document_id, const DocumentField& field,
                        const std::string& actor, const std::string& at) {
  auto old = FieldOf(tx, document_id, field.name);
  tx.Exec(kPutField, document_id, field.name, field.value, field.raw, field.problem,
          static_cast<double>(field.confidence), field.page, BoxesToJson(field.boxes),
          field.source, at, actor);
  std::optional<std::string> old_value;
  if (old) old_value = old->value;
  std::string new_value = field.value;
  if (!field.problem.empty()) new_value += " (flagged: " + field.problem + ")";
  WriteHistory(tx, "documents", document_id, "field:" + field.name, old_value,
               new_value, actor, at);
  return Ok();
}

Status ReindexDocument(Tx& tx, std::int64_t document_id) {
  auto doc = tx.Exec(kMetaOf, document_id);
  if (doc.empty()) {
    return MakeError(ErrorCode::kNotFound, "no document " + DisplayId(document_id));
  }
  const auto& row = doc[0];
  if (Text(row[6]) == "destroyed") return Ok();
  std::vector<std::string> parts;
  for (int i = 0; i < 4; ++i) parts.push_back(Text(row[i]));
  // The barcodes of its originals (custody, version 4), then field values.
  for (const auto& barcode : tx.Exec(kOriginalBarcodes, document_id)) {
    parts.push_back(Text(barcode[0]));
  }
  for (const auto& value : tx.Exec(kFieldValues, document_id)) {
    parts.push_back(Text(value[0]));
  }
  std::string meta;
  for (const std::string& part : parts) {
    std::string text = NormalizeText(part);
    if (text.empty()) continue;
    if (!meta.empty()) meta += kMetaSeparator;
    meta += text;
  }
  tx.Exec(kSetMeta, document_id, meta);
  tx.Exec(kReindexPages, document_id, Int(row[4]), Text(row[5]), Text(row[6]),
          TsVectorText(meta));
  return Ok();
}

Status ReindexCustomerDocuments(Tx& tx, std::int64_t customer_id) {
  for (const auto& row : tx.Exec(kCustomerDocumentIds, customer_id)) {
    if (auto s = ReindexDocument(tx, Int(row[0])); !s) return s;
  }
  return Ok();
}

// --- Documents -----------------------------------------------------------------

Result<std::optional<DocumentRecord>> PgRecords::FindDocumentBySourceKey(
    const std::string& customer_code, const std::string& source_key) {
  auto code = CanonicalCustomerCode(customer_code);
  if (!code) return std::unexpected(code.error());
  if (source_key.empty()) return std::optional<DocumentRecord>();
  return catalog_.db().Transact(
      "looking up an earlier ingest of " + source_key,
      [&](Tx& tx) -> Result<std::optional<DocumentRecord>> {
        return FirstDocument(tx.Exec(kDocumentByCodeAndKey, *code, source_key));
      });
}

Result<DocumentRecord> PgRecords::AddDocument(const NewDocument& doc) {
  auto code = CanonicalCustomerCode(doc.customer_code);
  if (!code) return std::unexpected(code.error());
  if (auto s = records::CheckNewDocument(doc); !s) return std::unexpected(s.error());
  // The tokens are computed before the transaction, which may run again.
  std::vector<std::string> tokens;
  std::vector<std::string> texts;
  for (const PageRecord& page : doc.pages) {
    texts.push_back(NormalizeText(page.text));
    tokens.push_back(TsVectorText(texts.back()));
  }
  double confidence_sum = 0.0;
  for (const PageRecord& page : doc.pages) confidence_sum += page.confidence;
  const double mean_confidence = confidence_sum / static_cast<double>(doc.pages.size());
  return catalog_.db().Transact(
      fmt::format("adding document '{}' for {}", doc.title, *code),
      [&](Tx& tx) -> Result<DocumentRecord> {
        auto customer_id = CustomerIdByCode(tx, *code);
        if (!customer_id) return std::unexpected(customer_id.error());
        // Checked in the transaction: two stations ingesting the same input
        // at once serialize here (and on documents_source_key).
        if (!doc.source_key.empty()) {
          auto earlier = FirstDocument(
              tx.Exec(kDocumentBySourceKey, *customer_id, doc.source_key));
          if (!earlier) return std::unexpected(earlier.error());
          if (*earlier) return std::move(**earlier);
        }
        const std::string now = NowUtc();
        const std::int64_t id = Int(
            tx.Exec(kInsertDocument, *customer_id, doc.type, doc.title,
                    doc.pdf_sha256, doc.pdf_size,
                    static_cast<std::int64_t>(doc.pages.size()), mean_confidence,
                    doc.source_key, now, doc.created_by,
                    WarningsToJson(doc.warnings))[0][0]);
        const std::array<std::pair<const char*, std::string>, 6> fields = {{
            {"customer", *code},
            {"type", doc.type},
            {"title", doc.title},
            {"status", "pending"},
            {"pdf_sha256", doc.pdf_sha256},
            {"source_key", doc.source_key},
        }};
        for (const auto& [field, value] : fields) {
          WriteHistory(tx, "documents", id, field, std::nullopt, value,
                       doc.created_by, now);
        }
        for (const DocumentField& field : doc.fields) {
          if (auto s = PutDocumentField(tx, id, field, doc.created_by, now); !s) {
            return std::unexpected(s.error());
          }
        }
        for (const DocumentFile& f : doc.files) {
          tx.Exec(kInsertFile, id, f.role, f.sha256, f.size, f.media_type,
                  f.source_file, f.source_index, f.note, now);
        }
        // The metadata first (fields included), then each page's search
        // row with it, written once.
        if (auto s = ReindexDocument(tx, id); !s) return std::unexpected(s.error());
        const std::string meta = TsVectorText(Text(tx.Exec(kMeta, id)[0][0]));
        for (size_t i = 0; i < doc.pages.size(); ++i) {
          const PageRecord& page = doc.pages[i];
          const std::int64_t page_id = Int(
              tx.Exec(kInsertPage, id, page.number, page.source_file,
                      page.source_index, page.width, page.height, page.dpi,
                      page.rotation, page.skew, static_cast<double>(page.confidence),
                      texts[i], page.phash)[0][0]);
          tx.Exec(kInsertWords, page_id, static_cast<std::int64_t>(page.words.size()),
                  WordsToJson(page.words));
          tx.Exec(kInsertPageSearch, page_id, id, *customer_id, doc.type,
                  std::string("pending"), tokens[i], meta);
        }
        return DocumentByText(tx, std::to_string(id));
      });
}

Result<DocumentRecord> PgRecords::GetDocument(const std::string& id) {
  return catalog_.db().Transact("reading document " + id,
                                [&](Tx& tx) { return DocumentByText(tx, id); });
}

Result<DocumentRecord> PgRecords::FindDocumentByArchiveNumber(
    const std::string& archive_number) {
  auto canonical = records::CanonicalArchiveNumber(archive_number);
  if (!canonical) return std::unexpected(canonical.error());
  const std::string& number = *canonical;
  return catalog_.db().Transact(
      "looking up archive number " + number, [&](Tx& tx) -> Result<DocumentRecord> {
        auto doc = FirstDocument(tx.Exec(kDocumentByArchiveNumber, number));
        if (!doc) return std::unexpected(doc.error());
        if (!*doc) {
          return MakeError(ErrorCode::kNotFound,
                           "no document has archive number " + number);
        }
        return std::move(**doc);
      });
}

Result<std::vector<PageRecord>> PgRecords::GetPages(std::int64_t document_id,
                                                    bool with_words) {
  return catalog_.db().Transact(
      "reading the pages of " + DisplayId(document_id),
      [&](Tx& tx) -> Result<std::vector<PageRecord>> {
        auto exists = DocumentById(tx, document_id);
        if (!exists) return std::unexpected(exists.error());
        if (!*exists) {
          return MakeError(ErrorCode::kNotFound, "no document " + DisplayId(document_id));
        }
        std::vector<PageRecord> pages;
        for (const auto& row :
             tx.Exec(with_words ? kPagesWithWords : kPages, document_id)) {
          PageRecord page;
          page.number = static_cast<int>(Int(row[1]));
          page.source_file = Text(row[2]);
          page.source_index = static_cast<int>(Int(row[3]));
          page.width = static_cast<int>(Int(row[4]));
          page.height = static_cast<int>(Int(row[5]));
          page.dpi = row[6].as<double>();
          page.rotation = static_cast<int>(Int(row[7]));
          page.skew = row[8].as<double>();
          page.confidence = row[9].as<float>();
          page.text = Text(row[10]);
          page.phash = Text(row[11]);
          if (with_words && !row[12].is_null()) {
            auto words = WordsFromJson(Text(row[12]), Int(row[0]));
            if (!words) return std::unexpected(words.error());
            page.words = std::move(*words);
          }
          pages.push_back(std::move(page));
        }
        return pages;
      });
}

Result<std::vector<DocumentRecord>> PgRecords::ListDocuments(
    const std::string& customer_code) {
  if (customer_code.empty()) {
    return catalog_.db().Transact("listing documents", [&](Tx& tx) {
      return ReadDocuments(tx.Exec(kAllDocuments));
    });
  }
  auto code = CanonicalCustomerCode(customer_code);
  if (!code) return std::unexpected(code.error());
  return catalog_.db().Transact(
      "listing the documents of " + *code,
      [&](Tx& tx) -> Result<std::vector<DocumentRecord>> {
        auto customer_id = CustomerIdByCode(tx, *code);
        if (!customer_id) return std::unexpected(customer_id.error());
        return ReadDocuments(tx.Exec(kCustomerDocuments, *customer_id));
      });
}

Result<std::vector<DocumentRecord>> PgRecords::ListDocumentsByStatus(
    const std::string& status) {
  if (auto known = records::ParseDocumentStatus(status); !known) {
    return std::unexpected(known.error());
  }
  return catalog_.db().Transact("listing " + status + " documents", [&](Tx& tx) {
    return ReadDocuments(tx.Exec(kDocumentsByStatus, status));
  });
}

Result<std::vector<DocumentFile>> PgRecords::GetDocumentFiles(std::int64_t document_id) {
  return catalog_.db().Transact(
      "reading the files kept with " + DisplayId(document_id),
      [&](Tx& tx) -> Result<std::vector<DocumentFile>> {
        auto exists = DocumentById(tx, document_id);
        if (!exists) return std::unexpected(exists.error());
        if (!*exists) {
          return MakeError(ErrorCode::kNotFound, "no document " + DisplayId(document_id));
        }
        std::vector<DocumentFile> files;
        for (const auto& row : tx.Exec(kFiles, document_id)) {
          DocumentFile f;
          f.role = Text(row[0]);
          f.sha256 = Text(row[1]);
          f.size = Int(row[2]);
          f.media_type = Text(row[3]);
          f.source_file = Text(row[4]);
          f.source_index = static_cast<int>(Int(row[5]));
          f.note = Text(row[6]);
          f.created_at = Text(row[7]);
          files.push_back(std::move(f));
        }
        return files;
      });
}

Result<std::vector<PageHash>> PgRecords::ListPageHashes() {
  return catalog_.db().Transact(
      "listing page hashes", [&](Tx& tx) -> Result<std::vector<PageHash>> {
        std::vector<PageHash> hashes;
        for (const auto& row : tx.Exec(kPageHashes)) {
          PageHash h;
          h.document_id = Int(row[0]);
          h.display_id = DisplayId(h.document_id);
          h.customer_code = Text(row[1]);
          h.status = Text(row[2]);
          h.page_number = static_cast<int>(Int(row[3]));
          h.phash = Text(row[4]);
          hashes.push_back(std::move(h));
        }
        return hashes;
      });
}

}  // namespace dossier::storage::postgres
