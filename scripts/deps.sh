#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deps: installs the Debian packages xos_job needs to build, test and
# demo. Idempotent; silent when everything is present.
set -euo pipefail
pkgs=(
	build-essential pkg-config make gcc bc kmod cpio xz-utils zstd
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	linux-source-6.12 flex bison libelf-dev libssl-dev
	qemu-system-x86 busybox-static
	libnl-3-dev libnl-genl-3-dev libnl-utils
	python3 python3-yaml python3-jsonschema liburing-dev
	util-linux procps iproute2 strace e2fsprogs
	man-db groff-base
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'sudo make deps'" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
