#!/bin/sh
# Times failed logins of a known and an unknown user name (wrong password),
# to check that both take the same time. Throttling is turned off for the
# run (delay 0, no lockout) so only the password check is measured.
#
#   bench/login_timing.sh [path/to/dossier] [attempts]
set -eu
DOSSIER=${1:-build/cli/dossier}
N=${2:-20}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export HOME="$DIR/home"
mkdir -p "$HOME"
unset DOSSIER_USER DOSSIER_SESSION DOSSIER_PASSWORD DOSSIER_LOG_KEY || true
A="$DIR/archive"
echo boss-pass-1 | "$DOSSIER" --archive "$A" init --admin boss --password-stdin >/dev/null
DOSSIER_USER=boss DOSSIER_PASSWORD=boss-pass-1 \
  "$DOSSIER" --archive "$A" settings login-throttle --delay-ms 0 --lockout-after 0 >/dev/null

ms() { echo $(( $(date +%s%N) / 1000000 )); }
run() {  # name -> prints per-attempt times in ms
  i=0
  while [ "$i" -lt "$N" ]; do
    t0=$(ms)
    echo wrong-pass-1 | "$DOSSIER" --archive "$A" login "$1" --password-stdin \
      >/dev/null 2>&1 || true
    t1=$(ms)
    echo $((t1 - t0))
    i=$((i + 1))
  done
}
summary() {  # label, then times on stdin
  sort -n | awk -v label="$1" '{ a[NR] = $1; s += $1 }
    END { printf "%-8s n=%d min=%d median=%d max=%d mean=%.1f ms\n",
          label, NR, a[1], a[int((NR + 1) / 2)], a[NR], s / NR }'
}
run boss | summary known
run nobody | summary unknown
