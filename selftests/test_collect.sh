#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xosjob collect: killed with SIGKILL again and again while 500 jobs end,
# and restarted each time, it must still hold every end-of-job record
# exactly once, equal to the kernel's; a half-written line is repaired; a
# reloaded module's new sequence is noticed; the Prometheus file passes
# promtool and carries the live jobs' figures and labels.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
KO=$ROOT/build/$(uname -r)/xos_job.ko
out=/run/xos-collect
prom=/run/xos-collect.prom
rm -rf "$out" "$prom"
ktap_print_header
ktap_set_plan 14

# --- usage and refusals
xosjob collect >/dev/null 2>/tmp/c.err
check "no --output: usage error" '[ $? = 2 ] && grep -q "output DIR is required" /tmp/c.err'
xosjob collect --output "$out" --interval 0 --prometheus "$prom" >/dev/null 2>/tmp/c.err
check "--interval 0: usage error" '[ $? = 2 ] && grep -q "interval" /tmp/c.err'
setpriv --reuid=65534 --regid=65534 --clear-groups xosjob collect --output /tmp/c.nobody >/dev/null 2>/tmp/c.err
rc=$?
check "a user is refused: $(cat /tmp/c.err)" '[ $rc = 1 ] && grep -q "CAP_SYS_ADMIN" /tmp/c.err'

start_collector() {
	xosjob collect --output "$out" --prometheus "$prom" --interval 1 \
		>>/tmp/c.log 2>>/tmp/c.errlog &
	col=$!
	# it is subscribed once it printed its first line
	for _ in $(seq "$(xpolls 200)"); do
		[ "$(grep -c '^collecting' /tmp/c.log)" -gt "$starts" ] && break
		sleep 0.05
	done
	starts=$((starts + 1))
}
starts=0
: >/tmp/c.log
: >/tmp/c.errlog
start_collector
xosjob collect --output "$out" >/dev/null 2>/tmp/c.err
check "a second collector on the same directory is refused" '[ $? = 1 ] && grep -q "another collector" /tmp/c.err'

# --- 500 jobs end in 4 streams while the collector is killed -9 and restarted
gen() {
	for i in $(seq "$1" 4 500); do
		xosjob run --label "collect-$i" -- true || echo "gen: job $i failed" >&2
	done
}
for s in 1 2 3 4; do gen $s & done
t0=$SECONDS
kills=0
while [ "$(jobs -r | wc -l)" -gt 1 ]; do
	sleep "0.$((RANDOM % 9 + 1))"
	kill -9 "$col" 2>/dev/null && kills=$((kills + 1))
	wait "$col" 2>/dev/null
	start_collector
