#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A JOB_GET reply is allocated at the size of the job it describes (see
# xos_job_nl_job_size() in kmod/netlink.c), guessing the cgroup path's
# length; a longer path takes a second try at the full message size. Jobs
# in cgroups whose paths are far longer than the guess, with and without
# a 255-byte label and limits, must still come back whole from GET and
# from LIST, with the exact path; so must a job whose cgroup path is too
# long for any reply (then without it, as before).
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_print_header
ktap_set_plan 7

name100=$(printf 'p%.0s' $(seq 100))
label255=$(printf 'l%.0s' $(seq 255))
TOP=/sys/fs/cgroup/xos-reply
pids=()
cleanup() {
	kill -9 "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	find $TOP -depth -type d -exec rmdir {} + 2>/dev/null
}
trap cleanup EXIT

# job_in DIR [new options]: a sleeper placed in cgroup DIR, then in a new
# job, whose id goes to $JOB
job_in() {
	local dir=$1 pid
	shift
	mkdir -p "$dir"
	sleep 600 >/dev/null 2>&1 &
	pid=$!
	pids+=("$pid")
	echo "$pid" >"$dir/cgroup.procs"
	JOB=$(xosjob new --pid "$pid" "$@")
}
field() { # JOB KEY: the value of KEY in `xosjob get --json JOB`
	xosjob get --json "$1" | python3 -c "import json,sys; print(json.load(sys.stdin).get('$2'))"
}
in_list() { # JOB KEY: the same, from `xosjob list --json`
	xosjob list --json | python3 -c "
import json,sys
for j in json.load(sys.stdin):
    if j['id'] == $1: print(j.get('$2'))"
}

# 3 x 100 characters: more than twice the guess
path1=$TOP/$name100/$name100/$name100
job_in "$path1"
id1=$JOB
want1=${path1#/sys/fs/cgroup}
got=$(field "$id1" cgroup)
check "GET: a ${#want1}-byte cgroup path comes back whole" \
	'[ "$got" = "$want1" ]' "got '$got'"
got=$(in_list "$id1" cgroup)
check "LIST: the same job and path" '[ "$got" = "$want1" ]' "got '$got'"

# the same with a 255-byte label and limits, which the size counts too
job_in "$path1/x" --label "$label255" --cpu-time 1h --time 1h
id2=$JOB
got=$(field "$id2" cgroup)
check "GET with a 255-byte label and limits: the path" \
	'[ "$got" = "$want1/x" ]' "got '$got'"
got=$(field "$id2" label)
check "GET with a 255-byte label and limits: the label" \
	'[ "$got" = "$label255" ]' "got ${#got} bytes"

# a short path: the reply at its own size (no second try)
job_in "$TOP/s"
id3=$JOB
got=$(field "$id3" cgroup)
check "GET: a short path" '[ "$got" = "/xos-reply/s" ]' "got '$got'"

# 38 levels of 100: a path of some 3,850 bytes, which only a full-size
# reply holds
deep=$TOP
for _ in $(seq 38); do deep=$deep/$name100; done
job_in "$deep"
id4=$JOB
got=$(field "$id4" cgroup)
check "GET: a ${#got}-byte cgroup path comes back whole" \
	'[ "$got" = "${deep#/sys/fs/cgroup}" ]' "got ${#got} bytes"

# 4 more levels, made step by step: over PATH_MAX, so no reply holds it
sleep 600 >/dev/null 2>&1 &
pids+=($!)
spid=$!
if (cd "$deep" && for _ in 1 2 3 4; do
	mkdir "$name100" && cd "$name100" || exit 1
done && echo $spid >cgroup.procs) 2>/dev/null; then
	id5=$(xosjob new --pid $spid)
	got=$(xosjob get --json "$id5" 2>&1)
	check "GET: a cgroup path over PATH_MAX is left out, the job still shows" \
		'echo "$got" | python3 -c "import json,sys; j=json.load(sys.stdin); assert j[\"id\"] == $id5 and not j.get(\"cgroup\")"' \
		"$(echo "$got" | head -c 300)"
else
	ktap_test_skip "cgroupfs made no path over PATH_MAX here"
fi
ktap_finished
