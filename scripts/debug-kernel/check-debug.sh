#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: builds (once, cached) the debug 6.12 kernel of
# scripts/debug-kernel/debug-kernel.sh (KASAN, UBSAN, lockdep, PROVE_RCU, kmemleak,
# debug objects, failslab), builds xos_job.ko against it and runs the whole
# suite there through scripts/check/check.sh, with kmemleak scans after the suite
# and after rmmod (scripts/debug-kernel/debug-guest.sh). Fails on a failed test or any
# KASAN, UBSAN, lockdep, RCU, debug-objects or kmemleak report.
#
#   check-debug.sh [PATTERN...]
#
# Debug kernels under TCG are 10-20 times slower: every wait of the tests
# and of run.sh is scaled by XOS_TIME_SCALE (default 15), and the guest may
# run for CHECK_TIMEOUT seconds (default 10800).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$("$ROOT/scripts/debug-kernel/debug-kernel.sh" | sed -n 's/^KDIR=//p')
[ -n "$kdir" ] || exit 1
rel=$(cat "$kdir/include/config/kernel.release")
"$ROOT/scripts/build-module.sh" "$rel" "$kdir"
export XOS_KERNEL_IMAGE=$kdir/arch/x86/boot/bzImage
export XOS_GUEST_RUNNER=$ROOT/scripts/debug-kernel/debug-guest.sh
export CHECK_TIMEOUT=${CHECK_TIMEOUT:-10800}
export XOS_TIME_SCALE=${XOS_TIME_SCALE:-15}
start=$(date +%s)
rc=0
"$ROOT/scripts/check/check.sh" "$rel" "$@" || rc=$?
echo "check-debug: $rel, guest run took $(($(date +%s) - start))s"
exit $rc
