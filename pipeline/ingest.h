// IngestJob: runs a batch of input files through cleanup, OCR and PDF
// writing into an archive.
//
//   files --read--> RawPage --[worker pool: Prepare, orientation, Deskew,
//   OCR, encode]--> PageResult --[committer: PDF/A, file store, catalog]-->
//   Document
//
// Each input file becomes one document (a multi-page TIFF a multi-page one)
// unless one_document merges them all. A file that cannot be read fails its
// own document with an error naming it; the rest of the batch goes on. An
// input already ingested for the same customer is reported as a duplicate
// and not stored twice. Input files are only read.
//
// Thread safety: Run() uses jobs worker threads, each with its own OCR
// engine, and one committer thread that alone touches the archive. The
// progress callback is called with a lock held, one call at a time.
#pragma once

#include <filesystem>
#include <map>
#include <functional>
#include <string>
#include <vector>

#include "archive/pdf_writer.h"
#include "capture/cleanup.h"
#include "capture/image_file.h"
#include "capture/page_source.h"
#include "core/result.h"
#include "core/types.h"
#include "ocr/engine.h"
#include "ocr/engine_cache.h"
#include "ocr/language_choice.h"
#include "pipeline/stage_times.h"
#include "storage/archive.h"

namespace dossier::pipeline {

struct IngestOptions {
  std::vector<std::filesystem::path> files;
  std::string customer_code;
  std::string type = "other";
  std::string title;           // empty: the file name
  bool one_document = false;   // merge all files, in order, into one document
  int jobs = 0;                // OCR workers; 0 = one per core
  // The OCR workers run as background threads (core/thread_priority.h):
  // an ingest gives way to interactive work on the machine (the server's
  // clerks) and runs at full speed when nothing else wants the CPU. The
  // committer keeps its priority: it holds the catalog's write lock, which
  // the server's requests wait for.
  bool background = true;
  std::string actor;           // who runs the ingest
  // Tesseract's languages and models. languages "auto" (the default):
  // chosen per page (ocr/language_choice.h); any other value, e.g.
  // "chi_sim+eng", reads every page with it.
  ocr::TesseractOptions ocr{.languages = dossier::ocr::kAutoLanguages};
  bool null_ocr = false;       // tests: skip OCR (NullEngine)
  // Engines kept by the caller across ingests (ocr/engine_cache.h): taken
  // from it and given back when the ingest ends. Null: made for this
  // ingest. Not owned; must outlive RunIngest.
  ocr::EngineCache* engine_cache = nullptr;
  // Leave blank pages (duplex backs) out of the document. Each dropped page
  // is named in a "dropped-blank" warning kept with the document; a
  // document of blank pages only keeps them all.
  bool drop_blank_pages = false;
  capture::ImageFileOptions read;
  // Per file path (as in files), the name its pages, kept original and
  // messages show instead of the path, e.g. a queued file's name as the
  // scanner gave it (app/queue.h). Overrides read.display_name.
  std::map<std::string, std::string> shown_names;
  capture::CleanupOptions cleanup;
  capture::EncodeOptions encode;
  archive::PdfaLevel pdfa = archive::PdfaLevel::k2b;

  // --- Capture station: scanner input and cover-sheet batches ----------
  // (docs/capture.md). Without these the behaviour above is unchanged.
  //
  // Pages from a page source (a scanner), read after the files. Not owned;
  // must outlive RunIngest. Its pages form one document (title: `title`, else
  // the source's name) unless split_on_cover_sheets. An error from the source
  // ends reading: the pages read before are still archived and the error is
  // in IngestReport::source_error. Such documents are identified by a hash
  // of their pixels, so the same scan again is a duplicate.
  capture::PageSource* source = nullptr;
  // Treats all files (in order, all their pages) and then the source as one
  // stack and splits it at every cover sheet (capture/cover_sheet.h). A sheet
  // starts a document filed under its customer, type and title; sheets are
  // not archived; barcodes that are not ours are ignored. Pages before the
  // first sheet go to customer_code when set, else they need review. Pages
  // that need review (before the first sheet, or under a sheet naming an
  // unknown customer or type, or with an unreadable payload) become pending
  // documents filed under review_customer_code with a "needs-review" warning
  // saying why. The same stack again gives duplicates (keys: file hashes and
  // page indexes).
  bool split_on_cover_sheets = false;
  // Refuse a document any page of which decoded from corrupt data (a
  // capture::kCorruptDataWarning) instead of storing it flagged with a
  // "needs-review" warning.
  bool strict = false;
  // Holding customer for pages that need review. REQUIRES: set and existing
  // when split_on_cover_sheets.
  std::string review_customer_code;
};

// Reported after each page has been processed.
struct PageEvent {
  std::string source_file;
  int source_index = 0;
  int rotation = 0;
  double skew = 0.0;
  bool blank = false;
  int words = 0;
  float confidence = 0.f;
  // What the page was read with, and why ("chi_sim", "OSD script Han ...").
  ocr::LanguageChoice languages;
  double seconds = 0.0;
  std::vector<Warning> warnings;
};

struct DocumentOutcome {
  std::vector<std::filesystem::path> inputs;
  bool stored = false;       // a new document was committed
  bool duplicate = false;    // the same input was ingested before
  storage::DocumentRecord record;  // valid when stored or duplicate
  std::optional<Error> error;
  std::vector<Warning> warnings;
};

struct DocumentEvent {
  const DocumentOutcome* outcome = nullptr;
};

struct IngestReport {
  std::vector<DocumentOutcome> documents;
  int pages = 0;
  double seconds = 0.0;
  // Where the time went (pipeline/stage_times.h), and the process's CPU
  // seconds over the whole run: the stages' CPU seconds add up to about
  // cpu_seconds when nothing else runs in the process.
  StageTimes stages;
  double cpu_seconds = 0.0;
  // Capture station: cover sheets seen (not archived), the error that ended
  // reading from IngestOptions::source, and batch-level warnings (a cover
  // sheet with no pages after it, a scanner without duplex).
  int cover_sheets = 0;
  std::optional<Error> source_error;
  std::vector<Warning> batch_warnings;
  int failed() const;
  int stored() const;
  int duplicates() const;
  int warnings() const;
};

struct IngestCallbacks {
  std::function<void(const PageEvent&)> on_page;
  std::function<void(const DocumentOutcome&)> on_document;
};

// Runs the batch. Returns an error only when the batch cannot start at all
// (unknown customer, bad type, OCR engine missing); per-file problems are
// in the report. failed() counts a source error as a failure too.
Result<IngestReport> RunIngest(storage::Archive& archive,
                               const IngestOptions& options,
                               const IngestCallbacks& callbacks = {});

}  // namespace dossier::pipeline
