// PgRecords (storage/postgres/records.h): customer files, groups, contacts,
// history, settings, the time zone and the verification log.
#include "storage/postgres/records.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "core/json_text.h"
#include "core/text.h"
#include "records/coding_rule.h"
#include "records/customers.h"
#include "storage/postgres/common.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records_internal.h"

namespace dossier::storage::postgres {
namespace {

constexpr std::string_view kCustomerPrefix = "KH";
constexpr std::int64_t kMaxSequence = 999'999;

// The customer columns ReadCustomer reads, FROM customers c with its parent.
#define DOSSIER_PG_CUSTOMER_SELECT                                          \
  "SELECT c.id, c.code, c.name, c.kind, c.created_at, c.created_by, "      \
  "coalesce(p.code, ''), c.uscc, c.id_number, c.phone, c.email, c.address " \
  "FROM customers c LEFT JOIN customers p ON p.id = c.parent_id "

const Sql kCustomerByCode{"records.customer_by_code",
                          DOSSIER_PG_CUSTOMER_SELECT "WHERE c.code = $1"};
const Sql kCustomerIdByCode{"records.customer_id_by_code",
                            "SELECT id FROM customers WHERE code = $1"};
const Sql kListCustomers{"records.list_customers",
                         DOSSIER_PG_CUSTOMER_SELECT "ORDER BY c.id"};
const Sql kCustomersLike{"records.customers_like",
                         DOSSIER_PG_CUSTOMER_SELECT
                         "WHERE c.name ILIKE $1 ESCAPE '\\' ORDER BY c.id"};
const Sql kCustomersByUscc{"records.customers_by_uscc",
                           DOSSIER_PG_CUSTOMER_SELECT
                           "WHERE c.uscc = $1 ORDER BY c.id"};
const Sql kCustomersByName{"records.customers_by_name",
                           DOSSIER_PG_CUSTOMER_SELECT
                           "WHERE c.name = $1 ORDER BY c.id"};
const Sql kGroup{"records.group",
                 "WITH RECURSIVE grp(gid, depth) AS ("
                 " SELECT $1::bigint, 0 UNION"
                 " SELECT k.id, grp.depth + 1 FROM customers k"
                 " JOIN grp ON k.parent_id = grp.gid) "
                 "SELECT c.id, c.code, c.name, c.kind, c.created_at, c.created_by, "
                 "coalesce(p.code, ''), c.uscc, c.id_number, c.phone, c.email, "
                 "c.address FROM grp JOIN customers c ON c.id = grp.gid "
                 "LEFT JOIN customers p ON p.id = c.parent_id "
                 "ORDER BY grp.depth, c.id"};
#undef DOSSIER_PG_CUSTOMER_SELECT

const Sql kNextCode{
    "records.next_code",
    "INSERT INTO code_sequence (year, last_sequence) VALUES ($1, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_sequence = "
    "code_sequence.last_sequence + 1 RETURNING last_sequence"};
const Sql kInsertCustomer{
    "records.insert_customer",
    "INSERT INTO customers (code, year, sequence, name, kind, created_at, "
    "created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"};
const Sql kUsccOwner{"records.uscc_owner",
                     "SELECT code FROM customers WHERE uscc = $1 AND id <> $2"};
const Sql kSetParent{"records.set_parent",
                     "UPDATE customers SET parent_id = $1 WHERE id = $2"};
const Sql kInsertContact{
    "records.insert_contact",
    "INSERT INTO contacts (customer_id, role, name, phone, email, address, "
    "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
    "RETURNING id"};
const Sql kListContacts{
    "records.list_contacts",
    "SELECT id, role, name, phone, email, address, created_at, created_by "
    "FROM contacts WHERE customer_id = $1 ORDER BY id"};
const Sql kCustomerHistory{
    "records.customer_history",
    "SELECT h.table_name, CASE h.table_name WHEN 'customers' THEN $2::text "
    "ELSE 'contact #' || h.record_id END, h.field, h.old_value, h.new_value, "
    "h.actor, h.at FROM history h "
    "WHERE (h.table_name = 'customers' AND h.record_id = $1) OR "
    "(h.table_name = 'contacts' AND h.record_id IN "
    "(SELECT id FROM contacts WHERE customer_id = $1)) ORDER BY h.id"};
const Sql kDocumentHistory{
    "records.document_history",
    "SELECT h.table_name, '', h.field, h.old_value, h.new_value, h.actor, h.at "
    "FROM history h WHERE h.table_name = 'documents' AND h.record_id = $1 "
    "ORDER BY h.id"};
const Sql kHistoryRow{"records.history_row",
                      "INSERT INTO history (table_name, record_id, field, "
                      "old_value, new_value, actor, at) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7)"};
const Sql kInsertVerification{
    "records.insert_verification",
    "INSERT INTO verifications (document_id, at, actor, kind, fixity_ok, "
    "pdfa_ok, pdfa_level, problems) VALUES ($1, $2, $3, $4, $5, $6, $7, "
    "$8::jsonb)"};
const Sql kLastVerification{
    "records.last_verification",
    "SELECT at, actor, kind, fixity_ok, pdfa_ok, pdfa_level, problems::text "
    "FROM verifications WHERE document_id = $1 ORDER BY id DESC LIMIT 1"};
const Sql kDocumentExists{"records.document_exists",
                          "SELECT 1 FROM documents WHERE id = $1"};

Customer ReadCustomer(const pqxx::row& row) {
  Customer c;
  c.id = Int(row[0]);
  c.code = Text(row[1]);
  c.name = Text(row[2]);
  c.kind = Text(row[3]);
  c.created_at = Text(row[4]);
  c.created_by = Text(row[5]);
  c.parent_code = Text(row[6]);
  c.uscc = Text(row[7]);
  c.id_number = Text(row[8]);
  c.phone = Text(row[9]);
  c.email = Text(row[10]);
  c.address = Text(row[11]);
  return c;
}

std::vector<Customer> ReadCustomers(const pqxx::result& rows) {
  std::vector<Customer> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(ReadCustomer(row));
  return out;
}

std::vector<HistoryEntry> ReadHistory(const pqxx::result& rows) {
  std::vector<HistoryEntry> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    HistoryEntry e;
    e.table = Text(row[0]);
    e.record = Text(row[1]);
    e.field = Text(row[2]);
    if (!row[3].is_null()) e.old_value = Text(row[3]);
    if (!row[4].is_null()) e.new_value = Text(row[4]);
    e.actor = Text(row[5]);
    e.at = Text(row[6]);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Customer> GroupOf(Tx& tx, std::int64_t root) {
  return ReadCustomers(tx.Exec(kGroup, root));
}

// The bodies of UpdateCustomer and LinkCustomer in the caller's
// transaction (AddCustomerFile runs both in its own). Codes are canonical;
// parent '' unlinks.
Result<Customer> ApplyCustomerUpdate(Tx& tx, const std::string& canonical,
                                     const CustomerUpdate& update,
                                     const std::string& actor) {
  auto before = CustomerByCode(tx, canonical);
  if (!before) return std::unexpected(before.error());
  if (update.uscc && !update.uscc->empty()) {
    auto other = tx.Exec(kUsccOwner, *update.uscc, before->id);
    if (!other.empty()) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("customer {}: USCC {} already belongs to {}",
                                   canonical, *update.uscc, Text(other[0][0])));
    }
  }
  const std::string now = NowUtc();
  for (const ColumnChange& c : CustomerChanges(update, *before)) {
    tx.raw().exec_params(
        fmt::format("UPDATE customers SET {} = $1 WHERE id = $2", c.column),
        c.new_value, before->id);
    WriteHistory(tx, "customers", before->id, c.column, c.old_value,
                 c.new_value, actor, now);
  }
  if (update.name && *update.name != before->name) {
    if (auto s = ReindexCustomerDocuments(tx, before->id); !s) {
      return std::unexpected(s.error());
    }
  }
  return CustomerByCode(tx, canonical);
}

Result<Customer> ApplyCustomerLink(Tx& tx, const std::string& child_code,
                                   const std::string& parent,
                                   const std::string& actor) {
  auto before = CustomerByCode(tx, child_code);
  if (!before) return std::unexpected(before.error());
  std::optional<std::int64_t> parent_id;
  if (!parent.empty()) {
    auto p = CustomerByCode(tx, parent);
    if (!p) return std::unexpected(p.error());
    // The parent must not be the child or one of its members.
    for (const Customer& m : GroupOf(tx, before->id)) {
      if (m.id == p->id) {
        return MakeError(ErrorCode::kConflict,
                         fmt::format("customer {} cannot join the group of {}: "
                                     "{} is already in {}'s group",
                                     child_code, parent, parent, child_code));
      }
    }
    parent_id = p->id;
  }
  if (before->parent_code == parent) return before;
  tx.Exec(kSetParent, parent_id, before->id);
  WriteHistory(tx, "customers", before->id, "parent", before->parent_code,
               parent, actor, NowUtc());
  return CustomerByCode(tx, child_code);
}

}  // namespace

