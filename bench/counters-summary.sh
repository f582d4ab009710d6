#!/usr/bin/env bash
# Sums a dotnet-counters CSV (bench/scale.sh COUNTERS_OUT) over its whole span: JIT'd methods, CPU seconds, GC pause
# seconds, collections, bytes allocated and exceptions by type. Usage: bench/counters-summary.sh FILE.csv
set -euo pipefail
if [ $# -ne 1 ] || [ ! -r "$1" ]; then
  echo "usage: $0 FILE.csv" >&2
  exit 2
fi
awk -F, '$4 == "Rate" && $3 !~ /fragmentation/ { sum[$3] += $NF } END { for (k in sum) printf "%14.3f  %s\n", sum[k], k }' "$1" | sort -k2
