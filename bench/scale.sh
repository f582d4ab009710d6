#!/usr/bin/env bash
# Scale on one box: N one-replica deployments dropped into the specs dir at once, against N `docker run -d`.
#
# For each N (a fresh `gradient-node up` per N, its own --node-name):
#   (A) N spec files moved into the specs dir at once -> N containers running (counted from `docker events`, not by
#       polling `docker ps`, which loaded dockerd while it worked) -> N deployments Ready (read from the sampler's answers)
#   (B) `docker run -d` of the same image N times, one after the other -> N running
#   and: the daemon's RSS before (no deployment) and after (N Ready); its CPU while idle over IDLE_S s
#   (N deployments Ready, nothing changing); the latency of GET /v1/deployments (the API, status) sampled
#   10 times a second while (A) runs, by one curl process: median, p95, max.
# The node runs in its own session (setsid), as systemd runs a service: with the kernel's autogroup scheduling a
# process shares its CPU share with its whole session, which here would be the bench's own loops.
# Prints one line per N, the ratio A/B, and the machine with its load average (the box may be shared).
#
#   bench/scale.sh [-n 10,50,100] [--engine-concurrency K] [--idle-only] [--count-api]
#   --idle-only: skip (B) (the idle CPU and RSS figures alone, for a before/after of an idle-cost change)
#   --count-api: the daemon talks to the engine through bench/docker-count-proxy.py (python3), which logs every
#                Docker API request; prints how many (A) made, by kind (the proxy adds latency: time without it)
# Also printed: the daemon's own CPU seconds (utime + stime) during (A), robust against other load, unlike wall time.
#   env: GRADIENT_NODE_BIN (else publishes to artifacts/bin), GRADIENT_NODE_ENV (VAR=VALUE ... for the node; unset:
#        the DOTNET_ settings of systemd/gradient-node.service, so the daemon runs as its unit runs it; set and
#        empty, GRADIENT_NODE_ENV= : the runtime's defaults, as `gradient-node up` runs by hand), DOCKER_HOST (else /var/run/docker.sock,
#        else a private dockerd in /tmp/gn-bench-docker), BENCH_IMAGE (default gradient-test/web:1),
#        BENCH_TIMEOUT (s per wait, default 300), IDLE_S (default 30), IDLE_SETTLE (s from N Ready to the
#        first idle window, default 5: the start's tail, its GC and re-JIT, lands in a short settle),
#        IDLE_WINDOWS (default 1: more windows of IDLE_S s after the first, each printed),
#        SAMPLER_NICE (nice value of the API latency sampler's curl, default 0; e.g. -10 takes the client's own wait for
#        a CPU out of the figure, as root),
#        LOG_OUT (keep the daemon's log of each N as LOG_OUT.nN.log),
#        TRACE_OUT (a dotnet-trace sampled-thread-time profile of the idle daemon for IDLE_S s, taken after the idle figure),
#        COUNTERS_OUT (dotnet-counters System.Runtime every 1 s during (A), COUNTERS_OUT.nN.csv: JIT, GC, exceptions;
#        bench/counters-summary.sh FILE sums them)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export LC_ALL=C

sizes=10,50,100
concurrency=
idle_only=
count_api=
image=${BENCH_IMAGE:-gradient-test/web:1}
timeout_s=${BENCH_TIMEOUT:-300}
idle_s=${IDLE_S:-30}
while [ $# -gt 0 ]; do
  case $1 in
    -n) sizes=$2; shift 2 ;;
    --engine-concurrency) concurrency=$2; shift 2 ;;
    --idle-only) idle_only=1; shift ;;
    --count-api) count_api=1; shift ;;
    -h | --help) usage ;;
    *) unknown_argument "$1" ;;
  esac
