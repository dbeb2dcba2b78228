// LoadCatalog and DigestCatalog (storage/postgres/catalog_load.h).
#include "storage/postgres/catalog_load.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "core/hash.h"
#include "storage/postgres/database.h"
#include "storage/postgres/records_internal.h"
#include "storage/postgres/search.h"

namespace dossier::storage::postgres {
namespace {

// Tables PostgreSQL makes itself: the schema's version, the search index
// and the custody counters (made again from the copied rows below).
const std::set<std::string> kDerived = {"schema_version", "page_search",
                                        "custody_counters"};
// Source columns left behind on purpose, as table.column.
const std::set<std::string> kLeftOut = {
    // The log-signing key left the catalog for the key file
    // (AccessStore::MigrateSigningKey); a copy must not carry it.
    "access_identity.sign_secret"};

struct Column {
  std::string name;
  std::string type;  // pg_type.typname: bool, int8, float8, jsonb, bytea, ...
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<std::string> key;       // primary key, else every column
  std::vector<std::string> identity;  // identity columns
};

std::string Quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The catalog's tables in an order where each comes after those its
// foreign keys point to.
std::vector<Table> ReadTables(Tx& tx) {
  std::map<std::string, Table> tables;
  for (const auto& row : tx.Run(
           "SELECT c.relname, a.attname, t.typname, a.attidentity <> '' "
           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
           "JOIN pg_attribute a ON a.attrelid = c.oid "
           "JOIN pg_type t ON t.oid = a.atttypid "
           "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
           "AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped "
           "AND a.attgenerated = '' ORDER BY c.relname, a.attnum")) {
    Table& t = tables[row[0].c_str()];
    t.name = row[0].c_str();
    t.columns.push_back(Column{row[1].c_str(), row[2].c_str()});
    if (row[3].as<bool>()) t.identity.push_back(row[1].c_str());
  }
  for (const auto& row : tx.Run(
           "SELECT c.relname, a.attname FROM pg_index i "
           "JOIN pg_class c ON c.oid = i.indrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "JOIN pg_attribute a ON a.attrelid = i.indrelid "
           "AND a.attnum = ANY(i.indkey::int2[]) "
           "WHERE n.nspname = current_schema() AND i.indisprimary "
           "ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)")) {
    auto it = tables.find(row[0].c_str());
    if (it != tables.end()) it->second.key.push_back(row[1].c_str());
  }
  std::map<std::string, std::set<std::string>> needs;
  for (const auto& row : tx.Run(
           "SELECT c.relname, f.relname FROM pg_constraint k "
           "JOIN pg_class c ON c.oid = k.conrelid "
           "JOIN pg_class f ON f.oid = k.confrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE k.contype = 'f' AND n.nspname = current_schema()")) {
    if (std::string(row[0].c_str()) != row[1].c_str()) {
      needs[row[0].c_str()].insert(row[1].c_str());
    }
  }
  std::vector<Table> ordered;
  std::set<std::string> placed;
  while (placed.size() < tables.size()) {
    bool progress = false;
    for (auto& [name, table] : tables) {
      if (placed.contains(name)) continue;
      bool ready = true;
      for (const std::string& dep : needs[name]) {
        if (tables.contains(dep) && !placed.contains(dep)) ready = false;
      }
      if (!ready) continue;
      if (table.key.empty()) {
        for (const Column& c : table.columns) table.key.push_back(c.name);
      }
      ordered.push_back(table);
      placed.insert(name);
      progress = true;
    }
    if (!progress) {  // a cycle: the rest in name order (not in our schema)
      for (auto& [name, table] : tables) {
        if (!placed.contains(name)) ordered.push_back(table), placed.insert(name);
      }
    }
  }
  return ordered;
}

// One value as the digest sees it: the same on both backends for the same
// stored value.
std::string Normal(const std::string& type, const std::string& value) {
  if (type == "bool") {
    if (value == "t" || value == "true") return "1";
    if (value == "f" || value == "false") return "0";
    char* end = nullptr;
    const long long n = std::strtoll(value.c_str(), &end, 10);
    if (end != value.c_str() && *end == '\0') return n != 0 ? "1" : "0";
    return value;
  }
  if (type == "float8" || type == "float4" || type == "numeric") {
    char* end = nullptr;
    const double d = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || *end != '\0') return value;
    // A real column keeps single precision, as when a station writes it.
    if (type == "float4") return fmt::format("{}", static_cast<float>(d));
    return fmt::format("{}", d);
  }
  if (type == "jsonb" || type == "json") {
    auto j = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) return j.dump();
    return value;
  }
  return value;
}

