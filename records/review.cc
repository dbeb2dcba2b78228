// Review and filing rules (records/review.h).
#include "records/review.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/text.h"
#include "records/coding_rule.h"
#include "records/vocabulary.h"

namespace dossier::records {
namespace {

constexpr std::int64_t kMaxArchiveSequence = 999'999;

}  // namespace

Status RequirePending(const storage::DocumentRecord& doc,
                      std::string_view action) {
  if (doc.status == "pending") return Ok();
  return MakeError(ErrorCode::kConflict,
                   fmt::format("{} is {}; only a pending document can be {}",
                               doc.display_id, doc.status, action));
}

Status CheckReviewer(const storage::DocumentRecord& doc,
                     const std::string& reviewer) {
  if (TrimSpace(reviewer).empty() || reviewer == doc.created_by) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} was scanned by {}; another person must "
                                 "review it",
                                 doc.display_id, doc.created_by));
  }
  return Ok();
}

std::string_view ArchiveTypeCode(std::string_view type) {
  auto known = ParseDocumentType(type);
  return ArchiveCode(known ? *known : DocumentType::kOther);
}

Result<std::string> FormatArchiveNumber(int year, std::string_view type_code,
                                        std::int64_t sequence) {
  if (sequence > kMaxArchiveSequence) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("all archive numbers for {} in {} are used",
                                 type_code, year));
  }
  const std::string payload =
      fmt::format("DA{:04d}{}{:06d}", year, type_code, sequence);
  return fmt::format("DA-{:04d}-{}-{:06d}-{}", year, type_code, sequence,
                     Mod3736CheckChar(payload));
}

Result<int> ArchiveNumberYear(const storage::DocumentRecord& doc) {
  int year = 0;
  if (doc.archive_number.size() < 7 ||
      std::from_chars(doc.archive_number.data() + 3,
                      doc.archive_number.data() + 7, year)
              .ec != std::errc()) {
    return MakeError(ErrorCode::kCatalog,
                     fmt::format("catalog: archive number '{}' of {} is "
                                 "malformed",
                                 doc.archive_number, doc.display_id));
  }
  return year;
}

Status CheckRefileReason(const storage::RefileRequest& request) {
  const std::string& id = request.document;
  if (TrimSpace(request.reason).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "refiling " + id + " needs a reason (--reason)");
  }
  if (TrimSpace(request.actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "refiling " + id + " needs the acting user");
  }
  return Ok();
}

Result<std::optional<std::string>> CheckRefileValues(
    const storage::RefileRequest& request) {
  if (request.type) {
    if (auto t = ParseDocumentType(*request.type); !t) {
      return std::unexpected(t.error());
    }
  }
  std::optional<std::string> title;
  if (request.title) {
    title = TrimSpace(*request.title);
    if (title->empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "refiling " + request.document +
                           ": the title may not be empty");
    }
  }
  return title;
}

Result<RefileChanges> PlanRefile(const storage::DocumentRecord& doc,
                                 const std::optional<std::string>& code,
                                 const std::optional<std::string>& type,
                                 const std::optional<std::string>& title) {
  if (doc.status != "pending" && doc.status != "filed" &&
      doc.status != "rejected") {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} is {}; only a pending, filed or rejected "
                                 "document can be refiled",
                                 doc.display_id, doc.status));
  }
  RefileChanges changes;
  changes.customer = code && *code != doc.customer_code;
  changes.type = type && *type != doc.type;
  changes.title = title && *title != doc.title;
  if (!changes.customer && !changes.type && !changes.title) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("refiling {}: nothing changes (it is already "
                                 "under {} as {} with that title)",
                                 doc.display_id, doc.customer_code, doc.type));
  }
  // The archive number carries the type (DA-YYYY-TT-NNNNNN-C): a filed
  // document of another type gets the next number of that type in the
  // year it was filed. The old number is kept in history and its sequence
  // never goes back, so it is not issued again.
  changes.new_archive_number = changes.type && !doc.archive_number.empty();
  return changes;
}

Status CheckRejectReason(const std::string& id, const std::string& reason) {
  if (TrimSpace(reason).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "rejecting " + id + " needs a reason");
  }
  return Ok();
}

Status CheckReplacement(const storage::DocumentRecord& old_doc,
                        const storage::DocumentRecord& new_doc) {
  if (old_doc.status != "rejected") {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} is {}; only a rejected document can be "
                                 "replaced",
                                 old_doc.display_id, old_doc.status));
  }
  if (new_doc.status != "pending" || !new_doc.replaces.empty() ||
      new_doc.id == old_doc.id) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} must be a pending rescan that replaces "
                                 "nothing yet",
                                 new_doc.display_id));
  }
  if (new_doc.customer_code != old_doc.customer_code) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} belongs to {}, {} to {}",
                                 old_doc.display_id, old_doc.customer_code,
                                 new_doc.display_id, new_doc.customer_code));
  }
  return Ok();
}

}  // namespace dossier::records
