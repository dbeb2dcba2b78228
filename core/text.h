// Text normalisation shared by OCR output, the search index and queries, so
// that what is indexed and what is searched are normalised the same way.
#pragma once

#include <string>
#include <string_view>

namespace dossier {

// NFKC-normalises UTF-8 text (full-width forms folded to ASCII) and removes
// whitespace between two CJK characters, which OCR engines insert between
// every Chinese character. Whitespace between Latin words is kept (runs
// collapse to one space). Invalid UTF-8 sequences are replaced by U+FFFD.
std::string NormalizeText(std::string_view utf8);

// True for Han ideographs, CJK punctuation, kana and Hangul: characters that
// are written without spaces between them and searched one by one.
bool IsCjkCodepoint(char32_t cp);

// Decodes UTF-8 into code points; invalid sequences become U+FFFD.
std::u32string DecodeUtf8(std::string_view utf8);
std::string EncodeUtf8(std::u32string_view cps);

}  // namespace dossier