// --- Helpers shared by records*.cc -----------------------------------------

Result<std::string> CanonicalCustomerCode(std::string_view code) {
  return records::CanonicalCustomerCode(code);
}

Result<Customer> CustomerByCode(Tx& tx, const std::string& canonical) {
  auto rows = tx.Exec(kCustomerByCode, canonical);
  if (rows.empty()) return MakeError(ErrorCode::kNotFound, "no customer " + canonical);
  return ReadCustomer(rows[0]);
}

Result<std::int64_t> CustomerIdByCode(Tx& tx, const std::string& canonical) {
  auto rows = tx.Exec(kCustomerIdByCode, canonical);
  if (rows.empty()) return MakeError(ErrorCode::kNotFound, "no customer " + canonical);
  return Int(rows[0][0]);
}

TimeZone ZoneIn(Tx& tx) {
  auto value = GetSetting(tx, "site");
  if (value) {
    auto j = nlohmann::json::parse(*value, nullptr, false);
    if (j.is_object() && j.contains("timezone") && j["timezone"].is_string()) {
      if (auto zone = TimeZone::Named(j["timezone"].get<std::string>())) {
        return *zone;
      }
    }
  }
  return TimeZone::Machine();
}

void LockCounter(Tx& tx, std::string_view table) {
  tx.Run(fmt::format("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE", table));
}

