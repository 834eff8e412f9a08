#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make spec-check: spec/xos_job.yaml is the protocol's description, and the
# kernel's own generator must agree with the committed uapi header.
#  1. ynl-gen-c.py --mode uapi (from linux-source-6.12) validates the spec
#     against the genetlink-c schema and generates a header from it;
#  2. every constant of both headers is evaluated by the C compiler and the
#     two lists must be equal. The committed header may only add the
#     conventional *_UNSPEC = 0 entries, which YNL leaves out.
# Exits 1 on a difference, naming each constant that differs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
PY=/usr/bin/python3
out=$BUILD/spec
committed=$ROOT/uapi/linux/xos_job.h

[ -r "$BUILD/ynl/ynl-gen-c.py" ] || "$ROOT/scripts/extract-kernel-tools.sh" "$BUILD"
# ynl-gen-c.py finds the schema two levels above the spec and the "kernel
# root" by a MAINTAINERS file: give it that layout.
tree=$out/tree
rm -rf "$tree"
mkdir -p "$tree/Documentation/netlink/specs"
: >"$tree/MAINTAINERS"
cp "$BUILD"/netlink-schema/genetlink*.yaml "$tree/Documentation/netlink/"
cp "$ROOT/spec/xos_job.yaml" "$tree/Documentation/netlink/specs/"
"$PY" "$BUILD/ynl/ynl-gen-c.py" --mode uapi --header \
	--spec "$tree/Documentation/netlink/specs/xos_job.yaml" \
	-o "$out/xos_job.h"

# name=value for every XOS_JOB_ constant of a header, as the compiler sees it
constants() {
	local hdr=$1 tag=$2 names strings
	names=$(grep -oE '^[[:space:]]*(__)?XOS_JOB_[A-Z0-9_]+[[:space:]]*(=|,|$)|^#define[[:space:]]+XOS_JOB_[A-Z0-9_]+' "$hdr" |
		sed -E 's/^#define[[:space:]]+//; s/[[:space:]=,]//g' | sort -u)
	strings=$(grep -oE '^#define[[:space:]]+XOS_JOB_[A-Z0-9_]+[[:space:]]+"' "$hdr" |
		awk '{ print $2 }' || true)
	{
		echo '#include <stdio.h>'
		echo "#include \"$hdr\""
		echo 'int main(void) {'
		for n in $names; do
			if grep -qx "$n" <<<"$strings"; then
				echo "printf(\"%s=\\\"%s\\\"\\n\", \"$n\", $n);"
			else
				echo "printf(\"%s=%lld\\n\", \"$n\", (long long)$n);"
			fi
		done
		echo 'return 0; }'
	} >"$out/$tag.c"
	${CC:-gcc} -Wall -Werror -o "$out/$tag" "$out/$tag.c"
	"$out/$tag"
}
constants "$out/xos_job.h" generated >"$out/generated.txt"
constants "$committed" committed | grep -vE '^XOS_JOB_[A-Z_]*UNSPEC=0$' >"$out/committed.txt"
if ! diff -u --label "from the spec (ynl-gen-c.py)" --label "uapi/linux/xos_job.h" \
	"$out/generated.txt" "$out/committed.txt"; then
	echo "spec-check: spec/xos_job.yaml and uapi/linux/xos_job.h differ (see above)" >&2
	exit 1
fi
echo "spec-check: spec valid; $(wc -l <"$out/generated.txt") constants agree with uapi/linux/xos_job.h"
