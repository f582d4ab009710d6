# shellcheck shell=bash
# Over 300 lines: the helpers every script shares (private dockerd, test registry, S3 and git sources), kept in one
# file so that test.sh, run.sh and the benches source one thing.
# Shared helpers for test.sh, run.sh and bench/*. Source it; do not run it.
#
#   say MSG...                      log a line to stderr, prefixed with the script name
#   die MSG...                      say, then exit 1
#   ensure_apt_packages PKG...      apt-get install only the packages that are missing
#   ensure_dotnet                   fail clearly when the .NET SDK is not installed
#   engine_reachable HOST           true when the Docker Engine at HOST answers GET /_ping
#   ensure_engine DIR               DOCKER_HOST, else /var/run/docker.sock, else a private dockerd in DIR
#   start_private_dockerd DIR       start (or reuse) a private dockerd whose files all live in DIR
#   stop_private_dockerd DIR        stop it: SIGTERM via its pidfile, then SIGKILL
#   remove_containers ARGS...       docker rm -f every container `docker ps -aq ARGS...` lists
#   usage                           print the calling script's header comment (its --help), exit 0
#   unknown_argument ARG            die naming ARG and pointing at --help (the `*)` of an argument loop)
#   now                             the wall clock in seconds, microsecond resolution ($EPOCHREALTIME)
#   seconds_between A B [DECIMALS]  B - A (two decimals unless told)
#   free_port                       a free loopback TCP port
#
# The argument loop every bench/ script shares:
#   while [ $# -gt 0 ]; do case $1 in -x) x=$2; shift 2 ;; -h | --help) usage ;; *) unknown_argument "$1" ;; esac; done
#
# Globals set here: GN_DOCKERD_STARTED (the DIR of a dockerd this process started, else empty).

GN_LIB_APT_UPDATED=${GN_LIB_APT_UPDATED:-}
GN_DOCKERD_STARTED=${GN_DOCKERD_STARTED:-}

say() {
  printf '[%s] %s\n' "${0##*/}" "$*" >&2
}

die() {
  say "ERROR: $*"
  exit 1
}

# The comment block under the script's #! line, without its '# ' prefixes: what --help prints.
usage() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
  exit 0
}

unknown_argument() {
  die "unknown argument: $1 (see --help)"
}

now() { printf '%s' "$EPOCHREALTIME"; }

seconds_between() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { printf "%.*f", d, b - a }'; }