void WriteHistoryRow(Tx& tx, const std::string& table, std::int64_t record_id,
                     const std::string& field,
                     const std::optional<std::string>& old_value,
                     const std::optional<std::string>& new_value,
                     const std::string& actor, const std::string& at) {
  tx.Exec(kHistoryRow, table, record_id, field, old_value, new_value, actor, at);
}

// --- Customers ----------------------------------------------------------------

Result<Customer> PgRecords::AddCustomer(const std::string& name,
                                        const std::string& kind,
                                        const std::string& actor) {
  NewCustomer input;
  input.name = name;
  input.kind = kind;
  return AddCustomerFile(input, actor);
}

Result<Customer> PgRecords::AddCustomerFile(const NewCustomer& input,
                                            const std::string& actor) {
  const std::string& kind = input.kind;
  const std::string clean_name = TrimSpace(input.name);
  if (auto s = records::CheckNewCustomer(clean_name, kind, actor); !s) {
    return std::unexpected(s.error());
  }
  std::string parent;
  if (!input.parent_code.empty()) {
    auto p = CanonicalCustomerCode(input.parent_code);
    if (!p) return std::unexpected(p.error());
    parent = *p;
  }
  // One transaction for the code, the values and the group link: a refused
  // value leaves no customer and no used code.
  return catalog_.db().Transact(
      "adding customer '" + clean_name + "'", [&](Tx& tx) -> Result<Customer> {
        LockCounter(tx, "code_sequence");
        const std::string now = NowUtc();
        const int year = ZoneIn(tx).LocalYear(Now());  // the local year of filing
        const std::int64_t sequence = Int(tx.Exec(kNextCode, year)[0][0]);
        if (sequence > kMaxSequence) {
          return MakeError(ErrorCode::kConflict,
                           fmt::format("all {} customer codes of {} are used",
                                       kMaxSequence, year));
        }
        const std::string code = records::FormatCustomerCode(
            kCustomerPrefix, year, static_cast<int>(sequence));
        const std::int64_t id = Int(tx.Exec(kInsertCustomer, code, year, sequence,
                                            clean_name, kind, now, actor)[0][0]);
        for (const auto& [field, value] :
             {std::pair<const char*, const std::string&>{"code", code},
              {"name", clean_name},
              {"kind", kind}}) {
          WriteHistory(tx, "customers", id, field, std::nullopt, value, actor, now);
        }
        CustomerUpdate values = input.values;
        values.name.reset();
        values.kind.reset();
        auto customer = ApplyCustomerUpdate(tx, code, values, actor);
        if (!customer) return std::unexpected(customer.error());
        if (!parent.empty()) {
          customer = ApplyCustomerLink(tx, code, parent, actor);
        }
        return customer;
      });
}

