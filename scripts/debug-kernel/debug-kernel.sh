#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds (once) the debug 6.12 kernel of `make check-debug` from Debian's
# /usr/src/linux-source-6.12.tar.xz with scripts/debug-kernel/debug-kernel.config merged
# over tinyconfig, ready for out-of-tree modules (modules_prepare,
# Module.symvers). The tree is cached under $XOS_DEBUG_CACHE (default
# cache/debug-kernel/) in a folder named by a hash of the config fragment
# and the source package version: a second run only prints the paths.
#
#   debug-kernel.sh          build if needed; prints KDIR=... on stdout
#   debug-kernel.sh --kdir   print the tree it would use, build nothing
#
# The compile runs at nice 19 with -j$XOS_DEBUG_JOBS (default 2). It takes
# 23 CPU-minutes: about 12 minutes on 2 idle cores, 45 on a loaded host.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
tarball=/usr/src/linux-source-6.12.tar.xz
fragment=$ROOT/scripts/debug-kernel/debug-kernel.config
cache=${XOS_DEBUG_CACHE:-$ROOT/cache/debug-kernel}
jobs=${XOS_DEBUG_JOBS:-2}

[ -r "$tarball" ] || { echo "debug-kernel: $tarball missing: run 'make deps'" >&2; exit 1; }
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || stat -c %s-%Y "$tarball")
key=$( { cat "$fragment"; echo "linux-source-6.12 $srcver"; } | sha256sum | cut -c1-16)
kdir=$cache/$key/linux
if [ "${1:-}" = --kdir ]; then
	echo "$kdir"
	exit 0
fi
if [ -e "$cache/$key/done" ]; then
	echo "KDIR=$kdir"
	exit 0
fi

log=$cache/$key/build.log
rm -rf "$cache/$key"
mkdir -p "$cache/$key"
echo "debug-kernel: building 6.12 ($srcver) with $(basename "$fragment") into ${kdir#"$ROOT"/}" \
	"(nice 19, -j$jobs; log ${log#"$ROOT"/})" >&2
start=$(date +%s)
tar -xJf "$tarball" -C "$cache/$key"
mv "$cache/$key/linux-source-6.12" "$kdir"
kmake() { nice -n 19 make -C "$kdir" -j"$jobs" "$@" >>"$log" 2>&1; }

kmake tinyconfig
"$kdir/scripts/kconfig/merge_config.sh" -m -O "$kdir" "$kdir/.config" "$fragment" >>"$log" 2>&1
kmake olddefconfig
# Every line of the fragment must have survived (a missing dependency
# silently drops an option otherwise).
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) sym=${line%%=*} ;;
	"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *} ;;
	*) continue ;;
	esac
	got=$(grep -E "^$sym=|^# $sym is not set" "$kdir/.config" || echo "# $sym is not set")
	if [ "$got" != "$line" ]; then
		echo "debug-kernel: wanted '$line', got '$got'" >&2
		bad=1
	fi
done <"$fragment"
[ "$bad" = 0 ] || { echo "debug-kernel: the config fragment does not apply" >&2; exit 1; }

if ! kmake bzImage || ! kmake modules_prepare; then
	tail -30 "$log" >&2
	echo "debug-kernel: build failed (log: $log)" >&2
	exit 1
fi
cp "$kdir/vmlinux.symvers" "$kdir/Module.symvers"
secs=$(($(date +%s) - start))
echo "$secs" >"$cache/$key/build-seconds"
touch "$cache/$key/done"
echo "debug-kernel: $(cat "$kdir/include/config/kernel.release") built in ${secs}s" >&2
echo "KDIR=$kdir"
