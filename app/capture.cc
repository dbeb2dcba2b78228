#include "app/capture.h"
#include "app/capture_internal.h"

#include "app/operation.h"
#include "core/file_util.h"
#include "core/output_file.h"
#include "storage/archive.h"

namespace dossier::app {
namespace {

// Fills ingest options from the input; the scanning person is the
// principal. Resolves the holding customer for review when splitting
// (creating it on first use, after every check has passed).
Status ApplyCapture(Station& station, const std::string& actor,
                    const CaptureInput& in, bool split,
                    pipeline::IngestOptions* options) {
  if (!split && in.customer.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--customer is required unless the batch is split at "
                     "cover sheets (--split)");
  }
  options->customer_code = in.customer;
  options->type = in.type;
  options->title = in.title;
  options->jobs = in.jobs;
  options->background = in.background;
  options->actor = actor;
  options->ocr.languages = in.languages;
  options->null_ocr = in.no_ocr;
  options->drop_blank_pages = in.drop_blank;
  options->cleanup.crop_to_paper = in.crop_to_paper;
  options->strict = in.strict;
  options->split_on_cover_sheets = split;
  if (split || !in.review_customer.empty()) {
    if (!in.review_customer.empty()) {
      options->review_customer_code = in.review_customer;
    } else {
      auto code = pipeline::EnsureReviewCustomer(station.records(), actor);
      if (!code) return std::unexpected(code.error());
      options->review_customer_code = *code;
    }
  }
  return Ok();
}

}  // namespace

Result<pipeline::IngestReport> IngestAs(Station& station, const std::string& scanner,
                                        const IngestInput& input,
                                        const pipeline::IngestCallbacks& callbacks) {
  pipeline::IngestOptions options;
  if (auto s = ApplyCapture(station, scanner, input.capture, input.capture.split,
                            &options);
      !s) {
    return std::unexpected(s.error());
  }
  options.files = input.files;
  for (std::size_t i = 0; i < input.files.size() && i < input.shown_names.size(); ++i) {
    if (!input.shown_names[i].empty()) {
      options.shown_names[input.files[i].string()] = input.shown_names[i];
    }
  }
  options.one_document = input.one_document;
  options.pdfa = input.pdfa;
  options.engine_cache = input.engines;
  return pipeline::RunIngest(station.archive(), options, callbacks);
}

Result<pipeline::IngestReport> Ingest(Station& station, const Caller& caller,
                                      const IngestInput& input,
                                      const pipeline::IngestCallbacks& callbacks) {
  Operation op(station, caller, "document.ingest");
  op.Record(input.capture.customer);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(IngestAs(station, op.user(), input, callbacks));
}

Result<pipeline::IngestReport> Scan(Station& station, const Caller& caller,
                                    const ScanInput& input,
                                    const pipeline::IngestCallbacks& callbacks) {
  Operation op(station, caller, "capture.scan");
  op.Record(input.capture.customer);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<pipeline::IngestReport> {
    capture::ScanSettings base;
    if (!input.profile.empty()) {
      auto p = pipeline::FindScanProfile(station.records(), input.profile);
      if (!p) return std::unexpected(p.error());
      base = p->settings;
    }
    auto settings = input.adjust ? input.adjust(base)
                                 : Result<capture::ScanSettings>(base);
    if (!settings) return std::unexpected(settings.error());
    pipeline::IngestOptions options;
    if (auto s = ApplyCapture(station, op.user(), input.capture,
                              input.capture.split, &options);
        !s) {
      return std::unexpected(s.error());
    }
    auto scanner = capture::OpenScanner(*settings);
    if (!scanner) return std::unexpected(scanner.error());
    if (input.on_open) input.on_open((*scanner)->Describe());
    options.source = scanner->get();
    return pipeline::RunIngest(station.archive(), options, callbacks);
  };
  return op.Finish(run());
}

Result<pipeline::WatchReport> Watch(Station& station, const Caller& caller,
                                    const WatchInput& input,
                                    const pipeline::WatchCallbacks& callbacks) {
  Operation op(station, caller, "capture.watch");
  op.Record(input.capture.customer);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<pipeline::WatchReport> {
    pipeline::WatchOptions options;
    options.dir = input.dir;
    options.settle_seconds = input.settle_seconds;
    options.poll_seconds = input.poll_seconds;
    options.max_wait_seconds = input.max_wait_seconds;
    options.once = input.once;
    options.customer_code = input.capture.customer;
    // Files in DIR are split unless a customer is given; sub-folders never.
    const bool split = input.capture.customer.empty();
    if (auto s = ApplyCapture(station, op.user(), input.capture, split,
                              &options.ingest);
        !s) {
      return std::unexpected(s.error());
    }
    options.stop = input.stop;
    return pipeline::RunHotFolder(station.archive(), options, callbacks);
  };
  return op.Finish(run());
}

Result<pipeline::HotFolderState> ShowHotFolder(Station& station, const Caller& caller,
                                               const std::filesystem::path& dir) {
  Operation op(station, caller, "capture.hotfolder");
  op.Record(dir.string());
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(pipeline::ReadHotFolder(dir));
}

Status MakeCoverSheet(Station& station, const Caller& caller,
                      const capture::CoverSheet& sheet,
                      const std::filesystem::path& to) {
  Operation op(station, caller, "capture.cover");
  op.Record(sheet.customer_code);
  if (auto s = op.Authorize(); !s) return s;
  auto run = [&]() -> Status {
    const OutputFileOptions out{/*replace=*/true, station.archive().dir(),
                                /*has_force_flag=*/false};
    if (auto s = CheckOutputFile(to, out); !s) return s;
    auto pdf = pipeline::MakeCoverSheetPdf(station.records(), sheet);
    if (!pdf) return std::unexpected(pdf.error());
    return WriteOutputFile(to, std::string_view(*pdf), out);
  };
  return op.Finish(run());
}

Result<std::vector<pipeline::ScanProfile>> ListScanProfiles(Station& station,
                                                            const Caller& caller) {
  Operation op(station, caller, "profile.list");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(pipeline::LoadScanProfiles(station.records()));
}

Status SaveScanProfile(Station& station, const Caller& caller,
                       const pipeline::ScanProfile& profile, bool replace) {
  Operation op(station, caller, "profile.add");
  if (auto s = op.Authorize(); !s) return s;
  return op.Finish(
      pipeline::SaveScanProfile(station.records(), profile, replace, op.user()));
}

Status RemoveScanProfile(Station& station, const Caller& caller,
                         const std::string& name) {
  Operation op(station, caller, "profile.remove");
  if (auto s = op.Authorize(); !s) return s;
  return op.Finish(pipeline::RemoveScanProfile(station.records(), name, op.user()));
}

}  // namespace dossier::app