Result<Customer> PgRecords::FindCustomer(const std::string& code) {
  auto canonical = CanonicalCustomerCode(code);
  if (!canonical) return std::unexpected(canonical.error());
  return catalog_.db().Transact("looking up customer " + *canonical,
                                [&](Tx& tx) { return CustomerByCode(tx, *canonical); });
}

Result<std::vector<Customer>> PgRecords::ListCustomers() {
  return catalog_.db().Transact(
      "listing customers", [&](Tx& tx) -> Result<std::vector<Customer>> {
        return ReadCustomers(tx.Exec(kListCustomers));
      });
}

Result<std::vector<Customer>> PgRecords::FindCustomersByName(const std::string& part) {
  const std::string needle = NormalizeText(TrimSpace(part));
  if (needle.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a customer name to look for is empty");
  }
  std::string pattern = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return catalog_.db().Transact(
      "looking up customers named like '" + needle + "'",
      [&](Tx& tx) -> Result<std::vector<Customer>> {
        return ReadCustomers(tx.Exec(kCustomersLike, pattern));
      });
}

Result<Customer> PgRecords::UpdateCustomer(const std::string& code,
                                           const CustomerUpdate& update,
                                           const std::string& actor) {
  auto canonical = CanonicalCustomerCode(code);
  if (!canonical) return std::unexpected(canonical.error());
  if (auto s = records::CheckCustomerUpdate(*canonical, update.name,
                                             update.kind, actor);
      !s) {
    return std::unexpected(s.error());
  }
  return catalog_.db().Transact("updating customer " + *canonical, [&](Tx& tx) {
    return ApplyCustomerUpdate(tx, *canonical, update, actor);
  });
}

Result<Customer> PgRecords::LinkCustomer(const std::string& child_code,
                                         const std::string& parent_code,
                                         const std::string& actor) {
  auto child = CanonicalCustomerCode(child_code);
  if (!child) return std::unexpected(child.error());
  std::string parent;
  if (!parent_code.empty()) {
    auto p = CanonicalCustomerCode(parent_code);
    if (!p) return std::unexpected(p.error());
    parent = *p;
  }
  return catalog_.db().Transact("linking customer " + *child, [&](Tx& tx) {
    return ApplyCustomerLink(tx, *child, parent, actor);
  });
}

Result<std::vector<Customer>> PgRecords::GroupMembers(const std::string& code) {
  auto canonical = CanonicalCustomerCode(code);
  if (!canonical) return std::unexpected(canonical.error());
  return catalog_.db().Transact(
      "listing the group of " + *canonical,
      [&](Tx& tx) -> Result<std::vector<Customer>> {
        auto root = CustomerIdByCode(tx, *canonical);
        if (!root) return std::unexpected(root.error());
        return GroupOf(tx, *root);
      });
}

