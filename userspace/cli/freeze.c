// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob freeze / thaw: the cgroup v2 freezer on a job's own cgroup (one
 * made for it by run or new with limits or --cgroup-parent). A frozen job's
 * processes stop where they are, use no CPU and cannot be entered; thaw
 * lets them go on.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cgroup.h"
#include "cli.h"

#define FREEZE_TIMEOUT_MS 10000

static int freeze_job(int argc, char *argv[], bool freeze)
{
	const char *what = freeze ? "frozen" : "thawed";
	char path[4096 + 256];
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	bool json = false;
	struct json o;
	uint64_t id;
	int err, n = parse_opts(argc, argv, NULL, &json, false);

	if (n < 0)
		return opts_exit(n);
	if (parse_one_job(n, argv, "which job? give a job id", &id))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_get(ctx, id, &job))
		return fail_ctx(ctx);
	xosjob_close(ctx);
	if (job.ended)
		return fail("job %" PRIu64 " has ended", id);
	if (!job.own_cgroup || !job.cgroup[0])
		return fail("job %" PRIu64 " has no cgroup of its own: start it with limits or --cgroup-parent",
			    id);
	err = cg_freeze(job.cgroup, freeze, FREEZE_TIMEOUT_MS, path,
			sizeof(path));
	if (err == -ETIMEDOUT)
		return fail("job %" PRIu64 ": cgroup %s not %s after %d s (cgroup.events)",
			    id, job.cgroup, what, FREEZE_TIMEOUT_MS / 1000);
	if (err)
		return fail("job %" PRIu64 ": cannot write %d to %s: %s", id,
			    freeze, path, strerror(-err));
	if (json) {
		json_begin(&o, stdout);
		json_u64(&o, "id", id);
		json_boolean(&o, "frozen", freeze);
		json_str(&o, "cgroup", job.cgroup);
		json_end(&o);
		putchar('\n');
	} else {
		printf("job %" PRIu64 ": %s (cgroup %s)\n", id, what,
		       job.cgroup);
	}
	return 0;
}

static int cmd_freeze(int argc, char *argv[])
{
	return freeze_job(argc, argv, true);
}

static int cmd_thaw(int argc, char *argv[])
{
	return freeze_job(argc, argv, false);
}

const struct subcommand freeze_cmd = {
	.name = "freeze",
	.run = cmd_freeze,
	.args = "[--json] JOB",
	.help = "stop every process of a job with the cgroup v2 freezer",
	.details =
		HELP_JSON
		"\n"
		"Only for a job with a cgroup of its own (run or new with limits or\n"
		"--cgroup-parent). Waits up to 10 s for the cgroup to be frozen. A\n"
		"frozen job cannot be entered.\n",
};

const struct subcommand thaw_cmd = {
	.name = "thaw",
	.run = cmd_thaw,
	.args = "[--json] JOB",
	.help = "let a frozen job's processes run again",
	.details =
		HELP_JSON,
};
