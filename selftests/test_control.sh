#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Job control that the module does itself, and why a job ended:
#   - --cpu-time: the whole job's CPU time, members that ignore SIGXCPU or
#     detach with setsid included, ends in "cpu-time-limit" within the
#     stated bound: (online CPUs) x (grace + tick + worker latency);
#   - --time: SIGTERM at the deadline, SIGKILL after the grace period for
#     a member that traps SIGTERM, "time-limit";
#   - end states and the first process's exit status: completed, failed,
#     killed (xosjob kill), out of memory (a cgroup's OOM killer) with the
#     count of processes it took;
#   - the recorded cgroup: GET shows the first process's cgroup at
#     creation, also after the anchor moved elsewhere;
#   - the freezer: a job whose cgroup is frozen says so (flag, state
#     counts), its run time stands still, and grows again after thaw.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_print_header
# jf JSON KEY: a number or string field of a one-line JSON object
jf() { grep -oE "\"$2\":(\"[^\"]*\"|[0-9]+|null|true|false)" <<<"$1" | head -1 | cut -d: -f2- | tr -d '"'; }
# record LABEL: the end-of-job record of the job labelled LABEL
record() { xosjob list --ended --json | grep -F "\"label\":\"$1\"" | tail -1; }
# ended LABEL SECONDS: waits for that record
ended() {
	local _
	for _ in $(seq "$(xpolls $(($2 * 10)))"); do
		[ -n "$(record "$1")" ] && return 0
		sleep 0.1
	done
	return 1
}
cgroot=/sys/fs/cgroup
ncpu=$(nproc)
if [ "$(id -u)" != 0 ]; then
	ktap_skip_all "needs root"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 31

# --- --cpu-time 2s on three spinners ------------------------------------
grace_ms=300
start=$(date +%s%N)
xosjob run --label ct --cpu-time 2s --grace ${grace_ms}ms -- sh -c '
	sh -c "trap \"\" XCPU; while :; do :; done" &
	setsid sh -c "while :; do :; done" </dev/null >/dev/null 2>&1 &
	while :; do :; done' >/dev/null 2>&1 &
runner=$!
ended ct 60
wait "$runner"
rc=$?
took_ms=$((($(date +%s%N) - start) / 1000000))
rec=$(record ct)
check "cpu-time: the job ended" '[ -n "$rec" ]' "no record after 60 s"
check "cpu-time: its end state is cpu-time-limit" \
	'[ "$(jf "$rec" end_state)" = cpu-time-limit ]' "$rec"
used=$(jf "$rec" runtime_ns)
# the stated bound, with 100 ms per CPU for a tick and the worker's
# wake-up: a TCG guest on a loaded host is descheduled for tens of ms
# (XOS_TIME_SCALE widens only that allowance on a debug kernel)
bound=$((2000000000 + ncpu * (grace_ms + 100 * XOS_TIME_SCALE) * 1000000))
check "cpu-time: total CPU $used ns is at least the limit" \
	'[ "${used:-0}" -ge 2000000000 ]' "$rec"
check "cpu-time: total CPU $used ns is within the bound $bound ns ($ncpu CPUs)" \
	'[ "${used:-0}" -le "$bound" ]' "$rec"
# killed too when a member outlived the grace (on a slow kernel the one
# that traps SIGXCPU may not have set its trap yet, and all die at once)
check "cpu-time: the flags say a limit hit" \
	'[ "$(jf "$rec" limit_hit)" = true ]' "$rec"
check "cpu-time: run exits as its command did (SIGXCPU or SIGKILL)" \
	'[ "$rc" = 152 ] || [ "$rc" = 137 ]' "rc $rc"
check "cpu-time: the record keeps the limits" \
	'grep -q "\"limits\":{\"cpu_time_ns\":2000000000,\"grace_ns\":${grace_ms}000000}" <<<"$rec"' "$rec"
echo "# cpu-time 2s, grace ${grace_ms}ms, $ncpu CPUs: used $((used / 1000000)) ms, overshoot $(((used - 2000000000) / 1000000)) ms (bound $(((bound - 2000000000) / 1000000)) ms), ended after $took_ms ms"

# --- --time 3s, a member traps SIGTERM ----------------------------------
mark=$(mktemp)
start=$(date +%s%N)
xosjob run --label wt --time 3s --grace 1s -- sh -c "
	trap 'echo term >>$mark' TERM
	setsid sh -c 'trap \"echo term2 >>$mark\" TERM; while :; do sleep 0.05; done' </dev/null &
	while :; do sleep 0.05; done" >/dev/null 2>&1 &
