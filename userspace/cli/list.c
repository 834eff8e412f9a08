// SPDX-License-Identifier: GPL-2.0
/* xosjob list: the jobs the caller may see (all of them for an admin). */
#include <inttypes.h>

#include "cli.h"

struct list_state {
	bool json;
	unsigned int n;
};

static int list_one(const struct xosjob_job *j, void *arg)
{
	struct list_state *s = arg;
	char t[64], fl[32];

	if (s->json) {
		fputs(s->n ? "," : "", stdout);
		json_job(stdout, j);
	} else {
		if (!s->n)
			printf("%-8s %-6s %-7s %-7s %-8s %-24s %-10s %s\n",
			       "JOB", "OWNER", "PROCS", "TASKS", "ANCHOR",
			       "CREATED", "FLAGS", "LABEL");
		printf("%-8" PRIu64 " %-6u %-7" PRIu64 " %-7" PRIu64
		       " %-8u %-24s %-10s %s\n", j->id, j->owner_uid,
		       j->nr_procs, j->nr_tasks, j->anchor_pid,
		       time_str(j->created_realtime_ns, t, sizeof(t)),
		       flags_str(j->flags, fl, sizeof(fl)),
		       j->has_label ? j->label : "-");
	}
	s->n++;
	return 0;
}

int cmd_list(int argc, char *argv[])
{
	struct list_state s = { 0 };
	struct xosjob_ctx *ctx;
	bool intr = false;
	int err;
	int n = parse_opts(argc, argv, NULL, &s.json, false);

	if (n < 0)
		return n == -1 ? 0 : EXIT_USAGE;
	if (n)
		return usage_error("unexpected argument '%s'", argv[0]);
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (s.json)
		fputs("[", stdout);
	err = xosjob_list(ctx, list_one, &s, &intr);
	return end_dump(ctx, s.json, err, intr, "jobs");
}