done
wait_gen() { local p; for p in $(jobs -p); do [ "$p" = "$col" ] || wait "$p"; done; }
wait_gen
last=$(xosjob info --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_seq"])')
for _ in $(seq "$(xpolls 600)"); do
	[ "$(cat "$out/last-seq" 2>/dev/null)" = "$last" ] && break
	sleep 0.1
done
check "the collector caught up: last-seq $(cat "$out/last-seq" 2>/dev/null), kernel $last, after $kills kill -9 in $((SECONDS - t0)) s" \
	'[ "$(cat "$out/last-seq" 2>/dev/null)" = "$last" ]'

# a live job with a hostile label, for the Prometheus file
label=$(printf 'we"ird\\la\nbel \xff end')
xosjob run --label "$label" -- sleep 300 &
weird=$!
xosjob run --label prom-two -- sh -c 'sleep 300 & sleep 300 & wait' &
two=$!
weird_id=$(job_of_pid $weird)
two_id=$(job_of_pid $two)
for _ in $(seq "$(xpolls 50)"); do
	[ "$(xosjob get --json "$two_id" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["nr_tasks"])')" = 3 ] && break
	sleep 0.1
done
xsleep 2.5	# two rewrites at --interval 1
kill -TERM "$col"
wait "$col"
rc=$?
check "SIGTERM: the collector flushed and exited 0 (exit $rc)" '[ $rc = 0 ]'

xosjob list --ended --json >/tmp/c.ring
verify() {	# verify EXPECTED_IDS_PATTERN: every record once, equal to the kernel's
	python3 - "$out" /tmp/c.ring "$1" <<'PY'
import glob, json, re, sys
out, ring_file, pattern = sys.argv[1:]
ring = {r["seq"]: r for r in json.load(open(ring_file))}
recs = []
for f in sorted(glob.glob(out + "/jobs-*.jsonl")):
    data = open(f, "rb").read()
    if data and not data.endswith(b"\n"):
        sys.exit(f"{f}: ends with a partial line")
    for line in data.decode().splitlines():
        recs.append(json.loads(line))
seqs = [r["seq"] for r in recs]
dups = len(seqs) - len(set(seqs))
lo, hi = min(ring), max(ring)
# the ring may have dropped the oldest records since: compare what it holds
missing = [s for s in range(lo, hi + 1) if s not in set(seqs)]
differ = [r["seq"] for r in recs if r["seq"] in ring and ring[r["seq"]] != r]
labels = [r["label"] for r in recs if r["label"] and re.fullmatch(pattern, r["label"])]
print(f"# {len(recs)} records in {len(glob.glob(out + '/jobs-*.jsonl'))} file(s), "
      f"seq {min(seqs)}..{max(seqs)}; duplicates {dups}, missing {len(missing)}, "
      f"differing from the kernel {len(differ)}, labels matching {len(labels)}")
if dups or missing or differ or len(labels) != len(set(labels)):
    sys.exit(1)
print(len(set(labels)))
PY
}
res=$(verify 'collect-[0-9]+')
echo "$res" | grep '^#'
check "after $kills kill -9: all 500 jobs recorded exactly once, every record equal to the kernel's, no gap" \
	'[ "$(echo "$res" | tail -1)" = 500 ]'
check "no record reported lost" '! grep -q "lost" /tmp/c.errlog'

# --- Prometheus textfile
promtool check metrics <"$prom" >/tmp/c.prom 2>&1
rc=$?
check "promtool check metrics accepts $prom ($(grep -c '^xos_job' "$prom") samples) $(cat /tmp/c.prom)" '[ $rc = 0 ]'
check "no temporary file left next to it" '[ ! -e "$prom.tmp" ]'
python3 - "$prom" "$label" <<'PY' >/tmp/c.py 2>&1
import json, re, subprocess, sys
prom = sys.argv[1]
sample = re.compile(r'^([a-z_]+)\{((?:[a-z_]+="(?:[^"\\\n]|\\[\\"n])*",?)*)\} (\S+)$')
pair = re.compile(r'([a-z_]+)="((?:[^"\\\n]|\\[\\"n])*)"')
jobs = {}
for line in open(prom, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("#") or re.match(r"^[a-z_]+ \S+$", line):
        continue
    m = sample.match(line)
    if not m:
        sys.exit(f"bad line: {line!r}")
    labels = {k: re.sub(r'\\(.)', lambda x: {"n": "\n"}.get(x[1], x[1]), v)
              for k, v in pair.findall(m[2])}
    if "job_id" not in labels:
        # the collector's own series (xos_job_collector_ended_total{state})
        continue
    sub = labels.get("state", labels.get("mode", labels.get("type", labels.get("direction", ""))))
    jobs.setdefault(labels["job_id"], {})[(m[1], sub)] = (labels["job_label"], float(m[3]), m[3])
live = json.loads(subprocess.run(["xosjob", "list", "--json"], capture_output=True).stdout)
seen = 0
for j in live:
    if not (j["label"] == "prom-two" or j["label"].startswith('we"ird')):
        continue
    got = jobs.get(str(j["id"]))
    if not got:
        sys.exit(f"job {j['id']} missing")
    lab, tasks, _ = got[("xos_job_tasks", "")]
    if lab != j["label"] or tasks != j["nr_tasks"] or got[("xos_job_info", "")][1] != 1:
        sys.exit(f"job {j['id']}: label {lab!r} tasks {tasks}, want {j['label']!r} {j['nr_tasks']}")
    # its members sleep: every figure, as written, is the kernel's now
    k = json.loads(subprocess.run(["xosjob", "get", "--json", str(j["id"])],
                                  capture_output=True).stdout)
    st = k["stats"]
    ns = lambda v: f"{v // 10**9}.{v % 10**9:09d}"
    ms = (k["created_realtime_ns"] + 500000) // 10**6
    want = {
        ("xos_job_start_time_seconds", ""): f"{ms // 1000}.{ms % 1000:03d}",
        ("xos_job_processes", ""): str(k["nr_procs"]),
        ("xos_job_tasks_started_total", ""): str(k["tasks_started"]),
        ("xos_job_tasks_exited_total", ""): str(k["tasks_exited"]),
        ("xos_job_cpu_seconds_total", "user"): ns(st["utime_ns"]),
        ("xos_job_cpu_seconds_total", "system"): ns(st["stime_ns"]),
        ("xos_job_run_seconds_total", ""): ns(st["runtime_ns"]),
        ("xos_job_page_faults_total", "minor"): str(st["minflt"]),
        ("xos_job_page_faults_total", "major"): str(st["majflt"]),
        ("xos_job_context_switches_total", "voluntary"): str(st["nvcsw"]),
        ("xos_job_context_switches_total", "involuntary"): str(st["nivcsw"]),
        ("xos_job_io_bytes_total", "read"): str(st["rchar"]),
        ("xos_job_io_bytes_total", "write"): str(st["wchar"]),
        ("xos_job_storage_bytes_total", "read"): str(st["read_bytes"]),
        ("xos_job_storage_bytes_total", "write"): str(st["write_bytes"]),
        ("xos_job_memory_peak_rss_bytes", ""): str(st["hiwater_rss_kb"] * 1024),
        ("xos_job_oom_kills_total", ""): str(k["nr_oom_killed"]),
        ("xos_job_frozen", ""): "0",
    }
    for state, v in k.get("states", {}).items():
        want[("xos_job_state_tasks", state)] = str(v)
    bad = [f"{n}{{{sub}}} {got.get((n, sub), ('', '', 'missing'))[2]} != {v}"
           for (n, sub), v in want.items() if got.get((n, sub), ("", "", ""))[2] != v]
    if bad:
        sys.exit(f"job {j['id']}: " + "; ".join(bad))
    seen += 1
print(f"{seen} live jobs with their labels, task counts and every figure")
sys.exit(seen != 2)
PY
rc=$?
check "the file holds the live jobs, labels escaped and read back intact, every figure the kernel's: $(cat /tmp/c.py)" '[ $rc = 0 ]'
# both end, and their records are in the ring, before the next collection
xosjob kill -s KILL "$weird_id" >/dev/null
xosjob kill -s KILL "$two_id" >/dev/null
wait "$weird" "$two" 2>/dev/null
for _ in $(seq "$(xpolls 50)"); do
	[ "$(xosjob list --json | python3 -c "import json,sys; print(sum(j['id'] in ($weird_id, $two_id) for j in json.load(sys.stdin)))")" = 0 ] && break
	sleep 0.1
done

# --- a crash in the middle of a line: the line is dropped and written again
newest=$(ls "$out"/jobs-*.jsonl | tail -1)
printf '{"id":424242,"label":"half a li' >>"$newest"
for i in 1 2 3; do xosjob run --label "after-crash-$i" -- true; done
xosjob collect --output "$out" --once >/dev/null 2>/tmp/c.err
rc=$?
xosjob list --ended --json >/tmp/c.ring
res=$(verify 'after-crash-[0-9]')
echo "$res" | grep '^#'
check "a partial last line is dropped, the records after it written once" \
	'[ $rc = 0 ] && grep -q "partial last line" /tmp/c.err && [ "$(echo "$res" | tail -1)" = 3 ]'

# --- the module is reloaded: sequence numbers restart, noticed by the collector
before=$(cat "$out"/jobs-*.jsonl | wc -l)
if rmmod xos_job && insmod "$KO"; then
	for i in 1 2; do xosjob run --label "reloaded-$i" -- true; done
	xosjob collect --output "$out" --once >/tmp/c.log2 2>/tmp/c.err
	rc=$?
	after=$(cat "$out"/jobs-*.jsonl | wc -l)
	new=$(cat "$out"/jobs-*.jsonl | grep -c '"label":"reloaded-')
	check "after a module reload the new sequence is collected from its record 1 ($((after - before)) new lines, last-seq $(cat "$out/last-seq"))" \
		'[ $rc = 0 ] && grep -q "sequence restarted" /tmp/c.err && [ $((after - before)) = 2 ] && [ "$(cat "$out/last-seq")" = 2 ]'
else
	notok "could not reload the module"
fi
check "both jobs of the new series are in the files, once" '[ "${new:-0}" = 2 ]'
rm -rf "$out" "$prom"
ktap_finished
