#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xos-timeout: 600
# xosjob checkpoint / restore: a whole job through CRIU.
#   - a job in its own pid namespace (unshare --pid --fork, its init in a
#     session of its own): a tree of three processes, one a thread group,
#     one daemonised with setsid -f, all counting into files;
#   - checkpoint: nothing of it left running, its record "checkpointed",
#     DIR with CRIU's images and xosjob.json (id, label, owner, limits,
#     figures);
#   - restore, run from inside another job: every process back with its
#     pid in the namespace, counting on, all of them members of the new
#     job (restored from the old one, same label, owner and limits) and
#     none of the restorer's; figures >= those saved, and growing, the
#     part before the restart shown; enter and kill work on it;
#   - --leave-running: the job goes on; its image restores once the
#     original was killed;
#   - refused, each with its message, exit 1, no directory or job left
#     behind and the job untouched: a member outside the tree, a job CRIU
#     cannot dump (a unix socket connected outside), a missing or corrupt
#     DIR, an unprivileged caller (the job's owner).
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_print_header
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

if ! command -v criu >/dev/null; then
	ktap_set_plan 1
	notok "criu is not installed (make deps)"
	exit 1
fi
# what CRIU needs to dump sockets (names differ between 6.1 and 6.12)
for m in unix_diag inet_diag tcp_diag udp_diag netlink_diag packet_diag af_packet_diag; do
	modprobe "$m" 2>/dev/null
done
# CRIU collects every unix socket through sock_diag before dumping anything:
# a kernel without unix_diag (module or built in) cannot be checkpointed
if ! python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)  # NETLINK_SOCK_DIAG
req = struct.pack("=BBHIIIII", socket.AF_UNIX, 0, 0, 0xffffffff, 0, 0, 0, 0)  # unix_diag_req
s.send(struct.pack("=IHHII", 16 + len(req), 20, 0x301, 1, 0) + req)  # SOCK_DIAG_BY_FAMILY, dump
h = s.recv(65536)
length, typ = struct.unpack_from("=IH", h)
sys.exit(typ == 2 and struct.unpack_from("=i", h, 16)[0] != 0)  # NLMSG_ERROR'; then
	ktap_skip_all "kernel $(uname -r) has no unix_diag (CONFIG_UNIX_DIAG): CRIU cannot dump there"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 40