# Installs the named Debian packages that are not installed yet. Runs `apt-get update` at most once
# per process, and only when something has to be installed.
ensure_apt_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
  say "installing: ${missing[*]}"
  if [ -z "$GN_LIB_APT_UPDATED" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    GN_LIB_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The .NET SDK is never downloaded by these scripts (no internet here): it must be installed.
ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    die "the .NET 10 SDK ('dotnet') is not installed or not on PATH.
  Install it, e.g. from Microsoft's Debian package feed: apt-get install dotnet-sdk-10.0
  (see https://learn.microsoft.com/dotnet/core/install/linux-debian), then re-run."
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  if [ "${CI:-}" = true ]; then
    # Build nodes left behind by node reuse can keep CI's stdout pipe open after the script ends.
    export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
  fi
}

# engine_reachable unix:///path/docker.sock | tcp://host:port — true when GET /_ping answers OK.
engine_reachable() {
  local host=$1 reply
  case $host in
    unix://*)
      [ -S "${host#unix://}" ] || return 1
      reply=$(curl -fsS --max-time 3 --unix-socket "${host#unix://}" http://localhost/_ping 2>/dev/null) || return 1
      ;;
    tcp://*)
      reply=$(curl -fsS --max-time 3 "http://${host#tcp://}/_ping" 2>/dev/null) || return 1
      ;;
    *) return 1 ;;
  esac
  [ "$reply" = OK ]
}

# Picks the engine and exports DOCKER_HOST: $DOCKER_HOST if it answers, else the system socket if it
# answers, else a private dockerd in DIR (started here; GN_DOCKERD_STARTED says whether to stop it).
ensure_engine() {
  local dir=$1
  if [ -n "${DOCKER_HOST:-}" ]; then
    if engine_reachable "$DOCKER_HOST"; then
      say "engine: DOCKER_HOST=$DOCKER_HOST"
      export DOCKER_HOST
      return 0
    fi
    say "DOCKER_HOST=$DOCKER_HOST does not answer; looking for another engine"
  fi
  if engine_reachable unix:///var/run/docker.sock; then
    export DOCKER_HOST=unix:///var/run/docker.sock
    say "engine: $DOCKER_HOST"
    return 0
  fi
  start_private_dockerd "$dir"
  export DOCKER_HOST="unix://$dir/docker.sock"
  say "engine: private dockerd, DOCKER_HOST=$DOCKER_HOST"
}

# True when PID is a live (not zombie) dockerd process; a pidfile may name a reused pid.
dockerd_alive() {
  local pid=${1:-}
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || return 1
  ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$pid/stat" 2>/dev/null
}

# The bridge a private dockerd in DIR uses: named after DIR, at most 15 characters (IFNAMSIZ).
private_bridge_name() {
  local name sum
  name=$(basename "$1" | tr -c 'a-zA-Z0-9-\n' '-')
  if [ "${#name}" -le 15 ]; then
    printf '%s\n' "$name"
    return
  fi
  # Interface names hold 15 characters. Cut alone, /tmp/gn-docker-trial-con and /tmp/gn-docker-trial-int were both
  # gn-docker-trial: the second dockerd joined the first one's bridge, both handed out the same addresses, and
  # stopping either deleted the other's bridge. A longer name keeps 10 characters and 4 hex digits of its checksum.
  sum=$(printf '%s' "$name" | cksum | cut -d' ' -f1)
  printf '%s-%04x\n' "${name:0:10}" $((sum % 65536))
}

# Creates DIR's bridge when missing, on 10.213.PREFERRED.0/24 when that is free, else on the first free 10.213.N.0/24.
# A bridge left from an earlier run whose subnet another interface now also holds (a leftover bridge of another private
# dockerd) is made anew: with two routes to one subnet the host could not reach the containers, and every replica would
# stay not ready.
ensure_private_bridge() {
  local name=$1 preferred=${2:-} n
  (
    flock 8 # private dockerds starting side by side must not pick the same subnet
    if ip link show "$name" >/dev/null 2>&1; then
      n=$(bridge_subnet "$name")
      if [ -n "$n" ] && [ "$(ip -4 -o addr show | grep -c " inet 10\.213\.$n\.")" -eq 1 ]; then
        exit 0
      fi
      say "bridge $name shares its subnet with another interface (or has none); making it anew"
      ip link delete "$name" || exit 1
    fi
    for n in $preferred $(seq 1 254); do
      # Addresses, not routes: an interface that is down holds its subnet without a route.
      if ! ip -4 -o addr show | grep " inet 10\.213\.$n\." >/dev/null; then
        ip link add "$name" type bridge &&
          ip addr add "10.213.$n.1/24" dev "$name" &&
          ip link set "$name" up
        exit
      fi
    done
    say "no free 10.213.N.0/24 subnet for bridge $name"
    exit 1
  ) 8>/run/gradient-node-bridges.lock # root's own folder: a fixed name in /tmp would follow another user's link there
}

# The N of the 10.213.N.0/24 that DIR's dockerd remembers for its default bridge (empty when none): dockerd keeps the
# bridge network's subnet in its network store and puts that address back on the bridge when it starts.
remembered_bridge_subnet() {
  grep -aoE '10\.213\.[0-9]+\.0/24' "$1/data/network/files/local-kv.db" 2>/dev/null | head -n 1 | cut -d. -f3 || true
}

# The N of the 10.213.N.1/24 address on bridge NAME (empty when none).
bridge_subnet() {
  ip -4 -o addr show dev "$1" 2>/dev/null | sed -n 's/.* inet 10\.213\.\([0-9]*\)\.1\/24 .*/\1/p' | head -n 1
}

# remove_pool_bridges N: deletes the br-* interfaces whose address lies in the /19 of engine-made networks that the
# private dockerd on bridge 10.213.N.0/24 hands out (see start_private_dockerd). Called only while no dockerd with
# that bridge runs: dockerd (live-restore on) leaves its networks' bridges behind when it stops, and a later dockerd
# given the same N then finds its pool taken ("could not find an available, non-overlapping IPv4 address pool").
# The engine makes them again from its network store when it starts. A bridge that still has interfaces on it
# (containers live-restore kept running) is left alone.
remove_pool_bridges() {
  local n=$1 second third iface addr a b c
  second=$((214 + n / 8))
  third=$((n % 8 * 32))
  ip -4 -o addr show 2>/dev/null | while read -r _ iface _ addr _; do
    case $iface in br-*) ;; *) continue ;; esac
    IFS=. read -r a b c _ <<<"${addr%/*}"
    if [ "$a" = 10 ] && [ "$b" = "$second" ] && [ "$c" -ge "$third" ] && [ "$c" -lt $((third + 32)) ]; then
      # A bridge with interfaces on it still serves containers that live-restore kept running: deleting it cut them
      # off for good (the engine makes a new, empty bridge; their veths stay outside it), and the node saw its
      # replicas running but never answering. Such a bridge is the engine's own again once it starts.
      if [ -n "$(ls -A "/sys/class/net/$iface/brif" 2>/dev/null)" ]; then
        continue
      fi
      say "removing $iface ($addr), a network bridge a stopped dockerd left in this dockerd's pool"
      ip link delete "$iface" 2>/dev/null || true
    fi
  done
}

