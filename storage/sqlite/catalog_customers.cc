// Catalog: customer files beyond AddCustomer: updates, groups, contacts and
// matching extracted fields to existing customers. Every change writes the
// old value to history in the same transaction.
#include <fmt/format.h>

#include <set>

#include "core/text.h"
#include "records/customers.h"
#include "storage/sqlite/catalog.h"
#include "storage/sqlite/catalog_impl.h"

namespace dossier::storage {
namespace {

Result<Customer> CustomerByCode(const Database& db, const std::string& code) {
  auto stmt = db.Prepare(
      fmt::format("SELECT {} FROM customers WHERE code = ?1", kCustomerColumns),
      "reading customer " + code);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, code);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "no customer " + code);
  return ReadCustomer(*stmt);
}

Result<std::vector<Customer>> QueryCustomers(Statement& stmt) {
  std::vector<Customer> out;
  while (true) {
    auto row = stmt.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back(ReadCustomer(stmt));
  }
  return out;
}

}  // namespace

Result<Customer> ApplyCustomerUpdate(const Database& db,
                                     const std::string& canonical,
                                     const CustomerUpdate& update,
                                     const std::string& actor) {
  const std::string what = "updating customer " + canonical;
  auto before = CustomerByCode(db, canonical);
  if (!before) return std::unexpected(before.error());
  if (update.uscc && !update.uscc->empty()) {
    auto other = db.Prepare(
        "SELECT code FROM customers WHERE uscc = ?1 AND id <> ?2", what);
    if (!other) return std::unexpected(other.error());
    other->Bind(1, *update.uscc).Bind(2, before->id);
    auto row = other->Step();
    if (!row) return std::unexpected(row.error());
    if (*row) {
      return MakeError(ErrorCode::kConflict,
                       fmt::format("customer {}: USCC {} already belongs to {}",
                                   canonical, *update.uscc,
                                   other->ColumnText(0)));
    }
  }
  const UtcNow now = CurrentUtc();
  for (const ColumnChange& c : CustomerChanges(update, *before)) {
    auto set = db.Prepare(
        fmt::format("UPDATE customers SET {} = ?1 WHERE id = ?2", c.column),
        what);
    if (!set) return std::unexpected(set.error());
    set->Bind(1, c.new_value).Bind(2, before->id);
    if (auto s = set->Run(); !s) return std::unexpected(s.error());
    if (auto s = WriteHistory(db, "customers", before->id, c.column, c.old_value,
                              c.new_value, actor, now.iso8601);
        !s) {
      return std::unexpected(s.error());
    }
  }
  if (update.name && *update.name != before->name) {
    if (auto s = ReindexCustomerDocuments(db, before->id); !s) {
      return std::unexpected(s.error());
    }
  }
  return CustomerByCode(db, canonical);
}

Result<Customer> ApplyCustomerLink(Catalog& catalog, const Database& db,
                                   const std::string& child_code,
                                   const std::string& parent,
                                   const std::string& actor) {
  const std::string what = "linking customer " + child_code;
  auto before = CustomerByCode(db, child_code);
  if (!before) return std::unexpected(before.error());
  std::optional<std::int64_t> parent_id;
  if (!parent.empty()) {
    auto p = CustomerByCode(db, parent);
    if (!p) return std::unexpected(p.error());
    // The parent must not be the child or one of its members.
    auto members = catalog.GroupMembers(child_code);
    if (!members) return std::unexpected(members.error());
    for (const Customer& m : *members) {
      if (m.id == p->id) {
        return MakeError(ErrorCode::kConflict,
                         fmt::format("customer {} cannot join the group of {}: "
                                     "{} is already in {}'s group",
                                     child_code, parent, parent, child_code));
      }
    }
    parent_id = p->id;
  }
  if (before->parent_code == parent) {
    return before;
  }
  auto set = db.Prepare("UPDATE customers SET parent_id = ?1 WHERE id = ?2",
                        what);
  if (!set) return std::unexpected(set.error());
  if (parent_id) {
    set->Bind(1, *parent_id);
  } else {
    set->BindNull(1);
  }
  set->Bind(2, before->id);
  if (auto s = set->Run(); !s) return std::unexpected(s.error());
  const UtcNow now = CurrentUtc();
  if (auto s = WriteHistory(db, "customers", before->id, "parent",
                            before->parent_code, parent, actor, now.iso8601);
      !s) {
    return std::unexpected(s.error());
  }
  return CustomerByCode(db, child_code);
}

Result<Customer> Catalog::UpdateCustomer(const std::string& code,
                                         const CustomerUpdate& update,
                                         const std::string& actor) {
  auto canonical = CanonicalCustomerCode(code);
  if (!canonical) return std::unexpected(canonical.error());
  if (auto s = records::CheckCustomerUpdate(*canonical, update.name,
                                             update.kind, actor);
      !s) {
    return std::unexpected(s.error());
  }
  const Database& db = impl_->db;
  auto tx = Transaction::Begin(db, "updating customer " + *canonical);
  if (!tx) return std::unexpected(tx.error());
  auto after = ApplyCustomerUpdate(db, *canonical, update, actor);
  if (!after) return std::unexpected(after.error());
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return after;
}

