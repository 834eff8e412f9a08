#!/bin/bash
# Kernel style check of the module, uapi and test-module sources (checkpatch from
# Debian's linux-source-6.12, extracted into build/scripts).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cp=$root/build/scripts/checkpatch.pl
kd=$root/build/scripts/kernel-doc
if [ ! -e "$cp" ] || [ ! -e "$kd" ]; then
	"$root/scripts/extract-kernel-tools.sh" "$root/build"
fi
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
# Kernel-doc: well formed where it is (parameters, Return:), and present for
# every function the module's files share (non-static), at its definition
# or its declaration. The generated files follow the generator.
src=()
for f in "$root"/kmod/*.[ch]; do
	case $f in */netlink-gen.[ch]) ;; *) src+=("$f") ;; esac
done
perl "$kd" -none -Wall -Werror "${src[@]}" || status=1
while read -r fn; do
	if ! grep -q "^ \* $fn() - " "${src[@]}"; then
		echo "kernel-doc: $fn() is not static and has no kernel-doc comment" >&2
		status=1
	fi
done < <(grep -hE '^[a-z][^(;]*[ *]xos_[a-z0-9_]+\(' "$root"/kmod/*.c | grep -v '^static' |
	sed -E 's/^[^(]*[ *](xos_[a-z0-9_]+)\(.*/\1/')
[ $status = 0 ] && echo "checkpatch: clean (and kernel-doc)"
exit $status
