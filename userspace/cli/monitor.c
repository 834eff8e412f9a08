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

#include "follow.h"

struct monitor {
	struct follower f;
	bool json;
	uint64_t count;			/* stop after this many; 0: never */
	uint64_t printed;
};

static int print_event(struct follower *f, int cmd,
		       const struct xosjob_job *job, bool recovered)
{
	struct monitor *m = f->arg;
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
	return m->count && m->printed >= m->count ? FOLLOW_DONE : 0;
}

static int cmd_monitor(int argc, char *argv[])
{
	const char *count_s = NULL, *rcvbuf_s = NULL, *from_s = NULL;
	const struct option_spec opts[] = {
		{ "count", 'c', &count_s, NULL },
		{ "rcvbuf", 'b', &rcvbuf_s, NULL },
		{ "from", 'f', &from_s, NULL },
		{ 0 },
	};
	struct monitor m = { .f.emit = print_event };
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
	m.f.arg = &m;
	if (follow_open(&m.f))
		return EXIT_FAIL;
	/*
	 * Subscribe first, then read the last sequence number: every record
	 * after it is then either received or seen missing, never silently
	 * skipped.
	 */
	if (xosjob_subscribe(m.f.events, (int)rcvbuf)) {
		ret = fail("%s", ctx_error(m.f.events));
		goto out;
	}
	if (xosjob_info(m.f.query, &info)) {
		ret = fail("%s", ctx_error(m.f.query));
		goto out;
	}
	/*
	 * The caller may wait for this line before it starts jobs; with
	 * --json it goes to stderr, so that stdout stays one object a line.
	 */
	fprintf(m.json ? stderr : stdout,
		"monitoring job events (last record %" PRIu64 ")\n", info.last_seq);
	fflush(stdout);
	m.f.last_seq = info.last_seq;
	ret = 0;
	if (from && from <= info.last_seq) {
		m.f.last_seq = from - 1;
		ret = follow_fill(&m.f, info.last_seq + 1);
	}
	while (!ret)
		ret = follow_next(&m.f, -1);
	if (ret == FOLLOW_DONE)
		ret = m.f.lost ? EXIT_FAIL : 0;
out:
	follow_close(&m.f);
	return ret;
}

const struct subcommand monitor_cmd = {
	.name = "monitor",
	.alias = "watch",
	.run = cmd_monitor,
	.args = "[--json] [--count N] [--rcvbuf BYTES] [--from SEQ]",
	.help = "print job creations and end-of-job records as they happen (admin)",
	.details =
		"  -c, --count N  stop after N events\n"
		"  -b, --rcvbuf BYTES\n"
		"                 socket receive buffer\n"
		"  -f, --from SEQ first print the kept records from SEQ on\n"
		HELP_JSON
		"\n"
		"Records missed (a sequence gap, or a receive buffer overflow) are\n"
		"read back from the kernel's ring of ended jobs and printed, marked\n"
		"recovered, in order; none is printed twice. Exits 1 if the ring no\n"
		"longer held some.\n",
};
