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
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; fail=1; }
check() { if eval "$2"; then ok "$1"; else notok "$1: $3"; fi; }
# The pid of the sleep run by the job labelled $1 (its worker), seen from here.
worker_of() {
	local p _
	for _ in $(seq "$(xpolls 50)"); do
		for p in $(pgrep -x sleep); do
			[ "$(xosjob id "$p" 2>/dev/null)" = "$2" ] && { echo "$p"; return; }
		done
		sleep 0.1
	done
}
# enter_and_check NAME JOB: enters JOB, compares with its worker
enter_and_check() {
	local name=$1 job=$2 worker out
	worker=$(worker_of "$name" "$job")
	out=$(xosjob enter "$job" -- sh -c '
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
echo "1..16"

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

for j in $a $b $c; do
	xosjob kill -s KILL "$j" >/dev/null
done
wait
exit $fail
