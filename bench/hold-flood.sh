#!/usr/bin/env bash
# Hold flood: does a crowd of requests to a deployment that is never ready hurt the proxy or its neighbours?
#
# Starts `gradient-node up` with two deployments of gradient-test/web:1: `never` (its readiness probe always
# answers 500, so the proxy holds its requests) and `serve` (ready). Then:
#   1. baseline   wrk -t1 -cC on serve for DURATION s: p99 without the flood
#   2. flood      N connections (one Python process) each send GET / to never and keep the connection open;
#                 the proxy holds up to --max-held-requests (100) and answers 503 + Retry-After to the rest
#   3. during     the same wrk run on serve while the flood is open: p99 during the flood
# The proxy's RSS is polled (/proc/PID/status VmRSS) all along; the peak is VmHWM at the end. Prints the
# figures, the p99 ratio and the targets (peak RSS < 300 MB, p99 ratio < 3x).
#
#   bench/hold-flood.sh [-n N] [-d SECONDS] [-c CONNS] [-m MAX_HELD]
#     -n N          flood connections (default 1000)
#     -m MAX_HELD   passed as --max-held-requests (default: the node's default, 100); -m N holds them all
#     -d SECONDS    each wrk run (default 10)
#     -c CONNS      wrk connections to serve (default 4)
#   env: GRADIENT_NODE_BIN (else publishes to artifacts/bin), DOCKER_HOST (else /var/run/docker.sock,
#        else a private dockerd in /tmp/gn-bench-docker)
#
# Traffic stays on loopback and the engine's bridge. Exit status 0 whether or not the targets are met.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export LC_ALL=C

flood=1000
duration=10
conns=4
max_held=
while [ $# -gt 0 ]; do
  case $1 in
    -n) flood=$2; shift 2 ;;
    -d) duration=$2; shift 2 ;;
    -c) conns=$2; shift 2 ;;
    -m) max_held=$2; shift 2 ;;
    -h | --help) usage ;;
    *) unknown_argument "$1" ;;
  esac
