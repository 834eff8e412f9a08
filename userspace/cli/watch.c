// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob watch: prints job notifications as they come (admin). With
 * --json, one JSON object per line: {"event": "created"|"ended", "job": {...}}.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "cli.h"

int cmd_watch(int argc, char *argv[])
{
	const char *count_s = NULL, *rcvbuf_s = NULL;
	const struct option_spec opts[] = {
		{ "count", 'c', &count_s, NULL },
		{ "rcvbuf", 'b', &rcvbuf_s, NULL },
		{ 0 },
	};
	uint64_t count = 0, rcvbuf = 0, seen = 0, last_seq = 0;
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	bool json = false;
	int cmd, err, n = parse_opts(argc, argv, opts, &json, false);

	if (n < 0)
		return opts_exit(n);
	if (n)
		return usage_error("unexpected argument '%s'", argv[0]);
	if (count_s && (!parse_u64(count_s, UINT64_MAX, &count) || !count))
		return usage_error("--count: '%s' is not a positive number",
				   count_s);
	if (rcvbuf_s && !parse_u64(rcvbuf_s, 1 << 30, &rcvbuf))
		return usage_error("--rcvbuf: '%s' is not a size in bytes",
				   rcvbuf_s);
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_subscribe(ctx, (int)rcvbuf))
		return fail_ctx(ctx);
	/* the caller may wait for this line before it starts jobs */
	if (!json)
		printf("watching job events\n");
	fflush(stdout);
	while (!count || seen < count) {
		err = xosjob_event_next(ctx, &cmd, &job);
		if (err)
			return fail_ctx(ctx);
		seen++;
		if (cmd == XOS_JOB_CMD_ENDED_NTF && last_seq &&
		    job.seq != last_seq + 1)
			fprintf(stderr, "%s: watch: records %" PRIu64 "..%" PRIu64
				" missed; 'xosjob list --ended --from %" PRIu64
				"' has them\n", prog, last_seq + 1, job.seq - 1,
				last_seq + 1);
		if (cmd == XOS_JOB_CMD_ENDED_NTF)
			last_seq = job.seq;
		if (json) {
			printf("{\"event\":\"%s\",\"job\":",
			       cmd == XOS_JOB_CMD_ENDED_NTF ? "ended" : "created");
			json_job(stdout, &job);
			printf("}\n");
		} else if (cmd == XOS_JOB_CMD_ENDED_NTF) {
			printf("ended: ");
			print_job(stdout, &job);
		} else {
			printf("created: job %" PRIu64 " owner %u\n", job.id,
			       job.owner_uid);
		}
		fflush(stdout);
	}
	xosjob_close(ctx);
	return 0;
}
