// Customer files, history and review as use cases (operations customer.*,
// record.history, review.*). Entered values are normalised and checked by
// fields::NormalizeField here, before anything is written; an invalid value
// is refused with the reason, never corrected. Results are masked for the
// caller: ID numbers and phones need customer.pii.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/station.h"
#include "storage/records_store.h"

namespace dossier::app {

// Raw values as typed, by field name: uscc, id_number, phone, email,
// address. '' clears a field.
using EnteredValues = std::map<std::string, std::string>;

struct NewCustomerInput {
  std::string name;
  std::string kind = "company";
  std::string parent;  // group parent's code, '' for none
  EnteredValues values;
};
// Every value and the parent are checked before a code is issued.
Result<storage::Customer> AddCustomer(Station& station, const Caller& caller,
                                      const NewCustomerInput& input);

struct CustomerChanges {
  std::optional<std::string> name;
  std::optional<std::string> kind;
  EnteredValues values;
};
Result<storage::Customer> UpdateCustomer(Station& station, const Caller& caller,
                                         const std::string& code,
                                         const CustomerChanges& changes);
// parent '' leaves the group.
Result<storage::Customer> LinkCustomer(Station& station, const Caller& caller,
                                       const std::string& code,
                                       const std::string& parent);

struct NewContactInput {
  std::string customer_code;
  std::string role;  // 法定代表人, 经办人, 财务联系人, ...
  std::string name;
  EnteredValues values;  // phone, email, address
};
Result<storage::Contact> AddContact(Station& station, const Caller& caller,
                                    const NewContactInput& input);

// A customer file as shown: the customer, its group members (parent
// first, the customer itself excluded), contacts and documents.
struct CustomerFile {
  storage::Customer customer;
  std::vector<storage::Customer> members;
  std::vector<storage::Contact> contacts;
  std::vector<storage::DocumentRecord> documents;
};
Result<CustomerFile> ShowCustomer(Station& station, const Caller& caller,
                                  const std::string& code);
// group '' = every customer; else that customer and its subsidiaries,
// parent first. name: only customers whose name contains it ('' = any).
Result<std::vector<storage::Customer>> ListCustomers(
    Station& station, const Caller& caller, const std::string& group,
    const std::string& name = "");

// Every recorded change of a customer file (KH-…) or a document (D…).
Result<std::vector<storage::HistoryEntry>> History(Station& station,
                                                   const Caller& caller,
                                                   const std::string& record);

// --- Review and filing (manual 3.2) -----------------------------------------

Result<std::vector<storage::DocumentRecord>> ReviewQueue(
    Station& station, const Caller& caller, const std::string& status);

struct ReviewPage {
  int number = 0;
  float confidence = 0.f;
  int words = 0;
  std::vector<std::string> doubtful;  // words below the threshold
};
struct ReviewSheet {
  storage::DocumentRecord document;
  std::vector<storage::DocumentField> fields;
  std::vector<storage::CustomerMatch> matches;  // proposed customer links
  std::vector<ReviewPage> pages;  // only pages with doubtful words
};
Result<ReviewSheet> ShowReview(Station& station, const Caller& caller,
                               const std::string& document, float threshold);
// value nullopt removes the field. Returns the stored (normalised) value.
Result<std::optional<std::string>> CorrectField(
    Station& station, const Caller& caller, const std::string& document,
    const std::string& field, const std::optional<std::string>& value);
Result<storage::DocumentRecord> ApproveDocument(Station& station,
                                                const Caller& caller,
                                                const std::string& document);
Result<storage::DocumentRecord> RejectDocument(Station& station,
                                               const Caller& caller,
                                               const std::string& document,
                                               const std::string& reason);
Result<storage::DocumentRecord> ReplaceDocument(Station& station,
                                                const Caller& caller,
                                                const std::string& rejected,
                                                const std::string& rescan);

// --- Refiling ---------------------------------------------------------------

// Moves a document to another customer and/or changes its type or title
// (operation document.refile). Unset members stay. The reason is required
// and kept in the document's history with each old -> new value. Refused
// (kConflict, nothing changed): a destroyed or replaced document, a move
// into the holding customer for unassigned scans, and a move out of a
// customer under an active legal hold (the hold would no longer cover it).
// A filed document whose type changes gets a new archive number
// (docs/coding-rule.md); the old one stays in history.
struct RefileInput {
  std::string document;
  std::optional<std::string> customer;
  std::optional<std::string> type;
  std::optional<std::string> title;
  std::string reason;
};
struct RefileResult {
  storage::DocumentRecord before;
  storage::DocumentRecord after;
};
Result<RefileResult> RefileDocument(Station& station, const Caller& caller,
                                    const RefileInput& input);

// Applies the customer link `review show` proposes (operation review.link):
// refiles the document to the proposed customer, with the match as the
// reason. customer '' takes the only proposal (kConflict when there are
// several, naming them; kNotFound when there is none); else it must be one
// of the proposals.
Result<RefileResult> LinkProposedCustomer(Station& station,
                                          const Caller& caller,
                                          const std::string& document,
                                          const std::string& customer);

// The holding customer for unassigned scans (setting
// capture.review_customer), '' when the archive has none yet. It is
// protected: no contacts, no changes, no group membership either way, and
// a document under it cannot be approved until it is refiled.
Result<std::string> HoldingCustomer(Station& station);

// Masking applied to records for a principal (also used by other faces).
storage::Customer Masked(const Principal& p, storage::Customer c);
storage::Contact Masked(const Principal& p, storage::Contact c);
storage::HistoryEntry Masked(const Principal& p, storage::HistoryEntry e);
storage::DocumentField Masked(const Principal& p, storage::DocumentField f);

}  // namespace dossier::app
