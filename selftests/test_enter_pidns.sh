#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xosjob enter lands where the job's processes live, in their pid and time
# namespaces, whichever way the job was started:
#   a) xosjob run -- unshare --pid --fork --mount-proc CMD: the anchor (the
#      unshare parent) is outside, its children and the job's /proc inside;
#   b) unshare --pid --fork --mount-proc xosjob run -- CMD: all inside;
#   c) xosjob run -- unshare --time --fork --boottime N CMD: the work runs
#      in a time namespace its anchor is not in.
# Each is entered from outside: /proc/self must resolve, and the command
# must be in the pid (time) namespace of the job's worker and in the job.
# The anchor's pid_for_children is joined only when members of the job live
# in it, not when nobody does:
#   d) xosjob run -- unshare --pid CMD (no --fork): a namespace not yet
#      used; the entered command must not become its init (the job's own
#      first fork there would fail with ENOMEM once it exits). The kernel
#      hides pid_for_children until the namespace has an init: a guard;
#   e) its init has come and gone: forking there fails with ENOMEM, and
#      the job's processes are all outside, where the command must go.
# And the job's owner, unprivileged, enters its rootless job:
#   f) xosjob run -- unshare --user --map-root-user --pid --fork CMD.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_print_header
# The pid of the ${3:-sleep} run by the job labelled $1 (its worker).
worker_of() {
	local p _
	for _ in $(seq "$(xpolls 50)"); do
		for p in $(pgrep -x "${3:-sleep}"); do
			[ "$(xosjob id "$p" 2>/dev/null)" = "$2" ] && { echo "$p"; return; }
		done
		sleep 0.1
	done
}
# enter_and_check NAME JOB [WORKER_COMM [AS_NOBODY]]: enters JOB, compares
# with its worker
enter_and_check() {
	local name=$1 job=$2 worker out
	local -a as=()
	worker=$(worker_of "$name" "$job" "${3:-sleep}")
	[ -n "${4:-}" ] && as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	out=$("${as[@]}" xosjob enter ${4:+--no-cgroup} "$job" -- sh -c '
		echo "self $(readlink /proc/self)"
		echo "pidns $(readlink /proc/self/ns/pid)"
		echo "timens $(readlink /proc/self/ns/time)"
		echo "job $(xosjob id $$)"
		echo "uptime $(cut -d. -f1 /proc/uptime)"' 2>&1)
	check "$name: entered, worker $worker" '[ -n "$worker" ]' "$out"
	check "$name: /proc/self resolves in the entered command" \
		'grep -qE "^self [0-9]+$" <<<"$out"' "$out"
	check "$name: in the worker's pid namespace" \
		'grep -Fqx "pidns $(readlink /proc/$worker/ns/pid)" <<<"$out"' \
		"worker $(readlink /proc/"$worker"/ns/pid); $out"
	check "$name: in the worker's time namespace" \
		'grep -Fqx "timens $(readlink /proc/$worker/ns/time)" <<<"$out"' \
		"worker $(readlink /proc/"$worker"/ns/time); $out"
	check "$name: a member of job $job" 'grep -Fqx "job $job" <<<"$out"' "$out"
	ENTERED=$out
}
ktap_set_plan 33

xosjob run --label pidns-a -- unshare --pid --fork --mount-proc sleep 300 &
a=$(job_by_label pidns-a)
enter_and_check "a (unshare inside the job)" "$a"

unshare --pid --fork --mount-proc xosjob run --label pidns-b -- sleep 300 &
b=$(job_by_label pidns-b)
enter_and_check "b (the job inside unshare)" "$b"

xosjob run --label timens -- unshare --time --fork --boottime 1000000 sleep 300 &
c=$(job_by_label timens)
enter_and_check "c (a time namespace)" "$c"
up=$(sed -n 's/^uptime //p' <<<"$ENTERED")
check "c: the entered command sees the job's boot time offset" '[ "${up:-0}" -ge 1000000 ]' "uptime ${up:-none}"

# d) the anchor's pid_for_children is a namespace nobody is in yet. Its
# bash makes its first process there once the fifo is written to.
rm -f /tmp/pidns-d.fifo /tmp/pidns-d.res
mkfifo /tmp/pidns-d.fifo
xosjob run --label pidns-d -- unshare --pid bash -c '
	read -r _ </tmp/pidns-d.fifo
	if /bin/true; then echo forked; else echo "fork failed"; fi >/tmp/pidns-d.res
	exec sleep 300' &
d=$(job_by_label pidns-d)
xsleep 0.3
enter_and_check "d (a pid namespace nobody is in yet)" "$d" bash
check "d: the entered command was not pid 1 of the job's next namespace" \
	'! grep -qx "self 1" <<<"$ENTERED"' "$ENTERED"
echo go >/tmp/pidns-d.fifo
for _ in $(seq "$(xpolls 50)"); do
	[ -s /tmp/pidns-d.res ] && break
	sleep 0.1
done
check "d: the job forks there afterwards" \
	'[ "$(cat /tmp/pidns-d.res 2>/dev/null)" = forked ]' \
	"$(cat /tmp/pidns-d.res 2>/dev/null || echo no result)"

# e) the namespace's init has exited: nothing can be made there any more,
# and no member is in it.
xosjob run --label pidns-e -- unshare --pid bash -c '/bin/true; exec sleep 300' &
e=$(job_by_label pidns-e)
xsleep 0.3
enter_and_check "e (a dead pid namespace)" "$e"

# f) the owner, unprivileged, with --no-cgroup (the job's cgroup is root's)
# and every namespace: the user namespace first makes the others allowed.
setpriv --reuid=65534 --regid=65534 --clear-groups xosjob run --label pidns-f -- \
	unshare --user --map-root-user --pid --fork --mount-proc sleep 300 &
f=$(job_by_label pidns-f)
enter_and_check "f (the owner, unprivileged, rootless job)" "$f" sleep nobody

for j in $a $b $c $d $e $f; do
	xosjob kill -s KILL "$j" >/dev/null
done
wait
ktap_finished
