// Capture as use cases: ingest of image files, scanning from a SANE
// scanner, the hot folder, cover sheets and scan profiles (operations
// document.ingest, capture.scan, capture.watch, capture.cover, profile.*).
// The person who scans is always the caller's principal.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "app/station.h"
#include "archive/pdf_writer.h"
#include "capture/cover_sheet.h"
#include "capture/sane_source.h"
#include "pipeline/hot_folder.h"
#include "pipeline/ingest.h"
#include "pipeline/station.h"

namespace dossier::app {

// What every capture use case is told about the documents it makes.
struct CaptureInput {
  std::string customer;         // '' only when splitting at cover sheets
  std::string type = "other";
  std::string title;
  bool split = false;           // at cover sheets
  std::string review_customer;  // holding customer; '' = the archive's
  int jobs = 0;                 // OCR workers; 0 = one per core
  bool background = true;       // OCR at background CPU priority
  // Tesseract languages; "auto": chosen per page (ocr/language_choice.h).
  std::string languages = "auto";
  bool no_ocr = false;
  bool drop_blank = false;
  // Crop pages scanned with the lid open or on a dark background to the
  // paper (capture::FindPaper). Off unless asked: docs/capture.md.
  bool crop_to_paper = false;
  // Refuse documents with a page decoded from corrupt data (else: stored,
  // flagged for review).
  bool strict = false;
};

struct IngestInput {
  CaptureInput capture;
  std::vector<std::filesystem::path> files;
  // Per file, the name pages and messages show instead of its path ('' or
  // missing: the path); a queued file's name as the scanner gave it.
  std::vector<std::string> shown_names;
  bool one_document = false;
  archive::PdfaLevel pdfa = archive::PdfaLevel::k2b;
  // OCR engines kept across ingests by a long-running caller (a worker, the
  // server); null: made for this ingest. Not owned.
  ocr::EngineCache* engines = nullptr;
};
Result<pipeline::IngestReport> Ingest(Station& station, const Caller& caller,
                                      const IngestInput& input,
                                      const pipeline::IngestCallbacks& callbacks);

struct ScanInput {
  CaptureInput capture;
  std::string profile;  // saved profile to start from; '' = defaults
  // Changes the face asks for on top of the profile (device, dpi, ...).
  std::function<Result<capture::ScanSettings>(capture::ScanSettings)> adjust;
  // Told which scanner was opened, before the first page.
  std::function<void(const std::string&)> on_open;
};
Result<pipeline::IngestReport> Scan(Station& station, const Caller& caller,
                                    const ScanInput& input,
                                    const pipeline::IngestCallbacks& callbacks);

struct WatchInput {
  CaptureInput capture;  // split unless capture.customer is set
  std::filesystem::path dir;
  double settle_seconds = 5.0;
  double poll_seconds = 1.0;
  double max_wait_seconds = 600.0;  // see pipeline::WatchOptions
  bool once = false;
  const std::atomic<bool>* stop = nullptr;
};
Result<pipeline::WatchReport> Watch(Station& station, const Caller& caller,
                                    const WatchInput& input,
                                    const pipeline::WatchCallbacks& callbacks);

// What a hot folder holds now: waiting, being processed, failed with the
// reason, and how many are done (operation capture.hotfolder; reads the
// folder only, changes nothing).
Result<pipeline::HotFolderState> ShowHotFolder(Station& station, const Caller& caller,
                                               const std::filesystem::path& dir);

// Writes a printable cover sheet PDF to `to`.
Status MakeCoverSheet(Station& station, const Caller& caller,
                      const capture::CoverSheet& sheet,
                      const std::filesystem::path& to);

Result<std::vector<pipeline::ScanProfile>> ListScanProfiles(Station& station,
                                                            const Caller& caller);
Status SaveScanProfile(Station& station, const Caller& caller,
                       const pipeline::ScanProfile& profile, bool replace);
Status RemoveScanProfile(Station& station, const Caller& caller,
                         const std::string& name);

}  // namespace dossier::app
