#!/usr/bin/env bash
# Over 300 lines: the whole installer (options, layout, dependencies, units, upgrade and uninstall) in one file that
# runs on its own from a source tree or a release folder, with nothing of ours to source.
# Installs Gradient Node on a Debian/Ubuntu box (or stages it under DESTDIR). Run ./install.sh --help.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: ./install.sh [--binary DIR] [--framework-dependent] [--no-deps] [--no-start]
       ./install.sh --uninstall [--purge]
       DESTDIR=DIR ./install.sh [--binary DIR]

Installs gradient-node (a self-contained build: no .NET needed on the box) and its systemd units.
Safe to run again: upgrades the binaries, never overwrites /etc/gradient/node.yaml or specs.

  /opt/gradient-node/               the published binary and its files
  /usr/local/bin/gradient-node      a link to it
  /usr/share/gradient-node/         JSON Schemas of spec files (deployment.schema.json, workflow.schema.json)
  /usr/share/bash-completion/completions/gradient-node   bash completion
  /etc/gradient/specs/              deployment specs (the daemon serves every *.yaml here)
  /etc/gradient/node.yaml           node settings, commented defaults (created once)
  /var/lib/gradient/                state: secrets, registries, volumes
  /etc/systemd/system/gradient-node.service, gradient-node.socket, gradient-node-proxy.service, gradient-node-proxy.socket,
    gradient-node-containers.slice (TasksMax of every container together)
  group 'gradient'                  its members may use the API socket /run/gradient/gradient.sock

Options:
  --binary DIR           use an already published gradient-node in DIR instead of publishing
                         (also GRADIENT_NODE_PUBLISHED=DIR)
  --framework-dependent  publish without the .NET runtime (the box then needs .NET 10)
  --no-deps              do not apt-get install docker.io (git and git-lfs are not needed: the node
                         clones with LibGit2Sharp and fetches LFS objects over the batch API)
  --no-start             install and enable the units, but do not start them
  --uninstall            stop and remove the units and binaries; keeps specs, node.yaml and state
  --purge                with --uninstall: also remove /etc/gradient, /var/lib/gradient and the group
  -h, --help             this text

Environment:
  DESTDIR=DIR            stage the same layout under DIR: no packages, users, groups or services
                         are touched (for packagers and tests)
  RID=linux-x64          the runtime identifier to publish for (default: from uname -m)

Replicas (containers) are never stopped or removed by this script.
EOF
}

say() { printf '[install.sh] %s\n' "$*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}

SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DESTDIR=${DESTDIR:-}
BINARY_DIR=${GRADIENT_NODE_PUBLISHED:-}
SELF_CONTAINED=1
INSTALL_DEPS=1
START=1
ACTION=install
PURGE=0

while [ $# -gt 0 ]; do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --binary)
      [ $# -ge 2 ] || die "--binary needs a directory"
      BINARY_DIR=$2
      shift
      ;;
    --binary=*) BINARY_DIR=${1#--binary=} ;;
    --framework-dependent) SELF_CONTAINED=0 ;;
    --no-deps) INSTALL_DEPS=0 ;;
    --no-start) START=0 ;;
    --uninstall) ACTION=uninstall ;;
    --purge) PURGE=1 ;;
    *) die "unknown option '$1' (see ./install.sh --help)" ;;
  esac
  shift
done
[ "$PURGE" -eq 0 ] || [ "$ACTION" = uninstall ] || die "--purge goes with --uninstall"

# The layout, all under DESTDIR (empty for a real install).
OPT_DIR=$DESTDIR/opt/gradient-node
BIN_LINK=$DESTDIR/usr/local/bin/gradient-node
ETC_DIR=$DESTDIR/etc/gradient
SPECS_DIR=$ETC_DIR/specs
STATE_DIR=$DESTDIR/var/lib/gradient
UNIT_DIR=$DESTDIR/etc/systemd/system
SHARE_DIR=$DESTDIR/usr/share/gradient-node
COMPLETION_FILE=$DESTDIR/usr/share/bash-completion/completions/gradient-node
UNITS=(gradient-node.service gradient-node.socket gradient-node-proxy.service gradient-node-proxy.socket)
# Not enabled (no [Install]): gradient-node.service starts it (Wants=).
SLICES=(gradient-node-containers.slice)
GROUP=gradient

