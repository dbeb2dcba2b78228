// Helpers shared by the storage tests.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/catalog.h"

namespace dossier::storage::testing {

// A raw second connection, for looking behind the Catalog API.
struct RawDb {
  explicit RawDb(const std::filesystem::path& path) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    handle.reset(db);
  }
  // First column of the first row as text ("" if none).
  std::string Query(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(handle.get(), sql.c_str(), -1, &stmt, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(handle.get());
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }
  int Exec(const std::string& sql) {
    return sqlite3_exec(handle.get(), sql.c_str(), nullptr, nullptr, nullptr);
  }
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
  };
  std::unique_ptr<sqlite3, Closer> handle;
};

inline PageRecord MakePage(int number, std::string text) {
  PageRecord page;
  page.number = number;
  page.source_file = "scan.tif";
  page.source_index = number - 1;
  page.width = 2480;
  page.height = 3508;
  page.confidence = 90.f;
  page.text = std::move(text);
  return page;
}

inline NewDocument MakeDocument(const std::string& customer_code,
                                const std::string& title,
                                std::vector<std::string> page_texts) {
  NewDocument doc;
  doc.customer_code = customer_code;
  doc.type = "contract";
  doc.title = title;
  doc.pdf_sha256 = std::string(64, 'a');
  doc.pdf_size = 1234;
  doc.created_by = "tester";
  int number = 1;
  for (auto& text : page_texts) {
    doc.pages.push_back(MakePage(number++, std::move(text)));
  }
  return doc;
}

}  // namespace dossier::storage::testing
