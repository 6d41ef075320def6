#!/usr/bin/env bash
# Scale benchmark (issue: the researcher's workflow): build and simulate big topologies, report
# build time, simulation speed and peak memory. Not a test: speed is measured, never asserted.
#   bench/scale.sh [BUILD_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/build}/bin"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

run() { # name, scenario args...
  local name="$1"; shift
  /usr/bin/time -f "%M %e" -o "$TMP/time" "$BIN/scenario" "$@" > "$TMP/out"
  read -r kib secs < "$TMP/time"
  local build run events flows
  build=$(awk '/build_wall_seconds/ {print $3}' "$TMP/out")
  run=$(awk '/run_wall_seconds/ {print $3}' "$TMP/out")
  events=$(awk '/ events / {print $3}' "$TMP/out")
  flows=$(head -1 "$TMP/out")
  awk -v n="$name" -v f="$flows" -v b="$build" -v r="$run" -v e="$events" -v k="$kib" -v t="$secs" \
    'BEGIN { printf "%s\n  %s\n  build %.1f s, run %.1f s, %.0f events (%.0f events/s), peak RSS %.2f GiB, total %.1f s\n", n, f, b, r, e, e / r, k / 1048576, t }'
}

run "leaf-spine: 4 spines, 8 leaves, 128 hosts x 16 VMs (2048 VMs), 10 ms of permutation" \
  --topology="$ROOT/scenarios/topologies/leaf-spine.dot" --traffic=permutation --load=0.01 \
  --duration=10ms

/usr/bin/python3 "$ROOT/scenarios/topologies/generate.py" leaf-spine --leaves 63 \
  --hosts-per-leaf 16 --vms 16 -o "$TMP/ls1000.dot"
run "leaf-spine: 4 spines, 63 leaves, 1008 hosts x 16 VMs (16128 VMs), 1 ms of permutation" \
  --topology="$TMP/ls1000.dot" --traffic=permutation --load=0.01 --duration=1ms
