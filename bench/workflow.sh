#!/usr/bin/env bash
# Workflow DAG vs a shell script: a 10-job fan-out/fan-in workflow (start -> 8 parallel jobs -> join), each job
# `sleep S` in gradient-test/web:1, timed from `workflows run` to SUCCEEDED; then the same 10 containers started
# with `docker run --rm` one after another by this script. Prints both and the ratio (workflow / script).
# Target (issue 16 §5): <= 1.3x; the DAG runs the 8 middle jobs in parallel, so it can beat the script.
#
#   bench/workflow.sh [-s SECONDS_PER_JOB] [-r ROUNDS]
#   env: GRADIENT_NODE_BIN (else publishes to artifacts/bin), DOCKER_HOST (else /var/run/docker.sock,
#        else a private dockerd in /tmp/gn-bench-docker)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export LC_ALL=C

seconds=1
rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    -s) seconds=$2; shift 2 ;;
    -r) rounds=$2; shift 2 ;;
    -h | --help) usage ;;
    *) unknown_argument "$1" ;;
  esac
done
[[ $seconds =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "-s wants a number of seconds"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "-r wants a positive number"

id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
node=bench-wf-$id
work=
node_pid=

cleanup() {
  set +e
  trap - EXIT INT TERM
  stop_pid "$node_pid"
  [ -z "${DOCKER_HOST:-}" ] || remove_containers --filter "label=gradient.node=$node"
  [ -z "$work" ] || rm -rf "$work"
  [ -z "$GN_DOCKERD_STARTED" ] || stop_private_dockerd "$GN_DOCKERD_STARTED"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


workflow() {
  echo "jobs:"
  echo "  start:"
  echo "    uses: container@v1"
  echo "    with: {image: gradient-test/web:1, args: [sh, -c, \"sleep $seconds\"]}"
  for i in 1 2 3 4 5 6 7 8; do
    echo "  work-$i:"
    echo "    needs: [start]"
    echo "    uses: container@v1"
    echo "    with: {image: gradient-test/web:1, args: [sh, -c, \"sleep $seconds\"]}"
  done
  echo "  join:"
  echo "    needs: [work-1, work-2, work-3, work-4, work-5, work-6, work-7, work-8]"
  echo "    uses: container@v1"
  echo "    with: {image: gradient-test/web:1, args: [sh, -c, \"sleep $seconds\"]}"
}

ensure_apt_packages docker.io busybox-static python3
ensure_engine /tmp/gn-bench-docker
tests/images/build.sh >/dev/null
work=$(mktemp -d /tmp/gn-wf.XXXXXX)
mkdir -p "$work/specs" "$work/state" "$work/run"
bin=${GRADIENT_NODE_BIN:-}
if [ -z "$bin" ]; then
  ensure_dotnet
  dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet
  bin=$PWD/artifacts/bin/gradient-node
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$bin" up --specs-dir "$work/specs" --state-dir "$work/state" --run-dir "$work/run" --workflow-job-limit 8 \
  --listen "http://127.0.0.1:$port" --node-name "$node" --docker-host "$DOCKER_HOST" >"$work/node.log" 2>&1 &
node_pid=$!
until [ -S "$work/run/gradient.sock" ] && "$bin" --socket "$work/run/gradient.sock" workflows ls >/dev/null 2>&1; do sleep 0.1; done
workflow >"$work/fan.yaml"

say "10 jobs (start -> 8 parallel -> join), sleep $seconds each, $rounds rounds"
dag=()
script=()
for round in $(seq "$rounds"); do
  start=$(now)
  "$bin" --socket "$work/run/gradient.sock" workflows run -f "$work/fan.yaml" --wait >"$work/run-$round.txt" || die "round $round: the run did not succeed: $(tail -3 "$work/run-$round.txt")"
  dag+=("$(seconds_between "$start" "$(now)")")

  start=$(now)
  for i in $(seq 10); do
    docker run --rm --label "gradient.node=$node" gradient-test/web:1 sh -c "sleep $seconds" >/dev/null
  done
  script+=("$(seconds_between "$start" "$(now)")")
  echo "round $round: workflow ${dag[-1]} s   docker run x10 in sequence ${script[-1]} s"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
d=$(median "${dag[@]}")
s=$(median "${script[@]}")
echo "median: workflow $d s, script $s s, ratio $(awk -v a="$d" -v b="$s" 'BEGIN { printf "%.2f", a / b }')x (target <= 1.3x)"
echo "machine: nproc $(nproc), memory $(free -g | awk '/Mem:/ { print $2 }') GiB, load $(cut -d' ' -f1-3 /proc/loadavg), docker $(docker version -f '{{.Server.Version}}'), date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
