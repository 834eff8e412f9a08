#!/bin/bash
# Kernel style check of the module, uapi and test-module sources (checkpatch from
# Debian's linux-source-6.12, extracted into build/scripts).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cp=$root/build/scripts/checkpatch.pl
[ -e "$cp" ] || "$root/scripts/extract-kernel-tools.sh" "$root/build"
status=0
# Ignored everywhere: LONG_LINE_STRING (user-visible strings stay on one
# line so they can be grepped, as coding-style.rst asks). compat.h exists to
# switch on the kernel version, and its macros drop one of two message forms
# or name the op table twice (its size).
for f in "$root"/kmod/*.[ch] "$root"/uapi/linux/*.h "$root"/selftests/kmod/*.c; do
	ignore=LONG_LINE_STRING
	case $f in
	*/compat.h) ignore=$ignore,LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_UNUSED,MACRO_ARG_REUSE ;;
	# ynl-gen-c.py's output, as drivers/net/ovpn/netlink-gen.c: its lines
	# are the generator's (make spec-check keeps them so)
	*/netlink-gen.[ch]) ignore=$ignore,LONG_LINE ;;
	esac
	perl "$cp" --strict --no-tree --quiet --show-types --ignore "$ignore" \
		-f "$f" || status=1
done
[ $status = 0 ] && echo "checkpatch: clean"
exit $status
