#include "app/governance.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/operation.h"
#include "archive/certificate.h"
#include "core/file_util.h"
#include "core/output_file.h"
#include "core/hash.h"
#include "storage/archive.h"
#include "storage/custody_store.h"

namespace dossier::app {
namespace {

#define APP_GUARD(op)                                  \
  if (auto s = (op).Authorize(); !s) {                 \
    return std::unexpected(s.error());                 \
  }

// Writes the certificate of an approved or completed batch and records its
// checksum. Every time on it is in the archive's zone.
Result<std::filesystem::path> WriteCertificate(Station& station,
                                               const std::string& issued_by,
                                               const storage::DestructionBatch& b,
                                               const std::filesystem::path& to,
                                               const std::string& font) {
  if (b.status != "approved" && b.status != "completed") {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("{} is {}; a certificate is issued once the "
                                 "destruction is approved",
                                 b.display_id, b.status));
  }
  const TimeZone zone = station.Zone();
  archive::CertificateData data;
  data.batch_id = b.display_id;
  data.status = b.status;
  data.reason = b.reason;
  data.proposed = zone.DisplayUtc(b.proposed_at) + " by " + b.proposed_by;
  data.approved = zone.DisplayUtc(b.approved_at) + " by " + b.approved_by;
  data.issued_at = zone.Display(Now());
  data.issued_by = issued_by;
  data.archive_name = std::filesystem::absolute(station.archive().dir()).string();
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
      to.empty() ? station.archive().dir() / "reports" /
                       ("destruction-" + b.display_id + ".pdf")
                 : to;
  // The default lands in the archive's own reports/ folder; a path the user
  // gives must lie outside the archive.
  const OutputFileOptions out{/*replace=*/true,
                              to.empty() ? std::filesystem::path()
                                         : station.archive().dir(),
                              /*has_force_flag=*/false};
  if (auto s = WriteOutputFile(dest, *pdf, out); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = station.retention().RecordCertificate(b.display_id,
                                                     Sha256Hex(*pdf), issued_by);
      !s) {
    return std::unexpected(s.error());
  }
  return dest;
}

std::string TodayOr(Station& station, const std::string& today) {
  return today.empty() ? station.Zone().Today() : today;
}

}  // namespace

Result<storage::RetentionRule> SetRetentionRule(Station& station,
                                                const Caller& caller,
                                                const std::string& type,
                                                const std::string& event,
                                                int years) {
  Operation op(station, caller, "retention.rule.set");
  APP_GUARD(op);
  return op.Finish(station.retention().SetRule(type, event, years, op.user()));
}

Result<std::vector<storage::RetentionRule>> ListRetentionRules(
    Station& station, const Caller& caller) {
  Operation op(station, caller, "retention.rule.list");
  APP_GUARD(op);
  return op.Finish(station.retention().ListRules());
}

Status SetRelationshipEnd(Station& station, const Caller& caller,
                          const std::string& customer, const std::string& date) {
  Operation op(station, caller, "retention.relationship-end");
  op.Record(customer);
  if (auto s = op.Authorize(); !s) return s;
  return op.Finish(station.retention().SetRelationshipEnd(customer, date, op.user()));
}

Result<std::vector<storage::RetentionStatus>> RetentionDue(Station& station,
                                                           const Caller& caller,
                                                           const std::string& today,
                                                           bool all) {
  Operation op(station, caller, "retention.due");
  APP_GUARD(op);
  return op.Finish(station.retention().Due(TodayOr(station, today), all));
}

Result<storage::LegalHold> AddHold(Station& station, const Caller& caller,
                                   const std::string& target,
                                   const std::string& reason) {
  Operation op(station, caller, "hold.add");
  op.Record(target);
  APP_GUARD(op);
  auto h = station.retention().AddHold(target, reason, op.user());
  if (h) op.Record(h->display_id);
  return op.Finish(std::move(h));
}

Result<storage::LegalHold> ReleaseHold(Station& station, const Caller& caller,
                                       const std::string& hold,
                                       const std::string& reason) {
  Operation op(station, caller, "hold.release");
  op.Record(hold);
  APP_GUARD(op);
  return op.Finish(station.retention().ReleaseHold(hold, reason, op.user()));
}

Result<std::vector<storage::LegalHold>> ListHolds(Station& station,
                                                  const Caller& caller,
                                                  bool active_only) {
  Operation op(station, caller, "hold.list");
  APP_GUARD(op);
  return op.Finish(station.retention().ListHolds(active_only));
}

Result<storage::DestructionBatch> ProposeDestruction(
    Station& station, const Caller& caller,
    const std::vector<std::string>& documents, const std::string& today,
    const std::string& reason) {
  Operation op(station, caller, "destroy.propose");
  for (const auto& d : documents) op.Record(d);
  APP_GUARD(op);
  auto b = station.retention().Propose(documents, TodayOr(station, today), reason,
                                       op.user());
  if (b) op.Record(b->display_id);
  return op.Finish(std::move(b));
}

