#include "pipeline/verify.h"

#include <algorithm>

#include "archive/pdf_writer.h"

namespace dossier::pipeline {

int VerifyReport::failed() const {
  return static_cast<int>(std::count_if(documents.begin(), documents.end(), [](auto& d) {
    return !d.verification.fixity_ok || !d.verification.pdfa_ok;
  }));
}

Result<VerifyReport> VerifyDocuments(
    storage::Archive& archive, const std::vector<std::string>& ids,
    const std::string& actor,
    const std::function<void(const VerifyOutcome&)>& on_document) {
  std::vector<storage::DocumentRecord> docs;
  VerifyReport report;
  if (ids.empty()) {
    auto all = archive.records().ListDocuments("");
    if (!all) return std::unexpected(all.error());
    // Destroyed documents have no file by design (a tombstone stays); they
    // are not damaged and are not checked.
    for (auto& d : *all) {
      if (d.status == "destroyed") {
        report.destroyed.push_back(d.display_id);
      } else {
        docs.push_back(std::move(d));
      }
    }
  } else {
    for (const auto& id : ids) {
      auto d = archive.records().GetDocument(id);
      if (!d) return std::unexpected(d.error());
      if (d->status == "destroyed") {
        report.destroyed.push_back(d->display_id);
        continue;
      }
      docs.push_back(std::move(*d));
    }
  }
  for (const auto& d : docs) {
    VerifyOutcome outcome;
    outcome.display_id = d.display_id;
    storage::Verification& v = outcome.verification;
    v.actor = actor;
    v.kind = "verify";
    auto bytes = archive.files().Get(d.pdf_sha256);
    if (!bytes) {
      v.problems.push_back(bytes.error().message);
    } else {
      v.fixity_ok = true;
      archive::PdfCheckReport check = archive::CheckPdfA(*bytes);
      v.pdfa_ok = check.ok;
      v.pdfa_level = check.ok ? check.level : "";
      for (auto& p : check.problems) v.problems.push_back(std::move(p));
    }
    if (auto s = archive.records().RecordVerification(d.id, v); !s) {
      return std::unexpected(s.error());
    }
    if (on_document) on_document(outcome);
    report.documents.push_back(std::move(outcome));
  }
  return report;
}

}  // namespace dossier::pipeline
