#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The task_reserve module parameter (the fork probe's reserve of member
# entries, kmod/job.c) at load time, on every kernel: a value over the cap
# is refused with a message instead of asking mempool_init() for a pointer
# array too large for the page allocator (a WARN, a panic with
# panic_on_warn); the cap itself and 0 (no reserve) load and track forks.
# What the reserve does when allocations fail is test_failslab.sh's (debug
# kernel only). The module is loaded with its defaults again at the end.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
KO=$ROOT/build/$(uname -r)/xos_job.ko
PARAM=/sys/module/xos_job/parameters/task_reserve
ktap_print_header
ktap_set_plan 5

unload() {
	grep -q '^xos_job ' /proc/modules || return 0
	rmmod xos_job 2>/dev/null || { sleep 1; rmmod xos_job; }
}
# tracked JOB_LABEL: procs_started of a job whose shell forks 3 children
tracked() {
	xosjob run --label "$1" -- sh -c 'echo $XOS_JOB_ID >/tmp/tr.id; /bin/true & /bin/true & /bin/true & wait' &&
		xosjob get --json "$(cat /tmp/tr.id)" | grep -o '"procs_started":[0-9]*' | cut -d: -f2
}

unload
dmesg -C
for v in 65537 1000000 4294967295; do
	if insmod "$KO" task_reserve=$v 2>/tmp/tr.err; then
		notok "task_reserve=$v loaded ($(cat $PARAM 2>&1))"
		unload
	elif dmesg | grep -q "xos_job: task_reserve $v is over 65536"; then
		ok "task_reserve=$v refused: $(head -1 /tmp/tr.err)"
	else
		notok "task_reserve=$v refused without the message: $(dmesg | tail -3)"
	fi
done

for v in 65536 0; do
	if ! insmod "$KO" task_reserve=$v 2>/tmp/tr.err; then
		notok "task_reserve=$v not loaded: $(cat /tmp/tr.err)"
		continue
	fi
	p=$(tracked "tr-$v")
	if [ "$(cat $PARAM)" = $v ] && [ "$p" = 4 ]; then
		ok "task_reserve=$v loads, a job tracks its 3 forks"
	else
		notok "task_reserve=$v: parameter $(cat $PARAM), job tracked ${p:-nothing} of 4 processes"
	fi
	unload
done
insmod "$KO"
rm -f /tmp/tr.*
ktap_finished
