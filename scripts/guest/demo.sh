#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: what xos_job does, in a guest, in well under a minute.
set -u
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

run grep xos_job /proc/modules
say "genl-ctrl-list | grep xos_job      # the family resolves"
genl-ctrl-list | grep xos_job
run xosjob info
say "xosjob monitor &    # an accounting consumer: creations and end-of-job records"
xosjob monitor >/tmp/demo-watch.out 2>&1 &
watcher=$!
sleep 0.3

# A batch job: a shell that starts workers, one of them a double-forked
# daemon in its own session (it still carries the job's tag).
say "( xosjob run --label grid-job-42 -- sh -c '...' &"
( xosjob run --label grid-job-42 -- sh -c '
	sleep 300 & sleep 300 &
	setsid sh -c "sleep 300 &" &
	head -c 20000000 /dev/urandom | md5sum >/dev/null
	echo "  inside the job: XOS_JOB_ID=$XOS_JOB_ID, xosjob id says $(xosjob id)"
	wait' & )
sleep 1
job=$(xosjob list --json | python3 -c 'import json,sys; print([j["id"] for j in json.load(sys.stdin) if j["label"]=="grid-job-42"][0])')
run xosjob list
run xosjob get "$job"
run xosjob tasks "$job"
say "su nobody -c 'xosjob run -- xosjob run -- true'   # a member cannot leave its job"
su -s /bin/sh nobody -c "xosjob run -- xosjob run -- true"
echo "  exit status $?"

# A job in its own namespaces and cgroup, owned by nobody; enter it.
mkdir -p /sys/fs/cgroup/demo-job
say "unshare --mount --uts --net --pid --fork --mount-proc ... xosjob run --label sandboxed -- sleep 300 &"
( echo $BASHPID >/sys/fs/cgroup/demo-job/cgroup.procs
  exec unshare --mount --uts --net --pid --fork --mount-proc sh -c '
	hostname job-host; mkdir -p /run/demo-job; mount -t tmpfs demo /run/demo-job
	cd /run/demo-job; exec setpriv --reuid=65534 --regid=65534 --clear-groups \
		xosjob run --label sandboxed -- sleep 300' 2>/dev/null ) &
sleep 1
sjob=$(xosjob list --json | python3 -c 'import json,sys; print([j["id"] for j in json.load(sys.stdin) if j["label"]=="sandboxed"][0])')
say "xosjob enter $sjob -- sh -c 'hostname; id -un; pwd; echo pid \$\$; cat /proc/self/cgroup; xosjob id \$\$'"
xosjob enter "$sjob" -- sh -c 'hostname; id -un; pwd; echo pid $$; cat /proc/self/cgroup; xosjob id $$'
say "nsenter -a -t ANCHOR sh -c 'hostname; cat /proc/self/cgroup; xosjob id \$\$'   # the peer: no cgroup, no job"
nsenter -a -t "$(xosjob get --json "$sjob" | python3 -c 'import json,sys; print(json.load(sys.stdin)["anchor_pid"])')" \
	sh -c 'hostname; cat /proc/self/cgroup; xosjob id $$'
xosjob kill -s KILL "$sjob" >/dev/null

# Job control: a job in a cgroup of its own, with cgroup limits, a total
# CPU-time limit the module enforces, and namespaces of its own; frozen,
# thawed, then ended by its CPU-time limit.
say "xosjob run --label limited --memory-max 64M --pids-max 50 --cpu-time 10s --grace 500ms --isolate pid,uts --hostname limited -- sh -c 'spin & spin' &"
xosjob run --label limited --memory-max 64M --pids-max 50 --cpu-time 10s \
	--grace 500ms --isolate pid,uts --hostname limited -- sh -c '
	sh -c "trap \"\" XCPU; while :; do :; done" & while :; do :; done' &
for _ in $(seq 150); do
	ljob=$(xosjob list 2>/dev/null | awk '$NF == "limited" { print $1 }')
	[ -n "$ljob" ] && break
	sleep 0.1
done
run xosjob freeze "$ljob"
say "xosjob get $ljob   # frozen: its CPU time stands still"
xosjob get "$ljob" | grep -E '^job|flags|cgroup|limits|cpu-time|grace|memory-max|pids-max|states|run time'
sleep 1
xosjob get "$ljob" | grep -E 'run time'
say "xosjob enter $ljob -- hostname   # refused while frozen"
xosjob enter "$ljob" -- hostname
run xosjob thaw "$ljob"
say "xosjob enter $ljob -- sh -c 'hostname; ls /proc | grep -c \"^[0-9]\"'   # its hostname, only its processes"
xosjob enter "$ljob" -- sh -c 'hostname; ls /proc | grep -c "^[0-9]"'
for _ in $(seq 100); do xosjob get "$ljob" 2>/dev/null | grep -q 'end state' && break; sleep 0.2; done
say "xosjob get $ljob      # its record says why it ended"
xosjob get "$ljob" | grep -E '^job|flags|end state|exit status|cpu-time|grace|run time'
run xosjob kill -s KILL "$job"
sleep 1
say "xosjob get $job      # the job ended with its last member: its final record"
xosjob get "$job" | grep -E '^job|label|ended|elapsed|started|user CPU|system CPU|run time|peak RSS|read \(|written \(' 
run xosjob list --ended
say "cat monitor output  # what the consumer received"
kill "$watcher" 2>/dev/null
grep -E '^(created|ended)' /tmp/demo-watch.out
run xosjob info
