#!/bin/bash
# Build kmod/ for one kernel in a private mirror tree, so that builds for
# several kernels never share object files. Usage: build-module.sh RELEASE KDIR
set -euo pipefail
rel=$1 kdir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -e "$kdir/Makefile" ]; then
	echo "build-module: no kernel build tree for $rel at $kdir" >&2
	echo "build-module: install its headers (linux-headers-$rel), or name another kernel: INSTALL_KERNEL=<release> / KDIR=<dir>" >&2
	exit 1
fi
mirror=$root/build/kbuild/$rel
mkdir -p "$mirror/kmod" "$root/build/$rel"
ln -sfn "$root/Kbuild" "$mirror/Kbuild"
ln -sfn "$root/uapi" "$mirror/uapi"
# Drop links to sources that no longer exist, then link the current ones.
find "$mirror/kmod" -maxdepth 1 -xtype l -delete
for f in "$root"/kmod/*.[ch] "$root"/kmod/Kbuild; do
	ln -sfn "$f" "$mirror/kmod/$(basename "$f")"
done
make -s -C "$kdir" M="$mirror" W="${W:-}" modules
install -m 0644 "$mirror/kmod/xos_job.ko" "$root/build/$rel/xos_job.ko"

# The selftests' helper module (selftests/kmod), never installed: beside
# the module, in its own mirror.
hook=$root/build/kbuild/$rel/test-hook
mkdir -p "$hook"
for f in "$root"/selftests/kmod/*.c "$root"/selftests/kmod/Kbuild; do
	ln -sfn "$f" "$hook/$(basename "$f")"
done
make -s -C "$kdir" M="$hook" W="${W:-}" modules
install -m 0644 "$hook/xos_test_hook.ko" "$root/build/$rel/xos_test_hook.ko"
