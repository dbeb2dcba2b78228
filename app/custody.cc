#include "app/custody.h"

#include <algorithm>

#include "app/operation.h"
#include "archive/labels.h"
#include "archive/report.h"
#include "capture/barcode.h"
#include "core/output_file.h"
#include "storage/archive.h"

namespace dossier::app {
namespace {

// The report files' options: the archive's own reports/ folder by default;
// a folder the user gives must lie outside the archive.
OutputFileOptions ReportFileOptions(Station& station,
                                    const std::filesystem::path& report_dir) {
  return {/*replace=*/true,
          report_dir.empty() ? std::filesystem::path() : station.archive().dir(),
          /*has_force_flag=*/false};
}

// Refuses before any work if DIR/AUDIT.pdf or .csv may not be written.
Status CheckAuditReport(const std::filesystem::path& dir, const std::string& audit,
                        const OutputFileOptions& out) {
  const auto base = dir / audit;
  if (auto s = CheckOutputFile(base.string() + ".pdf", out); !s) return s;
  return CheckOutputFile(base.string() + ".csv", out);
}

// Writes DIR/AUxxxxxx.pdf and .csv, with every time in the archive's zone.
Result<std::filesystem::path> WriteAuditReport(
    const storage::Audit& audit, const std::vector<storage::AuditLine>& lines,
    const std::filesystem::path& dir, const TimeZone& zone,
    const OutputFileOptions& out) {
  archive::AuditReportData data;
  data.audit_id = audit.display_id;
  data.location_path = audit.location_path;
  data.started = zone.DisplayUtc(audit.started_at) + " by " + audit.started_by;
  data.closed = audit.status == "open"
                    ? std::string("still open: the reconciliation as it stands")
                    : zone.DisplayUtc(audit.closed_at) + " by " + audit.closed_by;
  data.counts = {{"found", audit.found},         {"missing", audit.missing},
                 {"misplaced", audit.misplaced}, {"unknown", audit.unknown},
                 {"on loan", audit.on_loan},     {"duplicates", audit.duplicates}};
  for (const auto& l : lines) {
    data.lines.push_back({l.category, l.barcode,
                          l.customer_code.empty()
                              ? ""
                              : l.customer_code + " " + l.customer_name,
                          l.title, l.registered_at, l.found_at, l.suggested_to,
                          l.scan_count});
  }
  auto pdf = archive::WriteAuditReportPdf(data);
  if (!pdf) return std::unexpected(pdf.error());
  const auto base = dir / audit.display_id;
  if (auto s = CheckAuditReport(dir, audit.display_id, out); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = WriteOutputFile(base.string() + ".pdf", *pdf, out); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = WriteOutputFile(base.string() + ".csv",
                               archive::WriteAuditReportCsv(data), out);
      !s) {
    return std::unexpected(s.error());
  }
  return base;
}

}  // namespace

Result<storage::Location> AddLocation(Station& station, const Caller& caller,
                                      const storage::NewLocation& location) {
  Operation op(station, caller, "location.add");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto l = station.custody().AddLocation(location, op.user());
  if (l) op.Record(l->barcode);
  return op.Finish(std::move(l));
}

Result<std::vector<storage::Location>> AddCabinet(Station& station,
                                                  const Caller& caller,
                                                  const storage::CabinetSpec& spec) {
  Operation op(station, caller, "location.add-cabinet");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().AddCabinet(spec, op.user()));
}

Result<std::vector<storage::Location>> ListLocations(Station& station,
                                                     const Caller& caller,
                                                     const std::string& under,
                                                     bool as_tree) {
  Operation op(station, caller, as_tree ? "location.tree" : "location.list");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().ListLocations(under));
}

Result<LocationView> ShowLocation(Station& station, const Caller& caller,
                                  const std::string& code_or_barcode) {
  Operation op(station, caller, "location.show");
  op.Record(code_or_barcode);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<LocationView> {
    auto l = station.custody().GetLocation(code_or_barcode);
    if (!l) return std::unexpected(l.error());
    auto here = station.custody().OriginalsAt(l->code, false);
    if (!here) return std::unexpected(here.error());
    return LocationView{*l, std::move(*here)};
  };
  return op.Finish(run());
}

