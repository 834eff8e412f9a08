#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 100 unload/load cycles of xos_job while, all the time, a fork loop runs,
# jobs are created whose members fork, a listener is subscribed to the
# events group, and LIST / ended-ring LIST / TASKS dumps and INFO requests
# are in flight. The harness fails the run on any splat; this test checks
# that each cycle really unloads and reloads, that the family comes back,
# that no xos_task slab cache survives an unload (kmem_cache_destroy() of
# a cache with objects left keeps it in /proc/slabinfo), and that nothing
# is left in the cache once jobs have ended.
# xos-timeout: 900
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
KO=$ROOT/build/$(uname -r)/xos_job.ko
CYCLES=${CYCLES:-100}
ktap_print_header
ktap_set_plan 6
start=$(date +%s)

grep -q '^xos_job ' /proc/modules || insmod "$KO"

# selftests/run.sh pins the module's tracepoints for the whole suite
# (QEMU TCG and the kernel's code patching, see there): the cycles swap
# probe arrays under RCU and patch no code.

bg=()
# The load runs at nice 19: it is there all the time, but the cycles (and
# the checks, each a process under TCG) keep their pace.
renice -n 19 $$ >/dev/null
# the fork loop: short-lived processes all the time
( while :; do ( : ); done ) &
bg+=($!)
# jobs whose members fork, again and again (nothing to do while unloaded);
# they end on their own, or go on untracked after an unload
for i in 1 2; do
	( while :; do
		xosjob run --label "cycle$i" -- sh -c \
			'for i in 1 2 3 4; do (: ; : & wait) & done; wait; sleep 0.1' \
			>/dev/null 2>&1 || sleep 0.05
	done ) &
	bg+=($!)
done
# a listener on the events group, re-subscribed every second (the group
# goes away with the family)
( while :; do timeout 1 xosjob monitor >/dev/null 2>&1 || sleep 0.05; done ) &
bg+=($!)
# dumps and requests in flight
( while :; do
	xosjob list >/dev/null 2>&1
	xosjob list --ended >/dev/null 2>&1
	# ids restart with each load: one of the first few is live
	xosjob tasks $((RANDOM % 8 + 1)) >/dev/null 2>&1
	xosjob info >/dev/null 2>&1
done ) &
bg+=($!)

renice -n 0 $$ >/dev/null

# The cycle forks only rmmod and insmod: under TCG every process costs.
exec {nap}<> <(:)
in_modules() { [[ $(</proc/modules) == *$'\n'"xos_job "* || $(</proc/modules) == "xos_job "* ]]; }
task_objs() {
	local s
	s=$'\n'$(</proc/slabinfo)
	[[ $s =~ $'\n'xos_task\ +([0-9]+) ]] || return 1
	echo "${BASH_REMATCH[1]}"
}
bad_unload=0 bad_load=0 bad_family=0 bad_slab=0 retries=0 busy=0
for c in $(seq "$CYCLES"); do
	# until members of the new module's jobs are tracked (1.5 s at most)
	for try in $(seq "$(xpolls 15)"); do
		objs=$(task_objs) && [ "$objs" -gt 0 ] && break
		read -rt 0.1 -u "$nap" _
	done
	[ "${objs:-0}" -gt 0 ] && busy=$((busy + 1))
	# a request or a dump may hold a reference for a moment: retry
	for try in 1 2 3 4 5 6 7 8 9 10; do
		rmmod xos_job 2>/tmp/rmmod.err && break
		retries=$((retries + 1))
		read -rt 0.1 -u "$nap" _
	done
	if in_modules; then
		bad_unload=$((bad_unload + 1))
		cat /tmp/rmmod.err
		continue
	fi
	task_objs >/dev/null && bad_slab=$((bad_slab + 1))
	insmod "$KO" || bad_load=$((bad_load + 1))
	# through netlink every tenth cycle (insmod fails if the family does)
	if [ $((c % 10)) = 0 ]; then
		genl-ctrl-list 2>/dev/null | grep -qw xos_job || bad_family=$((bad_family + 1))
		echo "# cycle $c at $(($(date +%s) - start)) s, $retries rmmod retries"
	fi
done
kill "${bg[@]}" 2>/dev/null
wait 2>/dev/null
# what the job loops left running after an unload
pkill -f 'for i in 1 2 3 4; do' 2>/dev/null
secs=$(($(date +%s) - start))
echo "# $CYCLES cycles in $secs s on $(uname -r); $retries rmmod retries; $busy unloads with live members"

[ $bad_unload = 0 ] && ok "$CYCLES unloads" || notok "unload failed $bad_unload times"
[ $bad_load = 0 ] && ok "$CYCLES loads" || notok "load failed $bad_load times"
[ $bad_family = 0 ] && ok "family back after every tenth load" ||
	notok "family missing after $bad_family loads"
[ $bad_slab = 0 ] && ok "no xos_task cache after any unload" ||
	notok "xos_task cache still in /proc/slabinfo after $bad_slab unloads"

# The unloads really happened with jobs live (tracked members in the cache)
[ $busy -ge $((CYCLES / 2)) ] && ok "$busy of $CYCLES unloads with live members" ||
	notok "only $busy of $CYCLES unloads had live members"

# A job with members fills the module's task cache; once it has ended the
# cache must hold only the fork probe's reserve again (objects are freed
# after an RCU grace period).
reserve=$(cat /sys/module/xos_job/parameters/task_reserve)
xosjob run --label cache -- sh -c 'sleep 300 & sleep 300 & wait' &
cache_member=$!
# a loaded guest may take seconds to start it: count once the module
# holds all 3 members (the job loops' last members may still be dying)
cache_job=$(job_of_pid $cache_member)
for _ in $(seq "$(xpolls 300)"); do
	[ "$(xosjob get --json "$cache_job" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["nr_tasks"])')" = 3 ] && break
	sleep 0.1
done
busy_objs=$(awk '$1 == "xos_task" { print $2 }' /proc/slabinfo)
cache_info="$(xosjob info --json 2>&1 | tr -d '\n') $(xosjob ps "$cache_job" 2>&1 | tr '\n' ';')"
xosjob kill -s KILL "$cache_job" >/dev/null 2>&1 || kill -KILL $cache_member
wait
for _ in $(seq "$(xpolls 150)"); do
	tasks=$(xosjob info --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["nr_tasks"])')
	objs=$(awk '$1 == "xos_task" { print $2 }' /proc/slabinfo)
	[ "$tasks" = 0 ] && [ "${objs:-0}" = "$reserve" ] && break
	sleep 0.2
done
if [ "${busy_objs:-0}" -lt $((reserve + 3)) ]; then
	notok "a job with 3 members holds ${busy_objs:-no} xos_task objects, the reserve $reserve ($cache_info)"
elif [ "$tasks" = 0 ] && [ "${objs:-missing}" = "$reserve" ]; then
	ok "no tracked task and only the $reserve reserve xos_task objects left once jobs ended"
else
	notok "tracked tasks $tasks, xos_task objects ${objs:-missing} (reserve $reserve) after all jobs ended"
fi
ktap_finished
