// PgRecords: the methods not yet on PostgreSQL (documents, search, review)
// answer kInternal until their files land.
#include "storage/postgres/records.h"
#include "storage/postgres/records_internal.h"

namespace dossier::storage::postgres {
namespace {
std::unexpected<Error> Missing(const char* what) {
  return MakeError(ErrorCode::kInternal,
                   std::string(what) + " is not yet implemented on PostgreSQL");
}
}  // namespace

Result<DocumentRecord> DocumentByText(Tx&, const std::string&) { return Missing("documents"); }
Status ReindexCustomerDocuments(Tx&, std::int64_t) { return Ok(); }

Result<std::optional<DocumentRecord>> PgRecords::FindDocumentBySourceKey(
    const std::string&, const std::string&) { return Missing("FindDocumentBySourceKey"); }
Result<DocumentRecord> PgRecords::AddDocument(const NewDocument&) { return Missing("AddDocument"); }
Result<DocumentRecord> PgRecords::GetDocument(const std::string&) { return Missing("GetDocument"); }
Result<DocumentRecord> PgRecords::FindDocumentByArchiveNumber(const std::string&) {
  return Missing("FindDocumentByArchiveNumber");
}
Result<std::vector<PageRecord>> PgRecords::GetPages(std::int64_t, bool) { return Missing("GetPages"); }
Result<std::vector<DocumentRecord>> PgRecords::ListDocuments(const std::string&) {
  return Missing("ListDocuments");
}
Result<std::vector<DocumentFile>> PgRecords::GetDocumentFiles(std::int64_t) {
  return Missing("GetDocumentFiles");
}
Result<std::vector<PageHash>> PgRecords::ListPageHashes() { return Missing("ListPageHashes"); }
Result<std::vector<SearchHit>> PgRecords::Search(const SearchQuery&) { return Missing("Search"); }
Result<std::vector<DocumentRecord>> PgRecords::ListDocumentsByStatus(const std::string&) {
  return Missing("ListDocumentsByStatus");
}
Result<std::vector<DocumentField>> PgRecords::GetDocumentFields(const std::string&) {
  return Missing("GetDocumentFields");
}
Status PgRecords::SetDocumentField(const std::string&, const std::string&,
                                   const std::optional<std::string>&, const std::string&) {
  return Missing("SetDocumentField");
}
Result<DocumentRecord> PgRecords::ApproveDocument(const std::string&, const std::string&) {
  return Missing("ApproveDocument");
}
Result<RefileOutcome> PgRecords::RefileDocument(const RefileRequest&) { return Missing("RefileDocument"); }
Result<DocumentRecord> PgRecords::RejectDocument(const std::string&, const std::string&,
                                                 const std::string&) {
  return Missing("RejectDocument");
}
Result<DocumentRecord> PgRecords::ReplaceDocument(const std::string&, const std::string&,
                                                  const std::string&) {
  return Missing("ReplaceDocument");
}

}  // namespace dossier::storage::postgres
