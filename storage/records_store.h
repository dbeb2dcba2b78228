// RecordsStore: what the records domain asks of persistence, and the plain
// value types it speaks in (customers, contacts, documents, pages, fields,
// history, search). The SQLite implementation is storage/sqlite/catalog.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/types.h"

namespace dossier::storage {

struct Customer {
  std::int64_t id = 0;
  std::string code;        // e.g. KH-2026-000017-K
  std::string name;
  std::string kind;        // "company" or "person"
  std::string created_at;  // ISO 8601 UTC
  std::string created_by;
  // Since schema 2. Normalised values (fields/normalize.h), '' when unknown.
  std::string parent_code;  // group parent, '' for none
  std::string uscc;
  std::string id_number;
  std::string phone;        // E.164
  std::string email;
  std::string address;
};

// Changes to a customer file; unset members stay as they are. Values must be
// normalised by the caller (fields::NormalizeField); '' clears a field.
struct CustomerUpdate {
  std::optional<std::string> name;
  std::optional<std::string> kind;
  std::optional<std::string> uscc;
  std::optional<std::string> id_number;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<std::string> address;
};

// A new customer file with its checked values and group, filed in one
// transaction (AddCustomerFile). values.name and values.kind are ignored.
struct NewCustomer {
  std::string name;
  std::string kind = "company";
  CustomerUpdate values;     // normalised by the caller
  std::string parent_code;   // '' for none
};

// A document moved to another customer file and/or given another type or
// title (RefileDocument). Unset members stay as they are.
struct RefileRequest {
  std::string document;                      // D000012
  std::optional<std::string> customer_code;  // the customer it moves to
  std::optional<std::string> type;           // records/vocabulary.h
  std::optional<std::string> title;
  std::string reason;                        // required, kept in history
  std::string actor;
};

// A contact person of a customer (法定代表人, 经办人, 财务联系人, ...).
struct Contact {
  std::int64_t id = 0;
  std::string customer_code;
  std::string role;
  std::string name;
  std::string phone;  // E.164, normalised by the caller
  std::string email;
  std::string address;
  std::string created_at;
  std::string created_by;
};

// A field of a document (contract number, parties, dates, amount, ...).
struct DocumentField {
  std::string name;
  std::string value;        // normalised, or the raw text while problem is set
  std::string raw;          // as read on the page
  std::string problem;      // why the value failed its check; '' when valid
  float confidence = 0.f;   // 0..100
  int page = 0;             // 1-based; 0 when entered by hand
  std::vector<Box> boxes;   // OCR words the value came from
  std::string source = "extracted";  // "extracted" or "entered"
  std::string updated_at;
  std::string updated_by;
};

// One recorded change: old_value is nullopt when the record was created.
struct HistoryEntry {
  std::string table;        // customers, contacts, documents, document_fields
  std::string record;       // customer code, D000012, contact #3
  std::string field;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;  // nullopt when a field was removed
  std::string actor;
  std::string at;
};

// A customer that an extracted USCC or name points at.
struct CustomerMatch {
  Customer customer;
  std::string reason;  // e.g. "party_a_uscc 91310115MA1K482383 matches"
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
  std::string phash;         // perceptual hash of the cleaned page, or ''
};

// A file kept with a document besides its PDF/A (schema 9), stored in the
// file store under its SHA-256: the original input as received, or the
// image of a page left out as blank.
struct DocumentFile {
  std::string role;          // "original" or "dropped-page"
  std::string sha256;
  std::int64_t size = 0;
  std::string media_type;    // application/pdf, image/png
  std::string source_file;   // input file it came from
  int source_index = 0;      // page index within that file, 0-based
  std::string note;          // why it was kept (a dropped page's reason)
  std::string created_at;
};

// A stored page's perceptual hash, for finding the same page again.
struct PageHash {
  std::int64_t document_id = 0;
  std::string display_id;
  std::string customer_code;
  std::string status;
  int page_number = 0;
  std::string phash;
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
  // Review (schema 2): status is pending, filed, rejected or replaced.
  std::string archive_number;   // set when filed
  std::string review_reason;    // rejection reason
  std::string reviewed_by;
  std::string reviewed_at;
  std::string replaces;         // D000012 this rescan replaces, or ''
};

// The document before and after a refile.
struct RefileOutcome {
  DocumentRecord before;
  DocumentRecord after;
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
  std::vector<DocumentField> fields;  // suggested by extraction, may be empty
  // Kept with the document, in the same transaction. REQUIRES: each file
  // already in the file store (the row commits after the file landed).
  std::vector<DocumentFile> files;
};

// What the caller may see. Until roles exist everybody sees everything;
// a role's restriction becomes a list of customer codes here, applied to
// every search result and never bypassable by the query text.
struct AccessScope {
  std::optional<std::vector<std::string>> customer_codes;  // nullopt = all
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
  // Query syntax (storage/search_syntax.h): words, "phrases", AND, OR, NOT or -word,
  // parentheses. A syntax error is kInvalidArgument naming the position.
  std::string text;
  std::string customer_code;   // empty = all customers
  int limit = 20;              // 1..1000
  bool include_group = false;  // with customer_code: also its subsidiaries
  std::vector<std::string> types;     // empty = any
  std::vector<std::string> statuses;  // empty = any
  // Inclusive YYYY-MM-DD range on the scan date, or on the document field
  // named date_field (e.g. signing_date) when set. '' = open.
  std::string date_from;
  std::string date_to;
  std::string date_field;
  // Each pair: the document has this field with exactly this value.
  std::vector<std::pair<std::string, std::string>> field_equals;
  AccessScope access;
};

struct SearchHit {
  std::int64_t document_id = 0;
  std::string display_id;
  std::string customer_code;
  std::string title;
  std::string type;
  int page_number = 0;
  std::string status;
  double score = 0.0;          // higher is better
  std::string snippet;         // text around the hit, hit marked with [ ]
  // "text": a term is in the page's OCR text (the snippet is from it);
  // "metadata": only in the document's title, customer, numbers or field
  // values (one hit per document, the snippet is from that line).
  std::string matched = "text";
};

// A package's records for Catalog::ImportPackage (app/packages.h reads them
// from the package; docs/package-format.md).
struct ImportedCustomer {
  Customer customer;               // code as in the source archive
  std::vector<Contact> contacts;   // ids as in the source (history refers)
  std::vector<HistoryEntry> history;
};
struct ImportedDocument {
  DocumentRecord document;         // id, archive number as in the source
  std::vector<PageRecord> pages;   // text, no words
  std::vector<DocumentField> fields;
  std::vector<HistoryEntry> history;
};
struct ImportBatch {
  std::string source;  // where it came from, for the history: archive id and package
  std::string actor;   // who imports
  std::vector<ImportedCustomer> customers;
  std::vector<ImportedDocument> documents;  // their customers are in customers
};
struct ImportOutcome {
  // Source document id -> id here (D000003 -> D000017).
  std::vector<std::pair<std::string, std::string>> documents;
  std::vector<std::string> customers_added;    // new here, with their codes
  std::vector<std::string> customers_matched;  // already here, same name
};

// RecordsStore: what the records domain (customer files, documents,
// review and filing, history, settings, verification log, search) asks of
// persistence. Every backend implements it and passes the contract suite
// (tests/storage/records_store_contract_test.cc): each call's writes land
// together or not at all; errors are kInvalidArgument for malformed input,
// kNotFound for an absent record, kConflict for a refused state change,
// kCatalog for the backend's own failures.
//
// Thread safety: an instance is NOT thread-safe; use one per thread. Several
// instances (threads or processes) may use one archive at once.
class RecordsStore {
 public:
  virtual ~RecordsStore() = default;


