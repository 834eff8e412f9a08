// SPDX-License-Identifier: GPL-2.0
/* xosjob kill: signal every member of a job, including late forks. */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

int cmd_kill(int argc, char *argv[])
{
	const char *sig_arg = "TERM";
	const struct option_spec opts[] = {
		{ "signal", 's', &sig_arg, NULL },
		{ NULL },
	};
	uint32_t sent, denied;
	struct xosjob_ctx *ctx;
	uint64_t id;
	int sig, n = parse_opts(argc, argv, opts, NULL, false);

	if (n < 0)
		return n == -1 ? 0 : EXIT_USAGE;
	if (n != 1)
		return usage_error(n ? "one job id, please" : "which job?");
	sig = parse_signal(sig_arg);
	if (sig < 0)
		return usage_error("unknown signal '%s'", sig_arg);
	if (!parse_job_id(argv[0], &id))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_kill(ctx, id, sig, &sent, &denied))
		return fail_ctx(ctx);
	printf("job %" PRIu64 ": signal %s sent to %u processes", id,
	       sig ? sigabbrev_np(sig) : "0", sent);
	if (denied)
		printf(", %u not permitted", denied);
	putchar('\n');
	xosjob_close(ctx);
	return denied ? EXIT_FAIL : 0;
}
