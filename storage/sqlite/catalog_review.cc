// Catalog: document fields, review and filing (manual 3.2).
//
//   pending --approve--> filed (archive number DA-YYYY-TT-NNNNNN-C)
//   pending --reject---> rejected (reason kept) --replace--> replaced
//
// The reviewer must not be the person who scanned the document. Every
// status and field change writes history in the same transaction.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "storage/sqlite/catalog.h"
#include "core/json_text.h"
#include "core/text.h"
#include "storage/sqlite/catalog_impl.h"
#include "records/coding_rule.h"
#include "records/review.h"
#include "records/vocabulary.h"

namespace dossier::storage {
namespace {

using nlohmann::json;

// Two letters per document type in the archive number (records/review.h).
std::string_view TypeCode(std::string_view type) {
  return records::ArchiveTypeCode(type);
}

Result<std::optional<DocumentField>> FieldOf(const Database& db,
                                             std::int64_t document_id,
                                             const std::string& name) {
  auto stmt = db.Prepare(
      "SELECT name, value, raw, problem, confidence, page, boxes, source, "
      "updated_at, updated_by FROM document_fields "
      "WHERE document_id = ?1 AND (?2 = '' OR name = ?2) ORDER BY id",
      "reading the fields of " + DisplayId(document_id));
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, document_id).Bind(2, name);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<DocumentField>();
  DocumentField f;
  f.name = stmt->ColumnText(0);
  f.value = stmt->ColumnText(1);
  f.raw = stmt->ColumnText(2);
  f.problem = stmt->ColumnText(3);
  f.confidence = static_cast<float>(stmt->ColumnDouble(4));
  f.page = stmt->ColumnInt(5);
  f.boxes = BoxesFromJson(stmt->ColumnText(6));
  f.source = stmt->ColumnText(7);
  f.updated_at = stmt->ColumnText(8);
  f.updated_by = stmt->ColumnText(9);
  return std::optional<DocumentField>(std::move(f));
}

Status SetStatus(const Database& db, const DocumentRecord& doc,
                 const std::string& status, std::string_view actor,
                 std::string_view at) {
  auto stmt = db.Prepare("UPDATE documents SET status = ?1 WHERE id = ?2",
                         "changing the status of " + doc.display_id);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, status).Bind(2, doc.id);
  if (auto s = stmt->Run(); !s) return s;
  return WriteHistory(db, "documents", doc.id, "status", doc.status, status,
                      actor, at);
}

// The next archive number of the type in the year; advances the sequence
// (inside the caller's write transaction).
Result<std::string> NextArchiveNumber(const Database& db, int year,
                                      std::string_view type_code,
                                      const std::string& what) {
  auto next = db.Prepare(
      "INSERT INTO archive_sequence (year, type_code, last_sequence) "
      "VALUES (?1, ?2, 1) ON CONFLICT (year, type_code) DO UPDATE SET "
      "last_sequence = last_sequence + 1 RETURNING last_sequence",
      what);
  if (!next) return std::unexpected(next.error());
  next->Bind(1, year).Bind(2, type_code);
  auto row = next->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kInternal, "no archive sequence");
  const std::int64_t sequence = next->ColumnInt64(0);
  next->Reset();
  return records::FormatArchiveNumber(year, type_code, sequence);
}

using records::RequirePending;

}  // namespace

Status PutDocumentField(const Database& db, std::int64_t document_id,
                        const DocumentField& field, std::string_view actor,
                        std::string_view at) {
  auto old = FieldOf(db, document_id, field.name);
  if (!old) return std::unexpected(old.error());
  auto stmt = db.Prepare(
      "INSERT INTO document_fields (document_id, name, value, raw, problem, "
      "confidence, page, boxes, source, updated_at, updated_by) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT (document_id, name) DO UPDATE SET value = ?3, raw = ?4, "
      "problem = ?5, confidence = ?6, page = ?7, boxes = ?8, source = ?9, "
      "updated_at = ?10, updated_by = ?11",
      "storing field " + field.name + " of " + DisplayId(document_id));
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, document_id)
      .Bind(2, field.name)
      .Bind(3, field.value)
      .Bind(4, field.raw)
      .Bind(5, field.problem)
      .Bind(6, static_cast<double>(field.confidence))
      .Bind(7, field.page)
      .Bind(8, BoxesToJson(field.boxes))
      .Bind(9, field.source)
      .Bind(10, at)
      .Bind(11, actor);
  if (auto s = stmt->Run(); !s) return s;
  std::optional<std::string> old_value;
  if (*old) old_value = (*old)->value;
  std::string new_value = field.value;
  if (!field.problem.empty()) new_value += " (flagged: " + field.problem + ")";
  return WriteHistory(db, "documents", document_id, "field:" + field.name,
                      old_value, new_value, actor, at);
}

