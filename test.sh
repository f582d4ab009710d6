#!/usr/bin/env bash
# Builds gradient-node and runs the test suite against a real Docker Engine.
#
#   ./test.sh                              everything (Unit, Engine, Proxy, E2E)
#   ./test.sh --filter Category=Unit       any extra arguments go to `dotnet test`
#
# Steps: install missing apt packages; pick an engine ($DOCKER_HOST, /var/run/docker.sock, else a
# private dockerd in /tmp/gn-test-docker); build the test images; publish gradient-node once to
# artifacts/bin; run `dotnet test` once. Leftover test containers and a dockerd started here are
# removed on exit. The very last line printed is always `N passed, M failed` (from the TRX); just before it, each
# failed test's message and the tail of its output, so that a log cut to its end still says what failed.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

PRIVATE_DOCKER_DIR=/tmp/gn-test-docker
RESULTS_DIR=artifacts/test-results
TRX=$RESULTS_DIR/results.trx
test_rc=    # exit status of `dotnet test`; empty until it ran

# --- cleanup and the summary line (always, last) ----------------------------------------------
cleanup() {
  if [ -n "${DOCKER_HOST:-}" ] && [ -n "${GN_TEST_RUN_ID:-}" ] && command -v docker >/dev/null; then
    remove_containers --filter "label=gradient.test-run=$GN_TEST_RUN_ID"
    if [ -n "$GN_DOCKERD_STARTED" ]; then
      remove_containers # the private engine is ours: leave nothing running under live-restore
    fi
  fi
  if [ -n "${GN_REGISTRY_PID:-}" ]; then
    kill "$GN_REGISTRY_PID" 2>/dev/null
    wait "$GN_REGISTRY_PID" 2>/dev/null
  fi
  [ -z "${REGISTRY_DIR:-}" ] || rm -rf "$REGISTRY_DIR"
  local pid
  for pid in ${GN_S3_PID:-} ${GN_GIT_HTTP_PID:-}; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  [ -z "${SOURCES_DIR:-}" ] || rm -rf "$SOURCES_DIR"
  if [ -n "$GN_DOCKERD_STARTED" ]; then
    stop_private_dockerd "$GN_DOCKERD_STARTED"
  fi
  remove_stale_replica_rules
}

# Reads <Counters passed=".." failed=".." error=".."/> from the TRX: "PASSED FAILED", or nothing.
trx_counts() {
  local counters passed failed errors
  [ -f "$TRX" ] || return 0
  counters=$(grep -o '<Counters [^>]*>' "$TRX" | head -n 1) || return 0
  attr() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$(attr passed)
  failed=$(attr failed)
  errors=$(attr error)
  echo "${passed:-0} $((${failed:-0} + ${errors:-0}))"
}

