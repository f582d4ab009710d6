#!/usr/bin/env bash
# Where the memory of `gradient-node up` goes: its RSS, split by mapping kind from /proc/PID/smaps, with no
# deployment and with N Ready deployments, for one or more runtime settings (A/B of DOTNET_* knobs, same binary).
#
#   bench/memory.sh [-n 50] [--rounds R] [--variant 'NAME:VAR=V VAR2=V2']... [--smaps]
#   Each variant is a fresh node per round; rounds interleave the variants (A B A B ...) so load drifts hit all
#   alike. Without --variant: one variant "default" (the product's own settings).
#   --smaps: also print the breakdown table of each run (else one line per run).
#   env: GRADIENT_NODE_BIN (else artifacts/bin/gradient-node), DOCKER_HOST, BENCH_IMAGE (default gradient-test/web:1),
#        BENCH_TIMEOUT (s per wait, default 300), SETTLE (s after start / after the Nth Ready before reading, default 20),
#        COUNTERS=1 (dotnet-counters figures of the runtime too: GC committed, JIT'd methods and bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export LC_ALL=C

n=50
rounds=1
smaps=
variants=()
image=${BENCH_IMAGE:-gradient-test/web:1}
timeout_s=${BENCH_TIMEOUT:-300}
settle=${SETTLE:-20}
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --variant) variants+=("$2"); shift 2 ;;
    --smaps) smaps=1; shift ;;
    -h | --help) usage ;;
    *) unknown_argument "$1" ;;
  esac
