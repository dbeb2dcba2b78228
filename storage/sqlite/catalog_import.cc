// Catalog: importing a package's customers and documents (docs/
// package-format.md, "Import"). One transaction; every conflict is found
// before it commits, so a refused import writes nothing.
#include <fmt/format.h>

#include <map>

#include "core/text.h"
#include "storage/sqlite/catalog.h"
#include "storage/sqlite/catalog_impl.h"

namespace dossier::storage {
namespace {

std::unexpected<Error> Conflict(std::string message) {
  return MakeError(ErrorCode::kConflict, std::move(message));
}

Status ImportHistory(const Database& db, std::string_view table,
                     std::int64_t record_id, const HistoryEntry& e) {
  auto stmt = db.Prepare(
      "INSERT INTO history (table_name, record_id, field, old_value, "
      "new_value, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "importing history");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, table).Bind(2, record_id).Bind(3, e.field);
  if (e.old_value) {
    stmt->Bind(4, *e.old_value);
  } else {
    stmt->BindNull(4);
  }
  if (e.new_value) {
    stmt->Bind(5, *e.new_value);
  } else {
    stmt->BindNull(5);
  }
  stmt->Bind(6, "imported:" + e.actor).Bind(7, e.at);
  return stmt->Run();
}

// Moves a sequence past an imported number, so it is never issued here.
Status RaiseSequence(const Database& db, std::string_view sql, int year,
                     const std::string& type_code, std::int64_t sequence) {
  auto stmt = db.Prepare(sql, "keeping imported numbers unique");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, year).Bind(2, sequence);
  if (!type_code.empty()) stmt->Bind(3, type_code);
  return stmt->Run();
}

Result<std::optional<std::int64_t>> QueryId(const Database& db,
                                            std::string_view sql,
                                            const std::string& a,
                                            std::int64_t b = 0) {
  auto stmt = db.Prepare(sql, "importing a package");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, a);
  if (sql.find("?2") != std::string_view::npos) stmt->Bind(2, b);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(stmt->ColumnInt64(0));
}

}  // namespace

