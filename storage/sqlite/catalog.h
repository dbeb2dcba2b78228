// Catalog: the SQLite database of an archive (customers, documents, pages,
// OCR words, search index), the SQLite implementation of
// storage::RecordsStore (storage/records_store.h).
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

#include "core/clock.h"
#include "core/result.h"
#include "storage/records_store.h"
#include "storage/table_source.h"

namespace dossier::storage {

// The schema version a new or upgraded catalog has (docs/catalog.md).
int LatestSchemaVersion();

// The SQLite implementation of RecordsStore (and the connection the
// SQLite custody, access and retention stores share).
class Catalog final : public RecordsStore {
 public:
  // Opens an existing catalog file, upgrading its schema if older.
  static Result<std::unique_ptr<Catalog>> Open(const std::filesystem::path& db);
  // Creates a new catalog file; error if it exists.
  static Result<std::unique_ptr<Catalog>> Create(const std::filesystem::path& db);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;
  Result<Customer> AddCustomer(const std::string& name, const std::string& kind,
                               const std::string& actor) override;
  Result<Customer> FindCustomer(const std::string& code) override;
  Result<std::vector<Customer>> ListCustomers() override;
  Result<std::vector<Customer>> FindCustomersByName(
      const std::string& part) override;
  Result<Customer> AddCustomerFile(const NewCustomer& customer,
                                   const std::string& actor) override;
  Result<std::optional<DocumentRecord>> FindDocumentBySourceKey(
      const std::string& customer_code, const std::string& source_key) override;
  Result<DocumentRecord> AddDocument(const NewDocument& doc) override;
  Result<DocumentRecord> GetDocument(const std::string& id) override;
  Result<DocumentRecord> FindDocumentByArchiveNumber(
      const std::string& archive_number) override;
  Result<std::vector<PageRecord>> GetPages(std::int64_t document_id,
                                           bool with_words) override;
  Result<std::vector<DocumentRecord>> ListDocuments(
      const std::string& customer_code) override;
  Result<std::vector<DocumentFile>> GetDocumentFiles(
      std::int64_t document_id) override;
  Result<std::vector<PageHash>> ListPageHashes() override;
  Result<std::vector<SearchHit>> Search(const SearchQuery& query) override;
  int SchemaVersion() const override;
  Result<Customer> UpdateCustomer(const std::string& code,
                                  const CustomerUpdate& update,
                                  const std::string& actor) override;
  Result<Customer> LinkCustomer(const std::string& child_code,
                                const std::string& parent_code,
                                const std::string& actor) override;
  Result<std::vector<Customer>> GroupMembers(const std::string& code) override;
  Result<Contact> AddContact(const Contact& contact, const std::string& actor) override;
  Result<std::vector<Contact>> ListContacts(const std::string& code) override;
  Result<std::vector<CustomerMatch>> MatchCustomers(
      const std::vector<DocumentField>& fields) override;
  Result<std::vector<DocumentRecord>> ListDocumentsByStatus(
      const std::string& status) override;
  Result<std::vector<DocumentField>> GetDocumentFields(const std::string& id) override;
  Status SetDocumentField(const std::string& id, const std::string& name,
                          const std::optional<std::string>& value,
                          const std::string& actor) override;
  Result<DocumentRecord> ApproveDocument(const std::string& id,
                                         const std::string& actor) override;
  Result<RefileOutcome> RefileDocument(const RefileRequest& request) override;
  Result<DocumentRecord> RejectDocument(const std::string& id,
                                        const std::string& reason,
                                        const std::string& actor) override;
  Result<DocumentRecord> ReplaceDocument(const std::string& rejected_id,
                                         const std::string& rescan_id,
                                         const std::string& actor) override;
  Result<std::vector<HistoryEntry>> CustomerHistory(const std::string& code) override;
  Result<std::vector<HistoryEntry>> DocumentHistory(const std::string& id) override;
  Result<std::optional<std::string>> GetSetting(const std::string& section) override;
  Status PutSetting(const std::string& section, const std::string& json_value,
                    const std::string& actor) override;
  TimeZone Zone() override;
  Status SetZone(const std::string& name, const std::string& actor) override;
  Status RecordVerification(std::int64_t document_id,
                            const Verification& verification) override;
  Result<std::optional<Verification>> LastVerification(std::int64_t document_id) override;

  // Brings the search index in step with the document's metadata (title,
  // customer name and code, archive number, original barcodes, field
  // values; storage/catalog_index.cc), in its own transaction. The catalog's
  // own changes call it already; a change made elsewhere (refiling) calls
  // it after its change. kNotFound for an unknown document.
  Status ReindexDocumentMetadata(std::int64_t document_id);

  // Imports a package's customers and documents in one transaction
  // (docs/package-format.md, "Import"): customer codes and archive numbers
  // are kept (the sequences move past them so they are never issued again
  // here); documents get the next ids here. Refused (kConflict, nothing
  // written) when an archive number is already used here, a customer code
  // is used here by a customer of another name, a USCC belongs to another
  // customer, or the document's input is already here (source key). History
  // is copied with actor "imported:NAME", and an "imported_from" entry by
  // the importer names the source. With commit false everything is checked
  // and rolled back. REQUIRES: the PDFs are in the file store (commit true).
  Result<ImportOutcome> ImportPackage(const ImportBatch& batch, bool commit);

  // Every table as rows (storage/table_source.h), for `dossier migrate`.
  // The snapshot holds the catalog's write lock (BEGIN IMMEDIATE) until it
  // is destroyed: what it reads is one moment, and no other process writes
  // meanwhile (they wait, then fail as busy). kConflict if another process
  // is writing now. REQUIRES: the Catalog outlives the snapshot, and this
  // connection runs nothing else while it lives.
  Result<std::unique_ptr<TableSource>> Snapshot();

 private:
  friend class Custody;  // storage/custody.h works on the same connection
  friend class Access;   // storage/access.h works on the same connection
  friend class Retention;  // storage/retention.h, same connection
  friend class SqliteWorkQueue;  // storage/sqlite/work_queue.h, same connection
  struct Impl;  // storage/catalog_impl.h
  explicit Catalog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::storage
