// Catalog: the verification log (fixity and PDF/A checks of stored files).
#include <nlohmann/json.hpp>

#include "storage/sqlite/catalog_impl.h"
#include "core/json_text.h"
#include "storage/sqlite/schema.h"

namespace dossier::storage {

// Migration 4. Rows are only ever added: the log of checks is evidence that
// the archive was looked after, so nothing updates or deletes it.
const std::string_view kSchemaV4Verification = R"sql(
CREATE TABLE verifications (
  id          INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('ingest', 'verify')),
  fixity_ok   INTEGER NOT NULL,
  pdfa_ok     INTEGER NOT NULL,
  pdfa_level  TEXT NOT NULL,
  problems    TEXT NOT NULL CHECK (json_valid(problems))
);
CREATE INDEX verifications_document ON verifications(document_id, id);
)sql";

Status Catalog::RecordVerification(std::int64_t document_id,
                                   const Verification& v) {
  const std::string what = "recording the check of document " + std::to_string(document_id);
  if (v.kind != "ingest" && v.kind != "verify") {
    return MakeError(ErrorCode::kInvalidArgument, what + ": unknown kind '" + v.kind + "'");
  }
  auto stmt = impl_->db.Prepare(
      "INSERT INTO verifications (document_id, at, actor, kind, fixity_ok, "
      "pdfa_ok, pdfa_level, problems) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      what);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, document_id)
      .Bind(2, v.at.empty() ? CurrentUtc().iso8601 : v.at)
      .Bind(3, v.actor)
      .Bind(4, v.kind)
      .Bind(5, v.fixity_ok ? 1 : 0)
      .Bind(6, v.pdfa_ok ? 1 : 0)
      .Bind(7, v.pdfa_level)
      .Bind(8, DumpJson(nlohmann::json(v.problems)));
  return stmt->Run();
}

Result<std::optional<Verification>> Catalog::LastVerification(std::int64_t document_id) {
  auto stmt = impl_->db.Prepare(
      "SELECT at, actor, kind, fixity_ok, pdfa_ok, pdfa_level, problems "
      "FROM verifications WHERE document_id = ? ORDER BY id DESC LIMIT 1",
      "reading the checks of document " + std::to_string(document_id));
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, document_id);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Verification>();
  Verification v;
  v.at = stmt->ColumnText(0);
  v.actor = stmt->ColumnText(1);
  v.kind = stmt->ColumnText(2);
  v.fixity_ok = stmt->ColumnInt(3) != 0;
  v.pdfa_ok = stmt->ColumnInt(4) != 0;
  v.pdfa_level = stmt->ColumnText(5);
  auto problems = nlohmann::json::parse(stmt->ColumnText(6), nullptr, false);
  if (problems.is_array()) {
    for (const auto& p : problems) {
      if (p.is_string()) v.problems.push_back(p.get<std::string>());
    }
  }
  return std::optional<Verification>(std::move(v));
}

}  // namespace dossier::storage