done
[[ $sizes =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "-n wants numbers separated by commas, got '$sizes'"

id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
node=scale-$id
choose_node_env systemd/gradient-node.service "the daemon's unit"
work=
node_pid=
sampler_pid=
counter_pid=

stop_node() {
  if [ -n "$sampler_pid" ]; then
    kill "$sampler_pid" 2>/dev/null || true
  fi
  sampler_pid=
  stop_pid "$node_pid"
  node_pid=
}

cleanup() {
  set +e
  trap - EXIT INT TERM
  stop_node
  if [ -n "${DOCKER_HOST:-}" ]; then
    remove_containers --filter "label=gradient.node=$node"
    remove_containers --filter "label=gradient.bench=$id"
  fi
  [ -z "$counter_pid" ] || kill "$counter_pid" 2>/dev/null
  [ -n "$work" ] && rm -rf "$work"
  [ -z "$GN_DOCKERD_STARTED" ] || stop_private_dockerd "$GN_DOCKERD_STARTED"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

running() { docker ps -q --filter "label=$1" --filter status=running | wc -l; }
# started FILE: how many distinct containers `docker events` has reported started in FILE (bash only: no process
# per poll, so that waiting for (A) does not load the box that (A) runs on; `docker ps` every 50 ms did).
started() { local id n=0; declare -A seen=(); while read -r id; do [ -n "${seen[$id]:-}" ] || { seen[$id]=1; n=$((n + 1)); }; done <"$1"; echo "$n"; }
api() { curl -fsS --max-time 5 --unix-socket "$work/run/gradient.sock" "http://localhost$1"; }
ready_count() { local x r=0; while read -r _ x; do r=$x; done <"$work/latency"; echo "$r"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$node_pid/status"; }
threads() { awk '/^Threads:/ { print $2 }' "/proc/$node_pid/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$node_pid/stat"; }
# switches FILE: "tid context-switches" of each daemon thread; wakeups_per_s A B: their growth per second over
# IDLE_S (threads started in between count from 0; those that ended are lost). Load-independent, unlike CPU time.
switches() { for t in /proc/"$node_pid"/task/*; do echo "${t##*/} $(awk '/ctxt_switches:/ { n += $2 } END { print n + 0 }' "$t/status" 2>/dev/null)"; done >"$1"; }
wakeups_per_s() { awk -v s="$idle_s" 'NR == FNR { a[$1] = $2; next } { d += $2 - a[$1] } END { printf "%.1f", d / s }' "$1" "$2"; }

# wait_for WHAT COUNT COMMAND...: polls COMMAND every POLL_S s (default 0.05) until it prints >= COUNT.
wait_for() {
  local what=$1 want=$2 deadline have poll=${POLL_S:-0.05}
  shift 2
  deadline=$((SECONDS + timeout_s))
  while :; do
    have=$("$@")
    [ "$have" -ge "$want" ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$work/node.log" >&2; die "timed out after ${timeout_s}s: $have of $want $what"; }
    sleep "$poll"
  done
}

start_node() {
  local deadline extra=()
  rm -rf "$work/specs" "$work/state" "$work/run"
  mkdir -p "$work/specs" "$work/state" "$work/run"
  [ -z "$concurrency" ] || extra=(--engine-concurrency "$concurrency")
  # shellcheck disable=SC2086 # node_env: one VAR=VALUE per word
  setsid env $node_env "$bin" up --specs-dir "$work/specs" --state-dir "$work/state" --run-dir "$work/run" \
    --listen "http://127.0.0.1:$(free_port)" --docker-host "$node_docker_host" --node-name "$node" "${extra[@]}" \
    >"$work/node.log" 2>&1 &
  node_pid=$!
  deadline=$((SECONDS + 60))
  until api /v1/health >/dev/null 2>&1; do
    kill -0 "$node_pid" 2>/dev/null || { tail -n 20 "$work/node.log" >&2; die "gradient-node up exited"; }
    [ "$SECONDS" -lt "$deadline" ] || die "gradient-node up did not answer within 60 s"
    sleep 0.2
  done
}

# sampler FILE: GET /v1/deployments 10 times a second until stopped, from ONE curl process (--rate; a new connection
# each time, like a CLI call), so that sampling does not load the box it measures: a curl, an awk and a sleep forked
# per sample (as until round 6) cost about 30 ms of CPU each on this VM and starved (A). FILE gets one line per
# answer, "LATENCY_MS READY" (READY: how many deployments the answer showed Ready); ready_count reads the last line,
# so waiting for Ready forks nothing either. Sets sampler_pid (the curl, which ignores SIGPIPE; the awk ends with it).
sampler() {
  nice -n "${SAMPLER_NICE:-0}" curl -s --rate 10/s --max-time 3600 -H 'Connection: close' -w '\n@@ %{time_total}\n' \
    --unix-socket "$work/run/gradient.sock" "http://localhost/v1/deployments?sample=[1-1000000]" 2>/dev/null \
    > >(awk '/"state": ?"Ready"/ { r += gsub(/"state": ?"Ready"/, "&") } /^@@ / { printf "%.1f %d\n", $2 * 1000, r; fflush(); r = 0 }' >"$1") &
  sampler_pid=$!
}

latency_summary() {
  sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } p = int(NR * 0.95); if (p < 1) p = 1; printf "median %.0f ms, p95 %.0f ms, max %.0f ms (%d samples)", v[int((NR + 1) / 2)], v[p], v[NR], NR }'
}

ensure_apt_packages docker.io busybox-static curl
ensure_engine /tmp/gn-bench-docker
docker image inspect "$image" >/dev/null 2>&1 || tests/images/build.sh
bin=${GRADIENT_NODE_BIN:-}
if [ -z "$bin" ]; then
  ensure_dotnet
  say "GRADIENT_NODE_BIN not set: publishing gradient-node to artifacts/bin"
  dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet
  bin=$PWD/artifacts/bin/gradient-node
fi
[ -x "$bin" ] || die "not an executable: $bin"
work=$(mktemp -d /tmp/gn-scale.XXXXXX)
clk=$(getconf CLK_TCK)
node_docker_host=$DOCKER_HOST
if [ -n "$count_api" ]; then
  command -v python3 >/dev/null || die "--count-api needs python3"
  : >"$work/api-calls"
  python3 bench/docker-count-proxy.py "$work/docker.sock" "${DOCKER_HOST#unix://}" "$work/api-calls" &
  counter_pid=$!
  for ((i = 0; i < 50; i++)); do
    [ -S "$work/docker.sock" ] && break
    sleep 0.1
  done
  [ -S "$work/docker.sock" ] || die "the counting proxy did not start"
  node_docker_host=unix://$work/docker.sock
fi
api_calls() { if [ -n "$count_api" ]; then wc -l <"$work/api-calls"; else echo 0; fi; }

IFS=, read -r -a ns <<<"$sizes"
for n in "${ns[@]}"; do
  start_node
  sleep 2 # let the start settle before the first RSS reading
  rss0=$(rss_mb)
  th0=$(threads)
  mkdir -p "$work/staging"
  for ((i = 0; i < n; i++)); do
    printf 'name: s%s\nimage: %s\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 1\n' "$i" "$image" >"$work/staging/s$i.yaml"
  done
  : >"$work/latency"
  sampler "$work/latency"
  tracer_pid=
  if [ -n "${COUNTERS_OUT:-}" ]; then
    dotnet-counters collect -p "$node_pid" --counters System.Runtime --refresh-interval 1 --format csv -o "$COUNTERS_OUT.n$n.csv" \
      </dev/null >"$COUNTERS_OUT.n$n.log" 2>&1 &
    tracer_pid=$!
    sleep 3 # the session starts
  fi
  : >"$work/started"
  docker events --filter type=container --filter event=start --filter "label=gradient.node=$node" --format '{{.ID}}' >>"$work/started" &
  events_pid=$!
  sleep 1 # the event stream is open
  k0=$(api_calls)
  ca0=$(cpu_ticks)
  t0=$(now)
  mv "$work"/staging/*.yaml "$work/specs/"
  wait_for "containers started" "$n" started "$work/started"
  t1=$(now)
  ca1=$(cpu_ticks)
  kill "$events_pid" 2>/dev/null || true
  wait "$events_pid" 2>/dev/null || true
  [ "$(running "gradient.node=$node")" -ge "$n" ] || die "$n containers were reported started, but fewer are running"
  POLL_S=0.1 wait_for "deployments Ready" "$n" ready_count
  t2=$(now)
  ca2=$(cpu_ticks)
  k2=$(api_calls)
  if [ -n "$tracer_pid" ]; then
    kill -TERM "$tracer_pid" 2>/dev/null || true # the CSV is written as it goes
    wait "$tracer_pid" 2>/dev/null || true
  fi
  kill "$sampler_pid" 2>/dev/null
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=
  sleep "${IDLE_SETTLE:-5}" # the rollout's last status writes and route publish
  c0=$(cpu_ticks)
  switches "$work/sw0"
  sleep "$idle_s"
  c1=$(cpu_ticks)
  switches "$work/sw1"
  later=
  for ((w = 2; w <= ${IDLE_WINDOWS:-1}; w++)); do
    cw0=$(cpu_ticks)
    sleep "$idle_s"
    later+=" $(awk -v a="$cw0" -v b="$(cpu_ticks)" -v hz="$clk" -v s="$idle_s" 'BEGIN { printf "%.2f", 100 * (b - a) / hz / s }')"
  done
  rss1=$(rss_mb)
  th1=$(threads)
  idle=$(awk -v a="$c0" -v b="$c1" -v hz="$clk" -v s="$idle_s" 'BEGIN { printf "%.2f", 100 * (b - a) / hz / s }')
  lat=$(latency_summary "$work/latency")
  if [ -n "${TRACE_OUT:-}" ]; then
    dotnet-trace collect -p "$node_pid" --profile dotnet-sampled-thread-time --duration "00:00:$(printf '%02d' "$idle_s")" -o "$TRACE_OUT.n$n.nettrace" >"$TRACE_OUT.n$n.trace.log" 2>&1 ||
      say "dotnet-trace failed (installed? dotnet tool install -g dotnet-trace)"
  fi
  stop_node
  [ -z "${LOG_OUT:-}" ] || cp "$work/node.log" "$LOG_OUT.n$n.log"
  remove_containers --filter "label=gradient.node=$node"

  tb0=$(now)
  tb1=$tb0
  if [ -z "$idle_only" ]; then
    for ((i = 0; i < n; i++)); do
      docker run -d --label "gradient.bench=$id" --name "gn-scale-$id-$i" "$image" >/dev/null
    done
    wait_for "docker run containers running" "$n" running "gradient.bench=$id"
    tb1=$(now)
    remove_containers --filter "label=gradient.bench=$id"
  fi

  a=$(seconds_between "$t0" "$t1")
  b=$(seconds_between "$tb0" "$tb1")
  printf 'N=%s: A spec drop -> %s running %s s, -> %s Ready %s s | B %s x docker run -d %s s | ratio A/B %s\n' \
    "$n" "$n" "$a" "$n" "$(seconds_between "$t0" "$t2")" "$n" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
  printf '      RSS %s MB -> %s MB (%s MB per deployment) | idle CPU %s %% of a core over %s s | API during start: %s\n' \
    "$rss0" "$rss1" "$(awk -v a="$rss0" -v b="$rss1" -v n="$n" 'BEGIN { printf "%.2f", (b - a) / n }')" "$idle" "$idle_s" "$lat"
  printf '      daemon CPU during A: %s s to running, %s s to Ready (utime + stime)\n' \
    "$(awk -v a="$ca0" -v b="$ca1" -v hz="$clk" 'BEGIN { printf "%.2f", (b - a) / hz }')" \
    "$(awk -v a="$ca0" -v b="$ca2" -v hz="$clk" 'BEGIN { printf "%.2f", (b - a) / hz }')"
  if [ -n "$count_api" ]; then
    printf '      Docker API calls during A: %s (%s per deployment):' "$((k2 - k0))" "$(awk -v k="$((k2 - k0))" -v n="$n" 'BEGIN { printf "%.1f", k / n }')"
    sed -n "$((k0 + 1)),${k2}p" "$work/api-calls" | sort | uniq -c | sort -rn | awk '{ c = $1; $1 = ""; printf " %s%s,", c, $0 } END { print "" }'
  fi
  [ -z "$later" ] || printf '      idle CPU in the next %s s windows:%s (%% of a core)\n' "$idle_s" "$later"
  printf '      threads %s -> %s | idle wake-ups %s per s | load average %s\n' "$th0" "$th1" \
    "$(wakeups_per_s "$work/sw0" "$work/sw1")" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
printf 'machine: nproc %s, memory %s, docker %s, image %s, engine concurrency %s, node env %s, date %s\n' \
  "$(nproc)" "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
  "$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')" "$image" "${concurrency:-default}" \
  "'${node_env% }' ($node_env_from)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
