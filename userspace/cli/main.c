// SPDX-License-Identifier: GPL-2.0
/* xosjob: command-line client of the xos_job kernel module. */
#include <string.h>

#include "cli.h"

const char *prog = "xosjob";
const char *subcmd;

static const struct subcommand subcommands[] = {
	{ "run", cmd_run, "[--label L] -- CMD [ARG...]",
	  "create a job and run CMD in it" },
	{ "new", cmd_new, "[--label L] [--pid PID] [--json]",
	  "create a job for a running process (admin) and print its id" },
	{ "list", cmd_list, "[--json]", "list the jobs you may see" },
	{ "show", cmd_show, "[--json] JOB", "show one job" },
	{ "ps", cmd_ps, "[--json] JOB", "list the member tasks of a job" },
	{ "id", cmd_id, "[--json] [PID]",
	  "print the job of a process (default: the caller)" },
	{ "kill", cmd_kill, "[-s SIG] JOB",
	  "send a signal to every member of a job (default TERM)" },
	{ "attach", cmd_attach, "JOB PID",
	  "move a process and its threads into a job (admin)" },
	{ "info", cmd_info, "[--json]", "module version and counters" },
};

#define NR_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void help(FILE *f)
{
	unsigned int i;

	fprintf(f, "Usage: %s COMMAND [ARGS...]\n\n"
		"Every process of a job carries the job's ID (kernel module xos_job).\n\n"
		"Commands:\n", prog);
	for (i = 0; i < NR_SUBCOMMANDS; i++)
		fprintf(f, "  %-7s %-32s %s\n", subcommands[i].name,
			subcommands[i].args, subcommands[i].help);
	fprintf(f, "\n'%s COMMAND --help' describes a command. Exit status: 0 "
		"success, 1 error, 2 usage error.\n", prog);
}

static const struct subcommand *current;

void subcommand_help(FILE *f)
{
	fprintf(f, "Usage: %s %s %s\n%s\n", prog, current->name, current->args,
		current->help);
}

int main(int argc, char *argv[])
{
	unsigned int i;

	if (argc < 2) {
		help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		help(stdout);
		return 0;
	}
	for (i = 0; i < NR_SUBCOMMANDS; i++) {
		if (strcmp(argv[1], subcommands[i].name))
			continue;
		current = &subcommands[i];
		subcmd = current->name;
		return subcommands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
	help(stderr);
	return EXIT_USAGE;
}
