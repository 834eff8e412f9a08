// SPDX-License-Identifier: GPL-2.0
/* xosjob: the options of a subcommand (--name VALUE, -c VALUE, flags). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct option_spec *find_opt(const struct option_spec *opts,
					  const char *a, const char **value)
{
	size_t len;

	*value = NULL;
	for (; opts && opts->name; opts++) {
		if (a[1] == '-') {
			len = strlen(opts->name);
			if (strncmp(a + 2, opts->name, len))
				continue;
			if (!a[2 + len])
				return opts;
			if (a[2 + len] == '=' && opts->value) {
				*value = a + 3 + len;
				return opts;
			}
		} else if (opts->short_name && a[1] == opts->short_name) {
			if (!a[2])
				return opts;
			if (opts->value) {
				*value = a + 2;
				return opts;
			}
		}
	}
	return NULL;
}

bool list_options;

/*
 * The bash completion's source of truth: the very table the command
 * parses with, --help and --json included.
 */
static void print_options(const struct option_spec *opts, bool json)
{
	for (; opts && opts->name; opts++) {
		const char *kind = opts->value ? "value" : "flag";

		printf("--%s %s\n", opts->name, kind);
		if (opts->short_name)
			printf("-%c %s\n", opts->short_name, kind);
	}
	if (json)
		puts("--json flag");
	puts("--help flag");
}

int parse_opts(int argc, char *argv[], const struct option_spec *opts,
	       bool *json, bool stop_at_arg)
{
	bool rest = false;
	int i, n = 0;

	if (list_options) {
		print_options(opts, json);
		return OPTS_HELP;
	}
	for (i = 1; i < argc; i++) {
		const struct option_spec *o;
		const char *value;
		char *a = argv[i];

		if (rest || a[0] != '-' || !a[1]) {
			argv[n++] = a;
			rest = rest || stop_at_arg;
			continue;
		}
		if (!strcmp(a, "--")) {
			rest = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			subcommand_help(stdout);
			return OPTS_HELP;
		}
		if (json && !strcmp(a, "--json")) {
			*json = true;
			continue;
		}
		o = find_opt(opts, a, &value);
		if (!o) {
			usage_error("unknown option '%s'", a);
			return OPTS_USAGE;
		}
		if (o->flag) {
			*o->flag = true;
			continue;
		}
		if (!value) {
			if (i + 1 >= argc) {
				usage_error("option '%s' needs a value", a);
				return OPTS_USAGE;
			}
			value = argv[++i];
		}
		*o->value = value;
	}
	argv[n] = NULL;
	return n;
}

int opts_exit(int n)
{
	return n == OPTS_HELP ? 0 : EXIT_USAGE;
}
