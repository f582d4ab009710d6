#!/usr/bin/env bash
# (Over 300 lines: one script runs and compares three ways, HTTP and TLS, four cell kinds and an A/B way in the same run, so the figures come from one place; the shared parts are in scripts/lib.sh.)
# Proxy throughput: wrk against one fast upstream (nginx in a container serving a 1 KiB file), three ways:
#
#   direct         wrk -> container bridge ip:80
#   nginx          wrk -> host nginx on 127.0.0.1 (reverse proxy, keepalive pool to the upstream) -> container
#   gradient-node  wrk -> `gradient-node proxy` on 127.0.0.1 (Host: bench.localhost) -> container
#
# Each way at 1 connection (wrk -t1 -c1) and 32 connections (wrk -t2 -c32), DURATION s each with --latency,
# after a 3 s warm-up of that target; RUNS rounds, interleaved (direct, nginx, node, direct, ...). Prints
# every run, the median per cell (req/s, p50, p99, CPU µs per request of the proxy's own processes: utime+stime
# from /proc/PID/stat over the run / requests; nginx counts its master and workers), the ratios
# gradient-node/nginx and the machine.
#
# --https: both proxies terminate TLS with the same certificate (a fresh ECDSA P-256 leaf for *.localhost from a
# throwaway CA; BENCH_TLS_KEY=rsa for RSA 2048), TLS 1.2 and 1.3, ALPN h2 and http/1.1; no direct way (the
# upstream has no TLS). Session resumption is off at both servers (nginx ssl_session_cache off + tickets off,
# gradient-node DOTNET_SYSTEM_NET_SECURITY_DISABLETLSRESUME=1; wrk would otherwise resume), so a new connection
# is a full handshake; BENCH_TLS_RESUME=1 leaves both at their defaults (both resume). Default cells 1,32,new:32,h2:32.
#
#   bench/proxy.sh [-r RUNS] [-d SECONDS] [-w SECONDS] [-c CELLS] [--https] [--skip-node | --no-direct]
#     -r RUNS       rounds (default 2)
#     -d SECONDS    measured duration of each run (default 10)
#     -w SECONDS    steady-state warm-up, once per way before its first round (default 15: past .NET's tiered
#                   JIT and PGO, which take about 15 s under load at 32 connections): wrk keep-alive at 32
#                   connections for SECONDS, then, when the cells have them, SECONDS/3 of new connections and
#                   SECONDS/3 of h2. 0: none (round 1 then measures part of the JIT). Every round still starts
#                   with a 3 s warm-up of its way (connection pools, caches after the other ways ran).
#     -c CELLS      comma-separated: N = wrk keep-alive at N connections (-t2 above 1), new:N = wrk with
#                   "Connection: close" at N connections (a new connection, and over TLS a handshake, per
#                   request), h2:N = h2load over TLS, N connections, one stream each (--https only).
#                   Default 1,32 (with --https 1,32,new:32,h2:32)
#     --https       the TLS mode above
#     --no-direct   skip the direct way (quicker A/B runs of the proxies)
#     --skip-node   only direct and nginx: checks the script and the engine without gradient-node
#   env: GRADIENT_NODE_BIN (else publishes to artifacts/bin), GRADIENT_NODE_ENV (VAR=VALUE ... for it; unset: the
#        DOTNET_ settings of systemd/gradient-node-proxy.service, as the installed proxy runs; set and empty: the
#        runtime's defaults, as `gradient-node proxy` runs by hand),
#        GRADIENT_NODE_BIN_B / GRADIENT_NODE_ENV_B (either one adds a second way "node-b": that binary, default
#        the same, with exactly those variables (no unit's), interleaved with the others: a paired A/B in one run), DOCKER_HOST (else /var/run/docker.sock,
#        else a private dockerd in /tmp/gn-bench-docker), BENCH_UPSTREAM_CPUS (docker --cpuset-cpus for the
#        upstream; default: not pinned), BENCH_NGINX_WORKERS (host nginx worker_processes, default auto),
#        BENCH_TLS_KEY (ec or rsa), BENCH_TLS_RESUME (1: session resumption on at both servers)
#
# The upstream image gradient-bench/nginx:1 is built once (debootstrap minbase bookworm -> docker import ->
# docker build with apt-get nginx-light) and reused. Traffic stays on loopback and the docker bridge.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export LC_ALL=C