  // Assigns the next code by the coding rule (year = current UTC year).
  // kind must be "company" or "person"; name and actor must not be blank
  // (kInvalidArgument). Codes are never reused. Writes history rows.
  virtual Result<Customer> AddCustomer(const std::string& name, const std::string& kind,
                               const std::string& actor) = 0;
  // code is validated first (check character); kNotFound if absent.
  virtual Result<Customer> FindCustomer(const std::string& code) = 0;
  virtual Result<std::vector<Customer>> ListCustomers() = 0;
  // Customers whose name contains `part` (Latin letters in any case,
  // full-width forms folded), ordered by id; kInvalidArgument if blank.
  virtual Result<std::vector<Customer>> FindCustomersByName(
      const std::string& part) = 0;
  // AddCustomer with its values (UpdateCustomer's checks: a USCC another
  // customer has is kConflict) and its group parent, in one transaction:
  // a refusal leaves no customer and uses up no code.
  virtual Result<Customer> AddCustomerFile(const NewCustomer& customer,
                                           const std::string& actor) = 0;

  // The document ingested earlier from the same input, if any.
  virtual Result<std::optional<DocumentRecord>> FindDocumentBySourceKey(
      const std::string& customer_code, const std::string& source_key) = 0;
  // Inserts document, pages, words and search index rows in one transaction.
  // If the customer already has a document with the same non-empty
  // source_key, returns that one unchanged (idempotent ingest).
  // REQUIRES: type is one of the listed types; pages numbered 1..n in order
  // (at least one); pdf_sha256 is 64 lower-case hex digits; created_by is not
  // empty. kInvalidArgument otherwise, kNotFound for an unknown customer.
  // Page text is stored NormalizeText'ed.
  virtual Result<DocumentRecord> AddDocument(const NewDocument& doc) = 0;
  // Accepts "D000012", "d12" or "12"; kNotFound if absent.
  virtual Result<DocumentRecord> GetDocument(const std::string& id) = 0;
  // The filed document with this archive number (DA-2026-HT-000001-K, any
  // case); kInvalidArgument for a malformed number or a wrong check
  // character, kNotFound if no document has it.
  virtual Result<DocumentRecord> FindDocumentByArchiveNumber(
      const std::string& archive_number) = 0;
  // Pages in order; kNotFound if the document does not exist.
  virtual Result<std::vector<PageRecord>> GetPages(std::int64_t document_id,
                                           bool with_words) = 0;
  // Empty customer_code lists all documents; ordered by id.
  virtual Result<std::vector<DocumentRecord>> ListDocuments(
      const std::string& customer_code) = 0;
  // Files kept with the document (NewDocument::files), in insertion order;
  // kNotFound if the document does not exist.
  virtual Result<std::vector<DocumentFile>> GetDocumentFiles(
      std::int64_t document_id) = 0;
  // Perceptual hashes of every hashed page of documents not destroyed,
  // ordered by document and page.
  virtual Result<std::vector<PageHash>> ListPageHashes() = 0;