Result<storage::Original> RegisterOriginal(Station& station, const Caller& caller,
                                           const RegisterInput& input) {
  Operation op(station, caller, "original.register");
  op.Record(input.item);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto o = station.custody().RegisterOriginal(
      {input.item, input.location, input.page_count, op.user()});
  if (o) op.Record(o->barcode);
  return op.Finish(std::move(o));
}

Result<MoveResult> MoveOriginals(Station& station, const Caller& caller,
                                 const MoveInput& input) {
  Operation op(station, caller, "original.move");
  for (const auto& b : input.barcodes) op.Record(storage::NormalizeScan(b));
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  storage::MoveRequest request{input.barcodes, input.to, input.reason, op.user()};
  auto run = [&]() -> Result<MoveResult> {
    MoveResult result;
    if (input.dry_run) {
      result.problems = station.custody().CheckMove(request);
      return result;
    }
    auto moved = station.custody().MoveOriginals(request);
    if (!moved) return std::unexpected(moved.error());
    result.outcome = *moved;
    return result;
  };
  return op.Finish(run());
}

Result<storage::Original> ShowOriginal(Station& station, const Caller& caller,
                                       const std::string& barcode) {
  Operation op(station, caller, "original.show");
  op.Record(storage::NormalizeScan(barcode));
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().GetOriginal(barcode));
}

Result<std::vector<storage::Original>> Where(Station& station, const Caller& caller,
                                             const std::string& what) {
  Operation op(station, caller, "original.where");
  op.Record(storage::NormalizeScan(what));
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().Where(what));
}

Result<LabelResult> PrintLabels(Station& station, const Caller& caller,
                                const LabelInput& input) {
  Operation op(station, caller, "label.print");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<LabelResult> {
    const OutputFileOptions out{/*replace=*/true, station.archive().dir(),
                                /*has_force_flag=*/false};
    if (auto s = CheckOutputFile(input.out, out); !s) {
      return std::unexpected(s.error());
    }
    auto& custody = station.custody();
    std::vector<archive::Label> labels;
    auto add_original = [&](const storage::Original& o) {
      labels.push_back({o.barcode, "", o.customer_name + "  " + o.customer_code,
                        (o.document_display_id.empty()
                             ? ""
                             : o.document_display_id + " ") + o.title});
    };
    for (const auto& b : input.originals) {
      auto o = custody.GetOriginal(b);
      if (!o) return std::unexpected(o.error());
      add_original(*o);
    }
    if (!input.at.empty()) {
      auto here = custody.OriginalsAt(input.at, true);
      if (!here) return std::unexpected(here.error());
      for (const auto& o : *here) add_original(o);
    }
    for (const auto& key : input.locations) {
      auto all = custody.ListLocations(key);
      if (!all) return std::unexpected(all.error());
      for (const auto& l : *all) {
        labels.push_back({l.barcode, l.code, l.path,
                          l.kind + (l.security.empty() ? "" : ", " + l.security)});
      }
    }
    if (labels.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "no labels: give --original, --at or --location");
    }
    auto stock = archive::FindLabelStock(input.stock);
    if (!stock) return std::unexpected(stock.error());
    archive::LabelSheetOptions options;
    options.stock = *stock;
    options.symbology =
        input.qr ? archive::Symbology::kQrCode : archive::Symbology::kCode128;
    options.skip = input.skip;
    options.font_path = input.font;
    auto pdf = archive::WriteLabelSheet(labels, options);
    if (!pdf) return std::unexpected(pdf.error());
    if (auto s = WriteOutputFile(input.out, *pdf, out); !s) {
      return std::unexpected(s.error());
    }
    return LabelResult{static_cast<int>(labels.size()), std::string(stock->name),
                       input.out};
  };
  return op.Finish(run());
}

Result<storage::Audit> StartAudit(Station& station, const Caller& caller,
                                  const std::string& location) {
  Operation op(station, caller, "audit.start");
  op.Record(location);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto a = station.custody().StartAudit(location, op.user());
  if (a) op.Record(a->display_id);
  return op.Finish(std::move(a));
}

