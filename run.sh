#!/usr/bin/env bash
# Quick start: builds gradient-node and runs `gradient-node up` in the foreground on the example specs
# (examples/specs: the `hello` deployment). Ctrl-C stops it.
#
#   ./run.sh                 proxy on http://127.0.0.1:8080  ->  curl http://hello.localhost:8080/
#   GN_PORT=9090 ./run.sh    another port
#
# Engine: $DOCKER_HOST if it answers, else /var/run/docker.sock, else a private dockerd of this checkout's own
# (/tmp/gn-run-XXXXXXXX, named after the checkout's path; GN_RUN_DOCKER_DIR picks another) that is stopped (with
# its containers) when run.sh exits: two clones on one box never share it, so one's exit stops nothing of the other's.
# State lives in .gn/ (state and run dirs), the binary in artifacts/bin; both are git-ignored.
#
#   GN_RUN_HOME=DIR          the state and run dirs under DIR instead of .gn/
#   GRADIENT_NODE_BIN=FILE   run that gradient-node instead of publishing one to artifacts/bin
#   GN_UP_ARGS="..."         more arguments for `gradient-node up` (split on spaces), e.g. "--node-name lab1"
#
# Node name: run-XXXXXXXX (after the checkout's path, as the private dockerd) unless GN_UP_ARGS names one. Two nodes of
# one name on one engine each remove the other's replicas as orphans, so the default `default` of a node installed on
# this box (install.sh) and of this quick start must differ: before, ./run.sh on such a box removed its replicas.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

PRIVATE_DOCKER_DIR=${GN_RUN_DOCKER_DIR:-/tmp/gn-run-$(pwd -P | sha256sum | cut -c1-8)}
port=${GN_PORT:-8080}
home=${GN_RUN_HOME:-$PWD/.gn}
socket=$home/run/gradient.sock
read -r -a up_args <<<"${GN_UP_ARGS:-}"
node_name=run-$(pwd -P | sha256sum | cut -c1-8)
for arg in ${up_args[@]+"${up_args[@]}"}; do
  case $arg in
    --node-name | --node-name=*) node_name= ;;
  esac
done
node_pid=
ready_pid=

cleanup() {
  local i
  set +e
  trap - EXIT INT TERM
  [ -z "$ready_pid" ] || kill "$ready_pid" 2>/dev/null
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

if curl -fsS --max-time 2 --unix-socket "$socket" -o /dev/null http://localhost/v1/node 2>/dev/null; then
  die "a gradient-node started by run.sh in this checkout is already running (its socket $socket answers); stop it (Ctrl-C in its terminal) first, or use another clone"
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  die "127.0.0.1:$port is already in use; pick another port: GN_PORT=9090 ./run.sh"
fi

if [ -n "${GRADIENT_NODE_BIN:-}" ]; then
  [ -x "$GRADIENT_NODE_BIN" ] || die "GRADIENT_NODE_BIN=$GRADIENT_NODE_BIN is not an executable file"
  bin=$GRADIENT_NODE_BIN
  say "using $bin (GRADIENT_NODE_BIN)"
else
  say "publishing gradient-node to artifacts/bin"
  dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet
  bin=artifacts/bin/gradient-node
fi

ensure_engine "$PRIVATE_DOCKER_DIR"
examples/images/build.sh
mkdir -p "$home/state" "$home/run"

endpoint=http://hello.localhost:$port/
echo "Endpoint: $endpoint  (try: curl $endpoint ; a summary follows once it answers)"
# Once the example answers, one last block that the node's log lines do not bury: where it is and what to do next.
(
  for ((i = 0; i < 600; i++)); do
    if curl -fsS --max-time 2 --resolve "hello.localhost:$port:127.0.0.1" -o /dev/null "$endpoint" 2>/dev/null; then
      printf '%s\n' "" \
        "==> hello is ready: $endpoint" \
        "    curl $endpoint" \
        "    In another terminal (the CLI talks to this node through its socket):" \
        "      export GRADIENT_SOCKET=$socket" \
        "      $bin ls" \
        "      $bin console    # the web console on http://127.0.0.1:7080/" \
        "    Node name: ${node_name:-as GN_UP_ARGS sets it} (its replicas carry the label gradient.node=NAME)" \
        "    Ctrl-C here stops the node." ""
      exit 0
    fi
    sleep 0.5
  done
  say "hello did not answer at $endpoint within 5 minutes; see the node's log above, or: GRADIENT_SOCKET=$socket $bin ls"
) &
ready_pid=$!
# In the background plus `wait`, so that Ctrl-C and SIGTERM reach the trap at once; the trap passes
# SIGTERM on (the node shuts down gracefully on it). `trap - INT` undoes the SIGINT a script's background command is
# started with ignored: before, the node warned at every start that Ctrl-C would not stop it, beside the lines that say
# Ctrl-C stops it.
(trap - INT; exec "$bin" up \
  --specs-dir examples/specs \
  --state-dir "$home/state" \
  --run-dir "$home/run" \
  --listen "http://127.0.0.1:$port" \
  --docker-host "$DOCKER_HOST" \
  ${node_name:+--node-name "$node_name"} \
  ${up_args[@]+"${up_args[@]}"}) &
node_pid=$!
rc=0
wait "$node_pid" || rc=$?
node_pid=
say "gradient-node exited with status $rc"
if [ "$rc" -ne 0 ]; then
  exit "$rc"
fi
