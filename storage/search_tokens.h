// How page text and query terms are cut into search tokens, for every
// catalog backend (the SQLite FTS5 tokenizer, storage/sqlite/fts_tokenizer.h,
// and the PostgreSQL tsvector, storage/postgres/search.h). No database here.
//
// Why our own: most Chinese words are one or two characters, which trigram
// indexes cannot find, and word-splitting tokenizers treat a whole run of
// Chinese as one token. Here:
//   - each CJK letter (IsCjkCodepoint and a letter/digit) is its own token, so
//     a Chinese word of any length is a phrase of adjacent unigrams;
//   - a run of other letters/digits (ICU u_isalnum, plus combining marks) is
//     one token, case-folded (simple per-code-point folding, so the folded
//     token stays aligned with the source bytes);
//   - everything else (spaces, punctuation, CJK punctuation) separates.
// Offsets are byte offsets into the input.
//
// Bigrams: a common character such as 合 is on most pages, so a phrase of
// unigrams walks very long position lists. The index therefore also holds,
// colocated with (at the same position as) every CJK token whose next token
// is CJK too, the bigram of the two (合同 at the position of 合). Positions
// stay those of the unigrams. A query term is looked up by QueryTermTokens:
// a run of CJK characters becomes its bigrams (合同书 -> 合同 同书, at
// consecutive positions), a single CJK character its unigram.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::storage {

// Called once per token, in order. start/end are byte offsets of the token's
// source in the input. A non-zero return stops tokenizing and is returned.
using TokenSink =
    std::function<int(std::string_view token, size_t start, size_t end)>;

// Tokenizes UTF-8 text (expected NormalizeText'ed). Invalid UTF-8 bytes act
// as separators. Returns 0 or the first non-zero value from sink.
int ForEachToken(std::string_view text, const TokenSink& sink);

// True for a token ForEachToken emits for one CJK character.
bool IsCjkToken(std::string_view token);

// Index tokens of a text: every ForEachToken token with its position
// (0-based token number), and after a CJK token followed by another CJK
// token their bigram, colocated (same position, colocated = true, start of
// the first and end of the second character). Returns 0 or the first
// non-zero value from sink.
using IndexTokenSink = std::function<int(std::string_view token, size_t position,
                                         bool colocated, size_t start, size_t end)>;
int ForEachIndexToken(std::string_view text, const IndexTokenSink& sink);

// The index tokens that find a term as a phrase, from the term's
// ForEachToken tokens: result[i] must sit at position p + i for some p. A
// run of two or more CJK characters is its bigrams; when more tokens follow
// the run in the same term, the run's last character is added as a unigram
// so that the positions of the tokens after it line up (公司 abc -> 公司 司
// abc). A lone CJK character and other tokens stay as they are.
std::vector<std::string> QueryTermTokens(const std::vector<std::string>& tokens);

}  // namespace dossier::storage
