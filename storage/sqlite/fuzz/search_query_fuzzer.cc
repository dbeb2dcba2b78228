// Fuzzes the search query parser (storage/search_syntax.h, storage/sqlite/search_query.h): any input gives
// an FTS5 MATCH expression or kInvalidArgument, never anything else; and
// the expression it builds is accepted by FTS5 itself.
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/sqlite/fts_tokenizer.h"
#include "storage/sqlite/search_query.h"

namespace {

sqlite3* Db() {
  static sqlite3* db = [] {
    sqlite3* d = nullptr;
    sqlite3_open(":memory:", &d);
    if (!dossier::storage::RegisterTokenizer(d)) __builtin_trap();
    sqlite3_exec(d,
                 "CREATE VIRTUAL TABLE t USING fts5(text, tokenize = 'dossier');"
                 "INSERT INTO t VALUES ('合同 甲方 乙方 service agreement');",
                 nullptr, nullptr, nullptr);
    return d;
  }();
  return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto match = dossier::storage::BuildMatchExpression(input);
  if (!match) {
    if (match.error().code != dossier::ErrorCode::kInvalidArgument) {
      __builtin_trap();
    }
    return 0;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(Db(), "SELECT count(*) FROM t WHERE t MATCH ?1", -1,
                         &stmt, nullptr) != SQLITE_OK) {
    __builtin_trap();
  }
  sqlite3_bind_text(stmt, 1, match->data(), static_cast<int>(match->size()),
                    SQLITE_TRANSIENT);
  const int rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  // A built expression is always valid FTS5 syntax.
  if (rc != SQLITE_ROW) __builtin_trap();
  return 0;
}
