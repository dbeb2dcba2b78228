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

Result<std::string> CanonicalArchiveNumber(std::string_view text) {
  std::string number = TrimSpace(text);
  for (char& c : number) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  // DA-YYYY-TT-NNNNNN-C (docs/coding-rule.md).
  bool shape = number.size() == 19 && number.starts_with("DA-") &&
               number[7] == '-' && number[10] == '-' && number[17] == '-';
  for (size_t i : {3, 4, 5, 6, 11, 12, 13, 14, 15, 16}) {
    if (shape && (number[i] < '0' || number[i] > '9')) shape = false;
  }
  if (!shape) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("archive number '{}' is not like "
                                 "DA-2026-HT-000001-K",
                                 text));
  }
  const std::string payload = "DA" + number.substr(3, 4) +
                              number.substr(8, 2) + number.substr(11, 6);
  if (Mod3736CheckChar(payload) != number[18]) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("archive number {} has a wrong check "
                                 "character (the rule gives {})",
                                 number, Mod3736CheckChar(payload)));
  }
  return number;
}

namespace {

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

Status CheckNewDocument(const storage::NewDocument& doc) {
  auto invalid = [&](std::string reason) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("document '{}' for {}: {}", doc.title,
                                 doc.customer_code, reason));
  };
  if (auto type = ParseDocumentType(doc.type); !type) {
    return invalid(type.error().message);
  }
  if (!IsSha256Hex(doc.pdf_sha256)) {
    return invalid(
        fmt::format("pdf_sha256 '{}' is not 64 lower-case hex "
                    "digits",
                    doc.pdf_sha256));
  }
  if (doc.pdf_size < 0) return invalid("pdf_size is negative");
  if (doc.created_by.empty()) return invalid("created_by is empty");
  if (doc.pages.empty()) return invalid("it has no pages");
  for (const storage::DocumentFile& f : doc.files) {
    if (f.role != "original" && f.role != "dropped-page") {
      return invalid(fmt::format("kept file role '{}' is not original or "
                                 "dropped-page",
                                 f.role));
    }
    if (!IsSha256Hex(f.sha256)) {
      return invalid(fmt::format("kept file sha256 '{}' is not 64 lower-case "
                                 "hex digits",
                                 f.sha256));
    }
  }
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    if (doc.pages[i].number != static_cast<int>(i) + 1) {
      return invalid(
          fmt::format("page at position {} has number {}; pages "
                      "must be numbered 1..n in order",
                      i + 1, doc.pages[i].number));
    }
  }
  return Ok();
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