Result<std::vector<DocumentRecord>> Catalog::ListDocumentsByStatus(
    const std::string& status) {
  if (auto known = records::ParseDocumentStatus(status); !known) {
    return std::unexpected(known.error());
  }
  auto stmt = impl_->db.Prepare(
      "SELECT id FROM documents WHERE status = ?1 ORDER BY id",
      "listing " + status + " documents");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, status);
  std::vector<DocumentRecord> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto doc = DocumentByText(impl_->db, std::to_string(stmt->ColumnInt64(0)));
    if (!doc) return std::unexpected(doc.error());
    out.push_back(std::move(*doc));
  }
  return out;
}

Result<std::vector<DocumentField>> Catalog::GetDocumentFields(
    const std::string& id) {
  auto doc = DocumentByText(impl_->db, id);
  if (!doc) return std::unexpected(doc.error());
  auto stmt = impl_->db.Prepare(
      "SELECT name FROM document_fields WHERE document_id = ?1 ORDER BY id",
      "reading the fields of " + doc->display_id);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, doc->id);
  std::vector<DocumentField> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto f = FieldOf(impl_->db, doc->id, stmt->ColumnText(0));
    if (!f) return std::unexpected(f.error());
    if (*f) out.push_back(std::move(**f));
  }
  return out;
}

Status Catalog::SetDocumentField(const std::string& id, const std::string& name,
                                 const std::optional<std::string>& value,
                                 const std::string& actor) {
  if (name.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "field name is empty");
  }
  const Database& db = impl_->db;
  const std::string what = "changing field " + name + " of " + id;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto doc = DocumentByText(db, id);
  if (!doc) return std::unexpected(doc.error());
  if (auto s = RequirePending(*doc, "corrected"); !s) return s;
  const UtcNow now = CurrentUtc();
  if (value) {
    DocumentField f;
    f.name = name;
    f.value = *value;
    f.raw = *value;
    f.confidence = 100.f;
    f.source = "entered";
    if (auto s = PutDocumentField(db, doc->id, f, actor, now.iso8601); !s) {
      return s;
    }
  } else {
    auto old = FieldOf(db, doc->id, name);
    if (!old) return std::unexpected(old.error());
    if (!*old) {
      return MakeError(ErrorCode::kNotFound,
                       doc->display_id + " has no field " + name);
    }
    auto del = db.Prepare(
        "DELETE FROM document_fields WHERE document_id = ?1 AND name = ?2",
        what);
    if (!del) return std::unexpected(del.error());
    del->Bind(1, doc->id).Bind(2, name);
    if (auto s = del->Run(); !s) return s;
    auto hist = db.Prepare(
        "INSERT INTO history (table_name, record_id, field, old_value, "
        "new_value, actor, at) VALUES ('documents', ?1, ?2, ?3, NULL, ?4, ?5)",
        what);
    if (!hist) return std::unexpected(hist.error());
    hist->Bind(1, doc->id)
        .Bind(2, "field:" + name)
        .Bind(3, (*old)->value)
        .Bind(4, actor)
        .Bind(5, now.iso8601);
    if (auto s = hist->Run(); !s) return s;
  }
  if (auto s = storage::ReindexDocumentMetadata(db, doc->id); !s) return s;
  return tx->Commit();
}

