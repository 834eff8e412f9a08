#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xos-timeout: 900
# spank_xos_job.so and pam_xosjob.so against a real single-node Slurm
# (munged, slurmctld, slurmd on 127.0.0.1) and a real sshd on
# 127.0.0.1:2222 whose PAM stack holds pam_xosjob: srun -n2 tasks and
# their setsid daemons in one job slurm:N owned by the user, its figures
# against the tasks' getrusage, one record; sbatch + scancel kills the
# tree, record flagged killed; two users' jobs apart; ssh logins land in
# the job (CPU burnt there counted), a user without a job refused with a
# message, root in no job; XOS_JOB_ID picks among two jobs and another
# user's is refused; the module unloaded: jobs still run, slurmd's log
# says why (module=optional), or the step fails (module=required). Every
# daemon started here is stopped at the end.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=selftests/slurm_env.sh
source "$(dirname "$0")/slurm_env.sh"
ktap_print_header
ktap_set_plan 39

for f in /usr/sbin/slurmd /usr/sbin/slurmctld /usr/sbin/munged /usr/sbin/sshd "$SPANK" "$PAMMOD" "$PAMLOGIN"; do
	if [ ! -x "$f" ] && [ ! -f "$f" ]; then
		echo "# SKIP: $f missing (make deps; make)"
		exit 4
	fi
done

jget() { # JOB PYTHON_SUFFIX: a field of `xosjob get --json`
	xosjob get --json "$1" 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)$2)" 2>/dev/null
}
# the live job labelled $1 (ids, space-separated), as root sees them
live_label() {
	xosjob list --json | python3 -c "import json,sys; print(' '.join(str(j['id']) for j in json.load(sys.stdin) if j.get('label')=='$1'))"
}
# the end-of-job records labelled $1: "id end_state cpu_s" per line
records() {
	xosjob list --ended --json | python3 -c "
import json,sys
for j in json.load(sys.stdin):
    if j.get('label')=='$1':
        s=j['stats']; print(j['id'], j['end_state'], (s['utime_ns']+s['stime_ns'])/1e9)"
}
trap slurm_env_stop EXIT

t0=$(date +%s)
slurm_env_start
state=$(sinfo -h -n xosnode -o %T 2>&1)
check "munged, slurmctld and slurmd up, node idle in $(($(date +%s) - t0))s" '[ "$state" = idle ]' \
	"node state '$state'; $(tail -5 $LOG/slurmd.log $LOG/slurmctld.log 2>&1)"
# nothing below can pass without a node
[ "$state" = idle ] || exit 1

# --- srun -n2: two tasks and their setsid daemons in one job -------------
cat >$W/task.py <<'EOF'
import json, os, resource, subprocess, sys, time
def burn(s):
    end = time.process_time() + s
    while time.process_time() < end:
        pass
burn(0.4)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.setsid()
    if os.fork():
        os._exit(0)
    # the daemon: stdio away from srun, lives until the epilog kills it
    fd = os.open("/dev/null", os.O_RDWR)
    for i in (0, 1, 2):
        os.dup2(fd, i)
    os.write(w, str(os.getpid()).encode())
    os.close(w)
    burn(0.2)
    time.sleep(600)
    os._exit(0)
os.close(w)
os.waitpid(pid, 0)
daemon = int(os.read(r, 32))
burn(0.2)
def job(p):
    return subprocess.run(["xosjob", "id", str(p)], capture_output=True, text=True).stdout.strip()
me, dj = job(os.getpid()), job(daemon)
g = json.loads(subprocess.run(["xosjob", "get", "--json", me], capture_output=True, text=True).stdout or "{}")
time.sleep(0.5)  # the daemon's own burn is done
ru = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
cpu = sum(x.ru_utime + x.ru_stime for x in ru)
print("TASK", os.environ.get("SLURM_PROCID"), os.environ.get("SLURM_JOB_ID"), os.getpid(), daemon, me, dj,
      g.get("label"), g.get("owner_uid"), os.environ.get("XOS_JOB_ID"), "%.3f" % cpu, flush=True)
