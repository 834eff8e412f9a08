// SPDX-License-Identifier: GPL-2.0
/* xosjob ps: the member tasks of a job, in the caller's pid namespace. */
#include <inttypes.h>

#include "cli.h"

struct ps_state {
	bool json;
	unsigned int n;
};

static int ps_one(const struct xosjob_task *t, void *arg)
{
	struct ps_state *s = arg;

	if (s->json) {
		printf("%s{\"pid\":%u,\"tgid\":%u,\"uid\":%u,\"comm\":",
		       s->n ? "," : "", t->pid, t->tgid, t->uid);
		json_string(stdout, t->comm);
		printf(",\"start_boottime_ns\":%" PRIu64 "}", t->start_boottime_ns);
	} else {
		if (!s->n)
			printf("%-8s %-8s %-6s %-12s %s\n", "PID", "TGID", "UID",
			       "STARTED", "COMM");
		printf("%-8u %-8u %-6u %-12.3f %s\n", t->pid, t->tgid, t->uid,
		       t->start_boottime_ns / 1e9, t->comm);
	}
	s->n++;
	return 0;
}

int cmd_ps(int argc, char *argv[])
{
	struct ps_state s = { 0 };
	struct xosjob_ctx *ctx;
	bool intr = false;
	int err;
	uint64_t id;
	int n = parse_opts(argc, argv, NULL, &s.json, false);

	if (n < 0)
		return n == -1 ? 0 : EXIT_USAGE;
	if (n != 1)
		return usage_error(n ? "one job id, please" : "which job?");
	if (!parse_job_id(argv[0], &id))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (s.json)
		fputs("[", stdout);
	err = xosjob_tasks(ctx, id, ps_one, &s, &intr);
	return end_dump(ctx, s.json, err, intr, "members");
}