done
[[ $n =~ ^[0-9]+$ ]] || die "-n wants a number, got '$n'"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds wants a number, got '$rounds'"
[ ${#variants[@]} -gt 0 ] || variants=("default:")

id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
node=mem-$id
work=$(mktemp -d /tmp/gn-mem.XXXXXX)
node_pid=

stop_node() {
  stop_pid "$node_pid"
  node_pid=
}
cleanup() {
  set +e
  trap - EXIT INT TERM
  stop_node
  remove_containers --filter "label=gradient.node=$node"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

api() { curl -fsS --max-time 5 --unix-socket "$work/run/gradient.sock" "http://localhost$1"; }
ready_count() { api /v1/deployments 2>/dev/null | grep -oE '"state": ?"Ready"' | wc -l || true; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$node_pid/status"; }
threads() { awk '/^Threads:/ { print $2 }' "/proc/$node_pid/status"; }

# breakdown: "kind rss_kB pss_kB" per mapping kind of the node's smaps, biggest first.
breakdown() {
  awk '
    /^[0-9a-f]+-[0-9a-f]+ / {
      perms = $2; path = (NF >= 6) ? $6 : ""
      for (i = 7; i <= NF; i++) path = path " " $i
      if (path == "") kind = (perms ~ /x/) ? "anon, executable (JIT code, stubs)" : "anon (GC heap, malloc arenas, loader heaps)"
      else if (path == "[heap]") kind = "[heap] (brk malloc)"
      else if (path ~ /^\[stack/) kind = "[stack] (main thread)"
      else if (path ~ /doublemapper/) kind = (perms ~ /x/) ? "doublemapper, executable view (W^X)" : "doublemapper, writable view (W^X)"
      else if (path ~ /libcoreclr\.so/) kind = "libcoreclr.so"
      else if (path ~ /libclrjit\.so/) kind = "libclrjit.so"
      else if (path ~ /libicu/) kind = "ICU (libicu*)"
      else if (path ~ /System\.Private\.CoreLib\.dll/) kind = "System.Private.CoreLib.dll"
      else if (path ~ /\/shared\/Microsoft\.(NETCore|AspNetCore)\.App\/.*\.dll/) kind = "framework assemblies (R2R)"
      else if (path ~ /\/shared\/Microsoft\.(NETCore|AspNetCore)\.App\/.*\.so/) kind = "framework native libs (libSystem.*.so)"
      else if (path ~ /\.dll$/) kind = "app + package assemblies"
      else if (path ~ /\.so[.0-9]*$/) kind = "other native libs (libc, libstdc++, libgit2, ...)"
      else if (path ~ /\/gradient-node$/) kind = "apphost"
      else kind = "other files (" path ")"
      next
    }
    /^Rss:/ { rss[kind] += $2 }
    /^Pss:/ { pss[kind] += $2 }
    END { for (k in rss) printf "%s\t%d\t%d\n", k, rss[k], pss[k] }
  ' "/proc/$node_pid/smaps" | sort -t$'\t' -k2,2nr
}

# counters: a few System.Runtime figures (one 3 s dotnet-counters sample). Attaching changes the target's memory
# (an EventPipe session and its buffers), so a run with COUNTERS=1 is for these figures, not for its RSS.
counters() {
  rm -f "$work/c.csv"
  timeout 30 "${DOTNET_COUNTERS:-$HOME/.dotnet/tools/dotnet-counters}" collect -p "$node_pid" --format csv -o "$work/c.csv" \
    --counters 'System.Runtime[dotnet.gc.last_collection.memory.committed_size,dotnet.gc.last_collection.heap.size,dotnet.jit.compiled_methods,dotnet.jit.compiled_il.size,dotnet.assembly.count,dotnet.thread_pool.thread.count]' \
    --duration 00:00:00:03 >/dev/null 2>&1 || true
  [ -f "$work/c.csv" ] || { echo "(dotnet-counters gave nothing)"; return; }
  awk -F, 'NR > 1 { name = $3; sub(/ .*/, "", name); sub(/^dotnet\./, "", name); v[name] = $NF } END { for (k in v) printf "%s=%s ", k, v[k]; print "" }' "$work/c.csv"
}

start_node() {
  local env_words=$1 deadline
  rm -rf "$work/specs" "$work/state" "$work/run"
  mkdir -p "$work/specs" "$work/state" "$work/run"
  # shellcheck disable=SC2086 # env_words is a list of VAR=VALUE words
  env $env_words "$bin" up --specs-dir "$work/specs" --state-dir "$work/state" --run-dir "$work/run" \
    --listen "http://127.0.0.1:$(free_port)" --docker-host "$DOCKER_HOST" --node-name "$node" \
    >"$work/node.log" 2>&1 &
  node_pid=$!
  deadline=$((SECONDS + 60))
  until api /v1/health >/dev/null 2>&1; do
    kill -0 "$node_pid" 2>/dev/null || { tail -n 20 "$work/node.log" >&2; die "gradient-node up exited"; }
    [ "$SECONDS" -lt "$deadline" ] || die "gradient-node up did not answer within 60 s"
    sleep 0.1
  done
}

[ -n "${DOCKER_HOST:-}" ] || die "set DOCKER_HOST"
docker image inspect "$image" >/dev/null 2>&1 || tests/images/build.sh
bin=${GRADIENT_NODE_BIN:-$PWD/artifacts/bin/gradient-node}
[ -x "$bin" ] || die "not an executable: $bin (publish first, or set GRADIENT_NODE_BIN)"

for ((r = 1; r <= rounds; r++)); do
  for v in "${variants[@]}"; do
    name=${v%%:*}
    env_words=${v#*:}
    t0=$(now)
    start_node "$env_words"
    up_s=$(seconds_between "$t0" "$(now)")
    sleep "$settle"
    rss0=$(rss_mb) th0=$(threads)
    [ -z "$smaps" ] || breakdown >"$work/b0"
    c0=
    [ -z "${COUNTERS:-}" ] || c0=$(counters)
    rss1=- th1=-
    if [ "$n" -gt 0 ]; then
      mkdir -p "$work/staging"
      for ((i = 0; i < n; i++)); do
        printf 'name: m%s\nimage: %s\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 1\n' "$i" "$image" >"$work/staging/m$i.yaml"
      done
      mv "$work"/staging/*.yaml "$work/specs/"
      deadline=$((SECONDS + timeout_s))
      until [ "$(ready_count)" -ge "$n" ]; do
        [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$work/node.log" >&2; die "timed out: $(ready_count) of $n Ready"; }
        sleep 0.2
      done
      sleep "$settle"
      rss1=$(rss_mb) th1=$(threads)
      [ -z "$smaps" ] || breakdown >"$work/b1"
    fi
    c1=
    [ -z "${COUNTERS:-}" ] || c1=$(counters)
    printf '%-12s round %s: up %ss | RSS empty %s MB -> %s Ready %s MB | threads %s -> %s | load %s\n' \
      "$name" "$r" "$up_s" "$rss0" "$n" "$rss1" "$th0" "$th1" "$(cut -d' ' -f1 /proc/loadavg)"
    [ -z "$c0" ] || printf '             counters empty: %s\n             counters %s:    %s\n' "$c0" "$n" "$c1"
    if [ -n "$smaps" ]; then
      printf '             %-52s %10s %10s %10s\n' "mapping kind (Rss MB; Pss of N)" "empty" "$n Ready" "Pss $n"
      [ -f "$work/b1" ] || : >"$work/b1"
      awk -F'\t' 'NR == FNR { e[$1] = $2; k[$1] = 1; next } { f[$1] = $2; p[$1] = $3; k[$1] = 1 }
        END { for (x in k) printf "%.1f\t%s\t%.1f\t%.1f\t%.1f\n", (f[x] > e[x] ? f[x] : e[x]) / 1024, x, e[x] / 1024, f[x] / 1024, p[x] / 1024 }' \
        "$work/b0" "$work/b1" | sort -t$'\t' -k1,1nr | awk -F'\t' '{ printf "             %-52s %10s %10s %10s\n", $2, $3, $4, $5 }'
      rm -f "$work/b0" "$work/b1"
    fi
    stop_node
    remove_containers --filter "label=gradient.node=$node"
  done
done
printf 'machine: nproc %s, memory %s, binary %s, image %s, settle %s s, date %s\n' \
  "$(nproc)" "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" "$bin" "$image" "$settle" \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