Result<DestructionResult> ApproveDestruction(Station& station,
                                             const Caller& caller,
                                             const std::string& batch,
                                             const std::string& font) {
  Operation op(station, caller, "destroy.approve");
  op.Record(batch);
  APP_GUARD(op);
  auto run = [&]() -> Result<DestructionResult> {
    auto b = station.retention().Approve(batch, op.user());
    if (!b) return std::unexpected(b.error());
    auto cert = WriteCertificate(station, op.user(), *b, {}, font);
    if (!cert) return std::unexpected(cert.error());
    return DestructionResult{*b, *cert};
  };
  return op.Finish(run());
}

Result<storage::DestructionBatch> CancelDestruction(Station& station,
                                                    const Caller& caller,
                                                    const std::string& batch) {
  Operation op(station, caller, "destroy.cancel");
  op.Record(batch);
  APP_GUARD(op);
  return op.Finish(station.retention().Cancel(batch, op.user()));
}

Result<DestructionResult> RecordShredding(Station& station, const Caller& caller,
                                          const ShreddingInput& input,
                                          const std::string& font) {
  Operation op(station, caller, "destroy.record-shredding");
  op.Record(input.batch);
  op.Record(storage::NormalizeScan(input.barcode));
  APP_GUARD(op);
  auto run = [&]() -> Result<DestructionResult> {
    storage::ShreddingRequest r{input.batch, input.barcode, input.witness,
                                input.at, input.method, op.user()};
    auto b = station.retention().RecordShredding(r);
    if (!b) return std::unexpected(b.error());
    auto cert = WriteCertificate(station, op.user(), *b, {}, font);
    if (!cert) return std::unexpected(cert.error());
    return DestructionResult{*b, *cert};
  };
  return op.Finish(run());
}

Result<std::vector<storage::DestructionBatch>> ShowDestruction(
    Station& station, const Caller& caller, const std::string& batch) {
  Operation op(station, caller, "destroy.show");
  op.Record(batch);
  APP_GUARD(op);
  auto run = [&]() -> Result<std::vector<storage::DestructionBatch>> {
    if (batch.empty()) return station.retention().ListBatches();
    auto b = station.retention().GetBatch(batch);
    if (!b) return std::unexpected(b.error());
    return std::vector<storage::DestructionBatch>{*b};
  };
  return op.Finish(run());
}

Result<DestructionResult> IssueCertificate(Station& station, const Caller& caller,
                                           const std::string& batch,
                                           const std::filesystem::path& to,
                                           const std::string& font) {
  Operation op(station, caller, "destroy.certificate");
  op.Record(batch);
  APP_GUARD(op);
  auto run = [&]() -> Result<DestructionResult> {
    auto b = station.retention().GetBatch(batch);
    if (!b) return std::unexpected(b.error());
    auto cert = WriteCertificate(station, op.user(), *b, to, font);
    if (!cert) return std::unexpected(cert.error());
    return DestructionResult{*b, *cert};
  };
  return op.Finish(run());
}

Result<std::vector<storage::LogEntry>> ReadLog(Station& station,
                                               const Caller& caller,
                                               const storage::LogFilter& filter) {
  Operation op(station, caller, "log.show");
  APP_GUARD(op);
  return op.Finish(station.access().ReadLog(filter));
}

Result<storage::LogCheck> VerifyLog(Station& station, const Caller& caller,
                                    const std::string& head) {
  Operation op(station, caller, "log.verify");
  APP_GUARD(op);
  auto run = [&]() -> Result<storage::LogCheck> {
    auto check = station.access().VerifyLog();
    if (!check) return check;
    if (check->ok && !head.empty()) {
      auto entries = station.access().ReadLog(storage::LogFilter{});
      if (!entries) return std::unexpected(entries.error());
      bool found = false;
      for (const auto& e : *entries) found = found || e.hash == head;
      if (!found) {
        check->ok = false;
        check->problem = "head " + head +
                         " is not in the chain: entries after it were cut off "
                         "or rewritten";
      }
    }
    return check;
  };
  return op.Finish(run());
}

Result<storage::LogCheck> VerifyLogCopy(Station* station, const Caller& caller,
                                        const std::filesystem::path& file,
                                        const std::optional<std::string>& key) {
  std::optional<Operation> op;
  if (station != nullptr) {
    op.emplace(*station, caller, "log.verify");
    APP_GUARD(*op);
  }
  auto run = [&]() -> Result<storage::LogCheck> {
    auto text = ReadFile(file);
    if (!text) return std::unexpected(text.error());
    std::optional<std::string> expected = key;
    if (!expected && station != nullptr) {
      auto doc = nlohmann::json::parse(*text, nullptr, false);
      auto id = station->access().ArchiveId();
      if (!id) return std::unexpected(id.error());
      if (doc.is_object() && doc.value("archive_id", "") == *id) {
        auto pub = station->access().SigningPublicKey();
        if (!pub) return std::unexpected(pub.error());
        expected = *pub;
      }
    }
    return storage::VerifyLogExport(*text, expected);
  };
  return op ? op->Finish(run()) : run();
}

