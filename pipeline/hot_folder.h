// Hot folder: network scanners drop files into a share; the station ingests
// each file once it is completely written.
//
//   DIR/scan.tif            split at cover sheets (or filed under
//                           WatchOptions::customer_code when set)
//   DIR/KH-2026-000001-0/x  filed under that customer (no splitting)
//   DIR/done/...            inputs whose documents committed (same relative
//                           path; a numeric suffix when the name is taken)
//   DIR/failed/...          inputs that failed, with <name>.reason.txt
//
// A file is taken when all of these hold:
//  - its size and modification time have not changed for settle_seconds
//    (seen on two polls at least that far apart, and its mtime at least that
//    old);
//  - no process is writing it, as far as inotify tells (modified and not
//    yet closed after writing: IN_MODIFY without IN_CLOSE_WRITE); without
//    inotify events (e.g. writes from another machine on a network share)
//    this check knows nothing and the others decide;
//  - it is complete for its format: a PNG reaches its IEND chunk, a JPEG
//    ends with its end marker, a PDF has %%EOF near its end, every page
//    directory and strip or tile of a TIFF lies inside the file; an empty
//    file is not complete. Other contents are taken and the reader decides.
// A file that has stayed unchanged for max_wait_seconds but still fails one
// of the last two checks moves to failed/ with the reason (a file complete
// by its format but never closed is taken then). Dot files, *.part, *.tmp,
// *.crdownload and files in done/ and failed/ are never taken.
//
// Links: the hot folder never leaves itself. It follows no symbolic link:
// an input that is a link (to a file or a folder, in DIR or in a customer
// sub-folder) is moved, as a link, to failed/ with the reason; its target
// is neither read nor moved. done/, failed/ or the processing folder being
// a link (or not a folder) refuses the start with an error naming it, and
// nothing is created or moved. A link found in place of done/<sub> moves
// the file to failed/ instead. DIR itself, the folder the caller names, may
// be reached through a link. done/, failed/ and DIR are opened once at the
// start; every open (O_NOFOLLOW) and move (renameat2, never replacing) is
// relative to those handles, so a link swapped in while running cannot
// redirect them: a swapped done/ or failed/ is not written through (files
// keep going to the folder opened at the start).
//
// Taking a file: it is first moved into DIR/.dossier-processing/ (same
// relative path; mode 0700), ingested from there, then moved to done/ or
// failed/. Any exception while processing a file becomes that file's
// failure. A file still in the processing folder when a run starts was
// being processed when the station stopped (killed, crashed, power lost):
// it moves to failed/ with "the station stopped while processing this
// file" before anything else is looked at, so an input that crashes the
// process fails once and never blocks the files after it.
//
// One watch per folder: the processing folder is locked (flock) while a
// watch runs; a second watch on the same DIR refuses to start (kConflict).
//
// Durability: a file moves to done/ only after RunIngest returned with its
// documents committed. A process killed at any point loses nothing: the
// file is in DIR, in the processing folder (then failed/ on the next start,
// with its reason) or in done/ or failed/, never deleted, and documents it
// committed stay. Nothing is duplicated: ingest is idempotent (same
// content, same customer: the document found, not a second one), so a file
// from failed/ put back into DIR is filed once.
//
// Thread safety: RunHotFolder runs on the calling thread; `stop` may be set
// from a signal handler or another thread.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "pipeline/ingest.h"
#include "storage/archive.h"

namespace dossier::pipeline {

// Name of the processing folder in DIR.
inline constexpr const char* kProcessingFolder = ".dossier-processing";

struct WatchOptions {
  std::filesystem::path dir;
  double settle_seconds = 5.0;
  double poll_seconds = 1.0;
  // Longest wait for a file that stays unchanged but incomplete or open for
  // writing; then it fails.
  double max_wait_seconds = 600.0;
  // Process the files present at start (waiting for them to settle), then
  // return; files arriving meanwhile are taken too.
  bool once = false;
  // Files in DIR itself: file under this customer. Empty: split at cover
  // sheets, with pages that need review under ingest.review_customer_code.
  std::string customer_code;
  // Template for each file's ingest: type, title, OCR, jobs, actor, holding
  // customer. files, customer_code and split_on_cover_sheets are set per file.
  IngestOptions ingest;
  // Set to stop; checked between files and while waiting.
  const std::atomic<bool>* stop = nullptr;
};

struct WatchFileEvent {
  std::filesystem::path file;  // as found in DIR
  std::filesystem::path moved_to;
  bool ok = false;
  std::string customer_code;  // empty when splitting
  std::string reason;         // why it failed
  std::optional<IngestReport> report;
};

struct WatchCallbacks {
  std::function<void(const std::filesystem::path&)> on_start;
  std::function<void(const WatchFileEvent&)> on_file;
  IngestCallbacks ingest;
};

struct WatchReport {
  int done = 0;
  int failed = 0;
};

// Watches until stopped (or, with once, until DIR holds no more inputs).
// Errors: kNotFound when DIR does not exist; kConflict when done/, failed/
// or the processing folder is a symbolic link or not a folder, or another
// watch runs on DIR; kIo when one
// cannot be created or a file cannot be moved (the watch stops rather than
// ingesting a file again and again).
Result<WatchReport> RunHotFolder(storage::Archive& archive,
                                 const WatchOptions& options,
                                 const WatchCallbacks& callbacks = {});

// What a hot folder holds now, read without changing anything and without
// following a symbolic link: what waits to be taken (the files a watch
// would take, in DIR and its customer sub-folders), what is being
// processed, what failed and why (its .reason.txt), and how many are done.
struct HotFolderEntry {
  std::filesystem::path path;  // relative to DIR ("KH-…/scan.png", "failed/x.pdf")
  std::string customer_code;   // the sub-folder's name; '' in DIR itself
  std::uintmax_t bytes = 0;
  std::string modified;        // ISO 8601 UTC
  std::string reason;          // failed/ only
  bool link = false;           // a symbolic link (a watch fails it)
};
struct HotFolderState {
  std::vector<HotFolderEntry> waiting;     // oldest first
  std::vector<HotFolderEntry> processing;
  std::vector<HotFolderEntry> failed;      // newest first
  int done = 0;
  bool truncated = false;  // a list was cut at `limit`
};
// kNotFound when DIR does not exist; at most `limit` entries per list.
Result<HotFolderState> ReadHotFolder(const std::filesystem::path& dir, int limit = 200);

}  // namespace dossier::pipeline
