#include "app/json.h"

namespace dossier {
namespace {

// '' -> null: unset times, dates and links are null in JSON.
nlohmann::json OrNull(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

}  // namespace

void to_json(nlohmann::json& j, const Warning& w) {
  j = {{"code", w.code}, {"message", w.message}};
}

}  // namespace dossier

namespace dossier::storage {

using dossier::OrNull;

void to_json(nlohmann::json& j, const Customer& c) {
  j = {{"code", c.code},         {"name", c.name},
       {"kind", c.kind},         {"parent", OrNull(c.parent_code)},
       {"uscc", OrNull(c.uscc)}, {"id_number", OrNull(c.id_number)},
       {"phone", OrNull(c.phone)}, {"email", OrNull(c.email)},
       {"address", OrNull(c.address)}, {"created_by", c.created_by},
       {"created_at", c.created_at}};
}

void to_json(nlohmann::json& j, const Contact& c) {
  j = {{"customer", c.customer_code}, {"role", c.role},
       {"name", c.name},              {"phone", OrNull(c.phone)},
       {"email", OrNull(c.email)},    {"address", OrNull(c.address)},
       {"created_by", c.created_by},  {"created_at", c.created_at}};
}

void to_json(nlohmann::json& j, const DocumentRecord& d) {
  j = {{"document", d.display_id},
       {"customer", d.customer_code},
       {"customer_name", d.customer_name},
       {"type", d.type},
       {"title", d.title},
       {"status", d.status},
       {"archive_number", OrNull(d.archive_number)},
       {"pages", d.page_count},
       {"mean_confidence", d.mean_confidence},
       {"pdf_sha256", d.pdf_sha256},
       {"pdf_size", d.pdf_size},
       {"created_by", d.created_by},
       {"created_at", d.created_at},
       {"reviewed_by", OrNull(d.reviewed_by)},
       {"reviewed_at", OrNull(d.reviewed_at)},
       {"review_reason", OrNull(d.review_reason)},
       {"replaces", OrNull(d.replaces)},
       {"warnings", d.warnings}};
}

void to_json(nlohmann::json& j, const DocumentField& f) {
  nlohmann::json boxes = nlohmann::json::array();
  for (const auto& b : f.boxes) {
    boxes.push_back({{"x", b.x}, {"y", b.y}, {"w", b.width}, {"h", b.height}});
  }
  j = {{"name", f.name},          {"value", f.value},
       {"raw", f.raw},            {"problem", OrNull(f.problem)},
       {"confidence", f.confidence}, {"page", f.page},
       {"source", f.source},      {"by", OrNull(f.updated_by)},
       {"at", OrNull(f.updated_at)}, {"boxes", boxes}};
}

void to_json(nlohmann::json& j, const HistoryEntry& e) {
  j = {{"record", e.record},
       {"table", e.table},
       {"field", e.field},
       {"old", e.old_value ? nlohmann::json(*e.old_value) : nullptr},
       {"new", e.new_value ? nlohmann::json(*e.new_value) : nullptr},
       {"by", e.actor},
       {"at", e.at}};
}

void to_json(nlohmann::json& j, const PageRecord& p) {
  j = {{"page", p.number},         {"source_file", p.source_file},
       {"source_index", p.source_index}, {"width", p.width},
       {"height", p.height},       {"dpi", p.dpi},
       {"rotation", p.rotation},   {"skew", p.skew},
       {"confidence", p.confidence}};
  if (!p.text.empty()) j["text"] = p.text;
}

void to_json(nlohmann::json& j, const SearchHit& h) {
  j = {{"document", h.display_id}, {"customer", h.customer_code},
       {"title", h.title},         {"type", h.type},
       {"page", h.page_number},    {"status", h.status},
       {"score", h.score},         {"snippet", h.snippet},
       {"matched", h.matched}};
}

void to_json(nlohmann::json& j, const Verification& v) {
  j = {{"kind", v.kind},          {"fixity_ok", v.fixity_ok},
       {"pdfa_ok", v.pdfa_ok},    {"pdfa_level", OrNull(v.pdfa_level)},
       {"problems", v.problems},  {"by", v.actor},
       {"at", v.at}};
}

void to_json(nlohmann::json& j, const CustomerMatch& m) {
  j = {{"customer", m.customer.code}, {"name", m.customer.name},
       {"reason", m.reason}};
}

void to_json(nlohmann::json& j, const LoanApproval& a) {
  j = {{"round", a.round}, {"decision", a.decision}, {"note", a.note},
       {"by", a.approver}, {"at", a.at}};
}

void to_json(nlohmann::json& j, const Loan& l) {
  j = {{"loan", l.display_id},
       {"kind", l.kind},
       {"status", l.status},
       {"barcode", OrNull(l.barcode)},
       {"document", OrNull(l.document_display_id)},
       {"title", l.title},
       {"requested_by", l.requester},
       {"requested_at", l.requested_at},
       {"purpose", l.purpose},
       {"recipient", l.recipient},
       {"external", l.external},
       {"due_date", l.due_date},
       {"renewal_due_date", OrNull(l.requested_due)},
       {"round", l.round},
       {"approvals_needed", l.approvals_needed},
       {"approvals", l.approvals},
       {"checked_out_at", OrNull(l.checked_out_at)},
       {"returned_at", OrNull(l.returned_at)},
       {"return_pages", l.return_pages < 0 ? nlohmann::json(nullptr)
                                           : nlohmann::json(l.return_pages)},
       {"return_note", OrNull(l.return_note)},
       {"resolution", OrNull(l.resolution)}};
}

void to_json(nlohmann::json& j, const Location& l) {
  j = {{"code", l.code},         {"barcode", l.barcode},
       {"kind", l.kind},         {"name", OrNull(l.name)},
       {"parent", OrNull(l.parent_code)}, {"path", l.path},
       {"capacity", l.capacity}, {"security", OrNull(l.security)},
       {"originals", l.original_count}};
}

void to_json(nlohmann::json& j, const CustodyEvent& e) {
  j = {{"event", e.event}, {"from", OrNull(e.from)}, {"to", OrNull(e.to)},
       {"reason", OrNull(e.reason)}, {"by", e.actor}, {"at", e.at}};
}

void to_json(nlohmann::json& j, const Original& o) {
  j = {{"barcode", o.barcode},
       {"document", OrNull(o.document_display_id)},
       {"customer", o.customer_code},
       {"customer_name", o.customer_name},
       {"title", o.title},
       {"pages", o.page_count},
       {"location", OrNull(o.location_code)},
       {"location_path", OrNull(o.location_path)},
       {"state", o.state},
       {"loan", OrNull(o.loan_id)},
       {"registered_by", o.registered_by},
       {"registered_at", o.registered_at},
       {"history", o.history}};
}

void to_json(nlohmann::json& j, const Audit& a) {
  j = {{"audit", a.display_id},
       {"location", a.location_code},
       {"location_path", a.location_path},
       {"status", a.status},
       {"started_by", a.started_by},
       {"started_at", a.started_at},
       {"closed_by", OrNull(a.closed_by)},
       {"closed_at", OrNull(a.closed_at)},
       {"moves_applied_by", OrNull(a.moves_applied_by)},
       {"moves_applied_at", OrNull(a.moves_applied_at)},
       {"scans", a.scans},
       {"found", a.found},
       {"missing", a.missing},
       {"misplaced", a.misplaced},
       {"unknown", a.unknown},
       {"on_loan", a.on_loan},
       {"duplicates", a.duplicates}};
}

void to_json(nlohmann::json& j, const AuditLine& l) {
  j = {{"category", l.category},        {"barcode", l.barcode},
       {"customer", OrNull(l.customer_code)},
       {"customer_name", OrNull(l.customer_name)},
       {"title", OrNull(l.title)},      {"registered_at", OrNull(l.registered_at)},
       {"found_at", OrNull(l.found_at)}, {"suggested_to", OrNull(l.suggested_to)},
       {"scans", l.scan_count}};
}

void to_json(nlohmann::json& j, const User& u) {
  j = {{"name", u.name}, {"roles", u.roles}, {"active", u.active},
       {"created_by", u.created_by}, {"created_at", u.created_at}};
}

void to_json(nlohmann::json& j, const RetentionRule& r) {
  j = {{"type", r.document_type}, {"event", r.event}, {"years", r.years},
       {"by", r.updated_by},      {"at", r.updated_at}};
}

void to_json(nlohmann::json& j, const RetentionStatus& s) {
  j = {{"document", s.document},     {"archive_number", OrNull(s.archive_number)},
       {"customer", s.customer_code}, {"type", s.type},
       {"title", s.title},           {"event", s.event},
       {"event_date", OrNull(s.event_date)}, {"years", s.years},
       {"due_on", OrNull(s.due_on)}, {"due", s.due},
       {"blocked_by", s.blocked_by}};
}

void to_json(nlohmann::json& j, const LegalHold& h) {
  j = {{"hold", h.display_id},      {"target", h.target},
       {"reason", h.reason},        {"active", h.active()},
       {"placed_by", h.placed_by},  {"placed_at", h.placed_at},
       {"released_by", OrNull(h.released_by)},
       {"released_at", OrNull(h.released_at)},
       {"release_reason", OrNull(h.release_reason)}};
}

void to_json(nlohmann::json& j, const DestructionItem& i) {
  j = {{"document", i.document},       {"archive_number", OrNull(i.archive_number)},
       {"customer", i.customer_code},  {"customer_name", i.customer_name},
       {"type", i.type},               {"title", i.title},
       {"pages", i.page_count},        {"pdf_sha256", i.pdf_sha256},
       {"filed_at", OrNull(i.filed_at)}, {"event", i.event},
       {"event_date", OrNull(i.event_date)},
       {"retention_years", i.retention_years}, {"due_on", OrNull(i.due_on)},
       {"destroyed_at", OrNull(i.destroyed_at)},
       {"file_purged_at", OrNull(i.file_purged_at)}};
}

void to_json(nlohmann::json& j, const ShreddingRecord& r) {
  j = {{"barcode", r.barcode},      {"document", OrNull(r.document)},
       {"shredded_by", OrNull(r.shredded_by)}, {"witness", OrNull(r.witness)},
       {"shredded_at", OrNull(r.shredded_at)}, {"method", OrNull(r.method)}};
}

void to_json(nlohmann::json& j, const WorkItem& w) {
  auto parsed = [](const std::string& text) {
    if (text.empty()) return nlohmann::json(nullptr);
    auto v = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    return v.is_discarded() ? nlohmann::json(text) : v;
  };
  j = {{"item", w.display_id},
       {"kind", w.kind},
       {"state", w.state},
       {"enqueued_by", w.enqueued_by},
       {"enqueued_at", w.enqueued_at},
       {"worker", OrNull(w.worker)},
       {"attempts", w.attempts},
       {"started_at", OrNull(w.started_at)},
       {"finished_at", OrNull(w.finished_at)},
       {"payload", parsed(w.payload)},
       {"result", parsed(w.result)},
       {"error", OrNull(w.error)}};
}

void to_json(nlohmann::json& j, const DestructionBatch& b) {
  j = {{"batch", b.display_id},
       {"status", b.status},
       {"reason", OrNull(b.reason)},
       {"proposed_by", b.proposed_by},
       {"proposed_at", b.proposed_at},
       {"approved_by", OrNull(b.approved_by)},
       {"approved_at", OrNull(b.approved_at)},
       {"cancelled_by", OrNull(b.cancelled_by)},
       {"cancelled_at", OrNull(b.cancelled_at)},
       {"certificate_sha256", OrNull(b.certificate_sha256)},
       {"items", b.items},
       {"originals", b.originals}};
}

}  // namespace dossier::storage

namespace dossier::governance {

void to_json(nlohmann::json& j, const LogEntry& e) {
  j = {{"seq", e.seq},
       {"at", e.at},
       {"by", e.actor},
       {"operation", e.command},
       {"args", nlohmann::json::parse(e.args, nullptr, false)},
       {"records", e.records},
       {"outcome", e.outcome},
       {"detail", OrNull(e.detail)},
       {"prev_hash", e.prev_hash},
       {"hash", e.hash}};
  if (j["args"].is_discarded()) j["args"] = e.args;
}

}  // namespace dossier::governance

namespace dossier::app {

void to_json(nlohmann::json& j, const CustomerFile& f) {
  j = nlohmann::json(f.customer);
  j["members"] = f.members;
  j["contacts"] = f.contacts;
  j["documents"] = f.documents;
}

void to_json(nlohmann::json& j, const DocumentView& v) {
  j = nlohmann::json(v.document);
  j["stored_as"] = v.stored_as;
  j["last_check"] = v.last_check ? nlohmann::json(*v.last_check)
                                 : nlohmann::json(nullptr);
  j["page_list"] = v.pages;
  nlohmann::json kept = nlohmann::json::array();
  for (size_t i = 0; i < v.kept_files.size(); ++i) {
    const auto& f = v.kept_files[i];
    kept.push_back({{"number", i + 1}, {"role", f.role}, {"sha256", f.sha256},
                    {"size", f.size}, {"media_type", f.media_type},
                    {"source_file", f.source_file},
                    {"source_page", f.source_index + 1}, {"note", f.note},
                    {"created_at", f.created_at}});
  }
  j["kept_files"] = kept;
  j["fields"] = v.fields;
  j["originals"] = v.originals;
  j["open_loans"] = v.loans;
  j["holds"] = v.holds;
  j["destruction"] = v.destruction ? nlohmann::json(*v.destruction)
                                   : nlohmann::json(nullptr);
  j["certificate"] = v.certificate;
}

void to_json(nlohmann::json& j, const ReviewSheet& s) {
  j = nlohmann::json(s.document);
  j["fields"] = s.fields;
  j["proposed_links"] = s.matches;
  nlohmann::json pages = nlohmann::json::array();
  for (const auto& p : s.pages) {
    pages.push_back({{"page", p.number}, {"confidence", p.confidence},
                     {"words", p.words}, {"doubtful", p.doubtful}});
  }
  j["doubtful_pages"] = pages;
}

}  // namespace dossier::app
