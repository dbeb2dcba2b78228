// JSON for every result struct the use cases return: the one shape that
// `--json` prints and the server sends (docs/json.md). Conventions:
//   - keys are snake_case; who and when are "by" and "at", or "<event>_by"
//     and "<event>_at" where a record has several (created_by, created_at);
//   - times are ISO 8601 UTC ("2026-03-01T09:30:00Z"), dates YYYY-MM-DD in
//     the archive's zone; an unset time or date is null, never "";
//   - ids are the display ids (D000012, L000001, KH-…), never row numbers;
//   - values are already masked for the caller by app/.
// nlohmann::json finds these to_json overloads by argument-dependent
// lookup, so nlohmann::json(x) works for each struct and vectors of them.
#pragma once

#include <nlohmann/json.hpp>

#include "app/documents.h"
#include "app/records.h"
#include "storage/access_store.h"
#include "storage/records_store.h"
#include "storage/custody_store.h"
#include "storage/retention_store.h"
#include "storage/work_queue.h"

namespace dossier {
void to_json(nlohmann::json& j, const Warning& w);
}  // namespace dossier

namespace dossier::storage {
void to_json(nlohmann::json& j, const Customer& c);
void to_json(nlohmann::json& j, const Contact& c);
void to_json(nlohmann::json& j, const DocumentRecord& d);
void to_json(nlohmann::json& j, const DocumentField& f);
void to_json(nlohmann::json& j, const HistoryEntry& e);
void to_json(nlohmann::json& j, const PageRecord& p);
void to_json(nlohmann::json& j, const SearchHit& h);
void to_json(nlohmann::json& j, const Verification& v);
void to_json(nlohmann::json& j, const CustomerMatch& m);
void to_json(nlohmann::json& j, const LoanApproval& a);
void to_json(nlohmann::json& j, const Loan& l);
void to_json(nlohmann::json& j, const Location& l);
void to_json(nlohmann::json& j, const CustodyEvent& e);
void to_json(nlohmann::json& j, const Original& o);
void to_json(nlohmann::json& j, const Audit& a);
void to_json(nlohmann::json& j, const AuditLine& l);
void to_json(nlohmann::json& j, const User& u);
void to_json(nlohmann::json& j, const RetentionRule& r);
void to_json(nlohmann::json& j, const RetentionStatus& s);
void to_json(nlohmann::json& j, const LegalHold& h);
void to_json(nlohmann::json& j, const DestructionItem& i);
void to_json(nlohmann::json& j, const ShreddingRecord& r);
void to_json(nlohmann::json& j, const DestructionBatch& b);
// A work item; its payload and result as JSON values (null when empty).
void to_json(nlohmann::json& j, const WorkItem& w);
}  // namespace dossier::storage

namespace dossier::governance {
void to_json(nlohmann::json& j, const LogEntry& e);  // governance/access_log.h
}  // namespace dossier::governance

namespace dossier::app {
void to_json(nlohmann::json& j, const CustomerFile& f);
void to_json(nlohmann::json& j, const DocumentView& v);
void to_json(nlohmann::json& j, const ReviewSheet& s);
}  // namespace dossier::app

namespace dossier::json {
template <typename T>
nlohmann::json ToJson(const T& value) {
  return nlohmann::json(value);
}
}  // namespace dossier::json
