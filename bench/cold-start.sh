#!/usr/bin/env bash
# Cold start: how long gradient-node takes to bring up N replicas of a new deployment, against what
# a user doing `docker run -d` N times takes.
#
#   (A) drop a v1 spec with N replicas into the (empty) specs dir of a running `gradient-node up`
#       -> until N containers labeled gradient.deployment=<slug> are running
#   (B) `docker run -d` the same image N times, one after the other -> until all N are running
#
# Each is repeated RUNS times (interleaved A, B, A, B, ...); prints per-run seconds, the medians, the
# ratio A/B and the machine. Polls `docker ps` every 50 ms, so figures carry ~50-100 ms of jitter.
#
#   bench/cold-start.sh [-n N] [-r RUNS] [--skip-node]
#     -n N          replicas (default 4)
#     -r RUNS       repetitions of each (default 3)
#     --skip-node   only (B): checks the script and the engine without gradient-node
#   env: GRADIENT_NODE_BIN (else publishes to artifacts/bin), DOCKER_HOST (else /var/run/docker.sock,
#        else a private dockerd in /tmp/gn-bench-docker), BENCH_IMAGE (default gradient-test/web:1,
#        built by tests/images/build.sh when missing), BENCH_TIMEOUT (s per wait, default 120)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export LC_ALL=C # EPOCHREALTIME and printf use '.' as the decimal separator

replicas=4
runs=3
skip_node=
image=${BENCH_IMAGE:-gradient-test/web:1}
timeout_s=${BENCH_TIMEOUT:-120}
while [ $# -gt 0 ]; do
  case $1 in
    -n) replicas=$2; shift 2 ;;
    -r) runs=$2; shift 2 ;;
    --skip-node) skip_node=1; shift ;;
    -h | --help) usage ;;
    *) unknown_argument "$1" ;;
  esac
