#!/usr/bin/env bash
# Builds the local test images (no image can be pulled here). Idempotent and quick (~1 s each).
#   gradient-test/web:1   busybox httpd on :8080 with CGI endpoints (see below), and a fake /bin/nvidia-smi
#                         that fails with "Failed to initialize NVML" once /tmp/gpu-lost exists
#   gradient-test/web:2   the same content, tagged apart so tests can change a spec's image
#   gradient-test/rogue:1 a replica that misbehaves on purpose (rogue/rogue, served by busybox nc on :8080): huge header
#                         blocks, bodies that lie or never end, 1xx floods, smuggled answers, hostile probe answers
#   gradient-test/bash:1  the same content plus the host's bash and the libraries it links (script@v1 needs bash;
#                         busybox has none): it stands in for images like bash:5 and tensorflow/… in workflow tests
#   gradient-test/bash-user:1  gradient-test/bash:1 running as user 1000 (USER 1000:1000), as many images do
#                         (jupyter, …): workflow jobs must write their outputs as a user other than root
# Usage: DOCKER_HOST=unix:///path/docker.sock tests/images/build.sh
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
mkdir -p "$root/bin" "$root/www/cgi-bin" "$root/tmp" "$root/etc"
cp "$busybox" "$root/bin/busybox"
for tool in $("$busybox" --list); do
  [ "$tool" = busybox ] || ln -sf busybox "$root/bin/$tool"
done
cp -r "$here/web/www/." "$root/www/"
chmod 755 "$root/www/cgi-bin/"*
cp "$here/serve" "$root/bin/serve"
cp "$here/nvidia-smi" "$root/bin/nvidia-smi"
chmod 755 "$root/bin/serve" "$root/bin/nvidia-smi"
echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
for tag in 1 2; do
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/bin' \
    --change 'EXPOSE 8080' \
    --change 'CMD ["/bin/serve"]' \
    --change "LABEL gradient.test-image=web-$tag" \
    - "gradient-test/web:$tag" >/dev/null
done
cp "$here/rogue/rogue" "$root/bin/rogue"
chmod 755 "$root/bin/rogue"
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/bin' \
  --change 'EXPOSE 8080' \
  --change 'CMD ["/bin/nc", "-ll", "-p", "8080", "-e", "/bin/rogue"]' \
  --change "LABEL gradient.test-image=rogue-1" \
  - "gradient-test/rogue:1" >/dev/null
bash_bin=$(command -v bash)
rm -f "$root/bin/bash"
cp -L "$bash_bin" "$root/bin/bash"
for lib in $(ldd "$bash_bin" | grep -oE '/[^ ]+'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/bin' \
  --change 'CMD ["/bin/bash"]' \
  --change "LABEL gradient.test-image=bash-1" \
  - "gradient-test/bash:1" >/dev/null
echo 'user:x:1000:1000:user:/tmp:/bin/sh' >> "$root/etc/passwd"
echo 'user:x:1000:' >> "$root/etc/group"
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/bin' \
  --change 'CMD ["/bin/bash"]' \
  --change 'USER 1000:1000' \
  --change "LABEL gradient.test-image=bash-user-1" \
  - "gradient-test/bash-user:1" >/dev/null
echo "built gradient-test/web:1 gradient-test/web:2 gradient-test/rogue:1 gradient-test/bash:1 gradient-test/bash-user:1"
