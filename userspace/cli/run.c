// SPDX-License-Identifier: GPL-2.0
/* xosjob run: create a job for this process, then exec the command in it. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cmd_run(int argc, char *argv[])
{
	const char *label = NULL;
	const struct option_spec opts[] = {
		{ "label", 'l', &label, NULL },
		{ NULL },
	};
	struct xosjob_ctx *ctx;
	char idbuf[32];
	uint64_t id;
	int n = parse_opts(argc, argv, opts, NULL, true);

	if (n < 0)
		return n == -1 ? 0 : EXIT_USAGE;
	if (!n)
		return usage_error("no command given");
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_new(ctx, label, 0, &id))
		return fail_ctx(ctx);
	xosjob_close(ctx);
	/* the command can find its job without asking the kernel */
	snprintf(idbuf, sizeof(idbuf), "%" PRIu64, id);
	setenv("XOS_JOB_ID", idbuf, 1);
	execvp(argv[0], argv);
	fail("cannot run '%s': %s (the job %s ends with this process)", argv[0],
	     strerror(errno), idbuf);
	return errno == ENOENT ? 127 : 126;
}