real_system() { [ -z "$DESTDIR" ]; }
systemd_running() { real_system && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

need_root() {
  if real_system && [ "$(id -u)" -ne 0 ]; then
    die "run as root (sudo ./install.sh), or stage with DESTDIR=DIR"
  fi
}

debian_like() {
  [ -r /etc/os-release ] || return 1
  # shellcheck disable=SC1091 # the host's file
  (. /etc/os-release && case " ${ID:-} ${ID_LIKE:-} " in *" debian "* | *" ubuntu "*) exit 0 ;; *) exit 1 ;; esac)
}

install_dependencies() {
  local missing=()
  if ! command -v dockerd >/dev/null 2>&1 && ! command -v docker >/dev/null 2>&1; then
    missing+=(docker.io)
  fi
  # The node's rule that keeps local users off the replica network (docs/design/security.md).
  if [ ! -x /usr/sbin/iptables ] && [ ! -x /sbin/iptables ]; then
    missing+=(iptables)
  fi
  [ "${#missing[@]}" -gt 0 ] || return 0
  if ! debian_like; then
    say "not Debian/Ubuntu: install these yourself: ${missing[*]}"
    return 0
  fi
  say "installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

runtime_id() {
  if [ -n "${RID:-}" ]; then
    echo "$RID"
    return
  fi
  case $(uname -m) in
    x86_64) echo linux-x64 ;;
    aarch64 | arm64) echo linux-arm64 ;;
    *) die "unsupported machine $(uname -m); set RID" ;;
  esac
}

# Publishes into $1 (or copies --binary DIR there).
stage_binaries() {
  local into=$1
  if [ -n "$BINARY_DIR" ]; then
    [ -x "$BINARY_DIR/gradient-node" ] || die "--binary $BINARY_DIR has no executable gradient-node"
    cp -a "$BINARY_DIR/." "$into/"
    return
  fi
  command -v dotnet >/dev/null 2>&1 ||
    die "publishing needs the .NET 10 SDK ('dotnet'); or pass --binary DIR with a published gradient-node"
  local mode=(--self-contained)
  [ "$SELF_CONTAINED" -eq 1 ] || mode=(--no-self-contained)
  say "publishing gradient-node ($(runtime_id), ${mode[0]#--}); this takes a few minutes"
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish "$SOURCE_DIR/Daemon/Daemon.csproj" \
    -c Release -r "$(runtime_id)" "${mode[@]}" -o "$into" --nologo -v quiet
  [ -x "$into/gradient-node" ] || die "publish did not produce $into/gradient-node"
}

