#include "app/documents.h"

#include <fmt/format.h>

#include <algorithm>

#include "app/operation.h"
#include "governance/masking.h"
#include "app/records.h"
#include "core/output_file.h"
#include "fields/normalize.h"
#include "storage/archive.h"
#include "storage/custody_store.h"

namespace dossier::app {

Result<storage::DocumentRecord> ResolveDocument(Station& station,
                                                const std::string& id) {
  std::string text = storage::NormalizeScan(id);
  const bool numeric =
      !text.empty() &&
      std::all_of(text.begin() + (text.front() == 'D' ? 1 : 0), text.end(),
                  [](char c) { return c >= '0' && c <= '9'; }) &&
      text != "D";
  if (numeric) return station.records().GetDocument(text);
  if (text.starts_with("DA-")) {
    return station.records().FindDocumentByArchiveNumber(text);
  }
  if (text.starts_with("OR")) {
    if (!storage::IsOriginalBarcode(text)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("'{}' is not an original barcode like "
                                   "OR00000017K (wrong length or check "
                                   "character)",
                                   id));
    }
    auto original = station.custody().GetOriginal(text);
    if (!original) return std::unexpected(original.error());
    if (original->document_id == 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("{} is the original of the whole customer "
                                   "folder {}, not of one document",
                                   text, original->customer_code));
    }
    return station.records().GetDocument(original->document_display_id);
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("'{}' is not a document id (D000012), an "
                               "archive number (DA-2026-HT-000001-K) or an "
                               "original barcode (OR00000017K)",
                               id));
}

Result<DocumentView> ShowDocument(Station& station, const Caller& caller,
                                  const std::string& document, bool with_text) {
  Operation op(station, caller, "document.show");
  op.Record(document);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<DocumentView> {
    auto& catalog = station.records();
    DocumentView view;
    auto d = ResolveDocument(station, document);
    if (!d) return std::unexpected(d.error());
    if (d->display_id != document) op.Record(d->display_id);
    view.document = *d;
    view.document.title = governance::MaskTextFor(op.principal(), d->title);
    const bool destroyed = d->status == "destroyed";
    if (!destroyed) {
      view.stored_as = station.archive().files().PathFor(d->pdf_sha256).string();
    }
    auto check = catalog.LastVerification(d->id);
    if (!check) return std::unexpected(check.error());
    view.last_check = *check;
    auto fields = catalog.GetDocumentFields(d->display_id);
    if (!fields) return std::unexpected(fields.error());
    for (const auto& f : *fields) view.fields.push_back(Masked(op.principal(), f));
    auto originals = station.custody().Where(d->display_id);
    if (originals) {
      view.originals = std::move(*originals);
      for (auto& o : view.originals) o.history.clear();
    } else if (originals.error().code != ErrorCode::kNotFound) {
      return std::unexpected(originals.error());
    }
    auto loans = station.custody().ListLoans("open");
    if (!loans) return std::unexpected(loans.error());
    for (auto& l : *loans) {
      if (l.document_display_id == d->display_id) view.loans.push_back(std::move(l));
    }
    auto holds = station.retention().ListHolds(/*active_only=*/true);
    if (!holds) return std::unexpected(holds.error());
    for (auto& h : *holds) {
      if (h.target == d->display_id || h.target == d->customer_code) {
        h.reason = governance::MaskTextFor(op.principal(), h.reason);
        view.holds.push_back(std::move(h));
      }
    }
    if (destroyed) {
      auto batch = station.retention().DestroyedBy(d->display_id);
      if (!batch) return std::unexpected(batch.error());
      view.destruction = std::move(*batch);
      if (view.destruction) {
        const auto path = station.archive().dir() / "reports" /
                          ("destruction-" + view.destruction->display_id + ".pdf");
        std::error_code ec;
        if (std::filesystem::is_regular_file(path, ec)) {
          view.certificate = path.string();
        }
      }
    }
    auto pages = catalog.GetPages(d->id, false);
    if (!pages) return std::unexpected(pages.error());
    view.pages = std::move(*pages);
    auto kept = catalog.GetDocumentFiles(d->id);
    if (!kept) return std::unexpected(kept.error());
    view.kept_files = std::move(*kept);
    for (auto& p : view.pages) {
      if (!with_text) p.text.clear();
      p.text = governance::MaskTextFor(op.principal(), p.text);
    }
    return view;
  };
  return op.Finish(run());
}