EOF
uid1=$(id -u $U1) uid2=$(id -u $U2)
t0=$(date +%s)
out=$(cd $W && runuser -u $U1 -- srun -n2 -N1 python3 $W/task.py 2>$W/srun.err)
t_srun=$(($(date +%s) - t0))
echo "$out" | sed 's/^/# /'
sjob=$(echo "$out" | awk '/^TASK/ { print $3; exit }')
ids=$(echo "$out" | awk '/^TASK/ { print $6, $7 }' | tr ' ' '\n' | sort -u)
xid=$(echo "$ids" | head -1)
check "srun -n2 as $U1: two tasks ran (${t_srun}s)" '[ "$(echo "$out" | grep -c ^TASK)" = 2 ]' "$(cat $W/srun.err)"
check "both tasks and both setsid daemons are in one xos_job ($xid)" \
	'[ -n "$xid" ] && [ "$(echo "$ids" | wc -l)" = 1 ]' "job ids seen: $(echo $ids)"
check "it is labelled slurm:$sjob and owned by $U1 (uid $uid1); XOS_JOB_ID is set in the tasks" \
	'[ "$(echo "$out" | awk "/^TASK/ { print \$8, \$9, \$10 }" | sort -u)" = "slurm:$sjob $uid1 $xid" ]' \
	"$(echo "$out" | awk '/^TASK/ { print $8, $9, $10 }')"
daemons=$(echo "$out" | awk '/^TASK/ { print $5 }')
# shellcheck disable=SC2086
wait_for 300 none_alive $daemons
check "the job's end kills the daemons the tasks left (epilog, kill_on_end)" 'none_alive $daemons' \
	"still alive: $(for p in $daemons; do alive $p && ps -o pid,user,args -p $p | tail -1; done)"
wait_for 100 sh -c "[ -n \"\$(xosjob list --ended --json | grep -F '\"slurm:$sjob\"')\" ]"
rec=$(records "slurm:$sjob")
echo "$rec" | sed 's/^/# record: /'
check "the end-of-job record of slurm:$sjob arrives once" '[ "$(echo "$rec" | grep -c .)" = 1 ]' "records: $rec"
tasks_cpu=$(echo "$out" | awk '/^TASK/ { s += $11 } END { print s }')
rec_cpu=$(echo "$rec" | awk '{ print $3; exit }')
# the tasks' own getrusage (self and reaped children) misses the daemons
# (0.2 s each, not their children any more): the job has them too
check "its CPU time ${rec_cpu}s agrees with the tasks' getrusage ${tasks_cpu}s + the daemons' 0.4s" \
	'awk -v j="$rec_cpu" -v t="$tasks_cpu" "BEGIN { exit !(j >= t + 0.3 && j <= t + 0.4 + 0.5 + 0.15 * t) }"' \
	"job $rec_cpu s, tasks $tasks_cpu s"
check "slurmd's log names the xos_job made for job $sjob" \
	'grep -q "spank_xos_job: job $sjob step 0: created xos_job $xid .slurm:$sjob. owned by uid $uid1" $LOG/slurmd.log' \
	"$(grep spank_xos_job $LOG/slurmd.log | tail -3)"

# --- sbatch + scancel: the whole tree dies, record flagged killed --------
cat >$W/batch.sh <<'EOF'
#!/bin/bash
( sleep 600 & sleep 600 & wait ) &
setsid -f sh -c 'exec sleep 600' </dev/null >/dev/null 2>&1
sleep 600
EOF
chmod 755 $W/batch.sh
bjob=$(cd $W && runuser -u $U1 -- sbatch --parsable -o /dev/null $W/batch.sh 2>$W/sbatch.err)
bx=""
for _ in $(seq "$(xpolls 300)"); do
	bx=$(live_label "slurm:$bjob")
	[ -n "$bx" ] && [ "$(jget "$bx" '["nr_procs"]')" -ge 5 ] 2>/dev/null && break
	sleep 0.1