Result<Customer> Catalog::LinkCustomer(const std::string& child_code,
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
  const Database& db = impl_->db;
  auto tx = Transaction::Begin(db, "linking customer " + *child);
  if (!tx) return std::unexpected(tx.error());
  auto after = ApplyCustomerLink(*this, db, *child, parent, actor);
  if (!after) return std::unexpected(after.error());
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return after;
}

Result<std::vector<Customer>> Catalog::GroupMembers(const std::string& code) {
  auto canonical = CanonicalCustomerCode(code);
  if (!canonical) return std::unexpected(canonical.error());
  auto root = CustomerIdByCode(impl_->db, *canonical);
  if (!root) return std::unexpected(root.error());
  auto stmt = impl_->db.Prepare(
      fmt::format("WITH RECURSIVE grp(gid, depth) AS ("
                  " SELECT ?1, 0 UNION"
                  " SELECT c.id, grp.depth + 1 FROM customers c"
                  " JOIN grp ON c.parent_id = grp.gid) "
                  "SELECT {} FROM customers JOIN grp ON grp.gid = customers.id "
                  "ORDER BY grp.depth, customers.id",
                  kCustomerColumns),
      "listing the group of " + *canonical);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, *root);
  return QueryCustomers(*stmt);
}

Result<Contact> Catalog::AddContact(const Contact& contact,
                                    const std::string& actor) {
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
  const Database& db = impl_->db;
  const std::string what = "adding a contact to " + *code;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  auto customer_id = CustomerIdByCode(db, *code);
  if (!customer_id) return std::unexpected(customer_id.error());
  const UtcNow now = CurrentUtc();
  Contact stored = contact;
  stored.customer_code = *code;
  stored.role = TrimSpace(contact.role);
  stored.name = TrimSpace(contact.name);
  stored.created_at = now.iso8601;
  stored.created_by = actor;
  auto insert = db.Prepare(
      "INSERT INTO contacts (customer_id, role, name, phone, email, address, "
      "created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      what);
  if (!insert) return std::unexpected(insert.error());
  insert->Bind(1, *customer_id)
      .Bind(2, stored.role)
      .Bind(3, stored.name)
      .Bind(4, stored.phone)
      .Bind(5, stored.email)
      .Bind(6, stored.address)
      .Bind(7, stored.created_at)
      .Bind(8, actor);
  if (auto s = insert->Run(); !s) return std::unexpected(s.error());
  stored.id = sqlite3_last_insert_rowid(db.get());
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string&>{"role", stored.role},
        {"name", stored.name},
        {"phone", stored.phone},
        {"email", stored.email},
        {"address", stored.address}}) {
    if (value.empty()) continue;
    if (auto s = WriteHistory(db, "contacts", stored.id, field, std::nullopt,
                              value, actor, now.iso8601);
        !s) {
      return std::unexpected(s.error());
    }
  }
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return stored;
}

Result<std::vector<Contact>> Catalog::ListContacts(const std::string& code) {
  auto canonical = CanonicalCustomerCode(code);
  if (!canonical) return std::unexpected(canonical.error());
  auto customer_id = CustomerIdByCode(impl_->db, *canonical);
  if (!customer_id) return std::unexpected(customer_id.error());
  auto stmt = impl_->db.Prepare(
      "SELECT id, role, name, phone, email, address, created_at, created_by "
      "FROM contacts WHERE customer_id = ?1 ORDER BY id",
      "listing the contacts of " + *canonical);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, *customer_id);
  std::vector<Contact> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    Contact c;
    c.id = stmt->ColumnInt64(0);
    c.customer_code = *canonical;
    c.role = stmt->ColumnText(1);
    c.name = stmt->ColumnText(2);
    c.phone = stmt->ColumnText(3);
    c.email = stmt->ColumnText(4);
    c.address = stmt->ColumnText(5);
    c.created_at = stmt->ColumnText(6);
    c.created_by = stmt->ColumnText(7);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<CustomerMatch>> Catalog::MatchCustomers(
    const std::vector<DocumentField>& fields) {
  std::vector<CustomerMatch> out;
  std::set<std::int64_t> seen;
  for (const DocumentField& f : fields) {
    if (!f.problem.empty() || f.value.empty()) continue;
    const bool by_uscc = f.name.ends_with("uscc");
    const bool by_name = f.name == "party_a" || f.name == "party_b" ||
                         f.name == "customer_name";
    if (!by_uscc && !by_name) continue;
    auto stmt = impl_->db.Prepare(
        fmt::format("SELECT {} FROM customers WHERE {} = ?1 ORDER BY id",
                    kCustomerColumns, by_uscc ? "uscc" : "name"),
        "matching field " + f.name);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->Bind(1, f.value);
    auto found = QueryCustomers(*stmt);
    if (!found) return std::unexpected(found.error());
    for (Customer& c : *found) {
      if (!seen.insert(c.id).second) continue;
      out.push_back(CustomerMatch{
          std::move(c), fmt::format("{} {} matches", f.name, f.value)});
    }
  }
  return out;
}

}  // namespace dossier::storage