T=$(mktemp -d)
chmod 755 "$T"
cleanup() {
	local p
	for p in $(pgrep -f "$T/w.py") $(pgrep -f "restore --dir $T"); do kill -9 "$p" 2>/dev/null; done
	kill "${LISTENER:-}" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# The workload: pid 1 of its namespace (init) forks a thread group
# (threads) and a daemon (setsid -f, reparented to init); each counts into
# its own file "PID-IN-NS N", and burns a little CPU each round.
cat >"$T/w.py" <<'EOF'
import os, signal, sys, threading, time
d, role = sys.argv[1], sys.argv[2]
def count(name):
    n = 0
    while True:
        n += 1
        sum(range(20000))
        with open(os.path.join(d, name), "a") as f:
            f.write("%d %d\n" % (os.getpid(), n))
        time.sleep(0.3)
if role == "init":
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    if os.fork() == 0:
        os.execvp(sys.executable, [sys.executable, sys.argv[0], d, "threads"])
    if os.fork() == 0:
        os.execvp("setsid", ["setsid", "-f", sys.executable, sys.argv[0], d, "daemon"])
    count("init")
elif role == "threads":
    t = threading.Thread(target=count, args=("threads",))
    t.start()
    t.join()
else:
    count("daemon")
EOF

# start_job NAME [xosjob run options]: a job labelled ckpt-NAME running
# the workload in directory $T/NAME; prints the job id once all three
# count (with cgroup limits, run supervises it from outside the job)
start_job() {
	local d=$T/$1 label=ckpt-$1 id="" _
	shift
	mkdir -p "$d"
	xosjob run --label "$label" "$@" -- unshare --pid --fork setsid python3 "$T/w.py" "$d" init \
		</dev/null >/dev/null 2>&1 &
	id=$(job_by_label "$label")
	for _ in $(seq "$(xpolls 300)"); do
		[ -s "$d/init" ] && [ -s "$d/threads" ] && [ -s "$d/daemon" ] && break
		sleep 0.1
	done
	echo "$id"
}
# last FILE: "PID N" of the last line
last() { tail -1 "$1" 2>/dev/null; }
# procs DIR: host pids of the workload counting into DIR (not the
# unshare above it, whose command line names it too)
procs() { pgrep -f "^(/usr/bin/)?python3 $T/w.py $1 " | sort -n | tr '\n' ' '; }
# reap PID: its exit status, or 124 if it runs on for 30 s (scaled)
reap_within() {
	local _
	for _ in $(seq "$(xpolls 300)"); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1"
		return 124
	fi
	wait "$1"
}
field() { # JOB PYTHON_SUFFIX
	xosjob get --json "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)$2)"
}
ended() {
	local _
	for _ in $(seq "$(xpolls 100)"); do
		[ "$(field "$1" '["ended"]' 2>/dev/null)" = True ] && return 0
		sleep 0.1
	done
	return 1
}
# grows FILE: its last count rises within 3 s (scaled)
grows() {
	local before _ now
	before=$(last "$1" | cut -d' ' -f2)
	for _ in $(seq "$(xpolls 30)"); do
		sleep 0.1
		now=$(last "$1" | cut -d' ' -f2)
		[ -n "$now" ] && [ "${now:-0}" -gt "${before:-0}" ] && return 0
	done
	return 1
}
still() { # FILE: no new line for 1.5 s
	local a b
	a=$(wc -l <"$1")
	sleep 1.5
	b=$(wc -l <"$1")
	[ "$a" = "$b" ]
}
# restore_job DIR OUT: xosjob restore of DIR inside a job labelled
# "restorer" (CRIU's job), in the background; sets NEW and RESTORER
restore_job() {
	local _
	NEW="" RESTORER=""
	xosjob run --label restorer -- xosjob restore --dir "$1" >"$2" 2>"$2.err" &
	RESTORER_PID=$!
	for _ in $(seq "$(xpolls 600)"); do
		NEW=$(sed -n 's/^job \([0-9]*\) restored from job .*/\1/p' "$2")
		[ -n "$NEW" ] && break
		kill -0 $RESTORER_PID 2>/dev/null || break
		sleep 0.1
	done
	RESTORER=$(xosjob id "$RESTORER_PID" 2>/dev/null)
}
# members_of JOB: host pids (processes) of the job
members_of() {
	xosjob tasks --json "$1" | python3 -c "import json,sys; print(' '.join(sorted({str(t['tgid']) for t in json.load(sys.stdin)})))"
}
# nspid PID: its pid in its own namespace
nspid() { awk '/^NSpid:/ { print $NF }' "/proc/$1/status"; }

# --- checkpoint and restore ---
J1=$(start_job a --cpu-time 1h --memory-max 256M)
check "a job of three counting processes in a pid namespace" \
	'[ -n "$J1" ] && [ "$(procs "$T/a" | wc -w)" = 3 ]' \
	"job '$J1', processes: $(procs "$T/a")"
for f in init threads daemon; do
	eval "old_$f=\$(last \"\$T/a/\$f\" | cut -d' ' -f1)"
done
# shellcheck disable=SC2154 # set by the eval above
check "pids in the namespace: init 1, the others small" \
	'[ "$old_init" = 1 ] && [ -n "$old_threads" ] && [ -n "$old_daemon" ]' \
	"init $old_init threads $old_threads daemon $old_daemon"
xosjob checkpoint "$J1" --dir "$T/img-a" >"$T/ck.out" 2>"$T/ck.err"
rc=$?
check "checkpoint exits 0" '[ $rc = 0 ] && grep -q "checkpointed to" "$T/ck.out"' \
	"rc $rc: $(cat "$T/ck.out" "$T/ck.err")"
check "nothing of the job is left running" '[ -z "$(procs "$T/a")" ] && still "$T/a/init"' \
	"left: $(procs "$T/a")"
check "its record says checkpointed" \
	'ended "$J1" && [ "$(field "$J1" "[\"end_state\"]")" = checkpointed ]' \
	"$(xosjob get "$J1" 2>&1 | grep -E 'end|flags')"
saved_rt=$(python3 -c "import json; print(json.load(open('$T/img-a/xosjob.json'))['stats']['runtime_ns'])" 2>/dev/null)
check "xosjob.json: job id, label, owner, limits and the figures at the dump" \
	'python3 -c "import json,sys; m=json.load(open(\"$T/img-a/xosjob.json\")); sys.exit(not (m[\"job_id\"]==$J1 and m[\"label\"]==\"ckpt-a\" and m[\"owner_uid\"]==0 and m[\"limits\"][\"cpu_time_ns\"]==3600*10**9 and m[\"limits\"][\"memory_max\"]==256<<20 and m[\"stats\"][\"runtime_ns\"]>0))" && [ -s "$T/img-a/inventory.img" ]' \
	"$(cat "$T/img-a/xosjob.json" 2>&1)"

restore_job "$T/img-a" "$T/rs-a"
check "restore prints the new job" '[ -n "$NEW" ] && [ "$NEW" != "$J1" ]' \
	"$(cat "$T/rs-a" "$T/rs-a.err")"
sleep 1
P=$(procs "$T/a")
check "three processes back" '[ "$(wc -w <<<"$P")" = 3 ]' "processes: $P"
# shellcheck disable=SC2034 # read by check's eval
all_in=1
for p in $P; do
	# shellcheck disable=SC2034 # read by check's eval
	[ "$(xosjob id "$p" 2>/dev/null)" = "$NEW" ] || all_in=0
done
check "all of them are members of the new job" '[ $all_in = 1 ] && [ -n "$P" ]' \
	"$(for p in $P; do echo "$p: $(xosjob id "$p" 2>&1)"; done)"
# shellcheck disable=SC2086 # a list of pids
check "none is in CRIU's job" \
	'[ -n "$RESTORER" ] && [ -z "$(comm -12 <(members_of "$RESTORER" | tr " " "\n" | sort) <(tr " " "\n" <<<"$P" | sort | grep .))" ]' \
	"restorer job '$RESTORER': $(members_of "$RESTORER" 2>&1)"
check "the new job's members are exactly those processes" \
	'[ "$(members_of "$NEW")" = "$(tr " " "\n" <<<"$P" | grep . | sort | tr "\n" " " | sed "s/ $//")" ]' \
	"members $(members_of "$NEW"), processes $P"
for f in init threads daemon; do
	check "$f keeps counting, with the same pid in the namespace" \
		'grows "$T/a/$f" && [ "$(last "$T/a/$f" | cut -d" " -f1)" = "$(eval echo \$old_$f)" ]' \
		"last $(last "$T/a/$f"), pid before $(eval echo \$old_$f)"
done
# shellcheck disable=SC2034 # read by check's eval
init_host=$(for p in $P; do [ "$(nspid "$p")" = 1 ] && echo "$p"; done)
check "the restored init is pid 1 of its namespace" '[ -n "$init_host" ]' "$P"
check "restored from the old job, same label, owner and limits" \
	'[ "$(field "$NEW" "[\"restored_from\"]")" = "$J1" ] && [ "$(field "$NEW" "[\"label\"]")" = ckpt-a ] && [ "$(field "$NEW" "[\"owner_uid\"]")" = 0 ] && [ "$(field "$NEW" "[\"limits\"][\"cpu_time_ns\"]")" = 3600000000000 ]' \
	"$(xosjob get "$NEW" 2>&1 | head -20)"
cg=$(field "$NEW" '["cgroup"]')
in_cg=1
for p in $P; do
	# shellcheck disable=SC2034 # read by check's eval
	[ "$(sed -n 's/^0:://p' "/proc/$p/cgroup")" = "$cg" ] || in_cg=0
done
check "in a cgroup of the new job's own, with the old job's memory.max" \
	'[ "$(field "$NEW" "[\"own_cgroup\"]")" = True ] && [ "$(cat "/sys/fs/cgroup$cg/memory.max")" = $((256 << 20)) ] && [ $in_cg = 1 ]' \
	"cgroup '$cg': $(cat "/sys/fs/cgroup$cg/memory.max" 2>&1); $(for p in $P; do cat "/proc/$p/cgroup"; done)"
rt1=$(field "$NEW" '["stats"]["runtime_ns"]')
check "the figures are at least those saved, the part before shown" \
	'[ "$rt1" -ge "$saved_rt" ] && [ "$(field "$NEW" "[\"base_stats\"][\"runtime_ns\"]")" = "$saved_rt" ] && xosjob get "$NEW" | grep -q "of which before the restart"' \
	"runtime $rt1, saved $saved_rt"
xsleep 1
rt2=$(field "$NEW" '["stats"]["runtime_ns"]')
check "and grow" '[ "$rt2" -gt "$rt1" ]' "$rt1 then $rt2"
# enter lands in the job and in its pid namespace
out=$(xosjob enter "$NEW" -- sh -c 'echo "job $XOS_JOB_ID"; readlink /proc/self/ns/pid' 2>&1)
check "enter works on the restored job" \
	'grep -q "^job $NEW$" <<<"$out" && grep -qxF "$(readlink "/proc/$init_host/ns/pid")" <<<"$out"' \
	"$out"
xosjob kill -s KILL "$NEW" >/dev/null 2>&1
check "kill works on the restored job" \
	'ended "$NEW" && [ -z "$(procs "$T/a")" ] && [ "$(field "$NEW" "[\"end_state\"]")" = killed ]' \
	"left: $(procs "$T/a"); $(xosjob get "$NEW" 2>&1 | grep end)"
reap_within "$RESTORER_PID"
rc=$?
check "restore exits with its first process's status (killed: 137), its cgroup removed" \
	'[ $rc = 137 ] && [ ! -e "/sys/fs/cgroup$cg" ]' "rc $rc, $(ls -d "/sys/fs/cgroup$cg" 2>&1)"

# --- --leave-running ---
J2=$(start_job b)
xosjob checkpoint "$J2" --dir "$T/img-b" --leave-running >"$T/ck.out" 2>"$T/ck.err"
rc=$?
check "checkpoint --leave-running exits 0" '[ $rc = 0 ]' "$(cat "$T/ck.out" "$T/ck.err")"
check "the job runs on, unmarked" \
	'[ "$(field "$J2" "[\"ended\"]")" = False ] && [ "$(field "$J2" "[\"checkpointing\"]")" = False ] && grows "$T/b/daemon" && [ "$(procs "$T/b" | wc -w)" = 3 ]' \
	"$(xosjob get "$J2" 2>&1 | head -12)"
# shellcheck disable=SC2034 # read by check's eval
b_init=$(last "$T/b/threads" | cut -d' ' -f1)
xosjob kill -s KILL "$J2" >/dev/null
check "the original killed: its record says killed" \
	'ended "$J2" && [ "$(field "$J2" "[\"end_state\"]")" = killed ] && [ -z "$(procs "$T/b")" ]' \
	"$(xosjob get "$J2" 2>&1 | grep end)"
restore_job "$T/img-b" "$T/rs-b"
check "its image restores" \
	'[ -n "$NEW" ] && [ "$(procs "$T/b" | wc -w)" = 3 ] && grows "$T/b/threads" && [ "$(last "$T/b/threads" | cut -d" " -f1)" = "$b_init" ] && [ "$(field "$NEW" "[\"restored_from\"]")" = "$J2" ]' \
	"new '$NEW', $(procs "$T/b"), $(cat "$T/rs-b.err")"
xosjob kill -s KILL "$NEW" >/dev/null 2>&1
ended "$NEW"
reap_within "$RESTORER_PID"

# --- refusals ---
# expect_refused CMD...: exit 1, a message matching $PAT, no $DIR
expect_refused() {
	local rc jobs_before
	jobs_before=$(xosjob info --json | python3 -c "import json,sys; print(json.load(sys.stdin)['nr_jobs'])")
	"$@" >"$T/ref.out" 2>"$T/ref.err"
	rc=$?
	if [ $rc = 1 ] && grep -qE -- "$PAT" "$T/ref.err" && [ ! -e "${DIR:-/nonexistent}/inventory.img" ] &&
		[ "$(xosjob info --json | python3 -c "import json,sys; print(json.load(sys.stdin)['nr_jobs'])")" = "$jobs_before" ]; then
		ok "refused ($WHAT): $(head -c 300 "$T/ref.err")"
	else
		notok "$WHAT: $* -> $rc (want 1, /$PAT/), stderr: $(cat "$T/ref.err"), dir: $(ls "${DIR:-/nonexistent}" 2>&1)"
	fi
}
J3=$(start_job c)
sleep 300 >/dev/null 2>&1 &
outsider=$!
xosjob attach "$J3" "$outsider" >/dev/null
WHAT="a member outside the tree" PAT="outside the job's process tree|not one process tree" DIR=$T/img-c \
	expect_refused xosjob checkpoint "$J3" --dir "$T/img-c"
check "... no directory made, the job runs on unmarked" \
	'[ ! -e "$T/img-c" ] && [ "$(field "$J3" "[\"flags\"]")" = 0 ] && grows "$T/c/init"' \
	"$(ls -d "$T/img-c" 2>&1); $(xosjob get "$J3" 2>&1 | grep flags)"
kill -9 "$outsider"
xosjob kill -s KILL "$J3" >/dev/null
ended "$J3"

# a unix stream socket connected to a listener outside the job
python3 -c '
import socket, os, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(4)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)' "$T/sock" </dev/null >/dev/null 2>&1 &
LISTENER=$!
for _ in $(seq "$(xpolls 50)"); do [ -S "$T/sock" ] && break; sleep 0.1; done
mkdir -p "$T/d"
xosjob run --label ckpt-d -- unshare --pid --fork setsid python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
open(sys.argv[2], "w").write("connected\n")
while True: time.sleep(1)' "$T/sock" "$T/d/ready" </dev/null >/dev/null 2>&1 &
J4=$(job_of_pid $!)
for _ in $(seq "$(xpolls 100)"); do [ -s "$T/d/ready" ] && break; sleep 0.1; done
mkdir "$T/img-d"
WHAT="a job CRIU cannot dump" PAT="CRIU could not dump job $J4" DIR=$T/img-d \
	expect_refused xosjob checkpoint "$J4" --dir "$T/img-d"
