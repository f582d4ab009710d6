#!/usr/bin/env bash
# Builds the example image (no image can be pulled here). Idempotent and quick (~1 s).
#   gradient-examples/hello:1   busybox httpd on :8080 serving hello/www: index.html and cgi-bin/whoami; it logs
#                               one line as it starts (hello/start)
# Usage: DOCKER_HOST=unix:///path/docker.sock examples/images/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
busybox=$(command -v busybox || true)
[ -x /bin/busybox ] && busybox=/bin/busybox
if [ -z "$busybox" ] || ! "$busybox" --list | grep -x httpd >/dev/null; then
  echo "build.sh: busybox-static is required (apt-get install busybox-static)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root/bin" "$root/www" "$root/tmp" "$root/etc"
cp "$busybox" "$root/bin/busybox"
for tool in $("$busybox" --list); do
  [ "$tool" = busybox ] || ln -sf busybox "$root/bin/$tool"
done
cp -r "$here/hello/www/." "$root/www/"
chmod 755 "$root/www/cgi-bin/"*
cp "$here/../../tests/images/serve" "$root/bin/serve"
chmod 755 "$root/bin/serve"
cp "$here/hello/start" "$root/bin/start"
chmod 755 "$root/bin/start"
echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/bin' \
  --change 'EXPOSE 8080' \
  --change 'CMD ["/bin/start"]' \
  --change 'LABEL gradient.example-image=hello' \
  - gradient-examples/hello:1 >/dev/null
echo "built gradient-examples/hello:1"
