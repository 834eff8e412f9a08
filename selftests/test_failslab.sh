#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation failures injected into xos_job's own allocations with failslab
# (CONFIG_FAILSLAB + CONFIG_FAULT_INJECTION_DEBUG_FS: the kernel of make
# check-debug; skipped elsewhere). Injection is restricted to processes
# that set /proc/self/make-it-fail (task-filter), and to
#   - the module's task cache (cache-filter + /sys/kernel/slab/xos_task/
#     failslab): the fork probe's GFP_ATOMIC allocation, for processes and
#     for threads; a member created while it fails takes an entry from the
#     module's reserve: it is tracked, the job is not flagged incomplete,
#     nothing is counted as lost, and the job ends with one record;
#   - any allocation made with xos_job's code on the stack (stack-trace
#     filter on the module's address range), sleeping ones too: netlink
#     requests, job creation, adoption, probes; every command then either
#     works or fails with a message, and no job is left behind;
#   - the task cache for every task, sleeping allocations included, after a
#     reload with a small task_reserve: a burst of forks larger than the
#     reserve, with its refill worker failing too, tracks exactly the
#     reserve's worth of children and flags and counts the others; after
#     one fork with injection off the worker has made the reserve whole.
# The harness fails the run on any splat; make check-debug adds kmemleak.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_print_header
FS=/sys/kernel/debug/failslab
SLAB=/sys/kernel/slab/xos_task
if [ ! -d $FS ]; then
	ktap_skip_all "failslab not available: kernel $(uname -r) has no" \
		"CONFIG_FAILSLAB/CONFIG_FAULT_INJECTION_DEBUG_FS (make check-debug has them)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 18

