#include "records/vocabulary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>

namespace dossier::records {
namespace {

struct TypeRow {
  DocumentType type;
  std::string_view name;
  std::string_view code;
  std::string_view label;
};

constexpr std::array<TypeRow, 5> kTypes = {{
    {DocumentType::kContract, "contract", "HT", "合同"},
    {DocumentType::kForm, "form", "BG", "表格"},
    {DocumentType::kIdCopy, "id-copy", "ZJ", "证件"},
    {DocumentType::kCorrespondence, "correspondence", "WL", "往来"},
    {DocumentType::kOther, "other", "QT", "其他"},
}};

struct StatusRow {
  DocumentStatus status;
  std::string_view name;
};

constexpr std::array<StatusRow, 5> kStatuses = {{
    {DocumentStatus::kPending, "pending"},
    {DocumentStatus::kFiled, "filed"},
    {DocumentStatus::kRejected, "rejected"},
    {DocumentStatus::kReplaced, "replaced"},
    {DocumentStatus::kDestroyed, "destroyed"},
}};

const TypeRow& Row(DocumentType type) {
  for (const TypeRow& r : kTypes) {
    if (r.type == type) return r;
  }
  return kTypes.back();  // unreachable for a valid enumerator
}

}  // namespace

const std::vector<DocumentType>& AllDocumentTypes() {
  static const std::vector<DocumentType> all = [] {
    std::vector<DocumentType> v;
    for (const TypeRow& r : kTypes) v.push_back(r.type);
    return v;
  }();
  return all;
}

const std::vector<DocumentStatus>& AllDocumentStatuses() {
  static const std::vector<DocumentStatus> all = [] {
    std::vector<DocumentStatus> v;
    for (const StatusRow& r : kStatuses) v.push_back(r.status);
    return v;
  }();
  return all;
}

std::string_view ToString(DocumentType type) { return Row(type).name; }

std::string_view ToString(DocumentStatus status) {
  for (const StatusRow& r : kStatuses) {
    if (r.status == status) return r.name;
  }
  return "";
}

std::vector<std::string> DocumentTypeNames() {
  std::vector<std::string> names;
  for (const TypeRow& r : kTypes) names.emplace_back(r.name);
  return names;
}

std::vector<std::string> DocumentStatusNames() {
  std::vector<std::string> names;
  for (const StatusRow& r : kStatuses) names.emplace_back(r.name);
  return names;
}

Result<DocumentType> ParseDocumentType(std::string_view text) {
  for (const TypeRow& r : kTypes) {
    if (r.name == text) return r.type;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("unknown document type '{}' (use one of: {})",
                               text, fmt::join(DocumentTypeNames(), ", ")));
}

Result<DocumentStatus> ParseDocumentStatus(std::string_view text) {
  for (const StatusRow& r : kStatuses) {
    if (r.name == text) return r.status;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("unknown document status '{}' (use one of: {})",
                               text, fmt::join(DocumentStatusNames(), ", ")));
}

std::string_view ArchiveCode(DocumentType type) { return Row(type).code; }

std::string_view ChineseLabel(DocumentType type) { return Row(type).label; }

}  // namespace dossier::records
