#!/bin/sh
# The demo: a fresh archive, two customers, the bundled sample pages
# ingested, a few searches, the PDFs exported. Run through `make demo`.
set -eu
: "${DOSSIER:?}" "${SAMPLES:?}" "${DEMO_ARCHIVE:?}"
export DOSSIER_ARCHIVE="$DEMO_ARCHIVE"
# Exports go beside the archive: dossier writes nothing into the archive
# folder but its own files.
DEMO_EXPORTS="$DEMO_ARCHIVE-exported"

step() { printf '\n== %s\n' "$*"; }
# Ingest exits 10 when it finished with warnings; that is fine for a demo.
run_ingest() { "$DOSSIER" ingest "$@" || [ $? -eq 10 ]; }

rm -rf "$DEMO_ARCHIVE" "$DEMO_EXPORTS"
# A secured archive with one admin; each command below proves the password
# through $DOSSIER_PASSWORD (a person would run `dossier login` once).
export DOSSIER_USER=demo-admin DOSSIER_PASSWORD=demo-password
step "dossier init $DEMO_ARCHIVE --admin $DOSSIER_USER"
# DEMO_CATALOG=postgresql://... runs the same demo on a PostgreSQL catalog.
"$DOSSIER" init "$DEMO_ARCHIVE" --admin "$DOSSIER_USER" ${DEMO_CATALOG:+--catalog "$DEMO_CATALOG"}

step "dossier customer add (a company and an English-speaking client)"
ZH=$("$DOSSIER" customer add --name "上海明川贸易有限公司" --kind company | cut -f1)
EN=$("$DOSSIER" customer add --name "Northwind Trading Ltd" --kind company | cut -f1)
echo "Chinese customer: $ZH"
echo "English customer: $EN"

step "dossier ingest: the two-page Chinese contract as one document"
run_ingest "$SAMPLES/zh-contract-1.png" "$SAMPLES/zh-contract-2.png" \
  --one-document --customer "$ZH" --type contract --title "服务合同 HT-2026-0153"

step "dossier ingest: the registration form and the upside-down copy"
for f in "$SAMPLES"/zh-registration*.png; do
  run_ingest "$f" --customer "$ZH" --type form
done

step "dossier ingest: the English agreement"
run_ingest "$SAMPLES/en-agreement.png" --customer "$EN" --type contract \
  --title "Service Agreement"

step "dossier ingest again: the same file is not stored twice"
run_ingest "$SAMPLES/en-agreement.png" --customer "$EN" --type contract

for q in 合同 甲 "Agreement" 统一社会信用代码; do
  step "dossier search $q"
  "$DOSSIER" search "$q"
done

step "dossier customer show $ZH"
"$DOSSIER" customer show "$ZH"

step "dossier export: the archived PDFs"
mkdir -p "$DEMO_EXPORTS"
"$DOSSIER" customer show "$ZH" | awk '/^  D[0-9]/{print $1}' > "$DEMO_EXPORTS/.ids"
"$DOSSIER" customer show "$EN" | awk '/^  D[0-9]/{print $1}' >> "$DEMO_EXPORTS/.ids"
while read -r id; do
  "$DOSSIER" export "$id" --to "$DEMO_EXPORTS/$id.pdf" --force
done < "$DEMO_EXPORTS/.ids"
rm -f "$DEMO_EXPORTS/.ids"

step "dossier log show --user demo-admin (the access log), dossier log verify"
"$DOSSIER" log show --user demo-admin | tail -n 5
"$DOSSIER" log verify

step "Done"
if [ -n "${DEMO_CATALOG:-}" ]; then layout="catalog on PostgreSQL, objects/"; else layout="catalog.sqlite, objects/"; fi
echo "Archive:        $DEMO_ARCHIVE ($layout)"
echo "Exported PDFs:  $DEMO_EXPORTS/"
echo "Try:            DOSSIER_ARCHIVE=$DEMO_ARCHIVE $DOSSIER login demo-admin   (password: demo-password)"
echo "                DOSSIER_ARCHIVE=$DEMO_ARCHIVE $DOSSIER search 合同"