Result<std::vector<storage::SearchHit>> Search(Station& station,
                                               const Caller& caller,
                                               const SearchInput& input) {
  Operation op(station, caller, "document.search");
  op.Record(input.customer);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<std::vector<storage::SearchHit>> {
    storage::SearchQuery q;
    q.text = input.text;
    q.customer_code = input.customer;
    q.include_group = input.group;
    q.types = input.types;
    q.statuses = input.statuses;
    q.date_from = input.from;
    q.date_to = input.to;
    q.date_field = input.date_field;
    for (const auto& f : input.fields) {
      auto eq = f.find('=');
      if (eq == std::string::npos || eq == 0) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "--field '" + f + "' must be NAME=VALUE");
      }
      auto value = fields::NormalizeField(f.substr(0, eq), f.substr(eq + 1));
      if (!value) return std::unexpected(value.error());
      q.field_equals.emplace_back(f.substr(0, eq), *value);
    }
    q.limit = input.limit;
    auto hits = station.records().Search(q);
    if (!hits) return hits;
    for (auto& h : *hits) {
      h.title = governance::MaskTextFor(op.principal(), h.title);
      h.snippet = governance::MaskTextFor(op.principal(), h.snippet);
    }
    return hits;
  };
  return op.Finish(run());
}

Result<ExportResult> Export(Station& station, const Caller& caller,
                            const ExportInput& input) {
  Operation op(station, caller, "document.export");
  op.Record(input.document);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<ExportResult> {
    auto& catalog = station.records();
    auto d = ResolveDocument(station, input.document);
    if (!d) return std::unexpected(d.error());
    if (d->display_id != input.document) op.Record(d->display_id);
    if (d->status == "destroyed") {
      auto batch = station.retention().DestroyedBy(d->display_id);
      if (!batch) return std::unexpected(batch.error());
      if (!*batch) {
        return MakeError(ErrorCode::kConflict,
                         d->display_id + " was destroyed; only its tombstone "
                                         "is kept (dossier show " +
                             d->display_id + ")");
      }
      const auto& b = **batch;
      op.Record(b.display_id);
      const TimeZone zone = station.Zone();
      return MakeError(
          ErrorCode::kConflict,
          fmt::format("{} was destroyed on {}, approved by {} in destruction "
                      "batch {} (proposed by {}); certificate {}{}. Only its "
                      "tombstone is kept: dossier show {}",
                      d->display_id, zone.DisplayUtc(b.approved_at),
                      b.approved_by, b.display_id, b.proposed_by,
                      (station.archive().dir() / "reports" /
                       ("destruction-" + b.display_id + ".pdf"))
                          .string(),
                      b.certificate_sha256.empty()
                          ? ""
                          : ", sha256 " + b.certificate_sha256,
                      d->display_id));
    }
    std::optional<storage::DocumentFile> kept;
    if (input.kept != 0) {
      if (input.text) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "--kept and --text cannot be used together");
      }
      auto files = catalog.GetDocumentFiles(d->id);
      if (!files) return std::unexpected(files.error());
      if (input.kept < 1 || input.kept > static_cast<int>(files->size())) {
        return MakeError(ErrorCode::kNotFound,
                         fmt::format("{} has no kept file {} (it has {}; see "
                                     "`dossier show {}`)",
                                     d->display_id, input.kept, files->size(),
                                     d->display_id));
      }
      kept = (*files)[input.kept - 1];
    }
    std::filesystem::path dest = input.to;
    std::error_code ec;
    if (std::filesystem::is_directory(dest, ec)) {
      if (kept) {
        const std::string ext = kept->media_type == "application/pdf" ? ".pdf"
                                : kept->media_type == "image/png"     ? ".png"
                                                                      : ".jpg";
        dest /= fmt::format("{}-kept-{}{}", d->display_id, input.kept, ext);
      } else {
        dest /= d->display_id + (input.text ? ".txt" : ".pdf");
      }
    }
    const OutputFileOptions out{input.force, station.archive().dir()};
    if (auto s = CheckOutputFile(dest, out); !s) return std::unexpected(s.error());
    // The content first, so a damaged file fails before an approval is
    // used up.
    std::string content;
    if (input.text) {
      auto pages = catalog.GetPages(d->id, false);
      if (!pages) return std::unexpected(pages.error());
      for (const auto& p : *pages) {
        if (!content.empty()) content += "\f";
        content += p.text + "\n";
      }
      content = governance::MaskTextFor(op.principal(), content);
    } else {
      auto bytes = station.archive().files().Get(kept ? kept->sha256 : d->pdf_sha256);
      if (!bytes) return std::unexpected(bytes.error());
      content = std::move(*bytes);
    }
    auto approval = station.custody().AuthorizeExport(d->display_id, op.user());
    if (!approval) return std::unexpected(approval.error());
    if (auto s = WriteOutputFile(dest, content, out); !s) {
      return std::unexpected(s.error());
    }
    ExportResult result{*d, dest, std::nullopt};
    if (*approval) {
      result.loan = (*approval)->display_id;
      op.Record((*approval)->display_id);
    }
    return result;
  };
  return op.Finish(run());
}

Result<pipeline::VerifyReport> Verify(
    Station& station, const Caller& caller, const std::vector<std::string>& ids,
    const std::function<void(const pipeline::VerifyOutcome&)>& on_document) {
  Operation op(station, caller, "document.verify");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto report = pipeline::VerifyDocuments(station.archive(), ids, op.user(),
                                         on_document);
  if (report) {
    report->warnings = storage::ArchiveModeProblems(station.archive().dir());
  }
  return op.Finish(std::move(report));
}

}  // namespace dossier::app
