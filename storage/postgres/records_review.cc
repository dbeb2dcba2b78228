// PgRecords (storage/postgres/records.h): document fields, review and
// filing, refiling and replacing (manual 3.2).
//
//   pending --approve--> filed (archive number DA-YYYY-TT-NNNNNN-C)
//   pending --reject---> rejected (reason kept) --replace--> replaced
//
// The rules are records/review.h's; here the document is loaded, the rule
// asked, and the change written with its history and search rows in one
// transaction. Archive numbers come from archive_sequence rows; stations
// filing at once wait for each other on that table (LockCounter).
#include <fmt/format.h>

#include "core/text.h"
#include "records/review.h"
#include "records/vocabulary.h"
#include "storage/postgres/common.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records.h"
#include "storage/postgres/records_internal.h"

namespace dossier::storage::postgres {
namespace {

const Sql kFieldNames{"records.field_names",
                      "SELECT name FROM document_fields WHERE document_id = $1 "
                      "ORDER BY id"};
const Sql kDeleteField{"records.delete_field",
                       "DELETE FROM document_fields WHERE document_id = $1 AND "
                       "name = $2"};
const Sql kFlaggedFields{"records.flagged_fields",
                         "SELECT name, problem FROM document_fields WHERE "
                         "document_id = $1 AND problem <> '' ORDER BY id"};
const Sql kNextArchiveNumber{
    "records.next_archive_number",
    "INSERT INTO archive_sequence (year, type_code, last_sequence) "
    "VALUES ($1, $2, 1) ON CONFLICT (year, type_code) DO UPDATE SET "
    "last_sequence = archive_sequence.last_sequence + 1 RETURNING last_sequence"};
const Sql kFile{"records.file",
                "UPDATE documents SET archive_number = $2, reviewed_by = $3, "
                "reviewed_at = $4, status = 'filed' WHERE id = $1"};
const Sql kReject{"records.reject",
                  "UPDATE documents SET review_reason = $2, reviewed_by = $3, "
                  "reviewed_at = $4, status = 'rejected' WHERE id = $1"};
const Sql kSetStatus{"records.set_status",
                     "UPDATE documents SET status = $2 WHERE id = $1"};
const Sql kSetReplaces{"records.set_replaces",
                       "UPDATE documents SET replaces_id = $2 WHERE id = $1"};
const Sql kSetCustomer{"records.set_customer",
                       "UPDATE documents SET customer_id = $2 WHERE id = $1"};
const Sql kSetType{"records.set_type", "UPDATE documents SET type = $2 WHERE id = $1"};
const Sql kSetTitle{"records.set_title",
                    "UPDATE documents SET title = $2 WHERE id = $1"};
const Sql kSetArchiveNumber{"records.set_archive_number",
                            "UPDATE documents SET archive_number = $2 WHERE id = $1"};
const Sql kTwin{"records.twin",
                "SELECT id FROM documents WHERE customer_id = $1 AND "
                "source_key = $2 AND id <> $3"};

// The next archive number of the type in the year; advances the sequence
// in the caller's transaction.
Result<std::string> NextArchiveNumber(Tx& tx, int year, std::string_view type_code) {
  const std::int64_t sequence =
      Int(tx.Exec(kNextArchiveNumber, year, std::string(type_code))[0][0]);
  return records::FormatArchiveNumber(year, type_code, sequence);
}

}  // namespace

Result<std::vector<DocumentField>> PgRecords::GetDocumentFields(const std::string& id) {
  return catalog_.db().Transact(
      "reading the fields of " + id, [&](Tx& tx) -> Result<std::vector<DocumentField>> {
        auto doc = DocumentByText(tx, id);
        if (!doc) return std::unexpected(doc.error());
        std::vector<DocumentField> out;
        for (const auto& row : tx.Exec(kFieldNames, doc->id)) {
          if (auto f = FieldOf(tx, doc->id, Text(row[0]))) out.push_back(std::move(*f));
        }
        return out;
      });
}

Status PgRecords::SetDocumentField(const std::string& id, const std::string& name,
                                   const std::optional<std::string>& value,
                                   const std::string& actor) {
  if (name.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "field name is empty");
  }
  return catalog_.db().Transact(
      "changing field " + name + " of " + id, [&](Tx& tx) -> Status {
        auto doc = DocumentByText(tx, id);
        if (!doc) return std::unexpected(doc.error());
        if (auto s = records::RequirePending(*doc, "corrected"); !s) return s;
        const std::string now = NowUtc();
        if (value) {
          DocumentField f;
          f.name = name;
          f.value = *value;
          f.raw = *value;
          f.confidence = 100.f;
          f.source = "entered";
          if (auto s = PutDocumentField(tx, doc->id, f, actor, now); !s) return s;
        } else {
          auto old = FieldOf(tx, doc->id, name);
          if (!old) {
            return MakeError(ErrorCode::kNotFound,
                             doc->display_id + " has no field " + name);
          }
          tx.Exec(kDeleteField, doc->id, name);
          WriteHistoryRow(tx, "documents", doc->id, "field:" + name, old->value,
                          std::nullopt, actor, now);
        }
        return ReindexDocument(tx, doc->id);
      });
}

