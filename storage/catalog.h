// Catalog: the SQLite database of an archive (customers, documents, pages,
// OCR words, search index).
//
// On-disk format is described in docs/catalog.md. The database runs in WAL
// mode with a busy timeout, so several processes may use one archive.
//
// Thread safety: a Catalog is NOT thread-safe; use one per thread, or guard
// it. All writes of one call happen in one transaction: they all land or
// none does.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/types.h"

struct sqlite3;

namespace dossier::storage {

struct Customer {
  std::int64_t id = 0;
  std::string code;        // e.g. KH-2026-000017-K
  std::string name;
  std::string kind;        // "company" or "person"
  std::string created_at;  // ISO 8601 UTC
  std::string created_by;
};

struct PageRecord {
  int number = 0;            // 1-based within the document
  std::string source_file;   // input file the page came from
  int source_index = 0;      // page index within that file, 0-based
  int width = 0;             // pixels of the OCRed image
  int height = 0;
  double dpi = 300.0;
  int rotation = 0;          // degrees clockwise applied to make it upright
  double skew = 0.0;         // degrees of deskew applied
  float confidence = 0.f;    // mean OCR confidence 0..100
  std::string text;          // normalised OCR text
  std::vector<OcrWord> words;  // filled only when asked for
};

struct DocumentRecord {
  std::int64_t id = 0;
  std::string display_id;       // "D000012"
  std::string customer_code;
  std::string customer_name;
  std::string type;             // contract|form|id-copy|correspondence|other
  std::string title;
  std::string status;           // "pending" on ingest
  std::string pdf_sha256;
  std::int64_t pdf_size = 0;
  int page_count = 0;
  float mean_confidence = 0.f;
  std::string source_key;       // identifies the input, for idempotent ingest
  std::string created_at;
  std::string created_by;
  std::vector<Warning> warnings;
};

struct NewDocument {
  std::string customer_code;
  std::string type;
  std::string title;
  std::string source_key;
  std::string pdf_sha256;
  std::int64_t pdf_size = 0;
  std::string created_by;
  std::vector<PageRecord> pages;  // with words
  std::vector<Warning> warnings;
};

// One check of a stored document file.
struct Verification {
  std::string at;          // ISO 8601 UTC; set by RecordVerification if empty
  std::string actor;
  std::string kind;        // "ingest" or "verify"
  bool fixity_ok = false;  // the file's SHA-256 matches the catalog
  bool pdfa_ok = false;    // the in-process PDF/A check passed
  std::string pdfa_level;  // "2b", "1b" or "" when not PDF/A
  std::vector<std::string> problems;
};

struct SearchQuery {
  std::string text;            // user input, any characters; never a syntax error
  std::string customer_code;   // empty = all customers
  int limit = 20;
};

struct SearchHit {
  std::int64_t document_id = 0;
  std::string display_id;
  std::string customer_code;
  std::string title;
  std::string type;
  int page_number = 0;
  double score = 0.0;          // higher is better
  std::string snippet;         // text around the hit, hit marked with [ ]
};

class Catalog {
 public:
  // Opens an existing catalog file, upgrading its schema if older.
  static Result<std::unique_ptr<Catalog>> Open(const std::filesystem::path& db);
  // Creates a new catalog file; error if it exists.
  static Result<std::unique_ptr<Catalog>> Create(const std::filesystem::path& db);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // Assigns the next code by the coding rule (year = current UTC year).
  // kind must be "company" or "person"; name and actor must not be blank
  // (kInvalidArgument). Codes are never reused. Writes history rows.
  Result<Customer> AddCustomer(const std::string& name, const std::string& kind,
                               const std::string& actor);
  // code is validated first (check character); kNotFound if absent.
  Result<Customer> FindCustomer(const std::string& code);
  Result<std::vector<Customer>> ListCustomers();

  // The document ingested earlier from the same input, if any.
  Result<std::optional<DocumentRecord>> FindDocumentBySourceKey(
      const std::string& customer_code, const std::string& source_key);
  // Inserts document, pages, words and search index rows in one transaction.
  // If the customer already has a document with the same non-empty
  // source_key, returns that one unchanged (idempotent ingest).
  // REQUIRES: type is one of the listed types; pages numbered 1..n in order
  // (at least one); pdf_sha256 is 64 lower-case hex digits; created_by is not
  // empty. kInvalidArgument otherwise, kNotFound for an unknown customer.
  // Page text is stored NormalizeText'ed.
  Result<DocumentRecord> AddDocument(const NewDocument& doc);
  // Accepts "D000012", "d12" or "12"; kNotFound if absent.
  Result<DocumentRecord> GetDocument(const std::string& id);
  // Pages in order; kNotFound if the document does not exist.
  Result<std::vector<PageRecord>> GetPages(std::int64_t document_id,
                                           bool with_words);
  // Empty customer_code lists all documents; ordered by id.
  Result<std::vector<DocumentRecord>> ListDocuments(
      const std::string& customer_code);

  // Ranked full-text search. Terms are ANDed; each term matches as a
  // substring for CJK (1 character and up) and as a case-insensitive word
  // for Latin text. Empty or all-punctuation input gives kInvalidArgument.
  // A customer_code filter is validated (kInvalidArgument, kNotFound);
  // limit must be 1..1000.
  Result<std::vector<SearchHit>> Search(const SearchQuery& query);

  int SchemaVersion() const;

  // Archive settings, one JSON document per section (e.g. "scan-profiles",
  // "lending"). Get returns nullopt for a section never set. Put replaces
  // the section's value (must be valid JSON) and records the old value in
  // history; kInvalidArgument for invalid JSON or an empty section name.
  Result<std::optional<std::string>> GetSetting(const std::string& section);
  Status PutSetting(const std::string& section, const std::string& json_value,
                    const std::string& actor);

  // Fixity and PDF/A check results of a document's stored file, kept as a
  // log: one row per check, at ingest ("ingest") and by `dossier verify`.
  Status RecordVerification(std::int64_t document_id,
                            const Verification& verification);
  // The newest check of the document, nullopt if never checked.
  Result<std::optional<Verification>> LastVerification(std::int64_t document_id);

 private:
  friend class Custody;  // storage/custody.h works on the same connection
  struct Impl;  // storage/catalog_impl.h
  explicit Catalog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::storage
