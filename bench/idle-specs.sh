#!/usr/bin/env bash
# Idle cost of many spec files: N spec files of disabled deployments (`enabled: false`: no container, so this measures
# the node's own side of a large spec directory: the 2 s rescan of the directory, the 15 s resync and its full pass
# every minute, the route table and the status of N deployments) under one `gradient-node up`, against the same node
# with no spec file at all, same run.
#
# For each of (0, N): a fresh node in its own session (setsid, as systemd runs it) is started, the bench waits until the
# proxy has applied a route table of that many deployments, lets the start's tail pass (IDLE_SETTLE s), then reads the
# daemon's CPU time (utime + stime from /proc/PID/stat, robust against other load, unlike wall time) over IDLE_WINDOWS
# windows of IDLE_S s each. A window of 60 s or more holds one full resync (every deployment reconciled once a minute).
# Prints one line per window and node, then the cost per 1,000 spec files, and the machine with its load average.
#
#   bench/idle-specs.sh [-n 2000]
#   env: GRADIENT_NODE_BIN (else publishes to artifacts/bin), GRADIENT_NODE_ENV (as in bench/scale.sh; unset: the
#        DOTNET_ settings of systemd/gradient-node.service), DOCKER_HOST (else /var/run/docker.sock, else a private
#        dockerd in /tmp/gn-bench-docker), IDLE_S (default 60), IDLE_WINDOWS (default 2), IDLE_SETTLE (default 60),
#        BENCH_TIMEOUT (s to wait for the route table, default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export LC_ALL=C

count=2000
idle_s=${IDLE_S:-60}
windows=${IDLE_WINDOWS:-2}
settle=${IDLE_SETTLE:-60}
timeout_s=${BENCH_TIMEOUT:-300}
while [ $# -gt 0 ]; do
  case $1 in
    -n) count=$2; shift 2 ;;
    -h | --help) usage ;;
    *) unknown_argument "$1" ;;
  esac
done
[[ $count =~ ^[1-9][0-9]*$ ]] || die "-n wants a number of spec files, got '$count'"
[[ $idle_s =~ ^[1-9][0-9]*$ && $windows =~ ^[1-9][0-9]*$ && $settle =~ ^[0-9]+$ ]] || die "IDLE_S, IDLE_WINDOWS and IDLE_SETTLE want whole numbers"

choose_node_env systemd/gradient-node.service "the daemon's unit"
ensure_dotnet
ensure_engine /tmp/gn-bench-docker
bin=${GRADIENT_NODE_BIN:-}
if [ -z "$bin" ]; then
  say "publishing gradient-node to artifacts/bin"
  dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet >/dev/null
  bin=artifacts/bin/gradient-node
fi

work=$(mktemp -d /tmp/gn-idle-specs.XXXXXX)
node_pid=
cleanup() {
  set +e
  trap - EXIT INT TERM
  stop_pid "$node_pid"
  rm -rf "$work"
  [ -z "${GN_DOCKERD_STARTED:-}" ] || stop_private_dockerd "$GN_DOCKERD_STARTED"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$node_pid/stat"; }
hz=$(getconf CLK_TCK)

# run_node N: a node over N spec files; prints "N window cpu%" per window.
run_node() {
  local n=$1 i deadline a b line
  rm -rf "$work/specs" "$work/state" "$work/run"
  mkdir -p "$work/specs" "$work/state" "$work/run"
  for ((i = 1; i <= n; i++)); do
    printf 'apiVersion: v1\nname: idle%05d\nenabled: false\nimage: gradient-test/web:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 1\n' "$i" >"$work/specs/idle$i.yaml"
  done
  # shellcheck disable=SC2086 # node_env: one VAR=VALUE per word
  setsid env $node_env "$bin" up --specs-dir "$work/specs" --state-dir "$work/state" --run-dir "$work/run" \
    --listen "http://127.0.0.1:$(free_port)" --node-name "idle-specs-$$" >"$work/node.log" 2>&1 &
  node_pid=$!
  deadline=$((SECONDS + timeout_s))
  until grep -q "applied: $n deployments" "$work/node.log" 2>/dev/null; do
    kill -0 "$node_pid" 2>/dev/null || { tail -n 20 "$work/node.log" >&2; die "gradient-node up exited"; }
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 5 "$work/node.log" >&2; die "no route table of $n deployments within ${timeout_s}s"; }
    sleep 0.5
  done
  sleep "$settle"
  for ((i = 1; i <= windows; i++)); do
    a=$(cpu_ticks)
    sleep "$idle_s"
    b=$(cpu_ticks)
    line=$(awk -v n="$n" -v w="$i" -v d=$((b - a)) -v hz="$hz" -v s="$idle_s" 'BEGIN { printf "%d %d %.2f", n, w, 100 * d / hz / s }')
    say "spec files, window, idle CPU %: $line"
    echo "$line"
  done
  stop_pid "$node_pid"
  node_pid=
}

say "idle CPU of a node with 0 and $count spec files (disabled deployments), $windows x ${idle_s}s after ${settle}s of settle; node env: ${node_env:-(runtime defaults)} ($node_env_from)"
results=$( { run_node 0; run_node "$count"; } )
echo "$results" | awk -v n="$count" '
  { sum[$1] += $3; k[$1]++; printf "spec files %5d  window %d  idle CPU %5.2f %% of a core\n", $1, $2, $3 }
  END { e = sum[0] / k[0]; f = sum[n] / k[n]; printf "mean: %.2f %% (no spec) / %.2f %% (%d spec files): %.2f %% of a core per 1,000 spec files\n", e, f, n, (f - e) * 1000 / n }'
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
