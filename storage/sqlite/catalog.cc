// Catalog: opening, schema, customers and the history helper. Documents and
// search live in catalog_documents.cc and catalog_search.cc.
#include "storage/sqlite/catalog.h"

#include <fmt/format.h>

#include <cctype>
#include <ctime>
#include <system_error>

#include "core/clock.h"
#include "core/text.h"
#include "storage/sqlite/catalog_impl.h"
#include "records/coding_rule.h"
#include "records/customers.h"
#include "storage/sqlite/schema.h"

namespace dossier::storage {
namespace {

constexpr std::string_view kCustomerPrefix = "KH";
constexpr int kMaxSequence = 999'999;

// Before an existing catalog is upgraded, a consistent copy of it is
// written next to it (VACUUM INTO reads one snapshot, WAL included):
// catalog.sqlite.v1-backup-20260301T093000Z. An existing backup of the same
// second is not overwritten (VACUUM INTO fails), so the upgrade stops.
Status BackupBeforeUpgrade(const Database& db,
                           const std::filesystem::path& path) {
  auto version =
      db.QueryInt("PRAGMA user_version", "reading the schema version");
  if (!version) return std::unexpected(version.error());
  if (*version == 0 || *version >= LatestSchemaVersion()) return Ok();
  std::string stamp = CurrentUtc().iso8601;
  std::erase(stamp, '-');
  std::erase(stamp, ':');
  const std::string backup =
      fmt::format("{}.v{}-backup-{}", path.string(), *version, stamp);
  auto stmt = db.Prepare("VACUUM INTO ?1",
                         "backing up the catalog to " + backup +
                             " before upgrading it");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, backup);
  return stmt->Run();
}

// Opens, configures and migrates; shared by Open and Create.
Result<Database> OpenConfigured(const std::filesystem::path& path, int flags) {
  auto db = Database::Open(path, flags);
  if (!db) return std::unexpected(db.error());
  if (auto s = ConfigureConnection(*db); !s) return std::unexpected(s.error());
  if (auto s = BackupBeforeUpgrade(*db, path); !s) {
    return std::unexpected(s.error());
  }
  if (auto s = MigrateSchema(*db, Migrations()); !s) {
    return std::unexpected(s.error());
  }
  return db;
}

}  // namespace

const std::string_view kCustomerColumns =
    "id, code, name, kind, created_at, created_by, "
    "COALESCE((SELECT p.code FROM customers p "
    "WHERE p.id = customers.parent_id), ''), "
    "uscc, id_number, phone, email, address";

Customer ReadCustomer(const Statement& stmt) {
  Customer c;
  c.id = stmt.ColumnInt64(0);
  c.code = stmt.ColumnText(1);
  c.name = stmt.ColumnText(2);
  c.kind = stmt.ColumnText(3);
  c.created_at = stmt.ColumnText(4);
  c.created_by = stmt.ColumnText(5);
  c.parent_code = stmt.ColumnText(6);
  c.uscc = stmt.ColumnText(7);
  c.id_number = stmt.ColumnText(8);
  c.phone = stmt.ColumnText(9);
  c.email = stmt.ColumnText(10);
  c.address = stmt.ColumnText(11);
  return c;
}

UtcNow CurrentUtc() {
  const TimePoint now = Now();
  const std::string iso = FormatUtc(now);
  return UtcNow{iso, std::stoi(iso.substr(0, 4))};
}

Status WriteHistory(const Database& db, std::string_view table,
                    std::int64_t record_id, std::string_view field,
                    const std::optional<std::string>& old_value,
                    std::string_view new_value, std::string_view actor,
                    std::string_view at) {
  auto stmt = db.Prepare(
      "INSERT INTO history (table_name, record_id, field, old_value, "
      "new_value, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "recording history");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, table).Bind(2, record_id).Bind(3, field);
  if (old_value) {
    stmt->Bind(4, *old_value);
  } else {
    stmt->BindNull(4);
  }
  stmt->Bind(5, new_value).Bind(6, actor).Bind(7, at);
  return stmt->Run();
}

Result<std::string> CanonicalCustomerCode(std::string_view code) {
  return records::CanonicalCustomerCode(code);
}

Result<std::int64_t> CustomerIdByCode(const Database& db,
                                      const std::string& code) {
  auto stmt = db.Prepare("SELECT id FROM customers WHERE code = ?1",
                         "looking up customer " + code);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, code);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) {
    return MakeError(ErrorCode::kNotFound, "no customer " + code);
  }
  return stmt->ColumnInt64(0);
}

Catalog::Catalog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Catalog::~Catalog() = default;

Result<std::unique_ptr<Catalog>> Catalog::Open(
    const std::filesystem::path& db) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db, ec)) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("catalog {} does not exist", db.string()));
  }
  auto database = OpenConfigured(db, SQLITE_OPEN_READWRITE);
  if (!database) return std::unexpected(database.error());
  return std::unique_ptr<Catalog>(
      new Catalog(std::make_unique<Impl>(std::move(*database))));
}

Result<std::unique_ptr<Catalog>> Catalog::Create(
    const std::filesystem::path& db) {
  std::error_code ec;
  if (std::filesystem::exists(db, ec)) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("catalog {} already exists", db.string()));
  }
  auto database =
      OpenConfigured(db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!database) return std::unexpected(database.error());
  return std::unique_ptr<Catalog>(
      new Catalog(std::make_unique<Impl>(std::move(*database))));
}

