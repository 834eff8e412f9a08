// SPDX-License-Identifier: GPL-2.0
/* xosjob id: which job a process is in (default: the caller's parent). */
#include <errno.h>
#include <inttypes.h>
#include <unistd.h>

#include "cli.h"

int cmd_id(int argc, char *argv[])
{
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	bool json = false;
	uint32_t pid;
	int n = parse_opts(argc, argv, NULL, &json, false);

	if (n < 0)
		return n == -1 ? 0 : EXIT_USAGE;
	if (n > 1)
		return usage_error("one pid, please");
	/* this process is the parent's child: same job, but ask about the
	 * parent, which outlives us
	 */
	pid = getppid();
	if (n == 1 && !parse_pid(argv[0], &pid))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_get_by_pid(ctx, pid, &job))
		return fail_ctx(ctx);
	if (json)
		printf("{\"pid\":%u,\"job\":%" PRIu64 "}\n", pid, job.id);
	else
		printf("%" PRIu64 "\n", job.id);
	xosjob_close(ctx);
	return 0;
}
