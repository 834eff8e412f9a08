#!/bin/bash
# Extract the kselftest harness and KTAP shell helpers, checkpatch, kernel-doc
# and the YNL tools from Debian's linux-source-6.12 into BUILD. Nothing
# extracted here is committed.
set -euo pipefail
build=${1:?usage: extract-kernel-tools.sh BUILD}
tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)
if [ -z "$tarball" ]; then
	echo "extract-kernel-tools: /usr/src/linux-source-6.12.tar.xz missing; run 'sudo make deps'" >&2
	exit 1
fi
tmp=$(mktemp -d "$build/.extract.XXXXXX" 2>/dev/null || { mkdir -p "$build"; mktemp -d "$build/.extract.XXXXXX"; })
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xJf "$tarball" --wildcards \
	'linux-source-6.12/tools/testing/selftests/kselftest*.h' \
	'linux-source-6.12/tools/testing/selftests/kselftest/ktap_helpers.sh' \
	'linux-source-6.12/tools/net/ynl' \
	'linux-source-6.12/scripts/checkpatch.pl' \
	'linux-source-6.12/scripts/kernel-doc' \
	'linux-source-6.12/scripts/spelling.txt' \
	'linux-source-6.12/scripts/const_structs.checkpatch' \
	'linux-source-6.12/Documentation/netlink/genetlink*.yaml'
mkdir -p "$build/kselftest"
cp "$tmp"/linux-source-6.12/tools/testing/selftests/kselftest*.h \
	"$tmp"/linux-source-6.12/tools/testing/selftests/kselftest/ktap_helpers.sh "$build/kselftest/"
mkdir -p "$build/scripts"
cp "$tmp"/linux-source-6.12/scripts/{checkpatch.pl,kernel-doc,spelling.txt,const_structs.checkpatch} "$build/scripts/"
mkdir -p "$build/netlink-schema"
cp "$tmp"/linux-source-6.12/Documentation/netlink/genetlink*.yaml "$build/netlink-schema/"
rm -rf "$build/ynl"
cp -r "$tmp/linux-source-6.12/tools/net/ynl" "$build/ynl"
