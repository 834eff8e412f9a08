#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The xosjob CLI: exit status 0/1/2, the kernel's extack text on stderr,
# valid JSON from every read command, and the subcommands end to end.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_print_header
# expect STATUS STDERR_PATTERN CMD...
expect() {
	local want=$1 pat=$2 rc
	shift 2
	"$@" >/tmp/cli.out 2>/tmp/cli.err
	rc=$?
	if [ $rc = "$want" ] && { [ -z "$pat" ] || grep -qE -- "$pat" /tmp/cli.err; }; then
		ok "$* -> $rc"
	else
		notok "$* -> $rc (want $want), stderr: $(cat /tmp/cli.err)"
	fi
}
json_ok() { python3 -c 'import json,sys; json.load(sys.stdin)' </tmp/cli.out; }
ktap_set_plan 27

expect 2 "unknown command" xosjob frobnicate
expect 2 "not a job id" xosjob show 12abc
expect 2 "unknown option" xosjob list --bogus
expect 2 "unknown signal" xosjob kill -s NOPE 1
expect 2 "no command given" xosjob run
expect 0 "" xosjob ps --help
expect 1 "no such job: |no such job" xosjob show 999999
# the kernel's refusal is named as such, with its errno's name (as iw)
expect 1 "^xosjob: show: kernel reports: no such job.* \(ENOENT\)$" xosjob show 999999
expect 2 "unknown signal" xosjob kill -s 65 1
expect 1 "label is at most 255 bytes" xosjob run --label "$(printf 'x%.0s' $(seq 256))" -- true
expect 1 "not in a job you can see" xosjob id 1
expect 2 "--from applies to --ended" xosjob list --from 3
expect 2 "not a sequence number" xosjob list --ended --from 0
expect 1 "requires CAP_SYS_ADMIN" setpriv --reuid=65534 --regid=65534 --clear-groups xosjob monitor
expect 2 "not a sequence number" xosjob monitor --from x

xosjob run --label cli-test -- sleep 300 2>/dev/null &
member=$!
job=$(job_of_pid $member)
[ -n "$job" ] && ok "run: job $job" || notok "run created no job"
for c in "info --json" "list --json" "show --json $job" "ps --json $job" "id --json $member"; do
	# shellcheck disable=SC2086
	xosjob $c >/tmp/cli.out 2>/tmp/cli.err
	if [ $? = 0 ] && json_ok; then ok "$c is JSON"; else notok "$c: $(cat /tmp/cli.out /tmp/cli.err)"; fi
done
xosjob kill -s KILL "$job" >/tmp/cli.out
grep -q "sent to 1 processes" /tmp/cli.out && ok "kill: $(cat /tmp/cli.out)" ||
	notok "kill: $(cat /tmp/cli.out)"
kill -KILL $member 2>/dev/null	# if the job's kill failed: no 300 s wait
wait 2>/dev/null

# the ended job's record, as the list of records and by id
xosjob list --ended --json >/tmp/cli.out 2>/tmp/cli.err
if python3 -c "import json,sys; r=[j for j in json.load(sys.stdin) if j['id']==$job]; sys.exit(not (len(r)==1 and r[0]['ended'] and r[0]['tasks_exited']==1))" </tmp/cli.out; then
	ok "list --ended holds job $job once"
else
	notok "list --ended: $(head -c 300 /tmp/cli.out) $(cat /tmp/cli.err)"
fi
xosjob get "$job" >/tmp/cli.out 2>&1 && grep -q "ended: .*(record [0-9]" /tmp/cli.out &&
	grep -Eq "^    run time +[0-9.]+ (us|ms|s)$" /tmp/cli.out &&
	grep -Eq "^    peak RSS +[0-9.]+ (KiB|MiB)$" /tmp/cli.out && ok "get of an ended job shows its record, with units" ||
	notok "get $job: $(cat /tmp/cli.out)"
# monitor (alias watch) sees a job's creation and its end record
xosjob watch --json --count 2 >/tmp/watch.out 2>/tmp/watch.err &
w=$!
# subscribed once it says so (on stderr with --json)
for _ in $(seq "$(xpolls 100)"); do grep -q '^monitoring' /tmp/watch.err && break; sleep 0.1; done
xosjob run --label watched -- true
timeout "$(xpolls 30)" tail --pid=$w -f /dev/null || kill $w
wait $w
python3 -c "
import json,sys
ev=[json.loads(l) for l in open('/tmp/watch.out')]
sys.exit(not ([e['event'] for e in ev]==['created','ended'] and ev[1]['job']['label']=='watched'))
" && ok "watch: created then ended" || notok "watch: $(cat /tmp/watch.out)"

# monitor fills what a stopped, overflowed listener missed from the ring
xosjob monitor --json --rcvbuf 1 >/tmp/mon.out 2>/tmp/mon.err &
w=$!
for _ in $(seq "$(xpolls 100)"); do grep -q '^monitoring' /tmp/mon.err && break; sleep 0.1; done
kill -STOP $w
first=$(xosjob info --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_seq"] + 1)')
for i in $(seq 60); do xosjob run --label "burst-$i" -- true; done
kill -CONT $w
xosjob run --label burst-last -- true
for _ in $(seq "$(xpolls 100)"); do grep -q '"burst-last"' /tmp/mon.out && break; sleep 0.1; done
kill $w; wait $w 2>/dev/null
python3 -c "
import json,sys
ev=[json.loads(l) for l in open('/tmp/mon.out')]
ended=[e for e in ev if e['event']=='ended']
seqs=[e['job']['seq'] for e in ended]
labels=[e['job'].get('label') for e in ended]
want=['burst-%d' % i for i in range(1,61)]+['burst-last']
ok=(seqs==list(range($first, $first+len(seqs))) and labels[-61:]==want and
    len(set(labels))==len(labels) and any(e['recovered'] for e in ended))
sys.exit(not ok)
" && grep -q "overflowed" /tmp/mon.err && ok "monitor: 61 records after an overflow, each once, in order, gaps filled from the ring" ||
	notok "monitor: $(tail -c 600 /tmp/mon.out) $(cat /tmp/mon.err)"
xosjob monitor --json --from "$first" --count 3 >/tmp/cli.out 2>/tmp/cli.err
python3 -c "
import json,sys
ev=[json.loads(l) for l in open('/tmp/cli.out')]
sys.exit(not ([e['job']['seq'] for e in ev]==[$first,$first+1,$first+2] and all(e['recovered'] for e in ev)))
" && ok "monitor --from replays kept records" || notok "monitor --from: $(cat /tmp/cli.out /tmp/cli.err)"
ktap_finished
