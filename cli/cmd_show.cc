#include <fmt/format.h>

#include "cli/command.h"

namespace dossier::cli {

void RegisterShow(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto* cmd = app.add_subcommand(
      "show", "Show a document: metadata, customer, pages, checksum, OCR confidence");
  auto id = std::make_shared<std::string>();
  auto text = std::make_shared<bool>(false);
  cmd->add_option("DOC", *id, "Document id, e.g. D000012")->required();
  cmd->add_flag("--text", *text, "Also print the OCR text of every page");
  cmd->callback([&global, id, text, action] {
    *action = [&global, id, text]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      auto& catalog = (*archive)->catalog();
      auto d = catalog.GetDocument(*id);
      if (!d) return std::unexpected(d.error());
      fmt::print("Document    {}\n", d->display_id);
      fmt::print("Title       {}\n", d->title);
      fmt::print("Type        {}\n", d->type);
      fmt::print("Status      {}\n", d->status);
      fmt::print("Customer    {}  {}\n", d->customer_code, d->customer_name);
      fmt::print("Pages       {}\n", d->page_count);
      fmt::print("Confidence  {:.1f} (mean OCR word confidence, 0-100)\n",
                 d->mean_confidence);
      fmt::print("PDF         {} bytes, sha256 {}\n", d->pdf_size, d->pdf_sha256);
      fmt::print("Stored as   {}\n",
                 (*archive)->files().PathFor(d->pdf_sha256).string());
      fmt::print("Ingested    {} by {}\n", d->created_at, d->created_by);
      auto check = catalog.LastVerification(d->id);
      if (!check) return std::unexpected(check.error());
      if (*check) {
        const auto& v = **check;
        fmt::print("Checked     {} ({} by {}): fixity {}, PDF/A {}\n", v.at, v.kind,
                   v.actor, v.fixity_ok ? "ok" : "FAILED",
                   v.pdfa_ok ? "ok (PDF/A-" + v.pdfa_level + ")" : "FAILED");
        for (const auto& p : v.problems) fmt::print("              {}\n", p);
      } else {
        fmt::print("Checked     never\n");
      }
      auto pages = catalog.GetPages(d->id, false);
      if (!pages) return std::unexpected(pages.error());
      for (const auto& p : *pages) {
        fmt::print("  page {:>3}: {} #{}  {}x{} px @ {:.0f} dpi, rotated {}°, "
                   "skew {:+.2f}°, confidence {:.1f}\n",
                   p.number, p.source_file, p.source_index + 1, p.width, p.height,
                   p.dpi, p.rotation, p.skew, p.confidence);
        if (*text) fmt::print("{}\n\n", p.text);
      }
      for (const auto& w : d->warnings) {
        fmt::print("  warning [{}] {}\n", w.code, w.message);
      }
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
