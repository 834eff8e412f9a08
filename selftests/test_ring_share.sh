#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One user's flood of short jobs does not push other users' end-of-job
# records out of the ring: with ended_ring=32, uid 65534 ends far more
# jobs than that while root and uid 65533 end a few; every record of the
# latter stays readable by id (JOB_GET) and in LIST --ended, the flood keeps
# only its newest records, INFO's oldest-seq is the oldest record kept, and
# a collector resuming after a record that was dropped out of order goes on
# (no "sequence restarted", no record written twice).
#
# xos-timeout: 400
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
KO=$ROOT/build/$(uname -r)/xos_job.ko
RING=32
ktap_print_header
ktap_set_plan 9

reload() {
	for _ in 1 2 3 4 5; do
		rmmod xos_job 2>/dev/null && break
		grep -q '^xos_job ' /proc/modules || break
		sleep 1
	done
	insmod "$KO" "$@"
}
reload ended_ring=$RING || { echo "Bail out! insmod ended_ring=$RING failed"; exit 1; }
trap 'reload' EXIT

# one_job UID LABEL: ends a job of UID, prints its id
one_job() {
	setpriv --reuid="$1" --regid="$1" --clear-groups \
		xosjob run -l "$2" -- sh -c 'echo $XOS_JOB_ID'
}
# flood COUNT: uid 65534 ends COUNT jobs in a row
flood() {
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c \
		'i=0; while [ $i -lt '"$1"' ]; do xosjob run -l flood -- true || exit 1; i=$((i + 1)); done'
}

others=""
for l in b1 b2; do others="$others $(one_job 0 $l)"; done
others="$others $(one_job 65533 c1)"
flood 40
others="$others $(one_job 0 b3)"
flood 40
others="$others $(one_job 65533 c2)"
flood 40
echo "# root's and uid 65533's jobs:$others"

missing=""
for id in $others; do
	xosjob get --json "$id" >/tmp/r.get 2>/tmp/r.err &&
		grep -q "\"ended\":true" /tmp/r.get || missing="$missing $id($(cat /tmp/r.err))"
done
check "every record of root and uid 65533 readable by id after 120 jobs of uid 65534 in a ring of $RING:${missing:- all}" '[ -z "$missing" ]'

xosjob list --ended --json >/tmp/r.ring
python3 - "$RING" "$others" >/tmp/r.py 2>&1 <<'PY'
import json, sys
ring = json.load(open("/tmp/r.ring"))
size, others = int(sys.argv[1]), [int(i) for i in sys.argv[2].split()]
seqs = [r["seq"] for r in ring]
ids = {r["id"] for r in ring}
flood = [r for r in ring if r["owner_uid"] == 65534]
print("kept", len(ring), "flood", len(flood),
      "others listed", sum(i in ids for i in others))
print("ordered", seqs == sorted(seqs) and len(set(seqs)) == len(seqs))
last = max(seqs)
# the flood ended last: its kept records are its newest, gap-free at the top
print("flood newest", [r["seq"] for r in flood] ==
      list(range(last - len(flood) + 1, last + 1)))
print("oldest", min(seqs))
PY
cat /tmp/r.py | sed 's/^/# /'
check "LIST --ended: the ring is full, 5 records of the others and the flood's rest" \
	"grep -q 'kept $RING flood $((RING - 5)) others listed 5' /tmp/r.py"
check "LIST --ended: records in sequence order, once each" 'grep -q "ordered True" /tmp/r.py'
check "the flood lost its own oldest records, kept its newest" 'grep -q "flood newest True" /tmp/r.py'
oldest=$(sed -n 's/^oldest //p' /tmp/r.py)
info_oldest=$(xosjob info --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["oldest_seq"])')
check "INFO oldest-seq is the oldest record kept ($info_oldest, listed $oldest)" '[ "$info_oldest" = "$oldest" ]'

# LIST --ended --from a number that was dropped: the next kept one on
from=$((oldest + 5))
got=$(xosjob list --ended --json --from "$from" |
	python3 -c 'import json,sys; r=json.load(sys.stdin); print(min(x["seq"] for x in r) if r else 0)')
want=$(python3 -c "import json; print(min(r['seq'] for r in json.load(open('/tmp/r.ring')) if r['seq'] >= $from))")
check "LIST --ended --from $from (dropped) starts at the next kept record, $want (got $got)" '[ "$got" = "$want" ]'

# the collector: the gaps are lost records, reported; a restart after its
# last record was dropped out of order goes on after it
out=/run/xos-ring-collect
rm -rf "$out"
xosjob collect --once --output "$out" >/dev/null 2>/tmp/r.col1
c1=$?
last1=$(cat "$out/last-seq" 2>/dev/null)
flood 40
xosjob collect --once --output "$out" >/dev/null 2>/tmp/r.col2
sed 's/^/# collect 1: /' /tmp/r.col1 | head -5
sed 's/^/# collect 2: /' /tmp/r.col2 | head -5
check "collect --once reports the dropped records as lost (exit $c1)" '[ $c1 = 1 ] && grep -q "lost" /tmp/r.col1'
check "a collector resuming after record $last1, dropped since, goes on after it" '! grep -q "restarted" /tmp/r.col2'
python3 - "$out" "$others" >/tmp/r.py2 2>&1 <<'PY'
import glob, json, sys
recs = [json.loads(l) for f in glob.glob(sys.argv[1] + "/jobs-*.jsonl")
        for l in open(f)]
seqs = [r["seq"] for r in recs]
others = [int(i) for i in sys.argv[2].split()]
ids = [r["id"] for r in recs]
print("dups", len(seqs) - len(set(seqs)),
      "others", sum(ids.count(i) == 1 for i in others))
PY
cat /tmp/r.py2 | sed 's/^/# /'
check "the collected files hold each record once, the others' all" 'grep -q "dups 0 others 5" /tmp/r.py2'
ktap_finished
