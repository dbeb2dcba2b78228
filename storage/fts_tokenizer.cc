#include "storage/fts_tokenizer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <new>

#include "core/text.h"

namespace dossier::storage {
namespace {

enum class CharClass { kSeparator, kCjk, kWord };

CharClass Classify(UChar32 cp) {
  if (cp < 0) return CharClass::kSeparator;
  bool alnum = u_isalnum(cp);
  if (IsCjkCodepoint(static_cast<char32_t>(cp))) {
    return alnum ? CharClass::kCjk : CharClass::kSeparator;
  }
  if (alnum) return CharClass::kWord;
  // Combining marks continue a word (e.g. decomposed accents that NFKC could
  // not compose); they never start one, see the caller.
  int8_t type = u_charType(cp);
  if (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
      type == U_ENCLOSING_MARK) {
    return CharClass::kWord;
  }
  return CharClass::kSeparator;
}

void AppendFolded(UChar32 cp, std::string& out) {
  UChar32 folded = u_foldCase(cp, U_FOLD_CASE_DEFAULT);
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, U8_MAX_LENGTH, folded, error);
  if (!error) out.append(buf, static_cast<size_t>(n));
}

// --- FTS5 glue. Nothing may throw through these C callbacks. ---

struct TokenizerInstance {};  // stateless; FTS5 still wants a non-null handle

int CreateTokenizer(void*, const char**, int, Fts5Tokenizer** out) {
  auto* instance = new (std::nothrow) TokenizerInstance;
  if (instance == nullptr) return SQLITE_NOMEM;
  *out = reinterpret_cast<Fts5Tokenizer*>(instance);
  return SQLITE_OK;
}

void DeleteTokenizer(Fts5Tokenizer* tokenizer) {
  delete reinterpret_cast<TokenizerInstance*>(tokenizer);
}

int Tokenize(Fts5Tokenizer*, void* ctx, int /*flags*/, const char* text,
             int size, int (*emit)(void*, int, const char*, int, int, int)) {
  if (text == nullptr || size <= 0) return SQLITE_OK;
  try {
    return ForEachToken(
        std::string_view(text, static_cast<size_t>(size)),
        [&](std::string_view token, size_t start, size_t end) {
          return emit(ctx, 0, token.data(), static_cast<int>(token.size()),
                      static_cast<int>(start), static_cast<int>(end));
        });
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

Result<fts5_api*> GetFts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &raw, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_pointer(raw, 1, &api, "fts5_api_ptr", nullptr);
    rc = sqlite3_step(raw);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  std::string message = rc == SQLITE_OK ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(raw);
  if (rc != SQLITE_OK || api == nullptr) {
    return MakeError(ErrorCode::kCatalog,
                     "SQLite has no FTS5 (" + message +
                         ") while registering the search tokenizer");
  }
  return api;
}

}  // namespace

int ForEachToken(std::string_view text, const TokenSink& sink) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  std::string token;
  size_t token_start = 0;
  bool in_word = false;
  int32_t i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 cp;
    U8_NEXT(s, i, length, cp);
    CharClass cls = Classify(cp);
    bool is_mark = cls == CharClass::kWord && !u_isalnum(cp);
    if (cls == CharClass::kWord && (in_word || !is_mark)) {
      if (!in_word) {
        in_word = true;
        token.clear();
        token_start = static_cast<size_t>(start);
      }
      AppendFolded(cp, token);
      continue;
    }
    if (in_word) {
      in_word = false;
      if (int rc = sink(token, token_start, static_cast<size_t>(start))) {
        return rc;
      }
    }
    if (cls == CharClass::kCjk) {
      token.clear();
      AppendFolded(cp, token);
      if (int rc =
              sink(token, static_cast<size_t>(start), static_cast<size_t>(i))) {
        return rc;
      }
    }
  }
  if (in_word) return sink(token, token_start, text.size());
  return 0;
}

Status RegisterTokenizer(sqlite3* db) {
  auto api = GetFts5Api(db);
  if (!api) return std::unexpected(api.error());
  static fts5_tokenizer tokenizer = {CreateTokenizer, DeleteTokenizer,
                                     Tokenize};
  int rc = (*api)->xCreateTokenizer(*api, kTokenizerName, nullptr, &tokenizer,
                                    nullptr);
  if (rc != SQLITE_OK) {
    return MakeError(ErrorCode::kCatalog,
                     std::string("cannot register the search tokenizer: ") +
                         sqlite3_errstr(rc));
  }
  return Ok();
}

}  // namespace dossier::storage