# first value of a top-level key in one line of compact JSON
jfield() { grep -o "\"$1\":[^,}]*" | head -1 | cut -d: -f2; }
info() { xosjob info --json | jfield "$1"; }
job() { xosjob get --json "$1" 2>/dev/null | jfield "$2"; }
# wait_ended JOB: until the job has its record (60 s)
wait_ended() {
	local i
	for i in $(seq "$(xpolls 600)"); do
		[ "$(job "$1" ended)" = true ] && return 0
		sleep 0.1
	done
	return 1
}
wait_file() {
	local i
	for i in $(seq "$(xpolls 600)"); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
fs() { echo "$2" >$FS/$1; }
inject_off() {
	fs probability 0
	fs times 0
	echo 0 >$SLAB/failslab 2>/dev/null
	fs cache-filter N
	fs task-filter N
	fs ignore-gfp-wait Y
	# the whole address space: no stack-trace condition (require-end 0
	# would match no frame and silently inject nothing)
	fs require-start 0
	fs require-end 18446744073709551615
	fs stacktrace-depth 32
}
# inject_on PERCENT: every listed filter must be set before the probability
inject_on() {
	fs verbose 0
	fs interval 1
	fs space 0
	fs times -1
	fs task-filter Y
	fs probability "$1"
}
trap inject_off EXIT
inject_off
grep -q '^xos_job ' /proc/modules || insmod "$XOS_ROOT/build/$(uname -r)/xos_job.ko"
rm -f /tmp/fs.*

# failures injected since inject_counted: failslab counts 'times' down
inject_counted() { inject_on "$1"; fs times 1000000; }
injected() { echo $((1000000 - $(cat $FS/times))); }

# --- 1-4: every fork probe allocation fails: 20 children, all tracked -------
# The slab fails; the entry comes from the module's reserve (a mempool,
# topped up by a worker): no member is lost.
if ! echo 1 >$SLAB/failslab 2>/tmp/fs.err; then
	notok "cannot flag the xos_task cache for failslab ($(cat /tmp/fs.err);" \
		"merged with another cache? ls -l $SLAB)"
	exit 1
fi
fs cache-filter Y
f0=$(info alloc_failures)
inject_counted 100
mkfifo /tmp/fs.fifo1
xosjob run --label fs-all -- sh -c '
	echo $XOS_JOB_ID >/tmp/fs.id1
	echo 1 >/proc/self/make-it-fail
	i=0
	while [ $i -lt 20 ]; do /bin/true & i=$((i + 1)); done
	wait
	echo done >/tmp/fs.done1
	read x </tmp/fs.fifo1' 2>/tmp/fs.err1 &
wait_file /tmp/fs.done1
i1=$(injected)
fs probability 0
id=$(cat /tmp/fs.id1 2>/dev/null)
f1=$(info alloc_failures)
check "the slab failed the fork probe $i1 times, no member lost (alloc_failures $f0 -> $f1)" \
	'[ "$i1" -ge 20 ] && [ "$f1" = "$f0" ]' "expected $f0"
check "live job $id is not flagged incomplete" \
	'[ "$(job "$id" incomplete)" = false ]' "$(xosjob get "$id" 2>&1)"
check "live job $id tracked all 21 processes" \
	'[ "$(job "$id" procs_started)" = 21 ]' \
	"$(xosjob get --json "$id" 2>&1)"
# bounded: a job that never reached its read must not hang the test
timeout 60 sh -c 'echo go >/tmp/fs.fifo1'
wait
wait_ended "$id"
check "job $id ended with a complete record of 21 processes" \
	'[ "$(job "$id" incomplete)" = false ] && [ "$(job "$id" procs_started)" = 21 ] && [ -n "$(job "$id" seq)" ]' \
	"$(xosjob get --json "$id" 2>&1)"

# --- 5-6: half of them fail: all 100 tracked ----------------------------------
f0=$(info alloc_failures)
inject_counted 50
xosjob run --label fs-half -- sh -c '
	echo $XOS_JOB_ID >/tmp/fs.id2
	echo 1 >/proc/self/make-it-fail
	i=0
	while [ $i -lt 100 ]; do /bin/true & i=$((i + 1)); done
	wait' 2>/tmp/fs.err2
i1=$(injected)
fs probability 0
id=$(cat /tmp/fs.id2 2>/dev/null)
wait_ended "$id"
f1=$(info alloc_failures) procs=$(job "$id" procs_started)
check "100 forks at 50% ($i1 failed in the slab): all $((procs - 1)) tracked, none lost" \
	'[ "$i1" -gt 0 ] && [ "$procs" = 101 ] && [ "$f1" = "$f0" ]' \
	"procs_started $procs, alloc_failures $f0 -> $f1"
check "its record is complete, one task per process" \
	'[ "$(job "$id" incomplete)" = false ] && [ "$(job "$id" tasks_started)" = "$procs" ]' \
	"$(xosjob get --json "$id" 2>&1)"

# --- 7-8: threads: CLONE_THREAD children of a member --------------------------
f0=$(info alloc_failures)
inject_counted 100
# /usr/bin/python3 itself: a wrapper (pyenv) would fork into the job
xosjob run --label fs-threads -- /usr/bin/python3 -c '
import os, threading
open("/tmp/fs.id3", "w").write(os.environ["XOS_JOB_ID"])
open("/proc/self/make-it-fail", "w").write("1")
ts = [threading.Thread(target=lambda: None) for _ in range(10)]
for t in ts: t.start()
for t in ts: t.join()
' 2>/tmp/fs.err3
i1=$(injected)
fs probability 0
id=$(cat /tmp/fs.id3 2>/dev/null)
wait_ended "$id"
f1=$(info alloc_failures)
check "10 threads tracked from the reserve ($i1 slab failures), none lost ($f0 -> $f1)" \
	'[ "$i1" -ge 10 ] && [ "$f1" = "$f0" ]' "$(cat /tmp/fs.err3)"
check "thread job $id: complete record, 11 tasks started" \
	'[ "$(job "$id" incomplete)" = false ] && [ "$(job "$id" tasks_started)" = 11 ]' \
	"$(xosjob get --json "$id" 2>&1)"

# --- 9-11: anything xos_job allocates, sleeping or not, fails 1 in 10 -------
inject_off
# /proc/modules: name, size (all of the module's memory), ..., text address
size=$(grep '^xos_job ' /proc/modules | cut -d' ' -f2)
base=$(grep '^xos_job ' /proc/modules | grep -o '0x[0-9a-f]*')
fs require-start "$(printf %u $((base)))"
fs require-end "$(printf %u $((base + size)))"
fs ignore-gfp-wait N
nj0=$(info nr_jobs)
inject_on 10
(
	echo 1 >/proc/self/make-it-fail
	for _ in $(seq 15); do
		xosjob run --label fs-any -- sh -c '/bin/true & /bin/true & wait'
		echo "run $?"
		sleep 1000 &
		v=$!
		id=$(xosjob new --label fs-any --pid $v)
		echo "new $?"
		xosjob get "${id:-1}" >/dev/null
		echo "get $?"
		xosjob ps "${id:-1}" >/dev/null
		echo "ps $?"
		kill $v
		xosjob info >/dev/null
		echo "info $?"
		xosjob list --ended >/dev/null
		echo "list $?"
	done 2>/tmp/fs.err4 >/tmp/fs.rc4
	wait
)
fs probability 0
nfail=$(grep -c ' 1$' /tmp/fs.rc4) nok=$(grep -c ' 0$' /tmp/fs.rc4)
other=$(grep -vcE ' [01]$' /tmp/fs.rc4)
oom=$(grep -c 'out of memory\|Cannot allocate memory' /tmp/fs.err4)
sort /tmp/fs.err4 | sed 's/job [0-9]*/job N/g' | uniq -c | sort -rn | head -8 | sed 's/^/# /'
check "90 requests under injection: $nok worked, $nfail failed cleanly (exit 1), $oom out of memory" \
	'[ "$other" = 0 ] && [ "$oom" -gt 0 ] && [ "$nok" -gt 0 ]' \
	"$(grep -vE ' [01]$' /tmp/fs.rc4 | head -5)"
check "every failure said why" \
	'[ "$(grep -c "^xosjob" /tmp/fs.err4)" -ge "$nfail" ]' \
	"$(sort /tmp/fs.err4 | uniq -c | head)"
# the killed victims' jobs end as their exits are seen
for _ in $(seq "$(xpolls 100)"); do
	nj1=$(info nr_jobs)
	[ "$nj1" = "$nj0" ] && break
	sleep 0.1
done
check "no job left behind (live jobs $nj0 -> $nj1)" '[ "$nj1" = "$nj0" ]' \
	"$(xosjob list 2>&1)"

# --- 12-16: the reserve runs out: the loss is bounded, flagged, counted ------
# Reloaded with a reserve of R entries. Every xos_task allocation fails,
# whoever makes it (no task filter) and even if it may sleep: the fork
# probe's and the refill worker's. The job's shell forks R + 6 children that
# stay alive (a child that exits would give its entry back): R come from
# the reserve, the other 6 are lost, flagged and counted. Then, injection
# off, one fork lets the worker top the reserve up, and the same burst
# again tracks R more: the reserve was full again.
R=4
B=$((R + 6))
inject_off
rmmod xos_job 2>/dev/null || { sleep 1; rmmod xos_job; }
if insmod "$XOS_ROOT/build/$(uname -r)/xos_job.ko" task_reserve=$R 2>/tmp/fs.err6 &&
	echo 1 >$SLAB/failslab 2>>/tmp/fs.err6; then
	ok "reloaded with task_reserve=$(cat /sys/module/xos_job/parameters/task_reserve)"
else
	notok "reload with task_reserve=$R and failslab on its cache: $(cat /tmp/fs.err6)"
fi
# burst: R + 6 background sleeps, each its own fork (dash: no other fork)
mkfifo /tmp/fs.go
xosjob run --label fs-burst -- sh -c '
	burst() {
		i=0
		while [ $i -lt '$B' ]; do
			sleep 1000 &
			echo $! >>/tmp/fs.pids
			i=$((i + 1))
		done
	}
	echo $XOS_JOB_ID >/tmp/fs.id6
	read x </tmp/fs.go
	burst
	echo 1 >/tmp/fs.b1
	read x </tmp/fs.go
	/bin/true
	echo 1 >/tmp/fs.t
	read x </tmp/fs.go
	burst
	echo 1 >/tmp/fs.b2
	read x </tmp/fs.go' 2>/tmp/fs.err7 &
wait_file /tmp/fs.id6
id=$(cat /tmp/fs.id6 2>/dev/null)
go() { timeout 60 sh -c 'echo go >/tmp/fs.go'; }
# everyone's xos_task allocations fail, sleeping ones too
burst_on() {
	fs cache-filter Y
	fs ignore-gfp-wait N
	fs task-filter N
	fs verbose 0
	fs interval 1
	fs space 0
	fs times -1
	fs probability 100
}
burst_off() { fs probability 0; }
f0=$(info alloc_failures) p0=$(job "$id" procs_started)
burst_on
go
wait_file /tmp/fs.b1
burst_off
f1=$(info alloc_failures) p1=$(job "$id" procs_started)
check "$B forks with the slab and the refill failing: $R tracked from the reserve, $((B - R)) lost ($p0 -> $p1 processes, alloc_failures $f0 -> $f1)" \
	'[ "$p1" = $((p0 + R)) ] && [ "$f1" = $((f0 + B - R)) ]' \
	"expected $((p0 + R)) processes, $((f0 + B - R)) failures"
check "job $id is flagged incomplete" \
	'[ "$(job "$id" incomplete)" = true ]' "$(xosjob get "$id" 2>&1)"
# injection off: one fork, tracked from the slab, queues the refill
go
wait_file /tmp/fs.t
xsleep 0.3
p2=$(job "$id" procs_started)
burst_on
go
wait_file /tmp/fs.b2
burst_off
f3=$(info alloc_failures) p3=$(job "$id" procs_started)
check "the worker refilled the reserve: the next burst tracked $R again ($p1 -> $p2 -> $p3 processes, alloc_failures $f1 -> $f3)" \
	'[ "$p2" = $((p1 + 1)) ] && [ "$p3" = $((p2 + R)) ] && [ "$f3" = $((f1 + B - R)) ]' \
	"expected $((p1 + 1)) then $((p1 + 1 + R)) processes, $((f1 + B - R)) failures"
# the lost children too (they left the job): every sleep has its pid here
# shellcheck disable=SC2046
kill $(cat /tmp/fs.pids) 2>/dev/null
go
wait
wait_ended "$id"
check "job $id ended, its record flagged incomplete, $((1 + 1 + 2 * R)) processes" \
	'[ "$(job "$id" incomplete)" = true ] && [ "$(job "$id" procs_started)" = $((2 + 2 * R)) ] && [ -n "$(job "$id" seq)" ]' \
	"$(xosjob get --json "$id" 2>&1)"

# --- 17-18: injection off: the module is whole ---------------------------------
inject_off
xosjob run --label fs-clean -- sh -c 'echo $XOS_JOB_ID >/tmp/fs.id5; /bin/true & wait'
id=$(cat /tmp/fs.id5 2>/dev/null)
wait_ended "$id"
check "a job after the injection is complete: 2 processes, no flags" \
	'[ "$(job "$id" flags)" = 0 ] && [ "$(job "$id" procs_started)" = 2 ]' \
	"$(xosjob get --json "$id" 2>&1)"
live_tasks=$(xosjob list --json | grep -o '"nr_tasks":[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }')
check "tracked tasks ($(info nr_tasks)) are the live jobs' members ($live_tasks): nothing stray" \
	'[ "$(info nr_tasks)" = "$live_tasks" ]' "$(xosjob list 2>&1)"
rm -f /tmp/fs.*
ktap_finished
