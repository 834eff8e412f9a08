#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: boots every kernel in KERNELS, runs all selftests in each and
# ends with one line "N passed, N failed, N skipped" over all kernels. Exits
# non-zero on any failed test, guest timeout, kernel splat or foreign taint.
#
#   check.sh "KERNELS" [PATTERN...]
#
# XOS_GUEST_RUNNER replaces selftests/run.sh as the command run in the guest
# (make check-debug wraps it with kmemleak scans); CHECK_TIMEOUT is the
# limit per guest in seconds, XOS_TEST_TIMEOUT the limit per test, and
# XOS_TIME_SCALE multiplies every wait of the tests (a slow debug kernel).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
kernels=$1
shift
limit=${CHECK_TIMEOUT:-2100}
passed=0 failed=0 skipped=0 bad=()
for k in $kernels; do
	out=$ROOT/build/check/$k
	echo "=== $k"
	for attempt in 1 2; do
		"$ROOT/scripts/guest/vm.sh" --timeout "$limit" --out "$out" "$k" -- \
			${XOS_TESTS_DIR:+XOS_TESTS_DIR=$XOS_TESTS_DIR} \
			${XOS_TEST_TIMEOUT:+XOS_TEST_TIMEOUT=$XOS_TEST_TIMEOUT} \
			${XOS_TIME_SCALE:+XOS_TIME_SCALE=$XOS_TIME_SCALE} \
			"${XOS_GUEST_RUNNER:-$ROOT/selftests/run.sh}" "$@"
		rc=$?
		# QEMU TCG sometimes oopses on an int3 of the kernel's code
		# patching (selftests/run.sh): while the kernel boots, or while
		# the boot loads xos_job, before run.sh could pin the
		# tracepoints. A boot that died so before any test started is
		# retried once, and said so.
		if [ $rc != 0 ] && [ $attempt = 1 ] && [ ! -s "$out/summary" ] &&
			[ ! -s "$out/current" ] &&
			grep -aq 'Kernel panic' "$out/console.log" &&
			{ ! grep -aq 'xos_job' "$out/console.log" ||
				grep -aqE 'int3: [0-9a-f]{4} \[' "$out/console.log"; }; then
			echo "check: $k crashed while booting, before any test ran; retrying that boot once"
			continue
		fi
		break
	done
	if [ -s "$out/summary" ]; then
		read -r p f s <"$out/summary"
	else
		p=0 f=0 s=0
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ $rc != 0 ]; then
		if [ "$f" = 0 ]; then
			# the guest died, hung or splatted: that is a failure too
			failed=$((failed + 1))
		fi
		bad+=("$k (exit $rc; logs in ${out#"$ROOT"/})")
	fi
done
for b in "${bad[@]}"; do
	echo "FAILED: $b"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ ${#bad[@]} = 0 ]