int Catalog::SchemaVersion() const {
  auto version =
      impl_->db.QueryInt("PRAGMA user_version", "reading the schema version");
  return version ? static_cast<int>(*version) : -1;
}

Result<Customer> Catalog::AddCustomer(const std::string& name,
                                      const std::string& kind,
                                      const std::string& actor) {
  NewCustomer input;
  input.name = name;
  input.kind = kind;
  return AddCustomerFile(input, actor);
}

Result<Customer> Catalog::AddCustomerFile(const NewCustomer& input,
                                          const std::string& actor) {
  const std::string& kind = input.kind;
  std::string clean_name = TrimSpace(input.name);
  if (auto s = records::CheckNewCustomer(clean_name, kind, actor); !s) {
    return std::unexpected(s.error());
  }
  std::string parent;
  if (!input.parent_code.empty()) {
    auto p = CanonicalCustomerCode(input.parent_code);
    if (!p) return std::unexpected(p.error());
    parent = *p;
  }
  const Database& db = impl_->db;
  const std::string what = "adding customer '" + clean_name + "'";
  // One transaction for the code, the values and the group link: a refused
  // value (a USCC another customer has) leaves no customer and no used code.
  auto tx = Transaction::Begin(db, what);
  if (!tx) return std::unexpected(tx.error());
  // The code's year is the archive's local year of filing.
  UtcNow now = CurrentUtc();
  now.year = Zone().LocalYear(Now());
  auto next = db.Prepare(
      "INSERT INTO code_sequence (year, last_sequence) VALUES (?1, 1) "
      "ON CONFLICT (year) DO UPDATE SET last_sequence = last_sequence + 1 "
      "RETURNING last_sequence",
      what);
  if (!next) return std::unexpected(next.error());
  next->Bind(1, now.year);
  auto row = next->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kInternal, "no sequence returned");
  const std::int64_t sequence = next->ColumnInt64(0);
  next->Reset();
  if (sequence > kMaxSequence) {
    return MakeError(ErrorCode::kConflict,
                     fmt::format("all {} customer codes of {} are used",
                                 kMaxSequence, now.year));
  }

  Customer customer;
  customer.code =
      records::FormatCustomerCode(kCustomerPrefix, now.year, static_cast<int>(sequence));
  customer.name = clean_name;
  customer.kind = kind;
  customer.created_at = now.iso8601;
  customer.created_by = actor;

  auto insert = db.Prepare(
      "INSERT INTO customers (code, year, sequence, name, kind, created_at, "
      "created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      what);
  if (!insert) return std::unexpected(insert.error());
  insert->Bind(1, customer.code)
      .Bind(2, now.year)
      .Bind(3, sequence)
      .Bind(4, customer.name)
      .Bind(5, customer.kind)
      .Bind(6, customer.created_at)
      .Bind(7, customer.created_by);
  if (auto s = insert->Run(); !s) return std::unexpected(s.error());
  customer.id = sqlite3_last_insert_rowid(db.get());

  for (const auto& [field, value] :
       {std::pair<std::string_view, const std::string&>{"code", customer.code},
        {"name", customer.name},
        {"kind", customer.kind}}) {
    if (auto s = WriteHistory(db, "customers", customer.id, field, std::nullopt,
                              value, actor, now.iso8601);
        !s) {
      return std::unexpected(s.error());
    }
  }
  CustomerUpdate values = input.values;
  values.name.reset();
  values.kind.reset();
  auto updated = ApplyCustomerUpdate(db, customer.code, values, actor);
  if (!updated) return std::unexpected(updated.error());
  customer = *updated;
  if (!parent.empty()) {
    auto linked = ApplyCustomerLink(*this, db, customer.code, parent, actor);
    if (!linked) return std::unexpected(linked.error());
    customer = *linked;
  }
  if (auto s = tx->Commit(); !s) return std::unexpected(s.error());
  return customer;
}

Result<Customer> Catalog::FindCustomer(const std::string& code) {
  auto canonical = CanonicalCustomerCode(code);
  if (!canonical) return std::unexpected(canonical.error());
  auto stmt = impl_->db.Prepare(
      fmt::format("SELECT {} FROM customers WHERE code = ?1", kCustomerColumns),
      "looking up customer " + *canonical);
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, *canonical);
  auto row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row)
    return MakeError(ErrorCode::kNotFound, "no customer " + *canonical);
  return ReadCustomer(*stmt);
}

Result<std::vector<Customer>> Catalog::ListCustomers() {
  auto stmt = impl_->db.Prepare(
      fmt::format("SELECT {} FROM customers ORDER BY id", kCustomerColumns),
      "listing customers");
  if (!stmt) return std::unexpected(stmt.error());
  std::vector<Customer> customers;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    customers.push_back(ReadCustomer(*stmt));
  }
  return customers;
}

Result<std::vector<Customer>> Catalog::FindCustomersByName(
    const std::string& part) {
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
  auto stmt = impl_->db.Prepare(
      fmt::format("SELECT {} FROM customers WHERE name LIKE ?1 ESCAPE '\\' "
                  "ORDER BY id",
                  kCustomerColumns),
      "looking up customers named like '" + needle + "'");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->Bind(1, pattern);
  std::vector<Customer> customers;
  while (true) {
    auto row = stmt->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    customers.push_back(ReadCustomer(*stmt));
  }
  return customers;
}

}  // namespace dossier::storage
