#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Drives xos_job with the kernel's own generic netlink client,
# tools/net/ynl/cli.py from linux-source-6.12, reading only
# spec/xos_job.yaml, and checks every answer against what the C library
# (xosjob --json) sees. Every do and dump operation is run, and the events
# group is subscribed to. TAP output; run as root in the guest by
# test_ynl.sh.
import json
import os
import signal
import subprocess
import sys
import time

ROOT = os.environ.get("XOS_ROOT") or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
SCHEMA = ["--schema", os.path.join(BUILD, "netlink-schema", "genetlink-c.yaml")]
# The spec is validated against the schema once (--list-ops) here and by
# make spec-check on the host; jsonschema costs seconds per call under TCG.
CLI = [sys.executable, os.path.join(BUILD, "ynl", "cli.py"),
       "--spec", os.path.join(ROOT, "spec", "xos_job.yaml"),
       "--output-json", "--no-schema"]
XOSJOB = os.path.join(BUILD, "userspace", "xosjob")

n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    if not cond:
        failed += 1
    print(f"{'ok' if cond else 'not ok'} {n} {what}", flush=True)
    return cond


def ynl(*args, check=True):
    p = subprocess.run(CLI + list(args), capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"cli.py {' '.join(args)}: {p.stdout}{p.stderr}")
    return p


def ynl_json(*args):
    out = ynl(*args).stdout.strip().splitlines()
    return json.loads(out[-1]) if out else None


def lib(*args):
    p = subprocess.run([XOSJOB] + list(args), capture_output=True, text=True,
                       check=True)
    return json.loads(p.stdout)


# YNL names (spec) -> the C library's JSON names, where not just - -> _
ALIASES = {
    "version": "protocol_version",
    "created-realtime": "created_realtime_ns",
    "created-boottime": "created_boottime_ns",
    "ended-realtime": "ended_realtime_ns",
    "ended-boottime": "ended_boottime_ns",
    "start-boottime": "start_boottime_ns",
    "anchor-start-boottime": "anchor_start_boottime_ns",
}


def differences(ynl_obj, lib_obj, path="", skip=()):
    """Every YNL attribute must be in the library's object, equal."""
    diffs = []
    compared = 0
    for key, val in ynl_obj.items():
        if key in skip:
            continue
        name = ALIASES.get(key, key.replace("-", "_"))
        if key == "flags":
            want = 0
            for f in val:
                want |= {"incomplete": 1, "killed": 2}[f]
            val = want
        if key == "delayacct":
            val = bool(val)
        if name not in lib_obj:
            diffs.append(f"{path}{key}: missing from the library's answer")
            continue
        if isinstance(val, dict):
            d, c = differences(val, lib_obj[name], f"{path}{key}.", skip)
            diffs += d
            compared += c
        elif val != lib_obj[name]:
            diffs.append(f"{path}{key}: ynl {val!r}, library {lib_obj[name]!r}")
        else:
            compared += 1
    return diffs, compared


def same(ynl_obj, lib_obj, what, skip=(), least=1):
    diffs, compared = differences(ynl_obj, lib_obj, skip=skip)
    for d in diffs:
        print(f"# {what}: {d}")
    return ok(not diffs and compared >= least,
              f"{what}: {compared} values agree with the C library")


def stopped_child():
    """A sleeping child, stopped so that its figures do not move."""
    pid = os.fork()
    if pid == 0:
        os.kill(os.getpid(), signal.SIGSTOP)
        while True:
            time.sleep(100)
    os.waitpid(pid, os.WUNTRACED)
    return pid