runs=2
duration=10
warmup=15
skip_node=
no_direct=
https=
conns_list=
image=gradient-bench/nginx:1
base_image=gradient-bench/bookworm-minbase:1
upstream_cpus=${BENCH_UPSTREAM_CPUS:-}
nginx_workers=${BENCH_NGINX_WORKERS:-auto}
tls_key=${BENCH_TLS_KEY:-ec}
tls_resume=${BENCH_TLS_RESUME:-}
while [ $# -gt 0 ]; do
  case $1 in
    -r) runs=$2; shift 2 ;;
    -d) duration=$2; shift 2 ;;
    -w) warmup=$2; shift 2 ;;
    -c) conns_list=$2; shift 2 ;;
    --https) https=1; shift ;;
    --skip-node) skip_node=1; shift ;;
    --no-direct) no_direct=1; shift ;;
    -h | --help) usage ;;
    *) unknown_argument "$1" ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-r wants a positive number, got '$runs'"
[[ $duration =~ ^[1-9][0-9]*$ ]] || die "-d wants a positive number, got '$duration'"
[[ $warmup =~ ^[0-9]+$ ]] || die "-w wants a number of seconds (0 for none), got '$warmup'"
[ -n "$conns_list" ] || conns_list=$([ -n "$https" ] && echo 1,32,new:32,h2:32 || echo 1,32)
cell_re='((new:|h2:)?[1-9][0-9]*)'
[[ $conns_list =~ ^$cell_re(,$cell_re)*$ ]] || die "-c wants cells (N, new:N or h2:N) separated by commas, got '$conns_list'"
IFS=, read -r -a conns <<<"$conns_list"
[ -n "$https" ] || [[ ,$conns_list, != *,h2:* ]] || die "h2:N cells need --https"
[[ $tls_key == ec || $tls_key == rsa ]] || die "BENCH_TLS_KEY wants ec or rsa, got '$tls_key'"
# The upstream speaks plain HTTP only: over TLS there is no direct way.
[ -z "$https" ] || no_direct=1
scheme=$([ -n "$https" ] && echo https || echo http)
choose_node_env systemd/gradient-node-proxy.service "the proxy's unit"

id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
work=
node_pid=
node_b_pid=
nginx_pid=
build_dir=

# --- cleanup: everything this script started ---------------------------------------------------
cleanup() {
  set +e
  trap - EXIT INT TERM
  stop_pid "$node_pid"
  stop_pid "$node_b_pid"
  stop_pid "$nginx_pid" # nginx -g 'daemon off;': the master is our child; its workers follow it
  [ -n "${DOCKER_HOST:-}" ] && remove_containers --filter "label=gradient.bench=$id"
  [ -n "$build_dir" ] && rm -rf "$build_dir"
  [ -n "$work" ] && rm -rf "$work"
  [ -z "$GN_DOCKERD_STARTED" ] || stop_private_dockerd "$GN_DOCKERD_STARTED"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers -------------------------------------------------------------------------------------
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

# wait_http URL [HOST] PID NAME: until URL answers 200 (60 s), or dies when PID exits.
wait_http() {
  local url=$1 host=$2 pid=$3 name=$4 deadline
  deadline=$((SECONDS + 60))
  # -k: over TLS the certificate names *.localhost, the URL an address; the handshake is what is measured here.
  until curl -fsS -k -o /dev/null --max-time 2 ${host:+-H "Host: $host"} "$url" 2>/dev/null; do
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || { tail -n 30 "$work/$name.log" >&2 || true; die "$name exited before answering $url"; }
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$work/$name.log" >&2 || true
      die "$name did not answer 200 on $url within 60 s"
    fi
    sleep 0.2
  done
}

# to_ms VALUE: wrk latency (e.g. 812.00us, 1.23ms, 1.02s, 2.00m) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }

# way_pids WAY: the way's proxy processes, one per line (nginx: its master and workers; gradient-node and node-b: the
# process and its children, so that a wrapper script starting several proxies is counted whole); none for direct.
way_pids() {
  case $1 in
    nginx) echo "$nginx_pid"; pgrep -P "$nginx_pid" || true ;;
    gradient-node) echo "$node_pid"; pgrep -P "$node_pid" || true ;;
    node-b) echo "$node_b_pid"; pgrep -P "$node_b_pid" || true ;;
  esac
}

