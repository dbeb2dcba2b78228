#!/bin/sh
# The README's "A session of real use", run for real on a fresh archive:
# every command the README shows is run here, in this order, and what it
# prints is what the README quotes. tests/e2e/readme_session_test.cc runs
# this script and checks the README against its transcript.
#
# Usage: scripts/readme-session.sh DOSSIER SAMPLES_DIR WORK_DIR
#   DOSSIER      the dossier binary
#   SAMPLES_DIR  pages written by dossier-samples (build/samples/pages)
#   WORK_DIR     scratch folder; removed and made again
set -eu
DOSSIER=$1
SAMPLES=$2
WORK=$3

rm -rf "$WORK"
mkdir -p "$WORK/scans"
cd "$WORK"
cp "$SAMPLES/zh-contract-1.png" contract-p1.png
cp "$SAMPLES/zh-contract-2.png" contract-p2.png
cp "$SAMPLES/zh-registration.png" scans/registration.png
cp "$SAMPLES/zh-registration-upside-down.png" scans/registration-upside-down.png

# The README's `export DOSSIER_ARCHIVE=/srv/dossier`, in the scratch folder.
DOSSIER_ARCHIVE="$WORK/archive"
DOSSIER_USER=clerk
export DOSSIER_ARCHIVE DOSSIER_USER OMP_THREAD_LIMIT=1
dossier() { "$DOSSIER" "$@"; }

# The README was written in 2026: its customer code is the one a fresh
# archive issues first that year. In another year the code issued is used
# instead (the test compares the README's codes rewritten to that year).
README_CODE=KH-2026-000001-0
CODE=$README_CODE

# Prints the command as the README writes it, then runs it (with the code
# really issued) and prints its output, stderr included. Ingest may end
# with warnings (exit 10); anything else must succeed.
step() {
  printf '$ %s\n' "$1"
  real=$(printf '%s' "$1" | sed "s/$README_CODE/$CODE/g")
  rc=0
  eval "$real" > "$WORK/.out" 2>&1 || rc=$?
  cat "$WORK/.out"
  case "$1" in
    "dossier ingest"*) [ "$rc" -eq 0 ] || [ "$rc" -eq 10 ] || exit "$rc" ;;
    *) [ "$rc" -eq 0 ] || exit "$rc" ;;
  esac
}

step 'dossier init'
step 'dossier customer add --name "上海明川贸易有限公司" --kind company'
CODE=$(cut -f1 "$WORK/.out" | head -n 1)
step 'dossier ingest contract-p1.png contract-p2.png --one-document --customer KH-2026-000001-0 --type contract --title "服务合同"'
step 'dossier ingest scans/*.png --customer KH-2026-000001-0 --type form --jobs 2'
step 'dossier search 合同'
step 'dossier search 甲 --customer KH-2026-000001-0'
step 'dossier search agreement --json'
step 'dossier show D000001'
step 'dossier export D000001 --to contract.pdf'
step 'dossier customer show KH-2026-000001-0'
rm -f "$WORK/.out"
