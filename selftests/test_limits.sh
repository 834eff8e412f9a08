#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xos-timeout: 900
# cgroup v2 limits of `xosjob run` / `new` and `xosjob freeze` / `thaw`:
# the job's own cgroup under /xos_job (or a delegated parent) with the
# limits written, the supervisor outside it, signals forwarded, the cgroup
# removed when the job ends; a memory hog OOM-killed, a fork bomb stopped
# at pids.max, a spinner held to its CPU share, a cpuset that binds later
# children; freeze keeps the job's run time flat and enter out; an
# unprivileged owner in a delegated subtree, and refused cases, each with
# its message, its exit status and no cgroup left behind.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_print_header
MNT=/sys/fs/cgroup
P=$MNT/xos_job
NOBODY=65534
job_field() { # JOB PYTHON_SUFFIX
	xosjob get --json "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)$2)"
}
runtime() { job_field "$1" '["stats"]["runtime_ns"]'; }
now_ns() { date +%s%N; }
cg_of() { sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null; }
# every cgroup directory below the parents the tests use
cg_dirs() { find $MNT/xos_job $MNT/xos-lim-* -mindepth 1 -type d 2>/dev/null | sort; }
# expect STATUS STDERR_PATTERN CMD...: the status, the message, and no
# cgroup directory made or left
expect() {
	local want=$1 pat=$2 rc before
	shift 2
	before=$(cg_dirs)
	"$@" >/tmp/lim.out 2>/tmp/lim.err
	rc=$?
	if [ $rc = "$want" ] && grep -qE -- "$pat" /tmp/lim.err && [ "$(cg_dirs)" = "$before" ]; then
		ok "refused: ${*: -6} -> $rc, $(head -c 200 /tmp/lim.err)"
	else
		notok "$* -> $rc (want $want, /$pat/), stderr: $(cat /tmp/lim.err), cgroups before: $before, after: $(cg_dirs)"
	fi
}
unset XOSJOB_CGROUP_PARENT
ktap_set_plan 46

# --- a job with limits: its own cgroup, the supervisor outside -------------
xosjob run --label lim-basic --memory-max 64M --memory-high 60M --pids-max 50 \
	--cpu-max 150% --cpu-weight 200 --io-weight 300 -- sleep 300 &
sup=$!
job=$(job_by_label lim-basic)
anchor=$(job_field "$job" '["anchor_pid"]')
cg=$(cg_of "$anchor")
check "job $job: the command runs in a new cgroup $cg under /xos_job" \
	'[ -n "$job" ] && [[ $cg == /xos_job/job-* ]] && [ -d "$MNT$cg" ]' "job '$job' anchor '$anchor' cgroup '$cg'"
check "the limits are written: memory.max, memory.high, pids.max, cpu.max, cpu.weight, io.weight" \
	'[ "$(cat $MNT$cg/memory.max)" = 67108864 ] && [ "$(cat $MNT$cg/memory.high)" = 62914560 ] &&
	 [ "$(cat $MNT$cg/pids.max)" = 50 ] && [ "$(cat $MNT$cg/cpu.max)" = "150000 100000" ] &&
	 [ "$(cat $MNT$cg/cpu.weight)" = 200 ] && [ "$(cat $MNT$cg/io.weight)" = "default 300" ]' \
	"$(head $MNT$cg/memory.max $MNT$cg/memory.high $MNT$cg/pids.max $MNT$cg/cpu.max $MNT$cg/cpu.weight $MNT$cg/io.weight 2>&1)"
check "the supervisor (pid $sup) is in no job and outside the job's cgroup" \
	'! xosjob id $sup >/dev/null 2>&1 && [ "$(cg_of $sup)" != "$cg" ] && [ "$(job_field $job "[\"nr_procs\"]")" = 1 ]' \
	"$(xosjob id $sup 2>&1) $(cg_of $sup)"
check "the kernel recorded the job's own cgroup ($(job_field "$job" '["cgroup"]'))" \
	'[ "$(job_field $job "[\"cgroup\"]")" = "$cg" ] && [ "$(job_field $job "[\"own_cgroup\"]")" = True ]' \
	"$(xosjob get --json $job | head -c 600)"
