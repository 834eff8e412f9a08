// SPDX-License-Identifier: GPL-2.0
/* xosjob: a job, its figures and limits, as text or JSON; dumps. */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>

#include "cli.h"

static const struct {
	uint32_t flag;
	const char *name;
} job_flags[] = {
	{ XOS_JOB_F_INCOMPLETE, "incomplete" },
	{ XOS_JOB_F_KILLED, "killed" },
	{ XOS_JOB_F_OWN_CGROUP, "own_cgroup" },
	{ XOS_JOB_F_FROZEN, "frozen" },
	{ XOS_JOB_F_LIMIT_HIT, "limit_hit" },
	{ XOS_JOB_F_CHECKPOINTING, "checkpointing" },
};

#define NR_JOB_FLAGS (sizeof(job_flags) / sizeof(job_flags[0]))

const char *flags_str(uint32_t flags, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = 0;
	for (i = 0; i < NR_JOB_FLAGS; i++) {
		if (!(flags & job_flags[i].flag))
			continue;
		flags &= ~job_flags[i].flag;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off ? "," : "", job_flags[i].name);
	}
	/* flags of a newer module */
	if (flags)
		off += snprintf(buf + off, off < len ? len - off : 0,
				"%s0x%x", off ? "," : "", flags);
	if (!off)
		snprintf(buf, len, "-");
	return buf;
}

/* How a figure reads to a person; JSON always carries the raw value. */
enum stat_unit { U_COUNT, U_NS, U_BYTES, U_KIB, U_MBUS };

