// SPDX-License-Identifier: GPL-2.0
/* xosjob list: the jobs the caller may see (all of them for an admin). */
#include <inttypes.h>

#include "cli.h"

static int list_one(const struct xosjob_job *j, void *arg)
{
	struct dump_out *d = arg;
	char t[64], fl[64];

	if (dump_next(d) && !j->ended)
		printf("%-8s %-8s %-8s %-8s %-8s %-25s %-10s %s\n", "JOB",
		       "OWNER", "PROCS", "TASKS", "ANCHOR", "CREATED", "FLAGS",
		       "LABEL");
	else if (d->n == 1 && !d->json)
		printf("%-8s %-8s %-8s %-8s %-10s %-25s %-10s %s\n", "SEQ",
		       "JOB", "OWNER", "PROCS", "CPU_S", "ENDED", "FLAGS",
		       "LABEL");
	if (d->json) {
		json_job(stdout, j);
		return 0;
	}
	if (j->ended) {
		printf("%-8" PRIu64 " %-8" PRIu64 " %-8u %-8" PRIu64
		       " %-10.3f %-25s %-10s ", j->seq, j->id, j->owner_uid,
		       j->procs_started,
		       (j->stats.utime_ns + j->stats.stime_ns) / 1e9,
		       time_str(j->ended_realtime_ns, t, sizeof(t)),
		       flags_str(j->flags, fl, sizeof(fl)));
		goto label;
	}
	printf("%-8" PRIu64 " %-8u %-8" PRIu64 " %-8" PRIu64 " %-8u %-25s "
	       "%-10s ", j->id, j->owner_uid, j->nr_procs, j->nr_tasks,
	       j->anchor_pid, time_str(j->created_realtime_ns, t, sizeof(t)),
	       flags_str(j->flags, fl, sizeof(fl)));
label:
	if (j->has_label)
		print_text(stdout, j->label);
	else
		putchar('-');
	putchar('\n');
	return 0;
}

static int cmd_list(int argc, char *argv[])
{
	const char *from = NULL;
	bool ended = false;
	const struct option_spec opts[] = {
		{ "ended", 'e', NULL, &ended },
		{ "from", 'f', &from, NULL },
		{ 0 },
	};
	struct dump_out d = { 0 };
	struct xosjob_ctx *ctx;
	uint64_t seq = 0;
	bool intr = false;
	int err, n = parse_opts(argc, argv, opts, &d.json, false);

	if (n < 0)
		return opts_exit(n);
	if (n)
		return usage_error("unexpected argument '%s'", argv[0]);
	if (from && !ended)
		return usage_error("--from applies to --ended");
	if (from && (!parse_u64(from, UINT64_MAX, &seq) || !seq))
		return usage_error("--from: '%s' is not a sequence number", from);
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (ended)
		err = xosjob_list_ended(ctx, seq, list_one, &d, &intr);
	else
		err = xosjob_list(ctx, list_one, &d, &intr);
	return dump_end(ctx, &d, err, intr, ended ? "records" : "jobs");
}

const struct subcommand list_cmd = {
	.name = "list",
	.run = cmd_list,
	.args = "[--json] [--ended [--from SEQ]]",
	.help = "list the jobs you may see (admin: all)",
	.details =
		"  -e, --ended    the end-of-job records kept by the module instead\n"
		"  -f, --from SEQ records from sequence number SEQ on\n"
		HELP_JSON,
};
