#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Part of make check's host checks: building xos_job against a PREEMPT_RT
# kernel (Debian's linux-headers-rt-amd64) must fail, and say why
# (kmod/compat.h). Its probes take spinlocks and allocate GFP_ATOMIC with
# preemption disabled, which sleeps on -rt.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$(ls -d /usr/src/linux-headers-*-rt-amd64 2>/dev/null | sort -V | tail -1)
if [ -z "$kdir" ] || ! grep -q '^CONFIG_PREEMPT_RT=y' "$kdir/include/config/auto.conf"; then
	echo "rt-check: no PREEMPT_RT headers (linux-headers-rt-amd64): run 'make deps'" >&2
	exit 1
fi
rel=$(basename "$kdir" | sed 's/^linux-headers-//')
out=$("$ROOT/scripts/build-module.sh" "rt-check-$rel" "$kdir" 2>&1)
rc=$?
rm -rf "$ROOT/build/kbuild/rt-check-$rel" "$ROOT/build/rt-check-$rel"
if [ $rc = 0 ]; then
	echo "rt-check: FAILED: xos_job built against PREEMPT_RT $rel" >&2
	exit 1
fi
if ! grep -q 'xos_job does not support PREEMPT_RT kernels' <<<"$out"; then
	echo "rt-check: FAILED: the build against $rel failed, but not with the PREEMPT_RT message:" >&2
	echo "$out" | tail -20 >&2
	exit 1
fi
echo "rt-check: the build against PREEMPT_RT $rel is refused with the reason"