runner=$!
ended wt 60
wait "$runner"
rc=$?
rec=$(record wt)
el=$(jf "$rec" elapsed_ns)
check "time: the job ended as time-limit" \
	'[ "$(jf "$rec" end_state)" = time-limit ]' "$rec"
check "time: both members got SIGTERM first" \
	'grep -qx term "$mark" && grep -qx term2 "$mark"' "$(cat "$mark")"
check "time: SIGKILL came after the grace: elapsed ${el} ns in [4 s, 4 s + $((XOS_TIME_SCALE / 2 + 1)) s]" \
	'[ "${el:-0}" -ge 4000000000 ] && [ "${el:-0}" -le $((4000000000 + (XOS_TIME_SCALE / 2 + 1) * 1000000000)) ]' "$rec"
check "time: run's status is SIGKILL's" '[ "$rc" = 137 ]' "rc $rc"
rm -f "$mark"

# --- end states --------------------------------------------------------
xosjob run --label es-ok -- true
xosjob run --label es-fail -- sh -c 'exit 3'
xosjob run --label es-sig -- sh -c 'kill -USR1 $$' 2>/dev/null
xosjob run --label es-kill -- sleep 100 &
runner=$!
id=$(job_of_pid "$runner")
xosjob kill -s TERM "$id" >/dev/null
wait "$runner" 2>/dev/null
ended es-kill 10
r_ok=$(record es-ok) r_fail=$(record es-fail) r_sig=$(record es-sig) r_kill=$(record es-kill)
check "end state completed, exit status 0" \
	'[ "$(jf "$r_ok" end_state)" = completed ] && [ "$(jf "$r_ok" exit_status)" = 0 ]' "$r_ok"
check "end state failed, exit status 3 (wait status 768)" \
	'[ "$(jf "$r_fail" end_state)" = failed ] && [ "$(jf "$r_fail" exit_status)" = 768 ]' "$r_fail"
check "end state failed for a death by signal (SIGUSR1: wait status 10)" \
	'[ "$(jf "$r_sig" end_state)" = failed ] && [ "$(jf "$r_sig" exit_status)" = 10 ]' "$r_sig"
check "end state killed after xosjob kill -s TERM (wait status 15)" \
	'[ "$(jf "$r_kill" end_state)" = killed ] && [ "$(jf "$r_kill" exit_status)" = 15 ]' "$r_kill"
out=$(xosjob get "$(jf "$r_fail" id)")
check "get says why in words" \
	'grep -q "end state: failed" <<<"$out" && grep -q "exit status: exited 3" <<<"$out"' "$out"

# --- out of memory in a cgroup of 16 MiB --------------------------------
cg=$cgroot/xos-ctl-oom
# the guest's root enables no controller for its children by itself
echo +memory >$cgroot/cgroup.subtree_control
mkdir -p "$cg"
echo 16M >"$cg/memory.max"
echo 0 >"$cg/memory.swap.max" 2>/dev/null
# tail keeps a line without newline in memory until it ends: it grows
sh -c "echo \$\$ >$cg/cgroup.procs; exec xosjob run --label oom -- sh -c 'head -c 200M /dev/zero | tail >/dev/null; sleep 0.2; exit 0'" 2>/dev/null
ended oom 30
rec=$(record oom)
check "oom: end state out-of-memory" \
	'[ "$(jf "$rec" end_state)" = out-of-memory ]' "$rec; memory.events: $(cat "$cg/memory.events" 2>&1)"
check "oom: the record counts the processes the OOM killer took" \
	'[ "$(jf "$rec" nr_oom_killed)" -ge 1 ]' "$rec"
check "oom: the record names the cgroup by id" \
	'[ "$(jf "$rec" cgroup_id)" = "$(stat -c %i "$cg")" ]' "$rec, dir inode $(stat -c %i "$cg")"
rmdir "$cg"

# --- the recorded cgroup ------------------------------------------------
a=$cgroot/xos-ctl-a b=$cgroot/xos-ctl-b
mkdir -p "$a" "$b"
sh -c "echo \$\$ >$a/cgroup.procs; exec xosjob run --label cgrec -- sleep 300" &
runner=$!
id=$(job_of_pid "$runner")
js=$(xosjob get --json "$id")
check "cgroup: GET shows the cgroup the job was created in" \
	'[ "$(jf "$js" cgroup)" = /xos-ctl-a ] && [ "$(jf "$js" cgroup_id)" = "$(stat -c %i "$a")" ]' "$js"
