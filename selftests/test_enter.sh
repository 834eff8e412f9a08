#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xosjob enter: a job runs in its own mount, UTS, network, IPC and pid
# namespaces and its own cgroup, owned by nobody. What `xosjob enter` runs
# sees the job's namespaces, hostname, mount, pid namespace, cgroup and
# owner, and is accounted to the job; `nsenter -a` gets the namespaces but
# neither the cgroup nor the job. Then the refused cases, with their
# messages.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_print_header
# expect STATUS STDERR_PATTERN CMD...
expect() {
	local want=$1 pat=$2 rc
	shift 2
	"$@" >/tmp/enter.out 2>/tmp/enter.err
	rc=$?
	if [ $rc = "$want" ] && grep -qE -- "$pat" /tmp/enter.err; then
		ok "refused: ${*: -4} -> $rc, $(head -c 160 /tmp/enter.err)"
	else
		notok "$* -> $rc (want $want, /$pat/), stderr: $(cat /tmp/enter.err)"
	fi
}
job_field() { # JOB FIELD
	xosjob get --json "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)$2)"
}
NOBODY=65534
CG=/sys/fs/cgroup/xos-enter
ktap_set_plan 24

mkdir -p $CG
(
	echo $BASHPID >$CG/cgroup.procs
	exec unshare --mount --uts --net --ipc --pid --fork --mount-proc sh -c '
		hostname xos-job-host
		mkdir -p /run/xos-enter-mnt
		mount -t tmpfs -o mode=1777 jobtmp /run/xos-enter-mnt
		echo job-mount >/run/xos-enter-mnt/marker
		ip link set lo up && ip addr add 10.77.0.1/8 dev lo
		cd /run/xos-enter-mnt
		exec setpriv --reuid='$NOBODY' --regid='$NOBODY' --clear-groups \
			xosjob run --label ns-job -- sleep 300'
) &
job=$(job_by_label ns-job)
anchor=$(job_field "$job" '["anchor_pid"]')
check "job $job runs in its namespaces, anchor pid $anchor" \
	'[ -n "$job" ] && [ "$(readlink /proc/$anchor/ns/uts)" != "$(readlink /proc/self/ns/uts)" ]' \
	"no job"

# --- what the entered command sees -----------------------------------------
xosjob enter "$job" -- sh -c '
	for ns in mnt uts net ipc pid; do echo "ns $ns $(readlink /proc/self/ns/$ns)"; done
	echo "host $(hostname)"
	echo "marker $(cat /run/xos-enter-mnt/marker)"
	echo "pid $$"
	echo "uid $(id -u)"
	echo "cgroup $(cat /proc/self/cgroup)"
	echo "env $XOS_JOB_ID"
	echo "job $(xosjob id $$)"
	echo "cwd $(pwd)"
	echo "addr $(ip -o -4 addr show dev lo | grep -c 10.77.0.1)"
' >/tmp/entered.out 2>/tmp/entered.err
rc=$?
check "enter exits 0" '[ $rc = 0 ]' "$rc $(cat /tmp/entered.err)"
same=0
for ns in mnt uts net ipc pid; do
	grep -qxF "ns $ns $(readlink /proc/$anchor/ns/$ns)" /tmp/entered.out && same=$((same + 1))
done
check "same mnt, uts, net, ipc, pid namespace inodes as the job" '[ $same = 5 ]' "$(cat /tmp/entered.out)"
check "the job's hostname" 'grep -qx "host xos-job-host" /tmp/entered.out' "$(cat /tmp/entered.out)"
check "the job's private mount" 'grep -qx "marker job-mount" /tmp/entered.out' "$(cat /tmp/entered.out)"
check "the job's network (10.77.0.1 on lo)" 'grep -qx "addr 1" /tmp/entered.out' "$(cat /tmp/entered.out)"
check "a pid in the job's pid namespace" '[ "$(sed -n "s/^pid //p" /tmp/entered.out)" -lt 100 ]' "$(cat /tmp/entered.out)"
check "the job's cgroup" 'grep -qx "cgroup 0::/xos-enter" /tmp/entered.out' "$(cat /tmp/entered.out)"
check "the job owner's uid" 'grep -qx "uid $NOBODY" /tmp/entered.out' "$(cat /tmp/entered.out)"
check "tagged: XOS_JOB_ID and the kernel agree" \
	'grep -qx "env $job" /tmp/entered.out && grep -qx "job $job" /tmp/entered.out' "$(cat /tmp/entered.out)"
check "the anchor's cwd" 'grep -qx "cwd /run/xos-enter-mnt" /tmp/entered.out' "$(cat /tmp/entered.out)"

# --- accounted to the job -----------------------------------------------------
rt0=$(job_field "$job" '["stats"]["runtime_ns"]')
wc0=$(job_field "$job" '["stats"]["wchar"]')
xosjob enter "$job" -- sh -c 'head -c 40000000 /dev/zero | md5sum >/dev/null'
rt1=$(job_field "$job" '["stats"]["runtime_ns"]')
wc1=$(job_field "$job" '["stats"]["wchar"]')
check "the entered command's CPU and I/O are the job's (runtime +$(((rt1 - rt0) / 1000000)) ms, wchar +$(((wc1 - wc0) >> 20)) MiB)" \
	'[ $((wc1 - wc0)) -ge 40000000 ] && [ $((rt1 - rt0)) -ge 10000000 ]' "$rt0 $rt1 $wc0 $wc1"

