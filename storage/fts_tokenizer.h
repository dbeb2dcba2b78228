// Internal: the "dossier" FTS5 tokenizer, shared by the index and the query
// builder so both cut text the same way.
//
// Why our own: FTS5's trigram tokenizer cannot match queries shorter than
// three characters (most Chinese words are one or two), and unicode61 treats
// a whole run of Chinese as one token. Here:
//   - each CJK letter (IsCjkCodepoint and a letter/digit) is its own token, so
//     a Chinese word of any length is a phrase of adjacent unigrams;
//   - a run of other letters/digits (ICU u_isalnum, plus combining marks) is
//     one token, case-folded (simple per-code-point folding, so the folded
//     token stays aligned with the source bytes);
//   - everything else (spaces, punctuation, CJK punctuation) separates.
// Offsets are byte offsets into the input, as FTS5 needs them for snippet().
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dossier::storage {

inline constexpr char kTokenizerName[] = "dossier";

// Called once per token, in order. start/end are byte offsets of the token's
// source in the input. A non-zero return stops tokenizing and is returned.
using TokenSink =
    std::function<int(std::string_view token, size_t start, size_t end)>;

// Tokenizes UTF-8 text (expected NormalizeText'ed). Invalid UTF-8 bytes act
// as separators. Returns 0 or the first non-zero value from sink.
int ForEachToken(std::string_view text, const TokenSink& sink);

// Registers the tokenizer on this connection. Must run on every connection
// before an FTS5 table using tokenize='dossier' is read or written.
Status RegisterTokenizer(sqlite3* db);

}  // namespace dossier::storage
