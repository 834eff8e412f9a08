// SPDX-License-Identifier: GPL-2.0
/* xosjob run: create a job for this process, then exec the command in it. */
#include "cgroup.h"
#include "cli.h"
#include "isolate.h"
#include "new.h"

static int cmd_run(int argc, char *argv[])
{
	return new_job(argc, argv, true);
}

const struct subcommand run_cmd = {
	.name = "run",
	.run = cmd_run,
	.args = "[--label L] [--owner UID] [--cpu-time D] [--time D] [--grace D]\n"
	"       [--isolate LIST] [--hostname NAME] [--root DIR] [LIMITS] [--] CMD [ARG...]",
	.help = "create a job and run CMD in it (new with a command)",
	.details =
		NEW_HELP_OWNER
		NEW_HELP_LIMITS
		ISOLATE_OPTIONS_HELP
		CG_OPTIONS_HELP
		"\n"
		"Durations: 90 (seconds), 1.5s, 500ms, 2m30s, 1h, 1d. The module\n"
		"enforces --cpu-time and --time itself: signals that are ignored or\n"
		"blocked, and members that detach, do not escape them.\n"
		"XOS_JOB_ID is set in CMD's environment. The exit status is CMD's\n"
		"(128+N if signal N killed it), or 126/127 if it cannot be executed.\n"
		"A user other than root isolates through a user namespace, added to\n"
		"LIST if missing, with its uid and gid mapped to 0 (as unshare -r).\n"
		"The job's processes, its init included, are all members; xosjob\n"
		"enter lands in its namespaces, root and /proc.\n"
		"\n"
		"Without limits, this process becomes the job's first member and\n"
		"executes CMD. With limits (or --cgroup-parent) the job gets a new\n"
		"cgroup under the parent; this process stays outside, as the job's\n"
		"supervisor: it forwards INT, TERM, HUP, QUIT, USR1 and USR2 to CMD,\n"
		"waits for CMD and then for the cgroup to be empty, removes it and\n"
		"exits with CMD's status (killed by a signal: 128 + its number).\n",
};
