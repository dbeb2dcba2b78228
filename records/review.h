// Review and filing (审核与建档, manual 3.2): who may review, what state a
// step needs, how an archive number is made (docs/coding-rule.md), what a
// refile must change and what a new type does to an issued number, and
// when a rescan may replace a rejected document. Pure functions on the
// store's value types (storage/records_store.h): the store loads a
// document, asks these, and writes. Safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "storage/records_store.h"

namespace dossier::records {

// kConflict unless the document is pending ("only a pending document can
// be <action>").
Status RequirePending(const storage::DocumentRecord& doc,
                      std::string_view action);

// The reviewer (who approves or rejects) is never the person who scanned
// the document; kConflict otherwise, also for no reviewer at all.
Status CheckReviewer(const storage::DocumentRecord& doc,
                     const std::string& reviewer);

// Two letters per document type in the archive number; a type the
// vocabulary does not know (none is stored unchecked) files as QT.
std::string_view ArchiveTypeCode(std::string_view type);

// DA-YYYY-TT-NNNNNN-C for the sequence'th number of the type in the year.
// kConflict when the sequence is past 999,999 (all numbers used).
Result<std::string> FormatArchiveNumber(int year, std::string_view type_code,
                                        std::int64_t sequence);

// An archive number as a user typed it (any case, spaces around), checked
// for its shape and check character and returned upper-cased, as stored.
// kInvalidArgument naming what is wrong.
Result<std::string> CanonicalArchiveNumber(std::string_view text);
// The year an issued archive number was filed in (DA-2026-...);
// kCatalog naming the document for a malformed stored number.
Result<int> ArchiveNumberYear(const storage::DocumentRecord& doc);

// A new document as ingest hands it to a store (storage::RecordsStore::
// AddDocument's REQUIRES): a known type, a PDF SHA-256 of 64 lower-case hex
// digits, a size not negative, who made it, pages numbered 1..n in order
// (at least one), kept files with a known role and a SHA-256.
// kInvalidArgument naming the document and what is wrong.
Status CheckNewDocument(const storage::NewDocument& doc);
// A refile request on its own: a reason and an actor (checked first), then
// a known type and a title that is not blank (returned trimmed, nullopt
// when not asked). kInvalidArgument naming the document.
Status CheckRefileReason(const storage::RefileRequest& request);
Result<std::optional<std::string>> CheckRefileValues(
    const storage::RefileRequest& request);

// What a refile of `doc` changes. Only pending, filed and rejected
// documents are refiled (kConflict); a refile that changes nothing is
// kInvalidArgument. code, title: canonical, nullopt when not asked.
struct RefileChanges {
  bool customer = false;
  bool type = false;
  bool title = false;
  // A filed document whose type changes gets a new archive number of the
  // new type in its filing year; the old one stays in history.
  bool new_archive_number = false;
};
Result<RefileChanges> PlanRefile(const storage::DocumentRecord& doc,
                                 const std::optional<std::string>& code,
                                 const std::optional<std::string>& type,
                                 const std::optional<std::string>& title);

// A rejection needs a reason (kInvalidArgument naming the document).
Status CheckRejectReason(const std::string& id, const std::string& reason);

// A pending rescan that replaces nothing yet may replace a rejected
// document of the same customer; kConflict otherwise.
Status CheckReplacement(const storage::DocumentRecord& rejected,
                        const storage::DocumentRecord& rescan);

}  // namespace dossier::records
