// Search at scale (`make bench-search`, docs/search-bench.md).
//
// Generates a synthetic catalog of PAGES pages of Chinese contract and form
// text with English clauses, builds the `dossier` unigram index and, on the
// same text, an FTS5 trigram index; then reports build time, index size
// over text size, p50/p99 latency per query class through Catalog::Search
// (ranked, with snippets), with and without filters, and recall against a
// brute-force scan of the tokenised text (must be 100%).
//
// With a PostgreSQL URL (make bench-search starts a private cluster with
// scripts/pg-test-cluster.sh), the same pages also go into a fresh
// database's tsvector + GIN index (storage/postgres/search.h) in the same
// run, and the same queries are timed through PgSearchIndex::Search (ranked,
// limit 20) beside SQLite, with the same filters; its recall is checked
// against brute force and the SQLite counts.
//
//   search_bench PAGES WORK_DIR [POSTGRESQL_URL]
//
// Bulk loading writes rows directly (one transaction per 20000 pages,
// synchronous=OFF): the per-document AddDocument path fsyncs every commit,
// which measures the disk, not the index.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "core/text.h"
#include "storage/postgres/catalog.h"
#include "storage/postgres/search.h"
#include "storage/sqlite/catalog.h"
#include "storage/sqlite/fts_tokenizer.h"
#include "storage/sqlite/search_query.h"
#include "storage/sqlite/sqlite_util.h"

namespace fs = std::filesystem;
using namespace dossier;
using SteadyClock = std::chrono::steady_clock;