Result<DocumentRecord> Catalog::ApproveDocument(const std::string& id,
                                                const std::string& actor) {
  const Database& db = impl_->db;
  const std::string what = "filing " + id;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto doc = DocumentByText(db, id);
  if (!doc) return std::unexpected(doc.error());
  if (auto s = RequirePending(*doc, "approved"); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = records::CheckReviewer(*doc, actor); !s) {
    return std::unexpected(s.error());
  }
  auto flagged = db.Prepare(
      "SELECT name, problem FROM document_fields "
      "WHERE document_id = ?1 AND problem <> '' ORDER BY id",
      what);
  if (!flagged) return std::unexpected(flagged.error());
  flagged->Bind(1, doc->id);
  std::string problems;
  while (true) {
    auto row = flagged->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    problems += fmt::format("; {}: {}", flagged->ColumnText(0),
                            flagged->ColumnText(1));
  }
  if (!problems.empty()) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} has flagged fields (correct or remove "
                                 "them first){}",
                                 doc->display_id, problems));
  }
  UtcNow now = CurrentUtc();
  now.year = Zone().LocalYear(Now());  // the archive's local year
  auto issued = NextArchiveNumber(db, now.year, TypeCode(doc->type), what);
  if (!issued) return std::unexpected(issued.error());
  const std::string& number = *issued;
  auto set = db.Prepare(
      "UPDATE documents SET archive_number = ?1, reviewed_by = ?2, "
      "reviewed_at = ?3 WHERE id = ?4",
      what);
  if (!set) return std::unexpected(set.error());
  set->Bind(1, number).Bind(2, actor).Bind(3, now.iso8601).Bind(4, doc->id);
  if (auto s = set->Run(); !s) return std::unexpected(s.error());
  if (auto s = WriteHistory(db, "documents", doc->id, "archive_number",
                            std::nullopt, number, actor, now.iso8601);
      !s) {
    return std::unexpected(s.error());
  }
  if (auto s = SetStatus(db, *doc, "filed", actor, now.iso8601); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = storage::ReindexDocumentMetadata(db, doc->id); !s) {
    return std::unexpected(s.error());
  }
  auto after = DocumentByText(db, doc->display_id);
  if (!after) return std::unexpected(after.error());
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return after;
}

Result<RefileOutcome> Catalog::RefileDocument(const RefileRequest& request) {
  const std::string& id = request.document;
  if (auto s = records::CheckRefileReason(request); !s) {
    return std::unexpected(s.error());
  }
  std::optional<std::string> code;
  if (request.customer_code) {
    auto c = CanonicalCustomerCode(*request.customer_code);
    if (!c) return std::unexpected(c.error());
    code = *c;
  }
  auto checked_title = records::CheckRefileValues(request);
  if (!checked_title) return std::unexpected(checked_title.error());
  const std::optional<std::string>& title = *checked_title;
  const Database& db = impl_->db;
  const std::string what = "refiling " + id;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto doc = DocumentByText(db, id);
  if (!doc) return std::unexpected(doc.error());
  auto plan = records::PlanRefile(*doc, code, request.type, title);
  if (!plan) return std::unexpected(plan.error());
  const bool new_customer = plan->customer;
  const bool new_type = plan->type;
  const bool new_title = plan->title;
  const UtcNow now = CurrentUtc();
  const std::string& actor = request.actor;
  auto update = [&](std::string_view column, auto value) -> Status {
    auto set = db.Prepare(
        fmt::format("UPDATE documents SET {} = ?1 WHERE id = ?2", column),
        what);
    if (!set) return std::unexpected(set.error());
    set->Bind(1, value).Bind(2, doc->id);
    return set->Run();
  };
  if (new_customer) {
    auto customer_id = CustomerIdByCode(db, *code);
    if (!customer_id) return std::unexpected(customer_id.error());
    // The same input filed twice under one customer is one document
    // (idempotent ingest): moving a copy next to it would break that.
    if (!doc->source_key.empty()) {
      auto twin = db.Prepare(
          "SELECT id FROM documents WHERE customer_id = ?1 AND "
          "source_key = ?2 AND id <> ?3",
          what);
      if (!twin) return std::unexpected(twin.error());
      twin->Bind(1, *customer_id).Bind(2, doc->source_key).Bind(3, doc->id);
      auto row = twin->Step();
      if (!row) return std::unexpected(row.error());
      if (*row) {
        return MakeError(
            ErrorCode::kConflict,
            fmt::format("{} cannot move to {}: {} there was ingested from the "
                        "same input; reject one of the two instead",
                        doc->display_id, *code,
                        DisplayId(twin->ColumnInt64(0))));
      }
    }
    if (auto s = update("customer_id", *customer_id); !s) {
      return std::unexpected(s.error());
    }
    if (auto s = WriteHistory(db, "documents", doc->id, "customer",
                              doc->customer_code, *code, actor, now.iso8601);
        !s) {
      return std::unexpected(s.error());
    }
  }
  if (new_type) {
    if (auto s = update("type", *request.type); !s) {
      return std::unexpected(s.error());
    }
    if (auto s = WriteHistory(db, "documents", doc->id, "type", doc->type,
                              *request.type, actor, now.iso8601);
        !s) {
      return std::unexpected(s.error());
    }
    // A new archive number of the new type, in the year it was filed
    // (records::PlanRefile); the old one stays in history.
    if (plan->new_archive_number) {
      auto year = records::ArchiveNumberYear(*doc);
      if (!year) return std::unexpected(year.error());
      auto number = NextArchiveNumber(db, *year, TypeCode(*request.type), what);
      if (!number) return std::unexpected(number.error());
      if (auto s = update("archive_number", *number); !s) {
        return std::unexpected(s.error());
      }
      if (auto s = WriteHistory(db, "documents", doc->id, "archive_number",
                                doc->archive_number, *number, actor,
                                now.iso8601);
          !s) {
        return std::unexpected(s.error());
      }
    }
  }
  if (new_title) {
    if (auto s = update("title", *title); !s) return std::unexpected(s.error());
    if (auto s = WriteHistory(db, "documents", doc->id, "title", doc->title,
                              *title, actor, now.iso8601);
        !s) {
      return std::unexpected(s.error());
    }
  }
  if (auto s = WriteHistory(db, "documents", doc->id, "refile_reason",
                            std::nullopt, TrimSpace(request.reason), actor,
                            now.iso8601);
      !s) {
    return std::unexpected(s.error());
  }
  // The title, customer and archive number are in the search index.
  if (auto s = storage::ReindexDocumentMetadata(db, doc->id); !s) {
    return std::unexpected(s.error());
  }
  auto after = DocumentByText(db, doc->display_id);
  if (!after) return std::unexpected(after.error());
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return RefileOutcome{std::move(*doc), std::move(*after)};
}