// A running digest over rows: length-prefixed cells, hashed in chunks.
class Digest {
 public:
  void Add(const std::vector<Column>& columns, const std::vector<Cell>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (!row[i]) {
        buffer_ += "N;";
      } else {
        const std::string v = Normal(columns[i].type, *row[i]);
        buffer_ += fmt::format("{}:", v.size());
        buffer_ += v;
      }
    }
    buffer_ += '\n';
    ++rows_;
    if (buffer_.size() > (1 << 20)) Flush();
  }
  TableDigest Finish(const std::string& table, const std::vector<Column>& columns) {
    Flush();
    TableDigest d{table, {}, rows_, state_};
    for (const Column& c : columns) d.columns.push_back(c.name);
    return d;
  }

 private:
  void Flush() {
    state_ = Sha256Hex(state_ + buffer_);
    buffer_.clear();
  }
  std::string state_;
  std::string buffer_;
  std::int64_t rows_ = 0;
};

std::string ColumnList(const std::vector<Column>& columns) {
  std::string out;
  for (const Column& c : columns) out += (out.empty() ? "" : ", ") + Quoted(c.name);
  return out;
}

// Reads the rows of a table, as text cells in key order, FETCHing them in
// batches through a cursor.
Status ReadRows(Tx& tx, const Table& table, const std::vector<Column>& columns,
                const RowSink& sink) {
  std::string select;
  for (const Column& c : columns) {
    std::string expr = Quoted(c.name);
    if (c.type == "bool") expr = "(" + expr + ")::int::text";
    else if (c.type == "bytea") expr = "'\\x' || encode(" + expr + ", 'hex')";
    else expr += "::text";
    select += (select.empty() ? "" : ", ") + expr;
  }
  std::map<std::string, std::string> types;
  for (const Column& c : table.columns) types[c.name] = c.type;
  std::string order;
  for (const std::string& k : table.key) {
    // Qualified: a bare name would sort by the text output column.
    order += (order.empty() ? "" : ", ") + std::string("src.") + Quoted(k);
    if (types[k] == "text" || types[k] == "varchar") order += " COLLATE \"C\"";
  }
  tx.Run(fmt::format("DECLARE dossier_copy NO SCROLL CURSOR FOR SELECT {} FROM {} AS src "
                     "ORDER BY {}",
                     select, Quoted(table.name), order));
  std::vector<Cell> cells(columns.size());
  for (;;) {
    auto rows = tx.Run("FETCH 2000 FROM dossier_copy");
    if (rows.empty()) break;
    for (const auto& row : rows) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (row[static_cast<int>(i)].is_null()) cells[i] = std::nullopt;
        else cells[i] = std::string(row[static_cast<int>(i)].c_str());
      }
      if (auto s = sink(cells); !s) {
        tx.Run("CLOSE dossier_copy");
        return s;
      }
    }
  }
  tx.Run("CLOSE dossier_copy");
  return Ok();
}

const Sql kPagesToIndex{
    "load.pages_to_index",
    "SELECT p.id, p.document_id, d.customer_id, d.type, d.status, p.text "
    "FROM pages p JOIN documents d ON d.id = p.document_id "
    "WHERE p.id > $1 ORDER BY p.id LIMIT 1000"};
