// SPDX-License-Identifier: GPL-2.0
/* xosjob: command-line client of the xos_job kernel module. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "cli.h"

const char *prog = "xosjob";
const char *subcmd;
char **main_argv;

/* Each command's name, synopsis, help and handler are in its own file. */
static const struct subcommand *const subcommands[] = {
	&info_cmd, &new_cmd, &run_cmd, &attach_cmd, &get_cmd, &id_cmd,
	&list_cmd, &tasks_cmd, &enter_cmd, &monitor_cmd, &collect_cmd,
	&freeze_cmd, &thaw_cmd, &kill_cmd, &checkpoint_cmd, &restore_cmd,
};

#define NR_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static const struct subcommand *current;

static void help(FILE *f)
{
	unsigned int i;
	char name[32];

	fprintf(f, "Usage: %s COMMAND [OPTIONS] [ARGS...]\n\n"
		"Jobs of the xos_job kernel module: every process of a job "
		"carries its id.\n\nCommands:\n", prog);
	for (i = 0; i < NR_SUBCOMMANDS; i++) {
		const struct subcommand *c = subcommands[i];

		snprintf(name, sizeof(name), "%s%s%s%s", c->name,
			 c->alias ? " (" : "", c->alias ?: "",
			 c->alias ? ")" : "");
		fprintf(f, "  %-13s %s\n", name, c->help);
	}
	fprintf(f, "  %-13s %s\n", "help", "this text, or help on a command");
	fprintf(f, "\n'%s COMMAND --help' describes a command.\n"
		"Exit status: 0 success, 1 error, 2 usage error.\n", prog);
}

void subcommand_help(FILE *f)
{
	fprintf(f, "Usage: %s %s %s\n%c%s.\n", prog, current->name,
		current->args, toupper((unsigned char)current->help[0]),
		current->help + 1);
	if (current->alias)
		fprintf(f, "Also called '%s'.\n", current->alias);
	if (current->details)
		fprintf(f, "\n%s", current->details);
}

static const struct subcommand *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_SUBCOMMANDS; i++) {
		const struct subcommand *c = subcommands[i];

		if (!strcmp(name, c->name) ||
		    (c->alias && !strcmp(name, c->alias)))
			return c;
	}
	return NULL;
}

static int cmd_help(int argc, char *argv[])
{
	if (argc < 2) {
		help(stdout);
		return 0;
	}
	if (argc > 2)
		return usage_error("help on one command, please");
	current = find(argv[1]);
	if (!current)
		return usage_error("unknown command '%s'", argv[1]);
	subcommand_help(stdout);
	return 0;
}

/*
 * Hidden: xosjob --list-options [CMD], for the bash completion. Without
 * CMD the commands, one a line; with CMD its options as parse_opts()
 * knows them, read from the command's own option table.
 */
static int cmd_list_options(int argc, char *argv[])
{
	char *args[] = { NULL, NULL };
	unsigned int i;

	if (argc < 2) {
		for (i = 0; i < NR_SUBCOMMANDS; i++) {
			puts(subcommands[i]->name);
			if (subcommands[i]->alias)
				puts(subcommands[i]->alias);
		}
		puts("help");
		return 0;
	}
	if (argc > 2)
		return usage_error("--list-options of one command, please");
	current = find(argv[1]);
	if (!current)
		return usage_error("unknown command '%s'", argv[1]);
	subcmd = current->name;
	args[0] = argv[1];
	list_options = true;
	return current->run(1, args);
}

int main(int argc, char *argv[])
{
	int ret;

	/*
	 * CRIU runs its action script by path alone, without arguments: this
	 * program as xosjob checkpoint's or restore's hook (checkpoint.c).
	 */
	if (argc == 1 && getenv("CRTOOLS_SCRIPT_ACTION"))
		return ckpt_criu_hook();
	/*
	 * parse_opts reorders argv: run re-executes itself in a systemd
	 * scope with the arguments as given (cgroup.c)
	 */
	main_argv = calloc(argc + 1, sizeof(*main_argv));
	if (!main_argv) {
		fail("out of memory");
		return EXIT_FAIL;
	}
	memcpy(main_argv, argv, argc * sizeof(*argv));
	if (argc < 2) {
		help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--list-options"))
		return cmd_list_options(argc - 1, argv + 1);
	current = find(argv[1]);
	if (!current)
		return usage_error("unknown command '%s'", argv[1]);
	subcmd = argv[1];
	ret = current->run(argc - 1, argv + 1);
	/* a full disk or a closed pipe is a failure too */
	if (fflush(stdout) || ferror(stdout)) {
		if (errno != EPIPE)
			fail("write error: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return ret;
}