Result<storage::LogCheck> ExportLog(Station& station, const Caller& caller,
                                    const std::filesystem::path& to, bool force) {
  Operation op(station, caller, "log.export");
  APP_GUARD(op);
  auto run = [&]() -> Result<storage::LogCheck> {
    const OutputFileOptions out{force, station.archive().dir()};
    if (auto s = CheckOutputFile(to, out); !s) return std::unexpected(s.error());
    auto text = station.access().ExportLog();
    if (!text) return std::unexpected(text.error());
    if (auto s = WriteOutputFile(to, *text, out); !s) {
      return std::unexpected(s.error());
    }
    return storage::VerifyLogExport(*text, std::nullopt);
  };
  return op.Finish(run());
}

Result<storage::BackupReport> Backup(Station& station, const Caller& caller,
                                     const std::filesystem::path& to) {
  Operation op(station, caller, "backup.create");
  APP_GUARD(op);
  return op.Finish(storage::BackupArchive(station.archive().dir(), to));
}

Result<storage::BackupCheck> VerifyBackup(Station& station, const Caller& caller,
                                          const std::filesystem::path& backup,
                                          const std::filesystem::path& scratch,
                                          const std::string& scratch_url) {
  Operation op(station, caller, "backup.verify");
  APP_GUARD(op);
  auto run = [&]() -> Result<storage::BackupCheck> {
    std::string server = scratch_url;
    if (server.empty() && station.OnPostgres()) {
      auto url = storage::ReadCatalogUrl(station.archive().dir());
      if (!url) return std::unexpected(url.error());
      server = *url;
    }
    return storage::VerifyBackup(backup, scratch, server);
  };
  return op.Finish(run());
}

Result<storage::SweepReport> SweepFileStore(Station& station,
                                            const Caller& caller,
                                            std::chrono::seconds min_age,
                                            bool dry_run) {
  Operation op(station, caller, "backup.sweep");
  APP_GUARD(op);
  return op.Finish(
      storage::SweepFileStore(station.archive().dir(), min_age, dry_run));
}

Result<storage::BackupCheck> VerifyBackupOffline(
    const std::filesystem::path& backup, const std::filesystem::path& scratch,
    const std::string& scratch_url) {
  return storage::VerifyBackup(backup, scratch, scratch_url);
}

Result<storage::BackupCheck> RestoreArchive(Station* current, const Caller& caller,
                                            const std::filesystem::path& backup,
                                            const std::filesystem::path& to,
                                            const std::string& catalog_url) {
  std::optional<Operation> here;
  if (current != nullptr) {
    here.emplace(*current, caller, "backup.restore");
    if (auto s = here->Authorize(); !s) return std::unexpected(s.error());
  }
  auto run = [&]() -> Result<storage::BackupCheck> {
    auto check = storage::RestoreBackup(backup, to, catalog_url);
    if (!check) return check;
    auto station = Station::Open(to);
    if (!station) return std::unexpected(station.error());
    Operation op(**station, caller, "backup.restore");
    if (auto s = op.Finish(Status(Ok())); !s) return std::unexpected(s.error());
    return check;
  };
  return here ? here->Finish(run()) : run();
}

Result<governance::LoginThrottle> SetLoginThrottle(Station& station,
                                                   const Caller& caller,
                                                   const ThrottleChange& change) {
  Operation op(station, caller, "archive.settings");
  APP_GUARD(op);
  auto run = [&]() -> Result<governance::LoginThrottle> {
    auto t = station.access().LoginThrottleSettings();
    if (!t) return std::unexpected(t.error());
    if (!change.delay_ms && !change.max_delay_ms && !change.lockout_after) {
      return t;
    }
    if (change.delay_ms) t->delay_ms = *change.delay_ms;
    if (change.max_delay_ms) t->max_delay_ms = *change.max_delay_ms;
    if (change.lockout_after) t->lockout_after = *change.lockout_after;
    if (auto s = station.access().SetLoginThrottle(*t, op.user()); !s) {
      return std::unexpected(s.error());
    }
    return t;
  };
  return op.Finish(run());
}

Result<std::string> SetTimeZone(Station& station, const Caller& caller,
                                const std::string& name) {
  Operation op(station, caller, "archive.settings");
  APP_GUARD(op);
  auto run = [&]() -> Result<std::string> {
    if (!name.empty()) {
      if (auto s = station.records().SetZone(name, op.user()); !s) {
        return std::unexpected(s.error());
      }
    }
    return station.Zone().name();
  };
  return op.Finish(run());
}

#undef APP_GUARD

}  // namespace dossier::app
