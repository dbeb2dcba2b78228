#include <fmt/format.h>

#include <ctime>

#include "archive/certificate.h"
#include "cli/governance_commands.h"
#include "core/clock.h"
#include "core/file_util.h"
#include "core/hash.h"
#include "storage/retention.h"

namespace dossier::cli {
namespace {


void PrintBatch(const storage::DestructionBatch& b) {
  fmt::print("{}  {:<9} proposed {} by {}{}  {}\n", b.display_id, b.status,
             b.proposed_at, b.proposed_by,
             b.approved_by.empty()
                 ? ""
                 : fmt::format(", approved {} by {}", b.approved_at,
                               b.approved_by),
             b.reason);
  for (const auto& i : b.items) {
    fmt::print("    {}  {:<22} {}  {}  due {}{}\n", i.document,
               i.archive_number, i.customer_code, i.title, i.due_on,
               i.destroyed_at.empty() ? "" : "  destroyed " + i.destroyed_at);
  }
  for (const auto& o : b.originals) {
    fmt::print("    original {} ({}): {}\n", o.barcode, o.document,
               o.shredded_by.empty()
                   ? std::string("awaiting shredding")
                   : fmt::format("shredded {} by {}, witness {}", o.shredded_at,
                                 o.shredded_by, o.witness));
  }
}

// Writes the certificate of an approved or completed batch to `to` (default:
// ARCHIVE/reports/destruction-DB000001.pdf) and records its checksum.
Result<std::filesystem::path> IssueCertificate(
    storage::Archive& archive, storage::Retention& retention,
    const storage::DestructionBatch& b, const std::string& to,
    const std::string& font) {
  if (b.status != "approved" && b.status != "completed") {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} is {}; a certificate is issued once the "
                                 "destruction is approved",
                                 b.display_id, b.status));
  }
  archive::CertificateData data;
  data.batch_id = b.display_id;
  data.status = b.status;
  data.reason = b.reason;
  const TimeZone zone = archive.catalog().Zone();
  data.proposed = zone.DisplayUtc(b.proposed_at) + " by " + b.proposed_by;
  data.approved = zone.DisplayUtc(b.approved_at) + " by " + b.approved_by;
  data.issued_at = zone.Display(Now());
  data.issued_by = CurrentUser();
  data.archive_name = std::filesystem::absolute(archive.dir()).string();
  data.font_path = font;
  for (const auto& i : b.items) {
    data.documents.push_back(
        {i.document, i.archive_number, i.customer_code + " " + i.customer_name,
         i.type, i.title, i.page_count, i.filed_at,
         fmt::format("{} {} + {} years", i.event, i.event_date,
                     i.retention_years),
         i.due_on, zone.DisplayUtc(i.destroyed_at), i.pdf_sha256});
  }
  for (const auto& o : b.originals) {
    data.originals.push_back({o.barcode, o.document, o.shredded_by, o.witness,
                              zone.DisplayUtc(o.shredded_at), o.method});
  }
  auto pdf = archive::WriteDestructionCertificatePdf(data);
  if (!pdf) return std::unexpected(pdf.error());
  const std::filesystem::path dest =
      to.empty() ? archive.dir() / "reports" /
                       ("destruction-" + b.display_id + ".pdf")
                 : std::filesystem::path(to);
  if (auto s = WriteFileAtomic(dest, *pdf); !s) return std::unexpected(s.error());
  if (auto s = retention.RecordCertificate(b.display_id, Sha256Hex(*pdf),
                                           CurrentUser());
      !s) {
    return std::unexpected(s.error());
  }
  return dest;
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
    *action = [&global, docs, today, reason]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Retention retention((*archive)->catalog(), (*archive)->files());
      auto b = retention.Propose(*docs, today->empty() ? LocalToday((*archive)->catalog()) : *today,
                                 *reason, CurrentUser());
      if (!b) return std::unexpected(b.error());
      PrintBatch(*b);
      fmt::print("Proposed; a records manager other than you approves it with "
                 "`dossier destroy approve {}`\n",
                 b->display_id);
      return kExitOk;
    };
  });

  auto* approve = cmd->add_subcommand(
      "approve",
      "Approve a proposed batch: the electronic records are destroyed now");
  auto batch = std::make_shared<std::string>();
  approve->add_option("BATCH", *batch, "Batch id (DB000001)")->required();
  approve->add_option("--font", *font, "CJK font for the certificate");
  approve->callback([&global, batch, font, action] {
    *action = [&global, batch, font]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Retention retention((*archive)->catalog(), (*archive)->files());
      auto b = retention.Approve(*batch, CurrentUser());
      if (!b) return std::unexpected(b.error());
      PrintBatch(*b);
      auto cert = IssueCertificate(**archive, retention, *b, "", *font);
      if (!cert) return std::unexpected(cert.error());
      fmt::print("Certificate: {}\n", cert->string());
      return kExitOk;
    };
  });

  auto* cancel = cmd->add_subcommand("cancel", "Cancel a proposed batch");
  cancel->add_option("BATCH", *batch, "Batch id (DB000001)")->required();
  cancel->callback([&global, batch, action] {
    *action = [&global, batch]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Retention retention((*archive)->catalog(), (*archive)->files());
      auto b = retention.Cancel(*batch, CurrentUser());
      if (!b) return std::unexpected(b.error());
      PrintBatch(*b);
      return kExitOk;
    };
  });

  auto* shred = cmd->add_subcommand(
      "record-shredding",
      "Record that you shredded an original of an approved batch");
  auto req = std::make_shared<storage::ShreddingRequest>();
  shred->add_option("BATCH", req->batch, "Batch id (DB000001)")->required();
  shred->add_option("--barcode", req->barcode, "The original's barcode")
      ->required();
  shred->add_option("--witness", req->witness, "Who watched (not you)")
      ->required();
  shred->add_option("--at", req->at, "When (default: now)");
  shred->add_option("--method", req->method, "e.g. cross-cut shredder P-4");
  shred->add_option("--font", *font, "CJK font for the certificate");
  shred->callback([&global, req, font, action] {
    *action = [&global, req, font]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Retention retention((*archive)->catalog(), (*archive)->files());
      storage::ShreddingRequest r = *req;
      r.actor = CurrentUser();
      auto b = retention.RecordShredding(r);
      if (!b) return std::unexpected(b.error());
      PrintBatch(*b);
      auto cert = IssueCertificate(**archive, retention, *b, "", *font);
      if (!cert) return std::unexpected(cert.error());
      fmt::print("Certificate: {}\n", cert->string());
      return kExitOk;
    };
  });

  auto* show = cmd->add_subcommand("show", "Show a batch (or all batches)");
  auto which = std::make_shared<std::string>();
  show->add_option("BATCH", *which, "Batch id (default: all)");
  show->callback([&global, which, action] {
    *action = [&global, which]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Retention retention((*archive)->catalog(), (*archive)->files());
      if (!which->empty()) {
        auto b = retention.GetBatch(*which);
        if (!b) return std::unexpected(b.error());
        PrintBatch(*b);
        return kExitOk;
      }
      auto all = retention.ListBatches();
      if (!all) return std::unexpected(all.error());
      if (all->empty()) fmt::print("No destruction batches.\n");
      for (const auto& b : *all) PrintBatch(b);
      return kExitOk;
    };
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
    *action = [&global, which, to, font]() -> Result<int> {
      auto archive = OpenArchive(global);
      if (!archive) return std::unexpected(archive.error());
      storage::Retention retention((*archive)->catalog(), (*archive)->files());
      auto b = retention.GetBatch(*which);
      if (!b) return std::unexpected(b.error());
      auto cert = IssueCertificate(**archive, retention, *b, *to, *font);
      if (!cert) return std::unexpected(cert.error());
      fmt::print("Certificate of {}: {}\n", b->display_id, cert->string());
      return kExitOk;
    };
  });
}

}  // namespace dossier::cli
