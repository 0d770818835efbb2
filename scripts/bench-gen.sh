#!/usr/bin/env bash
# Benchmark: `sseconf gen` of the full example as a whole process (start, load and validate the
# spec, parse every template once, render, write). Target: under 20 ms per run.
# Prints the mean and min over many runs, and the bare process start (`sseconf --version`) from the
# same run as a baseline ratio, because these 2 cores are noisy.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${RUNS:-100}
cargo build --release --quiet
bin=target/release/sseconf
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

time_runs() { # prints per-run milliseconds, one per line
  local i start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
  done
}

summarize() { # name, then microsecond samples on stdin
  sort -n | awk -v name="$1" '{ v[NR] = $1; s += $1 } END {
    printf "%-34s mean %6.2f ms   median %6.2f ms   min %6.2f ms   (%d runs)\n", name, s / NR / 1000, v[int((NR + 1) / 2)] / 1000, v[1] / 1000, NR }'
}

"$bin" gen examples/streaming.yaml -o "$out/deploy" -q   # first write; the runs below rewrite nothing
files=$(find "$out/deploy" -type f | wc -l)
echo "sseconf gen examples/streaming.yaml ($files files)"
base=$(time_runs "$bin" --version | tee >(summarize "process start (--version)" >&2) | sort -n | sed -n "$((runs / 2))p")
gen_unchanged=$(time_runs "$bin" gen examples/streaming.yaml -o "$out/deploy" -q | tee >(summarize "gen, files up to date" >&2) | sort -n | sed -n "$((runs / 2))p")
gen_fresh=$(for ((i = 0; i < runs; i++)); do
  rm -rf "$out/fresh"
  start=$(date +%s%N); "$bin" gen examples/streaming.yaml -o "$out/fresh" -q; end=$(date +%s%N)
  echo $(( (end - start) / 1000 ))
done | tee >(summarize "gen into an empty folder" >&2) | sort -n | sed -n "$((runs / 2))p")
sleep 0.2
awk -v b="$base" -v u="$gen_unchanged" -v f="$gen_fresh" 'BEGIN {
  printf "median ratios to process start: up-to-date %.1fx, fresh %.1fx\n", u / b, f / b
  printf "target < 20 ms (fresh median %.2f ms): %s\n", f / 1000, (f < 20000 ? "met" : "NOT met") }'