# Replaces OPT_DIR with the new build in one rename (running processes keep their open files).
install_binaries() {
  local staging=$OPT_DIR.new
  rm -rf "$staging"
  mkdir -p "$staging"
  stage_binaries "$staging"
  # The reference and design documents the units (Documentation=) and node.yaml's comments point to.
  mkdir -p "$staging/docs/design" "$staging/docs/reference"
  cp "$SOURCE_DIR"/docs/design/*.md "$staging/docs/design/"
  cp "$SOURCE_DIR"/docs/reference/*.md "$staging/docs/reference/"
  cp "$SOURCE_DIR"/docs/decisions.md "$staging/docs/"
  chmod -R u=rwX,go=rX "$staging"
  if [ -d "$OPT_DIR" ]; then
    rm -rf "$OPT_DIR.old"
    mv "$OPT_DIR" "$OPT_DIR.old"
  fi
  mv "$staging" "$OPT_DIR"
  rm -rf "$OPT_DIR.old"
  mkdir -p "$(dirname "$BIN_LINK")"
  ln -sfn /opt/gradient-node/gradient-node "$BIN_LINK"
  say "installed $OPT_DIR and $BIN_LINK"
}

# The spec schemas, written by the installed binary from the records its parser reads with; and bash completion.
install_share() {
  local kind
  mkdir -p "$SHARE_DIR" "$(dirname "$COMPLETION_FILE")"
  for kind in deployment workflow; do
    if ! "$OPT_DIR/gradient-node" schema "$kind" >"$SHARE_DIR/$kind.schema.json.new"; then
      rm -f "$SHARE_DIR/$kind.schema.json.new"
      die "gradient-node schema $kind failed"
    fi
    mv "$SHARE_DIR/$kind.schema.json.new" "$SHARE_DIR/$kind.schema.json"
    chmod 0644 "$SHARE_DIR/$kind.schema.json"
  done
  install -m 0644 "$SOURCE_DIR/scripts/completion/gradient-node.bash" "$COMPLETION_FILE"
  say "installed $SHARE_DIR and $COMPLETION_FILE"
}

write_node_yaml() {
  local file=$ETC_DIR/node.yaml
  if [ -e "$file" ]; then
    say "kept $file"
    return
  fi
  cat >"$file" <<'EOF'
# Gradient Node settings. Every key is optional: a commented key shows its default (labels and console: an
# example, as they have none); each "# key: value" line below works as written once its "# " is removed.
# Command-line options and GRADIENT_* environment variables win over this file.
# After a change: systemctl reload gradient-node (specs and socketGroup apply live; the rest
# is logged as "needs a restart": systemctl restart gradient-node gradient-node-proxy).
#
# specsDir: /etc/gradient/specs
# stateDir: /var/lib/gradient
# runDir: /run/gradient
# socket: /run/gradient/gradient.sock
# socketGroup: gradient
# dockerHost: unix:///var/run/docker.sock
# listen: http:// and https:// URLs. The https listener uses the node's own CA (in
# stateDir/tls) unless tlsCert/tlsKey or tlsDir is set; clients trust it with the output of
# "sudo gradient-node tls ca". Plain-HTTP requests are redirected to https (httpsRedirect: "off"
# to serve both). See /opt/gradient-node/docs/design/endpoints.md.
listen:
  - http://0.0.0.0:8080
  - https://0.0.0.0:8443
# tlsCert: /etc/gradient/tls/wildcard.crt
# tlsKey: /etc/gradient/tls/wildcard.key
# tlsDir: /etc/gradient/tls/hosts
# httpsRedirect: "on"
# hsts: "off"
# domain: localhost
# nodeName: default
# labels:
#   team: ml
# readyWaitSeconds: "30"
# maxHeldRequests: "100"
# maxConnectionsPerAddress: "1000"
# replicaNetwork: gradient-node
# apiMaxConnections: "256"
# maxLogFollows: "64"
# maxReplicas: "1000"
# pidsLimit: "4096"
# containersCgroup: gradient-node-containers.slice   # none = the engine's default (containers not bounded together)
# engineConcurrency: "8"   # the default is 4 per core, at least 8, at most 16
# logMaxSize: 10m
# logMaxFiles: "3"
# autoscaleInterval: 2s
# scaleDownStabilization: 5m
# drainTimeout: 30s
# progressDeadline: 10m
# pullStallTimeout: 2m
# gitLocalRoots: []   # none; a folder or a list of folders local git remotes must lie under
# modelUploadLimit: 50G
# datasetKeep: "5"
# datasetMaxEntries: "1000000"
# workflowJobLimit: "4"
# workflowJobMemory: 50%
# workflowRunsKept: "100"
# console: {listen: 127.0.0.1:7080}   # none by default; serves the web console (/opt/gradient-node/docs/design/console.md)
# gpuModelMustMatch: false
# machineTypes: {}   # the built-in table; a type here changes or adds one (/opt/gradient-node/docs/design/gpus.md)
# Every setting, its flag and its variable: gradient-node --help, /opt/gradient-node/docs/reference/cli.md.
EOF
  chmod 0644 "$file"
  say "wrote $file"
}

install_units() {
  local unit
  mkdir -p "$UNIT_DIR"
  for unit in "${UNITS[@]}" "${SLICES[@]}"; do
    install -m 0644 "$SOURCE_DIR/systemd/$unit" "$UNIT_DIR/$unit"
  done
  say "installed units in $UNIT_DIR"
}

ensure_group() {
  real_system || return 0
  if ! getent group "$GROUP" >/dev/null; then
    groupadd --system "$GROUP"
    say "created group $GROUP (add users with: usermod -aG $GROUP USER)"
  fi
}

start_units() {
  if ! systemd_running; then
    real_system || return 0
    say "systemd is not running here. Start in the foreground instead:"
    say "  gradient-node daemon &    # API on /run/gradient/gradient.sock"
    say "  gradient-node proxy       # deployments at http://NAME.localhost:8080/"
    say "  (or both in one process: gradient-node up)"
    return 0
  fi
  systemctl daemon-reload
  systemctl enable "${UNITS[@]}" >/dev/null
  if [ "$START" -eq 0 ]; then
    say "enabled ${UNITS[*]} (not started: --no-start)"
    return 0
  fi
  # The daemon restarts onto the new binary (the proxy keeps serving meanwhile) on the API socket
  # systemd holds (gradient-node.socket): CLI calls made meanwhile wait and are answered. Starting the
  # socket unit while a daemon from before it runs replaces that daemon's socket file; the restart
  # right after moves the daemon onto systemd's. The proxy restarts too when systemd holds its
  # sockets (gradient-node-proxy.socket): connections wait in them and none is refused. A proxy that
  # bound its ports itself (installed before the socket unit) keeps running the previous binary:
  # moving its ports to systemd refuses connections once.
  systemctl start gradient-node.socket || say "gradient-node.socket did not start: the daemon binds its own API socket"
  systemctl restart gradient-node.service
  if systemctl is-active --quiet gradient-node-proxy.socket; then
    systemctl restart gradient-node-proxy.service
    say "gradient-node-proxy restarted onto the new binary; its sockets stayed open (no connection refused)"
  elif systemctl is-active --quiet gradient-node-proxy.service; then
    say "gradient-node-proxy keeps running the previous binary on ports it bound itself; to hand them to systemd,"
    say "  so that later upgrades refuse no connection (this once, connections are refused for a moment):"
    say "  systemctl stop gradient-node-proxy && systemctl start gradient-node-proxy.socket gradient-node-proxy"
  elif systemctl start gradient-node-proxy.socket; then
    systemctl start gradient-node-proxy.service
  else
    say "gradient-node-proxy.socket did not start (a port of it in use?): the proxy binds its own ports"
    systemctl start gradient-node-proxy.service
  fi
  say "started; check with: systemctl status gradient-node gradient-node-proxy"
  say "deployments answer at https://NAME.<domain>:8443/ with the node's own CA; trust it on clients:"
  say "  sudo gradient-node tls ca > gradient-node-ca.crt   # then: curl --cacert gradient-node-ca.crt ..."
}

do_install() {
  need_root
  if real_system && [ "$INSTALL_DEPS" -eq 1 ]; then
    install_dependencies
  fi
  install_binaries
  install_share
  mkdir -p "$SPECS_DIR" "$STATE_DIR/tls"
  chmod 0755 "$ETC_DIR" "$SPECS_DIR"
  chmod 0750 "$STATE_DIR"
  chmod 0755 "$STATE_DIR/tls"
  write_node_yaml
  install_units
  ensure_group
  start_units
}

do_uninstall() {
  need_root
  local unit
  if systemd_running; then
    systemctl disable --now "${UNITS[@]}" >/dev/null 2>&1 || true
  fi
  for unit in "${UNITS[@]}" "${SLICES[@]}"; do
    rm -f "$UNIT_DIR/$unit"
  done
  if systemd_running; then
    systemctl daemon-reload
  fi
  rm -f "$BIN_LINK" "$COMPLETION_FILE"
  rm -rf "$OPT_DIR" "$OPT_DIR.new" "$OPT_DIR.old" "$SHARE_DIR"
  say "removed the units and binaries; containers of deployments were left running"
  say "so were the replica network and its host rule that keeps local users off it; once no replica is left:"
  say "  docker network rm gradient-node; iptables -S OUTPUT | grep gradient-node-replicas (delete with -D), ip6tables the same"
  if [ "$PURGE" -eq 1 ]; then
    rm -rf "$ETC_DIR" "$STATE_DIR"
    if real_system && getent group "$GROUP" >/dev/null; then
      groupdel "$GROUP" || say "could not remove group $GROUP"
    fi
    say "purged $ETC_DIR and $STATE_DIR"
  else
    say "kept $ETC_DIR and $STATE_DIR (--purge removes them)"
  fi
}

case $ACTION in
  install) do_install ;;
  uninstall) do_uninstall ;;
esac
