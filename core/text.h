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

// s without its leading and trailing ASCII whitespace (space, \t, \n, \v,
// \f, \r). The one trim for names, reasons and actors checked for being
// blank, and for header and metadata values.
std::string TrimSpace(std::string_view s);

// Decodes UTF-8 into code points; invalid sequences become U+FFFD.
std::u32string DecodeUtf8(std::string_view utf8);
std::string EncodeUtf8(std::u32string_view cps);

// The one escape for values shown on a terminal or written to a CSV: every
// C0 control character, DEL and the C1 controls (U+0080..U+009F) become a
// visible escape (\t, \n, \r, \xNN, \u00NN), so a stored value can neither
// start a new line or column nor send terminal escape sequences.
// keep_newlines keeps '\n' (multi-line text such as OCR page text).
std::string EscapeControls(std::string_view text, bool keep_newlines = false);

// One CSV cell: EscapeControls, then a cell starting with = + - @ (a
// formula to spreadsheet programs) gets a leading ' and is quoted; a cell
// with a comma or a quote is quoted (RFC 4180).
std::string CsvCell(std::string_view text);

// Replaces every occurrence of from in s by to (nothing when from is empty).
void ReplaceAll(std::string& s, std::string_view from, std::string_view to);

}  // namespace dossier
