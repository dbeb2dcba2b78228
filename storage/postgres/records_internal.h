// Internal to storage/postgres/records*.cc: lookups and writes that run
// inside the caller's transaction (PgRecords splits its methods by topic:
// records.cc customers, contacts, history, settings; records_documents.cc
// documents and review; records_search.cc search).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "storage/records_codec.h"
#include "storage/postgres/database.h"
#include "storage/records_store.h"

namespace dossier::storage::postgres {

// records::ValidateCustomerCode, then the upper-cased code.
Result<std::string> CanonicalCustomerCode(std::string_view code);

// kNotFound naming the code if absent.
Result<Customer> CustomerByCode(Tx& tx, const std::string& canonical);
Result<std::int64_t> CustomerIdByCode(Tx& tx, const std::string& canonical);

// kInvalidArgument for a malformed id, kNotFound if absent.
Result<DocumentRecord> DocumentByText(Tx& tx, const std::string& id);
Result<std::optional<DocumentRecord>> DocumentById(Tx& tx, std::int64_t id);

// The archive's zone as the "site" setting names it, else the machine's.
TimeZone ZoneIn(Tx& tx);

// Stations taking the next number of a counter table (code_sequence,
// archive_sequence) at once wait for each other here instead of losing a
// serialization race and running again, which under load could use up
// Transact's attempts. REQUIRES: the transaction's first statement. The
// table lock (a mode that conflicts with itself) is granted before the
// transaction's snapshot is taken, so the waiter sees the number the
// other committed; a run still lost now and then (the server's predicate
// locks are coarse) is run again by Transact.
void LockCounter(Tx& tx, std::string_view table);

// Records one change whose new value may be absent (a removed field).
void WriteHistoryRow(Tx& tx, const std::string& table, std::int64_t record_id,
                     const std::string& field,
                     const std::optional<std::string>& old_value,
                     const std::optional<std::string>& new_value,
                     const std::string& actor, const std::string& at);

// A document field as stored, nullopt if the document has none so named;
std::optional<DocumentField> FieldOf(Tx& tx, std::int64_t document_id,
                                     const std::string& name);
// Inserts or replaces one document field and writes its history.
Status PutDocumentField(Tx& tx, std::int64_t document_id, const DocumentField& field,
                        const std::string& actor, const std::string& at);

// Brings the document's search rows in step with the document: its
// metadata line (title, customer name and code, archive number, field
// values; stored in documents.search_meta), customer, type and status.
// Call in the transaction that changed any of them, after the change.
Status ReindexDocument(Tx& tx, std::int64_t document_id);
// ReindexDocument for every document of the customer (a rename).
Status ReindexCustomerDocuments(Tx& tx, std::int64_t customer_id);

}  // namespace dossier::storage::postgres