  // Ranked full-text search. Terms are ANDed; each term matches as a
  // substring for CJK (1 character and up) and as a case-insensitive word
  // for Latin text. Empty or all-punctuation input gives kInvalidArgument.
  // A customer_code filter is validated (kInvalidArgument, kNotFound);
  // limit must be 1..1000.
  virtual Result<std::vector<SearchHit>> Search(const SearchQuery& query) = 0;

  virtual int SchemaVersion() const = 0;

  // --- Customer files (catalog_customers.cc) --------------------------------
  // Changes the given fields, recording each old value in history.
  // kInvalidArgument for an empty name or a bad kind; a USCC already used
  // by another customer is kConflict.
  virtual Result<Customer> UpdateCustomer(const std::string& code,
                                  const CustomerUpdate& update,
                                  const std::string& actor) = 0;
  // Makes child a member of parent's group; parent_code '' unlinks.
  // kConflict if the link would make a cycle.
  virtual Result<Customer> LinkCustomer(const std::string& child_code,
                                const std::string& parent_code,
                                const std::string& actor) = 0;
  // The customer and all its subsidiaries, recursively, parent first.
  virtual Result<std::vector<Customer>> GroupMembers(const std::string& code) = 0;
  // REQUIRES: role and name not blank. Returns the stored contact.
  virtual Result<Contact> AddContact(const Contact& contact, const std::string& actor) = 0;
  virtual Result<std::vector<Contact>> ListContacts(const std::string& code) = 0;
  // Customers whose USCC equals a *uscc field or whose name equals a party
  // or customer_name field of a document.
  virtual Result<std::vector<CustomerMatch>> MatchCustomers(
      const std::vector<DocumentField>& fields) = 0;