echo "$runner" >"$b/cgroup.procs"
js=$(xosjob get --json "$id")
check "cgroup: still that one after the anchor moved away" \
	'[ "$(jf "$js" cgroup)" = /xos-ctl-a ]' "$js; anchor in $(cat /proc/$runner/cgroup)"
kill "$runner"
wait "$runner" 2>/dev/null
# the owner kills the anchor; the member left has moved to another cgroup
sh -c "echo \$\$ >$a/cgroup.procs; exec xosjob run --label cgrec2 -- sh -c 'sleep 300 & exec sleep 301'" &
runner=$!
id=$(job_of_pid "$runner")
member=""
for _ in $(seq "$(xpolls 50)"); do
	member=$(pgrep -x -P "$runner" sleep)
	[ -n "$member" ] && break
	sleep 0.1
done
echo "$member" >"$b/cgroup.procs"
kill -KILL "$runner"
wait "$runner" 2>/dev/null
out=$(xosjob enter "$id" -- cat /proc/self/cgroup 2>&1)
check "cgroup: enter lands in the recorded cgroup, its anchor killed and its member moved away" \
	'grep -qx "0::/xos-ctl-a" <<<"$out"' "member ${member:-none}: $out"
xosjob kill -s KILL "$id" >/dev/null 2>&1

# --- freeze -------------------------------------------------------------
f=$cgroot/xos-ctl-f
mkdir -p "$f"
sh -c "echo \$\$ >$f/cgroup.procs; exec xosjob run --label frz -- sh -c 'while :; do :; done'" &
runner=$!
id=$(job_of_pid "$runner")
runtime() { jf "$(xosjob get --json "$id")" runtime_ns; }
echo 1 >"$f/cgroup.freeze"
for _ in $(seq "$(xpolls 100)"); do grep -qx "frozen 1" "$f/cgroup.events" && break; sleep 0.1; done
js=$(xosjob get --json "$id")
check "freeze: the job says frozen" '[ "$(jf "$js" frozen)" = true ]' "$js"
check "freeze: its states count the frozen member" \
	'grep -q "\"frozen\":1}" <<<"$js"' "$js"
r1=$(runtime); xsleep 1; r2=$(runtime)
check "freeze: run time stands still while frozen ($r1 -> $r2)" \
	'[ "$r1" = "$r2" ]' "$r1 -> $r2"
echo 0 >"$f/cgroup.freeze"
for _ in $(seq "$(xpolls 100)"); do grep -qx "frozen 0" "$f/cgroup.events" && break; sleep 0.1; done
r3=$(runtime); xsleep 1; r4=$(runtime)
js=$(xosjob get --json "$id")
check "thaw: frozen no more" '[ "$(jf "$js" frozen)" = false ]' "$js"
check "thaw: run time grows again ($r3 -> $r4)" \
	'[ "$r4" -gt $((r3 + 300000000)) ]' "$r3 -> $r4"
kill "$runner"
wait "$runner" 2>/dev/null
for _ in $(seq "$(xpolls 50)"); do rmdir "$f" "$a" "$b" 2>/dev/null && break; sleep 0.1; done

# --- bad input ----------------------------------------------------------
err=$(xosjob run --cpu-time 0 -- true 2>&1); rc=$?
check "bad: --cpu-time 0 is a usage error" '[ $rc = 2 ] && grep -q "more than 0" <<<"$err"' "$rc: $err"
err=$(xosjob run --time 3parsecs -- true 2>&1); rc=$?
check "bad: an unknown unit is a usage error" '[ $rc = 2 ] && grep -q "not a duration" <<<"$err"' "$rc: $err"
err=$(xosjob run --time -5s -- true 2>&1); rc=$?
check "bad: a negative duration is a usage error" '[ $rc = 2 ]' "$rc: $err"
err=$(xosjob run --time 1s --grace 2h -- true 2>&1); rc=$?
check "bad: a grace over an hour is refused by the kernel, in words" \
	'[ $rc = 1 ] && grep -q "limits.grace-ns must be 0..3600000000000" <<<"$err"' "$rc: $err"

ktap_finished
