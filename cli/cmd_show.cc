// `dossier show DOC`: app::ShowDocument.
#include <fmt/format.h>

#include "app/documents.h"
#include "app/json.h"
#include "cli/command.h"

namespace dossier::cli {

void RegisterShow(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "show", "Show a document's whole story: filing, fields, original, loans, holds,\n"
      "checks; a destroyed one's tombstone and certificate");
  auto id = std::make_shared<std::string>();
  auto text = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  cmd->add_option("DOC", *id,
                  "Document id (D000012), archive number "
                  "(DA-2026-HT-000001-K) or original barcode (OR00000017K)")
      ->required();
  cmd->add_flag("--text", *text, "Also print the OCR text of every page");
  cmd->add_flag("--json", *json, "Print the document as JSON");
  cmd->callback([&global, id, text, json, action] {
    *action = AppAction([&global, id, text, json]() -> Result<int> {
      auto station = OpenStation(global);
      if (!station) return std::unexpected(station.error());
      auto view = app::ShowDocument(**station, CurrentCaller(), *id, *text);
      if (!view) return std::unexpected(view.error());
      if (*json) return PrintJson(json::ToJson(*view));
      const TimeZone zone = (*station)->Zone();
      const auto& d = view->document;
      Print("Document    {}\n", d.display_id);
      Print("Title       {}\n", d.title);
      Print("Type        {}\n", d.type);
      Print("Status      {}\n", d.status);
      if (!d.archive_number.empty()) {
        Print("Archive no. {}\n", d.archive_number);
      }
      if (!d.reviewed_by.empty()) {
        Print("Reviewed    {} by {}{}\n", zone.DisplayUtc(d.reviewed_at),
              d.reviewed_by,
              d.review_reason.empty() ? "" : " (" + d.review_reason + ")");
      } else if (d.status == "pending") {
        Print("Reviewed    not yet (dossier review show {})\n", d.display_id);
      }
      Print("Customer    {}  {}\n", d.customer_code, d.customer_name);
      Print("Pages       {}\n", d.page_count);
      Print("Confidence  {:.1f} (mean OCR word confidence, 0-100)\n",
                 d.mean_confidence);
      if (view->destruction) {
        const auto& b = *view->destruction;
        Print("Destroyed   {} approved by {} in batch {} (proposed by {}: {})\n",
              zone.DisplayUtc(b.approved_at), b.approved_by, b.display_id,
              b.proposed_by, b.reason);
        for (const auto& i : b.items) {
          if (i.document != d.display_id) continue;
          Print("Tombstone   {} {} filed {}; rule {} {} + {} years, due {}; "
                "destroyed {}; PDF sha256 {}{}\n",
                i.archive_number.empty() ? "(no archive number)" : i.archive_number,
                i.title, zone.DisplayUtc(i.filed_at), i.event, i.event_date,
                i.retention_years, i.due_on, zone.DisplayUtc(i.destroyed_at),
                i.pdf_sha256,
                i.file_purged_at.empty() ? " (file not yet purged)" : "");
        }
        Print("Certificate {}{}\n",
              view->certificate.empty() ? "not written (dossier destroy certificate " +
                                              b.display_id + ")"
                                        : view->certificate,
              b.certificate_sha256.empty() ? "" : ", sha256 " + b.certificate_sha256);
      } else if (d.status == "destroyed") {
        Print("Destroyed   (no destruction batch found)\n");
      } else {
        Print("PDF         {} bytes, sha256 {}\n", d.pdf_size, d.pdf_sha256);
        Print("Stored as   {}\n", view->stored_as);
      }
      Print("Ingested    {} by {}\n", zone.DisplayUtc(d.created_at),
                 d.created_by);
      if (!view->fields.empty()) Print("Fields ({})\n", view->fields.size());
      for (const auto& f : view->fields) {
        Print("  {:<22} {}{}\n", f.name, f.value,
              f.problem.empty() ? "" : "  FLAGGED: " + f.problem);
      }
      if (view->originals.empty()) {
        Print("Original    none registered\n");
      }
      for (const auto& o : view->originals) {
        Print("Original    {}  {}  at {} ({})\n", o.barcode, o.state,
              o.location_code, o.location_path);
      }
      for (const auto& l : view->loans) {
        Print("Loan        {}  {} {}, {} for {}, due {}\n", l.display_id, l.kind,
              l.status, l.requester, l.purpose, l.due_date);
      }
      if (view->loans.empty() && d.status != "destroyed") {
        Print("Loan        none open\n");
      }
      for (const auto& h : view->holds) {
        Print("Hold        {} on {}: {} (placed {} by {})\n", h.display_id,
              h.target, h.reason, zone.DisplayUtc(h.placed_at), h.placed_by);
      }
      if (view->holds.empty()) Print("Hold        none\n");
      if (view->last_check) {
        const auto& v = *view->last_check;
        Print("Checked     {} ({} by {}): fixity {}, PDF/A {}\n",
                   zone.DisplayUtc(v.at), v.kind, v.actor,
                   v.fixity_ok ? "ok" : "FAILED",
                   v.pdfa_ok ? "ok (PDF/A-" + v.pdfa_level + ")" : "FAILED");
        for (const auto& p : v.problems) Print("              {}\n", p);
      } else {
        Print("Checked     never\n");
      }
      for (const auto& p : view->pages) {
        Print("  page {:>3}: {} #{}  {}x{} px @ {:.0f} dpi, rotated {}°, "
                   "skew {:+.2f}°, confidence {:.1f}\n",
                   p.number, p.source_file, p.source_index + 1, p.width, p.height,
                   p.dpi, p.rotation, p.skew, p.confidence);
        if (*text) fmt::print("{}\n\n", EscapeControls(p.text, true));
      }
      for (size_t i = 0; i < view->kept_files.size(); ++i) {
        const auto& f = view->kept_files[i];
        Print("Kept {:>3}    {} from {} #{} ({}, {} bytes, sha256 {}): {}; "
              "`dossier export {} --kept {} --to DIR`\n",
              i + 1, f.role, EscapeControls(f.source_file, true), f.source_index + 1,
              f.media_type, f.size, f.sha256.substr(0, 12), f.note, d.display_id, i + 1);
      }
      for (const auto& w : d.warnings) {
        Print("  warning [{}] {}\n", w.code, w.message);
      }
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