done
[[ $replicas =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive number, got '$replicas'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-r wants a positive number, got '$runs'"

id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
slug=bench-$id # a v1 name that is already a slug
work=
node_pid=

# --- cleanup: everything this script started ---------------------------------------------------
cleanup() {
  set +e
  trap - EXIT INT TERM
  [ -n "$work" ] && rm -f "$work/specs/$slug.yaml"
  stop_pid "$node_pid" 10
  if [ -n "${DOCKER_HOST:-}" ]; then
    remove_containers --filter "label=gradient.deployment=$slug"
    remove_containers --filter "label=gradient.bench=$id"
  fi
  [ -n "$work" ] && rm -rf "$work"
  [ -z "$GN_DOCKERD_STARTED" ] || stop_private_dockerd "$GN_DOCKERD_STARTED"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers -------------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# wait_running LABEL COUNT: polls every 50 ms until COUNT containers with LABEL are running.
wait_running() {
  local label=$1 want=$2 deadline have
  deadline=$((SECONDS + timeout_s))
  while :; do
    have=$(docker ps -q --filter "label=$label" --filter status=running | wc -l)
    [ "$have" -ge "$want" ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || die "timed out after ${timeout_s}s: $have of $want containers with $label running"
    sleep 0.05
  done
}

# wait_gone LABEL: until no container (in any state) has LABEL.
wait_gone() {
  local label=$1 deadline
  deadline=$((SECONDS + timeout_s))
  while [ -n "$(docker ps -aq --filter "label=$label")" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "timed out after ${timeout_s}s waiting for containers with $label to go"
    sleep 0.1
  done
}

# A loopback TCP port nobody listens on.
free_port() {
  local port i
  for ((i = 0; i < 100; i++)); do
    port=$((20000 + RANDOM % 25000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free loopback port found"
}

node_log_tail() {
  say "last lines of the gradient-node log ($work/node.log):"
  tail -n 30 "$work/node.log" >&2 || true
}

# --- setup ---------------------------------------------------------------------------------------
ensure_apt_packages docker.io busybox-static curl
ensure_engine /tmp/gn-bench-docker
if ! docker image inspect "$image" >/dev/null 2>&1; then
  [ "$image" = gradient-test/web:1 ] || die "image $image is not present locally"
  tests/images/build.sh
fi
work=$(mktemp -d /tmp/gn-bench.XXXXXX) # short: <run-dir>/gradient.sock must fit a unix socket path
mkdir -p "$work/specs" "$work/state" "$work/run"

if [ -z "$skip_node" ]; then
  bin=${GRADIENT_NODE_BIN:-}
  if [ -z "$bin" ]; then
    ensure_dotnet
    say "GRADIENT_NODE_BIN not set: publishing gradient-node to artifacts/bin"
    dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet
    bin=$PWD/artifacts/bin/gradient-node
  fi
  [ -x "$bin" ] || die "not an executable: $bin"
  port=$(free_port)
  say "starting $bin up (specs $work/specs, proxy http://127.0.0.1:$port)"
  "$bin" up \
    --specs-dir "$work/specs" \
    --state-dir "$work/state" \
    --run-dir "$work/run" \
    --listen "http://127.0.0.1:$port" \
    --docker-host "$DOCKER_HOST" \
    >"$work/node.log" 2>&1 &
  node_pid=$!
  deadline=$((SECONDS + 60))
  until curl -fsS --max-time 2 --unix-socket "$work/run/gradient.sock" http://localhost/v1/health >/dev/null 2>&1; do
    if ! kill -0 "$node_pid" 2>/dev/null; then
      rc=0
      wait "$node_pid" || rc=$?
      node_pid=
      node_log_tail
      die "gradient-node up exited (status $rc) before answering GET /v1/health"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      node_log_tail
      die "gradient-node up did not answer GET /v1/health on $work/run/gradient.sock within 60 s"
    fi
    sleep 0.2
  done
fi

# --- (A) gradient-node: spec dropped -> N running ------------------------------------------------
run_node() {
  local t0 t1
  cat >"$work/$slug.yaml" <<EOF
apiVersion: v1
name: $slug
image: $image
resources:
  machineType: C4
  ports: [8080]
  replicas: $replicas
EOF
  t0=$(now)
  mv "$work/$slug.yaml" "$work/specs/$slug.yaml" # atomic: the node never sees half a file
  if ! (wait_running "gradient.deployment=$slug" "$replicas"); then
    node_log_tail
    exit 1
  fi
  t1=$(now)
  seconds_between "$t0" "$t1" 3
  rm -f "$work/specs/$slug.yaml"
  wait_gone "gradient.deployment=$slug"
}

# --- (B) docker run -d, N times in a row -> N running --------------------------------------------
run_docker() {
  local t0 t1 i run=$1
  t0=$(now)
  for ((i = 0; i < replicas; i++)); do
    docker run -d --label "gradient.bench=$id" --name "gn-bench-$id-$run-$i" "$image" >/dev/null
  done
  wait_running "gradient.bench=$id" "$replicas"
  t1=$(now)
  seconds_between "$t0" "$t1" 3
  remove_containers --filter "label=gradient.bench=$id"
}

say "cold start of $replicas replicas of $image, $runs runs each (deployment $slug)"
a_times=()
b_times=()
for ((r = 1; r <= runs; r++)); do
  a=skipped
  if [ -z "$skip_node" ]; then
    a="$(run_node) s"
    a_times+=("${a% s}")
  fi
  b=$(run_docker "$r")
  b_times+=("$b")
  printf 'run %d: A gradient-node %s   B docker run %s s\n' "$r" "$a" "$b"
done

mb=$(median "${b_times[@]}")
if [ -n "$skip_node" ]; then
  printf 'median: A skipped   B %s s   ratio A/B: n/a\n' "$mb"
else
  ma=$(median "${a_times[@]}")
  printf 'median: A %s s   B %s s   ratio A/B: %s\n' "$ma" "$mb" "$(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
fi
printf 'machine: nproc %s, memory %s, docker %s (%s), replicas %s, image %s, date %s\n' \
  "$(nproc)" \
  "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
  "$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')" \
  "$DOCKER_HOST" "$replicas" "$image" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
