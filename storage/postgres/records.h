// PgRecords: the records store (storage/records_store.h) on a PostgreSQL
// catalog (storage/postgres/catalog.h): customer files, contacts, groups,
// documents with their pages, words, fields and kept files, review and
// filing, history, settings, the time zone and the verification log.
//
// Every call is one SERIALIZABLE transaction (Database::Transact), retried
// when it loses a serialization race, so several stations may use one
// database at once. Customer codes and archive numbers come from counter
// rows (code_sequence, archive_sequence) that only grow, behind UNIQUE
// constraints on the numbers: stations taking the next number at once
// wait for each other on the counter table, locked before the
// transaction's snapshot is taken, so the second sees the first's number
// (a serialization failure that still happens, seldom, is run again by
// Transact). No number is
// issued twice, and a refused call uses none up. Every change writes
// history rows in its transaction, as on SQLite.
//
// Search uses the PostgreSQL search index (storage/postgres/search.h): a
// page's page_search row holds its text's tokens (weight D) and the
// document's metadata line (weight B: title, customer name and code,
// archive number, the barcodes of its paper originals (custody,
// storage/postgres/custody.h), field values), written with the page by AddDocument and
// brought in step by every change of the metadata, status, type or
// customer. A query is the shared query language as a tsquery; a page
// matches by its text ("text" hit) or only by the metadata (one
// "metadata" hit per document), as on SQLite.
//
// Domain rules (who may review, what a state allows, how numbers are made)
// are records/'s (records/review.h, records/coding_rule.h); this file only
// loads, asks them and writes.
//
// Thread safety: as RecordsStore, one instance per thread.
// REQUIRES: the PgCatalog outlives the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/postgres/catalog.h"
#include "storage/records_store.h"

namespace dossier::storage::postgres {

class PgRecords : public RecordsStore {
 public:
  explicit PgRecords(PgCatalog& catalog) : catalog_(catalog) {}

  Result<Customer> AddCustomer(const std::string& name, const std::string& kind,
                               const std::string& actor) override;
  Result<Customer> FindCustomer(const std::string& code) override;
  Result<std::vector<Customer>> ListCustomers() override;
  Result<std::vector<Customer>> FindCustomersByName(const std::string& part) override;
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
  Result<std::vector<DocumentFile>> GetDocumentFiles(std::int64_t document_id) override;
  Result<std::vector<PageHash>> ListPageHashes() override;

  Result<std::vector<SearchHit>> Search(const SearchQuery& query) override;

  // The catalog's schema version, -1 if it cannot be read.
  int SchemaVersion() const override;

  Result<Customer> UpdateCustomer(const std::string& code, const CustomerUpdate& update,
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
  Result<DocumentRecord> RejectDocument(const std::string& id, const std::string& reason,
                                        const std::string& actor) override;
  Result<DocumentRecord> ReplaceDocument(const std::string& rejected_id,
                                         const std::string& rescan_id,
                                         const std::string& actor) override;

  Result<std::vector<HistoryEntry>> CustomerHistory(const std::string& code) override;
  Result<std::vector<HistoryEntry>> DocumentHistory(const std::string& id) override;

  Result<std::optional<std::string>> GetSetting(const std::string& section) override;
  Status PutSetting(const std::string& section, const std::string& json_value,
                    const std::string& actor) override;
  // The "site" setting's zone; the machine's zone when unset, unknown, or
  // the catalog cannot be read.
  TimeZone Zone() override;
  Status SetZone(const std::string& name, const std::string& actor) override;

  Status RecordVerification(std::int64_t document_id,
                            const Verification& verification) override;
  Result<std::optional<Verification>> LastVerification(std::int64_t document_id) override;

 private:
  PgCatalog& catalog_;
};

}  // namespace dossier::storage::postgres