done
members=$(xosjob tasks --json "$bx" 2>/dev/null | python3 -c "import json,sys; print(' '.join(sorted({str(t['tgid']) for t in json.load(sys.stdin)})))" 2>/dev/null)
check "sbatch job $bjob is xos_job $bx, its script, subshell, sleeps and setsid daemon members" \
	'[ -n "$bx" ] && [ "$(echo $members | wc -w)" -ge 5 ] && [ "$(jget "$bx" "[\"owner_uid\"]")" = $uid1 ]' \
	"job '$bx' members '$members' $(cat $W/sbatch.err)"
runuser -u $U1 -- scancel "$bjob"
# shellcheck disable=SC2086
wait_for 300 none_alive $members
check "scancel $bjob leaves no member alive" 'none_alive $members' \
	"alive: $(for p in $members; do alive $p && ps -o pid,user,args -p $p | tail -1; done)"
wait_for 100 sh -c "[ -n \"\$(xosjob list --ended --json | grep -F '\"slurm:$bjob\"')\" ]"
rec=$(records "slurm:$bjob")
check "its record arrives once, flagged killed" '[ "$(echo "$rec" | grep -c .)" = 1 ] && [ "$(echo "$rec" | awk "{ print \$2 }")" = killed ]' \
	"records: $rec"

# --- two users' concurrent jobs -----------------------------------------
printf '#!/bin/sh\nexec sleep 600\n' >$W/sleep.sh
chmod 755 $W/sleep.sh
j1=$(cd $W && runuser -u $U1 -- sbatch --parsable -o /dev/null $W/sleep.sh)
j2=$(cd $W && runuser -u $U2 -- sbatch --parsable -o /dev/null $W/sleep.sh)
x1="" x2=""
for _ in $(seq "$(xpolls 300)"); do
	x1=$(live_label "slurm:$j1") x2=$(live_label "slurm:$j2")
	[ -n "$x1" ] && [ -n "$x2" ] && break
	sleep 0.1
done
l1=$(runuser -u $U1 -- xosjob list --json | python3 -c "import json,sys; print(' '.join(j['label'] for j in json.load(sys.stdin)))")
l2=$(runuser -u $U2 -- xosjob list --json | python3 -c "import json,sys; print(' '.join(j['label'] for j in json.load(sys.stdin)))")
check "jobs $j1 ($U1) and $j2 ($U2) run at once as xos_jobs $x1 and $x2" \
	'[ -n "$x1" ] && [ -n "$x2" ] && [ "$x1" != "$x2" ] && [ "$(jget $x1 "[\"owner_uid\"]") $(jget $x2 "[\"owner_uid\"]")" = "$uid1 $uid2" ]' \
	"x1 '$x1' x2 '$x2'"
check "neither user sees the other's job ($U1: $l1; $U2: $l2)" \
	'[ "$l1" = "slurm:$j1" ] && [ "$l2" = "slurm:$j2" ] && ! runuser -u $U1 -- xosjob get $x2 >/dev/null 2>&1' \
	"$U1 lists '$l1', $U2 lists '$l2'"

