// A raw second connection to a catalog file, for tests that look behind
// the store API at the SQLite tables (triggers, constraints, stored bytes).
// The header names no SQLite type, so tests outside storage/sqlite use it
// without including sqlite3.h.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace dossier::storage::testing {

class RawDb {
 public:
  // SQLite's result code for success (RawDb::kOk).
  static constexpr int kOk = 0;

  explicit RawDb(const std::filesystem::path& path);
  ~RawDb();
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // First column of the first row as text ("" if none).
  std::string Query(const std::string& sql);
  // Runs sql; returns SQLite's result code (kOk on success).
  int Exec(const std::string& sql);
  // The connection's last error message.
  std::string LastError() const;

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

}  // namespace dossier::storage::testing