Result<Contact> PgRecords::AddContact(const Contact& contact, const std::string& actor) {
  auto code = CanonicalCustomerCode(contact.customer_code);
  if (!code) return std::unexpected(code.error());
  if (TrimSpace(contact.role).empty() || TrimSpace(contact.name).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a contact of " + *code + " needs a role and a name");
  }
  if (TrimSpace(actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "adding a contact needs the acting user");
  }
  return catalog_.db().Transact(
      "adding a contact to " + *code, [&](Tx& tx) -> Result<Contact> {
        auto customer_id = CustomerIdByCode(tx, *code);
        if (!customer_id) return std::unexpected(customer_id.error());
        Contact stored = contact;
        stored.customer_code = *code;
        stored.role = TrimSpace(contact.role);
        stored.name = TrimSpace(contact.name);
        stored.created_at = NowUtc();
        stored.created_by = actor;
        stored.id = Int(tx.Exec(kInsertContact, *customer_id, stored.role,
                                stored.name, stored.phone, stored.email,
                                stored.address, stored.created_at, actor)[0][0]);
        for (const auto& [field, value] :
             {std::pair<const char*, const std::string&>{"role", stored.role},
              {"name", stored.name},
              {"phone", stored.phone},
              {"email", stored.email},
              {"address", stored.address}}) {
          if (value.empty()) continue;
          WriteHistory(tx, "contacts", stored.id, field, std::nullopt, value,
                       actor, stored.created_at);
        }
        return stored;
      });
}

Result<std::vector<Contact>> PgRecords::ListContacts(const std::string& code) {
  auto canonical = CanonicalCustomerCode(code);
  if (!canonical) return std::unexpected(canonical.error());
  return catalog_.db().Transact(
      "listing the contacts of " + *canonical,
      [&](Tx& tx) -> Result<std::vector<Contact>> {
        auto customer_id = CustomerIdByCode(tx, *canonical);
        if (!customer_id) return std::unexpected(customer_id.error());
        std::vector<Contact> out;
        for (const auto& row : tx.Exec(kListContacts, *customer_id)) {
          Contact c;
          c.id = Int(row[0]);
          c.customer_code = *canonical;
          c.role = Text(row[1]);
          c.name = Text(row[2]);
          c.phone = Text(row[3]);
          c.email = Text(row[4]);
          c.address = Text(row[5]);
          c.created_at = Text(row[6]);
          c.created_by = Text(row[7]);
          out.push_back(std::move(c));
        }
        return out;
      });
}

Result<std::vector<CustomerMatch>> PgRecords::MatchCustomers(
    const std::vector<DocumentField>& fields) {
  return catalog_.db().Transact(
      "matching fields to customers",
      [&](Tx& tx) -> Result<std::vector<CustomerMatch>> {
        std::vector<CustomerMatch> out;
        std::set<std::int64_t> seen;
        for (const DocumentField& f : fields) {
          if (!f.problem.empty() || f.value.empty()) continue;
          const bool by_uscc = f.name.ends_with("uscc");
          const bool by_name = f.name == "party_a" || f.name == "party_b" ||
                               f.name == "customer_name";
          if (!by_uscc && !by_name) continue;
          auto found = ReadCustomers(
              tx.Exec(by_uscc ? kCustomersByUscc : kCustomersByName, f.value));
          for (Customer& c : found) {
            if (!seen.insert(c.id).second) continue;
            out.push_back(CustomerMatch{
                std::move(c), fmt::format("{} {} matches", f.name, f.value)});
          }
        }
        return out;
      });
}

// --- History ------------------------------------------------------------------

Result<std::vector<HistoryEntry>> PgRecords::CustomerHistory(const std::string& code) {
  auto canonical = CanonicalCustomerCode(code);
  if (!canonical) return std::unexpected(canonical.error());
  return catalog_.db().Transact(
      "reading the history of " + *canonical,
      [&](Tx& tx) -> Result<std::vector<HistoryEntry>> {
        auto id = CustomerIdByCode(tx, *canonical);
        if (!id) return std::unexpected(id.error());
        return ReadHistory(tx.Exec(kCustomerHistory, *id, *canonical));
      });
}

