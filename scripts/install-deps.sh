#!/bin/sh
# Installs every Debian 12 package Dossier's build, demo and tests need.
# Idempotent: does nothing when all packages are already present.
set -eu

PACKAGES="
build-essential cmake pkg-config
libopencv-dev
libtesseract-dev libleptonica-dev libjpeg-dev
tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-chi-sim-vert tesseract-ocr-osd
libhpdf-dev
libsqlite3-dev sqlite3 libssl-dev zlib1g-dev
postgresql-15 libpqxx-dev
libboost-filesystem-dev libboost1.74-dev
libgtest-dev libgmock-dev
libcli11-dev nlohmann-json3-dev libfmt-dev libicu-dev
libzxing-dev
icc-profiles-free
fonts-wqy-microhei fonts-dejavu-core
libharfbuzz-dev
poppler-utils qpdf libqpdf-dev python3-pikepdf
libpoppler-cpp-dev img2pdf imagemagick
default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java
libsane-dev libsane1 sane-utils
libphonenumber-dev
libsodium-dev
curl
chromium
"

# The web UI is built with node and npm; its tests drive Debian's chromium.
# A machine with another Node.js (e.g. one that ships its own npm) keeps it:
# Debian's npm package would conflict with it.
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES="$PACKAGES nodejs npm"
fi

# `install-deps.sh bench` also installs the peers the benchmarks compare with.
if [ "${1:-}" = "bench" ]; then
  PACKAGES="$PACKAGES ocrmypdf unpaper hyperfine time wrk curl"
  # The further Chinese models bench/zh_models.py compares (docs/ocr-models.md).
  PACKAGES="$PACKAGES tesseract-ocr-script-hans tesseract-ocr-script-hans-vert"
fi

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
