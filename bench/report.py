#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns the JSON lines of bench/guest.sh into bench/results.json and a
Markdown table (stdout, and optionally bench/README.md
between the "bench:begin" and "bench:end" markers).

    report.py [--out FILE] [--readme FILE] [--check] bench.jsonl[.gz]...

Every ratio is taken against a baseline measured in the same boot: path
overhead per round against the module-unloaded run of that round, query
costs per repetition against TASKSTATS_CMD_GET. --check only validates the
input (used by the smoke test) and fails on anything malformed."""
import argparse
import datetime
import gzip
import json
import statistics
import sys

OPS = ("fork", "exec", "thread")
OP_NAMES = {"fork": "fork+exit+wait", "exec": "fork+exec+wait",
            "thread": "pthread create+join"}
METHODS = ("taskstats_get", "job_get", "job_get_lib", "proc_scan",
           "cgroup_read")
PAGE = 4096
SCRAPE_METHODS = ("cli_scrape", "cli_noscrape", "cgroup_read", "job_list",
                  "cgroup_cmd")
BIG_OPS = ("kill_sig0", "kill_sigcont", "kill_sigusr1", "tasks_dump",
           "tasks_dump_lib", "job_get")


def stats(vals):
    vals = sorted(vals)
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": vals[0],
            "max": vals[-1], "n": len(vals)}


def load(files):
    recs = []
    for f in files:
        with (gzip.open(f, "rt") if f.endswith(".gz") else open(f)) as fh:
            for i, line in enumerate(fh, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    recs.append(json.loads(line))
                except ValueError as e:
                    sys.exit("report.py: %s:%d: bad JSON: %s" % (f, i, e))
    return recs


def by_mode_op_round(recs):
    """(mode, {op: {round: {setup: record}}}) for each mode, in order."""
    for mode in sorted({r["mode"] for r in recs}):
        by = {}
        for r in recs:
            if r["mode"] == mode:
                by.setdefault(r["op"], {}).setdefault(r["round"], {})[
                    r["setup"]] = r
        yield mode, by


def path_section(recs):
    """Per mode and op: the cost of each setup and its ratio to the
    unloaded run of the same round."""
    out = {}
    for mode, by in by_mode_op_round(recs):
        m = {}
        for op, rounds in by.items():
            o = {}
            for setup in ("unloaded", "outside", "inside"):
                o[setup] = stats([x[setup]["mean_ns"] for x in rounds.values()
                                  if setup in x])
                o[setup + "_per_op_median"] = stats(
                    [x[setup]["median_ns"] for x in rounds.values()
                     if setup in x])
            for setup in ("outside", "inside"):
                for key, field in (("", "mean_ns"), ("_per_op_median",
                                                      "median_ns")):
                    ratios = [x[setup][field] / x["unloaded"][field]
                              for x in rounds.values()
                              if setup in x and "unloaded" in x]
                    o["ratio_" + setup + key] = stats(ratios)
            m[op] = o
        out[mode] = m
    return out


def enforce_section(recs):
    """Per mode and op: a job with enforced limits against one without,
    the ratio of the two in each round."""
    out = {}
    for mode, by in by_mode_op_round(recs):
        m = {}
        for op, rounds in by.items():
            both = [x for x in rounds.values() if "job" in x and
                    "limited" in x]
            m[op] = {
                "job": stats([x["job"]["mean_ns"] for x in both]),
                "limited": stats([x["limited"]["mean_ns"] for x in both]),
                "ratio": stats([x["limited"]["mean_ns"] / x["job"]["mean_ns"]
                                for x in both]),
                "ratio_per_op_median": stats(
                    [x["limited"]["median_ns"] / x["job"]["median_ns"]
                     for x in both]),
            }
        out[mode] = m
    return out


def probe_section(recs):
    out = {}
    for r in recs:
        out.setdefault(r["setup"], {}).setdefault(r["func"], []).append(
            r["ns"])
    res = {}
    for setup, funcs in out.items():
        res[setup] = {}
        for f, v in funcs.items():
            v = sorted(v)
            res[setup][f] = {"median": statistics.median(v), "min": v[0],
                             "p90": v[int(len(v) * 0.9)], "n": len(v)}
    return res


def query_section(recs, env):
    out = {}
    for mode in sorted({r["mode"] for r in recs}):
        by = {}
        for r in recs:
            if r["mode"] == mode:
                by.setdefault(r["members"], {}).setdefault(r["rep"], {})[
                    r["method"]] = r["ns"]
        m = {}
        for n, reps in sorted(by.items()):
            o = {meth: stats([x[meth] for x in reps.values() if meth in x])
                 for meth in METHODS}
            def ratio(a, b):
                return stats([x[a] / x[b] for x in reps.values()
                              if a in x and b in x])
            o["ratio_job_get_vs_taskstats"] = ratio("job_get", "taskstats_get")
            o["ratio_job_get_lib_vs_taskstats"] = ratio("job_get_lib",
                                                        "taskstats_get")
            o["ratio_proc_scan_vs_job_get"] = ratio("proc_scan", "job_get")
            o["ratio_cgroup_read_vs_job_get"] = ratio("cgroup_read", "job_get")
            e = [x for x in env if x["mode"] == mode and x["members"] == n]
            if e:
                o["cgroup_files"] = {k: e[0][k] for k in
                                     ("cpu_stat", "memory_peak", "io_stat")}
            m[str(n)] = o
        out[mode] = m
    return out


def events_section(recs):
    out = {}
    for r in recs:
        lost = 2 * r["count"] - r["created_seen"] - r["ended_seen"]
        run = {k: r[k] for k in ("count", "target_rate", "rate",
                                 "created_seen", "ended_seen", "enobufs",
                                 "seq_gaps", "rcvbuf_bytes")}
        run["lost"] = lost + r["seq_gaps"]
        run["lossless"] = run["lost"] == 0 and r["enobufs"] == 0
        run["records_buffered"] = r["created_seen"] + r["ended_seen"]
        key = "%s, %s buffer, %s" % (
            r["mode"], "default" if r["rcvbuf"] == 0 else
            "%d MiB" % (r["rcvbuf"] >> 20),
            "listener stopped while %d jobs come and go" % r["count"]
            if r.get("stall") else "listener at nice %d" % r["listener_nice"])
        out.setdefault(key, {"runs": []})["runs"].append(run)
    for v in out.values():
        ok = [x["rate"] for x in v["runs"] if x["lossless"]]
        v["max_lossless_rate"] = max(ok) if ok else 0
        v["max_rate"] = max(x["rate"] for x in v["runs"])
        v["any_loss"] = any(not x["lossless"] for x in v["runs"])
        v["rcvbuf_bytes"] = v["runs"][0]["rcvbuf_bytes"]
        v["records_buffered"] = min(x["records_buffered"] for x in v["runs"])
    return out


def slab_bytes(s):
    # [active objects, object size, slabs, pages per slab]
    return s[2] * s[3] * PAGE


def mem_section(recs, infos):
    """The module's kernel memory: the same population created outside any
    job and in jobs; the difference in the module's slab caches. xos_task
    is the module's own cache; a job is a kmalloc-1k object (struct
    xos_job, 560 bytes), a kmalloc-512 (its end-of-job record, 480) and a
    kmalloc-256 (the first member's starting figures, struct xos_acct): those
    caches are the ones counted per job. Other caches move by the noise of
    creating the population twice and are kept in caches_changed only."""
    runs = {}
    for r in recs:
        runs.setdefault((r["jobs"], r["tasks_per_job"], r["in_job"]), {})[
            r["phase"]] = r
    res = {}
    for (jobs, tasks, in_job), a in runs.items():
        if in_job or (jobs, tasks, True) not in runs:
            continue
        b = runs[(jobs, tasks, True)]

        def delta(run, name):
            p = run["populated"]["slabs"].get(name)
            q = run["before"]["slabs"].get(name)
            if p is None or q is None:
                return 0, 0
            return slab_bytes(p) - slab_bytes(q), p[0] - q[0]

        caches = {}
        for name in set(a["populated"]["slabs"]) | set(b["populated"]["slabs"]):
            db, do = delta(b, name)
            da, dao = delta(a, name)
            if abs(db - da) >= 64 * 1024 or name == "xos_task" or \
                    name in ("kmalloc-256", "kmalloc-512"):
                caches[name] = {"bytes": db - da, "objects": do - dao}
        ntasks = jobs * tasks
        xt = b["populated"]["slabs"].get("xos_task")
        # bytes of slab per object: slab size / objects per slab
        per_obj = lambda s: s[3] * PAGE / (s[3] * PAGE // s[1])
        k1k = b["populated"]["slabs"].get("kmalloc-1k")
        k512 = b["populated"]["slabs"].get("kmalloc-512")
        k256 = b["populated"]["slabs"].get("kmalloc-256")
        # jobs of earlier parts may still be ending (a slow debug kernel)
        info = [i for i in infos if i["in_job"] and i["nr_jobs"] >= jobs]
        res["%dx%d" % (jobs, tasks)] = {
            "jobs": jobs, "tasks_per_job": tasks, "tasks": ntasks,
            "module_reported_tasks": max([i["nr_tasks"] for i in info] or [0]),
            "xos_task_object_size": xt[1] if xt else None,
            "xos_task_bytes_per_object": per_obj(xt) if xt else None,
            "xos_task_objects_added": caches["xos_task"]["objects"],
            "xos_task_slab_bytes_added": caches["xos_task"]["bytes"],
            "kmalloc1k_per_job": caches.get("kmalloc-1k", {}).get(
                "objects", 0) / jobs,
            "kmalloc512_per_job": caches["kmalloc-512"]["objects"] / jobs,
            "kmalloc256_per_job": caches["kmalloc-256"]["objects"] / jobs,
            "bytes_per_task": per_obj(xt) if xt else 0,
            # struct xos_job (kmalloc-1k since it passed 512 bytes), its
            # record (kmalloc-512) and the first member's starting figures
            "bytes_per_job": per_obj(k1k) + per_obj(k512) + per_obj(k256)
            if k1k and k512 and k256 else 0,
            "caches_changed": caches,
        }
    if res:
        v = max(res.values(), key=lambda v: v["tasks"])
        res["extrapolated"] = {
            "tasks": 100000, "jobs": 10000,
            "bytes_per_task": v["bytes_per_task"],
            "bytes_per_job": v["bytes_per_job"],
            "bytes": 100000 * v["bytes_per_task"] +
            10000 * v["bytes_per_job"],
            # rhashtable: 8-byte buckets, grown past 75% load: 262,144
            # buckets for 100,000 tasks (page allocator, not in slabinfo)
            "hash_table_bytes": 262144 * 8}
    return res


def bigjob_section(recs, env):
    """JOB_KILL, the TASKS dump and JOB_GET of one big job: per mode and
    population, the median over repetitions of each operation."""
    out = {}
    for r in recs:
        key = "%dx%d%s" % (r["procs"], r["threads"], ", leaders exited"
                           if r["leaders_exited"] else "")
        o = out.setdefault(r["mode"], {}).setdefault(key, {
            "procs": r["procs"], "threads": r["threads"],
            "tasks": r["tasks"], "leaders_exited": r["leaders_exited"],
            "samples": {}})
        o["samples"].setdefault(r["op"], []).append(r)
    for mode, m in out.items():
        for key, o in m.items():
            s = o.pop("samples")
            for op, v in s.items():
                o[op] = stats([x["ns"] for x in v])
                o[op]["per_task"] = o[op]["median"] / o["tasks"]
                o[op]["interrupted"] = sum(x["interrupted"] for x in v)
                if "fork_max_ns" in v[0]:
                    o[op]["fork_max"] = stats([x["fork_max_ns"] for x in v])
                    o[op]["forks"] = sum(x["forks"] for x in v)
            e = [x for x in env if x["mode"] == mode and
                 x["procs"] == o["procs"] and x["threads"] == o["threads"]
                 and x["leaders_exited"] == o["leaders_exited"]]
            if e:
                o["setup_ns"] = e[0]["setup_ns"]
    return out


def lockwait_section(recs):
    """The longest fork() of a member while another process queried its
    job in a loop (job_get_loop) or ran INFO round trips, which take no
    job lock, for as long (info_loop): per job size, the median over
    repetitions of each window's maximum, and the ratio of the two."""
    out = {}
    for r in recs:
        o = out.setdefault(str(r["tasks"]), {"tasks": r["tasks"],
                                             "samples": {}})
        o["samples"].setdefault(r["op"], []).append(r)
    for o in out.values():
        s = o.pop("samples")
        for op, v in s.items():
            o[op] = {"fork_max": stats([x["fork_max_ns"] for x in v]),
                     "forks": sum(x["forks"] for x in v),
                     "window": stats([x["ns"] for x in v])}
        if "job_get_loop" in o and "info_loop" in o:
            o["ratio"] = (o["job_get_loop"]["fork_max"]["median"] /
                          max(o["info_loop"]["fork_max"]["median"], 1))
    return out


def scrape_section(recs, env):
    """One node-wide scrape: per mode and population, each method over the
    repetitions, and the scrape alone: xosjob collect --prometheus --once
    less the same command without --prometheus (process start, netlink
    setup and the ring read cancel out), against the in-process read of
    the jobs' cgroup files. Whole commands now and then take millions of
    instructions more (most likely the guest clock jumping over an idle
    wait under -icount sleep=off), so the difference is taken between
    medians, and between minima (an undisturbed run of each), not
    repetition by repetition."""
    out = {}
    for e in env:
        key = "%dx%dx%d" % (e["jobs"], e["procs"], e["threads"])
        out.setdefault(e["mode"], {})[key] = {
            x: e[x] for x in ("jobs", "procs", "threads", "tasks", "setup_ns",
                              "memory_file", "prom_bytes")}
    for mode, m in out.items():
        for o in m.values():
            rs = [r for r in recs if r["mode"] == mode and
                  r["jobs"] == o["jobs"] and r["tasks"] == o["tasks"]]
            for meth in SCRAPE_METHODS:
                o[meth] = stats([r["ns"] for r in rs if r["method"] == meth])
            if not all(o[meth] for meth in SCRAPE_METHODS):
                continue
            cli, base, cg = o["cli_scrape"], o["cli_noscrape"], \
                o["cgroup_read"]
            o["scrape"] = {"median": cli["median"] - base["median"],
                           "from_minima": cli["min"] - base["min"]}
            o["ratio_scrape_vs_cgroup"] = {
                "median": o["scrape"]["median"] / cg["median"],
                "from_minima": o["scrape"]["from_minima"] / cg["min"]}
            o["ratio_job_list_vs_cgroup"] = (o["job_list"]["median"] /
                                             cg["median"])
            o["ratio_cli_vs_cgroup_cmd"] = (cli["median"] /
                                            o["cgroup_cmd"]["median"])
            o["scrape_per_job"] = o["scrape"]["median"] / o["jobs"]
            o["cgroup_read_per_job"] = cg["median"] / o["jobs"]
    return out


def targets(kr):
    """The issue's targets against the icount figures."""
    t = []
    p = kr["path"].get("icount", {})
    for op in OPS:
        o = p.get(op)
        if not o:
            continue
        for setup, lim in (("outside", 1.005), ("inside", 1.02)):
            r = o.get("ratio_" + setup)
            m = o.get("ratio_" + setup + "_per_op_median")
            if r:
                t.append({"target": "%s, caller %s a job: overhead <= %.1f%%"
                          % (OP_NAMES[op], setup, (lim - 1) * 100),
                          "value": "%+.2f%% (max %+.2f%%); per-op median "
                          "%+.2f%%" % ((r["median"] - 1) * 100,
                                       (r["max"] - 1) * 100,
                                       (m["median"] - 1) * 100),
                          "met": r["median"] <= lim})
    q = kr["query"].get("icount", {})
    if "1" in q and q["1"]["ratio_job_get_vs_taskstats"]:
        r = q["1"]["ratio_job_get_vs_taskstats"]["median"]
        t.append({"target": "1-member JOB_GET <= 1.5x TASKSTATS_CMD_GET",
                  "value": "%.2fx" % r, "met": r <= 1.5})
    if "1000" in q and q["1000"]["ratio_proc_scan_vs_job_get"]:
        r = q["1000"]["ratio_proc_scan_vs_job_get"]["median"]
        t.append({"target": "1,000 members: JOB_GET >= 20x cheaper than the "
                  "/proc scan", "value": "%.1fx" % r, "met": r >= 20})
    for key, o in sorted(kr.get("scrape", {}).get("icount", {}).items()):
        r = o.get("ratio_scrape_vs_cgroup")
        if r:
            t.append({"target": "node-wide scrape (%d jobs x %d tasks): "
                      "xosjob collect --prometheus <= 2x reading the jobs' "
                      "cgroup files" % (o["jobs"], o["tasks"] // o["jobs"]),
                      "value": "%.2fx" % r["median"],
                      "met": r["median"] <= 2})
    for key, v in sorted(kr["events"].items()):
        if key.startswith("icount") and "stopped" not in key:
            lossy = [x["rate"] for x in v["runs"] if not x["lossless"]]
            t.append({"target": "events: largest rate without a lost record "
                      "(%s)" % key[8:],
                      "value": "%.0f/s%s" % (
                          v["max_lossless_rate"],
                          "; records lost at %.0f/s" % min(lossy) if lossy
                          else " (the highest the CPU allowed)"),
                      "met": None})
    return t


def fmt_ns(v):
    if v >= 1e6:
        return "%.2f M" % (v / 1e6)
    if v >= 1e3:
        return "%.1f k" % (v / 1e3)
    return "%.0f" % v


def rng(s, f="%.4f"):
    if not s:
        return "-"
    return (f + " (" + f + "-" + f + ")") % (s["median"], s["min"], s["max"])


def pct(s):
    if not s:
        return "-"
    return "%+.2f%% (%+.2f..%+.2f)" % ((s["median"] - 1) * 100,
                                        (s["min"] - 1) * 100,
                                        (s["max"] - 1) * 100)


def table(res):
    L = []
    for k, kr in res["kernels"].items():
        L.append("#### Kernel %s\n" % k)
        if kr.get("targets"):
            L.append("| Target (icount figures) | measured | met |")
            L.append("|---|---|---|")
            for x in kr["targets"]:
                L.append("| %s | %s | %s |" % (
                    x["target"], x["value"], "-" if x["met"] is None else
                    "yes" if x["met"] else "**no**"))
            L.append("")
        p = kr.get("path", {})
        if p:
            L.append("Path overhead: median over rounds of the per-round "
                     "ratio to the module-unloaded run of the same round "
                     "(min..max). icount: instructions, immune to host load; "
                     "wall: plain TCG time, changes with host load.\n")
            L.append("| Operation | mode | unloaded, per op | loaded, caller "
                     "outside a job | loaded, caller inside a job | rounds |")
            L.append("|---|---|---|---|---|---|")
            for mode in sorted(p):
                for op in OPS:
                    o = p.get(mode, {}).get(op)
                    if not o or not o["unloaded"]:
                        continue
                    unit = "ns" if mode == "wall" else "instr"
                    L.append("| %s | %s | %s %s | %s | %s | %d |" % (
                        OP_NAMES[op], mode, fmt_ns(o["unloaded"]["median"]),
                        unit, pct(o["ratio_outside"]), pct(o["ratio_inside"]),
                        o["unloaded"]["n"]))
            L.append("")
        pr = kr.get("probe")
        if pr:
            L.append("Probe cost (function_graph duration of the probe "
                     "function, icount: instructions, median (p90); includes "
                     "function_graph's own entry/exit cost):\n")
            L.append("| Probe | caller outside a job | caller inside a job |")
            L.append("|---|---|---|")
            for f in ("newtask", "exit", "exec", "getppid"):
                cells = []
                for s in ("outside", "inside"):
                    v = pr.get(s, {}).get(f)
                    c = pr.get(s, {}).get("getppid")
                    if not v:
                        cells.append("-")
                        continue
                    net = ""
                    if c and f != "getppid":
                        net = ", net of the tracer %d" % (
                            v["median"] - c["median"])
                    cells.append("%d (%d), n=%d%s" % (v["median"], v["p90"],
                                                      v["n"], net))
                name = f if f != "getppid" else \
                    "`__do_sys_getppid` (tracer calibration)"
                L.append("| %s | %s | %s |" % (name, cells[0], cells[1]))
            L.append("")
        qb = kr.get("query_breakdown", {}).get("query")
        if qb:
            L.append("Where a 1-member query goes (function_graph, icount: "
                     "instructions per call, median; nested functions are "
                     "inside their callers' figures; each includes about "
                     "%d of tracer cost):\n" % qb.get("getppid", {}).get(
                         "median", 0))
            L.append("| Function | instructions | calls |")
            L.append("|---|---|---|")
            for f, v in sorted(qb.items(), key=lambda x: -x[1]["median"]):
                L.append("| `%s` | %d | %d |" % (f, v["median"], v["n"]))
            L.append("")
        q = kr.get("query", {})
        for mode in sorted(q):
            qm = q.get(mode)
            if not qm:
                continue
            unit = "ns, plain TCG" if mode == "wall" else "instructions"
            L.append("Query cost per call (%s; median of repetitions, "
                     "ratios per repetition):\n" % unit)
            L.append("| Members | TASKSTATS_CMD_GET | JOB_GET (raw) | JOB_GET "
                     "/ TASKSTATS | JOB_GET (libxosjob) | /proc stat+io scan "
                     "| scan / JOB_GET | cgroup files | cgroup / JOB_GET |")
            L.append("|---|---|---|---|---|---|---|---|---|")
            for n, o in sorted(qm.items(), key=lambda x: int(x[0])):
                def med(m):
                    return fmt_ns(o[m]["median"]) if o[m] else "-"
                L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    n, med("taskstats_get"), med("job_get"),
                    rng(o["ratio_job_get_vs_taskstats"], "%.2f"),
                    med("job_get_lib"), med("proc_scan"),
                    rng(o["ratio_proc_scan_vs_job_get"], "%.1f"),
                    med("cgroup_read"),
                    rng(o["ratio_cgroup_read_vs_job_get"], "%.2f")))
            L.append("")
        ev = kr.get("events")
        if ev:
            L.append("Event throughput (jobs created and ended per second of "
                     "guest time, listener on libxosjob):\n")
            L.append("| Setup | SO_RCVBUF (bytes) | highest lossless "
                     "rate | highest rate reached | records lost | records "
                     "received |")
            L.append("|---|---|---|---|---|---|")
            for key, v in sorted(ev.items()):
                L.append("| %s | %d | %.0f/s | %.0f/s | %d | %d |" % (
                    key, v["rcvbuf_bytes"], v["max_lossless_rate"],
                    v["max_rate"], sum(x["lost"] for x in v["runs"]),
                    v["records_buffered"]))
            L.append("")
        mem = kr.get("memory")
        if mem:
            L.append("Kernel memory of the module: the same population "
                     "created outside any job and in jobs; objects added to "
                     "the module's caches (per job: a kmalloc-1k, struct "
                     "xos_job; a kmalloc-512, its end-of-job record; a "
                     "kmalloc-256, the first member's starting figures):\n")
            L.append("| Jobs x tasks | tasks tracked (module) | xos_task "
                     "objects added | slab per task | kmalloc-1k / job | "
                     "kmalloc-512 / job | kmalloc-256 / job | slab per job |")
            L.append("|---|---|---|---|---|---|---|---|")
            for key, v in sorted(mem.items(), key=lambda x: x[1]["tasks"]):
                if key == "extrapolated":
                    continue
                L.append("| %s | %d | %d | %.1f B (%d-byte object) | %.2f | "
                         "%.2f | %.2f | %.0f B |" % (
                             key, v["module_reported_tasks"],
                             v["xos_task_objects_added"], v["bytes_per_task"],
                             v["xos_task_object_size"] or 0,
                             v.get("kmalloc1k_per_job", 0),
                             v["kmalloc512_per_job"], v["kmalloc256_per_job"],
                             v["bytes_per_job"]))
            x = mem.get("extrapolated")
            if x:
                L.append("\n100,000 tasks in 10,000 jobs: %.1f MiB of slab "
                         "(%.1f B per task, %.0f B per job), plus the task "
                         "hash table's bucket array, %.0f MiB at that size." % (
                             x["bytes"] / 2**20, x["bytes_per_task"],
                             x["bytes_per_job"], x["hash_table_bytes"] / 2**20))
            L.append("")
        enf = kr.get("enforce")
        for mode in sorted(enf or {}):
            unit = "ns, plain TCG" if mode == "wall" else "instructions"
            L.append("Enforced limits (%s per operation: each round's "
                     "mean, median over the rounds): a caller in a job "
                     "with --cpu-time and --time set against one in a job "
                     "without; the ratio is taken round by round:\n" % unit)
            L.append("| Operation | in a job | in a limited job | ratio "
                     "(median, min-max) | rounds |")
            L.append("|---|---|---|---|---|")
            for op in sorted(enf[mode]):
                o = enf[mode][op]
                if not o["ratio"]:
                    continue
                L.append("| %s | %s | %s | %.4f (%.4f-%.4f) | %d |" % (
                    OP_NAMES.get(op, op), fmt_ns(o["job"]["median"]),
                    fmt_ns(o["limited"]["median"]), o["ratio"]["median"],
                    o["ratio"]["min"], o["ratio"]["max"], o["ratio"]["n"]))
            L.append("")
        lw = kr.get("lockwait")
        if lw:
            L.append("A member's longest fork() while another process "
                     "queries its job (plain TCG, 2 vCPUs, ns; median over "
                     "repetitions of each window's maximum; a window is "
                     "20 JOB_GETs of the job, or INFO round trips, which "
                     "take no job lock, for as long as that took):\n")
            L.append("| tasks | longest fork, JOB_GET loop | longest fork, "
                     "INFO loop | ratio | 20 JOB_GETs take | forks seen |")
            L.append("|---|---|---|---|---|---|")
            for key, o in sorted(lw.items(), key=lambda x: x[1]["tasks"]):
                g, i = o.get("job_get_loop"), o.get("info_loop")
                if not g or not i:
                    continue
                L.append("| %d | %s | %s | %.2f | %s | %d |" % (
                    o["tasks"], fmt_ns(g["fork_max"]["median"]),
                    fmt_ns(i["fork_max"]["median"]), o["ratio"],
                    fmt_ns(g["window"]["median"]), g["forks"] + i["forks"]))
            L.append("")
        sc = kr.get("scrape")
        for mode in sorted(sc or {}):
            unit = "ns, plain TCG" if mode == "wall" else "instructions"
            L.append("One node-wide scrape (%s, median of the repetitions): "
                     "J jobs of P processes x T threads, each job in a cgroup "
                     "of its own. `xosjob collect --prometheus FILE --once` "
                     "as a command (its CPU time from wait4(): under icount "
                     "its instructions, without the guest clock's jumps "
                     "over idle waits), the same without `--prometheus` "
                     "(process start, netlink setup, the ring of ended "
                     "jobs), the "
                     "difference of their medians (the scrape itself: "
                     "JOB_GET of every job, formatting, the file and its "
                     "rename; in brackets the ratio from the minima); "
                     "the jobs' "
                     "cgroup files (cpu.stat, the memory file, io.stat) read "
                     "and parsed in-process and as a command of their own; "
                     "libxosjob's list of the jobs alone:\n" % unit)
            L.append("| Jobs | tasks | collect --once --prometheus | "
                     "without --prometheus | scrape | cgroup files | "
                     "scrape / cgroup (from minima) | "
                     "per job: scrape, cgroup | "
                     "job list (libxosjob) | cgroup reader command | "
                     "reps |")
            L.append("|---|---|---|---|---|---|---|---|---|---|---|")
            for key, o in sorted(sc[mode].items(),
                                 key=lambda x: x[1]["tasks"]):
                if not o.get("scrape"):
                    continue
                L.append("| %s | %d | %s | %s | %s | %s (%s) | %.2fx "
                         "(%.2fx) | %s, %s | %s | %s | %d |" % (
                             key, o["tasks"],
                             fmt_ns(o["cli_scrape"]["median"]),
                             fmt_ns(o["cli_noscrape"]["median"]),
                             fmt_ns(o["scrape"]["median"]),
                             fmt_ns(o["cgroup_read"]["median"]),
                             o["memory_file"],
                             o["ratio_scrape_vs_cgroup"]["median"],
                             o["ratio_scrape_vs_cgroup"]["from_minima"],
                             fmt_ns(o["scrape_per_job"]),
                             fmt_ns(o["cgroup_read_per_job"]),
                             fmt_ns(o["job_list"]["median"]),
                             fmt_ns(o["cgroup_cmd"]["median"]),
                             o["cli_scrape"]["n"]))
            L.append("")
        big = kr.get("bigjob")
        for mode in sorted(big or {}):
            bm = big[mode]
            unit = "ns, plain TCG" if mode == "wall" else "instructions"
            L.append("One big job (%s per call, median of the repetitions; "
                     "P processes x T threads, all blocked in pause(); "
                     "\"leaders exited\": every process's main thread left "
                     "with pthread_exit(), so a thread that is not the "
                     "leader represents it). JOB_KILL with signal 0 only "
                     "checks each process; SIGCONT is ignored by processes "
                     "that are not stopped; SIGUSR1 runs a no-op handler. "
                     "The TASKS dump reads every entry, raw (64 KiB "
                     "receive buffer) and through libxosjob; JOB_GET sums "
                     "every live member (under RCU above 16 members):\n" % unit)
            L.append("| Job | tasks | KILL sig 0 | KILL SIGCONT | KILL "
                     "SIGUSR1 | TASKS dump (raw) | per entry | TASKS dump "
                     "(libxosjob) | JOB_GET | reps |")
            L.append("|---|---|---|---|---|---|---|---|---|---|")
            for key, o in sorted(bm.items(), key=lambda x: (
                    x[1]["tasks"], x[1]["leaders_exited"])):
                def med(op):
                    return fmt_ns(o[op]["median"]) if o.get(op) else "-"
                d = o.get("tasks_dump")
                L.append("| %s | %d | %s | %s | %s | %s | %s | %s | %s | "
                         "%d |" % (key, o["tasks"], med("kill_sig0"),
                                   med("kill_sigcont"), med("kill_sigusr1"),
                                   med("tasks_dump"),
                                   "%.0f" % d["per_task"] if d else "-",
                                   med("tasks_dump_lib"), med("job_get"),
                                   d["n"] if d else 0))
            forks = [(key, op, o[op]) for key, o in sorted(bm.items())
                     for op in BIG_OPS if o.get(op, {}).get("fork_max")]
            if forks:
                L.append("\nThe longest fork() of a member while the "
                         "operation ran (xosbench bigjob --forker; median "
                         "over repetitions of the per-call maximum):\n")
                L.append("| Job | operation | longest fork | forks seen |")
                L.append("|---|---|---|---|")
                for key, op, v in forks:
                    L.append("| %s | %s | %s | %d |" % (
                        key, op, fmt_ns(v["fork_max"]["median"]),
                        v["forks"]))
            L.append("")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--readme")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    recs = load(a.files)
    kernels = sorted({r["kernel"] for r in recs if "kernel" in r})
    res = {"generated": datetime.datetime.now(datetime.timezone.utc)
           .isoformat(timespec="seconds"),
           "command": "make bench", "kernels": {}}
    for k in kernels:
        kr = [r for r in recs if r.get("kernel") == k]

        def sel(b):
            return [r for r in kr if r.get("bench") == b]
        res["kernels"][k] = {
            "env": {r["mode"]: {x: r[x] for x in ("nproc", "mem_kb", "cmdline")}
                    for r in sel("env")},
            "host": {r["mode"]: {x: r[x] for x in ("seconds", "loadavg_end",
                                                   "host_cpus")}
                     for r in sel("host")},
            "path": path_section(sel("path")),
            "probe": probe_section([r for r in sel("ktrace")
                                    if r["setup"] != "query"]),
            "query_breakdown": probe_section([r for r in sel("ktrace")
                                              if r["setup"] == "query"]),
            "query": query_section(sel("query"), sel("query_env")),
            "events": events_section(sel("events")),
            "memory": mem_section(sel("mem"), sel("mem_info")),
            "bigjob": bigjob_section(sel("bigjob"), sel("bigjob_env")),
            "enforce": enforce_section(sel("enforce")),
            "lockwait": lockwait_section(sel("lockwait")),
            "scrape": scrape_section(sel("scrape"), sel("scrape_env")),
        }
        res["kernels"][k]["targets"] = targets(res["kernels"][k])
    if a.check:
        bad = []
        for k, kr in res["kernels"].items():
            for mode, ops in kr["path"].items():
                for op, o in ops.items():
                    for s in ("unloaded", "outside", "inside"):
                        if not o[s] or not o[s]["median"] > 0:
                            bad.append("%s path %s %s %s" % (k, mode, op, s))
            for mode, q in kr["query"].items():
                for n, o in q.items():
                    for m in METHODS:
                        if not o[m] or not o[m]["median"] > 0:
                            bad.append("%s query %s %s" % (k, n, m))
            for key, v in kr["events"].items():
                if "stopped" not in key and v["max_lossless_rate"] <= 0:
                    bad.append("%s events %s lost records" % (k, key))
            if not any(f in kr["probe"].get("inside", {})
                       for f in ("newtask", "exit")) and kr["probe"]:
                bad.append("%s: no probe durations traced" % k)
            for key, v in kr["memory"].items():
                if key != "extrapolated" and \
                        v["module_reported_tasks"] < v["tasks"]:
                    bad.append("%s memory %s: the module tracked %d tasks of "
                               "%d" % (k, key, v["module_reported_tasks"],
                                       v["tasks"]))
            # scrape: the measured methods, not their difference, which
            # can come out below zero in plain TCG time
            for sect, ops in (("bigjob", BIG_OPS),
                              ("scrape", SCRAPE_METHODS)):
                for mode, sm in kr[sect].items():
                    for key, o in sm.items():
                        for op in ops:
                            if not o.get(op) or not o[op]["median"] > 0:
                                bad.append("%s %s %s %s %s" %
                                           (k, sect, mode, key, op))
            if not kr["path"] or not kr["query"] or not kr["events"] or \
                    not kr["memory"] or not kr["bigjob"]:
                bad.append("%s: a section is missing" % k)
        if not kernels:
            bad.append("no records")
        for b in bad:
            print("report.py: " + b, file=sys.stderr)
        print(table(res))
        sys.exit(1 if bad else 0)
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(res, fh, indent=1, sort_keys=True)
            fh.write("\n")
    t = table(res)
    print(t)
    if a.readme:
        text = open(a.readme).read()
        b, e = "<!-- bench:begin -->", "<!-- bench:end -->"
        if b not in text or e not in text:
            sys.exit("report.py: %s has no %s ... %s markers" % (a.readme, b, e))
        head, rest = text.split(b, 1)
        _, tail = rest.split(e, 1)
        with open(a.readme, "w") as fh:
            fh.write(head + b + "\n" + t + "\n" + e + tail)


if __name__ == "__main__":
    main()
