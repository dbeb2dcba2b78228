#include "storage/sqlite/fts_tokenizer.h"

#include <algorithm>
#include <new>
#include <vector>

#include "storage/search_tokens.h"

namespace dossier::storage {
namespace {

// --- FTS5 glue. Nothing may throw through these C callbacks. ---

struct TokenizerInstance {
  bool bigrams = false;  // tokenize = 'dossier bigrams'
};

int CreateTokenizer(void*, const char** args, int arg_count,
                    Fts5Tokenizer** out) {
  bool bigrams = false;
  for (int i = 0; i < arg_count; ++i) {
    if (std::string_view(args[i]) == "bigrams") {
      bigrams = true;
    } else {
      return SQLITE_ERROR;  // an unknown option is a schema error
    }
  }
  auto* instance = new (std::nothrow) TokenizerInstance{bigrams};
  if (instance == nullptr) return SQLITE_NOMEM;
  *out = reinterpret_cast<Fts5Tokenizer*>(instance);
  return SQLITE_OK;
}

void DeleteTokenizer(Fts5Tokenizer* tokenizer) {
  delete reinterpret_cast<TokenizerInstance*>(tokenizer);
}

using Emit = int (*)(void*, int, const char*, int, int, int);

struct Held {
  std::string token;
  size_t start = 0;
  size_t end = 0;
  bool cjk = false;
};

int EmitToken(Emit emit, void* ctx, int flags, std::string_view token,
              size_t start, size_t end) {
  return emit(ctx, flags, token.data(), static_cast<int>(token.size()),
              static_cast<int>(start), static_cast<int>(end));
}

// Document text: the shared index tokens (storage/search_tokens.h), a
// bigram colocated with its first character.
int TokenizeDocument(std::string_view text, void* ctx, Emit emit) {
  return ForEachIndexToken(
      text, [&](std::string_view token, size_t, bool colocated, size_t start,
                size_t end) {
        return EmitToken(emit, ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, token,
                         start, end);
      });
}

// Query text: a run of CJK characters with no separator between them
// becomes its bigrams; a lone CJK character and other tokens stay as they
// are.
int TokenizeQuery(std::string_view text, void* ctx, Emit emit) {
  std::vector<Held> run;
  std::string bigram;
  auto flush = [&]() {
    int r = 0;
    if (run.size() == 1) {
      r = EmitToken(emit, ctx, 0, run[0].token, run[0].start, run[0].end);
    }
    for (size_t i = 0; r == 0 && i + 1 < run.size(); ++i) {
      bigram.assign(run[i].token).append(run[i + 1].token);
      r = EmitToken(emit, ctx, 0, bigram, run[i].start, run[i + 1].end);
    }
    run.clear();
    return r;
  };
  int rc = ForEachToken(text, [&](std::string_view token, size_t start,
                                  size_t end) {
    const bool cjk = IsCjkToken(token);
    if (!run.empty() && (!cjk || run.back().end != start)) {
      if (int r = flush()) return r;
    }
    if (cjk) {
      run.push_back({std::string(token), start, end, true});
      return 0;
    }
    return EmitToken(emit, ctx, 0, token, start, end);
  });
  if (rc != 0) return rc;
  return flush();
}

int Tokenize(Fts5Tokenizer* tokenizer, void* ctx, int flags, const char* text,
             int size, Emit emit) {
  if (text == nullptr || size <= 0) return SQLITE_OK;
  const std::string_view input(text, static_cast<size_t>(size));
  const bool bigrams =
      reinterpret_cast<TokenizerInstance*>(tokenizer)->bigrams;
  try {
    if (bigrams && (flags & FTS5_TOKENIZE_DOCUMENT) != 0) {
      return TokenizeDocument(input, ctx, emit);
    }
    if (bigrams && (flags & FTS5_TOKENIZE_QUERY) != 0) {
      return TokenizeQuery(input, ctx, emit);
    }
    return ForEachToken(input,
                        [&](std::string_view token, size_t start, size_t end) {
                          return EmitToken(emit, ctx, 0, token, start, end);
                        });
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

// dossier_rank(): see fts_tokenizer.h. Per phrase, tf * (k1 + 1) /
// (tf + k1 * (1 - b + b * length / average length)), summed.
void Rank(const Fts5ExtensionApi* api, Fts5Context* fts,
          sqlite3_context* result, int, sqlite3_value**) {
  constexpr double kK1 = 1.2;
  constexpr double kB = 0.75;
  const int phrases = api->xPhraseCount(fts);
  int instances = 0;
  int rc = api->xInstCount(fts, &instances);
  std::vector<int> hits;
  try {
    hits.assign(static_cast<size_t>(std::max(phrases, 0)), 0);
  } catch (...) {
    sqlite3_result_error_nomem(result);
    return;
  }
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK && phrase >= 0 && phrase < phrases) ++hits[phrase];
  }
  sqlite3_int64 rows = 0, total = 0;
  int length = 0;
  if (rc == SQLITE_OK) rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &total);
  if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &length);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(result, rc);
    return;
  }
  const double average =
      rows > 0 && total > 0 ? static_cast<double>(total) / rows : 1.0;
  const double norm = kK1 * (1 - kB + kB * length / average);
  double score = 0;
  for (int tf : hits) {
    if (tf > 0) score += tf * (kK1 + 1) / (tf + norm);
  }
  sqlite3_result_double(result, score);
}

// dossier_text_hits(): see fts_tokenizer.h.
void TextHits(const Fts5ExtensionApi* api, Fts5Context* fts,
              sqlite3_context* result, int, sqlite3_value**) {
  int instances = 0;
  int rc = api->xInstCount(fts, &instances);
  sqlite3_int64 in_text = 0;
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK && column == 0) ++in_text;
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(result, rc);
    return;
  }
  sqlite3_result_int64(result, in_text);
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
  rc = (*api)->xCreateFunction(*api, kRankFunctionName, nullptr, Rank,
                               nullptr);
  if (rc == SQLITE_OK) {
    rc = (*api)->xCreateFunction(*api, kTextHitsFunctionName, nullptr,
                                 TextHits, nullptr);
  }
  if (rc != SQLITE_OK) {
    return MakeError(ErrorCode::kCatalog,
                     std::string("cannot register the search ranking: ") +
                         sqlite3_errstr(rc));
  }
  return Ok();
}

}  // namespace dossier::storage
