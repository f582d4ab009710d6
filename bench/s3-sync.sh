#!/usr/bin/env bash
# S3 sync: how long the s3 integration's download (gradient-node fetch, the same S3Fetcher the daemon
# uses) takes for ~1 GB of objects of mixed sizes from a local S3 server, next to `aws s3 sync` of the
# same data in the same run. Interleaved runs; prints per-run seconds, medians and the ratio ours/aws
# (< 1 means faster than aws).
#
#   bench/s3-sync.sh [-r RUNS] [--mb TOTAL_MB]
#   env: GRADIENT_NODE_BIN (else publishes to artifacts/bin), GN_S3RVER_DIR (npm cache, /tmp/gn-s3rver),
#        BENCH_DIR (scratch, default a fresh /tmp/gn-bench-s3.XXXXXX)
# Needs: node + npm (s3rver@3.7.1), python3, curl, awscli (Debian `awscli`, installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export LC_ALL=C

runs=3
total_mb=1024
while [ $# -gt 0 ]; do
  case $1 in
    -r) runs=$2; shift 2 ;;
    --mb) total_mb=$2; shift 2 ;;
    -h | --help) usage ;;
    *) unknown_argument "$1" ;;
  esac
done

command -v aws >/dev/null || ensure_apt_packages awscli
ensure_apt_packages curl python3
ensure_s3rver "${GN_S3RVER_DIR:-/tmp/gn-s3rver}"
bin=${GRADIENT_NODE_BIN:-}
if [ -z "$bin" ]; then
  ensure_dotnet
  say "publishing gradient-node to artifacts/bin"
  dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet
  bin=$PWD/artifacts/bin/gradient-node
fi

work=${BENCH_DIR:-$(mktemp -d /tmp/gn-bench-s3.XXXXXX)}
GN_S3_PID=
cleanup() {
  [ -z "$GN_S3_PID" ] || { kill "$GN_S3_PID" 2>/dev/null; wait "$GN_S3_PID" 2>/dev/null; }
  rm -rf "$work"
}
trap cleanup EXIT

start_test_s3 "$work/s3" bench
say "s3rver on $GN_S3_ENDPOINT; seeding ~${total_mb} MB (mixed: 1/2 in 64 MiB objects, 2/5 in 4 MiB, the rest in 64 KiB)"
mkdir -p "$work/seed"
seed() { # COUNT SIZE_BYTES PREFIX
  local i
  for ((i = 0; i < $1; i++)); do
    head -c "$2" /dev/urandom >"$work/seed/obj"
    s3_put "$GN_S3_ENDPOINT" bench "data/$3/$i.bin" "$work/seed/obj"
  done
}
mib=$((1024 * 1024))
seed $((total_mb / 2 / 64)) $((64 * mib)) large
seed $((total_mb * 2 / 5 / 4)) $((4 * mib)) medium/nested
seed $((total_mb / 10 * 16)) $((64 * 1024)) small/a/b
rm -rf "$work/seed"

export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
ours=() theirs=()
for ((r = 1; r <= runs; r++)); do
  rm -rf "$work/ours" "$work/aws"
  sync; start=$(now)
  "$bin" fetch s3://bench/data/ "$work/ours" --endpoint "$GN_S3_ENDPOINT" >/dev/null
  ours+=("$(python3 -c "print(f'{$(now) - $start:.2f}')")")
  sync; start=$(now)
  aws s3 sync s3://bench/data/ "$work/aws" --endpoint-url "$GN_S3_ENDPOINT" --only-show-errors
  theirs+=("$(python3 -c "print(f'{$(now) - $start:.2f}')")")
  [ "$(du -sb "$work/ours" | cut -f1)" = "$(du -sb "$work/aws" | cut -f1)" ] || die "the two copies differ in size"
  echo "run $r: gradient-node fetch ${ours[-1]}s, aws s3 sync ${theirs[-1]}s"
done
bytes=$(du -sb "$work/ours" | cut -f1)
files=$(find "$work/ours" -type f | wc -l)
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m_ours=$(median "${ours[@]}")
m_aws=$(median "${theirs[@]}")
echo "data: $files objects, $bytes bytes; machine: $(nproc) cores, $(uname -r)"
echo "median: gradient-node fetch ${m_ours}s, aws s3 sync ${m_aws}s"
echo "ratio ours/aws: $(python3 -c "print(f'{$m_ours / $m_aws:.2f}')") (<= 1.00 meets the target)"