namespace {

double Ms(SteadyClock::time_point a, SteadyClock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

const std::vector<std::string> kCities = {"上海", "北京", "成都", "苏州", "杭州",
                                          "深圳", "武汉", "西安", "南京", "天津"};
const std::vector<std::string> kTrades = {"明川贸易", "云栈信息", "德润文化", "华远数据",
                                          "恒信医疗", "和泰技术", "志诚财税", "睿达传媒",
                                          "安泰物流", "鼎盛建设", "博远咨询", "嘉禾食品"};
const std::vector<std::string> kSentences = {
    "根据《中华人民共和国民法典》及相关法律法规的规定，甲乙双方在平等、自愿、公平、诚实信用的基础上，经协商一致，订立本合同。",
    "乙方为甲方提供纸质档案数字化加工服务，内容包括档案整理、拆除装订、扫描、图像处理、数据著录及质量检查。",
    "本合同服务期限自二〇二四年三月五日起至二〇二五年三月四日止。",
    "甲方应于本合同签订之日起十个工作日内向乙方支付合同总金额的百分之三十。",
    "乙方对在履行本合同过程中知悉的甲方客户资料、档案内容及商业秘密负有保密义务。",
    "任何一方违反本合同约定的，应向守约方支付违约金；违约金不足以弥补损失的，还应赔偿实际损失。",
    "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，可向人民法院提起诉讼。",
    "档案移交清单经双方签字确认后作为本合同附件，与本合同具有同等法律效力。",
    "客户信息登记表一式两份，客户与我司各留存一份，本表信息仅用于客户服务。",
    "借阅档案不得转借、拆卷、涂改；逾期未还的，档案室将发出催还通知。",
    "验收合格后，乙方应开具合法有效的增值税专用发票。",
    "The Provider shall keep all customer information confidential and shall not disclose it to any third party.",
    "Payment is due within thirty days of invoice; late payment bears interest at the statutory rate.",
    "This service agreement is governed by the laws of the People's Republic of China.",
    "Originals remain the property of the Customer and shall be returned after scanning.",
    "第一条 服务内容 第二条 服务期限 第三条 合同金额及支付方式 第四条 双方权利义务",
    "联系人：周晓岚 电话：021-6234 5678 地址：上海市浦东新区张杨路1288号",
};

// Rare characters and words sprinkled in, so that queries have small hit
// lists too (a real archive has both).
const std::vector<std::string> kRare = {"麒麟", "琥珀", "翡翠湾", "龙门石窟", "zeppelin",
                                        "quarantine", "鹦鹉", "珊瑚礁", "notarised", "骆驼"};

std::string MakePage(std::mt19937& rng, int page) {
  std::uniform_int_distribution<size_t> sentence(0, kSentences.size() - 1);
  std::uniform_int_distribution<int> count(4, 9);
  std::string text = fmt::format("{}{}有限公司 合同编号：HT-{}-{:04d}\n",
                                 kCities[rng() % kCities.size()],
                                 kTrades[rng() % kTrades.size()], 2015 + rng() % 11,
                                 rng() % 10000);
  int n = count(rng);
  for (int i = 0; i < n; ++i) {
    text += kSentences[sentence(rng)];
    if (rng() % 50 == 0) text += kRare[rng() % kRare.size()];
    text += '\n';
  }
  text += fmt::format("第 {} 页", page);
  return text;
}

struct QueryClass {
  std::string name;
  std::vector<std::string> queries;
};

// The brute-force side keeps every page's tokens as ids into one
// vocabulary, in one flat array (at 1 000 000 pages, strings would need
// several GB).
class TokenStore {
 public:
  void AddPage(const std::string& text) {
    storage::ForEachToken(text, [&](std::string_view t, size_t, size_t) {
      auto [it, added] = ids_.try_emplace(std::string(t), ids_.size());
      tokens_.push_back(it->second);
      return 0;
    });
    ends_.push_back(tokens_.size());
  }
  // Pages whose tokens contain the needle's tokens in a row.
  std::int64_t Count(const std::string& text) const {
    std::vector<std::uint32_t> needle;
    bool known = true;
    storage::ForEachToken(text, [&](std::string_view t, size_t, size_t) {
      auto it = ids_.find(std::string(t));
      if (it == ids_.end()) known = false;
      needle.push_back(it == ids_.end() ? 0 : it->second);
      return 0;
    });
    if (!known || needle.empty()) return 0;
    std::int64_t n = 0;
    size_t begin = 0;
    for (size_t end : ends_) {
      n += std::search(tokens_.begin() + begin, tokens_.begin() + end,
                       needle.begin(), needle.end()) != tokens_.begin() + end;
      begin = end;
    }
    return n;
  }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<std::uint32_t> tokens_;
  std::vector<size_t> ends_;
};

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

std::int64_t SizeOf(sqlite3* db, const char* like) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?1",
                     -1, &s, nullptr);
  sqlite3_bind_text(s, 1, like, -1, SQLITE_TRANSIENT);
  std::int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  return n;
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    fmt::print(stderr, "sqlite: {}: {}\n", err ? err : "?", sql.substr(0, 80));
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: search_bench PAGES WORK_DIR [POSTGRESQL_URL]\n");
    return 2;
  }
  const int pages = std::stoi(argv[1]);
  const fs::path work = argv[2];
  const std::string pg_cluster = argc > 3 ? argv[3] : "";
  fs::remove_all(work);
  fs::create_directories(work);
  const fs::path db_path = work / "catalog.sqlite";
  const fs::path tri_path = work / "trigram.sqlite";
  constexpr int kPagesPerDocument = 5;
  constexpr int kCustomers = 1000;

  std::vector<std::string> codes;
  {
    auto catalog = storage::Catalog::Create(db_path);
    if (!catalog) {
      fmt::print(stderr, "{}\n", catalog.error().message);
      return 1;
    }
    for (int i = 0; i < kCustomers; ++i) {
      codes.push_back((*catalog)
                          ->AddCustomer(fmt::format("客户{}", i),
                                        i % 2 ? "company" : "person", "bench")
                          ->code);
    }
  }
  sqlite3* raw = nullptr;
  sqlite3_open(db_path.c_str(), &raw);
  storage::RegisterTokenizer(raw);
  sqlite3* tri = nullptr;
  sqlite3_open(tri_path.c_str(), &tri);
  Exec(raw, "PRAGMA synchronous = OFF");
  Exec(tri, "PRAGMA synchronous = OFF; PRAGMA journal_mode = WAL;"
            "CREATE VIRTUAL TABLE tri USING fts5(text, content = '', "
            "tokenize = 'trigram')");

  namespace pg = storage::postgres;
  std::unique_ptr<pg::PgCatalog> pg_catalog;
  std::unique_ptr<pg::PgSearchIndex> pg_index;
  if (!pg_cluster.empty()) {
    const std::string name = "search_bench";
    auto url = pg::WithDatabase(pg_cluster, name);
    Status s = url ? pg::DropDatabase(pg_cluster, name)
                   : Status(std::unexpected(url.error()));
    if (s) s = pg::CreateDatabase(pg_cluster, name);
    if (s) {
      auto opened = pg::PgCatalog::Open(*url);
      if (opened) pg_catalog = std::move(*opened);
      if (!opened) s = std::unexpected(opened.error());
    }
    if (!s) {
      fmt::print(stderr, "postgresql: {}\n", s.error().message);
      return 1;
    }
    pg_index = std::make_unique<pg::PgSearchIndex>(*pg_catalog);
  }
  std::vector<pg::PgPageText> pg_batch;
  double pg_ms = 0;
  std::int64_t pg_over_limits = 0;
  auto pg_flush = [&]() {
    if (!pg_index || pg_batch.empty()) return true;
    auto t0 = SteadyClock::now();
    auto r = pg_index->IndexPages(pg_batch);
    pg_ms += Ms(t0, SteadyClock::now());
    if (!r) {
      fmt::print(stderr, "postgresql: {}\n", r.error().message);
      return false;
    }
    pg_over_limits += static_cast<std::int64_t>(r->over_limits.size());
    pg_batch.clear();
    return true;
  };

  std::mt19937 rng(20260301);
  sqlite3_stmt *doc_stmt, *page_stmt, *fts_stmt, *tri_stmt;
  sqlite3_prepare_v2(raw,
                     "INSERT INTO documents (customer_id, type, title, status, "
                     "pdf_sha256, pdf_size, page_count, mean_confidence, "
                     "created_at, created_by) VALUES (?1, ?2, 'bench', ?3, "
                     "'0000000000000000000000000000000000000000000000000000000000000000', "
                     "0, 5, 90, '2026-01-01T00:00:00Z', 'bench')",
                     -1, &doc_stmt, nullptr);
  sqlite3_prepare_v2(raw,
                     "INSERT INTO pages (document_id, number, source_file, "
                     "source_index, width, height, dpi, rotation, skew, "
                     "confidence, text) VALUES (?1, ?2, 'x', 0, 2480, 3508, 300, "
                     "0, 0, 90, ?3)",
                     -1, &page_stmt, nullptr);
  sqlite3_prepare_v2(raw,
                     "INSERT INTO page_fts (rowid, text, document_id) VALUES "
                     "(?1, ?2, ?3)",
                     -1, &fts_stmt, nullptr);
  sqlite3_prepare_v2(tri, "INSERT INTO tri (rowid, text) VALUES (?1, ?2)", -1,
                     &tri_stmt, nullptr);
  static const char* kTypes[] = {"contract", "form", "correspondence", "other"};

  double ours_ms = 0, tri_ms = 0;
  std::int64_t text_bytes = 0;
  TokenStore page_tokens;  // for brute force
  std::int64_t document_id = 0;
  Exec(raw, "BEGIN");
  Exec(tri, "BEGIN");
  for (int p = 0; p < pages; ++p) {
    if (p % kPagesPerDocument == 0) {
      sqlite3_bind_int64(doc_stmt, 1, 1 + (p / kPagesPerDocument) % kCustomers);
      sqlite3_bind_text(doc_stmt, 2, kTypes[(p / kPagesPerDocument) % 4], -1,
                        SQLITE_STATIC);
      sqlite3_bind_text(doc_stmt, 3, (p / kPagesPerDocument) % 3 ? "filed" : "pending",
                        -1, SQLITE_STATIC);
      sqlite3_step(doc_stmt);
      sqlite3_reset(doc_stmt);
      document_id = sqlite3_last_insert_rowid(raw);
    }
    const std::string text = NormalizeText(MakePage(rng, p % kPagesPerDocument + 1));
    text_bytes += static_cast<std::int64_t>(text.size());
    auto t0 = SteadyClock::now();
    sqlite3_bind_int64(page_stmt, 1, document_id);
    sqlite3_bind_int(page_stmt, 2, p % kPagesPerDocument + 1);
    sqlite3_bind_text(page_stmt, 3, text.data(), static_cast<int>(text.size()),
                      SQLITE_STATIC);
    sqlite3_step(page_stmt);
    sqlite3_reset(page_stmt);
    const std::int64_t page_id = sqlite3_last_insert_rowid(raw);
    sqlite3_bind_int64(fts_stmt, 1, page_id);
    sqlite3_bind_text(fts_stmt, 2, text.data(), static_cast<int>(text.size()),
                      SQLITE_STATIC);
    sqlite3_bind_int64(fts_stmt, 3, document_id);
    if (sqlite3_step(fts_stmt) != SQLITE_DONE) {
      fmt::print(stderr, "fts insert: {}\n", sqlite3_errmsg(raw));
      return 1;
    }
    sqlite3_reset(fts_stmt);
    auto t1 = SteadyClock::now();
    sqlite3_bind_int64(tri_stmt, 1, page_id);
    sqlite3_bind_text(tri_stmt, 2, text.data(), static_cast<int>(text.size()),
                      SQLITE_STATIC);
    sqlite3_step(tri_stmt);
    sqlite3_reset(tri_stmt);
    auto t2 = SteadyClock::now();
    ours_ms += Ms(t0, t1);
    tri_ms += Ms(t1, t2);
    page_tokens.AddPage(text);
    if (pg_index) {
      const std::int64_t doc_index = p / kPagesPerDocument;
      pg_batch.push_back({page_id, document_id, 1 + doc_index % kCustomers,
                          kTypes[doc_index % 4], doc_index % 3 ? "filed" : "pending",
                          text});
      if (pg_batch.size() >= 5000 && !pg_flush()) return 1;
    }
    if ((p + 1) % 20000 == 0) {
      auto c0 = SteadyClock::now();
      Exec(raw, "COMMIT; BEGIN");
      auto c1 = SteadyClock::now();
      Exec(tri, "COMMIT; BEGIN");
      ours_ms += Ms(c0, c1);
      tri_ms += Ms(c1, SteadyClock::now());
    }
  }
  Exec(raw, "COMMIT");
  Exec(tri, "COMMIT");
  if (!pg_flush()) return 1;
  double pg_analyze_ms = 0;
  std::int64_t pg_table = 0, pg_gin = 0;
  if (pg_index) {
    // GIN's pending list merged and the planner's statistics (which plan a
    // term gets depends on how common its lexemes are), as autovacuum would.
    auto t0 = SteadyClock::now();
    if (auto s = pg_index->Maintain(); !s) {
      fmt::print(stderr, "postgresql: {}\n", s.error().message);
      return 1;
    }
    pg_analyze_ms = Ms(t0, SteadyClock::now());
    auto table = pg_index->TableBytes();
    auto gin = pg_index->IndexBytes();
    if (!table || !gin) {
      fmt::print(stderr, "postgresql: cannot measure the index\n");
      return 1;
    }
    pg_table = *table;
    pg_gin = *gin;
  }
  auto o0 = SteadyClock::now();
  Exec(raw, "INSERT INTO page_fts(page_fts) VALUES ('optimize')");
  auto o1 = SteadyClock::now();
  Exec(tri, "INSERT INTO tri(tri) VALUES ('optimize')");
  const double ours_opt = Ms(o0, o1), tri_opt = Ms(o1, SteadyClock::now());
  for (auto* s : {doc_stmt, page_stmt, fts_stmt}) sqlite3_finalize(s);
  sqlite3_finalize(tri_stmt);
  Exec(raw, "PRAGMA wal_checkpoint(TRUNCATE)");
  Exec(tri, "PRAGMA wal_checkpoint(TRUNCATE)");
  const std::int64_t ours_index = SizeOf(raw, "page_fts%");
  const std::int64_t tri_index = SizeOf(tri, "tri%");

  fmt::print("## search benchmark: {} pages, {} documents, {} customers\n\n", pages,
             pages / kPagesPerDocument, kCustomers);
  fmt::print("| index | build s (+optimize) | index MB | text MB | index/text |\n");
  fmt::print("|---|---|---|---|---|\n");
  fmt::print("| dossier unigram+bigram | {:.1f} (+{:.1f}) | {:.1f} | {:.1f} | {:.2f} |\n",
             ours_ms / 1000, ours_opt / 1000, ours_index / 1e6, text_bytes / 1e6,
             static_cast<double>(ours_index) / text_bytes);
  fmt::print("| FTS5 trigram | {:.1f} (+{:.1f}) | {:.1f} | {:.1f} | {:.2f} |\n\n",
             tri_ms / 1000, tri_opt / 1000, tri_index / 1e6, text_bytes / 1e6,
             static_cast<double>(tri_index) / text_bytes);

  const std::vector<QueryClass> classes = {
      {"1-char CJK", {"档", "违", "鹦", "麒", "诉"}},
      {"2-char CJK", {"合同", "验收", "麒麟", "琥珀", "骆驼"}},
      {"3-char CJK", {"数字化", "翡翠湾", "珊瑚礁", "增值税", "民法典"}},
      {"4-char CJK", {"违约责任", "龙门石窟", "档案移交", "商业秘密", "催还通知"}},
      {"English word", {"confidential", "zeppelin", "quarantine", "invoice", "notarised"}},
      {"phrase", {"\"service agreement\"", "\"third party\"", "\"档案 移交\"",
                  "\"late payment\"", "\"客户 服务\""}},
      {"boolean", {"合同 NOT 违约", "麒麟 OR 骆驼", "(琥珀 OR 珊瑚礁) 档案",
                   "confidential -invoice", "验收 发票"}},
  };

  auto catalog = storage::Catalog::Open(db_path);
  if (!catalog) {
    fmt::print(stderr, "{}\n", catalog.error().message);
    return 1;
  }
  fmt::print("| query class | p50 ms | p99 ms | p50 ms filtered | p99 ms filtered | "
             "trigram p50 ms | hits (ours / trigram / brute force) | recall |\n");
  fmt::print("|---|---|---|---|---|---|---|---|\n");
  sqlite3_stmt* tri_count = nullptr;
  sqlite3_prepare_v2(tri, "SELECT count(*) FROM tri WHERE tri MATCH ?1", -1,
                     &tri_count, nullptr);
  sqlite3_stmt* tri_top = nullptr;
  sqlite3_prepare_v2(tri,
                     "SELECT rowid FROM tri WHERE tri MATCH ?1 ORDER BY rank LIMIT 20",
                     -1, &tri_top, nullptr);
  sqlite3_stmt* our_count = nullptr;
  sqlite3_prepare_v2(raw, "SELECT count(*) FROM page_fts WHERE page_fts MATCH ?1",
                     -1, &our_count, nullptr);
  constexpr int kReps = 7;
  bool all_recall = true;
  bool pg_recall = true;
  std::vector<std::string> pg_rows;
  for (const QueryClass& qc : classes) {
    std::vector<double> plain, filtered, trigram, pg_plain, pg_filtered;
    std::int64_t ours_hits = 0, tri_hits = 0, brute_hits = 0, found = 0;
    std::int64_t pg_hits = 0, pg_found = 0;
    for (const std::string& q : qc.queries) {
      for (int rep = 0; rep < kReps; ++rep) {
        storage::SearchQuery sq{q, "", 20};
        auto t0 = SteadyClock::now();
        auto hits = (*catalog)->Search(sq);
        auto t1 = SteadyClock::now();
        if (!hits) {
          fmt::print(stderr, "{}: {}\n", q, hits.error().message);
          return 1;
        }
        plain.push_back(Ms(t0, t1));
        sq.customer_code = codes[rep * 37 % kCustomers];
        sq.types = {"contract"};
        t0 = SteadyClock::now();
        auto fhits = (*catalog)->Search(sq);
        filtered.push_back(Ms(t0, SteadyClock::now()));
        if (pg_index) {
          // The same query and filter (customer ids follow the codes'
          // order of creation).
          t0 = SteadyClock::now();
          auto ph = pg_index->Search(q, {}, 20);
          pg_plain.push_back(Ms(t0, SteadyClock::now()));
          const storage::postgres::PgSearchFilter filter{
              {rep * 37 % kCustomers + 1}, {"contract"}, {}};
          t0 = SteadyClock::now();
          auto pf = pg_index->Search(q, filter, 20);
          pg_filtered.push_back(Ms(t0, SteadyClock::now()));
          if (!ph || !pf) {
            fmt::print(stderr, "postgresql {}: {}\n", q,
                       (!ph ? ph.error() : pf.error()).message);
            return 1;
          }
        }
        // Trigram: the query as one quoted string, as a user would type it.
        std::string tq = "\"" + q + "\"";
        std::erase(tq, '\\');
        if (q.find('"') != std::string::npos || q.find(' ') != std::string::npos) {
          tq = q;
        }
        sqlite3_bind_text(tri_top, 1, tq.c_str(), -1, SQLITE_TRANSIENT);
        t0 = SteadyClock::now();
        while (sqlite3_step(tri_top) == SQLITE_ROW) {
        }
        trigram.push_back(Ms(t0, SteadyClock::now()));
        sqlite3_reset(tri_top);
        if (rep == 0) {
          sqlite3_bind_text(tri_count, 1, tq.c_str(), -1, SQLITE_TRANSIENT);
          if (sqlite3_step(tri_count) == SQLITE_ROW) {
            tri_hits += sqlite3_column_int64(tri_count, 0);
          }
          sqlite3_reset(tri_count);
        }
      }
      // Recall: every page the brute-force scan finds must be in the index
      // result (counted through the MATCH expression Search uses), and
      // Search with the largest limit must return all of them, up to that
      // limit. Boolean queries are checked by their parts in the other
      // classes.
      auto expr = storage::BuildMatchExpression(q, storage::MatchForm::kBigrams);
      sqlite3_bind_text(our_count, 1, expr->c_str(), -1, SQLITE_TRANSIENT);
      std::int64_t n = 0;
      if (sqlite3_step(our_count) == SQLITE_ROW) n = sqlite3_column_int64(our_count, 0);
      sqlite3_reset(our_count);
      ours_hits += n;
      auto all = (*catalog)->Search(storage::SearchQuery{q, "", 1000});
      if (!all || static_cast<std::int64_t>(all->size()) != std::min<std::int64_t>(n, 1000)) {
        fmt::print(stderr, "{}: Search(limit 1000) returned {} of {} hits\n", q,
                   all ? all->size() : 0, n);
        all_recall = false;
      }
      std::int64_t brute = -1;
      if (qc.name != "boolean") {
        std::string phrase = q;
        std::erase(phrase, '"');
        brute = page_tokens.Count(NormalizeText(phrase));
        brute_hits += brute;
        found += std::min(n, brute);
        if (n != brute) all_recall = false;
      }
      if (pg_index) {
        // Every match, against brute force and against SQLite's count.
        auto matching = pg_index->MatchingPages(q, {});
        const std::int64_t m =
            matching ? static_cast<std::int64_t>(matching->size()) : -1;
        pg_hits += m;
        if (brute >= 0) pg_found += std::min(m, brute);
        if (m != n || (brute >= 0 && m != brute)) {
          fmt::print(stderr, "postgresql {}: {} matches, SQLite {}, brute force {}\n",
                     q, m, n, brute);
          pg_recall = false;
        }
      }
    }
    const bool boolean = qc.name == "boolean";
    fmt::print("| {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {} / {} / {} | {} |\n",
               qc.name, Percentile(plain, 0.5), Percentile(plain, 0.99),
               Percentile(filtered, 0.5), Percentile(filtered, 0.99),
               Percentile(trigram, 0.5), ours_hits, tri_hits,
               boolean ? std::string("-") : std::to_string(brute_hits),
               boolean ? std::string("-")
                       : fmt::format("{:.1f}%", brute_hits ? 100.0 * found / brute_hits
                                                           : 100.0));
    if (pg_index) {
      pg_rows.push_back(fmt::format(
          "| {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} / {:.2f} | {:.2f} / {:.2f} | "
          "{} / {} / {} | {} |\n",
          qc.name, Percentile(pg_plain, 0.5), Percentile(pg_plain, 0.99),
          Percentile(pg_filtered, 0.5), Percentile(pg_filtered, 0.99),
          Percentile(plain, 0.5), Percentile(plain, 0.99), Percentile(filtered, 0.5),
          Percentile(filtered, 0.99), pg_hits, ours_hits,
          boolean ? std::string("-") : std::to_string(brute_hits),
          boolean ? (pg_hits == ours_hits ? "= SQLite" : "DIFFERS")
                  : fmt::format("{:.1f}%", brute_hits ? 100.0 * pg_found / brute_hits
                                                      : 100.0)));
    }
  }
  fmt::print("\nrecall vs brute force: {}\n", all_recall ? "100% (all classes)" : "BELOW 100%");
  if (pg_index) {
    fmt::print("\n### PostgreSQL 15 (tsvector of our tokens, GIN), same pages and queries\n\n");
    fmt::print("| index | build s (+merge, analyze) | GIN MB | tsvector table MB | text MB | "
               "GIN/text | (GIN+table)/text |\n|---|---|---|---|---|---|---|\n");
    fmt::print("| tsvector + GIN | {:.1f} (+{:.1f}) | {:.1f} | {:.1f} | {:.1f} | {:.2f} | {:.2f} |\n\n",
               pg_ms / 1000, pg_analyze_ms / 1000, pg_gin / 1e6, pg_table / 1e6,
               text_bytes / 1e6, static_cast<double>(pg_gin) / text_bytes,
               static_cast<double>(pg_gin + pg_table) / text_bytes);
    if (pg_over_limits > 0) {
      fmt::print("pages past tsvector's position limits: {}\n\n", pg_over_limits);
    }
    fmt::print("| query class | PG p50 ms | PG p99 ms | PG p50 ms filtered | PG p99 ms filtered | "
               "SQLite p50 / p99 ms | SQLite filtered p50 / p99 ms | "
               "hits (PG / SQLite / brute force) | PG recall |\n");
    fmt::print("|---|---|---|---|---|---|---|---|---|\n");
    for (const std::string& row : pg_rows) fmt::print("{}", row);
    fmt::print("\nPostgreSQL recall vs brute force and SQLite: {}\n",
               pg_recall ? "100% (all classes), equal to SQLite" : "BELOW 100%");
  }
  sqlite3_finalize(tri_count);
  sqlite3_finalize(tri_top);
  sqlite3_finalize(our_count);
  sqlite3_close(tri);
  sqlite3_close(raw);
  return all_recall && pg_recall ? 0 : 1;
}
