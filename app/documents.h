// Documents as use cases: show, search, export and verify (operations
// document.show, document.search, document.export, document.verify).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/station.h"
#include "pipeline/verify.h"
#include "storage/records_store.h"
#include "storage/custody_store.h"
#include "storage/retention_store.h"

namespace dossier::app {

// The document a person names: its id (D000012, d12, 12), its archive
// number (DA-2026-HT-000001-K) or the barcode of its original
// (OR00000017K), in any case. The three forms cannot be confused; an id in
// none of them is kInvalidArgument naming it, one that names nothing
// kNotFound, a folder original's barcode kInvalidArgument (it holds a whole
// customer file). No permission check or log entry of its own: it runs
// inside the calling use case's operation.
Result<storage::DocumentRecord> ResolveDocument(Station& station,
                                                const std::string& id);

// The whole story of a document: how it was filed (archive number,
// reviewer, fields), where its paper original is and whether it is lent,
// the holds on it or its customer, the last check of its file, and for a
// destroyed document the tombstone and the certificate.
struct DocumentView {
  storage::DocumentRecord document;
  std::string stored_as;  // path of the PDF in the file store; '' destroyed
  std::optional<storage::Verification> last_check;
  std::vector<storage::PageRecord> pages;  // text only with_text
  // Files kept with the document, numbered from 1 in this order (`export
  // --kept N`): the original input as received, pages left out as blank.
  std::vector<storage::DocumentFile> kept_files;
  std::vector<storage::DocumentField> fields;  // masked for the caller
  std::vector<storage::Original> originals;    // with location path, state
  std::vector<storage::Loan> loans;            // open loans of the document
  std::vector<storage::LegalHold> holds;       // active, on it or its customer
  // Destroyed documents: the batch that destroyed it (its item for this
  // document is the tombstone) and where its certificate was written.
  std::optional<storage::DestructionBatch> destruction;
  std::string certificate;  // ARCHIVE/reports/destruction-DB….pdf, if there
};
// document: any form ResolveDocument accepts.
Result<DocumentView> ShowDocument(Station& station, const Caller& caller,
                                  const std::string& document, bool with_text);

struct SearchInput {
  std::string text;  // query syntax: storage/search_syntax.h
  std::string customer;
  bool group = false;
  std::vector<std::string> types;
  std::vector<std::string> statuses;
  std::string from;        // YYYY-MM-DD
  std::string to;
  std::string date_field;  // e.g. signing_date; '' = scan date
  std::vector<std::string> fields;  // NAME=VALUE, values checked
  int limit = 20;
};
Result<std::vector<storage::SearchHit>> Search(Station& station,
                                               const Caller& caller,
                                               const SearchInput& input);

struct ExportInput {
  std::string document;  // any form ResolveDocument accepts
  std::filesystem::path to;  // a file, or a folder for DOC.pdf / DOC.txt
  bool force = false;        // overwrite
  bool text = false;         // the OCR text instead of the PDF
  // 1-based: the kept file of that number (DocumentView::kept_files)
  // instead of the PDF; a folder gets DOC-kept-N.pdf/.jpg/.png.
  int kept = 0;
};
struct ExportResult {
  storage::DocumentRecord document;
  std::filesystem::path written;
  std::optional<std::string> loan;  // the electronic loan used, if any
};
// The content is read and checked before an export approval is used up;
// a destroyed document is kConflict saying when, by whom and under which
// batch and certificate it was destroyed;
// with the lending setting export_requires_approval an approved electronic
// loan of the caller must exist.
Result<ExportResult> Export(Station& station, const Caller& caller,
                            const ExportInput& input);

// ids empty = every document. A damaged file is a failed check, not an
// error. Destroyed documents are expected to have no file: they are
// reported (VerifyReport::destroyed), never failed, also when named.
Result<pipeline::VerifyReport> Verify(
    Station& station, const Caller& caller, const std::vector<std::string>& ids,
    const std::function<void(const pipeline::VerifyOutcome&)>& on_document = {});

}  // namespace dossier::app
