// Destruction certificate (销毁证明): the printable record of one approved
// destruction batch, listing the documents destroyed (tombstones), their
// paper originals with who shredded them, when and before which witness,
// and who proposed and approved the destruction. Plain data in, PDF bytes
// out; the archive module knows nothing of the catalog.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace dossier::archive {

struct CertificateDocument {
  std::string document;        // D000012
  std::string archive_number;  // DA-2026-HT-000001-C
  std::string customer;        // code and name
  std::string type;
  std::string title;
  int page_count = 0;
  std::string filed_at;
  std::string retention;       // "contract-end 2015-06-30 + 10 years"
  std::string due_on;
  std::string destroyed_at;
  std::string pdf_sha256;
};

struct CertificateOriginal {
  std::string barcode;
  std::string document;
  std::string shredded_by;  // '' while pending
  std::string witness;
  std::string shredded_at;
  std::string method;
};

struct CertificateData {
  std::string batch_id;  // DB000001
  std::string status;    // approved|completed
  std::string reason;
  std::string proposed;  // "2026-03-01T09:30:00Z by clerk"
  std::string approved;
  std::string issued_at;
  std::string issued_by;
  std::string archive_name;  // the archive folder or station name
  std::vector<CertificateDocument> documents;
  std::vector<CertificateOriginal> originals;
  std::string font_path;  // CJK TrueType/TTC; empty: wqy-microhei
};

// A4 portrait; continues on further pages as needed. kPdf if libharu fails.
Result<std::string> WriteDestructionCertificatePdf(const CertificateData& data);

}  // namespace dossier::archive
