#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 50 unload/load cycles of xos_job while a fork loop runs, jobs are alive
# and netlink requests are in flight. The harness fails the run on any
# splat; this test checks that each cycle really unloads and reloads, that
# the family comes back, and that nothing is left in the module's slabs.
set -u
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
KO=$ROOT/build/$(uname -r)/xos_job.ko
CYCLES=${CYCLES:-50}
n=0
echo "1..4"
ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; fail=1; }
fail=0

grep -q '^xos_job ' /proc/modules || insmod "$KO"

# the fork loop: short-lived processes all the time
( while :; do /bin/true; done ) &
forker=$!
# jobs that stay alive across unloads, each with a forking member
jobs_alive() {
	for i in 1 2 3; do
		xosjob run --label "cycle$i" -- sh -c 'while :; do sleep 0.05; done' \
			>/dev/null 2>&1 &
	done
}
# requests in flight: list and info, continuously
( while :; do xosjob list >/dev/null 2>&1; xosjob info >/dev/null 2>&1; done ) &
querier=$!

bad_unload=0 bad_load=0 bad_family=0
for c in $(seq "$CYCLES"); do
	jobs_alive
	sleep 0.1
	if ! rmmod xos_job 2>/tmp/rmmod.err; then
		# a request may hold a reference for a moment: retry
		sleep 0.2
		rmmod xos_job 2>>/tmp/rmmod.err || { bad_unload=$((bad_unload + 1)); cat /tmp/rmmod.err; }
	fi
	grep -q '^xos_job ' /proc/modules && bad_unload=$((bad_unload + 1))
	insmod "$KO" || bad_load=$((bad_load + 1))
	genl-ctrl-list 2>/dev/null | grep -qw xos_job || bad_family=$((bad_family + 1))
	# the old jobs' processes, untracked since the unload, make room
	pkill -f 'while :; do sleep 0.05' 2>/dev/null
done
kill "$forker" "$querier" 2>/dev/null
pkill -f 'while :; do sleep 0.05' 2>/dev/null
wait 2>/dev/null

[ $bad_unload = 0 ] && ok "$CYCLES unloads" || notok "unload failed $bad_unload times"
[ $bad_load = 0 ] && ok "$CYCLES loads" || notok "load failed $bad_load times"
[ $bad_family = 0 ] && ok "family back after each load" ||
	notok "family missing after $bad_family loads"

# A job with members fills the module's task cache; once it has ended the
# cache must be empty again (objects are freed after an RCU grace period).
# A leak at unload would also splat ("Objects remaining"): the harness
# catches that.
xosjob run -- sh -c 'sleep 1 & sleep 1 & wait' &
sleep 0.5
busy=$(awk '$1 == "xos_task" { print $2 }' /proc/slabinfo)
wait
for i in $(seq 50); do
	tasks=$(xosjob info --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["nr_tasks"])')
	objs=$(awk '$1 == "xos_task" { print $2 }' /proc/slabinfo)
	[ "$tasks" = 0 ] && [ "${objs:-0}" = 0 ] && break
	sleep 0.2
done
if [ "${busy:-0}" -lt 3 ]; then
	notok "a job with 3 members holds ${busy:-no} xos_task objects"
elif [ "$tasks" = 0 ] && [ "${objs:-missing}" = 0 ]; then
	ok "no tracked task and no xos_task object left once jobs ended"
else
	notok "tracked tasks $tasks, xos_task objects ${objs:-missing} after all jobs ended"
fi
exit $fail
