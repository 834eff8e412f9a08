// SPDX-License-Identifier: GPL-2.0
/* xosjob show: one job by id. */
#include "cli.h"

int cmd_show(int argc, char *argv[])
{
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	bool json = false;
	uint64_t id;
	int n = parse_opts(argc, argv, NULL, &json, false);

	if (n < 0)
		return n == -1 ? 0 : EXIT_USAGE;
	if (n != 1)
		return usage_error(n ? "one job id, please" : "which job?");
	if (!parse_job_id(argv[0], &id))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_get(ctx, id, &job))
		return fail_ctx(ctx);
	if (json) {
		json_job(stdout, &job);
		putchar('\n');
	} else {
		print_job(stdout, &job);
	}
	xosjob_close(ctx);
	return 0;
}
