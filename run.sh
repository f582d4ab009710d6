#!/usr/bin/env bash
# Quick start: builds gradient-node and runs `gradient-node up` in the foreground on the example specs
# (examples/specs: the `hello` deployment). Ctrl-C stops it.
#
#   ./run.sh                 proxy on http://127.0.0.1:8080  ->  curl http://hello.localhost:8080/
#   GN_PORT=9090 ./run.sh    another port
#
# Engine: $DOCKER_HOST if it answers, else /var/run/docker.sock, else a private dockerd in
# /tmp/gn-run-docker that is stopped (with its containers) when run.sh exits.
# State lives in .gn/ (state and run dirs), the binary in artifacts/bin; both are git-ignored.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

PRIVATE_DOCKER_DIR=/tmp/gn-run-docker
port=${GN_PORT:-8080}
node_pid=

cleanup() {
  local i
  set +e
  trap - EXIT INT TERM
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null
    for ((i = 0; i < 100; i++)); do
      kill -0 "$node_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$node_pid" 2>/dev/null
    wait "$node_pid" 2>/dev/null
  fi
  if [ -n "$GN_DOCKERD_STARTED" ]; then
    say "removing the node's containers from the private engine"
    remove_containers --filter label=gradient.deployment
    stop_private_dockerd "$GN_DOCKERD_STARTED"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_apt_packages docker.io busybox-static curl
ensure_dotnet

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  die "127.0.0.1:$port is already in use; pick another port: GN_PORT=9090 ./run.sh"
fi

say "publishing gradient-node to artifacts/bin"
dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet

ensure_engine "$PRIVATE_DOCKER_DIR"
examples/images/build.sh
mkdir -p .gn/state .gn/run

echo "Endpoint: http://hello.localhost:$port/  (try: curl http://hello.localhost:$port/ )"
# In the background plus `wait`, so that Ctrl-C and SIGTERM reach the trap at once; the trap passes
# SIGTERM on (the node shuts down gracefully on it).
artifacts/bin/gradient-node up \
  --specs-dir examples/specs \
  --state-dir .gn/state \
  --run-dir .gn/run \
  --listen "http://127.0.0.1:$port" \
  --docker-host "$DOCKER_HOST" &
node_pid=$!
rc=0
wait "$node_pid" || rc=$?
node_pid=
say "gradient-node exited with status $rc"
if [ "$rc" -ne 0 ]; then
  exit "$rc"
fi
