#!/bin/sh
# `make bench-server`: the server under 50 concurrent connections (wrk)
# against search, page previews and document pages of an archive of TOTAL
# documents, while an ingest of corpus pages runs beside it.
#   bench/server_bench.sh DOSSIER SERVER_SEED SAMPLES CORPUS [TOTAL] [WORK]
set -eu
DOSSIER=$1
SEED=$2
SAMPLES=$3
CORPUS=$4
TOTAL=${5:-1000}
WORK=${6:-$(mktemp -d /tmp/dossier-bench-server.XXXXXX)}
DURATION=${DURATION:-10s}
ARCHIVE=$WORK/archive
rm -rf "$ARCHIVE"
export DOSSIER_PASSWORD=bench-admin-pass
export DOSSIER_USER=admin
"$DOSSIER" init "$ARCHIVE" --admin admin >/dev/null
A="$DOSSIER --archive $ARCHIVE"
echo bench-clerk-pass | $A user add clerk --role clerk --password-stdin >/dev/null
CUSTOMER=$($A customer add --name "上海明川贸易有限公司" --kind company | cut -f1)
$A ingest "$SAMPLES"/zh-contract-1.png "$SAMPLES"/zh-contract-2.png "$SAMPLES"/en-agreement.png \
  --customer "$CUSTOMER" --type contract --jobs 2 >/dev/null || [ $? -eq 10 ]
"$SEED" "$ARCHIVE" "$TOTAL"

$A serve --listen 127.0.0.1:0 --workers 4 >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening "$WORK/serve.log" && break; sleep 0.2; done
BASE=$(grep -o 'http://[0-9.:]*' "$WORK/serve.log")
COOKIE=$(curl -s -i -H 'Content-Type: application/json' \
  -d '{"user":"clerk","password":"bench-clerk-pass"}' "$BASE/api/login" |
  grep -i '^set-cookie' | sed 's/^[^:]*: //; s/;.*//')

# An ingest beside the load: real corpus pages, OCRed.
mkdir -p "$WORK/inbox"
find "$CORPUS" -name '*.png' | head -8 | while read -r f; do cp "$f" "$WORK/inbox/"; done
( $A ingest "$WORK"/inbox/* --customer "$CUSTOMER" --jobs 1 >"$WORK/ingest.log" 2>&1 || true ) &
INGEST=$!

# Warm the preview cache once, as a first viewer would.
curl -s -o /dev/null -H "Cookie: $COOKIE" "$BASE/api/documents/D000001/pages/1/image?width=600"

printf '%-10s %10s %10s %10s %8s\n' endpoint 'req/s' p50 p99 errors
run() {
  name=$1
  path=$2
  out=$(wrk -t2 -c50 -d"$DURATION" --latency -H "Cookie: $COOKIE" "$BASE$path")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  printf '%-10s %10s %10s %10s %8s\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}"
}
run search '/api/search?q=%E5%90%88%E5%90%8C&limit=20'
run preview '/api/documents/D000500/pages/1/image?width=600'
run document '/api/documents/D000700'
wait $INGEST || true
echo "ingest beside the load: $(grep -c . "$WORK/ingest.log" || true) lines of output ($WORK/ingest.log)"
echo "documents: $TOTAL; work folder: $WORK"
