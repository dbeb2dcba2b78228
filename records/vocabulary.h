// The records vocabulary: the kinds of document an archive keeps and the
// states a document passes through, each defined once here. Every list
// shown to a user (CLI choices, error messages), every check of an entered
// type and the two-letter code in archive numbers come from these tables.
//
//   type            code  shown as
//   contract        HT    合同 contract
//   form            BG    表格 form
//   id-copy         ZJ    证件 ID copy
//   correspondence  WL    往来 correspondence
//   other           QT    其他 other
//
//   status     meaning
//   pending    ingested, waiting for review (审核)
//   filed      reviewed and filed with an archive number (建档)
//   rejected   refused at review; a rescan may replace it
//   replaced   a rescan that passed review took its place
//   destroyed  destroyed under an approved destruction batch (tombstone)
//
// The text names are what the catalog stores and what --json prints; they
// never change once written (archives are kept for decades).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dossier::records {

enum class DocumentType { kContract, kForm, kIdCopy, kCorrespondence, kOther };

enum class DocumentStatus { kPending, kFiled, kRejected, kReplaced, kDestroyed };

// Every type / status, in the order shown to users.
const std::vector<DocumentType>& AllDocumentTypes();
const std::vector<DocumentStatus>& AllDocumentStatuses();

// The stored text name: "contract", "id-copy", "pending", ...
std::string_view ToString(DocumentType type);
std::string_view ToString(DocumentStatus status);

// The text names, for CLI choices and messages.
std::vector<std::string> DocumentTypeNames();
std::vector<std::string> DocumentStatusNames();

// kInvalidArgument naming the text and the known names when it is not one.
// Exact match: names are lower-case ASCII as stored.
Result<DocumentType> ParseDocumentType(std::string_view text);
Result<DocumentStatus> ParseDocumentStatus(std::string_view text);

// Two letters of the type in archive numbers (docs/coding-rule.md).
std::string_view ArchiveCode(DocumentType type);
// Chinese label as printed on sheets and certificates: 合同, 表格, ...
std::string_view ChineseLabel(DocumentType type);

}  // namespace dossier::records
