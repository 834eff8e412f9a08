// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob new: create a job. With a command, this process joins it and
 * executes the command; without, the job is created for a process (admin)
 * and its id printed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "isolate.h"

/* Exits with the command's status, or 126/127 if it cannot run. */
static int exec_in_job(struct xosjob_ctx *ctx, uint64_t id, char *argv[])
{
	char idbuf[24];

	xosjob_close(ctx);
	/* the command can find its job without asking the kernel */
	snprintf(idbuf, sizeof(idbuf), "%" PRIu64, id);
	if (setenv("XOS_JOB_ID", idbuf, 1))
		return fail("cannot set XOS_JOB_ID: %s", strerror(errno));
	fflush(stdout);
	execvp(argv[0], argv);
	fail("cannot run '%s': %s (job %s ends with this process)", argv[0],
	     strerror(errno), idbuf);
	return errno == ENOENT ? 127 : 126;
}

int new_job(int argc, char *argv[], bool need_cmd)
{
	const char *label = NULL, *pid_arg = NULL, *owner_arg = NULL;
	const char *cpu_time = NULL, *wall_time = NULL, *grace = NULL;
	struct isolate_opts iso = { 0 };
	/* run takes no --pid: it starts after that entry */
	const struct option_spec opts[] = {
		{ "pid", 'p', &pid_arg, NULL },
		{ "label", 'l', &label, NULL },
		{ "owner", 'o', &owner_arg, NULL },
		{ "cpu-time", 0, &cpu_time, NULL },
		{ "time", 't', &wall_time, NULL },
		{ "cpu-time-grace", 0, &grace, NULL },
		{ "grace", 0, &grace, NULL },
		ISOLATE_OPTIONS(iso),
		{ NULL },
	};
	struct xosjob_new_req req = { .owner = XOSJOB_OWNER_DEFAULT };
	uint32_t pid = 0, owner = XOSJOB_OWNER_DEFAULT;
	struct xosjob_ctx *ctx;
	bool json = false;
	struct json o;
	uint64_t id;
	int err, n = parse_opts(argc, argv, opts + need_cmd,
			   need_cmd ? NULL : &json, true);

	if (n < 0)
		return opts_exit(n);
	if (need_cmd && !n)
		return usage_error("no command given");
	if (n && pid_arg)
		return usage_error("--pid and a command exclude each other");
	if (n && json)
		return usage_error("--json needs no command");
	if (pid_arg && !parse_pid(pid_arg, &pid))
		return EXIT_USAGE;
	if (owner_arg && !parse_uid(owner_arg, &owner))
		return EXIT_USAGE;
	if (cpu_time && !parse_duration("cpu-time", cpu_time, false,
					&req.limits.cpu_time_ns))
		return EXIT_USAGE;
	if (wall_time && !parse_duration("time", wall_time, false,
					 &req.limits.time_ns))
		return EXIT_USAGE;
	if (grace && !cpu_time && !wall_time)
		return usage_error("--grace needs --cpu-time or --time");
	if (grace && !parse_duration("grace", grace, true,
				     &req.limits.grace_ns))
		return EXIT_USAGE;
	req.limits.has_grace = grace;
	req.label = label;
	req.owner = owner;
	if (isolate_parse(&iso, n > 0))
		return EXIT_USAGE;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (n) {
		if (xosjob_new_req(ctx, &req, &id))
			return fail_ctx(ctx);
		/* after NEW: the job's init and namespaces are in it */
		if (iso.ns && (err = isolate_job(&iso, id)) != ISOLATE_EXEC) {
			xosjob_close(ctx);
			return err;
		}
		return exec_in_job(ctx, id, argv);
	}
	/*
	 * A job for this process would end when it exits, in a moment: the
	 * parent (the shell) is the useful target.
	 */
	if (!pid)
		pid = getppid();
	req.pid = pid;
	err = xosjob_new_req(ctx, &req, &id);
	if (err == -EPERM && !pid_arg) {
		fail("%s (without a command, new places its parent, pid %u, "
		     "in the job)", xosjob_strerror(ctx), pid);
		xosjob_close(ctx);
		return EXIT_FAIL;
	}
	if (err)
		return fail_ctx(ctx);
	xosjob_close(ctx);
	if (json) {
		json_begin(&o, stdout);
		json_u64(&o, "id", id);
		json_u64(&o, "pid", pid);
		json_end(&o);
		putchar('\n');
	} else {
		printf("%" PRIu64 "\n", id);
	}
	return 0;
}

int cmd_new(int argc, char *argv[])
{
	return new_job(argc, argv, false);
}
