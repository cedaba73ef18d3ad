#!/usr/bin/env bash
# Fills fuzz/corpus/TARGET/ with seed inputs for the cargo-fuzz targets:
#   protocol  the bundled protocols/*.toml and the hand-written fuzz/seeds/protocol/*
#   sweep     the bundled sweeps/*.toml and fuzz/seeds/sweep/*
#   life      the bundled life studies (protocols/life-*.toml, attribution-dimensions)
#   records   records.csv, records.jsonl and manifest.json of two small runs of the
#             bundled triadic-dog protocol made with the CLI (whole and cut short),
#             and fuzz/seeds/records/*
# Existing corpus files are kept (libFuzzer names its own by content hash).
# Usage: fuzz/seed-corpora.sh   (from anywhere; builds the CLI in release, one job)
set -euo pipefail

fuzz="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$fuzz")"
corpus="$fuzz/corpus"
mkdir -p "$corpus/protocol" "$corpus/sweep" "$corpus/records" "$corpus/life"

cp "$root"/protocols/*.toml "$corpus/protocol/"
cp "$fuzz"/seeds/protocol/* "$corpus/protocol/"
cp "$root"/protocols/life-*.toml "$root"/protocols/attribution-dimensions.toml "$corpus/life/"
cp "$root"/sweeps/*.toml "$corpus/sweep/"
cp "$fuzz"/seeds/sweep/* "$corpus/sweep/"
cp "$fuzz"/seeds/records/* "$corpus/records/"

runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT
cd "$root"
# Built once and run twice (as `cargo run --release -- run ...` would), so both runs
# come from the same build even while the sources change.
cargo build --release -j1 --quiet --bin helplessness
cli="${CARGO_TARGET_DIR:-$root/target}/release/helplessness"
for format in csv json; do
    "$cli" run triadic-dog --subjects 2 --format "$format" \
        --out "$runs/$format" --no-plots --quiet
done
cp "$runs/csv/records.csv" "$corpus/records/records.csv"
cp "$runs/json/records.jsonl" "$corpus/records/records.jsonl"
cp "$runs/csv/manifest.json" "$corpus/records/manifest.json"
# Short versions mutate faster: the header and the first rows.
head -n 25 "$runs/csv/records.csv" > "$corpus/records/records-head.csv"
head -n 12 "$runs/json/records.jsonl" > "$corpus/records/records-head.jsonl"
# A run's manifest is also a protocol file (`helplessness run manifest.json`).
cp "$runs/csv/manifest.json" "$corpus/protocol/manifest.json"

for t in protocol sweep records; do
    echo "$corpus/$t: $(find "$corpus/$t" -type f | wc -l) files"
done
