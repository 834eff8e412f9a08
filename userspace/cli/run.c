// SPDX-License-Identifier: GPL-2.0
/* xosjob run: create a job for this process, then exec the command in it. */
#include "cli.h"

int cmd_run(int argc, char *argv[])
{
	return new_job(argc, argv, true);
}
