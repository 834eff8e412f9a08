#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run-slurm: Slurm and sshd in the guest with spank_xos_job.so and
# pam_xosjob.so. A batch job becomes xos_job slurm:N, an ssh login of its
# user lands in it, scancel kills what is left and the record says so.
set -u
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=selftests/lib.sh
source "$ROOT/selftests/lib.sh"
# shellcheck source=selftests/slurm_env.sh
source "$ROOT/selftests/slurm_env.sh"
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }
trap slurm_env_stop EXIT

say "munged, slurmctld, slurmd (plugstack: $(basename "$SPANK")), sshd :2222 (PAM: $(basename "$PAMMOD"))"
t0=$(date +%s)
slurm_env_start || { echo "the node did not come up: $(tail -3 $LOG/slurmd.log)"; exit 1; }
sshd_start action_no_jobs=deny
echo "  up in $(($(date +%s) - t0))s"
run cat $W/plugstack.conf
cat >$W/job.sh <<'JOB'
#!/bin/bash
sleep 600 &
setsid -f sh -c 'exec sleep 600' </dev/null >/dev/null 2>&1
echo "batch script: XOS_JOB_ID=$XOS_JOB_ID"
wait
JOB
chmod 755 $W/job.sh
say "runuser -u $U1 -- sbatch $W/job.sh    # a script, a child, a setsid daemon"
: >$W/job.out
chown $U1: $W/job.out
job=$(cd $W && runuser -u $U1 -- sbatch --parsable -o $W/job.out $W/job.sh)
echo "Submitted batch job $job"
# the job's xos_job once its three processes are in: "ID NR_PROCS"
job_procs() {
	xosjob list --json | python3 -c "import json,sys; print(*[f\"{j['id']} {j['nr_procs']}\" for j in json.load(sys.stdin) if j.get('label')=='slurm:$job'])"
}
end=$(($(date +%s) + 60))
while [ "$(date +%s)" -lt $end ]; do
	read -r xid procs <<<"$(job_procs)"
	[ "${procs:-0}" -ge 3 ] && break
	sleep 0.5
done
run xosjob list
run xosjob tasks "$xid"
# shellcheck disable=SC2016
say "ssh -p 2222 $U1@127.0.0.1 'xosjob id \$\$; burn 1 s of CPU'"
"${SSH[@]}" $U1@127.0.0.1 'echo "  the login shell is in job $(xosjob id $$)"; timeout 1 sh -c "while :; do :; done"' 2>&1 |
	grep -v '^Warning: Permanently added'
say "ssh -p 2222 $U3@127.0.0.1 true     # $U3 has no job here"
"${SSH[@]}" $U3@127.0.0.1 true 2>&1 | grep -v '^Warning: Permanently added'
run xosjob get "$xid"
run runuser -u $U1 -- scancel "$job"
end=$(($(date +%s) + 60))
while [ "$(date +%s)" -lt $end ]; do
	xosjob list --ended | grep -q "slurm:$job\$" && break
	sleep 0.5
done
run xosjob list --ended
run cat $W/job.out
say "grep spank_xos_job $LOG/slurmd.log"
grep spank_xos_job $LOG/slurmd.log
