#!/usr/bin/env bash
# Autoscale reaction: with the node's default autoscaler settings, how long from the start of a load above the
# target until a second replica serves requests, against the replica's own start time.
#
#   1. `gradient-node up` (no autoscaler flags: evaluated every 2 s) with one deployment of gradient-test/web:1,
#      replicas 1, maxReplicas 3, requestDuration target 0.1 s; wait until its one replica is ready and routed,
#      without sending it a request (each one would count in its 5-minute requestDuration window).
#   2. The replica's own start time: `docker run -d` of the same image -> first HTTP 200 from it (median of 3).
#   3. t0: C curl loops start requesting /cgi-bin/slowwhoami?S through the proxy (every request takes S s, i.e.
#      S/0.1 times the target); each answer names its replica. Stop at the first answer from a replica other
#      than <slug>-0.
# Prints the replica start time, load -> second replica serving, the overhead (the difference; target < 20 s),
# a breakdown from the status (load -> scale decision -> replica created -> ready) and the ratio.
#
#   bench/autoscale.sh [-c CONNECTIONS] [-s SECONDS]
#   env: GRADIENT_NODE_BIN (else publishes to artifacts/bin), DOCKER_HOST (else /var/run/docker.sock,
#        else a private dockerd in /tmp/gn-bench-docker)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export LC_ALL=C

connections=4
request_seconds=0.3
target=0.1
target_overhead=20
while [ $# -gt 0 ]; do
  case $1 in
    -c) connections=$2; shift 2 ;;
    -s) request_seconds=$2; shift 2 ;;
    -h | --help) usage ;;
    *) unknown_argument "$1" ;;
  esac
