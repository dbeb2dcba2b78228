#!/bin/bash
# make bench-search: the search benchmark on SQLite and, in the same run, on
# a private PostgreSQL 15 cluster started (and stopped) here the same way as
# the tests' (scripts/pg-test-cluster.sh). docs/search-bench.md.
#
#   search-bench.sh SEARCH_BENCH PAGES WORK_DIR
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 SEARCH_BENCH PAGES WORK_DIR" >&2; exit 2; }
bench=$1
pages=$2
work=$3
here=$(cd "$(dirname "$0")" && pwd)
state="$work-pg"
trap '"$here/pg-test-cluster.sh" stop "$state"' EXIT
"$here/pg-test-cluster.sh" start "$state"
"$bench" "$pages" "$work" "$(cat "$state/url")"
