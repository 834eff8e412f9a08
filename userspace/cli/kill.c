// SPDX-License-Identifier: GPL-2.0
/* xosjob kill: signal every member of a job, including late forks. */
#include <inttypes.h>

#include "cli.h"

static int cmd_kill(int argc, char *argv[])
{
	const char *sig_arg = "TERM";
	const struct option_spec opts[] = {
		{ "signal", 's', &sig_arg, NULL },
		{ NULL },
	};
	uint32_t sent, denied;
	struct xosjob_ctx *ctx;
	char name[16];
	uint64_t id;
	int sig, n;

	/* kill(1) style: -9, -KILL, -SIGKILL */
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '-' &&
	    parse_signal(argv[1] + 1) >= 0) {
		sig_arg = argv[1] + 1;
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	n = parse_opts(argc, argv, opts, NULL, false);
	if (n < 0)
		return opts_exit(n);
	sig = parse_signal(sig_arg);
	if (sig < 0)
		return usage_error("unknown signal '%s'", sig_arg);
	if (parse_one_job(n, argv, "which job?", &id))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (xosjob_kill(ctx, id, sig, &sent, &denied))
		return fail_ctx(ctx);
	xosjob_close(ctx);
	printf("job %" PRIu64 ": signal %s sent to %u processes", id,
	       signal_name(sig, name, sizeof(name)), sent);
	if (denied)
		printf(", %u not permitted", denied);
	putchar('\n');
	if (denied)
		return fail("%u processes could not be signalled", denied);
	return 0;
}

const struct subcommand kill_cmd = {
	.name = "kill",
	.run = cmd_kill,
	.args = "[-s SIG | -SIG] JOB",
	.help = "signal every member process of a job (default TERM)",
	.details =
		"  -s, --signal SIG\n"
		"                 a number (0 only checks), a name (KILL, SIGKILL)\n"
		"                 or RTMIN+N\n"
		"\n"
		"Exits 1 if some processes could not be signalled.\n",
};
