// SPDX-License-Identifier: GPL-2.0
/* xosjob id: which job a process is in (default: the caller's parent). */
#include <inttypes.h>
#include <unistd.h>

#include "cli.h"

static int cmd_id(int argc, char *argv[])
{
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	bool json = false;
	struct json o;
	uint32_t pid;
	int n = parse_opts(argc, argv, NULL, &json, false);

	if (n < 0)
		return opts_exit(n);
	if (n > 1)
		return usage_error("one pid, please");
	/* this process is in its parent's job, but the parent outlives us */
	pid = getppid();
	if (n == 1 && !parse_pid(argv[0], &pid))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_get_by_pid(ctx, pid, &job))
		return fail_ctx(ctx);
	xosjob_close(ctx);
	if (json) {
		json_begin(&o, stdout);
		json_u64(&o, "pid", pid);
		json_u64(&o, "job", job.id);
		json_end(&o);
		putchar('\n');
	} else {
		printf("%" PRIu64 "\n", job.id);
	}
	return 0;
}

const struct subcommand id_cmd = {
	.name = "id",
	.run = cmd_id,
	.args = "[--json] [PID]",
	.help = "print the job id of a process (default: the caller's parent)",
	.details =
		HELP_JSON,
};
