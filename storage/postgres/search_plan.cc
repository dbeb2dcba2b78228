#include "storage/postgres/search_plan.h"

namespace dossier::storage::postgres {

std::optional<std::string> SingleLexeme(std::string_view q) {
  if (q.size() < 3 || q.front() != '\'') return std::nullopt;
  std::string lexeme;
  for (size_t i = 1; i < q.size(); ++i) {
    const char c = q[i];
    if (c == '\\') {
      if (++i >= q.size()) return std::nullopt;
      lexeme.push_back(q[i]);
    } else if (c == '\'') {
      if (i + 1 != q.size() || lexeme.empty()) return std::nullopt;
      return lexeme;
    } else {
      lexeme.push_back(c);
    }
  }
  return std::nullopt;
}

bool ChooseCandidatePlan(Tx& tx, std::string_view tsquery) {
  const auto lexeme = SingleLexeme(tsquery);
  if (!lexeme) return false;
  const Sql share{
      "search.lexeme_share",
      "SELECT u.f FROM pg_stats s, unnest(s.most_common_elems::text::text[], "
      "s.most_common_elem_freqs) AS u(e, f) WHERE s.schemaname = current_schema() "
      "AND s.tablename = 'page_search' AND s.attname = 'tokens' AND u.e = $1"};
  auto rows = tx.Exec(share, *lexeme);
  if (rows.empty() || rows[0][0].is_null() || rows[0][0].as<double>() < kWalkShare) {
    return false;
  }
  tx.Run("SET LOCAL enable_bitmapscan = off");
  return true;
}

}  // namespace dossier::storage::postgres