/* The figures of struct xosjob_stats, by name, for both outputs. */
#define STAT(field, label, unit) \
	{ #field, label, unit, offsetof(struct xosjob_stats, field) }
static const struct {
	const char *name;
	const char *label;
	enum stat_unit unit;
	size_t off;
} stat_fields[] = {
	STAT(utime_ns, "user CPU", U_NS),
	STAT(stime_ns, "system CPU", U_NS),
	STAT(runtime_ns, "run time", U_NS),
	STAT(minflt, "minor faults", U_COUNT),
	STAT(majflt, "major faults", U_COUNT),
	STAT(nvcsw, "voluntary switches", U_COUNT),
	STAT(nivcsw, "involuntary switches", U_COUNT),
	STAT(rchar, "read (syscalls)", U_BYTES),
	STAT(wchar, "written (syscalls)", U_BYTES),
	STAT(syscr, "read syscalls", U_COUNT),
	STAT(syscw, "write syscalls", U_COUNT),
	STAT(read_bytes, "read from storage", U_BYTES),
	STAT(write_bytes, "written to storage", U_BYTES),
	STAT(cancelled_write_bytes, "cancelled writes", U_BYTES),
	STAT(hiwater_rss_kb, "peak RSS", U_KIB),
	STAT(hiwater_vm_kb, "peak VM", U_KIB),
	STAT(coremem_mb_us, "RSS integral", U_MBUS),
	STAT(virtmem_mb_us, "VM integral", U_MBUS),
};

#define NR_STAT_FIELDS (sizeof(stat_fields) / sizeof(stat_fields[0]))

const char *stat_name(size_t i)
{
	return i < NR_STAT_FIELDS ? stat_fields[i].name : NULL;
}

uint64_t *stat_ptr(struct xosjob_stats *st, size_t i)
{
	return (uint64_t *)((char *)st + stat_fields[i].off);
}

static uint64_t stat_value(const struct xosjob_stats *st, size_t i)
{
	return *(const uint64_t *)((const char *)st + stat_fields[i].off);
}

static const char *human_stat(const struct xosjob_stats *st, size_t i,
			      char *buf, size_t len)
{
	uint64_t v = stat_value(st, i);

	switch (stat_fields[i].unit) {
	case U_NS:
		return human_ns(v, buf, len);
	case U_BYTES:
		return human_bytes(v, buf, len);
	case U_KIB:
		return human_bytes(v * 1024, buf, len);
	case U_MBUS:
		/* taskstats' MB-microseconds: show MiB-seconds */
		snprintf(buf, len, "%.3g MiB s", v / 1e6);
		return buf;
	case U_COUNT:
		break;
	}
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

void json_stats(struct json *parent, const char *key,
		const struct xosjob_stats *st)
{
	struct json o;
	char name[64];
	size_t i;

	json_key(parent, key);
	json_begin(&o, parent->f);
	for (i = 0; i < NR_STAT_FIELDS; i++)
		json_u64(&o, stat_fields[i].name, stat_value(st, i));
	json_boolean(&o, "delayacct", st->delayacct);
	/* delays the kernel did not send (delay accounting off) are null */
	for (i = 0; i < XOSJOB_NR_DELAYS; i++) {
		snprintf(name, sizeof(name), "%s_delay_ns", xosjob_delay_name(i));
		json_key(&o, name);
		if (st->has_delay[i])
			fprintf(o.f, "%" PRIu64, st->delay_ns[i]);
		else
			fputs("null", o.f);
		snprintf(name, sizeof(name), "%s_delay_count",
			 xosjob_delay_name(i));
		json_key(&o, name);
		if (st->has_delay[i])
			fprintf(o.f, "%" PRIu64, st->delay_count[i]);
		else
			fputs("null", o.f);
	}
	json_end(&o);
}

void print_stats(FILE *f, const char *indent, const struct xosjob_stats *st)
{
	char v[32], d[32];
	bool off = false;
	size_t i;

	for (i = 0; i < NR_STAT_FIELDS; i++)
		fprintf(f, "%s%-22s %s\n", indent, stat_fields[i].label,
			human_stat(st, i, v, sizeof(v)));
	for (i = 0; i < XOSJOB_NR_DELAYS; i++) {
		if (!st->has_delay[i]) {
			off = true;
			continue;
		}
		snprintf(d, sizeof(d), "%s delay", xosjob_delay_name(i));
		fprintf(f, "%s%-22s %s in %" PRIu64 "\n", indent, d,
			human_ns(st->delay_ns[i], v, sizeof(v)),
			st->delay_count[i]);
	}
	if (off)
		fprintf(f, "%sother delays: not counted (delay accounting is off: "
			"sysctl kernel.task_delayacct=1)\n", indent);
}

/* The limits, named as xosjob run's options. */
enum limit_unit { L_NS, L_BYTES, L_COUNT };

static const struct {
	const char *name;
	size_t off;
	enum limit_unit unit;
} limit_fields[] = {
	{ "cpu-time", offsetof(struct xosjob_limits, cpu_time_ns), L_NS },
	{ "time", offsetof(struct xosjob_limits, time_ns), L_NS },
	{ "grace", offsetof(struct xosjob_limits, grace_ns), L_NS },
	{ "memory-max", offsetof(struct xosjob_limits, memory_max), L_BYTES },
	{ "memory-high", offsetof(struct xosjob_limits, memory_high), L_BYTES },
	{ "swap-max", offsetof(struct xosjob_limits, swap_max), L_BYTES },
	{ "pids-max", offsetof(struct xosjob_limits, pids_max), L_COUNT },
	{ "cpu-weight", offsetof(struct xosjob_limits, cpu_weight), L_COUNT },
	{ "io-weight", offsetof(struct xosjob_limits, io_weight), L_COUNT },
};

#define NR_LIMIT_FIELDS (sizeof(limit_fields) / sizeof(limit_fields[0]))

/* The value of limit field @i, false if it is not set. */
static bool limit_value(const struct xosjob_limits *l, size_t i, uint64_t *v)
{
	*v = *(const uint64_t *)((const char *)l + limit_fields[i].off);
	if (limit_fields[i].off == offsetof(struct xosjob_limits, grace_ns))
		return l->has_grace;
	if (limit_fields[i].off == offsetof(struct xosjob_limits, swap_max))
		return l->has_swap_max;
	return *v != 0;
}

void json_limits(struct json *parent, const char *key,
		 const struct xosjob_limits *l)
{
	struct json o;
	char name[32];
	uint64_t v;
	size_t i, k;

	json_key(parent, key);
	json_begin(&o, parent->f);
	for (i = 0; i < NR_LIMIT_FIELDS; i++) {
		if (!limit_value(l, i, &v))
			continue;
		/* JSON keys in snake case, with their unit */
		for (k = 0; limit_fields[i].name[k] && k + 1 < sizeof(name); k++)
			name[k] = limit_fields[i].name[k] == '-' ? '_' :
				  limit_fields[i].name[k];
		snprintf(name + k, sizeof(name) - k, "%s",
			 limit_fields[i].unit == L_NS ? "_ns" :
			 limit_fields[i].unit == L_BYTES ? "_bytes" : "");
		json_u64(&o, name, v);
	}
	if (l->cpu_quota_us) {
		json_u64(&o, "cpu_quota_us", l->cpu_quota_us);
		json_u64(&o, "cpu_period_us", l->cpu_period_us);
	}
	if (l->cpus[0])
		json_str(&o, "cpus", l->cpus);
	if (l->mems[0])
		json_str(&o, "mems", l->mems);
	json_end(&o);
}

void print_limits(FILE *f, const char *indent, const struct xosjob_limits *l)
{
	char b[32];
	uint64_t v;
	size_t i;

	for (i = 0; i < NR_LIMIT_FIELDS; i++) {
		if (!limit_value(l, i, &v))
			continue;
		fprintf(f, "%s%-12s %s\n", indent, limit_fields[i].name,
			limit_fields[i].unit == L_NS ? human_ns(v, b, sizeof(b)) :
			limit_fields[i].unit == L_BYTES ?
			human_bytes(v, b, sizeof(b)) :
			(snprintf(b, sizeof(b), "%" PRIu64, v), b));
	}
	if (l->cpu_quota_us && l->cpu_period_us)
		fprintf(f, "%s%-12s %g%% (%" PRIu64 " us per %" PRIu64 " us)\n",
			indent, "cpu-max",
			100.0 * l->cpu_quota_us / l->cpu_period_us,
			l->cpu_quota_us, l->cpu_period_us);
	if (l->cpus[0])
		fprintf(f, "%s%-12s %s\n", indent, "cpus", l->cpus);
	if (l->mems[0])
		fprintf(f, "%s%-12s %s\n", indent, "mems", l->mems);
}

void json_job(FILE *f, const struct xosjob_job *j)
{
	struct json o;
	char t[64];
	size_t i;

	json_begin(&o, f);
	json_u64(&o, "id", j->id);
	json_str(&o, "label", j->has_label ? j->label : NULL);
	json_u64(&o, "owner_uid", j->owner_uid);
	json_str(&o, "created", time_str(j->created_realtime_ns, t,
					 sizeof(t)));
	json_u64(&o, "created_realtime_ns", j->created_realtime_ns);
	json_u64(&o, "created_boottime_ns", j->created_boottime_ns);
	json_u64(&o, "anchor_pid", j->anchor_pid);
	if (!j->ended)
		json_u64(&o, "anchor_start_boottime_ns",
			 j->anchor_start_boottime_ns);
	json_u64(&o, "flags", j->flags);
	for (i = 0; i < NR_JOB_FLAGS; i++)
		json_boolean(&o, job_flags[i].name, j->flags & job_flags[i].flag);
	json_u64(&o, "nr_tasks", j->nr_tasks);
	json_u64(&o, "nr_procs", j->nr_procs);
	json_u64(&o, "tasks_started", j->tasks_started);
	json_u64(&o, "tasks_exited", j->tasks_exited);
	json_u64(&o, "procs_started", j->procs_started);
	json_u64(&o, "procs_exited", j->procs_exited);
	json_u64(&o, "elapsed_ns", j->elapsed_ns);
	json_boolean(&o, "ended", j->ended);
	if (j->ended) {
		json_u64(&o, "seq", j->seq);
		json_str(&o, "ended_at", time_str(j->ended_realtime_ns, t,
						  sizeof(t)));
		json_u64(&o, "ended_realtime_ns", j->ended_realtime_ns);
		json_u64(&o, "ended_boottime_ns", j->ended_boottime_ns);
	}
	if (j->ended) {
		json_str(&o, "end_state", xosjob_end_state_name(j->end_state));
		if (j->has_exit_status)
			json_u64(&o, "exit_status", j->exit_status);
		else
			json_str(&o, "exit_status", NULL);
	}
	json_str(&o, "cgroup", j->cgroup[0] ? j->cgroup : NULL);
	json_u64(&o, "cgroup_id", j->cgroup_id);
	if (j->has_limits)
		json_limits(&o, "limits", &j->limits);
	json_u64(&o, "nr_oom_killed", j->nr_oom_killed);
	json_stats(&o, "stats", &j->stats);
	if (j->restored_from)
		json_u64(&o, "restored_from", j->restored_from);
	else
		json_str(&o, "restored_from", NULL);
	if (j->has_base)
		json_stats(&o, "base_stats", &j->base);
	if (j->has_states) {
		struct json st;

		json_key(&o, "states");
		json_begin(&st, f);
		json_u64(&st, "running", j->states.running);
		json_u64(&st, "sleeping", j->states.sleeping);
		json_u64(&st, "uninterruptible", j->states.uninterruptible);
		json_u64(&st, "stopped", j->states.stopped);
		json_u64(&st, "io_wait", j->states.io_wait);
		json_u64(&st, "frozen", j->states.frozen);
		json_end(&st);
	}
	json_end(&o);
}

void print_job(FILE *f, const struct xosjob_job *j)
{
	char t[64], fl[64], u[64];

	fprintf(f, "job: %" PRIu64 "\n", j->id);
	if (j->has_label) {
		fputs("  label: ", f);
		print_text(f, j->label);
		fputc('\n', f);
	}
	fprintf(f, "  owner: %s\n", user_str(j->owner_uid, u, sizeof(u)));
	fprintf(f, "  created: %s\n",
		time_str(j->created_realtime_ns, t, sizeof(t)));
	if (j->anchor_pid)
		fprintf(f, "  anchor pid: %u\n", j->anchor_pid);
	else
		fputs("  anchor pid: - (exited or not visible)\n", f);
	fprintf(f, "  processes: %" PRIu64 "\n", j->nr_procs);
	fprintf(f, "  tasks: %" PRIu64 "\n", j->nr_tasks);
	fprintf(f, "  tasks started: %" PRIu64 "\n", j->tasks_started);
	fprintf(f, "  tasks exited: %" PRIu64 "\n", j->tasks_exited);
	fprintf(f, "  processes started: %" PRIu64 "\n", j->procs_started);
	fprintf(f, "  processes exited: %" PRIu64 "\n", j->procs_exited);
	fprintf(f, "  flags: %s\n", flags_str(j->flags, fl, sizeof(fl)));
	if (j->ended) {
		fprintf(f, "  ended: %s (record %" PRIu64 ")\n",
			time_str(j->ended_realtime_ns, t, sizeof(t)), j->seq);
		fprintf(f, "  end state: %s\n",
			xosjob_end_state_name(j->end_state));
		fprintf(f, "  exit status: %s\n",
			j->has_exit_status ?
			status_str(j->exit_status, t, sizeof(t)) :
			"- (the first process left the job)");
	}
	if (j->cgroup[0]) {
		fputs("  cgroup: ", f);
		print_text(f, j->cgroup);
		fputs(j->own_cgroup ? " (its own)\n" : "\n", f);
	} else if (j->cgroup_id) {
		fprintf(f, "  cgroup: id %" PRIu64 "\n", j->cgroup_id);
	}
	if (j->own_cgroup && !j->ended)
		fprintf(f, "  frozen: %s\n", j->frozen ? "yes" : "no");
	if (j->has_limits) {
		fputs("  limits:\n", f);
		print_limits(f, "    ", &j->limits);
	}
	if (j->nr_oom_killed)
		fprintf(f, "  killed by the OOM killer: %" PRIu64 " processes\n",
			j->nr_oom_killed);
	fprintf(f, "  elapsed: %s\n", human_ns(j->elapsed_ns, t, sizeof(t)));
	if (j->has_states)
		fprintf(f, "  states: %" PRIu64 " running, %" PRIu64
			" sleeping, %" PRIu64 " uninterruptible, %" PRIu64
			" stopped, %" PRIu64 " in I/O wait, %" PRIu64
			" frozen\n", j->states.running,
			j->states.sleeping, j->states.uninterruptible,
			j->states.stopped, j->states.io_wait, j->states.frozen);
	if (j->restored_from)
		fprintf(f, "  restored from: job %" PRIu64 "\n", j->restored_from);
	fputs("  figures:\n", f);
	print_stats(f, "    ", &j->stats);
	if (j->has_base) {
		fputs("  of which before the restart:\n", f);
		print_stats(f, "    ", &j->base);
	}
}

bool dump_next(struct dump_out *d)
{
	bool first = !d->n++;

	if (d->json)
		fputs(first ? "[\n" : ",\n", stdout);
	return first && !d->json;
}

int dump_end(struct xosjob_ctx *ctx, struct dump_out *d, int err,
	     bool interrupted, const char *what)
{
	/* the JSON stays valid; the exit status tells whether it is whole */
	if (d->json && (d->n || !err))
		fputs(d->n ? "\n]\n" : "[]\n", stdout);
	if (err)
		return fail_ctx(ctx);
	if (interrupted)
		fail("warning: %s changed while listing; run again for an exact view",
		     what);
	xosjob_close(ctx);
	return 0;
}
