#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# spec/xos_job.yaml is the protocol's one description. The kernel's own
# generator (ynl-gen-c.py from linux-source-6.12) turns it into
#  - kmod/netlink-gen.[ch] (--mode kernel): the request policies and the
#    op table, committed with their "do not edit" banner, as
#    drivers/net/ovpn/netlink-gen.[ch] are;
#  - a uapi header (--mode uapi), whose constants must equal those of the
#    hand-written uapi/linux/xos_job.h (it keeps its leading comment, the
#    attribute trees of every command). The committed header may only add
#    the conventional *_UNSPEC = 0 entries, which YNL leaves out.
#
#   spec-check.sh [BUILD]           check; exits 1 naming each difference
#   spec-check.sh --update [BUILD]  regenerate kmod/netlink-gen.[ch]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
BUILD=${1:-$ROOT/build}
PY=/usr/bin/python3
out=$BUILD/spec
committed=$ROOT/uapi/linux/xos_job.h

[ -r "$BUILD/ynl/ynl-gen-c.py" ] || "$ROOT/scripts/extract-kernel-tools.sh" "$BUILD"
# ynl-gen-c.py finds the schema two levels above the spec and the "kernel
# root" by a MAINTAINERS file; the banner names the spec relative to that
# root: give it the repository's own layout, spec/xos_job.yaml.
tree=$out/tree
rm -rf "$tree"
mkdir -p "$tree/spec" "$tree/kmod"
: >"$tree/MAINTAINERS"
cp "$BUILD"/netlink-schema/genetlink*.yaml "$tree/"
cp "$ROOT/spec/xos_job.yaml" "$tree/spec/"
gen() {
	"$PY" "$BUILD/ynl/ynl-gen-c.py" --spec "$tree/spec/xos_job.yaml" "$@"
}
gen --mode kernel --source -o "$tree/kmod/netlink-gen.c"
gen --mode kernel --header -o "$tree/kmod/netlink-gen.h"
gen --mode uapi --header -o "$out/xos_job.h"

if [ $update = 1 ]; then
	cp "$tree"/kmod/netlink-gen.[ch] "$ROOT/kmod/"
	echo "spec-check: kmod/netlink-gen.c and kmod/netlink-gen.h regenerated"
fi
status=0
for f in netlink-gen.c netlink-gen.h; do
	if ! diff -u --label "from the spec: kmod/$f" --label "committed: kmod/$f" \
		"$tree/kmod/$f" "$ROOT/kmod/$f"; then
		echo "spec-check: kmod/$f differs from what spec/xos_job.yaml generates; run 'make spec-gen'" >&2
		status=1
	fi
done

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
	status=1
fi
[ $status = 0 ] || exit 1
echo "spec-check: spec valid; kmod/netlink-gen.[ch] as generated; $(wc -l <"$out/generated.txt") constants agree with uapi/linux/xos_job.h"
