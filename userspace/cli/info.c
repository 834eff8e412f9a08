// SPDX-License-Identifier: GPL-2.0
/* xosjob info: module version and global counters. */
#include <inttypes.h>

#include "cli.h"

static int cmd_info(int argc, char *argv[])
{
	struct xosjob_info info;
	struct xosjob_ctx *ctx;
	bool json = false;
	struct json o;
	int n = parse_opts(argc, argv, NULL, &json, false);

	if (n < 0)
		return opts_exit(n);
	if (n)
		return usage_error("unexpected argument '%s'", argv[0]);
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_info(ctx, &info))
		return fail_ctx(ctx);
	xosjob_close(ctx);
	if (json) {
		json_begin(&o, stdout);
		json_u64(&o, "protocol_version", info.version);
		json_str(&o, "module_version", info.module_version);
		json_u64(&o, "nr_jobs", info.nr_jobs);
		json_u64(&o, "max_jobs", info.max_jobs);
		json_u64(&o, "nr_tasks", info.nr_tasks);
		json_u64(&o, "alloc_failures", info.alloc_failures);
		json_u64(&o, "last_seq", info.last_seq);
		json_u64(&o, "oldest_seq", info.oldest_seq);
		json_u64(&o, "ring_size", info.ring_size);
		json_end(&o);
		putchar('\n');
		return 0;
	}
	printf("module version: ");
	print_text(stdout, info.module_version);
	printf("\nprotocol version: %u\n", info.version);
	printf("jobs: %u (max %u)\n", info.nr_jobs, info.max_jobs);
	printf("tracked tasks: %" PRIu64 "\n", info.nr_tasks);
	printf("allocation failures: %" PRIu64 "\n", info.alloc_failures);
	printf("end-of-job records: last %" PRIu64 ", oldest kept %" PRIu64
	       ", ring of %u\n", info.last_seq, info.oldest_seq,
	       info.ring_size);
	return 0;
}

const struct subcommand info_cmd = {
	.name = "info",
	.run = cmd_info,
	.args = "[--json]",
	.help = "module version, live jobs, tracked tasks, allocation failures",
	.details =
		HELP_JSON,
};