check "... the directory left as it was (empty), the job runs on unmarked" \
	'[ -d "$T/img-d" ] && [ -z "$(ls -A "$T/img-d")" ] && [ "$(field "$J4" "[\"ended\"]")" = False ] && [ "$(field "$J4" "[\"flags\"]")" = 0 ]' \
	"$(ls -A "$T/img-d"); $(xosjob get "$J4" 2>&1 | grep -E 'flags|ended')"
xosjob kill -s KILL "$J4" >/dev/null
ended "$J4"

WHAT="a missing DIR" PAT="no checkpoint at $T/none" \
	expect_refused xosjob restore --dir "$T/none"
mkdir "$T/empty"
WHAT="a DIR without a checkpoint" PAT="no complete xosjob checkpoint: xosjob.json" \
	expect_refused xosjob restore --dir "$T/empty"
cp -r "$T/img-a" "$T/corrupt"
echo '{"format": "xosjob-checkpoint", "version": 1, "job_id": ' >"$T/corrupt/xosjob.json"
WHAT="a corrupt xosjob.json" PAT="no complete xosjob checkpoint: xosjob.json: " \
	expect_refused xosjob restore --dir "$T/corrupt"
cp -r "$T/img-a" "$T/noimg"
rm "$T/noimg/pstree.img"
WHAT="CRIU's images missing" PAT="images .* are missing" \
	expect_refused xosjob restore --dir "$T/noimg"