const Sql kIndexPage{
    "load.index_page",
    "INSERT INTO page_search (page_id, document_id, customer_id, type, status, "
    "tokens) VALUES ($1, $2, $3, $4, $5, $6::tsvector)"};

// The search index of every copied page, then each document's metadata.
Result<std::int64_t> IndexPages(Tx& tx) {
  std::int64_t last = 0, pages = 0;
  std::set<std::int64_t> documents;
  for (;;) {
    auto rows = tx.Exec(kPagesToIndex, last);
    if (rows.empty()) break;
    for (const auto& row : rows) {
      last = row[0].as<std::int64_t>();
      const auto document = row[1].as<std::int64_t>();
      tx.Exec(kIndexPage, last, document, row[2].as<std::int64_t>(),
              std::string(row[3].c_str()), std::string(row[4].c_str()),
              TsVectorText(row[5].c_str()));
      documents.insert(document);
      ++pages;
    }
  }
  for (std::int64_t document : documents) {
    if (auto s = ReindexDocument(tx, document); !s) return std::unexpected(s.error());
  }
  return pages;
}

}  // namespace

Result<LoadReport> LoadCatalog(PgCatalog& catalog, TableSource& source) {
  auto source_tables = source.Tables();
  if (!source_tables) return std::unexpected(source_tables.error());
  return catalog.db().Transact(
      "copying the catalog into " + catalog.server(), [&](Tx& tx) -> Result<LoadReport> {
        for (const char* t : {"customers", "documents", "access_log"}) {
          if (tx.Run(fmt::format("SELECT count(*) FROM {}", t))[0][0].as<std::int64_t>() > 0) {
            return MakeError(ErrorCode::kConflict,
                             fmt::format("{} already holds records ({}): a copy "
                                         "goes into a new, empty catalog only",
                                         catalog.server(), t));
          }
        }
        const std::vector<Table> tables = ReadTables(tx);
        std::set<std::string> here;
        for (const Table& t : tables) here.insert(t.name);
        for (const std::string& t : *source_tables) {
          if (!here.contains(t)) {
            return MakeError(ErrorCode::kUnsupported,
                             fmt::format("table {} of the catalog has no place in "
                                         "the PostgreSQL catalog on {} (schema "
                                         "version {}): nothing was copied",
                                         t, catalog.server(), LatestPgSchemaVersion()));
          }
        }
        LoadReport report;
        const std::set<std::string> from(source_tables->begin(), source_tables->end());
        for (const Table& table : tables) {
          if (kDerived.contains(table.name) || !from.contains(table.name)) continue;
          auto names = source.Columns(table.name);
          if (!names) return std::unexpected(names.error());
          std::map<std::string, Column> by_name;
          for (const Column& c : table.columns) by_name[c.name] = c;
          std::vector<Column> columns;
          std::vector<std::string> wanted;
          for (const std::string& n : *names) {
            if (kLeftOut.contains(table.name + "." + n)) continue;
            auto it = by_name.find(n);
            if (it == by_name.end()) {
              return MakeError(ErrorCode::kUnsupported,
                               fmt::format("column {}.{} of the catalog has no "
                                           "place in the PostgreSQL catalog on {}: "
                                           "nothing was copied",
                                           table.name, n, catalog.server()));
            }
            columns.push_back(it->second);
            wanted.push_back(n);
          }
          for (const std::string& k : table.key) {
            if (std::find(wanted.begin(), wanted.end(), k) == wanted.end()) {
              return MakeError(ErrorCode::kUnsupported,
                               fmt::format("table {} of the catalog lacks its key "
                                           "column {}: nothing was copied",
                                           table.name, k));
            }
          }
          // The schema's own first rows (the archive identity, which may
          // not be deleted) are overwritten by the source's.
          std::string on_conflict;
          if (!tx.Run("SELECT 1 FROM " + Quoted(table.name) + " LIMIT 1").empty()) {
            std::string keys, sets;
            for (const std::string& k : table.key) keys += (keys.empty() ? "" : ", ") + Quoted(k);
            for (const Column& c : columns) {
              if (std::find(table.key.begin(), table.key.end(), c.name) != table.key.end()) continue;
              sets += (sets.empty() ? "" : ", ") + Quoted(c.name) + " = EXCLUDED." + Quoted(c.name);
            }
            on_conflict = " ON CONFLICT (" + keys + ") DO " +
                          (sets.empty() ? std::string("NOTHING") : "UPDATE SET " + sets);
          }
          const std::string insert =
              fmt::format("INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE VALUES ",
                          Quoted(table.name), ColumnList(columns));
          Digest digest;
          std::string values;
          int batched = 0;
          auto flush = [&] {
            if (batched == 0) return;
            tx.Run(insert + values + on_conflict);
            values.clear();
            batched = 0;
          };
          auto s = source.Rows(table.name, wanted, table.key,
                               [&](const std::vector<Cell>& row) -> Status {
                                 digest.Add(columns, row);
                                 values += batched == 0 ? "(" : ", (";
                                 for (size_t i = 0; i < row.size(); ++i) {
                                   if (i > 0) values += ", ";
                                   values += row[i] ? tx.raw().quote(*row[i]) : "NULL";
                                 }
                                 values += ")";
                                 if (++batched == 500) flush();
                                 return Ok();
                               });
          if (!s) return std::unexpected(s.error());
          flush();
          report.tables.push_back(digest.Finish(table.name, columns));
          for (const std::string& id : table.identity) {
            tx.Run(fmt::format(
                "SELECT setval(pg_get_serial_sequence('{0}', '{1}'), "
                "coalesce(max({2}), 1), max({2}) IS NOT NULL) FROM {3}",
                table.name, id, Quoted(id), Quoted(table.name)));
          }
        }
        if (here.contains("custody_counters")) {
          for (const char* t : {"locations", "originals", "loans", "audits"}) {
            if (!here.contains(t)) continue;
            tx.Run(fmt::format(
                "UPDATE custody_counters SET last_value = greatest(last_value, "
                "(SELECT coalesce(max(id), 0) FROM {0})) WHERE name = '{0}'",
                t));
          }
        }
        auto pages = IndexPages(tx);
        if (!pages) return std::unexpected(pages.error());
        report.pages_indexed = *pages;
        return report;
      });
}