def main():
    print("1..16", flush=True)
    ops = ynl("--list-ops", *SCHEMA).stdout
    want = {"info": "do", "new": "do", "attach": "do", "get": "do",
            "list": "dump", "tasks": "dump", "kill": "do", "enter": "do"}
    listed = {line.split()[0]: line for line in ops.splitlines() if line}
    ok(all(op in listed and mode in listed[op] for op, mode in want.items()),
       f"cli.py lists every operation of the spec: {', '.join(sorted(listed))}")

    a, b = stopped_child(), stopped_child()
    made = ynl_json("--do", "new", "--json",
                    json.dumps({"label": "ynl-check", "pid": a}))
    job = made["id"] if made else 0
    ok(job > 0 and lib("id", "--json", str(a))["job"] == job,
       f"do new: job {job}, and the library finds pid {a} in it")
    att = ynl_json("--do", "attach", "--json", json.dumps({"id": job, "pid": b}))
    ok(att == {"id": job, "nr-attached": 1}
       and lib("id", "--json", str(b))["job"] == job,
       f"do attach: {att}")

    # The figures of stopped members do not move; only elapsed-ns does.
    live = ("elapsed-ns",)
    same(ynl_json("--do", "get", "--json", json.dumps({"id": job})),
         lib("get", "--json", str(job)), "do get by id", skip=live, least=30)
    same(ynl_json("--do", "get", "--json", json.dumps({"pid": b})),
         lib("get", "--json", str(job)), "do get by pid", skip=live, least=30)
    dumped = [j for j in ynl_json("--dump", "list") if j["id"] == job]
    libs = [j for j in lib("list", "--json") if j["id"] == job]
    ok(len(dumped) == 1 and len(libs) == 1, "dump list holds the job once")
    same(dumped[0], libs[0], "dump list", skip=live, least=30)
    tasks = ynl_json("--dump", "tasks", "--json", json.dumps({"id": job}))
    lib_tasks = lib("tasks", "--json", str(job))
    pids = [t["task"]["pid"] for t in tasks]
    ok(pids == [t["pid"] for t in lib_tasks] and sorted(pids) == sorted([a, b]),
       f"dump tasks: members {pids} in the library's order")
    diffs = 0
    for t, lt in zip(tasks, lib_tasks):
        d, _ = differences(t["task"], lt)
        diffs += len(d)
        for line in d:
            print(f"# task {lt['pid']}: {line}")
    ok(diffs == 0 and len(tasks) == 2, "dump tasks: every member's figures agree")

    # enter: cli.py itself joins the job (no cgroup move) and is told the anchor
    ent = ynl_json("--do", "enter", "--json",
                   json.dumps({"id": job, "no-cgroup": True}))
    g = lib("get", "--json", str(job))
    ok(ent and ent["id"] == job and ent["anchor-pid"] == g["anchor_pid"]
       and ent["owner-uid"] == 0 and g["procs_started"] == 3,
       f"do enter: {ent}; the job counted the entered client")

    info = ynl_json("--do", "info")
    linfo = lib("info", "--json")
    same(info, linfo, "do info", skip=("seq", "oldest-seq"), least=6)

    # events: cli.py subscribes, sleeps, then prints what it queued. Jobs are
    # created and ended until it is done, so some of them fall inside its
    # window however long Python takes to start under TCG.
    # (No --do in the same call: cli.py's _ops() of linux 6.12 fails when a
    # notification and the reply arrive in separate reads.)
    sub = subprocess.Popen(CLI + ["--subscribe", "events", "--sleep", "4"],
                           stdout=subprocess.PIPE, text=True)
    created = []
    while sub.poll() is None:
        child = stopped_child()
        made = lib("new", "--json", "--pid", str(child), "--label", "ynl-ntf")
        created.append(made["id"])
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        time.sleep(0.2)
    out = sub.stdout.read().strip().splitlines()
    queued = json.loads(out[-1]) if out else []
    news = [m["msg"] for m in queued if m["name"] == "created-ntf"]
    ends = [m["msg"] for m in queued if m["name"] == "ended-ntf"]
    ok(news and ends and all(m["id"] in created for m in news + ends),
       f"subscribe events: {len(news)} created-ntf and {len(ends)} ended-ntf "
       f"of {len(created)} jobs made meanwhile")
    seqs = [m["seq"] for m in ends]
    ring = {r["seq"]: r for r in lib("list", "--ended", "--json",
                                     "--from", str(min(seqs or [1])))}
    diffs = 0
    for m in ends:
        d, _ = differences(m, ring.get(m["seq"], {}))
        diffs += len(d)
        for line in d:
            print(f"# ended-ntf seq {m['seq']}: {line}")
    ok(ends and diffs == 0 and seqs == list(range(seqs[0], seqs[0] + len(seqs))),
       f"ended-ntf records {seqs[:1]}..{seqs[-1:]} are consecutive and equal "
       "the library's ring records")

    # kill, then the ended ring through a dump with attributes
    k = ynl_json("--do", "kill", "--json", json.dumps({"id": job, "signal": 9}))
    ok(k == {"id": job, "nr-signalled": 2, "nr-denied": 0}, f"do kill: {k}")
    for p in (a, b):
        os.waitpid(p, 0)
    rec = [r for r in lib("list", "--ended", "--json") if r["id"] == job]
    seq = rec[0]["seq"] if rec else 1
    dumped = ynl_json("--dump", "list", "--json",
                      json.dumps({"ended": True, "seq": seq}))
    diffs, compared = differences(dumped[0], rec[0]) if rec and dumped else ([], 0)
    for line in diffs:
        print(f"# dump list ended: {line}")
    ok(rec and dumped[0]["seq"] == seq and not diffs and compared >= 30,
       f"dump list with ended from seq {seq}: the job's final record first, "
       f"{compared} values agree with the C library")

    # the kernel's error reaches the generic client: message and attribute
    missing = job + 1000000
    bad = ynl("--do", "get", "--json", json.dumps({"id": missing}), check=False)
    print("# " + bad.stdout.strip().replace("\n", "\n# "))
    ok(bad.returncode != 0 and "no such job" in bad.stdout
       and "'bad-attr': '.id'" in bad.stdout,
       f"do get of job {missing}: extack 'no such job' naming .id")
    return failed


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