Result<DocumentRecord> PgRecords::ApproveDocument(const std::string& id,
                                                  const std::string& actor) {
  return catalog_.db().Transact("filing " + id, [&](Tx& tx) -> Result<DocumentRecord> {
    LockCounter(tx, "archive_sequence");
    auto doc = DocumentByText(tx, id);
    if (!doc) return std::unexpected(doc.error());
    if (auto s = records::RequirePending(*doc, "approved"); !s) {
      return std::unexpected(s.error());
    }
    if (auto s = records::CheckReviewer(*doc, actor); !s) {
      return std::unexpected(s.error());
    }
    std::string problems;
    for (const auto& row : tx.Exec(kFlaggedFields, doc->id)) {
      problems += fmt::format("; {}: {}", Text(row[0]), Text(row[1]));
    }
    if (!problems.empty()) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("{} has flagged fields (correct or remove "
                                   "them first){}",
                                   doc->display_id, problems));
    }
    const std::string now = NowUtc();
    const int year = ZoneIn(tx).LocalYear(Now());  // the archive's local year
    auto number = NextArchiveNumber(tx, year, records::ArchiveTypeCode(doc->type));
    if (!number) return std::unexpected(number.error());
    tx.Exec(kFile, doc->id, *number, actor, now);
    WriteHistory(tx, "documents", doc->id, "archive_number", std::nullopt, *number,
                 actor, now);
    WriteHistory(tx, "documents", doc->id, "status", doc->status, "filed", actor, now);
    if (auto s = ReindexDocument(tx, doc->id); !s) return std::unexpected(s.error());
    return DocumentByText(tx, doc->display_id);
  });
}

Result<RefileOutcome> PgRecords::RefileDocument(const RefileRequest& request) {
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
  const std::string& actor = request.actor;
  return catalog_.db().Transact("refiling " + id, [&](Tx& tx) -> Result<RefileOutcome> {
    // A refile may draw a new archive number (a filed document's new type).
    LockCounter(tx, "archive_sequence");
    auto doc = DocumentByText(tx, id);
    if (!doc) return std::unexpected(doc.error());
    auto plan = records::PlanRefile(*doc, code, request.type, title);
    if (!plan) return std::unexpected(plan.error());
    const std::string now = NowUtc();
    if (plan->customer) {
      auto customer_id = CustomerIdByCode(tx, *code);
      if (!customer_id) return std::unexpected(customer_id.error());
      // The same input filed twice under one customer is one document
      // (idempotent ingest): moving a copy next to it would break that.
      if (!doc->source_key.empty()) {
        auto twin = tx.Exec(kTwin, *customer_id, doc->source_key, doc->id);
        if (!twin.empty()) {
          return MakeError(
              ErrorCode::kConflict,
              fmt::format("{} cannot move to {}: {} there was ingested from the "
                          "same input; reject one of the two instead",
                          doc->display_id, *code, DisplayId(Int(twin[0][0]))));
        }
      }
      tx.Exec(kSetCustomer, doc->id, *customer_id);
      WriteHistory(tx, "documents", doc->id, "customer", doc->customer_code, *code,
                   actor, now);
    }
    if (plan->type) {
      tx.Exec(kSetType, doc->id, *request.type);
      WriteHistory(tx, "documents", doc->id, "type", doc->type, *request.type, actor,
                   now);
      // A new archive number of the new type, in the year it was filed
      // (records::PlanRefile); the old one stays in history.
      if (plan->new_archive_number) {
        auto year = records::ArchiveNumberYear(*doc);
        if (!year) return std::unexpected(year.error());
        auto number =
            NextArchiveNumber(tx, *year, records::ArchiveTypeCode(*request.type));
        if (!number) return std::unexpected(number.error());
        tx.Exec(kSetArchiveNumber, doc->id, *number);
        WriteHistory(tx, "documents", doc->id, "archive_number", doc->archive_number,
                     *number, actor, now);
      }
    }
    if (plan->title) {
      tx.Exec(kSetTitle, doc->id, *title);
      WriteHistory(tx, "documents", doc->id, "title", doc->title, *title, actor, now);
    }
    WriteHistory(tx, "documents", doc->id, "refile_reason", std::nullopt,
                 TrimSpace(request.reason), actor, now);
    // The title, customer, type and archive number are in the search rows.
    if (auto s = ReindexDocument(tx, doc->id); !s) return std::unexpected(s.error());
    auto after = DocumentByText(tx, doc->display_id);
    if (!after) return std::unexpected(after.error());
    return RefileOutcome{*doc, std::move(*after)};
  });
}

