#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-harness: proves that the test harness fails loudly. Runs
# scripts/check/check.sh on KERNEL with small stand-in suites and expects:
#   a passing test        -> exit 0 and "1 passed, 0 failed"
#   a failing test        -> non-zero exit, "not ok", "0 passed, 1 failed"
#   a WARN in the kernel  -> non-zero exit, "SPLAT" with the WARNING line
#   a hung test           -> non-zero exit, "TIMEOUT: kernel K hung in test"
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
k=${1:?usage: check-harness.sh KERNEL_RELEASE}
work=$ROOT/build/harness
rm -rf "$work/cases"
mkdir -p "$work/cases"/{pass,fail,warn,hang} "$work/kbuild/$k"

# the WARN module, built for this kernel
ln -sfn "$ROOT/selftests/harness/xos_splat.c" "$work/kbuild/$k/xos_splat.c"
ln -sfn "$ROOT/selftests/harness/Kbuild" "$work/kbuild/$k/Kbuild"
make -s -C "/lib/modules/$k/build" M="$work/kbuild/$k" modules 2>&1 | grep -v BTF
ko=$work/kbuild/$k/xos_splat.ko
[ -r "$ko" ] || { echo "check-harness: could not build xos_splat.ko" >&2; exit 1; }

printf '#!/bin/sh\necho "1..1"\necho "ok 1 harness_pass"\n' >"$work/cases/pass/test_pass.sh"
printf '#!/bin/sh\necho "1..1"\necho "not ok 1 harness_fail: deliberate"\nexit 1\n' \
	>"$work/cases/fail/test_fail.sh"
printf '#!/bin/sh\necho "1..1"\ninsmod %s\necho "ok 1 survived"\n' "$ko" \
	>"$work/cases/warn/test_warn.sh"
printf '#!/bin/sh\necho "1..1"\nsleep 100000\necho "ok 1 woke"\n' \
	>"$work/cases/hang/test_hang.sh"
chmod +x "$work"/cases/*/test_*

bad=0
expect() {
	local name=$1 want_rc=$2 pattern=$3 log=$work/$1.log rc
	shift 3
	env "$@" "$ROOT/scripts/check/check.sh" "$k" >"$log" 2>&1
	rc=$?
	if { [ "$want_rc" = 0 ] && [ $rc != 0 ]; } ||
	   { [ "$want_rc" != 0 ] && [ $rc = 0 ]; } ||
	   ! grep -qE "$pattern" "$log"; then
		echo "not ok - $name: exit $rc, expected ${want_rc/1/non-zero} and /$pattern/ (log: $log)"
		bad=1
	else
		echo "ok - $name: exit $rc; $(grep -E "$pattern" "$log" | head -1)"
	fi
}
expect passing-test 0 '^1 passed, 0 failed' XOS_TESTS_DIR="$work/cases/pass"
expect failing-test 1 '^0 passed, 1 failed' XOS_TESTS_DIR="$work/cases/fail"
expect kernel-warn 1 'SPLAT in the guest kernel log' XOS_TESTS_DIR="$work/cases/warn"
grep -q 'WARNING:' "$work/kernel-warn.log" ||
	{ echo "not ok - kernel-warn: the WARNING line is not shown"; bad=1; }
expect hung-guest 1 "TIMEOUT: kernel ${k//+/\\+} hung in test test_hang.sh" \
	XOS_TESTS_DIR="$work/cases/hang" CHECK_TIMEOUT=45
exit $bad
