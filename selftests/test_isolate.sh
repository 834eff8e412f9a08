#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xosjob run --isolate LIST [--hostname NAME] [--root DIR]: a job in
# namespaces of its own, rooted in a file tree of its own.
#   - the job sees only its own processes, pid 1 is xosjob (its init), the
#     command is pid 2, and its hostname is its own;
#   - every process of it is in the job, the init included;
#   - the init reaps orphans, forwards signals, exits with the command's
#     status (128+SIG for a death by signal), and the job ends with it,
#     though orphans are still running;
#   - with --root the job sees DIR at / (pivoted: no chroot warning), with
#     its own /proc, and not the host's files;
#   - xosjob enter from outside lands in the same namespaces, root and /proc;
#   - unprivileged, through a user namespace (implied when not given);
#   - bad input: exit 2 and a message; a failure after the job was created:
#     exit 1, the job named, and it ends.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
# worker_of RUNPID: the command of an isolated `xosjob run` (the child of
# its init, the run's child), or nothing after 5 s (scaled)
worker_of() {
	local init w="" _
	for _ in $(seq "$(xpolls 50)"); do
		init=$(pgrep -P "$1" | head -1)
		[ -n "$init" ] && w=$(pgrep -P "$init" | head -1)
		[ -n "$w" ] && break
		sleep 0.1
	done
	echo "$w"
}
# only_comms NAMES...: every process the probe saw in /proc is one of
# NAMES, and the init (xosjob) is among them
only_comms() {
	local c seen
	seen=$(val comms)
	[[ " $seen " == *" xosjob "* ]] || return 1
	for c in $seen; do
		[[ " $* " == *" $c "* ]] || return 1
	done
}
# the value of "KEY value" lines in $OUT
val() { sed -n "s/^$1 //p" <<<"$OUT" | head -1; }
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# ended JOB: true once job JOB has ended (5 s at most, scaled)
ended() {
	local _
	for _ in $(seq "$(xpolls 50)"); do
		xosjob get "$1" 2>/dev/null | grep -q '^  ended:' && return 0
		sleep 0.1
	done
	return 1
}
# What a command of the job reports about where it is.
PROBE='echo "job ${XOS_JOB_ID:-none}"
echo "pid $$"
echo "self $(readlink /proc/self)"
echo "pid1 $(cat /proc/1/comm)"
echo "host $(hostname)"
echo "cwd $(pwd)"
echo "uid $(id -u)"
echo "procs $(ls /proc | grep -cE "^[0-9]+$")"
echo "comms $(cat /proc/[0-9]*/comm | sort -u | tr "\n" " ")"
echo "marker $(cat /xos-isolate-marker 2>/dev/null || echo none)"
if [ -e "$HOSTONLY" ]; then echo "hostonly visible"; else echo "hostonly absent"; fi
for ns in pid mnt net uts ipc user cgroup; do echo "ns-$ns $(readlink /proc/self/ns/$ns)"; done
echo "devnull $(echo x >/dev/null && [ -c /dev/null ] && echo char)"
echo "devs $(ls /dev | tr "\n" " ")"'
ktap_print_header
ktap_set_plan 55