done
[[ $flood =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive number, got '$flood'"
[[ $duration =~ ^[1-9][0-9]*$ ]] || die "-d wants a positive number, got '$duration'"
[[ $conns =~ ^[1-9][0-9]*$ ]] || die "-c wants a positive number, got '$conns'"
[[ -z $max_held || $max_held =~ ^[0-9]+$ ]] || die "-m wants a number, got '$max_held'"

id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
work=
node_pid=
flood_pid=
rss_pid=

cleanup() {
  set +e
  trap - EXIT INT TERM
  stop_pid "$flood_pid"
  stop_pid "$rss_pid"
  stop_pid "$node_pid" # removes nothing; the replicas are removed by label below
  [ -n "${DOCKER_HOST:-}" ] && remove_containers --filter "label=gradient.bench=$id"
  [ -n "$work" ] && rm -rf "$work"
  [ -z "$GN_DOCKERD_STARTED" ] || stop_private_dockerd "$GN_DOCKERD_STARTED"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# to_ms VALUE: wrk latency (812.00us, 1.23ms, 1.02s, 2.00m) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

# p99_of NAME: one wrk run on serve; prints "p99ms req/s"; the whole output goes to $work/NAME.txt.
p99_of() {
  local out
  out=$(wrk -t1 -c"$conns" -d"${duration}s" --latency -H "Host: $serve_host" "$url")
  printf '%s\n' "$out" >"$work/$1.txt"
  grep -q '^Requests/sec:' <<<"$out" || die "could not parse wrk output:
$out"
  printf '%s %s\n' "$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")" "$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
}

rss_kb() { awk -v k="$2" '$1 == k ":" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# --- setup ---------------------------------------------------------------------------------------
ensure_apt_packages docker.io curl wrk busybox-static
command -v python3 >/dev/null 2>&1 || ensure_apt_packages python3
ensure_engine /tmp/gn-bench-docker
tests/images/build.sh >/dev/null
work=$(mktemp -d /tmp/gn-bench-flood.XXXXXX)
mkdir -p "$work/specs" "$work/state" "$work/run"
chmod 700 "$work/run" "$work/state"

bin=${GRADIENT_NODE_BIN:-}
if [ -z "$bin" ]; then
  ensure_dotnet
  say "GRADIENT_NODE_BIN not set: publishing gradient-node to artifacts/bin"
  dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet
  bin=$PWD/artifacts/bin/gradient-node
fi
[ -x "$bin" ] || die "not an executable: $bin"

cat >"$work/specs/serve.yaml" <<'EOF'
apiVersion: v1
name: serve
image: gradient-test/web:1
resources:
  machineType: C4
  ports: [8080]
  replicas: 1
EOF
cat >"$work/specs/never.yaml" <<'EOF'
apiVersion: v1
name: never
image: gradient-test/web:1
resources:
  machineType: C4
  ports: [8080]
  replicas: 1
healthChecks:
  readiness:
    path: /cgi-bin/status?500
    periodSeconds: 5
    failureThreshold: 1
EOF

port=$(free_port)
url=http://127.0.0.1:$port/
serve_host=serve.localhost:$port
say "starting $bin up on $url (node bench-$id)"
# The flood needs more descriptors than a login shell's usual 1024. Flood and wrk all come from 127.0.0.1, so the
# per-address connection cap (1000 by default) is lifted: this measures the held-request bounds, not that cap.
ulimit -n "$(ulimit -Hn)"
"$bin" up --specs-dir "$work/specs" --state-dir "$work/state" --run-dir "$work/run" --listen "$url" \
  --node-name "bench-$id" --label "gradient.bench=$id" --docker-host "$DOCKER_HOST" --max-connections-per-address 0 \
  ${max_held:+--max-held-requests "$max_held"} >"$work/gradient-node.log" 2>&1 &
node_pid=$!

deadline=$((SECONDS + 120))
until curl -fsS -o /dev/null --max-time 2 -H "Host: $serve_host" "$url" 2>/dev/null; do
  kill -0 "$node_pid" 2>/dev/null || { tail -n 30 "$work/gradient-node.log" >&2; die "gradient-node exited"; }
  [ "$SECONDS" -lt "$deadline" ] || { tail -n 30 "$work/gradient-node.log" >&2; die "serve did not answer 200 within 120 s"; }
  sleep 0.5
done
say "serve answers; warming up (3 s)"
wrk -t1 -c"$conns" -d3s -H "Host: $serve_host" "$url" >/dev/null

# RSS poller: the highest VmRSS seen, rewritten to a file (the loop ends with the script).
(
  peak=0
  while kill -0 "$node_pid" 2>/dev/null; do
    now=$(rss_kb "$node_pid" VmRSS)
    if [ "${now:-0}" -gt "$peak" ]; then
      peak=$now
      echo "$peak" >"$work/rss-peak"
    fi
    sleep 0.2
  done
) &
rss_pid=$!

# --- measure -------------------------------------------------------------------------------------
read -r p99_without rps_without < <(p99_of baseline)
say "baseline: p99 $p99_without ms, $rps_without req/s; opening $flood connections to never"

# The flood: N connections, one request each, kept open to the end (held, or answered and idle).
python3 - "$port" "$flood" "never.localhost:$port" "$work/flood" <<'EOF' &
import asyncio, sys
port, n, host, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
codes, opened = {}, []
async def one():
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError as e:
        codes["connect " + type(e).__name__] = codes.get("connect " + type(e).__name__, 0) + 1
        return
    opened.append(writer)
    writer.write(f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    await writer.drain()
    try:
        line = await reader.readline()
        code = line.split()[1].decode() if line else "closed"
    except Exception as e:
        code = type(e).__name__
    codes[code] = codes.get(code, 0) + 1
async def main():
    tasks = [asyncio.create_task(one()) for _ in range(n)]
    await asyncio.sleep(1)
    with open(out + ".opened", "w") as f:
        f.write(f"{len(opened)}\n")
    await asyncio.gather(*tasks)
    with open(out, "w") as f:
        f.write(" ".join(f"{k}:{v}" for k, v in sorted(codes.items())) + "\n")
    await asyncio.sleep(3600)
asyncio.run(main())
EOF
flood_pid=$!
deadline=$((SECONDS + 30))
until [ -s "$work/flood.opened" ]; do
  [ "$SECONDS" -lt "$deadline" ] || die "the flood did not start"
  sleep 0.2
done
held=$(curl -fsS --unix-socket "$work/run/gradient.sock" http://localhost/metrics | awk '$1 == "gradient_proxy_held_requests{deployment=\"never\"}" { print $2 }')
say "flood open: $(cat "$work/flood.opened") connections; proxy holds ${held:-?} (stats are written every 2 s)"
read -r p99_during rps_during < <(p99_of during)
metrics=$(curl -fsS --unix-socket "$work/run/gradient.sock" http://localhost/metrics)
held=$(awk '$1 == "gradient_proxy_held_requests{deployment=\"never\"}" { print $2 }' <<<"$metrics")
rejected=$(awk '$1 == "gradient_proxy_hold_rejected_total{deployment=\"never\"}" { print $2 }' <<<"$metrics")
hwm=$(rss_kb "$node_pid" VmHWM)
polled=$(cat "$work/rss-peak" 2>/dev/null || echo 0)
flood_codes=$(cat "$work/flood" 2>/dev/null || echo "(some still held)")

ratio=$(awk -v a="$p99_during" -v b="$p99_without" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
rss_mb=$(awk -v k="$hwm" 'BEGIN { printf "%.0f", k / 1024 }')
polled_mb=$(awk -v k="$polled" 'BEGIN { printf "%.0f", k / 1024 }')
verdict() { if awk -v v="$1" -v t="$2" 'BEGIN { exit !(v + 0 < t) }'; then echo "ok (< $2)"; else echo "OVER ($2)"; fi; }

echo
printf 'flood            %s connections to never (%s held at the end, %s rejected with 503; answers so far: %s)\n' "$flood" "${held:-?}" "${rejected:-?}" "$flood_codes"
printf 'peak RSS MB      %s (VmHWM of gradient-node up; highest polled VmRSS %s)  %s\n' "$rss_mb" "$polled_mb" "$(verdict "$rss_mb" 300)"
printf 'p99 without      %s ms (%s req/s, wrk -t1 -c%s -d%ss)\n' "$p99_without" "$rps_without" "$conns" "$duration"
printf 'p99 during       %s ms (%s req/s)\n' "$p99_during" "$rps_during"
printf 'p99 ratio        %sx  %s\n' "$ratio" "$(verdict "$ratio" 3)"
printf 'machine          %s cores, %s, load %s\n' "$(nproc)" "$(. /etc/os-release && echo "$PRETTY_NAME")" "$(cut -d' ' -f1-3 /proc/loadavg)"
