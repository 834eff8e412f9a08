#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Keeps make bench from rotting: runs every xosbench part with tiny counts
# and checks, with bench/report.py --check, that each produced well-formed
# records with sane figures (positive times, no lost events, one xos_task
# object per tracked task). A few seconds; benchmarks themselves are
# "make bench".
set -o pipefail
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
XB=$ROOT/build/bench/xosbench
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
ktap_print_header
ktap_set_plan 8
# emit SETUP ROUND: the tags guest.sh adds
emit() {
	sed "s/^{/{\"kernel\":\"$(uname -r)\",\"mode\":\"smoke\",\"setup\":\"$1\",\"round\":$2,/" >>"$W/b.jsonl"
}
[ -x "$XB" ] || ktap_exit_fail_msg "$XB missing: run make"
grep -q '^xos_job ' /proc/modules || ktap_exit_fail_msg "xos_job is not loaded"

# path: "unloaded" is a stand-in here (the module stays loaded: other tests
# share this guest); only the format is checked
rc=0
for op in fork exec thread; do
	"$XB" path --op $op --n 10 | emit unloaded 1 || rc=1
	"$XB" path --op $op --n 10 | emit outside 1 || rc=1
	"$XB" path --op $op --n 10 --in-job | emit inside 1 || rc=1
done
check "path: fork, exec, thread in three setups" '[ $rc = 0 ]'

"$XB" query --sizes 1,3 --reps 1 | emit loaded 0
rc=${PIPESTATUS[0]}
check "query: JOB_GET, TASKSTATS, /proc scan, cgroup files" '[ $rc = 0 ]'

"$XB" events --count 20 | emit loaded 0
rc=${PIPESTATUS[0]}
check "events: 20 jobs with a listener" '[ $rc = 0 ]'

rc=0
"$XB" mem --jobs 3 --tasks 3 --no-job | emit loaded 0 || rc=1
"$XB" mem --jobs 3 --tasks 3 | emit loaded 0 || rc=1
check "mem: 3 jobs x 3 tasks, outside and inside jobs" '[ $rc = 0 ]'

rc=0
"$XB" bigjob --procs 3 --threads 4 --reps 1 | emit loaded 0 || rc=1
"$XB" bigjob --procs 3 --threads 4 --reps 1 --leaders-exit | emit loaded 0 || rc=1
check "bigjob: JOB_KILL, TASKS dump, JOB_GET of a 3x4 job, leaders live and exited" '[ $rc = 0 ]'

# a cgroup parent of its own: other tests' job cgroups stay out of the count
"$XB" scrape --jobs 3 --procs 2 --threads 2 --reps 1 \
	--parent /sys/fs/cgroup/xosbench-smoke | emit loaded 0
rc=${PIPESTATUS[0]}
check "scrape: xosjob collect --prometheus --once and the cgroup files of 3 jobs" '[ $rc = 0 ]'

python3 "$ROOT/bench/report.py" --check "$W/b.jsonl" >"$W/table" 2>"$W/err"
rc=$?
sed 's/^/# /' "$W/err"
check "report: well-formed records, sane figures" '[ $rc = 0 ]'

check "report: the table has the path, query, bigjob and scrape sections" \
	'grep -q "JOB_GET" "$W/table" && grep -q "fork+exit+wait" "$W/table" &&
	 grep -q "TASKS dump" "$W/table" && grep -q "node-wide scrape" "$W/table"'
ktap_finished