  // --- Review and filing (catalog_review.cc) --------------------------------
  virtual Result<std::vector<DocumentRecord>> ListDocumentsByStatus(
      const std::string& status) = 0;
  virtual Result<std::vector<DocumentField>> GetDocumentFields(const std::string& id) = 0;
  // Sets (or with value nullopt removes) one field of a pending document,
  // as entered by the reviewer; the caller has normalised the value.
  // kConflict unless the document is pending.
  virtual Status SetDocumentField(const std::string& id, const std::string& name,
                          const std::optional<std::string>& value,
                          const std::string& actor) = 0;
  // Files a pending document: gives it the next archive number of its
  // type and year (docs/coding-rule.md) and status filed. kConflict if the
  // actor created the document (someone else must review), if it is not
  // pending, or if a field still has a problem.
  virtual Result<DocumentRecord> ApproveDocument(const std::string& id,
                                         const std::string& actor) = 0;
  // Moves a document to another customer file and/or changes its type or
  // title, in one transaction, writing history (old -> new) for each change
  // and the reason (field refile_reason). Pending, filed and rejected
  // documents can be refiled; replaced and destroyed ones are kConflict.
  // A filed document whose type changes gets a new archive number of the
  // new type in its filing year (docs/coding-rule.md); the old number stays
  // in history and is never issued again. kInvalidArgument for a blank
  // reason, an unknown type, a blank title or no change at all.
  virtual Result<RefileOutcome> RefileDocument(const RefileRequest& request) = 0;
  // Rejects a pending document with a reason (required); it stays stored.
  virtual Result<DocumentRecord> RejectDocument(const std::string& id,
                                        const std::string& reason,
                                        const std::string& actor) = 0;
  // A pending rescan replaces a rejected document of the same customer:
  // the old one becomes replaced, the new one records what it replaces.
  virtual Result<DocumentRecord> ReplaceDocument(const std::string& rejected_id,
                                         const std::string& rescan_id,
                                         const std::string& actor) = 0;

  // --- History (catalog_history.cc) -----------------------------------------
  // Every recorded change to the customer and its contacts, oldest first.
  virtual Result<std::vector<HistoryEntry>> CustomerHistory(const std::string& code) = 0;
  // Every recorded change to the document and its fields, oldest first.
  virtual Result<std::vector<HistoryEntry>> DocumentHistory(const std::string& id) = 0;

  // Archive settings, one JSON document per section (e.g. "scan-profiles",
  // "lending"). Get returns nullopt for a section never set. Put replaces
  // the section's value (must be valid JSON) and records the old value in
  // history; kInvalidArgument for invalid JSON or an empty section name.
  virtual Result<std::optional<std::string>> GetSetting(const std::string& section) = 0;
  virtual Status PutSetting(const std::string& section, const std::string& json_value,
                    const std::string& actor) = 0;

  // The archive's time zone: the "site" setting's "timezone" (an IANA
  // name), else the machine's zone. Times are stored in UTC and shown, and
  // calendar days (due dates, overdue, retention) reckoned, in this zone.
  virtual TimeZone Zone() = 0;
  // Sets the zone (kInvalidArgument for a name ICU does not know); the old
  // value is kept in history like every setting.
  virtual Status SetZone(const std::string& name, const std::string& actor) = 0;

  // Fixity and PDF/A check results of a document's stored file, kept as a
  // log: one row per check, at ingest ("ingest") and by `dossier verify`.
  virtual Status RecordVerification(std::int64_t document_id,
                            const Verification& verification) = 0;
  // The newest check of the document, nullopt if never checked.
  virtual Result<std::optional<Verification>> LastVerification(std::int64_t document_id) = 0;
};

}  // namespace dossier::storage
