// Internal: state and helpers shared by the catalog_*.cc files, which split
// Catalog's methods by topic (customers, documents, search).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "storage/records_codec.h"
#include "storage/sqlite/catalog.h"
#include "storage/sqlite/sqlite_util.h"

namespace dossier::storage {

struct Catalog::Impl {
  explicit Impl(Database database) : db(std::move(database)) {}
  Database db;
};

// The current time as ISO 8601 UTC with seconds, e.g. 2026-03-01T09:30:00Z,
// and its year (for customer codes).
struct UtcNow {
  std::string iso8601;
  int year = 0;
};
UtcNow CurrentUtc();

// Records one field change: old_value is empty (NULL) for a new record.
Status WriteHistory(const Database& db, std::string_view table,
                    std::int64_t record_id, std::string_view field,
                    const std::optional<std::string>& old_value,
                    std::string_view new_value, std::string_view actor,
                    std::string_view at);

// Customer rows: the SELECT list (table alias-free, FROM customers) and the
// reader for it.
extern const std::string_view kCustomerColumns;
Customer ReadCustomer(const Statement& stmt);

// kInvalidArgument for a malformed id, kNotFound if absent.
Result<DocumentRecord> DocumentByText(const Database& db, const std::string& id);

// Inserts or replaces one document field and writes its history.
Status PutDocumentField(const Database& db, std::int64_t document_id,
                        const DocumentField& field, std::string_view actor,
                        std::string_view at);

// --- The search index (catalog_index.cc) ----------------------------------
// The metadata line indexed for a document: title · customer name · code ·
// archive number · original barcodes · field values, NormalizeText'ed.
Result<std::string> ComputeSearchMeta(const Database& db,
                                      std::int64_t document_id);
// Brings the document's index rows in step with its metadata. Call in the
// transaction that changed the title, type, customer (or its name or code),
// archive number, an original or a field, after the change. Does nothing
// for a destroyed document or unchanged metadata.
Status ReindexDocumentMetadata(const Database& db, std::int64_t document_id);
// ReindexDocumentMetadata for every document of the customer (a rename).
Status ReindexCustomerDocuments(const Database& db, std::int64_t customer_id);
// Removes the document's pages from the index with the values they were
// indexed with; call before their text or metadata goes (destruction).
Status UnindexDocumentPages(const Database& db, std::int64_t document_id);

// Inserts a page, its words and its index row (with the document's meta
// line) (catalog_documents.cc).
Status InsertPage(const Database& db, std::int64_t document_id,
                  const PageRecord& page, const std::string& meta,
                  std::string_view what);
// The document's warnings as stored (JSON).
std::string WarningsToJson(const std::vector<Warning>& warnings);


// ValidateCustomerCode, then the upper-cased code.
Result<std::string> CanonicalCustomerCode(std::string_view code);

// The row id of the customer with this canonical code; kNotFound if absent.
Result<std::int64_t> CustomerIdByCode(const Database& db,
                                      const std::string& code);

// The bodies of UpdateCustomer and LinkCustomer, inside a transaction the
// caller holds (AddCustomerFile runs them in its own). Codes are canonical;
// parent '' unlinks.
Result<Customer> ApplyCustomerUpdate(const Database& db,
                                     const std::string& canonical,
                                     const CustomerUpdate& update,
                                     const std::string& actor);
Result<Customer> ApplyCustomerLink(Catalog& catalog, const Database& db,
                                   const std::string& child_code,
                                   const std::string& parent,
                                   const std::string& actor);

}  // namespace dossier::storage
