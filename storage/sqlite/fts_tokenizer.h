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
//
// Bigrams (schema version 7, `tokenize = 'dossier bigrams'`): a common
// character such as 合 is on most pages, so a phrase of unigrams walks very
// long position lists. With the `bigrams` argument the index also holds,
// colocated with (at the same position as) every CJK token whose next token
// is CJK too, the bigram of the two (合同 at the position of 合). Positions,
// offsets and the document length stay those of the unigrams. In query text
// (FTS5_TOKENIZE_QUERY) a run of CJK characters without a separator between
// them becomes its bigrams (合同书 -> 合同 同书, a two-token phrase), and a
// single CJK character its unigram; search_query.h writes queries in this
// form (MatchForm::kBigrams). snippet() (FTS5_TOKENIZE_AUX) sees unigrams only.
// Without the argument the tokenizer emits unigrams in every mode.
#pragma once

#include <sqlite3.h>

#include <string>

#include "core/result.h"
#include "storage/search_tokens.h"

namespace dossier::storage {

inline constexpr char kTokenizerName[] = "dossier";
// FTS5 auxiliary function registered with the tokenizer:
// dossier_rank(page_fts) is a BM25 score (k1 = 1.2, b = 0.75, higher is
// better) from the row's phrase hit counts and length, with every phrase
// weighted 1. FTS5's bm25() also weights each phrase by its inverse document
// frequency, which it finds by walking the phrase's whole doclist once per
// query: that walk is what made common terms slow, so it is left out.
inline constexpr char kRankFunctionName[] = "dossier_rank";
// dossier_text_hits(page_fts): how many phrase instances of the query are in
// column 0 (the page text); 0 when the row matched by its other columns
// only (the document's metadata).
inline constexpr char kTextHitsFunctionName[] = "dossier_text_hits";

// ForEachToken, IsCjkToken and the bigram rule are shared with the other
// backends: storage/search_tokens.h.

// Registers the tokenizer and dossier_rank() on this connection. Must run on every connection
// before an FTS5 table using tokenize='dossier' is read or written.
Status RegisterTokenizer(sqlite3* db);

}  // namespace dossier::storage
