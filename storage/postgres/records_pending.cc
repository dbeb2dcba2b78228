// PgRecords: the methods not yet on PostgreSQL (review and filing)
// answer kInternal until their file lands.
#include "storage/postgres/records.h"
#include "storage/postgres/records_internal.h"

namespace dossier::storage::postgres {
namespace {
std::unexpected<Error> Missing(const char* what) {
  return MakeError(ErrorCode::kInternal,
                   std::string(what) + " is not yet implemented on PostgreSQL");
}
}  // namespace

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