Result<DocumentRecord> Catalog::RejectDocument(const std::string& id,
                                               const std::string& reason,
                                               const std::string& actor) {
  if (auto s = records::CheckRejectReason(id, reason); !s) {
    return std::unexpected(s.error());
  }
  const Database& db = impl_->db;
  const std::string what = "rejecting " + id;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto doc = DocumentByText(db, id);
  if (!doc) return std::unexpected(doc.error());
  if (auto s = RequirePending(*doc, "rejected"); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = records::CheckReviewer(*doc, actor); !s) {
    return std::unexpected(s.error());
  }
  const UtcNow now = CurrentUtc();
  auto set = db.Prepare(
      "UPDATE documents SET review_reason = ?1, reviewed_by = ?2, "
      "reviewed_at = ?3 WHERE id = ?4",
      what);
  if (!set) return std::unexpected(set.error());
  set->Bind(1, reason).Bind(2, actor).Bind(3, now.iso8601).Bind(4, doc->id);
  if (auto s = set->Run(); !s) return std::unexpected(s.error());
  if (auto s = WriteHistory(db, "documents", doc->id, "review_reason",
                            doc->review_reason, reason, actor, now.iso8601);
      !s) {
    return std::unexpected(s.error());
  }
  if (auto s = SetStatus(db, *doc, "rejected", actor, now.iso8601); !s) {
    return std::unexpected(s.error());
  }
  auto after = DocumentByText(db, doc->display_id);
  if (!after) return std::unexpected(after.error());
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return after;
}

Result<DocumentRecord> Catalog::ReplaceDocument(const std::string& rejected_id,
                                                const std::string& rescan_id,
                                                const std::string& actor) {
  const Database& db = impl_->db;
  const std::string what = "replacing " + rejected_id + " by " + rescan_id;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto old_doc = DocumentByText(db, rejected_id);
  if (!old_doc) return std::unexpected(old_doc.error());
  auto new_doc = DocumentByText(db, rescan_id);
  if (!new_doc) return std::unexpected(new_doc.error());
  if (auto s = records::CheckReplacement(*old_doc, *new_doc); !s) {
    return std::unexpected(s.error());
  }
  const UtcNow now = CurrentUtc();
  auto set = db.Prepare("UPDATE documents SET replaces_id = ?1 WHERE id = ?2",
                        what);
  if (!set) return std::unexpected(set.error());
  set->Bind(1, old_doc->id).Bind(2, new_doc->id);
  if (auto s = set->Run(); !s) return std::unexpected(s.error());
  if (auto s = WriteHistory(db, "documents", new_doc->id, "replaces",
                            std::nullopt, old_doc->display_id, actor,
                            now.iso8601);
      !s) {
    return std::unexpected(s.error());
  }
  if (auto s = WriteHistory(db, "documents", old_doc->id, "replaced_by",
                            std::nullopt, new_doc->display_id, actor,
                            now.iso8601);
      !s) {
    return std::unexpected(s.error());
  }
  if (auto s = SetStatus(db, *old_doc, "replaced", actor, now.iso8601); !s) {
    return std::unexpected(s.error());
  }
  auto after = DocumentByText(db, new_doc->display_id);
  if (!after) return std::unexpected(after.error());
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return after;
}

}  // namespace dossier::storage
