// Field extraction: suggested fields from the OCR text of contract and form
// pages (manual 3.1 "key facts checked"), for a reviewer to confirm.
//
// Rules are label driven: a value follows a printed label such as 合同编号,
// 甲方(委托方), 统一社会信用代码, 联系人, 电话/手机, 签订日期, 自…起至…止,
// 合同金额 / 总金额, or the English Agreement No., Date, Tel. Every value goes
// through NormalizeField (normalize.h); a value that fails keeps its raw text
// and the reason in `problem` and is never corrected.
//
// Field names (stable, stored in the catalog):
//   contract_number, party_a, party_b, party_a_uscc, party_b_uscc, uscc,
//   customer_name, legal_representative, contact, phone, mobile, email,
//   id_number, signing_date, start_date, end_date, registration_date, amount.
// USCCs printed inside a 甲方 or 乙方 block are party_a_uscc / party_b_uscc;
// elsewhere (a registration form) uscc.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace dossier::fields {

// A value with one character changed that passes the check a misread USCC
// or ID number failed: offered to the reviewer, never applied by itself.
struct Correction {
  std::string value;        // the whole value with the change, normalised
  int position = 0;         // 0-based index of the changed character
  std::string read;         // the character OCR read there
  float confidence = -1.f;  // OCR's confidence in that character, 0..100;
                            // -1 when unknown (plain text)
};

struct SuggestedField {
  std::string name;         // see the list above
  std::string value;        // normalised; the raw text if problem is set
  std::string raw;          // as read on the page
  std::string problem;      // empty, or why the value failed its check
  float confidence = 0.f;   // 0..100: mean OCR confidence of its words,
                            // halved when the value failed its check
  int page = 0;             // 1-based page number within the document
  std::vector<Box> boxes;   // the OCR words it came from (empty from text)
  // For a USCC or ID number whose check failed: the one-character changes
  // that pass it, least sure character first (OCR's per-character
  // confidence), then look-alike pairs (0/O, 1/I, 8/B ...); at most five.
  // value and problem stay as read.
  std::vector<Correction> corrections;
};

// Fields on one OCR page; words and boxes are used to give each field its
// boxes and confidence. Later pages of a contract repeat the parties and
// the contract number; call ExtractDocumentFields for a whole document.
std::vector<SuggestedField> ExtractPageFields(const OcrPage& page,
                                              int page_number);

// The same rules over plain text (one printed line per line), e.g. ground
// truth. Confidence is 100 for valid values.
std::vector<SuggestedField> ExtractTextFields(std::string_view text,
                                              int page_number);

// All pages of a document, one field per name: the first valid occurrence
// wins over invalid ones, earlier pages over later ones.
std::vector<SuggestedField> ExtractDocumentFields(
    const std::vector<OcrPage>& pages);

// Merges per-page results as ExtractDocumentFields does.
std::vector<SuggestedField> MergeFields(
    const std::vector<std::vector<SuggestedField>>& per_page);

}  // namespace dossier::fields