Result<AuditScanResult> AddAuditScans(Station& station, const Caller& caller,
                                      const AuditScanInput& input) {
  Operation op(station, caller, "audit.scan");
  op.Record(input.audit);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<AuditScanResult> {
    AuditScanResult result;
    auto feed = [&](const std::vector<std::string>& lines,
                    const std::string& source) -> Status {
      auto r = station.custody().AddScans(input.audit, lines, source);
      if (!r) return std::unexpected(r.error());
      result.total.items += r->items;
      result.total.contexts += r->contexts;
      result.total.ignored += r->ignored;
      return Ok();
    };
    for (const auto& [source, lines] : input.batches) {
      if (auto s = feed(lines, source); !s) return std::unexpected(s.error());
    }
    for (const auto& photo : input.photos) {
      auto codes = capture::DecodeBarcodesInFile(photo);
      if (!codes) return std::unexpected(codes.error());
      std::vector<std::string> lines;
      for (const auto& c : *codes) lines.push_back(c.text);
      // A location label in the photo says where the items are.
      std::stable_partition(lines.begin(), lines.end(), [](const auto& s) {
        return storage::IsLocationBarcode(storage::NormalizeScan(s));
      });
      result.photo_barcodes.emplace_back(photo.string(),
                                         static_cast<int>(lines.size()));
      if (auto s = feed(lines, photo.string()); !s) {
        return std::unexpected(s.error());
      }
    }
    return result;
  };
  return op.Finish(run());
}

Result<AuditResult> CloseAudit(Station& station, const Caller& caller,
                               const std::string& audit,
                               const std::filesystem::path& report_dir) {
  Operation op(station, caller, "audit.close");
  op.Record(audit);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<AuditResult> {
    const auto dir =
        report_dir.empty() ? station.archive().dir() / "reports" : report_dir;
    const OutputFileOptions out = ReportFileOptions(station, report_dir);
    auto open = station.custody().GetAudit(audit);
    if (!open) return std::unexpected(open.error());
    if (auto s = CheckAuditReport(dir, open->display_id, out); !s) {
      return std::unexpected(s.error());
    }
    auto a = station.custody().CloseAudit(audit, op.user());
    if (!a) return std::unexpected(a.error());
    auto lines = station.custody().AuditReport(a->display_id);
    if (!lines) return std::unexpected(lines.error());
    auto base = WriteAuditReport(*a, *lines, dir, station.Zone(), out);
    if (!base) return std::unexpected(base.error());
    return AuditResult{*a, std::move(*lines), *base};
  };
  return op.Finish(run());
}

Result<AuditResult> AuditReport(Station& station, const Caller& caller,
                                const std::string& audit,
                                const std::filesystem::path& report_dir) {
  Operation op(station, caller, "audit.report");
  op.Record(audit);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<AuditResult> {
    auto a = station.custody().GetAudit(audit);
    if (!a) return std::unexpected(a.error());
    AuditResult result{*a, {}, {}};
    if (a->status == "open") {
      // While scanning: the reconciliation as it stands, nothing kept.
      auto preview = station.custody().PreviewAudit(audit);
      if (!preview) return std::unexpected(preview.error());
      result.audit = std::move(preview->audit);
      result.lines = std::move(preview->lines);
    } else {
      auto lines = station.custody().AuditReport(audit);
      if (!lines) return std::unexpected(lines.error());
      result.lines = std::move(*lines);
    }
    if (!report_dir.empty()) {
      auto base = WriteAuditReport(result.audit, result.lines, report_dir,
                                   station.Zone(),
                                   ReportFileOptions(station, report_dir));
      if (!base) return std::unexpected(base.error());
      result.report_base = *base;
    }
    return result;
  };
  return op.Finish(run());
}

Result<std::vector<storage::Audit>> AuditHistory(Station& station,
                                                 const Caller& caller,
                                                 const std::string& location) {
  Operation op(station, caller, "audit.history");
  op.Record(location);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().AuditHistory(location));
}

Result<storage::MoveOutcome> ApplyAuditMoves(Station& station,
                                             const Caller& caller,
                                             const std::string& audit) {
  Operation op(station, caller, "audit.apply-moves");
  op.Record(audit);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.custody().ApplyAuditMoves(audit, op.user()));
}

}  // namespace dossier::app
