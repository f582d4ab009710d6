#!/usr/bin/env bash
# Rollout under load: wrk drives steady traffic through the gradient-node proxy while the deployment's image
# changes gradient-test/web:1 -> :2 -> :1. Prints requests, non-2xx responses, socket errors and how long each
# rollout took (spec written -> every replica ready on the new version). Target: zero failed requests.
#
#   bench/rollout.sh [-n REPLICAS] [-c CONNECTIONS]
#   env: GRADIENT_NODE_BIN (else publishes to artifacts/bin), DOCKER_HOST (else /var/run/docker.sock,
#        else a private dockerd in /tmp/gn-bench-docker)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export LC_ALL=C

replicas=2
connections=8
while [ $# -gt 0 ]; do
  case $1 in
    -n) replicas=$2; shift 2 ;;
    -c) connections=$2; shift 2 ;;
    -h | --help) usage ;;
    *) unknown_argument "$1" ;;
  esac
done
[[ $replicas =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive number"
[[ $connections =~ ^[1-9][0-9]*$ ]] || die "-c wants a positive number"

id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
slug=rollout-$id
work=
node_pid=
wrk_pid=

cleanup() {
  set +e
  trap - EXIT INT TERM
  [ -z "$wrk_pid" ] || kill "$wrk_pid" 2>/dev/null
  stop_pid "$node_pid"
  [ -z "${DOCKER_HOST:-}" ] || remove_containers --filter "label=gradient.deployment=$slug"
  [ -z "$work" ] || rm -rf "$work"
  [ -z "$GN_DOCKERD_STARTED" ] || stop_private_dockerd "$GN_DOCKERD_STARTED"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


spec() {
  cat <<YAML
apiVersion: v1
name: $slug
image: $1
resources:
  machineType: C4
  ports: [8080]
  replicas: $replicas
YAML
}

# ready_on IMAGE: the deployment is Ready, every instance current, on IMAGE.
ready_on() {
  "$bin" --socket "$work/run/gradient.sock" get "$slug" -o json 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)
ok = s["state"] == "Ready" and s["image"] == sys.argv[1] and len(s["instances"]) == s["desiredReplicas"] and all(i.get("current", True) and i["ready"] for i in s["instances"])
sys.exit(0 if ok else 1)' "$1" 2>/dev/null
}

wait_ready_on() {
  local deadline=$((SECONDS + 300))
  until ready_on "$1"; do
    [ "$SECONDS" -lt "$deadline" ] || die "rollout to $1 did not finish in 300 s"
    sleep 0.1
  done
}

ensure_apt_packages docker.io busybox-static curl wrk python3
ensure_engine /tmp/gn-bench-docker
tests/images/build.sh >/dev/null
work=$(mktemp -d /tmp/gn-roll.XXXXXX)
mkdir -p "$work/specs" "$work/state" "$work/run"
bin=${GRADIENT_NODE_BIN:-}
if [ -z "$bin" ]; then
  ensure_dotnet
  dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet
  bin=$PWD/artifacts/bin/gradient-node
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$bin" up --specs-dir "$work/specs" --state-dir "$work/state" --run-dir "$work/run" \
  --listen "http://127.0.0.1:$port" --node-name "bench-$id" --docker-host "$DOCKER_HOST" >"$work/node.log" 2>&1 &
node_pid=$!

spec gradient-test/web:1 >"$work/specs/$slug.yaml"
wait_ready_on gradient-test/web:1
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $slug.localhost:$port" "http://127.0.0.1:$port/")" = 200 ]; do sleep 0.1; done

say "wrk: $connections connections through the proxy, $replicas replicas, image 1 -> 2 -> 1"
wrk -t2 -c"$connections" -d90s -H "Host: $slug.localhost:$port" "http://127.0.0.1:$port/" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 3
times=()
for image in gradient-test/web:2 gradient-test/web:1; do
  start=$(now)
  spec "$image" >"$work/specs/$slug.yaml"
  wait_ready_on "$image"
  times+=("$(seconds_between "$start" "$(now)")")
  sleep 3
done
kill -INT "$wrk_pid" 2>/dev/null
wait "$wrk_pid" 2>/dev/null || true
wrk_pid=

requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
non2xx=$(awk -F': ' '/Non-2xx or 3xx responses/ { print $2 }' "$work/wrk.txt")
socket=$(grep -o 'Socket errors:.*' "$work/wrk.txt" || echo "Socket errors: none")
echo "requests: ${requests:-?}   non-2xx: ${non2xx:-0}   ${socket}"
echo "rollout 1 -> 2: ${times[0]} s   rollout 2 -> 1: ${times[1]} s   ($replicas replicas, drain 2 s each)"
echo "machine: nproc $(nproc), memory $(free -g | awk '/Mem:/ { print $2 }') GiB, docker $(docker version -f '{{.Server.Version}}'), date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
