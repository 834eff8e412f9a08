/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob new and run (new.c, run.c): one way to create a job, with or
 * without a command.
 */
#ifndef XOSJOB_NEW_H
#define XOSJOB_NEW_H

#include <stdbool.h>

/* Creates a job; prints its id, or executes argv's command in it. */
int new_job(int argc, char *argv[], bool need_cmd);

/* Help of the options that new and run share, beside their table. */
#define NEW_HELP_OWNER \
	"  -l, --label L  a label of up to 255 bytes\n" \
	"  -o, --owner UID\n" \
	"                 owner uid or user name (admin only)\n"
#define NEW_HELP_LIMITS \
	"  --cpu-time D   total CPU time of the whole job (all members,\n" \
	"                 exited ones included): SIGXCPU to every process at\n" \
	"                 the limit, SIGKILL after the grace period\n" \
	"  -t, --time D   wall-clock limit: SIGTERM, then SIGKILL after the\n" \
	"                 grace period\n" \
	"  --grace D, --cpu-time-grace D\n" \
	"                 between the first signal and SIGKILL (default 10s,\n" \
	"                 0: SIGKILL at once, at most 1h)\n"

#endif
