#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make dkms-check: dkms add + dkms build of this tree for every kernel in
# KERNELS, in a private DKMS tree under build/dkms (nothing is installed on
# the machine), then checks each built module's vermagic and version.
#
#   dkms-check.sh BUILD "KERNELS"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(realpath -m "$1")
kernels=$2
command -v dkms >/dev/null || { echo "dkms-check: dkms missing: run 'sudo make deps'" >&2; exit 1; }
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$ROOT/dkms.conf")
modver=$(sed -n 's/^#define XOS_JOB_MODULE_VERSION "\(.*\)"/\1/p' "$ROOT/kmod/version.h")
if [ "$ver" != "$modver" ]; then
	echo "dkms-check: dkms.conf says $ver, kmod/version.h says $modver" >&2
	exit 1
fi
top=$BUILD/dkms
rm -rf "$top"
src=$top/src/xos_job-$ver
mkdir -p "$src" "$top/tree"
"$ROOT/scripts/packaging/dkms-source.sh" "$src"
dk=(--sourcetree "$top/src" --dkmstree "$top/tree")
dkms add -m xos_job -v "$ver" "${dk[@]}" >"$top/add.log" 2>&1 ||
	{ cat "$top/add.log" >&2; exit 1; }
for k in $kernels; do
	start=$(date +%s)
	if ! dkms build -m xos_job -v "$ver" -k "$k" "${dk[@]}" >"$top/build-$k.log" 2>&1; then
		cat "$top/build-$k.log" >&2
		find "$top/tree" -name make.log -exec cat {} + >&2 2>/dev/null || true
		echo "dkms-check: dkms build for $k failed" >&2
		exit 1
	fi
	ko=$(find "$top/tree/xos_job/$ver/$k" -name 'xos_job.ko*' | head -1)
	[ -n "$ko" ] || { echo "dkms-check: no xos_job.ko built for $k" >&2; exit 1; }
	case "$ko" in
	*.xz) xz -dc "$ko" >"$top/xos_job-$k.ko"; ko=$top/xos_job-$k.ko ;;
	*.zst) zstd -qdc "$ko" >"$top/xos_job-$k.ko"; ko=$top/xos_job-$k.ko ;;
	esac
	magic=$(modinfo -F vermagic "$ko")
	mv=$(modinfo -F version "$ko")
	if [ "${magic%% *}" != "$k" ] || [ "$mv" != "$ver" ]; then
		echo "dkms-check: $ko: vermagic '$magic', version '$mv'; wanted $k, $ver" >&2
		exit 1
	fi
	echo "dkms-check: dkms build xos_job/$ver for $k: ok ($(($(date +%s) - start)) s)"
done
