// A catalog's tables as rows of text, for moving an archive's catalog from
// one backend to another (`dossier migrate`, storage/postgres/catalog_load.h).
// The reading side is the backend the archive has now (the SQLite catalog:
// Catalog::Snapshot), the writing side the new one.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace dossier::storage {

// One value: nullopt is SQL NULL. Integers are in decimal, reals in their
// shortest round-trip form, text as stored, blobs as "\x" and lowercase hex.
using Cell = std::optional<std::string>;
using RowSink = std::function<Status(const std::vector<Cell>& row)>;

// A consistent view of every table: what it reads belongs to one moment,
// and (on SQLite) no other process writes until it is destroyed.
class TableSource {
 public:
  virtual ~TableSource() = default;
  // The tables that hold records (not the search index's own tables).
  virtual Result<std::vector<std::string>> Tables() = 0;
  // The table's columns, in their order; kNotFound naming an absent table.
  virtual Result<std::vector<std::string>> Columns(const std::string& table) = 0;
  // Every row of `columns`, sorted by `order_by` (bytewise for text); a
  // sink error stops the reading and is returned.
  virtual Status Rows(const std::string& table, const std::vector<std::string>& columns,
                      const std::vector<std::string>& order_by, const RowSink& sink) = 0;
};

}  // namespace dossier::storage