# --- sshd with pam_xosjob -------------------------------------------------
sshd_start action_no_jobs=deny
cpu_of() {
	xosjob get --json "$1" | python3 -c "import json,sys; j=json.load(sys.stdin); print(j['stats']['utime_ns']+j['stats']['stime_ns'])"
}
before=$(cpu_of "$x1")
t0=$(date +%s)
# shellcheck disable=SC2016
# shellcheck disable=SC2016
out=$("${SSH[@]}" $U1@127.0.0.1 'echo "ID $(xosjob id $$)"; python3 -c "
import time
e = time.process_time() + 1.0
while time.process_time() < e: pass"; echo "ID $(xosjob id $$)"; echo "CG $(sed -n "s/^0:://p" /proc/$$/cgroup)"' 2>$W/ssh.err)
t_ssh=$(($(date +%s) - t0))
after=$(cpu_of "$x1")
echo "$out" | sed 's/^/# login: /'
check "ssh $U1@127.0.0.1:2222 lands in $U1's job: xosjob id \$\$ says $x1 (${t_ssh}s)" \
	'[ "$(echo "$out" | sed -n "s/^ID //p" | sort -u)" = "$x1" ]' "got '$out', $(cat $W/ssh.err); $(tail -5 $LOG/sshd.log)"
check "1 s of CPU burnt in the login shows in the job's figures (+$(( (after - before) / 1000000 )) ms)" \
	'[ $((after - before)) -ge 900000000 ]' "before $before after $after"
cg=$(jget "$x1" '["cgroup"]')
check "the login left sshd's cgroup /xos-sshd for the job's, $cg" \
	'[ -n "$cg" ] && [ "$cg" != /xos-sshd ] && [ "$(echo "$out" | sed -n "s/^CG //p")" = "$cg" ]' \
	"login in '$(echo "$out" | sed -n "s/^CG //p")', job's '$cg'"
out=$("${SSH[@]}" $U3@127.0.0.1 'echo LOGGED-IN' 2>$W/ssh.err)
check "$U3, without a running job, is refused and told why" \
	'[ -z "$out" ] && grep -q "you have no running job on this node" $W/ssh.err' \
	"out '$out' err '$(cat $W/ssh.err)'"
# shellcheck disable=SC2016
out=$("${SSH[@]}" root@127.0.0.1 'xosjob id $$ 2>&1; echo rc=$?' 2>$W/ssh.err)
check "root's login is let through and stays in no job" \
	'echo "$out" | grep -q "rc=1" && ! echo "$out" | grep -qE "^[0-9]+$"' "out '$out' err '$(cat $W/ssh.err)'"

# --- XOS_JOB_ID picks among two jobs of the same user --------------------
j3=$(cd $W && runuser -u $U1 -- sbatch --parsable -o /dev/null $W/sleep.sh)
x3=""
for _ in $(seq "$(xpolls 300)"); do
	x3=$(live_label "slurm:$j3")
	[ -n "$x3" ] && break
	sleep 0.1
done
# shellcheck disable=SC2016
out=$("${SSH[@]}" $U1@127.0.0.1 'xosjob id $$' 2>$W/ssh.err)
check "with two jobs ($x1, $x3) and no XOS_JOB_ID the newest, $x3, is picked" '[ "$out" = "$x3" ]' \
	"got '$out' $(cat $W/ssh.err)"
out=$(XOS_JOB_ID=$x1 $PAMLOGIN sshd $U1 sh -c 'xosjob id $$' 2>$W/pam.err)
check "XOS_JOB_ID=$x1 in the application's environment picks the older job" '[ "$out" = "$x1" ]' \
	"got '$out' $(cat $W/pam.err)"
out=$(XOS_JOB_ID=$x2 $PAMLOGIN sshd $U1 sh -c 'xosjob id $$' 2>$W/pam.err)
rc=$?
check "XOS_JOB_ID=$x2 ($U2's job) is refused for $U1 with a message" \
	'[ $rc = 11 ] && [ -z "$out" ] && grep -q "job $x2 (XOS_JOB_ID) is not one of your running jobs" $W/pam.err' \
	"rc $rc out '$out' err '$(cat $W/pam.err)'"
# --- XOS_JOB_ID sent by the ssh client: /etc/ssh/sshrc and the lander ----
# sshd runs PAM before it reads SendEnv; sshrc=yes lets /etc/ssh/sshrc move
# the login (PermitUserRC no: the user's ~/.ssh/rc cannot skip it)
printf '#!/bin/sh\n%s\n' "$ROOT/build/userspace/xosjob-sshrc" >/etc/ssh/sshrc
pam_conf action_no_jobs=deny sshrc=yes
before=$(cpu_of "$x1")
# shellcheck disable=SC2016
out=$(XOS_JOB_ID=$x1 "${SSH[@]}" -o SendEnv=XOS_JOB_ID $U1@127.0.0.1 'echo "ID $(xosjob id $$) $XOS_JOB_ID"; python3 -c "
import time
e = time.process_time() + 0.5
while time.process_time() < e: pass"; echo "PID $(xosjob id $PPID)"; echo "CG $(sed -n "s/^0:://p" /proc/$$/cgroup)"' 2>$W/ssh.err)
after=$(cpu_of "$x1")
echo "$out" | sed 's/^/# login: /'
cg1=$(jget "$x1" '["cgroup"]')
check "ssh with XOS_JOB_ID=$x1 sent (SendEnv) lands in the older job $x1, not the newest $x3" \
	'[ "$(echo "$out" | sed -n "s/^ID //p")" = "$x1 $x1" ] && [ "$(echo "$out" | sed -n "s/^PID //p")" = "$x1" ]' \
	"got '$out' err '$(cat $W/ssh.err)' $(grep -i xosjob $LOG/sshd.log | tail -3)"
check "there it is in job $x1's cgroup and its 0.5 s of CPU is job $x1's (+$(( (after - before) / 1000000 )) ms)" \
	'[ "$(echo "$out" | sed -n "s/^CG //p")" = "$cg1" ] && [ $((after - before)) -ge 450000000 ]' \
	"cgroup '$(echo "$out" | sed -n "s/^CG //p")' job's '$cg1'; cpu before $before after $after"
# shellcheck disable=SC2016
out=$("${SSH[@]}" -o SendEnv=XOS_JOB_ID $U1@127.0.0.1 'xosjob id $$' 2>$W/ssh.err)
check "with sshrc=yes and no XOS_JOB_ID the login stays in the newest, $x3" '[ "$out" = "$x3" ]' \
	"got '$out' err '$(cat $W/ssh.err)'"
out=$(XOS_JOB_ID=$x2 "${SSH[@]}" -o SendEnv=XOS_JOB_ID $U1@127.0.0.1 'echo RAN' 2>$W/ssh.err)
check "XOS_JOB_ID=$x2 ($U2's job) sent over ssh ends $U1's session before it runs anything, saying why" \
	'[ -z "$out" ] && grep -q "job $x2 (XOS_JOB_ID) is not one of your running jobs on this node" $W/ssh.err' \
	"out '$out' err '$(cat $W/ssh.err)'"
out=$(XOS_JOB_ID=7x "${SSH[@]}" -o SendEnv=XOS_JOB_ID $U1@127.0.0.1 'echo RAN' 2>$W/ssh.err)
check "XOS_JOB_ID=7x sent over ssh is refused as not a job id" \
	'[ -z "$out" ] && grep -q "XOS_JOB_ID=.7x. is not a job id" $W/ssh.err' "out '$out' err '$(cat $W/ssh.err)'"
wait_for 50 sh -c '! pgrep -x xosjob-lander >/dev/null'
check "no lander outlives its login" '! pgrep -x xosjob-lander >/dev/null' "$(pgrep -ax xosjob-lander)"
rm -f /etc/ssh/sshrc
# the other policies through the same PAM service, without ssh's 5 s
pam_conf action_no_jobs=deny multiple=deny
out=$($PAMLOGIN sshd $U1 echo LOGGED-IN 2>$W/pam.err)
rc=$?
check "multiple=deny refuses the ambiguous login, naming the jobs" \
	'[ $rc = 11 ] && [ -z "$out" ] && grep -q "you have 2 running jobs ($x1, $x3); name one with XOS_JOB_ID" $W/pam.err' \
	"rc $rc out '$out' err '$(cat $W/pam.err)'"
pam_conf action_no_jobs=allow
# shellcheck disable=SC2016
out=$($PAMLOGIN sshd $U3 sh -c 'xosjob id $$ >/dev/null 2>&1; echo rc=$?' 2>$W/pam.err)
check "action_no_jobs=allow lets $U3 in, in no job, and says so" \
	'[ "$out" = rc=1 ] && grep -q "you have no running job on this node; your login is in none" $W/pam.err' \
	"out '$out' err '$(cat $W/pam.err)'"
# --- join_ns=yes: the login joins the job's namespaces too ---------------
xosjob run --owner $U1 --label ns-job --isolate uts --hostname xos-ns-job -- sleep 600 \
	>/dev/null 2>$W/nsjob.err &
xn=""
for _ in $(seq "$(xpolls 300)"); do
	xn=$(live_label ns-job)
	[ -n "$xn" ] && break
	sleep 0.1
done
pam_conf action_no_jobs=deny join_ns=yes
# shellcheck disable=SC2016
out=$(XOS_JOB_ID=$xn $PAMLOGIN sshd $U1 sh -c 'echo "$(hostname) $(xosjob id $$)"' 2>$W/pam.err)
check "join_ns=yes: a login into job $xn (run --isolate uts) has its hostname, xos-ns-job" \
	'[ -n "$xn" ] && [ "$out" = "xos-ns-job $xn" ]' "xn '$xn' out '$out' err '$(cat $W/pam.err $W/nsjob.err)'"
pam_conf action_no_jobs=deny
# shellcheck disable=SC2016
out=$(XOS_JOB_ID=$xn $PAMLOGIN sshd $U1 sh -c 'echo "$(hostname) $(xosjob id $$)"' 2>$W/pam.err)
check "join_ns=no: the same login joins job $xn only, keeping the node's hostname" \
	'[ "$out" = "$(hostname) $xn" ]' "out '$out' err '$(cat $W/pam.err)'"
pam_conf action_no_jobs=deny join_ns=yes sshrc=yes
out=$(XOS_JOB_ID=$xn $PAMLOGIN sshd $U1 echo LOGGED-IN 2>$W/pam.err)
rc=$?
check "join_ns=yes with sshrc=yes is a configuration error: no login" '[ $rc != 0 ] && [ -z "$out" ]' \
	"rc $rc out '$out'"
xosjob kill -s KILL "$xn" >/dev/null
runuser -u $U1 -- scancel "$j1" "$j3"
runuser -u $U2 -- scancel "$j2"
no_live() { [ -z "$(live_label "slurm:$j1")$(live_label "slurm:$j2")$(live_label "slurm:$j3")" ]; }
wait_for 300 no_live
check "scancel ends the three jobs and what the ssh logins left" \
	'[ -z "$(live_label slurm:$j1)$(live_label slurm:$j2)$(live_label slurm:$j3)" ]' \
	"$(xosjob list)"

# --- the module unloaded --------------------------------------------------
for _ in $(seq "$(xpolls 50)"); do
	rmmod xos_job 2>$W/rmmod.err && break
	sleep 0.2
done
check "xos_job unloaded" '! grep -q "^xos_job " /proc/modules' "$(cat $W/rmmod.err)"
out=$(cd $W && runuser -u $U1 -- srun -n1 sh -c 'echo ran-$SLURM_JOB_ID' 2>$W/srun.err)
ujob=${out#ran-}
check "without the module an srun job still runs (module=optional)" '[[ $out == ran-[0-9]* ]]' \
	"out '$out' err '$(cat $W/srun.err)'"
check "slurmd's log says why job $ujob is not tagged" \
	'grep -q "spank_xos_job: job $ujob step 0: xos_job unavailable: .*the job runs without an xos_job, untagged and unaccounted (module=optional)" $LOG/slurmd.log' \
	"$(grep spank_xos_job $LOG/slurmd.log | tail -3)"
stop $W/slurmd.pid
plugstack module=required
start_slurmd
out=$(cd $W && runuser -u $U1 -- srun -n1 sh -c 'echo ran' 2>$W/srun.err)
rc=$?
check "module=required: the step fails, and slurmd's log says why" \
	'[ -z "$out" ] && grep -q "launch failed: Plugin initialization failed" $W/srun.err && grep -q "xos_job unavailable: .*failing it (module=required)" $LOG/slurmd.log' \
	"rc $rc out '$out' err '$(cat $W/srun.err)' log $(grep spank_xos_job $LOG/slurmd.log | tail -2)"
insmod "$ROOT/build/$(uname -r)/xos_job.ko"
out=$(cd $W && runuser -u $U1 -- srun -n1 sh -c 'xosjob id $$' 2>$W/srun.err)
check "module=required, module back: the task is in a job again" '[[ $out =~ ^[0-9]+$ ]]' \
	"out '$out' err '$(cat $W/srun.err)'"

# --- stop everything ------------------------------------------------------
trap - EXIT
slurm_env_stop
left=$(for d in slurmd slurmctld slurmstepd munged sshd; do pgrep -lx $d; done | tr '\n' ' ')
check "every daemon started here is stopped" '[ -z "$left" ]' "left: $left"
ktap_finished
