// Paper originals as use cases: locations, originals, moves, where, label
// sheets and cabinet audits (operations location.*, original.*,
// label.print, audit.*). Label sheets and audit reports are produced here,
// the glue between custody and archive/.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "app/station.h"
#include "storage/custody_store.h"

namespace dossier::app {

Result<storage::Location> AddLocation(Station& station, const Caller& caller,
                                      const storage::NewLocation& location);
Result<std::vector<storage::Location>> AddCabinet(Station& station,
                                                  const Caller& caller,
                                                  const storage::CabinetSpec& spec);
// under '' = every location; the operation is location.list or, with
// as_tree, location.tree (the same data).
Result<std::vector<storage::Location>> ListLocations(Station& station,
                                                     const Caller& caller,
                                                     const std::string& under,
                                                     bool as_tree = false);
struct LocationView {
  storage::Location location;
  std::vector<storage::Original> originals;  // held directly
};
Result<LocationView> ShowLocation(Station& station, const Caller& caller,
                                  const std::string& code_or_barcode);

struct RegisterInput {
  std::string item;      // document id or customer code
  std::string location;  // code or barcode
  int page_count = -1;   // -1: the catalog's
};
Result<storage::Original> RegisterOriginal(Station& station, const Caller& caller,
                                           const RegisterInput& input);
struct MoveInput {
  std::vector<std::string> barcodes;
  std::string to;
  std::string reason;
  bool dry_run = false;  // check only
};
struct MoveResult {
  storage::MoveOutcome outcome;              // after a move
  std::vector<storage::MoveProblem> problems;  // a dry run's findings
};
Result<MoveResult> MoveOriginals(Station& station, const Caller& caller,
                                 const MoveInput& input);
Result<storage::Original> ShowOriginal(Station& station, const Caller& caller,
                                       const std::string& barcode);
// Document id, customer code or original barcode.
Result<std::vector<storage::Original>> Where(Station& station, const Caller& caller,
                                             const std::string& what);

struct LabelInput {
  std::vector<std::string> originals;  // barcodes
  std::string at;                      // every original in and below
  std::vector<std::string> locations;  // location labels for these subtrees
  std::string stock = "a4-3x8";
  bool qr = false;
  int skip = 0;
  std::string font;  // CJK TrueType font file, '' = the default
  std::filesystem::path out;
};
struct LabelResult {
  int labels = 0;
  std::string stock;
  std::filesystem::path written;
};
Result<LabelResult> PrintLabels(Station& station, const Caller& caller,
                                const LabelInput& input);

Result<storage::Audit> StartAudit(Station& station, const Caller& caller,
                                  const std::string& location);
struct AuditScanInput {
  std::string audit;
  // Each batch: scanned lines and where they came from ("stdin", a file).
  std::vector<std::pair<std::string, std::vector<std::string>>> batches;
  std::vector<std::filesystem::path> photos;  // every barcode in each photo
};
struct AuditScanResult {
  storage::ScanOutcome total;
  std::vector<std::pair<std::string, int>> photo_barcodes;  // photo, count
};
Result<AuditScanResult> AddAuditScans(Station& station, const Caller& caller,
                                      const AuditScanInput& input);
struct AuditResult {
  storage::Audit audit;
  std::vector<storage::AuditLine> lines;
  std::filesystem::path report_base;  // .pdf and .csv; empty if not written
};
// Reconciles, closes and writes the report (default dir ARCHIVE/reports).
Result<AuditResult> CloseAudit(Station& station, const Caller& caller,
                               const std::string& audit,
                               const std::filesystem::path& report_dir);
// A closed audit's report; an open audit's reconciliation as it stands
// (what closing now would find; counts and lines, nothing kept). A
// report_dir rewrites the report files there.
Result<AuditResult> AuditReport(Station& station, const Caller& caller,
                                const std::string& audit,
                                const std::filesystem::path& report_dir);
Result<std::vector<storage::Audit>> AuditHistory(Station& station,
                                                 const Caller& caller,
                                                 const std::string& location);
Result<storage::MoveOutcome> ApplyAuditMoves(Station& station,
                                             const Caller& caller,
                                             const std::string& audit);

}  // namespace dossier::app
