# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the test scripts. A debug kernel under TCG runs 10-20 times
# slower: its runner sets XOS_TIME_SCALE (make check-debug: 15), and every
# wait below is that many times longer, as in selftests/harness.h. Only
# waits are scaled, never the work done or the figures compared.
XOS_TIME_SCALE=${XOS_TIME_SCALE:-1}
[[ $XOS_TIME_SCALE =~ ^[1-9][0-9]*$ ]] || XOS_TIME_SCALE=1

# KTAP output comes from the kernel's own kselftest/ktap_helpers.sh,
# extracted from linux-source-6.12 at build time (never committed). A test
# prints ktap_print_header and ktap_set_plan N, reports with ok/notok/check
# (or ktap_test_skip) and ends with ktap_finished: exit 0 only if every
# planned case passed or was skipped, so a case that never ran fails too.
_xos_ktap=${XOS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}/build/kselftest/ktap_helpers.sh
if [ ! -r "$_xos_ktap" ]; then
	echo "Bail out! $_xos_ktap missing: run make"
	exit 1
fi
# shellcheck source=/dev/null # extracted at build time
source "$_xos_ktap"

# ok/notok DESCRIPTION; check DESCRIPTION EXPR DETAIL evaluates EXPR and
# reports DETAIL when it fails. ktap_helpers echoes the description
# unquoted: globbing is off while it does, so that a '*' or '[...]' in a
# description or its detail is printed as written.
ok() {
	local -
	set -f
	ktap_test_pass "$*"
}
notok() {
	local -
	set -f
	ktap_test_fail "$*"
}
check() { if eval "$2"; then ok "$1"; else notok "$1${3:+: $3}"; fi; }

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