# shellcheck disable=SC2034 # read by check's eval
host=$(hostname)
tmp=$(mktemp -d)
chmod 755 "$tmp"
HOSTONLY=$tmp/host-only
export HOSTONLY
touch "$HOSTONLY"
# A root tree: /usr of the host read-only, the merged-/usr links, an empty
# proc/ for the job's /proc, and a marker file.
root=$tmp/root
mkdir -p "$root"/usr "$root"/proc "$root"/tmp "$root"/dev
for d in bin lib lib64 sbin; do ln -s "usr/$d" "$root/$d"; done
mount --bind /usr "$root/usr" && mount -o remount,bind,ro "$root/usr"
echo "root-$$" >"$root/xos-isolate-marker"
cleanup() {
	umount "$root/usr" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# 1. pid, mnt and uts: only the job's processes, its own hostname
OUT=$(xosjob run --isolate pid,mnt --hostname iso-one -- sh -c "$PROBE" 2>&1)
rc=$?
check "pid: run exits 0" '[ $rc = 0 ]' "rc $rc: $OUT"
check "pid: the command is pid 2 of its namespace" '[ "$(val pid)" = 2 ]' "$OUT"
check "pid: pid 1 is the init, xosjob" '[ "$(val pid1)" = xosjob ]' "$OUT"
check "pid: /proc shows only the job's processes" \
	'[ "$(val procs)" -le 8 ] && only_comms xosjob sh cat sort tr' "$OUT"
check "uts: --hostname (uts implied) is the job's" '[ "$(val host)" = iso-one ]' "$OUT"
check "uts: the host's hostname is unchanged" \
	'[ "$(val host)" = iso-one ] && [ "$(hostname)" = "$host" ]' "$(hostname)"
check "pid: the job's cwd is the caller's" '[ "$(val cwd)" = "$PWD" ]' "$OUT"
check "pid: other namespaces are the host's" \
	'[ "$(val ns-net)" = "$(readlink /proc/self/ns/net)" ]' "$OUT"

# 2. the job's processes, the init included, are members; the job ends
# with the init, which exits with the command's status
xosjob run --label iso-members --isolate pid -- sleep 300 &
runpid=$!
j=$(job_by_label iso-members)
worker=$(worker_of "$runpid")
init=$(pgrep -P "$runpid" | head -1)
check "members: run is the job's anchor" \
	'xosjob get "$j" | grep -qx "  anchor pid: $runpid"' "$(xosjob get "$j" 2>&1 | grep anchor)"
check "members: the init is in the job" '[ -n "$init" ] && [ -n "$j" ] && [ "$(xosjob id "$init")" = "$j" ]' "init ${init:-none}"
check "members: the command is in the job" '[ -n "$worker" ] && [ -n "$j" ] && [ "$(xosjob id "$worker")" = "$j" ]' "worker ${worker:-none}"
check "members: the command is in a pid namespace of its own" \
	'[ -n "$worker" ] && [ "$(readlink /proc/"$worker"/ns/pid)" != "$(readlink /proc/self/ns/pid)" ] &&
	 [ "$(readlink /proc/"$runpid"/ns/pid_for_children)" = "$(readlink /proc/"$worker"/ns/pid)" ]' \
	"$(readlink /proc/"$worker"/ns/pid)"
kill -TERM "$runpid"
wait "$runpid"
rc=$?
check "signals: TERM to run reaches the command; run exits 128+15" '[ $rc = 143 ]' "rc $rc"
check "the job ends with its init" 'ended "$j"' "$(xosjob get "$j" 2>&1)"

OUT=$(xosjob run --isolate pid -- sh -c 'echo "job $XOS_JOB_ID"; exit 7' 2>&1)
rc=$?
check "exit status: 'exit 7' gives 7" '[ $rc = 7 ]' "rc $rc: $OUT"
j=$(val job)
check "exit status: the job has ended" '[ -n "$j" ] && ended "$j"' "$OUT"
xosjob run --isolate pid -- sh -c 'kill -KILL $$'
rc=$?
check "exit status: a command killed by KILL gives 137" '[ $rc = 137 ]' "rc $rc"

# orphans still running when the command exits: the kernel kills them,
# the job ends at once
start=$(date +%s)
OUT=$(xosjob run --isolate pid -- sh -c \
	'echo "job $XOS_JOB_ID"; setsid sleep 300 </dev/null >/dev/null 2>&1 & sleep 300 </dev/null >/dev/null 2>&1 & exit 5' 2>&1)
rc=$?
secs=$(($(date +%s) - start))
j=$(val job)
check "init: exits with the command's status, orphans still running" '[ $rc = 5 ]' "rc $rc: $OUT"
check "init: its exit ends the job and kills the orphans" \
	'[ -n "$j" ] && ended "$j" && [ $secs -lt $((60 * XOS_TIME_SCALE)) ]' "${secs}s: $(xosjob get "$j" 2>&1 | head -3)"

# the init reaps orphans: a grandchild left by a double fork is gone, not
# a zombie
OUT=$(xosjob run --isolate pid -- sh -c '
	sh -c "sleep 0.3 & echo grandchild \$!"
	sleep 2
	echo "states $(cat /proc/[0-9]*/stat | sed "s/.*) //" | cut -d" " -f1 | tr -d "\n")"
	for p in /proc/[0-9]*; do echo "proc ${p#/proc/}"; done' 2>&1)
# shellcheck disable=SC2034 # read by check's eval
gc=$(val grandchild)
check "init: a double-forked grandchild was reaped" \
	'[ -n "$gc" ] && ! grep -qx "proc $gc" <<<"$OUT"' "$OUT"
check "init: no zombie in the job's pid namespace" \
	'[ -n "$(val states)" ] && ! grep -q Z <<<"$(val states)"' "$OUT"

# signals are forwarded by run and the init to the command
rm -f "$tmp/sig"
xosjob run --isolate pid -- sh -c "trap 'echo USR1 >$tmp/sig; exit 9' USR1; echo ready >$tmp/sig; while :; do sleep 0.1; done" &
runpid=$!
for _ in $(seq "$(xpolls 100)"); do
	[ -s "$tmp/sig" ] && break
	sleep 0.1
done
kill -USR1 "$runpid"
wait "$runpid"
rc=$?
check "signals: USR1 to run reaches the command" \
	'[ $rc = 9 ] && [ "$(cat "$tmp/sig")" = USR1 ]' "rc $rc, $(cat "$tmp/sig" 2>&1)"

# 3. --root: DIR at /, its own /proc, the host's files out of reach
OUT=$(xosjob run --isolate pid,net,ipc,uts,cgroup --root "$root" --hostname iso-root -- sh -c "$PROBE; exit 3" 2>&1)
rc=$?
check "root: run exits with the command's status" '[ $rc = 3 ]' "rc $rc: $OUT"
check "root: a file only in DIR is at /" '[ "$(val marker)" = "root-$$" ]' "$OUT"
check "root: a host-only path is not visible" '[ "$(val hostonly)" = absent ]' "$OUT"
check "root: the job's cwd is its root" '[ "$(val cwd)" = / ]' "$OUT"
check "root: its own /proc: /proc/self resolves, pid 1 is the init" \
	'[ "$(val self)" -gt 1 ] && [ "$(val pid1)" = xosjob ] && [ "$(val procs)" -le 8 ] &&
	 only_comms xosjob sh cat sort tr' "$OUT"
check "root: pivoted, not chrooted (no warning)" \
	'[ "$(val marker)" = "root-$$" ] && ! grep -q chroot <<<"$OUT"' "$OUT"
check "root: a /dev of its own: null is the device, nothing else of the host's" \
	'[ "$(val devnull)" = char ] && [ "$(val devs)" = "fd full null random stderr stdin stdout tty urandom zero " ] &&
	 [ ! -e "$root/dev/null" ]' "$OUT"
check "root: a network namespace of its own" \
	'[ -n "$(val ns-net)" ] && [ "$(val ns-net)" != "$(readlink /proc/self/ns/net)" ]' "$OUT"

# 4. xosjob enter from outside lands in the same namespaces, root, /proc
xosjob run --label iso-enter --isolate all --root "$root" --hostname iso-enter -- sleep 300 &
runpid=$!
j=$(job_by_label iso-enter)
worker=$(worker_of "$runpid")
OUT=$(xosjob enter "$j" -- sh -c "$PROBE" 2>&1)
rc=$?
check "enter: exits 0" '[ $rc = 0 ] && [ -n "$worker" ]' "rc $rc, worker ${worker:-none}: $OUT"
check "enter: a member of the job" '[ -n "$j" ] && [ "$(val job)" = "$j" ]' "$OUT"
check "enter: the job's hostname" '[ "$(val host)" = iso-enter ]' "$OUT"
check "enter: the job's root" \
	'[ "$(val marker)" = "root-$$" ] && [ "$(val hostonly)" = absent ] && [ "$(val cwd)" = / ]' "$OUT"
check "enter: the job's /proc: /proc/self resolves, only the job's processes" \
	'[ "$(val self)" -gt 2 ] && [ "$(val pid1)" = xosjob ] && [ "$(val procs)" -le 9 ] &&
	 only_comms xosjob sleep sh cat sort tr' "$OUT"
for ns in pid mnt net uts ipc user cgroup; do
	check "enter: the worker's $ns namespace" \
		'[ -n "$worker" ] && [ -n "$(val ns-$ns)" ] &&
		 [ "$(val ns-$ns)" = "$(readlink /proc/"$worker"/ns/$ns)" ]' \
		"worker $(readlink /proc/"$worker"/ns/$ns), $(val ns-$ns)"
done
kill -TERM "$runpid"
wait "$runpid"
check "enter: the job ends with its init" 'ended "$j"' "$(xosjob get "$j" 2>&1 | head -3)"

# 5. unprivileged, through a user namespace: given, and implied
OUT=$("${NOBODY[@]}" xosjob run --isolate user,pid,mnt -- sh -c "$PROBE; exit 4" 2>&1)
rc=$?
check "unprivileged: --isolate user,pid,mnt runs" '[ $rc = 4 ]' "rc $rc: $OUT"
check "unprivileged: uid 0 in the job, pid 2, pid 1 the init" \
	'[ "$(val uid)" = 0 ] && [ "$(val pid)" = 2 ] && [ "$(val pid1)" = xosjob ]' "$OUT"
OUT=$("${NOBODY[@]}" xosjob run --isolate pid --root "$root" -- sh -c "$PROBE" 2>&1)
rc=$?
check "unprivileged: user is implied; --root works" \
	'[ $rc = 0 ] && [ "$(val uid)" = 0 ] && [ "$(val marker)" = "root-$$" ] && [ "$(val hostonly)" = absent ] &&
	 [ "$(val ns-user)" != "$(readlink /proc/self/ns/user)" ]' "rc $rc: $OUT"
"${NOBODY[@]}" xosjob run --label iso-nobody --isolate pid,uts --hostname iso-nobody -- sleep 300 &
runpid=$!
j=$(job_by_label iso-nobody)
worker=$(worker_of "$runpid")
OUT=$("${NOBODY[@]}" xosjob enter --no-cgroup "$j" -- sh -c "$PROBE" 2>&1)
check "unprivileged: the owner enters its job's namespaces" \
	'[ -n "$worker" ] && [ "$(val host)" = iso-nobody ] && [ "$(val pid1)" = xosjob ] &&
	 [ "$(val ns-pid)" = "$(readlink /proc/"$worker"/ns/pid)" ] &&
	 [ "$(val ns-user)" = "$(readlink /proc/"$worker"/ns/user)" ]' "$OUT"
kill -TERM "$runpid"
wait "$runpid"

# 6. bad input: exit 2 and a message, no job made
usage() {
	# shellcheck disable=SC2034 # want is read by check's eval
	local what=$1 want=$2
	shift 2
	OUT=$("$@" 2>&1)
	rc=$?
	check "usage: $what" '[ $rc = 2 ] && grep -q "^xosjob: run: .*$want" <<<"$OUT"' "rc $rc: $OUT"
}
usage "an unknown namespace" "unknown namespace 'foo'" xosjob run --isolate pid,foo -- true
usage "an empty list" "empty namespace list" xosjob run --isolate "" -- true
usage "--root not a directory" "not a directory" xosjob run --root "$HOSTONLY" -- true
usage "--root without proc/" "no proc directory" xosjob run --root "$tmp" -- true
usage "--hostname too long" "longer than 64" xosjob run --isolate uts --hostname "$(printf 'h%.0s' {1..65})" -- true
OUT=$(xosjob new --isolate pid 2>&1)
rc=$?
check "usage: new --isolate without a command" '[ $rc = 2 ] && grep -q "need a command" <<<"$OUT"' "rc $rc: $OUT"

# a failure once the job exists: exit 1, the job named, and it has ended
old=$(cat /proc/sys/user/max_user_namespaces)
echo 0 >/proc/sys/user/max_user_namespaces
OUT=$("${NOBODY[@]}" xosjob run --isolate pid -- true 2>&1)
rc=$?
echo "$old" >/proc/sys/user/max_user_namespaces
j=$(sed -n 's/.*(job \([0-9]*\) ends)$/\1/p' <<<"$OUT")
check "failure: unshare refused: exit 1 and why" \
	'[ $rc = 1 ] && grep -q "^xosjob: run: cannot create the job.s namespaces" <<<"$OUT"' "rc $rc: $OUT"
check "failure: the job is named and has ended" '[ -n "$j" ] && ended "$j"' "$OUT"
ktap_finished