# --- nsenter -a: the namespaces, but not the cgroup nor the job ---------------
nsenter -a -t "$anchor" sleep 300 &
ns_pid=$!
for _ in $(seq "$(xpolls 50)"); do
	inner=$(pgrep -P $ns_pid sleep || true)
	[ -n "$inner" ] || [ "$(cat /proc/$ns_pid/comm 2>/dev/null)" = sleep ] && break
	sleep 0.1
done
[ -z "$inner" ] && inner=$ns_pid
check "nsenter -a: same namespaces as the job" \
	'[ "$(readlink /proc/$inner/ns/net)" = "$(readlink /proc/$anchor/ns/net)" ]' "pid $inner"
check "nsenter -a: outside the job's cgroup ($(cut -d: -f3 /proc/$inner/cgroup)) and untagged" \
	'! grep -qx "0::/xos-enter" /proc/$inner/cgroup && ! xosjob id $inner >/dev/null 2>&1' \
	"$(cat /proc/$inner/cgroup) $(xosjob id $inner 2>&1)"
kill "$inner" $ns_pid 2>/dev/null
wait $ns_pid 2>/dev/null

# --- options ---------------------------------------------------------------------
xosjob enter --no-cgroup --user root "$job" -- sh -c 'id -u; cat /proc/self/cgroup' >/tmp/enter.out 2>&1
check "--no-cgroup --user root: root, in the caller's cgroup" \
	'[ "$(head -1 /tmp/enter.out)" = 0 ] && ! grep -q xos-enter /tmp/enter.out' "$(cat /tmp/enter.out)"
# An owner joins the cgroup through cgroupfs, where delegation rules apply:
# into a subtree delegated to it, yes; into root's /xos-enter, no.
D=/sys/fs/cgroup/xos-deleg
mkdir -p $D/job $D/login && chown -R $NOBODY $D
(
	echo $BASHPID >$D/job/cgroup.procs
	exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups xosjob run --label deleg -- sleep "$(xpolls 60)"
) &
djob=$(job_by_label deleg)
(
	echo $BASHPID >$D/login/cgroup.procs
	exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups xosjob enter --ns none "$djob" -- cat /proc/self/cgroup
) >/tmp/enter.out 2>&1
check "the owner, unprivileged, joins its job's delegated cgroup through cgroupfs" \
	'grep -qx "0::/xos-deleg/job" /tmp/enter.out' "$(cat /tmp/enter.out)"
xosjob kill -s KILL "$djob" >/dev/null

# --- refused cases -----------------------------------------------------------
expect 1 "cannot join job [0-9]+'s cgroup /xos-enter: Permission denied" \
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups xosjob enter --ns none "$job" -- true
expect 1 "cannot join the namespaces .*CAP_SYS_ADMIN" \
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups xosjob enter --no-cgroup "$job" -- true
expect 1 "no such job" \
	setpriv --reuid=65533 --regid=65533 --clear-groups xosjob enter "$job" -- true
expect 1 "a member of (job [0-9]+|another job) cannot enter" \
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups xosjob run -- xosjob enter --ns none "$job" -- true
ended=$(xosjob run -- sh -c 'echo $XOS_JOB_ID')
expect 1 "has ended" xosjob enter "$ended" -- true

# the anchor exits while another member lives: its role passes on
xosjob run --label anchor-exit -- sh -c 'sleep 300 & echo $! >/tmp/anchor2; exec sleep 1' &
# reaped only after its exit probe ran: the anchor has passed on by then
wait $!
job2=$(xosjob id "$(cat /tmp/anchor2)")
check "the anchor passed to the live member" \
	'[ "$(job_field "$job2" "[\"anchor_pid\"]")" = "$(cat /tmp/anchor2)" ]' "job $job2"
xosjob enter "$job2" -- sh -c 'echo $XOS_JOB_ID' >/tmp/enter.out 2>&1
check "entering after the first task exited works" '[ "$(cat /tmp/enter.out)" = "$job2" ]' "$(cat /tmp/enter.out)"

# the final record holds what the entered commands did
xosjob kill -s KILL "$job" >/dev/null
xosjob kill -s KILL "$job2" >/dev/null
wait 2>/dev/null
xsleep 0.5
check "the final record holds the entered commands' I/O and tasks" \
	'[ "$(job_field "$job" "[\"ended\"]")" = True ] && [ "$(job_field "$job" "[\"stats\"][\"wchar\"]")" -ge "$wc1" ] && [ "$(job_field "$job" "[\"procs_started\"]")" -ge 8 ]' \
	"$(xosjob get "$job" 2>&1 | head -20)"
xsleep 0.3
rmdir $CG $D/job $D/login $D 2>/dev/null
ktap_finished