cp -r "$T/img-a" "$T/badimg"
head -c 16 /dev/urandom >"$T/badimg/pstree.img"
WHAT="a corrupt CRIU image" PAT="CRIU could not restore" \
	expect_refused xosjob restore --dir "$T/badimg"
check "... and nothing of it runs" '[ -z "$(procs "$T/a")" ]' "$(procs "$T/a")"

# the job's owner, unprivileged
mkdir -p "$T/e"
chmod 777 "$T/e"
xosjob run --owner 65534 --label ckpt-e -- "${NOBODY[@]}" sleep 300 </dev/null >/dev/null 2>&1 &
J5=$(job_of_pid $!)
WHAT="the owner, unprivileged, checkpoint" PAT="needs CAP_SYS_ADMIN.*owner may" DIR=$T/e/img \
	expect_refused "${NOBODY[@]}" xosjob checkpoint "$J5" --dir "$T/e/img"
check "... no directory made" '[ ! -e "$T/e/img" ]' "$(ls -d "$T/e/img" 2>&1)"
WHAT="the owner, unprivileged, restore" PAT="needs CAP_SYS_ADMIN" \
	expect_refused "${NOBODY[@]}" xosjob restore --dir "$T/img-a"
xosjob kill -s KILL "$J5" >/dev/null
ended "$J5"
xosjob checkpoint 2>/dev/null
u1=$?
xosjob checkpoint 1 2>/dev/null
u2=$?
xosjob restore 2>/dev/null
u3=$?
check "usage errors exit 2" '[ $u1$u2$u3 = 222 ]' "$u1 $u2 $u3"
ktap_finished
