#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-harness: proves that the test harness fails loudly. Runs
# scripts/check/check.sh on KERNEL with small stand-in suites and expects:
#   a passing test        -> exit 0 and "1 passed, 0 failed"
#   a failing test        -> non-zero exit, "not ok", "0 passed, 1 failed"
#   a WARN in the kernel  -> non-zero exit, "SPLAT" with the WARNING line
#   a hung test           -> non-zero exit, "TIMEOUT: kernel K hung in test"
#   an OOM kill in a test -> exit 0: the OOM killer's stack is no splat,
#                            even when the console dropped its first line
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
k=${1:?usage: check-harness.sh KERNEL_RELEASE}
work=$ROOT/build/harness
rm -rf "$work/cases"
mkdir -p "$work/cases"/{pass,fail,warn,hang,oom} "$work/kbuild/$k"

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
# tail buffers /dev/zero's endless line until memory.max kills it; then the
# stack of a report whose "invoked oom-killer" line a console lost
cat >"$work/cases/oom/test_oom.sh" <<'EOF'
#!/bin/sh
echo "1..1"
cg=/sys/fs/cgroup/harness-oom
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
mkdir $cg && echo 16M >$cg/memory.max && echo 0 >$cg/memory.swap.max
sh -c "echo \$\$ >$cg/cgroup.procs && exec tail /dev/zero" 2>/dev/null
for l in "Call Trace:" " <TASK>" " dump_stack_lvl+0x64/0x80" \
	" dump_header+0x43/0x1d0" " oom_kill_process+0xfa/0x200" " </TASK>"; do
	echo "<4>$l" >/dev/kmsg
done
kills=$(sed -n 's/^oom_kill //p' $cg/memory.events)
rmdir $cg
[ "$kills" = 1 ] && echo "ok 1 oom_killed" && exit 0
echo "not ok 1 oom_killed: memory.events says oom_kill $kills"
exit 1
EOF
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
expect oom-kill 0 '^1 passed, 0 failed' XOS_TESTS_DIR="$work/cases/oom"
expect hung-guest 1 "TIMEOUT: kernel ${k//+/\\+} hung in test test_hang.sh" \
	XOS_TESTS_DIR="$work/cases/hang" CHECK_TIMEOUT=45
exit $bad
