/* SPDX-License-Identifier: GPL-2.0 */
/* xosjob: the options of a subcommand (options.c). */
#ifndef XOSJOB_OPTIONS_H
#define XOSJOB_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

/* An option of a subcommand: --name VALUE, -c VALUE, or a bare flag. */
struct option_spec {
	const char *name;
	char short_name;
	const char **value;	/* takes an argument when set */
	bool *flag;		/* a flag otherwise */
};

#define OPTS_HELP (-1)		/* --help was printed */
#define OPTS_USAGE (-2)		/* a usage error was printed */

/*
 * Parses argv[1..] against @opts (terminated by a zeroed entry; may be
 * NULL). --help is implied, and --json when @json is set. Values are given
 * as "--name V", "--name=V", "-c V" or "-cV". Positional arguments are
 * moved to the front of argv and NULL-terminated; "--" ends the options.
 * With @stop_at_arg the first positional argument ends them too (the rest
 * is a command line). Returns the number of positional arguments, or
 * OPTS_HELP / OPTS_USAGE.
 *
 * With list_options set (xosjob --list-options CMD, for the bash
 * completion), prints the options instead, one a line: "--name value",
 * "-c value" or "--name flag", and returns OPTS_HELP.
 */
int parse_opts(int argc, char *argv[], const struct option_spec *opts,
	       bool *json, bool stop_at_arg);
extern bool list_options;
/* The exit status for a negative parse_opts() result. */
int opts_exit(int n);
/* Usage line, help and details of the running subcommand (main.c). */
void subcommand_help(FILE *f);

#endif
