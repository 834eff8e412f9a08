// SPDX-License-Identifier: GPL-2.0
/* xosjob get (show): one job, by id or by a member process. */
#include "cli.h"

static int cmd_get(int argc, char *argv[])
{
	const char *pid_arg = NULL;
	const struct option_spec opts[] = {
		{ "pid", 'p', &pid_arg, NULL },
		{ NULL },
	};
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	bool json = false;
	uint32_t pid = 0;
	uint64_t id = 0;
	int err, n = parse_opts(argc, argv, opts, &json, false);

	if (n < 0)
		return opts_exit(n);
	if (pid_arg && n)
		return usage_error("give a job id or --pid, not both");
	if (pid_arg ? !parse_pid(pid_arg, &pid) :
	    parse_one_job(n, argv, "which job? give a job id or --pid PID", &id))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	err = pid ? xosjob_get_by_pid(ctx, pid, &job) :
		    xosjob_get(ctx, id, &job);
	if (err)
		return fail_ctx(ctx);
	xosjob_close(ctx);
	if (json) {
		json_job(stdout, &job);
		putchar('\n');
	} else {
		print_job(stdout, &job);
	}
	return 0;
}

const struct subcommand get_cmd = {
	.name = "get",
	.alias = "show",
	.run = cmd_get,
	.args = "[--json] JOB | --pid PID",
	.help = "show one job, by id or by a member process",
	.details =
		"  -p, --pid PID  the job of process PID\n" HELP_JSON,
};