done
[[ $connections =~ ^[1-9][0-9]*$ ]] || die "-c wants a positive number"
[[ $request_seconds =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "-s wants a number of seconds"
awk -v s="$request_seconds" -v t="$target" 'BEGIN { exit !(s >= 2 * t) }' ||
  die "-s must be at least twice the target ($target s), or the load is not clearly above it"

id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
slug=autoscale-$id
work=
node_pid=
load_pids=()

stop_load() {
  local pid
  for pid in "${load_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${load_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  load_pids=()
}

cleanup() {
  set +e
  trap - EXIT INT TERM
  stop_load
  stop_pid "$node_pid"
  if [ -n "${DOCKER_HOST:-}" ]; then
    remove_containers --filter "label=gradient.deployment=$slug"
    remove_containers --filter "label=gradient.bench=$slug"
  fi
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
image: gradient-test/web:1
resources:
  machineType: C4
  ports: [8080]
  replicas: 1
  autoscaling:
    enabled: true
    maxReplicas: 3
    metrics:
      - metric: requestDuration
        summary: average
        value: $target
YAML
}

status_json() {
  "$bin" --socket "$work/run/gradient.sock" get "$slug" -o json 2>/dev/null
}

# One ready replica and the autoscaler has looked at the deployment.
ready_idle() {
  status_json | python3 -c '
import json, sys
s = json.load(sys.stdin)
a = s.get("autoscaling") or {}
sys.exit(0 if s["state"] == "Ready" and s["readyReplicas"] == 1 and a.get("evaluatedAt") else 1)' 2>/dev/null
}

# routes.json lists a ready replica of the deployment (the proxy reloads it on change, at the latest in 1 s).
routed() {
  python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
sys.exit(0 if any(d["slug"] == sys.argv[2] and any(r["ready"] for r in d["replicas"]) for d in t["deployments"]) else 1)' \
    "$work/run/routes.json" "$slug" 2>/dev/null
}

# Desired replicas and requests the proxy counted, e.g. "1 0".
desired_and_requests() {
  status_json | python3 -c '
import json, sys
s = json.load(sys.stdin)
print((s.get("autoscaling") or {}).get("desiredReplicas", "?"), (s.get("traffic") or {}).get("requests", 0))'
}

# docker run -d of the image -> first HTTP 200 from the container, in seconds.
docker_run_start() {
  local start cid ip deadline
  start=$(now)
  cid=$(docker run -d --label "gradient.bench=$slug" gradient-test/web:1)
  ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$cid")
  deadline=$((SECONDS + 60))
  until curl -fs -o /dev/null --max-time 1 "http://$ip:8080/"; do
    [ "$SECONDS" -lt "$deadline" ] || die "docker run of gradient-test/web:1 did not answer on $ip:8080 in 60 s"
    sleep 0.02
  done
  seconds_between "$start" "$(now)"
  docker rm -f "$cid" >/dev/null
}

# load_loop FILE: requests through the proxy until killed; one line per answer: "<epoch seconds> <replica>".
load_loop() {
  local file=$1 replica
  while :; do
    replica=$(curl -s --max-time 30 -H "Host: $slug.localhost:$port" "http://127.0.0.1:$port/cgi-bin/slowwhoami?$request_seconds" |
      sed -n 's/^replica=//p')
    printf '%s %s\n' "$EPOCHREALTIME" "${replica:-none}" >>"$file"
  done
}

# first_other_replica: "<epoch seconds> <replica>" of the earliest answer not from <slug>-0, else nothing.
first_other_replica() {
  cat "$work"/load-*.txt 2>/dev/null | awk -v first="$slug-0" '$2 != first && $2 != "none"' | sort -n | head -n 1
}

ensure_apt_packages docker.io busybox-static curl python3
ensure_engine /tmp/gn-bench-docker
tests/images/build.sh >/dev/null
work=$(mktemp -d /tmp/gn-autoscale.XXXXXX)
mkdir -p "$work/specs" "$work/state" "$work/run"
bin=${GRADIENT_NODE_BIN:-}
if [ -z "$bin" ]; then
  ensure_dotnet
  dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet
  bin=$PWD/artifacts/bin/gradient-node
fi
port=$(free_port)
# Default autoscaler settings: no --autoscale-interval, no --scale-down-stabilization.
"$bin" up --specs-dir "$work/specs" --state-dir "$work/state" --run-dir "$work/run" \
  --listen "http://127.0.0.1:$port" --node-name "bench-$id" --docker-host "$DOCKER_HOST" >"$work/node.log" 2>&1 &
node_pid=$!

spec >"$work/specs/$slug.yaml"
deadline=$((SECONDS + 120))
until ready_idle; do
  [ "$SECONDS" -lt "$deadline" ] || die "$slug did not get one ready replica in 120 s (log: $work/node.log)"
  sleep 0.1
done
# No request to the deployment before t0: every request it answers counts in its 5-minute requestDuration window
# (a first request held while the proxy warms up would make the idle deployment scale up on its own). Warm the
# proxy with an unknown host instead (404, counted for no deployment), and wait until the route is published.
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: nothing-$id.localhost:$port" "http://127.0.0.1:$port/")" = 404 ]; do sleep 0.1; done
until routed; do
  [ "$SECONDS" -lt "$deadline" ] || die "$slug has no ready route in $work/run/routes.json after 120 s"
  sleep 0.1
done

starts=()
for _ in 1 2 3; do
  starts+=("$(docker_run_start)")
done
replica_start=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 2p)

sleep 1.5 # the proxy's route poll interval (1 s), should the file watcher miss the change
read -r desired requests <<<"$(desired_and_requests)"
if [ "$desired" != 1 ] || [ "$requests" != 0 ]; then
  die "before the load: desired replicas $desired, requests $requests (want 1 and 0; log: $work/node.log)"
fi
say "load: $connections connections through the proxy, each request ${request_seconds} s (target ${target} s), replicas 1..3"
t0=$(now)
for i in $(seq 1 "$connections"); do
  load_loop "$work/load-$i.txt" &
  load_pids+=("$!")
done
deadline=$((SECONDS + 180))
second=
until second=$(first_other_replica) && [ -n "$second" ]; do
  [ "$SECONDS" -lt "$deadline" ] || die "no second replica served within 180 s of the load (log: $work/node.log)"
  sleep 0.05
done
stop_load
second_at=${second%% *}
second_replica=${second#* }
serving=$(seconds_between "$t0" "$second_at")
overhead=$(awk -v a="$serving" -v b="$replica_start" 'BEGIN { printf "%.2f", a - b }')
verdict=$(awk -v o="$overhead" -v t="$target_overhead" 'BEGIN { print (o < t ? "PASS" : "FAIL") }')
answers=$(cat "$work"/load-*.txt | wc -l)

# Breakdown from the status: the scale event, and the second replica's own history (pending -> ready).
breakdown=$(status_json | python3 -c '
import json, re, sys
from datetime import datetime
def t(text):
    if not text:
        return None
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    return datetime.fromisoformat(text).timestamp()
def first(history, state):
    return next((t(e["timestamp"]) for e in history if e["state"] == state), None)
def fmt(a, b):
    return "?" if a is None or b is None else "%.2f" % (b - a)
s = json.load(sys.stdin)
t0 = float(sys.argv[1]); replica = sys.argv[2]; first_replica = sys.argv[3]
a = s.get("autoscaling") or {}
scale = a.get("lastScale") or {}
instances = {i["id"]: i for i in s["instances"]}
h0 = instances.get(first_replica, {}).get("history", [])
h = instances.get(replica, {}).get("history", [])
decided = t(scale.get("at"))
pending, ready = first(h, "pending"), first(h, "ready")
print("load -> scale decision: %s s   decision -> %s created: %s s   created -> ready: %s s   ready -> serving: %s s"
      % (fmt(t0, decided), replica, fmt(decided, pending), fmt(pending, ready), fmt(ready, float(sys.argv[4]))))
print("scale event: %s -> %s: %s" % (scale.get("from", "?"), scale.get("to", "?"), scale.get("reason", "?")))
print("replica start in the node (pending -> ready): %s s for %s at idle, %s s for %s under load"
      % (fmt(first(h0, "pending"), first(h0, "ready")), first_replica, fmt(pending, ready), replica))
' "$t0" "$second_replica" "$slug-0" "$second_at" 2>&1) || breakdown="(no breakdown: the status could not be read)"

echo "replica start (docker run -d -> first HTTP 200, median of 3): $replica_start s   (runs: ${starts[*]})"
echo "load -> second replica serving: $serving s   (first answer from $second_replica; $answers answers, $connections connections, ${request_seconds} s each)"
echo "$breakdown"
echo "overhead (second replica serving - replica start): $overhead s   target < $target_overhead s: $verdict"
echo "ratio serving/replica start: $(awk -v a="$serving" -v b="$replica_start" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
echo "machine: nproc $(nproc), memory $(free -g | awk '/Mem:/ { print $2 }') GiB, docker $(docker version -f '{{.Server.Version}}'), date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