on_exit() {
  local rc=$? counts passed failed
  set +e
  trap - EXIT INT TERM
  cleanup
  counts=$(trx_counts)
  if [ -z "$counts" ] || [ -z "$test_rc" ]; then
    say "no test results (the build or the setup failed before the tests ran)"
    passed=0 failed=1
  else
    read -r passed failed <<<"$counts"
    if [ "$failed" -ne 0 ] && command -v python3 >/dev/null; then
      python3 scripts/trx-failures.py "$TRX" 25
    fi
    if [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
      say "dotnet test failed (exit $test_rc) without a failed test in the TRX (crash, abort or timeout?)"
      failed=1
    fi
  fi
  [ "$rc" -ne 0 ] || [ "$failed" -eq 0 ] || rc=1
  echo "$passed passed, $failed failed"
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- (a) packages -------------------------------------------------------------------------------
PACKAGES=(docker.io busybox-static curl git git-lfs)
# >>> Packages needed by later features (S3, ...) go here.
PACKAGES+=(docker-registry apache2-utils python3)
PACKAGES+=(systemd shellcheck util-linux passwd) # systemd-analyze verify, shellcheck install.sh, setpriv/useradd (socket access test)
PACKAGES+=(iptables) # the node's rule that keeps local users off the replica network (docker.io brings it too)
PACKAGES+=(chromium firefox-esr) # the console's browser tests: Playwright drives /usr/bin/chromium (CDP) and /usr/bin/firefox-esr (WebDriver BiDi); no browser is downloaded
# <<<
ensure_apt_packages "${PACKAGES[@]}"
ensure_dotnet

# --- (b) engine ---------------------------------------------------------------------------------
ensure_engine "$PRIVATE_DOCKER_DIR"

GN_TEST_RUN_ID=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
export GN_TEST_RUN_ID
export CI=${CI:-}
say "test run id: $GN_TEST_RUN_ID (containers labeled gradient.test-run=$GN_TEST_RUN_ID are removed at the end)"

# --- (c) test images ----------------------------------------------------------------------------
tests/images/build.sh

# --- (c2) a private registry with a password, holding one test image ----------------------------
REGISTRY_DIR=$(mktemp -d /tmp/gn-registry.XXXXXX)
GN_TEST_REGISTRY_USER=gradient
GN_TEST_REGISTRY_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
start_test_registry "$REGISTRY_DIR" "$GN_TEST_REGISTRY_USER" "$GN_TEST_REGISTRY_PASSWORD"
GN_TEST_REGISTRY=$GN_REGISTRY_ADDR
GN_TEST_PRIVATE_IMAGE=$GN_TEST_REGISTRY/gradient-test/private:1
push_to_registry "$REGISTRY_DIR" gradient-test/web:1 "$GN_TEST_PRIVATE_IMAGE" "$GN_TEST_REGISTRY_USER" "$GN_TEST_REGISTRY_PASSWORD"
export GN_TEST_REGISTRY GN_TEST_REGISTRY_USER GN_TEST_REGISTRY_PASSWORD GN_TEST_PRIVATE_IMAGE
say "test registry on $GN_TEST_REGISTRY with $GN_TEST_PRIVATE_IMAGE"

# --- (c3) integration sources: s3rver with nested objects, git + LFS over file://, private git over HTTP
SOURCES_DIR=$(mktemp -d /tmp/gn-sources.XXXXXX)
ensure_s3rver "${GN_S3RVER_DIR:-/tmp/gn-s3rver}"
GN_TEST_S3_BUCKET=data
start_test_s3 "$SOURCES_DIR/s3" "$GN_TEST_S3_BUCKET"
seed_test_s3 "$GN_S3_ENDPOINT" "$GN_TEST_S3_BUCKET" "$SOURCES_DIR/s3-seed"
GN_TEST_S3_ENDPOINT=$GN_S3_ENDPOINT
make_lfs_repo "$SOURCES_DIR/lfs"
GN_TEST_GIT_LFS_URL=$GN_LFS_REPO_URL
GN_TEST_GIT_LFS_SHA256=$GN_LFS_SHA256
GN_TEST_GIT_HTTP_USER=gradient
GN_TEST_GIT_HTTP_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
start_test_git_http "$SOURCES_DIR/git" "$GN_TEST_GIT_HTTP_USER" "$GN_TEST_GIT_HTTP_PASSWORD"
GN_TEST_GIT_HTTP_URL=$GN_GIT_HTTP_URL
export GN_TEST_S3_ENDPOINT GN_TEST_S3_BUCKET GN_TEST_GIT_LFS_URL GN_TEST_GIT_LFS_SHA256 GN_TEST_GIT_HTTP_URL GN_TEST_GIT_HTTP_USER GN_TEST_GIT_HTTP_PASSWORD
say "integration sources: s3 $GN_TEST_S3_ENDPOINT, git-lfs $GN_TEST_GIT_LFS_URL, git http $GN_TEST_GIT_HTTP_URL"

# --- (c4) the published schemas for `gradient-node export` (E2E/ExportSchemaTests) ---------------
ensure_export_schemas tests/export-schemas

# --- (d) gradient-node --------------------------------------------------------------------------
say "publishing gradient-node to artifacts/bin"
dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin --nologo -v quiet
export GRADIENT_NODE_BIN=$PWD/artifacts/bin/gradient-node
[ -x "$GRADIENT_NODE_BIN" ] || die "publish did not produce $GRADIENT_NODE_BIN"

# --- (f) tests ----------------------------------------------------------------------------------
rm -f "$TRX"
say "running dotnet test $*"
test_rc=0
# The E2E tests send SIGHUP and SIGINT to the processes they start. A test run started with those signals ignored
# (nohup, or `cmd &` from a script) would hand the ignore down to them, and .NET keeps an inherited ignore: reset them.
env --default-signal=HUP,INT,QUIT dotnet test Daemon.Tests/Daemon.Tests.csproj -c Release --nologo \
  --logger "trx;LogFileName=results.trx" --results-directory "$RESULTS_DIR" \
  --logger "console;verbosity=normal" --blame-hang-timeout 10min --blame-hang-dump-type none "$@" || test_rc=$?
if [ "$test_rc" -ne 0 ]; then
  exit "$test_rc"
fi
