// Helpers shared by the storage tests.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/storage/sqlite/raw_db.h"
#include "storage/sqlite/catalog.h"

namespace dossier::storage::testing {

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
