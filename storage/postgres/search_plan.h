// Internal to storage/postgres: the plan of a search's candidate query
// (docs/search-bench.md, "PostgreSQL beside SQLite").
//
// The candidates are the newest kCandidates matching pages (ORDER BY
// page_id DESC LIMIT n). For a term in many pages the cheapest way there is
// to walk the pages newest first and stop at n matches; for a rarer term,
// a GIN bitmap scan of every match and a sort. For a query of one lexeme
// (a 1- or 2-character Chinese term, an English word) the planner at
// 1,000,000 pages often took the bitmap scan for terms in a quarter of the
// pages, 0.15-0.2 s. Its own statistics (pg_stats.most_common_elems of the
// tokens column, the share of pages holding each common lexeme) say how
// common the lexeme is: at kWalkShare or more, bitmap scans are turned off
// for this transaction, so the walk is taken. Queries of several lexemes
// are left to the planner (their share is not known: a phrase of common
// words may be rare).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "storage/postgres/database.h"

namespace dossier::storage::postgres {

// Share of pages at or above which the walk is chosen: at most about
// kCandidates / kWalkShare pages are read before kCandidates match.
inline constexpr double kWalkShare = 0.05;

// The lexeme of a tsquery text of one quoted lexeme ('合同'), else nullopt.
std::optional<std::string> SingleLexeme(std::string_view tsquery);

// Chooses the plan as above, for the candidate query that follows in tx.
// Returns whether the walk was chosen. REQUIRES: called inside the
// transaction, before the query.
bool ChooseCandidatePlan(Tx& tx, std::string_view tsquery);

}  // namespace dossier::storage::postgres
