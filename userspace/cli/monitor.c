// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob monitor (watch): prints job events as they come (admin), one line
 * each, or one JSON object per line with --json:
 *   {"event": "created"|"ended", "recovered": bool, "job": {...}}
 *
 * End-of-job records carry sequence numbers that rise by one. When some
 * are missing (a gap in the numbers, or ENOBUFS after the socket
 * overflowed), monitor reads them back from the kernel's ring of ended jobs
 * and prints them, marked "recovered", in order, before it goes on; a
 * record it has printed is never printed twice. Creation events are not
 * kept by the kernel: lost ones are only reported.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "cli.h"

struct monitor {
	struct xosjob_ctx *events;	/* subscribed: events only */
	struct xosjob_ctx *query;	/* reads the ring */
	bool json;
	uint64_t count;			/* stop after this many; 0: never */
	uint64_t printed;
	uint64_t last_seq;		/* last record printed (or skipped) */
	uint64_t until_seq;		/* a fill stops before this record */
	uint64_t lost;			/* records gone from the ring too */
};

static bool done(const struct monitor *m)
{
	return m->count && m->printed >= m->count;
}

static void print_event(struct monitor *m, int cmd,
			const struct xosjob_job *job, bool recovered)
{
	bool ended = cmd == XOS_JOB_CMD_ENDED_NTF;

	if (m->json) {
		printf("{\"event\":\"%s\",\"recovered\":%s,\"job\":",
		       ended ? "ended" : "created",
		       recovered ? "true" : "false");
		json_job(stdout, job);
		printf("}\n");
	} else if (ended) {
		printf("ended%s: ", recovered ? " (recovered from the ring)" :
		       "");
		print_job(stdout, job);
	} else {
		printf("created: job %" PRIu64 " owner %u\n", job->id,
		       job->owner_uid);
	}
	fflush(stdout);
	m->printed++;
}

static int fill_one(const struct xosjob_job *job, void *arg)
{
	struct monitor *m = arg;

	if (done(m) || (m->until_seq && job->seq >= m->until_seq))
		return -ECANCELED;	/* stops the dump */
	if (job->seq <= m->last_seq)
		return 0;
	if (job->seq != m->last_seq + 1) {
		fail("monitor: records %" PRIu64 "..%" PRIu64
		     " are lost: the ring (module parameter ended_ring) "
		     "no longer holds them", m->last_seq + 1, job->seq - 1);
		m->lost += job->seq - m->last_seq - 1;
	}
	m->last_seq = job->seq;
	print_event(m, XOS_JOB_CMD_ENDED_NTF, job, true);
	return 0;
}

/* Prints the records after m->last_seq and before @until (0: all kept). */
static int fill(struct monitor *m, uint64_t until)
{
	bool intr = false;
	int err;

	m->until_seq = until;
	err = xosjob_list_ended(m->query, m->last_seq + 1, fill_one, m, &intr);
	if (err < 0 && err != -ECANCELED)
		return fail("monitor: cannot read the ring: %s",
			    xosjob_strerror(m->query));
	/* records dropped while reading: the next gap shows them as lost */
	if (until && !done(m) && m->last_seq + 1 < until) {
		fail("monitor: records %" PRIu64 "..%" PRIu64 " are lost: "
		     "the ring no longer holds them", m->last_seq + 1,
		     until - 1);
		m->lost += until - 1 - m->last_seq;
		m->last_seq = until - 1;
	}
	return 0;
}

static int run(struct monitor *m)
{
	struct xosjob_job job;
	int cmd, err;

	while (!done(m)) {
		err = xosjob_event_next(m->events, &cmd, &job);
		if (err == -ENOBUFS) {
			fail("monitor: the receive buffer overflowed; reading "
			     "the missed records from the ring (lost creation "
			     "events cannot be recovered)");
			if (fill(m, 0))
				return EXIT_FAIL;
			continue;
		}
		if (err)
			return fail("monitor: %s", xosjob_strerror(m->events));
		if (cmd != XOS_JOB_CMD_ENDED_NTF) {
			print_event(m, cmd, &job, false);
			continue;
		}
		if (job.seq <= m->last_seq)
			continue;	/* already printed from the ring */
		if (job.seq != m->last_seq + 1 && fill(m, job.seq))
			return EXIT_FAIL;
		if (done(m))
			break;
		m->last_seq = job.seq;
		print_event(m, cmd, &job, false);
	}
	return m->lost ? EXIT_FAIL : 0;
}

int cmd_monitor(int argc, char *argv[])
{
	const char *count_s = NULL, *rcvbuf_s = NULL, *from_s = NULL;
	const struct option_spec opts[] = {
		{ "count", 'c', &count_s, NULL },
		{ "rcvbuf", 'b', &rcvbuf_s, NULL },
		{ "from", 'f', &from_s, NULL },
		{ 0 },
	};
	struct monitor m = { 0 };
	struct xosjob_info info;
	uint64_t rcvbuf = 0, from = 0;
	int ret, n = parse_opts(argc, argv, opts, &m.json, false);

	if (n < 0)
		return opts_exit(n);
	if (n)
		return usage_error("unexpected argument '%s'", argv[0]);
	if (count_s && (!parse_u64(count_s, UINT64_MAX, &m.count) || !m.count))
		return usage_error("--count: '%s' is not a positive number",
				   count_s);
	if (rcvbuf_s && !parse_u64(rcvbuf_s, 1 << 30, &rcvbuf))
		return usage_error("--rcvbuf: '%s' is not a size in bytes",
				   rcvbuf_s);
	if (from_s && (!parse_u64(from_s, UINT64_MAX, &from) || !from))
		return usage_error("--from: '%s' is not a sequence number (1 or more)",
				   from_s);
	m.events = open_ctx();
	if (!m.events)
		return EXIT_FAIL;
	m.query = open_ctx();
	if (!m.query) {
		xosjob_close(m.events);
		return EXIT_FAIL;
	}
	/*
	 * Subscribe first, then read the last sequence number: every record
	 * after it is then either received or seen missing, never silently
	 * skipped.
	 */
	if (xosjob_subscribe(m.events, (int)rcvbuf)) {
		ret = fail("%s", xosjob_strerror(m.events));
		goto out;
	}
	if (xosjob_info(m.query, &info)) {
		ret = fail("%s", xosjob_strerror(m.query));
		goto out;
	}
	/* the caller may wait for this line before it starts jobs */
	if (!m.json)
		printf("monitoring job events (last record %" PRIu64 ")\n",
		       info.last_seq);
	fflush(stdout);
	m.last_seq = info.last_seq;
	if (from && from <= info.last_seq) {
		m.last_seq = from - 1;
		if (fill(&m, info.last_seq + 1)) {
			ret = EXIT_FAIL;
			goto out;
		}
	}
	ret = run(&m);
out:
	xosjob_close(m.events);
	xosjob_close(m.query);
	return ret;
}
