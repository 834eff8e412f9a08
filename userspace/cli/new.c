// SPDX-License-Identifier: GPL-2.0
/* xosjob new: create a job and print its id; admins may name a process. */
#include <inttypes.h>
#include <unistd.h>

#include "cli.h"

int cmd_new(int argc, char *argv[])
{
	const char *label = NULL, *pid_arg = NULL;
	const struct option_spec opts[] = {
		{ "label", 'l', &label, NULL },
		{ "pid", 'p', &pid_arg, NULL },
		{ NULL },
	};
	struct xosjob_ctx *ctx;
	bool json = false;
	uint32_t pid = 0;
	uint64_t id;
	int n = parse_opts(argc, argv, opts, &json, false);

	if (n < 0)
		return n == -1 ? 0 : EXIT_USAGE;
	if (n)
		return usage_error("unexpected argument '%s'", argv[0]);
	if (pid_arg && !parse_pid(pid_arg, &pid))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	/* without --pid the job would be this short-lived process's: the
	 * parent (the shell) is the useful target
	 */
	if (xosjob_new(ctx, label, pid ? pid : (uint32_t)getppid(), &id))
		return fail_ctx(ctx);
	if (json)
		printf("{\"id\":%" PRIu64 "}\n", id);
	else
		printf("%" PRIu64 "\n", id);
	xosjob_close(ctx);
	return 0;
}
