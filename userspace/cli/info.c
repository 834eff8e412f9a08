// SPDX-License-Identifier: GPL-2.0
/* xosjob info: module version and global counters. */
#include <inttypes.h>

#include "cli.h"

int cmd_info(int argc, char *argv[])
{
	struct xosjob_info info;
	struct xosjob_ctx *ctx;
	bool json = false;
	int n = parse_opts(argc, argv, NULL, &json, false);

	if (n < 0)
		return n == -1 ? 0 : EXIT_USAGE;
	if (n)
		return usage_error("unexpected argument '%s'", argv[0]);
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_info(ctx, &info))
		return fail_ctx(ctx);
	if (json) {
		printf("{\"protocol_version\":%u,\"module_version\":", info.version);
		json_string(stdout, info.module_version);
		printf(",\"nr_jobs\":%u,\"max_jobs\":%u,\"nr_tasks\":%" PRIu64
		       ",\"alloc_failures\":%" PRIu64 "}\n", info.nr_jobs,
		       info.max_jobs, info.nr_tasks, info.alloc_failures);
	} else {
		printf("module version:      %s (protocol %u)\n",
		       info.module_version, info.version);
		printf("jobs:                %u (max %u)\n", info.nr_jobs,
		       info.max_jobs);
		printf("tracked tasks:       %" PRIu64 "\n", info.nr_tasks);
		printf("allocation failures: %" PRIu64 "\n", info.alloc_failures);
	}
	xosjob_close(ctx);
	return 0;
}
