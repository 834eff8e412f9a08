// SPDX-License-Identifier: GPL-2.0
/* xosjob tasks (ps): the member tasks of a job, in join order. */
#include <inttypes.h>

#include "cli.h"

static int task_one(const struct xosjob_task *t, void *arg)
{
	struct dump_out *d = arg;
	struct json o;
	char ts[64];

	if (dump_next(d))
		printf("%-8s %-8s %-8s %-25s %10s %10s %s\n", "PID", "TGID",
		       "UID", "STARTED", "CPU_S", "RSS_MAX_K", "COMM");
	if (d->json) {
		json_begin(&o, stdout);
		json_u64(&o, "pid", t->pid);
		json_u64(&o, "tgid", t->tgid);
		json_u64(&o, "uid", t->uid);
		json_str(&o, "comm", t->comm);
		json_u64(&o, "start_boottime_ns", t->start_boottime_ns);
		/* no figures rather than zeros that look real */
		if (t->private)
			json_boolean(&o, "private", true);
		else
			json_stats(&o, "stats", &t->stats);
		json_end(&o);
		return 0;
	}
	printf("%-8u %-8u %-8u %-25s ", t->pid, t->tgid, t->uid,
	       time_str(boot_to_realtime(t->start_boottime_ns), ts,
			sizeof(ts)));
	if (t->private)
		printf("%10s %10s ", "-", "-");
	else
		printf("%10.3f %10" PRIu64 " ",
		       (t->stats.utime_ns + t->stats.stime_ns) / 1e9,
		       t->stats.hiwater_rss_kb);
	print_text(stdout, t->comm);
	putchar('\n');
	return 0;
}

static int cmd_tasks(int argc, char *argv[])
{
	struct dump_out d = { 0 };
	struct xosjob_ctx *ctx;
	bool intr = false;
	uint64_t id;
	int err, n = parse_opts(argc, argv, NULL, &d.json, false);

	if (n < 0)
		return opts_exit(n);
	if (parse_one_job(n, argv, "which job?", &id))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	err = xosjob_tasks(ctx, id, task_one, &d, &intr);
	return dump_end(ctx, &d, err, intr, "members");
}

const struct subcommand tasks_cmd = {
	.name = "tasks",
	.alias = "ps",
	.run = cmd_tasks,
	.args = "[--json] JOB",
	.help = "list the member tasks (threads) of a job, in join order",
	.details =
		HELP_JSON,
};