Result<std::vector<HistoryEntry>> PgRecords::DocumentHistory(const std::string& id) {
  return catalog_.db().Transact(
      "reading the history of document " + id,
      [&](Tx& tx) -> Result<std::vector<HistoryEntry>> {
        auto doc = DocumentByText(tx, id);
        if (!doc) return std::unexpected(doc.error());
        auto entries = ReadHistory(tx.Exec(kDocumentHistory, doc->id));
        for (HistoryEntry& e : entries) e.record = doc->display_id;
        return entries;
      });
}

// --- Settings and the time zone ---------------------------------------------

Result<std::optional<std::string>> PgRecords::GetSetting(const std::string& section) {
  return catalog_.db().Transact(
      "reading setting " + section,
      [&](Tx& tx) -> Result<std::optional<std::string>> {
        return postgres::GetSetting(tx, section);
      });
}

Status PgRecords::PutSetting(const std::string& section, const std::string& json_value,
                             const std::string& actor) {
  return catalog_.db().Transact("saving setting " + section, [&](Tx& tx) {
    return postgres::PutSetting(tx, section, json_value, actor);
  });
}

TimeZone PgRecords::Zone() {
  auto zone = catalog_.db().Transact(
      "reading the archive's time zone",
      [&](Tx& tx) -> Result<TimeZone> { return ZoneIn(tx); });
  return zone ? *zone : TimeZone::Machine();
}

Status PgRecords::SetZone(const std::string& name, const std::string& actor) {
  auto zone = TimeZone::Named(name);
  if (!zone) return std::unexpected(zone.error());
  return catalog_.db().Transact("setting the time zone", [&](Tx& tx) -> Status {
    nlohmann::json site = nlohmann::json::object();
    if (auto value = postgres::GetSetting(tx, "site")) {
      auto j = nlohmann::json::parse(*value, nullptr, false);
      if (j.is_object()) site = j;
    }
    site["timezone"] = zone->name();
    return postgres::PutSetting(tx, "site", DumpJson(site), actor);
  });
}

// --- Verification log ---------------------------------------------------------

Status PgRecords::RecordVerification(std::int64_t document_id, const Verification& v) {
  const std::string what = "recording the check of " + DisplayId(document_id);
  if (v.kind != "ingest" && v.kind != "verify") {
    return MakeError(ErrorCode::kInvalidArgument, what + ": unknown kind '" + v.kind + "'");
  }
  return catalog_.db().Transact(what, [&](Tx& tx) -> Status {
    if (tx.Exec(kDocumentExists, document_id).empty()) {
      return MakeError(ErrorCode::kNotFound, "no document " + DisplayId(document_id));
    }
    tx.Exec(kInsertVerification, document_id, v.at.empty() ? NowUtc() : v.at,
            v.actor, v.kind, v.fixity_ok, v.pdfa_ok, v.pdfa_level,
            DumpJson(nlohmann::json(v.problems)));
    return Ok();
  });
}

Result<std::optional<Verification>> PgRecords::LastVerification(
    std::int64_t document_id) {
  return catalog_.db().Transact(
      "reading the checks of " + DisplayId(document_id),
      [&](Tx& tx) -> Result<std::optional<Verification>> {
        auto rows = tx.Exec(kLastVerification, document_id);
        if (rows.empty()) return std::optional<Verification>();
        const auto& row = rows[0];
        Verification v;
        v.at = Text(row[0]);
        v.actor = Text(row[1]);
        v.kind = Text(row[2]);
        v.fixity_ok = row[3].as<bool>();
        v.pdfa_ok = row[4].as<bool>();
        v.pdfa_level = Text(row[5]);
        auto problems = nlohmann::json::parse(Text(row[6]), nullptr, false);
        if (problems.is_array()) {
          for (const auto& p : problems) {
            if (p.is_string()) v.problems.push_back(p.get<std::string>());
          }
        }
        return std::optional<Verification>(std::move(v));
      });
}

int PgRecords::SchemaVersion() const {
  auto version = catalog_.SchemaVersion();
  return version ? *version : -1;
}

}  // namespace dossier::storage::postgres