xosjob get "$job" >/tmp/lim.get 2>&1
check "get shows the cgroup and the set limits" \
	'grep -qF "cgroup: $cg (its own)" /tmp/lim.get && grep -qx "  frozen: no" /tmp/lim.get &&
	 grep -qE "^    memory-max +64.0 MiB$" /tmp/lim.get && grep -qE "^    memory-high +60.0 MiB$" /tmp/lim.get &&
	 grep -qE "^    pids-max +50$" /tmp/lim.get && grep -qE "^    cpu-max +150% \(150000 us per 100000 us\)$" /tmp/lim.get &&
	 grep -qE "^    cpu-weight +200$" /tmp/lim.get && grep -qE "^    io-weight +300$" /tmp/lim.get &&
	 [ "$(job_field $job "[\"limits\"][\"memory_max_bytes\"]")" = 67108864 ] && [ "$(job_field $job "[\"limits\"][\"cpu_quota_us\"]")" = 150000 ] &&
	 [ "$(job_field $job "[\"limits\"].get(\"swap_max_bytes\")")" = None ]' \
	"$(cat /tmp/lim.get) $(xosjob get --json $job | python3 -c 'import json,sys; print(json.load(sys.stdin).get("limits"))')"
kill -TERM $sup
wait $sup
rc=$?
check "SIGTERM to the supervisor reaches the command: exit 143 (128 + 15)" '[ $rc = 143 ]' "rc $rc"
check "the job's cgroup is removed when the job ends" '[ ! -e "$MNT$cg" ]' "$(ls -d $MNT$cg 2>&1)"

xosjob run --pids-max 10 -- sh -c 'exit 7'
rc=$?
check "the command's exit status is the supervisor's" '[ $rc = 7 ]' "rc $rc"

t0=$(now_ns)
out=$(xosjob run --pids-max 10 -- sh -c 'setsid sh -c "sleep 2" >/dev/null 2>&1 </dev/null & cut -d: -f3 /proc/self/cgroup')
rc=$? secs=$((($(now_ns) - t0) / 1000000))
check "a daemonised member keeps the cgroup: the supervisor waits for it (${secs} ms) and removes $out" \
	'[ $rc = 0 ] && [ $secs -ge 1900 ] && [ -n "$out" ] && [ ! -e "$MNT$out" ]' "rc $rc, $secs ms, $out"

# --- memory: a hog is OOM-killed at memory.max -------------------------------
# shellcheck disable=SC2016
out=$(xosjob run --memory-max 32M -- sh -c 'python3 -c "b = b\"x\" * (200 << 20)"; echo "rc $?"; cat /sys/fs/cgroup$(cut -d: -f3 /proc/self/cgroup)/memory.events' 2>/dev/null)
kills=$(echo "$out" | sed -n 's/^oom_kill //p')
check "a 200 MiB hog under --memory-max 32M is OOM-killed (oom_kill $kills in the job's memory.events)" \
	'echo "$out" | grep -qx "rc 137" && [ "${kills:-0}" -ge 1 ]' "$out"
xosjob run --memory-max 32M -- python3 -c 'b = b"x" * (200 << 20)' 2>/dev/null
rc=$?
check "the hog as the command: run exits 137 (SIGKILL)" '[ $rc = 137 ]' "rc $rc"

# --- pids: a fork bomb stops at pids.max, the job lives on -------------------
rm -f /tmp/lim.forks
xosjob run --label lim-bomb --pids-max 20 -- python3 -c '
import os, time
n = 0
for i in range(100):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(300)
        os._exit(0)
    n += 1
open("/tmp/lim.forks", "w").write(str(n))
time.sleep(300)' &
bsup=$!
bjob=$(job_by_label lim-bomb)
for _ in $(seq "$(xpolls 300)"); do [ -s /tmp/lim.forks ] && break; sleep 0.1; done
banchor=$(job_field "$bjob" '["anchor_pid"]')
bcg=$(cg_of "$banchor")
forks=$(cat /tmp/lim.forks 2>/dev/null)
check "a fork loop under --pids-max 20 stops at $forks children (fork failed), pids.current $(cat $MNT$bcg/pids.current 2>/dev/null)" \
	'[ "${forks:-99}" -le 19 ] && [ "${forks:-0}" -ge 15 ] && [ "$(cat $MNT$bcg/pids.current)" -le 20 ] && [ "$(cat $MNT$bcg/pids.events | sed -n "s/^max //p")" -ge 1 ]' \
	"forks '$forks', $(cat $MNT$bcg/pids.current $MNT$bcg/pids.events 2>&1)"
check "the job survives: its anchor $banchor lives, $(job_field "$bjob" '["nr_procs"]') processes" \
	'kill -0 $banchor && [ "$(job_field $bjob "[\"nr_procs\"]")" -le 20 ] && [ "$(job_field $bjob "[\"ended\"]")" = False ]' \
	"$(xosjob get $bjob 2>&1 | head -12)"
xosjob kill -s KILL "$bjob" >/dev/null
wait $bsup

# --- cpu.max: two spinners held to half a CPU --------------------------------
xosjob run --label lim-spin --cpu-max 50% -- sh -c 'while :; do :; done & while :; do :; done' &
ssup=$!
sjob=$(job_by_label lim-spin)
xsleep 1
# the job's run time and the clock around each query, the JSON read later
sample() {
	local a b j
	a=$(now_ns)
	j=$(xosjob get --json "$sjob")
	b=$(now_ns)
	echo "$(((a + b) / 2)) $(echo "$j" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stats"]["runtime_ns"])')"
}
read -r t0 r0 <<<"$(sample)"
sleep 4
read -r t1 r1 <<<"$(sample)"
rate=$(awk -v r=$((r1 - r0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.3f", r / t }')
check "two spinners under --cpu-max 50% use $rate CPU-s per second (job's run time over $(((t1 - t0) / 1000000)) ms)" \
	'awk -v x=$rate "BEGIN { exit !(x >= 0.45 && x <= 0.55) }"' "rate $rate"
xosjob kill -s KILL "$sjob" >/dev/null
wait $ssup

# --- cpuset: every member on CPU 0, later children too -----------------------
xosjob run --label lim-pin --cpus 0 -- sh -c 'sleep 2; sleep 300' &
psup=$!
pjob=$(job_by_label lim-pin)
panchor=$(job_field "$pjob" '["anchor_pid"]')
late=""
for _ in $(seq "$(xpolls 100)"); do
	late=$(pgrep -P "$panchor" -f "sleep 300")
	[ -n "$late" ] && break
	sleep 0.1
done
check "--cpus 0: the anchor and a child forked 2 s later (pid $late) may run on CPU 0 only" \
	'[ -n "$late" ] && grep -qP "^Cpus_allowed_list:\t0$" /proc/$late/status && grep -qP "^Cpus_allowed_list:\t0$" /proc/$panchor/status' \
	"$(grep Cpus_allowed_list /proc/$late/status /proc/$panchor/status 2>&1)"
xosjob kill -s KILL "$pjob" >/dev/null
wait $psup

# --- freeze and thaw ---------------------------------------------------------
xosjob run --label lim-frz --pids-max 50 -- sh -c 'while :; do :; done' &
fsup=$!
fjob=$(job_by_label lim-frz)
xsleep 0.5
xosjob freeze --json "$fjob" >/tmp/lim.out 2>/tmp/lim.err
rc=$?
check "freeze --json: exit 0, {\"id\":$fjob,\"frozen\":true}" \
	'[ $rc = 0 ] && python3 -c "import json,sys; d=json.load(open(\"/tmp/lim.out\")); sys.exit(not (d[\"id\"]==$fjob and d[\"frozen\"] is True))"' \
	"rc $rc $(cat /tmp/lim.out /tmp/lim.err)"
fcg=$(job_field "$fjob" '["cgroup"]')
check "the job's cgroup says frozen 1, the job frozen" \
	'grep -qx "frozen 1" $MNT$fcg/cgroup.events && [ "$(job_field $fjob "[\"frozen\"]")" = True ] && xosjob get $fjob | grep -qx "  frozen: yes"' \
	"$(cat $MNT$fcg/cgroup.events 2>&1) $(xosjob get $fjob 2>&1 | grep -i frozen)"
r0=$(runtime "$fjob")
sleep 2
r1=$(runtime "$fjob")
check "frozen: the job's run time is flat over 2 s (+$(((r1 - r0) / 1000)) us)" '[ $((r1 - r0)) -lt 20000000 ]' "$r0 $r1"
expect 1 "job $fjob is frozen; thaw it first: xosjob thaw $fjob" xosjob enter "$fjob" -- true
xosjob thaw "$fjob" >/tmp/lim.out 2>&1
rc=$?
r2=$(runtime "$fjob")
sleep 1.5
r3=$(runtime "$fjob")
check "thaw: exit 0 ($(cat /tmp/lim.out)); the run time grows again (+$(((r3 - r2) / 1000000)) ms in 1.5 s)" \
	'[ $rc = 0 ] && grep -qx "frozen 0" $MNT$fcg/cgroup.events && [ $((r3 - r2)) -gt 300000000 ]' "rc $rc $r2 $r3"
xosjob kill -s KILL "$fjob" >/dev/null
wait $fsup
xosjob run --label lim-plain -- sleep 300 &
plsup=$!
pljob=$(job_by_label lim-plain)
expect 1 "job $pljob has no cgroup of its own: start it with limits or --cgroup-parent" xosjob freeze "$pljob"
expect 2 "give a job id" xosjob thaw
kill $plsup
wait $plsup 2>/dev/null

# --- enter joins the job's recorded cgroup, wherever its anchor went ---------
xosjob run --label lim-enter --pids-max 50 -- sleep 300 &
esup=$!
ejob=$(job_by_label lim-enter)
eanchor=$(job_field "$ejob" '["anchor_pid"]')
ecg=$(cg_of "$eanchor")
mkdir -p $MNT/xos-lim-away
echo "$eanchor" >$MNT/xos-lim-away/cgroup.procs
xosjob enter "$ejob" -- cat /proc/self/cgroup >/tmp/lim.out 2>&1
check "enter joins the recorded cgroup $ecg, not the anchor's new /xos-lim-away" \
	'grep -qx "0::$ecg" /tmp/lim.out' "$(cat /tmp/lim.out)"
xosjob kill -s KILL "$ejob" >/dev/null
wait $esup

# --- new --pid: the process moves into the job's new cgroup ------------------
sleep 300 &
np=$!
xosjob new --json --pid $np --label lim-new --memory-max 64M >/tmp/lim.out 2>/tmp/lim.err
rc=$?
ncg=$(python3 -c 'import json; print(json.load(open("/tmp/lim.out"))["cgroup"])' 2>/dev/null)
check "new --pid $np --memory-max 64M: the process is in the job and in $ncg" \
	'[ $rc = 0 ] && [ "$(cg_of $np)" = "$ncg" ] && [ "$(cat $MNT$ncg/memory.max)" = 67108864 ] && xosjob id $np >/dev/null' \
	"rc $rc $(cat /tmp/lim.out /tmp/lim.err) $(cg_of $np)"
kill $np
wait $np 2>/dev/null
xsleep 0.3
rmdir "$MNT$ncg" 2>/dev/null
sleep 300 &
inj=$!
before_cg=$(cg_of $inj)
expect 1 "label" xosjob new --pid $inj --memory-max 64M --label "$(printf '%0300d' 0)"
check "a refused new --pid (the kernel refuses a 300-byte label) leaves the process in its cgroup ($before_cg) and in no job" \
	'[ "$(cg_of $inj)" = "$before_cg" ] && ! xosjob id $inj >/dev/null 2>&1' "$(cg_of $inj)"
kill $inj
wait $inj 2>/dev/null

# --- an unprivileged owner ---------------------------------------------------
D=$MNT/xos-lim-deleg
echo "+memory +pids" >$MNT/cgroup.subtree_control
mkdir -p $D/login
echo "+memory +pids" >$D/cgroup.subtree_control
chown $NOBODY $D $D/cgroup.procs $D/cgroup.subtree_control $D/cgroup.threads
chown -R $NOBODY $D/login
mkdir -p $MNT/xos-lim-nodeleg $MNT/xos-lim-nodeleg/login
chown -R $NOBODY $MNT/xos-lim-nodeleg/login
# shellcheck disable=SC2016
out=$(
	echo $BASHPID >$D/login/cgroup.procs
	exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups xosjob run --cgroup-parent /xos-lim-deleg \
		--memory-max 48M --pids-max 30 -- sh -c 'cg=$(cut -d: -f3 /proc/self/cgroup); echo "$cg $(cat /sys/fs/cgroup$cg/memory.max) $(cat /sys/fs/cgroup$cg/pids.max) $(id -u) $(xosjob id $$)"' 2>&1
)
rc=$?
# shellcheck disable=SC2034 # read by check's eval
read -r ucg umax upids uid ujob <<<"$out"
check "uid $NOBODY in a delegated parent: limits set (${out})" \
	'[ $rc = 0 ] && [[ $ucg == /xos-lim-deleg/job-* ]] && [ "$umax" = 50331648 ] && [ "$upids" = 30 ] && [ "$uid" = $NOBODY ] && [ -n "$ujob" ]' "rc $rc $out"
check "... and its cgroup removed at the end" '[ ! -e "$MNT$ucg" ] && [ -z "$(find $D -mindepth 1 -maxdepth 1 -name "job-*")" ]' "$(ls $D)"
# shellcheck disable=SC2016
out=$(
	echo $BASHPID >$D/login/cgroup.procs
	export XOSJOB_CGROUP_PARENT=/xos-lim-deleg
	exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups xosjob run --pids-max 12 -- sh -c 'cg=$(cut -d: -f3 /proc/self/cgroup); cat /sys/fs/cgroup$cg/pids.max' 2>&1
)
check "XOSJOB_CGROUP_PARENT names the parent ($out)" '[ "$out" = 12 ]' "$out"
inlogin() { (echo $BASHPID >$D/login/cgroup.procs && exec "$@"); }
expect 1 "cgroup /xos_job is not delegated to uid $NOBODY: /sys/fs/cgroup/xos_job/cgroup.procs is not writable" \
	inlogin setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups xosjob run --memory-max 48M -- true
expect 1 "cgroup /xos-lim-nodeleg is not delegated to uid $NOBODY: /sys/fs/cgroup/xos-lim-nodeleg/cgroup.procs is not writable" \
	inlogin setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups xosjob run --cgroup-parent xos-lim-nodeleg --pids-max 5 -- true

# --- io: direct writes to a real block device held to io.max ----------------
# 9p and tmpfs have no block device: a loop device over an image on tmpfs,
# with ext4, gives the job one to write to.
IMG=/tmp/xos-lim-io.img IOD=/tmp/xos-lim-io
modprobe loop 2>/dev/null
loopdev="" mm=""
if truncate -s 64M $IMG && mkfs.ext4 -q -F $IMG && loopdev=$(losetup -f --show $IMG) &&
	mkdir -p $IOD && mount "$loopdev" $IOD; then
	mm=$(lsblk -dno MAJ:MIN "$loopdev" | tr -d ' ')
fi
check "a block device: $loopdev ($mm), ext4 over an image on tmpfs, mounted on $IOD" \
	'[ -n "$mm" ] && mountpoint -q $IOD' "loop '$loopdev' maj:min '$mm' $(grep -m1 loop /proc/modules)"
# 4 MiB written with O_DIRECT (no page cache between dd and the device):
# 4 s at 1 MiB/s. Without the limit 0.03-1.2 s under TCG on a loaded
# host: the contrast is a ratio, at least twice as fast, not a time.
# shellcheck disable=SC2016
io_job='cg=/sys/fs/cgroup$(cut -d: -f3 /proc/self/cgroup)
	t0=$(date +%s%N)
	dd if=/dev/zero of='$IOD'/$1 bs=64k count=64 oflag=direct 2>/dev/null || echo "dd failed"
	echo "ms $((($(date +%s%N) - t0) / 1000000))"
	echo "io.max $(cat $cg/io.max)"
	echo "io.weight $(cat $cg/io.weight | tr "\n" " ")"
	echo "io.stat $(cat $cg/io.stat | tr "\n" " ")"
	echo "write_bytes $(xosjob get --json $XOS_JOB_ID | python3 -c "import json,sys; print(json.load(sys.stdin)[\"stats\"][\"write_bytes\"])")"'
xosjob run --io-max "$mm wbps=1M" --io-weight 250 -- sh -c "$io_job" sh limited >/tmp/lim.io1 2>&1
rc1=$?
xosjob run --io-weight 250 -- sh -c "$io_job" sh free >/tmp/lim.io2 2>&1
rc2=$?
ms1=$(sed -n 's/^ms //p' /tmp/lim.io1) ms2=$(sed -n 's/^ms //p' /tmp/lim.io2)
check "--io-max \"$mm wbps=1M\": 4 MiB of direct writes take ${ms1} ms (4000 at the limit); the same job without it ${ms2} ms" \
	'[ $rc1 = 0 ] && [ $rc2 = 0 ] && [ "${ms1:-0}" -ge 3200 ] && [ -n "$ms2" ] && [ "$ms1" -ge $((ms2 * 2)) ] &&
	 grep -qx "io.max $mm rbps=max wbps=1048576 riops=max wiops=max" /tmp/lim.io1 && ! grep -q "^io.max $mm" /tmp/lim.io2' \
	"rc $rc1 $rc2: $(cat /tmp/lim.io1 /tmp/lim.io2)"
wb=$(sed -n "s/^io.stat .*$mm [^w]*wbytes=\([0-9]*\).*/\1/p" /tmp/lim.io1)
jwb=$(sed -n 's/^write_bytes //p' /tmp/lim.io1)
check "the I/O shows: the job's io.stat says wbytes=$wb on $mm, its own figures write_bytes $jwb" \
	'[ "${wb:-0}" -ge 4194304 ] && [ "${jwb:-0}" -ge 4194304 ]' "$(cat /tmp/lim.io1)"
check "--io-weight 250 is written: io.weight of both jobs says default 250" \
	'grep -q "^io.weight default 250" /tmp/lim.io1 && grep -q "^io.weight default 250" /tmp/lim.io2' "$(grep io.weight /tmp/lim.io1 /tmp/lim.io2)"
umount $IOD 2>/dev/null
[ -n "$loopdev" ] && losetup -d "$loopdev"
rm -f $IMG

# --- refused: usage errors (2) and operational ones (1) ----------------------
ncpu=$(awk -F'[-,]' '{ print NF }' $MNT/cpuset.cpus.effective)
[ "$(cat $MNT/cpuset.cpus.effective)" = "0-$((ncpu - 1))" ] || ncpu=$(nproc)
mkdir -p $MNT/xos-lim-nocpuset
echo "-cpuset" >$MNT/xos-lim-nocpuset/cgroup.subtree_control 2>/dev/null
echo "+pids" >$MNT/xos-lim-nocpuset/cgroup.subtree_control
expect 2 "--memory-max 10Q: unknown unit 'Q'" xosjob run --memory-max 10Q -- true
expect 2 "--memory-max 0: a limit must be above zero" xosjob run --memory-max 0 -- true
expect 2 "--pids-max -5: a limit cannot be negative" xosjob run --pids-max -5 -- true
expect 2 "--cpu-weight 0: a limit must be above zero" xosjob run --cpu-weight 0 -- true
expect 1 "--cpu-max $(((ncpu + 1) * 100))\.000%: above the machine \($ncpu CPUs: at most $((ncpu * 100))%\)" \
	xosjob run --cpu-max "$(((ncpu + 1) * 100))%" -- true
expect 1 "--memory-max 1.00 TiB: above the machine's memory and swap" xosjob run --memory-max 1T -- true
expect 1 "--cpus 0,$ncpu: $ncpu is not in the parent cgroup /xos_job's cpuset.cpus.effective" \
	xosjob run --cpus "0,$ncpu" -- true
expect 1 "parent cgroup /xos-lim-missing does not exist" xosjob run --cgroup-parent /xos-lim-missing --pids-max 5 -- true
expect 1 "--cpus needs the cpuset controller, which is not enabled in the parent cgroup /xos-lim-nocpuset: write \+cpuset to /sys/fs/cgroup/xos-lim-nocpuset/cgroup.subtree_control" \
	xosjob run --cgroup-parent /xos-lim-nocpuset --cpus 0 -- true
expect 1 "--io-max: no block device 259:99" xosjob run --io-max "259:99 rbps=1M" -- true

check "no job cgroup is left under /xos_job" '[ -z "$(find $P -mindepth 1 -maxdepth 1 -type d)" ]' "$(find $P -mindepth 1 -maxdepth 1 -type d)"
rmdir $MNT/xos-lim-away $D/login $D $MNT/xos-lim-nodeleg/login $MNT/xos-lim-nodeleg $MNT/xos-lim-nocpuset 2>/dev/null
ktap_finished
