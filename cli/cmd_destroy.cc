// `dossier destroy propose|approve|cancel|record-shredding|show|certificate`:
// app/governance.h, which also issues the certificate.
#include <fmt/format.h>

#include "app/governance.h"
#include "app/json.h"
#include "cli/governance_commands.h"

namespace dossier::cli {
namespace {

void PrintBatch(const storage::DestructionBatch& b, const TimeZone& zone) {
  Print("{}  {:<9} proposed {} by {}{}  {}\n", b.display_id, b.status,
             zone.DisplayUtc(b.proposed_at), b.proposed_by,
             b.approved_by.empty()
                 ? ""
                 : fmt::format(", approved {} by {}", zone.DisplayUtc(b.approved_at),
                               b.approved_by),
             b.reason);
  for (const auto& i : b.items) {
    Print("    {}  {:<22} {}  {}  due {}{}\n", i.document,
               i.archive_number, i.customer_code, i.title, i.due_on,
               i.destroyed_at.empty() ? "" : "  destroyed " + zone.DisplayUtc(i.destroyed_at));
  }
  for (const auto& o : b.originals) {
    Print("    original {} ({}): {}\n", o.barcode, o.document,
               o.shredded_by.empty()
                   ? std::string("awaiting shredding")
                   : fmt::format("shredded {} by {}, witness {}", zone.DisplayUtc(o.shredded_at),
                                 o.shredded_by, o.witness));
  }
}

}  // namespace

void RegisterDestroyCommand(CLI::App& app, const GlobalOptions& global,
                            Action* action) {
  auto* cmd = app.add_subcommand(
      "destroy",
      "Destruction (销毁): propose a batch, approve it, record the shredding "
      "of originals, certificate");
  cmd->require_subcommand(1);
  auto font = std::make_shared<std::string>();

  auto* propose = cmd->add_subcommand(
      "propose", "Propose destroying documents whose retention has ended");
  auto docs = std::make_shared<std::vector<std::string>>();
  auto today = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  propose->add_option("DOC", *docs,
                      "Documents (default: every due document nothing blocks)");
  propose->add_option("--today", *today, "Date to count to (default: today)");
  propose->add_option("--reason", *reason, "Note kept with the batch");
  propose->callback([&global, docs, today, reason, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto b = app::ProposeDestruction(st, CurrentCaller(), *docs, *today, *reason);
      if (!b) return std::unexpected(b.error());
      PrintBatch(*b, st.Zone());
      Print("Proposed; a records manager other than you approves it with "
                 "`dossier destroy approve {}`\n",
                 b->display_id);
      return kExitOk;
    });
  });

  auto* approve = cmd->add_subcommand(
      "approve",
      "Approve a proposed batch: the electronic records are destroyed now");
  auto batch = std::make_shared<std::string>();
  approve->add_option("BATCH", *batch, "Batch id (DB000001)")->required();
  approve->add_option("--font", *font, "CJK font for the certificate");
  approve->callback([&global, batch, font, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto r = app::ApproveDestruction(st, CurrentCaller(), *batch, *font);
      if (!r) return std::unexpected(r.error());
      PrintBatch(r->batch, st.Zone());
      Print("Certificate: {}\n", r->certificate.string());
      return kExitOk;
    });
  });

  auto* cancel = cmd->add_subcommand("cancel", "Cancel a proposed batch");
  cancel->add_option("BATCH", *batch, "Batch id (DB000001)")->required();
  cancel->callback([&global, batch, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto b = app::CancelDestruction(st, CurrentCaller(), *batch);
      if (!b) return std::unexpected(b.error());
      PrintBatch(*b, st.Zone());
      return kExitOk;
    });
  });

  auto* shred = cmd->add_subcommand(
      "record-shredding",
      "Record that you shredded an original of an approved batch");
  auto req = std::make_shared<app::ShreddingInput>();
  shred->add_option("BATCH", req->batch, "Batch id (DB000001)")->required();
  shred->add_option("--barcode", req->barcode, "The original's barcode")
      ->required();
  shred->add_option("--witness", req->witness, "Who watched (not you)")
      ->required();
  shred->add_option("--at", req->at, "When (default: now)");
  shred->add_option("--method", req->method, "e.g. cross-cut shredder P-4");
  shred->add_option("--font", *font, "CJK font for the certificate");
  shred->callback([&global, req, font, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto r = app::RecordShredding(st, CurrentCaller(), *req, *font);
      if (!r) return std::unexpected(r.error());
      PrintBatch(r->batch, st.Zone());
      Print("Certificate: {}\n", r->certificate.string());
      return kExitOk;
    });
  });

  auto* show = cmd->add_subcommand("show", "Show a batch (or all batches)");
  auto which = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  show->add_option("BATCH", *which, "Batch id (default: all)");
  show->add_flag("--json", *json, "Print the batches as JSON");
  show->callback([&global, which, json, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto batches = app::ShowDestruction(st, CurrentCaller(), *which);
      if (!batches) return std::unexpected(batches.error());
      if (*json) {
        return PrintJson(which->empty() ? json::ToJson(*batches)
                                        : json::ToJson(batches->front()));
      }
      if (batches->empty()) Print("No destruction batches.\n");
      const TimeZone zone = st.Zone();
      for (const auto& b : *batches) PrintBatch(b, zone);
      return kExitOk;
    });
  });

  auto* certificate = cmd->add_subcommand(
      "certificate", "Write the destruction certificate PDF of a batch");
  auto to = std::make_shared<std::string>();
  certificate->add_option("BATCH", *which, "Batch id (DB000001)")->required();
  certificate->add_option("--to", *to,
                          "PDF file (default: ARCHIVE/reports/"
                          "destruction-BATCH.pdf)");
  certificate->add_option("--font", *font, "CJK font");
  certificate->callback([&global, which, to, font, action] {
    *action = StationAction(global, [=](app::Station& st) -> Result<int> {
      auto r = app::IssueCertificate(st, CurrentCaller(), *which, *to, *font);
      if (!r) return std::unexpected(r.error());
      Print("Certificate of {}: {}\n", r->batch.display_id,
                 r->certificate.string());
      return kExitOk;
    });
  });
}

}  // namespace dossier::cli
