// SPDX-License-Identifier: GPL-2.0
/* xosjob list: the jobs the caller may see (all of them for an admin). */
#include <inttypes.h>

#include "cli.h"

static int list_one(const struct xosjob_job *j, void *arg)
{
	struct dump_out *d = arg;
	char t[64], fl[64];

	if (dump_next(d))
		printf("%-8s %-8s %-8s %-8s %-8s %-25s %-10s %s\n", "JOB",
		       "OWNER", "PROCS", "TASKS", "ANCHOR", "CREATED", "FLAGS",
		       "LABEL");
	if (d->json) {
		json_job(stdout, j);
		return 0;
	}
	printf("%-8" PRIu64 " %-8u %-8" PRIu64 " %-8" PRIu64 " %-8u %-25s "
	       "%-10s ", j->id, j->owner_uid, j->nr_procs, j->nr_tasks,
	       j->anchor_pid, time_str(j->created_realtime_ns, t, sizeof(t)),
	       flags_str(j->flags, fl, sizeof(fl)));
	if (j->has_label)
		print_text(stdout, j->label);
	else
		putchar('-');
	putchar('\n');
	return 0;
}

int cmd_list(int argc, char *argv[])
{
	struct dump_out d = { 0 };
	struct xosjob_ctx *ctx;
	bool intr = false;
	int err, n = parse_opts(argc, argv, NULL, &d.json, false);

	if (n < 0)
		return opts_exit(n);
	if (n)
		return usage_error("unexpected argument '%s'", argv[0]);
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	err = xosjob_list(ctx, list_one, &d, &intr);
	return dump_end(ctx, &d, err, intr, "jobs");
}