# Starts dockerd with all its files in DIR (keep DIR short: the socket path must stay < 108 chars)
# and waits up to 60 s for /_ping. Reuses one that already answers there (and then does not claim it).
#
# Isolation from other dockerds on this box (e.g. a developer's /tmp/gn-docker): its own bridge and
# no iptables rules, as Docker's "run multiple daemons" guide asks. Two daemons on the default docker0
# would hand out the same container IPs (the proxy routes to container IPs), and a second daemon
# with iptables on rewrites the first one's DOCKER chains. Published ports still work (docker-proxy).
# private_dir DIR WHAT: makes DIR (0700) or checks the one there. The scripts keep fixed names in /tmp (run.sh's
# dockerd: /tmp/gn-run-XXXXXXXX after the checkout's path; test.sh's: /tmp/gn-test-docker; s3rver: /tmp/gn-s3rver),
# which any local user can make first: root would then write .start.lock, daemon.json and dockerd.log through links
# that user put in it (truncating or writing any file), keep the engine's socket and data root in a folder whose entries
# that user can rename, or run the s3rver that user left there. So DIR must not be a link, must be the caller's own and
# writable by nobody else; otherwise stop before anything in it is written or run. WHAT names it in the error.
private_dir() {
  local dir=$1 what=$2 owner mode
  if [ ! -e "$dir" ] && [ ! -L "$dir" ]; then
    mkdir -p "$(dirname "$dir")"
    mkdir -m 0700 "$dir" 2>/dev/null || [ -d "$dir" ] || die "could not make the $what $dir"
  fi
  [ ! -L "$dir" ] || die "the $what $dir is a symbolic link (to $(readlink "$dir")); remove it (another user may have put it there) or pick another folder"
  [ -d "$dir" ] || die "the $what $dir is not a folder; remove it or pick another folder"
  owner=$(stat -c %u "$dir")
  if [ "$owner" != "$(id -u)" ]; then
    die "the $what $dir is owned by $(stat -c %U "$dir") (uid $owner), not by $(id -un): another user made it first and could have this script write where links in it point or run what they left in it; remove it (rm -rf $dir) or pick another folder"
  fi
  mode=$(stat -c %a "$dir")
  if (((8#$mode & 8#022) != 0)); then
    die "the $what $dir is writable by others (mode $mode): another user could put links or programs in it; chmod go-w $dir, or remove it"
  fi
}

# private_dockerd_dir DIR: private_dir for a private dockerd's folder.
private_dockerd_dir() {
  private_dir "$1" "private dockerd folder"
}

start_private_dockerd() {
  local dir=$1 sock pidfile pid bridge remembered actual i
  sock=$dir/docker.sock
  pidfile=$dir/docker.pid
  [ "${#sock}" -lt 100 ] || die "private dockerd dir too long for a unix socket path: $dir"
  private_dockerd_dir "$dir"
  ensure_apt_packages docker.io iproute2 util-linux
  (
    # One starter at a time per DIR (two scripts may start together).
    flock 9
    if engine_reachable "unix://$sock"; then
      exit 3
    fi
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && ! dockerd_alive "$pid"; then
      say "removing stale pidfile $pidfile (pid $pid is gone)"
      rm -f "$pidfile"
      pid=
    fi
    if [ -z "$pid" ]; then
      bridge=$(private_bridge_name "$dir")
      remembered=$(remembered_bridge_subnet "$dir")
      ensure_private_bridge "$bridge" "$remembered" || exit 1
      actual=$(bridge_subnet "$bridge")
      if [ -n "$remembered" ] && [ "$remembered" != "$actual" ]; then
        # Another interface holds the subnet this dockerd remembers: started as is, it would put that subnet back
        # on its bridge, two routes would share it, and no container would be reachable. Its network store goes; the
        # default bridge network is made again from the bridge's address.
        say "dockerd in $dir remembers 10.213.$remembered.0/24, now held by another interface; its bridge is on 10.213.$actual.0/24 and its network store is reset"
        rm -f "$dir/data/network/files/local-kv.db"
      fi
      remove_pool_bridges "$actual"
      # Networks the engine makes (the node's replica network) come from a /19 of this dockerd's own (eight /22s of
      # 1,022 addresses, in 10.214.0.0–10.245.255.255, after its bridge's N): two private dockerds would both take
      # 172.17.0.0/16 from Docker's default pools, and two routes for one subnet leave one engine's replicas unreachable.
      printf '{"runtimes":{"nvidia":{"path":"runc"}},"live-restore":true,"default-address-pools":[{"base":"10.%d.%d.0/19","size":22}]}\n' \
        $((214 + actual / 8)) $((actual % 8 * 32)) >"$dir/daemon.json"
      say "starting private dockerd in $dir (bridge $bridge, log $dir/dockerd.log)"
      # setsid: its own session, so a Ctrl-C meant for the script does not reach it directly.
      setsid nohup dockerd \
        --host "unix://$sock" \
        --data-root "$dir/data" \
        --exec-root "$dir/exec" \
        --pidfile "$pidfile" \
        --config-file "$dir/daemon.json" \
        --bridge "$bridge" --iptables=false --ip-masq=false \
        >>"$dir/dockerd.log" 2>&1 </dev/null 9>&- &
    fi
    for ((i = 0; i < 240; i++)); do
      engine_reachable "unix://$sock" && exit 0
      sleep 0.25
    done
    say "private dockerd in $dir did not answer /_ping within 60 s; last lines of $dir/dockerd.log:"
    tail -n 40 "$dir/dockerd.log" >&2 || true
    exit 1
  ) 9>"$dir/.start.lock" || {
    local rc=$?
    if [ "$rc" -eq 3 ]; then
      say "reusing the private dockerd already running in $dir"
      return 0
    fi
    die "could not start a private dockerd in $dir"
  }
  GN_DOCKERD_STARTED=$dir
}

# stop_pid PID [SECONDS]: SIGTERM, up to SECONDS (default 30) for it to exit, then SIGKILL; reaps a child of this
# shell. Nothing for an empty or dead PID.
stop_pid() {
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < ${2:-30} * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Stops the private dockerd in DIR: SIGTERM, up to 30 s, then SIGKILL; removes its bridge.
# With live-restore, containers outlive dockerd: remove them first (remove_containers).
stop_private_dockerd() {
  local dir=$1 pid i n
  pid=$(cat "$dir/docker.pid" 2>/dev/null || true)
  if dockerd_alive "$pid"; then
    say "stopping private dockerd in $dir (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 120; i++)); do
      dockerd_alive "$pid" || break
      sleep 0.25
    done
    if dockerd_alive "$pid"; then
      say "dockerd $pid ignored SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/docker.pid"
  n=$(bridge_subnet "$(private_bridge_name "$dir")")
  [ -z "$n" ] || dockerd_alive "$pid" || remove_pool_bridges "$n"
  ip link delete "$(private_bridge_name "$dir")" 2>/dev/null || true
}

# remove_stale_replica_rules [TOOL...]: deletes the node's replica rules (OUTPUT, comment gradient-node-replicas; the
# exact shape Agent.Core/Networking/IptablesRules.cs writes) that name an interface no longer there. A test's node ended
# with SIGKILL leaves its rule (a node removes its own on a clean stop, and those of gone bridges when it starts), and
# its bridge goes with the private dockerd. TOOLs default to iptables and ip6tables; a rule of any other shape, and one
# naming an interface that exists, stays.
remove_stale_replica_rules() {
  local tool line iface
  local ours='^-A OUTPUT -o ([A-Za-z0-9_][A-Za-z0-9_.-]{0,14}) -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT( --reject-with [a-z0-9-]+)?$'
  [ $# -gt 0 ] || set -- iptables ip6tables
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || continue
    while IFS= read -r line; do
      [[ $line =~ $ours ]] || continue
      iface=${BASH_REMATCH[1]}
      ip link show dev "$iface" >/dev/null 2>&1 && continue
      # shellcheck disable=SC2086 # the listing's words are the rule's own arguments
      "$tool" -w 10 -D OUTPUT ${line#-A OUTPUT } >/dev/null 2>&1 || true
    done < <("$tool" -w 10 -S OUTPUT 2>/dev/null || true)
  done
}

# docker rm -f every container that `docker ps -aq ARGS...` lists on $DOCKER_HOST (quietly).
remove_containers() {
  local ids
  ids=$(docker ps -aq "$@" 2>/dev/null || true)
  [ -n "$ids" ] || return 0
  # shellcheck disable=SC2086 # one id per word
  docker rm -f $ids >/dev/null 2>&1 || true
}

# --- a private registry with htpasswd auth (tests of stored registry credentials) ---------------
# start_test_registry DIR USER PASSWORD: serves on a free loopback port; sets GN_REGISTRY_ADDR and
# GN_REGISTRY_PID. Needs docker-registry and apache2-utils (htpasswd).
start_test_registry() {
  local dir=$1 user=$2 password=$3 port
  mkdir -p "$dir/data"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  htpasswd -Bbn "$user" "$password" >"$dir/htpasswd"
  chmod 600 "$dir/htpasswd"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
auth:
  htpasswd:
    realm: gradient-test
    path: $dir/htpasswd
YAML
  docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  GN_REGISTRY_PID=$!
  GN_REGISTRY_ADDR=127.0.0.1:$port
  local i
  for i in $(seq 1 100); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$GN_REGISTRY_ADDR/v2/")" = 401 ]; then
      return 0
    fi
    sleep 0.1
  done
  tail -n 20 "$dir/registry.log" >&2
  die "the test registry did not answer on $GN_REGISTRY_ADDR"
}

# push_to_registry DIR SOURCE_IMAGE TARGET_REF USER PASSWORD: logs in with a private DOCKER_CONFIG (never ~/.docker).
push_to_registry() {
  local dir=$1 source=$2 target=$3 user=$4 password=$5
  mkdir -p "$dir/docker-config"
  printf '%s' "$password" | DOCKER_CONFIG=$dir/docker-config docker login "${target%%/*}" -u "$user" --password-stdin >/dev/null 2>&1
  docker tag "$source" "$target"
  DOCKER_CONFIG=$dir/docker-config docker push "$target" >/dev/null
  docker rmi "$target" >/dev/null
  rm -rf "$dir/docker-config"
}

# choose_node_env UNIT_FILE WHAT: sets node_env (VAR=VALUE words for `env`) for a bench's gradient-node: the
# DOTNET_ settings of the systemd unit UNIT_FILE, so the role runs as the installed unit runs it, unless
# GRADIENT_NODE_ENV is set (set and empty: the runtime's defaults, as the role runs by hand); node_env_from says
# which (WHAT names the unit).
# shellcheck disable=SC2034 # node_env and node_env_from are the caller's
choose_node_env() {
  if [ -n "${GRADIENT_NODE_ENV+set}" ]; then
    node_env=$GRADIENT_NODE_ENV node_env_from=GRADIENT_NODE_ENV
  else
    node_env=$(sed -n 's/^Environment=\(DOTNET_[A-Za-z0-9_]*=[^ ]*\)$/\1/p' "$1" | tr '\n' ' ') node_env_from=$2
  fi
}

# --- integration sources: S3 (s3rver), a git repository with LFS objects, a private git over HTTP --------
# free_port: a free loopback TCP port.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# ensure_s3rver DIR: npm-installs s3rver@3.7.1 into DIR once (reruns reuse it); sets GN_S3RVER_BIN.
ensure_s3rver() {
  local dir=$1
  GN_S3RVER_BIN=$dir/node_modules/.bin/s3rver
  private_dir "$dir" "s3rver folder" # root runs what is in it
  [ -x "$GN_S3RVER_BIN" ] && return 0
  command -v npm >/dev/null || ensure_apt_packages nodejs npm
  say "installing s3rver@3.7.1 into $dir"
  npm install --prefix "$dir" s3rver@3.7.1 --no-audit --no-fund --loglevel=error >/dev/null
  [ -x "$GN_S3RVER_BIN" ] || die "npm did not install s3rver into $dir"
}

# ensure_export_schemas DIR: `npm ci` in DIR (tests/export-schemas: the validator of exported manifests and the npm
# schema packages it uses) unless its node_modules matches package-lock.json already; node_modules is git-ignored.
ensure_export_schemas() {
  local dir=$1
  if [ -f "$dir/node_modules/.package-lock.json" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    return 0
  fi
  command -v npm >/dev/null || ensure_apt_packages nodejs npm
  say "installing the schema packages for the export tests into $dir/node_modules"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed in $dir"
}

# start_test_s3 DIR BUCKET: s3rver on a free loopback port with BUCKET; sets GN_S3_ENDPOINT and GN_S3_PID.
start_test_s3() {
  local dir=$1 bucket=$2 port i
  mkdir -p "$dir/data"
  port=$(free_port)
  # s3rver 3.7.1 encrypts continuation tokens with a cipher OpenSSL 3 only has in its legacy provider:
  # without it every listing of more than one page fails with 500 InternalError.
  NODE_OPTIONS=--openssl-legacy-provider "$GN_S3RVER_BIN" -d "$dir/data" -a 127.0.0.1 -p "$port" --configure-bucket "$bucket" --silent >"$dir/s3rver.log" 2>&1 &
  GN_S3_PID=$!
  GN_S3_ENDPOINT=http://127.0.0.1:$port
  for i in $(seq 1 100); do
    curl -fs -o /dev/null "$GN_S3_ENDPOINT/$bucket" && return 0
    sleep 0.1
  done
  tail -n 20 "$dir/s3rver.log" >&2
  die "s3rver did not answer on $GN_S3_ENDPOINT"
}

# s3_put ENDPOINT BUCKET KEY FILE: uploads one object (s3rver accepts unsigned writes).
s3_put() {
  curl -fsS -o /dev/null -X PUT --data-binary "@$4" "$1/$2/$3"
}

# seed_test_s3 ENDPOINT BUCKET WORKDIR: nested objects under models/ (small text, a 3 MiB and a 40 MiB binary).
seed_test_s3() {
  local endpoint=$1 bucket=$2 work=$3
  mkdir -p "$work"
  printf 'hello from s3\n' >"$work/readme.txt"
  printf '{"layers": 2}\n' >"$work/config.json"
  head -c 3145728 /dev/urandom >"$work/small.bin"
  head -c 41943040 /dev/urandom >"$work/large.bin"
  s3_put "$endpoint" "$bucket" models/readme.txt "$work/readme.txt"
  s3_put "$endpoint" "$bucket" models/sub/config.json "$work/config.json"
  s3_put "$endpoint" "$bucket" models/sub/deeper/small.bin "$work/small.bin"
  s3_put "$endpoint" "$bucket" models/large.bin "$work/large.bin"
  s3_put "$endpoint" "$bucket" other/not-this.txt "$work/readme.txt"
}

# make_lfs_repo DIR: DIR/model.git, a bare repository on branch main with README.md and an LFS-tracked
# weights.bin (1 MiB, random), pushed over file://; sets GN_LFS_REPO_URL and GN_LFS_SHA256 (of weights.bin).
make_lfs_repo() {
  local dir=$1 work
  work=$dir/work
  mkdir -p "$work"
  git init -q --bare -b main "$dir/model.git"
  git -C "$work" init -q -b main
  git -C "$work" lfs install --local >/dev/null
  git -C "$work" lfs track '*.bin' >/dev/null
  printf '# test model\n' >"$work/README.md"
  head -c 1048576 /dev/urandom >"$work/weights.bin"
  git -C "$work" add .gitattributes README.md weights.bin
  git -C "$work" -c user.name=test -c user.email=test@example.invalid commit -qm "model"
  git -C "$work" push -q "file://$dir/model.git" main 2>/dev/null
  GN_LFS_REPO_URL=file://$dir/model.git
  GN_LFS_SHA256=$(sha256sum "$work/weights.bin" | cut -d' ' -f1)
}

# start_test_git_http DIR USER PASSWORD: a bare repository DIR/repos/private.git behind basic auth; sets
# GN_GIT_HTTP_URL and GN_GIT_HTTP_PID. Branch main holds README.md; branch dev adds dev.txt ("dev"); tag
# release-1 (on a commit of no branch) adds tag.txt ("release-1"), for tests of refs.
start_test_git_http() {
  local dir=$1 user=$2 password=$3 port i work
  work=$dir/private-work
  mkdir -p "$dir/repos" "$work"
  git init -q --bare -b main "$dir/repos/private.git"
  git -C "$dir/repos/private.git" config http.receivepack false
  git -C "$work" init -q -b main
  printf 'private content\n' >"$work/README.md"
  git -C "$work" add README.md
  git -C "$work" -c user.name=test -c user.email=test@example.invalid commit -qm "private"
  git -C "$work" push -q "file://$dir/repos/private.git" main
  git -C "$work" checkout -q -b dev
  printf 'dev\n' >"$work/dev.txt"
  git -C "$work" add dev.txt
  git -C "$work" -c user.name=test -c user.email=test@example.invalid commit -qm "dev"
  git -C "$work" push -q "file://$dir/repos/private.git" dev
  git -C "$work" checkout -q --detach main
  printf 'release-1\n' >"$work/tag.txt"
  git -C "$work" add tag.txt
  git -C "$work" -c user.name=test -c user.email=test@example.invalid commit -qm "release 1"
  git -C "$work" tag release-1
  git -C "$work" push -q "file://$dir/repos/private.git" release-1
  port=$(free_port)
  python3 "$(dirname "${BASH_SOURCE[0]}")/git-http-server.py" "$dir/repos" "$port" "$user" "$password" >"$dir/git-http.log" 2>&1 &
  GN_GIT_HTTP_PID=$!
  GN_GIT_HTTP_URL=http://127.0.0.1:$port/private.git
  for i in $(seq 1 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$GN_GIT_HTTP_URL/info/refs?service=git-upload-pack")" = 401 ] && return 0
    sleep 0.1
  done
  tail -n 20 "$dir/git-http.log" >&2
  die "the test git server did not answer on $GN_GIT_HTTP_URL"
}
