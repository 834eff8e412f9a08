# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the test scripts. A debug kernel under TCG runs 10-20 times
# slower: its runner sets XOS_TIME_SCALE (make check-debug: 15), and every
# wait below is that many times longer, as in selftests/harness.h. Only
# waits are scaled, never the work done or the figures compared.
XOS_TIME_SCALE=${XOS_TIME_SCALE:-1}
[[ $XOS_TIME_SCALE =~ ^[1-9][0-9]*$ ]] || XOS_TIME_SCALE=1

# TAP lines of a script test: its counter n and its status fail start at
# 0 in the script. ok/notok DESCRIPTION; check DESCRIPTION EXPR DETAIL
# evaluates EXPR and reports DETAIL when it fails.
ok() { n=$((n + 1)); echo "ok $n $*"; }
# shellcheck disable=SC2034 # the script reads fail
notok() { n=$((n + 1)); echo "not ok $n $*"; fail=1; }
check() { if eval "$2"; then ok "$1"; else notok "$1: $3"; fi; }

# xsleep SECONDS: a settling pause, scaled
xsleep() {
	sleep "$(awk -v s="$1" -v k="$XOS_TIME_SCALE" 'BEGIN { print s * k }')"
}

# xpolls N: the bound of a polling loop, scaled
xpolls() {
	echo $(($1 * XOS_TIME_SCALE))
}

# job_of_pid PID: the job of PID once it has one (a just-started
# `xosjob run`), or nothing after 30 s (scaled)
job_of_pid() {
	local id="" _
	for _ in $(seq "$(xpolls 300)"); do
		id=$(xosjob id "$1" 2>/dev/null) && [ -n "$id" ] && break
		sleep 0.1
	done
	echo "$id"
}

# job_by_label LABEL: the id of the live job labelled LABEL, once it
# exists (5 s at most, scaled), or nothing
job_by_label() {
	local id="" _
	for _ in $(seq "$(xpolls 50)"); do
		id=$(xosjob list --json | python3 -c "import json,sys; print(' '.join(str(j['id']) for j in json.load(sys.stdin) if j.get('label')=='$1'))")
		[ -n "$id" ] && break
		sleep 0.1
	done
	echo "$id"
}