# cpu_ticks WAY: utime+stime (clock ticks) of the way's proxy processes so far; 0 for direct.
cpu_ticks() {
  local pids=() pid total=0
  mapfile -t pids < <(way_pids "$1")
  for pid in "${pids[@]}"; do
    # fields after the ")" of comm: utime and stime are the 12th and 13th
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}

# ctx_switches WAY: voluntary + involuntary context switches of every thread of the way's proxy processes so far.
ctx_switches() {
  local pids=() pid total=0
  mapfile -t pids < <(way_pids "$1")
  for pid in "${pids[@]}"; do
    total=$((total + $(cat /proc/"$pid"/task/*/status 2>/dev/null | awk '/ctxt_switches:/ { s += $2 } END { print s + 0 }')))
  done
  echo "$total"
}

# run_cell WAY CELL URL [HOST]: one measured run; prints "rps p50ms p99ms cpu_us_per_request cs_per_request errors".
# CELL: N (wrk, keep-alive), new:N (wrk, Connection: close), h2:N (h2load, one stream per connection; h2load
# gives no percentiles, so p50/p99 are printed as 0 and shown as "-").
run_cell() {
  local way=$1 cell=$2 url=$3 host=${4:-} n threads=1 out rps p50=0 p99=0 errs ticks0 ticks1 cs0 cs1 reqs cpu cs close=
  n=${cell#*:}
  [ "$n" -gt 1 ] && threads=2
  [[ $cell == new:* ]] && close=1
  ticks0=$(cpu_ticks "$way")
  cs0=$(ctx_switches "$way")
  if [[ $cell == h2:* ]]; then
    out=$(h2load -c"$n" -t"$threads" -m1 -D"$duration" ${host:+-H ":authority: $host"} "$url" 2>&1)
  else
    out=$(wrk -t"$threads" -c"$n" -d"${duration}s" --latency ${host:+-H "Host: $host"} ${close:+-H "Connection: close"} "$url")
  fi
  ticks1=$(cpu_ticks "$way")
  cs1=$(ctx_switches "$way")
  printf '%s\n' "$out" >"$work/load-$way-${cell/:/-}-$(date +%s%N).txt"
  if [[ $cell == h2:* ]]; then
    rps=$(awk '/^finished in / { sub(/,$/, "", $4); print $4 }' <<<"$out")
    reqs=$(awk '/^requests: / { print $8 }' <<<"$out")
    grep -q '^Application protocol: h2$' <<<"$out" || die "h2load did not negotiate h2 with $way:
$out"
    errs=$(awk '/^requests: / { f = $10 + $12 + $14 } /^status codes: / { b = $5 + $7 + $9 } END { print (f + b == 0 ? "0" : "failed/errored/timeout " f ", non-2xx " b) }' <<<"$out")
  else
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    reqs=$(awk '/ requests in / { print $1 }' <<<"$out")
    errs=$(awk '/Non-2xx|Socket errors/ { s = s $0 "; " } END { print (s == "" ? "0" : s) }' <<<"$out")
  fi
  if [ -z "$rps" ] || [ -z "$reqs" ]; then
    die "could not parse the load tool's output for $way, cell $cell:
$out"
  fi
  cpu=$(awk -v t=$((ticks1 - ticks0)) -v hz="$(getconf CLK_TCK)" -v r="$reqs" 'BEGIN { printf "%.1f", (r > 0 ? t * 1e6 / hz / r : 0) }')
  cs=$(awk -v c=$((cs1 - cs0)) -v r="$reqs" 'BEGIN { printf "%.2f", (r > 0 ? c / r : 0) }')
  printf '%s %s %s %s %s %s\n' "$rps" "$p50" "$p99" "$cpu" "$cs" "$errs"
}

# tls_info URL: "TLSv1.3 TLS_AES_256_GCM_SHA384 ALPN h2" as a client offering h2 and http/1.1 gets it.
tls_info() {
  local hostport=${1#https://}
  hostport=${hostport%%/*}
  openssl s_client -connect "$hostport" -servername bench.localhost -alpn h2,http/1.1 </dev/null 2>/dev/null |
    awk '/^New, / { sub(/,$/, "", $2); v = $2; c = $NF } /^ALPN protocol:/ { a = $3 } END { printf "%s %s ALPN %s", v, c, (a == "" ? "none" : a) }'
}

# --- setup ---------------------------------------------------------------------------------------
ensure_apt_packages docker.io curl wrk debootstrap
[ -z "$https" ] || ensure_apt_packages openssl
[[ ,$conns_list, != *,h2:* ]] || ensure_apt_packages nghttp2-client
command -v nginx >/dev/null 2>&1 || ensure_apt_packages nginx-light
ensure_engine /tmp/gn-bench-docker
work=$(mktemp -d /tmp/gn-bench-proxy.XXXXXX)

if ! docker image inspect "$image" >/dev/null 2>&1; then
  build_dir=$(mktemp -d /tmp/gn-bench-image.XXXXXX)
  if ! docker image inspect "$base_image" >/dev/null 2>&1; then
    say "building $base_image: debootstrap --variant=minbase bookworm (about a minute)"
    debootstrap --variant=minbase bookworm "$build_dir/root" >"$build_dir/debootstrap.log" 2>&1 ||
      { tail -n 20 "$build_dir/debootstrap.log" >&2; die "debootstrap failed"; }
    tar -C "$build_dir/root" -c . | docker import - "$base_image" >/dev/null
    rm -rf "$build_dir/root"
  fi
  say "building $image (apt-get install nginx-light)"
  mkdir -p "$build_dir/ctx"
  head -c 1024 /dev/zero | tr '\0' 'x' >"$build_dir/ctx/1k.txt"
  # One worker, no access log, keepalive connections never closed by request count (every client of it
  # -- wrk, nginx, gradient-node -- keeps its connections open, so no way pays for reconnects).
  cat >"$build_dir/ctx/nginx.conf" <<'EOF'
worker_processes 1;
pid /run/nginx.pid;
error_log /dev/stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  default_type application/octet-stream;
  server {
    listen 80 default_server reuseport backlog=4096;
    root /srv;
    location / { }
  }
}
EOF
  cat >"$build_dir/ctx/Dockerfile" <<EOF
FROM $base_image
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light \\
 && rm -rf /var/lib/apt/lists/*
COPY nginx.conf /etc/nginx/nginx.conf
COPY 1k.txt /srv/1k.txt
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
EOF
  # Host network for the build: a private dockerd runs with --iptables=false --ip-masq=false, so a bridge
  # container cannot reach the package mirror.
  docker build --network host -q -t "$image" "$build_dir/ctx" >"$build_dir/build.log" 2>&1 ||
    { tail -n 30 "$build_dir/build.log" >&2; die "docker build of $image failed"; }
  rm -rf "$build_dir"
  build_dir=
fi

say "starting the upstream container (label gradient.bench=$id${upstream_cpus:+, cpuset $upstream_cpus})"
docker run -d --label "gradient.bench=$id" --name "gn-bench-proxy-$id" ${upstream_cpus:+--cpuset-cpus "$upstream_cpus"} "$image" >/dev/null
upstream_ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "gn-bench-proxy-$id")
[ -n "$upstream_ip" ] || die "the upstream container has no bridge IP"
direct_url=http://$upstream_ip:80/1k.txt
wait_http "$direct_url" "" "" upstream

# --https: one certificate for both proxies, a leaf for *.localhost and localhost from a throwaway CA.
node_tls_args=()
node_tls_env=
nginx_listen_tls=
nginx_tls=
if [ -n "$https" ]; then
  mkdir -p "$work/tls"
  if [ "$tls_key" = rsa ]; then key_args=(-newkey rsa:2048); else key_args=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); fi
  (
    umask 077
    cd "$work/tls"
    openssl req -x509 "${key_args[@]}" -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=gradient-node bench CA" 2>/dev/null
    openssl req "${key_args[@]}" -nodes -keyout leaf.key -out leaf.csr -subj "/CN=*.localhost" 2>/dev/null
    printf 'subjectAltName=DNS:*.localhost,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >leaf.ext
    openssl x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile leaf.ext -out leaf.crt 2>/dev/null
  ) || die "openssl could not make the bench certificate"
  node_tls_args=(--tls-cert "$work/tls/leaf.crt" --tls-key "$work/tls/leaf.key")
  nginx_listen_tls=" ssl http2"
  # nginx 1.22's default ssl_protocols still has TLS 1.0/1.1 and no 1.3: set what Kestrel offers.
  nginx_tls="ssl_certificate $work/tls/leaf.crt; ssl_certificate_key $work/tls/leaf.key; ssl_protocols TLSv1.2 TLSv1.3;"
  if [ -z "$tls_resume" ]; then
    nginx_tls+=" ssl_session_cache off; ssl_session_tickets off;"
    node_tls_env=DOTNET_SYSTEM_NET_SECURITY_DISABLETLSRESUME=1
  else
    nginx_tls+=" ssl_session_cache shared:bench:10m;"
  fi
fi

# Host nginx as a production-ish reverse proxy: one worker per core, keepalive pool to the upstream.
nginx_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes $nginx_workers;
pid $work/nginx/nginx.pid;
error_log $work/nginx.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 1000000;
  upstream bench_upstream {
    server $upstream_ip:80;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nginx_port$nginx_listen_tls;
    $nginx_tls
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' >>"$work/nginx.log" 2>&1 &
nginx_pid=$!
nginx_url=$scheme://127.0.0.1:$nginx_port/1k.txt
wait_http "$nginx_url" "" "$nginx_pid" nginx

ways=(nginx)
[ -n "$no_direct" ] || ways=(direct nginx)
if [ -z "$skip_node" ]; then
  bin=${GRADIENT_NODE_BIN:-}
  if [ -z "$bin" ]; then
    ensure_dotnet
    say "GRADIENT_NODE_BIN not set: publishing gradient-node to artifacts/bin"
    dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet
    bin=$PWD/artifacts/bin/gradient-node
  fi
  [ -x "$bin" ] || die "not an executable: $bin"
  node_port=$(free_port)
  mkdir -p "$work/run"
  chmod 700 "$work/run"
  # The route table the daemon role would write: one deployment, one ready replica = the upstream.
  (
    umask 077
    cat >"$work/run/routes.json.tmp" <<EOF
{"version":1,"written":"$(date -u +%Y-%m-%dT%H:%M:%SZ)","deployments":[{"slug":"bench","name":"bench","enabled":true,"replicas":[{"id":"bench-0","address":"$upstream_ip:80","ready":true}]}]}
EOF
  )
  mv "$work/run/routes.json.tmp" "$work/run/routes.json"
  say "starting ${node_env}$bin proxy on $scheme://127.0.0.1:$node_port (environment: $node_env_from)"
  # shellcheck disable=SC2086 # node_env: one VAR=VALUE per word
  env $node_tls_env $node_env "$bin" proxy --run-dir "$work/run" --listen "$scheme://127.0.0.1:$node_port" "${node_tls_args[@]}" >"$work/gradient-node.log" 2>&1 &
  node_pid=$!
  node_url=$scheme://127.0.0.1:$node_port/1k.txt
  node_host=bench.localhost:$node_port
  wait_http "$node_url" "$node_host" "$node_pid" gradient-node
  ways+=(gradient-node)
  if [ -n "${GRADIENT_NODE_BIN_B:-}${GRADIENT_NODE_ENV_B:-}" ]; then
    bin_b=${GRADIENT_NODE_BIN_B:-$bin}
    [ -x "$bin_b" ] || die "not an executable: $bin_b"
    node_b_port=$(free_port)
    say "starting node-b: ${GRADIENT_NODE_ENV_B:-} $bin_b proxy on $scheme://127.0.0.1:$node_b_port"
    # shellcheck disable=SC2086 # GRADIENT_NODE_ENV_B: one VAR=VALUE per word
    env $node_tls_env ${GRADIENT_NODE_ENV_B:-} "$bin_b" proxy --run-dir "$work/run" --listen "$scheme://127.0.0.1:$node_b_port" "${node_tls_args[@]}" >"$work/node-b.log" 2>&1 &
    node_b_pid=$!
    node_b_url=$scheme://127.0.0.1:$node_b_port/1k.txt
    node_b_host=bench.localhost:$node_b_port
    wait_http "$node_b_url" "$node_b_host" "$node_b_pid" node-b
    ways+=(node-b)
  fi
fi

url_of() { case $1 in direct) echo "$direct_url" ;; nginx) echo "$nginx_url" ;; gradient-node) echo "$node_url" ;; node-b) echo "$node_b_url" ;; esac; }
host_of() { case $1 in gradient-node) echo "$node_host" ;; node-b) echo "$node_b_host" ;; esac; }

# --- measure -------------------------------------------------------------------------------------
if [ -n "$https" ]; then
  for way in "${ways[@]}"; do
    printf 'tls %-13s %s\n' "$way" "$(tls_info "$(url_of "$way")")"
  done
fi
has_h2=
[[ ,$conns_list, != *,h2:* ]] || has_h2=1
has_new=
[[ ,$conns_list, != *,new:* ]] || has_new=1
# Steady state before any round: each way (proxy process) gets the same warm-up once, so that round 1 does not
# measure .NET's tiered compilation (nginx gets it too, for symmetry).
if [ "$warmup" -gt 0 ]; then
  for way in "${ways[@]}"; do
    url=$(url_of "$way")
    host=$(host_of "$way")
    say "warming up $way: ${warmup}s keep-alive$([ -z "$has_new" ] || echo ", $((warmup / 3 + 1))s new connections")$([ -z "$has_h2" ] || echo ", $((warmup / 3 + 1))s h2")"
    wrk -t2 -c32 -d"${warmup}s" ${host:+-H "Host: $host"} "$url" >/dev/null
    [ -z "$has_new" ] || wrk -t2 -c32 -d"$((warmup / 3 + 1))s" ${host:+-H "Host: $host"} -H "Connection: close" "$url" >/dev/null
    [ -z "$has_h2" ] || h2load -c32 -t2 -m1 -D"$((warmup / 3 + 1))" ${host:+-H ":authority: $host"} "$url" >/dev/null 2>&1
  done
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "$runs rounds x ${#ways[@]} ways x cells ($conns_list), ${duration}s each after a 3s warm-up (first a ${warmup}s steady-state warm-up per way); load average $load_before"
declare -A rps p50 p99 cpu
for ((r = 1; r <= runs; r++)); do
  for way in "${ways[@]}"; do
    url=$(url_of "$way")
    host=$(host_of "$way")
    wrk -t2 -c32 -d3s ${host:+-H "Host: $host"} "$url" >/dev/null # warm-up: JIT, connection pools
    [ -z "$has_h2" ] || h2load -c8 -t1 -m1 -D1 ${host:+-H ":authority: $host"} "$url" >/dev/null 2>&1 # and the HTTP/2 path
    for c in "${conns[@]}"; do
      read -r a b d u x errs < <(run_cell "$way" "$c" "$url" "$host")
      rps[$way,$c]+="$a "
      p50[$way,$c]+="$b "
      p99[$way,$c]+="$d "
      cpu[$way,$c]+="$u "
      printf 'run %d  %-13s %-7s %10.0f req/s  p50 %8.3f ms  p99 %8.3f ms  cpu %7.1f us/req  cs %5.2f/req  errors: %s\n' "$r" "$way" "$c" "$a" "$b" "$d" "$u" "$x" "$errs"
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# describe CELL: the table's words for a cell.
describe() {
  local n=${1#*:}
  n="$n connection$([ "$n" -eq 1 ] || echo s)"
  case $1 in
    new:*) echo "$n, a new one per request" ;;
    h2:*) echo "$n, h2 (h2load)" ;;
    *) echo "$n, keep-alive" ;;
  esac
}

echo
printf '| cell | way | req/s | p50 ms | p99 ms | CPU µs/req | req/s vs nginx | p99 vs nginx |\n'
printf '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n'
declare -A med
for c in "${conns[@]}"; do
  for way in "${ways[@]}"; do
    # shellcheck disable=SC2086 # one value per word
    {
      med[$way,$c,rps]=$(median ${rps[$way,$c]})
      med[$way,$c,p50]=$(median ${p50[$way,$c]})
      med[$way,$c,p99]=$(median ${p99[$way,$c]})
      med[$way,$c,cpu]=$(median ${cpu[$way,$c]})
    }
  done
  for way in "${ways[@]}"; do
    if [[ $c == h2:* ]]; then
      printf '| %s | %s | %.0f | - | - | %.1f | %s | - |\n' "$(describe "$c")" "$way" "${med[$way,$c,rps]}" "${med[$way,$c,cpu]}" \
        "$(ratio "${med[$way,$c,rps]}" "${med[nginx,$c,rps]}")"
      continue
    fi
    printf '| %s | %s | %.0f | %.3f | %.3f | %s | %s | %s |\n' "$(describe "$c")" "$way" "${med[$way,$c,rps]}" "${med[$way,$c,p50]}" "${med[$way,$c,p99]}" \
      "$([ "$way" = direct ] && echo - || printf '%.1f' "${med[$way,$c,cpu]}")" \
      "$(ratio "${med[$way,$c,rps]}" "${med[nginx,$c,rps]}")" "$(ratio "${med[$way,$c,p99]}" "${med[nginx,$c,p99]}")"
  done
done
echo "(medians of $runs runs; ratios are the way's figure divided by nginx's; over TLS a new connection is a$([ -n "$tls_resume" ] && echo " resumed" || echo " full") handshake)"
# goal CELL: the issue's req/s goal against nginx for a cell, or "none".
#   plain HTTP (issue 15): >= 1.0x at 32 keep-alive connections, >= 0.7x at 1; over TLS (issue 17): >= 0.8x at 32.
goal() {
  case $scheme,$1 in
    http,1) echo 0.70 ;;
    http,32) echo 1.00 ;;
    https,32) echo 0.80 ;;
    *) echo none ;;
  esac
}
if [ -z "$skip_node" ]; then
  for c in "${conns[@]}"; do
    for way in gradient-node node-b; do
      [ -n "${med[$way,$c,rps]:-}" ] || continue
      printf '%s/nginx over %s, %s: req/s %s (goal %s), p99 %s, CPU us/req %s vs nginx %s\n' "$way" "$scheme" "$(describe "$c")" \
        "$(ratio "${med[$way,$c,rps]}" "${med[nginx,$c,rps]}")" "$(g=$(goal "$c"); [ "$g" = none ] && echo none || echo ">= $g")" \
        "$(if [[ $c == h2:* ]]; then echo -; else ratio "${med[$way,$c,p99]}" "${med[nginx,$c,p99]}"; fi)" "${med[$way,$c,cpu]}" "${med[nginx,$c,cpu]}"
    done
  done
fi
echo
printf 'machine: nproc %s, memory %s, kernel %s, docker %s (%s), dotnet %s, wrk %s, nginx %s, upstream cpuset %s, host nginx workers %s\n' \
  "$(nproc)" \
  "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
  "$(uname -r)" \
  "$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')" "$DOCKER_HOST" \
  "$(dotnet --version 2>/dev/null || echo '?')" \
  "$(dpkg-query -W -f='${Version}' wrk 2>/dev/null || echo '?')" \
  "$(nginx -v 2>&1 | sed 's|.*/||')" \
  "${upstream_cpus:-none}" "$nginx_workers"
[ -z "$https" ] || printf 'tls: %s key, openssl %s, h2load %s, session resumption %s\n' "$tls_key" "$(openssl version | awk '{ print $2 }')" \
  "$(command -v h2load >/dev/null && h2load --version | awk '{ print $2 }' || echo -)" "$([ -n "$tls_resume" ] && echo on || echo off)"
printf "gradient-node's environment: '%s' (%s)%s\n" "${node_env% }" "$node_env_from" \
  "$([ -z "${GRADIENT_NODE_BIN_B:-}${GRADIENT_NODE_ENV_B:-}" ] || printf "; node-b's: '%s'" "${GRADIENT_NODE_ENV_B:-}")"
printf 'load average (1/5/15 min): %s at the start, %s at the end\n' "$load_before" "$load_after"
printf 'date: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