Result<DocumentRecord> PgRecords::RejectDocument(const std::string& id,
                                                 const std::string& reason,
                                                 const std::string& actor) {
  if (auto s = records::CheckRejectReason(id, reason); !s) {
    return std::unexpected(s.error());
  }
  return catalog_.db().Transact("rejecting " + id, [&](Tx& tx) -> Result<DocumentRecord> {
    auto doc = DocumentByText(tx, id);
    if (!doc) return std::unexpected(doc.error());
    if (auto s = records::RequirePending(*doc, "rejected"); !s) {
      return std::unexpected(s.error());
    }
    if (auto s = records::CheckReviewer(*doc, actor); !s) {
      return std::unexpected(s.error());
    }
    const std::string now = NowUtc();
    tx.Exec(kReject, doc->id, reason, actor, now);
    WriteHistory(tx, "documents", doc->id, "review_reason", doc->review_reason, reason,
                 actor, now);
    WriteHistory(tx, "documents", doc->id, "status", doc->status, "rejected", actor,
                 now);
    if (auto s = ReindexDocument(tx, doc->id); !s) return std::unexpected(s.error());
    return DocumentByText(tx, doc->display_id);
  });
}

Result<DocumentRecord> PgRecords::ReplaceDocument(const std::string& rejected_id,
                                                  const std::string& rescan_id,
                                                  const std::string& actor) {
  return catalog_.db().Transact(
      "replacing " + rejected_id + " by " + rescan_id,
      [&](Tx& tx) -> Result<DocumentRecord> {
        auto old_doc = DocumentByText(tx, rejected_id);
        if (!old_doc) return std::unexpected(old_doc.error());
        auto new_doc = DocumentByText(tx, rescan_id);
        if (!new_doc) return std::unexpected(new_doc.error());
        if (auto s = records::CheckReplacement(*old_doc, *new_doc); !s) {
          return std::unexpected(s.error());
        }
        const std::string now = NowUtc();
        tx.Exec(kSetReplaces, new_doc->id, old_doc->id);
        WriteHistory(tx, "documents", new_doc->id, "replaces", std::nullopt,
                     old_doc->display_id, actor, now);
        WriteHistory(tx, "documents", old_doc->id, "replaced_by", std::nullopt,
                     new_doc->display_id, actor, now);
        tx.Exec(kSetStatus, old_doc->id, std::string("replaced"));
        WriteHistory(tx, "documents", old_doc->id, "status", old_doc->status,
                     "replaced", actor, now);
        if (auto s = ReindexDocument(tx, old_doc->id); !s) {
          return std::unexpected(s.error());
        }
        return DocumentByText(tx, new_doc->display_id);
      });
}

}  // namespace dossier::storage::postgres
