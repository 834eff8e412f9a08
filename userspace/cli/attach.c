// SPDX-License-Identifier: GPL-2.0
/* xosjob attach: move a process, with all its threads, into a job. */
#include <inttypes.h>

#include "cli.h"

static int cmd_attach(int argc, char *argv[])
{
	struct xosjob_ctx *ctx;
	uint32_t pid, moved;
	uint64_t id;
	int n = parse_opts(argc, argv, NULL, NULL, false);

	if (n < 0)
		return opts_exit(n);
	if (n != 2)
		return usage_error("give a job id and a pid");
	if (!parse_job_id(argv[0], &id) || !parse_pid(argv[1], &pid))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_attach(ctx, id, pid, &moved))
		return fail_ctx(ctx);
	xosjob_close(ctx);
	printf("process %u (%u %s) is now in job %" PRIu64 "\n", pid, moved,
	       moved == 1 ? "thread" : "threads", id);
	return 0;
}

const struct subcommand attach_cmd = {
	.name = "attach",
	.run = cmd_attach,
	.args = "JOB PID",
	.help = "move a process with all its threads into a job (admin)",
};