Result<std::vector<TableDigest>> DigestCatalog(PgCatalog& catalog,
                                               const std::vector<TableDigest>& copied) {
  return catalog.db().Transact(
      "reading back the catalog on " + catalog.server(),
      [&](Tx& tx) -> Result<std::vector<TableDigest>> {
        const std::vector<Table> tables = ReadTables(tx);
        std::vector<TableDigest> digests;
        for (const TableDigest& want : copied) {
          const std::string& name = want.table;
          auto it = std::find_if(tables.begin(), tables.end(),
                                 [&](const Table& t) { return t.name == name; });
          if (it == tables.end()) {
            return MakeError(ErrorCode::kNotFound,
                             fmt::format("{}: no table {}", catalog.server(), name));
          }
          std::vector<Column> columns;
          for (const std::string& n : want.columns) {
            auto c = std::find_if(it->columns.begin(), it->columns.end(),
                                  [&](const Column& col) { return col.name == n; });
            if (c == it->columns.end()) {
              return MakeError(ErrorCode::kNotFound,
                               fmt::format("{}: no column {}.{}", catalog.server(),
                                           name, n));
            }
            columns.push_back(*c);
          }
          Digest digest;
          auto s = ReadRows(tx, *it, columns, [&](const std::vector<Cell>& row) -> Status {
            digest.Add(columns, row);
            return Ok();
          });
          if (!s) return std::unexpected(s.error());
          digests.push_back(digest.Finish(name, columns));
        }
        return digests;
      });
}

}  // namespace dossier::storage::postgres
