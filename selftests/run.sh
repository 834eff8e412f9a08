#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest-side runner: runs every selftest program (build/selftests/test_*)
# and script (selftests/test_*.sh) with a time limit, prints KTAP (through
# the kernel's kselftest/ktap_helpers.sh, one line a program), and writes
# "passed failed skipped" to $XOS_OUT/summary. Cases are counted from each
# program's own TAP lines ("ok N ... # SKIP" is a skipped one); a program
# that dies or times out without reporting a failure counts as one failed
# case.
#
#   run.sh [-t SECONDS] [PATTERN...]   (PATTERN: glob on the test name)
set -u
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=/dev/null # extracted at build time
source "$ROOT/build/kselftest/ktap_helpers.sh" || exit 1
OUT=${XOS_OUT:-/tmp}
limit=${XOS_TEST_TIMEOUT:-300}
# a slow (debug) kernel: every time limit is this many times longer, here
# and inside the tests (selftests/harness.h, selftests/lib.sh)
scale=${XOS_TIME_SCALE:-1}
[[ $scale =~ ^[1-9][0-9]*$ ]] || scale=1
if [ "${1:-}" = "-t" ]; then
	limit=$2
	shift 2
fi

# XOS_TESTS_DIR replaces the suite (used by make check-harness).
if [ -n "${XOS_TESTS_DIR:-}" ]; then
	candidates=("$XOS_TESTS_DIR"/test_*)
else
	candidates=("$ROOT"/build/selftests/test_* "$ROOT"/selftests/test_*.sh)
fi
tests=()
for t in "${candidates[@]}"; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if [ $# -gt 0 ]; then
		match=0
		for p in "$@"; do
			# shellcheck disable=SC2053
			[[ $name == $p ]] && match=1
		done
		[ $match = 1 ] || continue
	fi
	tests+=("$t")
done

# Loading or unloading xos_job takes its three tracepoints from one probe
# to none and back, and the kernel patches their static keys and static
# calls with text_poke_bp(). QEMU TCG can execute the int3 of such a patch
# after the patch has finished (a stale translation; on hardware the final
# core sync rules that out) and the kernel dies: "Oops: int3" at the exec
# tracepoint in bprm_execve, then "Fatal exception in interrupt". CI saw it
# once in 100 load/unload cycles. The same events enabled in two trace
# instances, with recording off, keep every tracepoint at two probes or
# more for the whole run, so that a reload swaps probe arrays under RCU
# and patches no code. Done once, before any test runs.
pin_tracepoints() {
	local tr=/sys/kernel/tracing inst e
	mountpoint -q $tr || mount -t tracefs nodev $tr 2>/dev/null || return 1
	mkdir -p $tr/instances/xos_pin 2>/dev/null || return 1
	for inst in $tr $tr/instances/xos_pin; do
		echo 0 >"$inst/tracing_on" || return 1
		for e in sched/sched_process_exec sched/sched_process_exit task/task_newtask; do
			echo 1 >"$inst/events/$e/enable" || return 1
		done
	done 2>/dev/null
}

passed=0 failed=0 skipped=0
ktap_print_header
ktap_set_plan "${#tests[@]}"
echo "# kernel $(uname -r), $(nproc) cpus"
pin_tracepoints || echo "# tracefs unavailable: module reloads patch the tracepoint sites"
for t in "${tests[@]}"; do
	name=$(basename "$t")
	echo "$name" >"$OUT/current"
	log=$(mktemp)
	start=$(date +%s)
	# a test may ask for more time: "# xos-timeout: SECONDS" near the top
	# of a script, " * xos-timeout: SECONDS" in a C test's first comment
	src=$t
	[ -f "$ROOT/selftests/$name.c" ] && src=$ROOT/selftests/$name.c
	own=$(head -30 "$src" 2>/dev/null | tr -d '\0' |
		sed -n 's/^\(#\| \*\) xos-timeout: \([0-9]*\)$/\2/p')
	t_limit=$limit
	[ -n "$own" ] && [ "$own" -gt "$limit" ] && t_limit=$own
	t_limit=$((t_limit * scale))
	timeout -k 10 "$t_limit" "$t" >"$log" 2>&1 </dev/null
	rc=$?
	secs=$(($(date +%s) - start))
	sed 's/^/# /' "$log"
	p=$(grep -cE '^ok [0-9]+' "$log" | head -1)
	s=$(grep -cE '^ok [0-9]+.*# *SKIP' "$log")
	f=$(grep -cE '^not ok [0-9]+' "$log")
	p=$((p - s))
	why=""
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		why="timed out after ${t_limit}s"
	elif [ $rc != 0 ] && [ $rc != 4 ] && [ "$f" = 0 ]; then
		# 4 is KSFT_SKIP
		why="exited with status $rc"
	elif [ $((p + s + f)) = 0 ] && [ $rc != 4 ]; then
		why="reported no test results"
	fi
	if [ -n "$why" ]; then
		echo "# $name: $why (kernel $(uname -r))"
		f=$((f + 1))
	fi
	if [ $rc = 4 ] && [ $((p + s + f)) = 0 ]; then
		s=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ "$f" != 0 ]; then
		ktap_test_fail "$name # ${secs}s"
	elif [ "$p" = 0 ] && [ "$s" != 0 ]; then
		ktap_test_skip "$name"
	else
		ktap_test_pass "$name # ${secs}s"
	fi
	rm -f "$log"
done
: >"$OUT/current"
echo "$passed $failed $skipped" >"$OUT/summary"
echo "# $(uname -r): $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
