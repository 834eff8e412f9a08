/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob: what every subcommand file includes. Each subcommand lives in
 * its own file (get.c, enter.c ...), which defines its struct subcommand:
 * name, synopsis, help and handler side by side; main.c only lists them.
 * The shared pieces, one header a concern:
 *   error.h      messages and exit status
 *   options.h    option tables and their parser
 *   numbers.h    ids, pids, uids, durations
 *   signals.h    signal names, wait statuses
 *   utf8.h       text safe on a terminal
 *   jsonio.h     JSON output, and reading it back (json-c)
 *   units.h      times, users, sizes for people
 *   job_print.h  a job, its figures and limits, as text or JSON
 */
#ifndef XOSJOB_CLI_H
#define XOSJOB_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "job_print.h"
#include "jsonio.h"
#include "numbers.h"
#include "options.h"
#include "signals.h"
#include "units.h"
#include "utf8.h"
#include "xosjob.h"

struct subcommand {
	const char *name;
	const char *alias;	/* a second name, or NULL */
	int (*run)(int argc, char *argv[]);
	const char *args;	/* synopsis after the name */
	const char *help;	/* one line */
	const char *details;	/* options and notes for --help, or NULL */
};

/* The help line of --json, for the commands that take it. */
#define HELP_JSON "  --json         machine-readable output (one JSON value)\n"

extern char **main_argv;	/* main's argv as given, NULL-terminated */

/* The subcommands, in the order xosjob --help lists them. */
extern const struct subcommand info_cmd, new_cmd, run_cmd, attach_cmd,
	get_cmd, id_cmd, list_cmd, tasks_cmd, enter_cmd, monitor_cmd,
	collect_cmd, freeze_cmd, thaw_cmd, kill_cmd, checkpoint_cmd,
	restore_cmd;

#endif
