#!/usr/bin/env bash
# Scores leakscope against the shared evaluation corpus (../shared/corpus):
# ingests leak-sample, leak-sample-2 and real-formats into cases under $EVAL_DIR (kept, so
# a second run only redoes what changed) and prints the scores.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${LEAKSCOPE_CORPUS:-../shared/corpus}
if [ ! -f "$corpus/leak-sample.truth.json" ]; then
  echo "eval: no corpus at $corpus (set LEAKSCOPE_CORPUS)" >&2
  exit 0
fi
out=${EVAL_DIR:-eval-out}
mkdir -p "$out"
bin/leakscope ingest -q --no-enrich --case "$out/real-formats" "$corpus/real-formats" >/dev/null
formats=(--formats-case "$out/real-formats")
for sample in leak-sample leak-sample-2; do
  [ -d "$corpus/$sample" ] || continue
  bin/leakscope ingest -q --case "$out/$sample" "$corpus/$sample" >/dev/null
  go run ./cmd/lseval --sample "$sample" --case "$out/$sample" "${formats[@]}" --corpus "$corpus"
  formats=() # real-formats is scored once
done
go test -count=1 -v -run '^TestReferenceChrF$' ./internal/translate/gloss | grep '^gloss chrF' || echo "eval: gloss chrF not measured (test failed, or CC-CEDICT missing)" >&2
# Both OCR engines on the OCR files of both samples, in one run: CER and
# recall per image kind, pages/s per core, peak RSS (internal/ocr/ocreval).
LEAKSCOPE_EVAL_ENGINES=1 LEAKSCOPE_EVAL_REPORT="$out/ocr-engines.txt" \
  go test -count=1 -timeout 60m -run '^TestEvalEngines$' ./internal/ocr/ocreval/ >&2
cat "$out/ocr-engines.txt"