Result<ImportOutcome> Catalog::ImportPackage(const ImportBatch& batch,
                                             bool commit) {
  if (TrimSpace(batch.actor).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "an import needs the actor");
  }
  const Database& db = impl_->db;
  const std::string what = "importing " + batch.source;
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  const UtcNow now = CurrentUtc();
  ImportOutcome outcome;
  std::map<std::string, std::int64_t> customer_ids;  // code -> id here

  for (const ImportedCustomer& ic : batch.customers) {
    auto code = CanonicalCustomerCode(ic.customer.code);
    if (!code) return std::unexpected(code.error());
    const Customer& c = ic.customer;
    auto here = QueryId(db, "SELECT id FROM customers WHERE code = ?1", *code);
    if (!here) return std::unexpected(here.error());
    if (*here) {
      auto name = db.Prepare("SELECT name FROM customers WHERE id = ?1", what);
      if (!name) return std::unexpected(name.error());
      name->Bind(1, **here);
      auto row = name->Step();
      if (!row) return std::unexpected(row.error());
      if (*row && name->ColumnText(0) != c.name) {
        return Conflict(fmt::format(
            "customer {} is here already as '{}'; the package has '{}'; "
            "nothing imported",
            *code, name->ColumnText(0), c.name));
      }
      customer_ids[*code] = **here;
      outcome.customers_matched.push_back(*code);
      continue;
    }
    if (!c.uscc.empty()) {
      auto other = db.Prepare("SELECT code FROM customers WHERE uscc = ?1", what);
      if (!other) return std::unexpected(other.error());
      other->Bind(1, c.uscc);
      auto row = other->Step();
      if (!row) return std::unexpected(row.error());
      if (*row) {
        return Conflict(fmt::format(
            "customer {}: USCC {} belongs to {} here; nothing imported", *code,
            c.uscc, other->ColumnText(0)));
      }
    }
    const int year = std::stoi(code->substr(3, 4));
    const std::int64_t sequence = std::stoll(code->substr(8, 6));
    auto insert = db.Prepare(
        "INSERT INTO customers (code, year, sequence, name, kind, created_at, "
        "created_by, uscc, id_number, phone, email, address) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        what);
    if (!insert) return std::unexpected(insert.error());
    insert->Bind(1, *code)
        .Bind(2, year)
        .Bind(3, sequence)
        .Bind(4, c.name)
        .Bind(5, c.kind)
        .Bind(6, c.created_at)
        .Bind(7, c.created_by)
        .Bind(8, c.uscc)
        .Bind(9, c.id_number)
        .Bind(10, c.phone)
        .Bind(11, c.email)
        .Bind(12, c.address);
    if (auto s = insert->Run(); !s) return std::unexpected(s.error());
    const std::int64_t id = sqlite3_last_insert_rowid(db.get());
    customer_ids[*code] = id;
    outcome.customers_added.push_back(*code);
    if (auto s = RaiseSequence(
            db,
            "INSERT INTO code_sequence (year, last_sequence) VALUES (?1, ?2) "
            "ON CONFLICT (year) DO UPDATE SET last_sequence = "
            "max(last_sequence, ?2)",
            year, "", sequence);
        !s) {
      return std::unexpected(s.error());
    }
    std::map<std::string, std::int64_t> contact_ids;  // "contact #N" -> id
    for (const Contact& k : ic.contacts) {
      auto add = db.Prepare(
          "INSERT INTO contacts (customer_id, role, name, phone, email, "
          "address, created_at, created_by) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
          what);
      if (!add) return std::unexpected(add.error());
      add->Bind(1, id).Bind(2, k.role).Bind(3, k.name).Bind(4, k.phone);
      add->Bind(5, k.email).Bind(6, k.address).Bind(7, k.created_at);
      add->Bind(8, k.created_by);
      if (auto s = add->Run(); !s) return std::unexpected(s.error());
      contact_ids[fmt::format("contact #{}", k.id)] =
          sqlite3_last_insert_rowid(db.get());
    }
    for (const HistoryEntry& e : ic.history) {
      const bool contact = e.table == "contacts";
      auto it = contact_ids.find(e.record);
      if (contact && it == contact_ids.end()) continue;  // not in the package
      if (auto s = ImportHistory(db, contact ? "contacts" : "customers",
                                 contact ? it->second : id, e);
          !s) {
        return std::unexpected(s.error());
      }
    }
    if (auto s = WriteHistory(db, "customers", id, "imported_from",
                              std::nullopt, batch.source, batch.actor,
                              now.iso8601);
        !s) {
      return std::unexpected(s.error());
    }
  }
  // Groups: a parent in the package or already here.
  for (const ImportedCustomer& ic : batch.customers) {
    if (ic.customer.parent_code.empty()) continue;
    auto parent = QueryId(db, "SELECT id FROM customers WHERE code = ?1",
                          ic.customer.parent_code);
    if (!parent) return std::unexpected(parent.error());
    if (!*parent) continue;
    auto link = db.Prepare(
        "UPDATE customers SET parent_id = ?2 WHERE code = ?1 AND parent_id "
        "IS NULL",
        what);
    if (!link) return std::unexpected(link.error());
    link->Bind(1, ic.customer.code).Bind(2, **parent);
    if (auto s = link->Run(); !s) return std::unexpected(s.error());
  }

  std::map<std::string, std::int64_t> document_ids;  // source id -> id here
  for (const ImportedDocument& idoc : batch.documents) {
    const DocumentRecord& d = idoc.document;
    auto code = CanonicalCustomerCode(d.customer_code);
    if (!code) return std::unexpected(code.error());
    auto customer = customer_ids.find(*code);
    if (customer == customer_ids.end()) {
      return MakeError(ErrorCode::kCorruptInput,
                       fmt::format("{}: its customer {} is not in the package",
                                   d.display_id, *code));
    }
    if (!d.archive_number.empty()) {
      auto used = QueryId(db, "SELECT id FROM documents WHERE archive_number = ?1",
                          d.archive_number);
      if (!used) return std::unexpected(used.error());
      if (*used) {
        return Conflict(fmt::format(
            "{} (archive number {}) is here already as {}; nothing imported",
            d.display_id, d.archive_number, DisplayId(**used)));
      }
    }
    if (!d.source_key.empty()) {
      auto same = QueryId(db,
                          "SELECT id FROM documents WHERE source_key = ?1 AND "
                          "customer_id = ?2",
                          d.source_key, customer->second);
      if (!same) return std::unexpected(same.error());
      if (*same) {
        return Conflict(fmt::format(
            "{} was scanned from the same input as {} here; nothing imported",
            d.display_id, DisplayId(**same)));
      }
    }
    double sum = 0;
    for (const PageRecord& p : idoc.pages) sum += p.confidence;
    auto insert = db.Prepare(
        "INSERT INTO documents (customer_id, type, title, status, pdf_sha256, "
        "pdf_size, page_count, mean_confidence, source_key, created_at, "
        "created_by, warnings, archive_number, review_reason, reviewed_by, "
        "reviewed_at, replaces_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        what);
    if (!insert) return std::unexpected(insert.error());
    insert->Bind(1, customer->second)
        .Bind(2, d.type)
        .Bind(3, d.title)
        .Bind(4, d.status)
        .Bind(5, d.pdf_sha256)
        .Bind(6, d.pdf_size)
        .Bind(7, static_cast<std::int64_t>(idoc.pages.size()))
        .Bind(8, idoc.pages.empty() ? 0.0 : sum / idoc.pages.size())
        .Bind(9, d.source_key)
        .Bind(10, d.created_at)
        .Bind(11, d.created_by)
        .Bind(12, WarningsToJson(d.warnings));
    if (d.archive_number.empty()) {
      insert->BindNull(13);
    } else {
      insert->Bind(13, d.archive_number);
    }
    insert->Bind(14, d.review_reason).Bind(15, d.reviewed_by);
    insert->Bind(16, d.reviewed_at);
    auto replaces = document_ids.find(d.replaces);
    if (replaces == document_ids.end()) {
      insert->BindNull(17);
    } else {
      insert->Bind(17, replaces->second);
    }
    if (auto s = insert->Run(); !s) return std::unexpected(s.error());
    const std::int64_t id = sqlite3_last_insert_rowid(db.get());
    document_ids[d.display_id] = id;
    outcome.documents.emplace_back(d.display_id, DisplayId(id));
    if (!d.archive_number.empty() && d.archive_number.size() == 19) {
      if (auto s = RaiseSequence(
              db,
              "INSERT INTO archive_sequence (year, type_code, last_sequence) "
              "VALUES (?1, ?3, ?2) ON CONFLICT (year, type_code) DO UPDATE "
              "SET last_sequence = max(last_sequence, ?2)",
              std::stoi(d.archive_number.substr(3, 4)),
              d.archive_number.substr(8, 2),
              std::stoll(d.archive_number.substr(11, 6)));
          !s) {
        return std::unexpected(s.error());
      }
    }
    for (const DocumentField& f : idoc.fields) {
      auto put = db.Prepare(
          "INSERT INTO document_fields (document_id, name, value, raw, "
          "problem, confidence, page, source, updated_at, updated_by) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
          what);
      if (!put) return std::unexpected(put.error());
      put->Bind(1, id).Bind(2, f.name).Bind(3, f.value).Bind(4, f.raw);
      put->Bind(5, f.problem).Bind(6, static_cast<double>(f.confidence));
      put->Bind(7, f.page).Bind(8, f.source).Bind(9, f.updated_at);
      put->Bind(10, f.updated_by);
      if (auto s = put->Run(); !s) return std::unexpected(s.error());
    }
    for (const HistoryEntry& e : idoc.history) {
      if (auto s = ImportHistory(db, "documents", id, e); !s) {
        return std::unexpected(s.error());
      }
    }
    if (auto s = WriteHistory(db, "documents", id, "imported_from",
                              std::nullopt,
                              d.display_id + " of " + batch.source,
                              batch.actor, now.iso8601);
        !s) {
      return std::unexpected(s.error());
    }
    auto meta = ComputeSearchMeta(db, id);
    if (!meta) return std::unexpected(meta.error());
    auto set_meta =
        db.Prepare("UPDATE documents SET search_meta = ?1 WHERE id = ?2", what);
    if (!set_meta) return std::unexpected(set_meta.error());
    set_meta->Bind(1, *meta).Bind(2, id);
    if (auto s = set_meta->Run(); !s) return std::unexpected(s.error());
    for (const PageRecord& page : idoc.pages) {
      if (auto s = InsertPage(db, id, page, *meta, what); !s) {
        return std::unexpected(s.error());
      }
    }
  }
  if (commit) {
    if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  }
  return outcome;
}

}  // namespace dossier::storage
