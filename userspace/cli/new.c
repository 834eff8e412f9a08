// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob new: create a job. With a command, this process joins it and
 * executes the command; without, the job is created for a process (admin)
 * and its id printed.
 *
 * With cgroup limits (or --cgroup-parent) the job gets a cgroup of its
 * own (cgroup.c). With a command, this process stays outside as the
 * job's supervisor: the child moves itself into the new cgroup, creates
 * the job (the kernel records that cgroup as the job's) and executes the
 * command; the supervisor forwards signals, waits for the child and then
 * for the cgroup to be empty, removes it and exits with the command's
 * status (a signal: 128 + its number), as srun does. Without a command
 * the process (--pid, or the parent shell) is moved into the new cgroup,
 * which stays after the job (nobody supervises it).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "cli.h"
#include "isolate.h"
#include "new.h"

/*
 * The one place a job is created: JOB_NEW with @base's label, owner and
 * module limits, for @pid; with the job's own cgroup and the limits
 * written to it when it has one.
 */
static int create_job(struct xosjob_ctx *ctx,
		      const struct xosjob_new_req *base, pid_t pid,
		      const struct cg_job *cg, uint64_t *id)
{
	struct xosjob_new_req req = *base;
	const struct xosjob_limits *c = &cg->limits;

	req.pid = pid;
	if (cg->wanted) {
		req.own_cgroup = true;
		req.limits.memory_max = c->memory_max;
		req.limits.memory_high = c->memory_high;
		req.limits.swap_max = c->swap_max;
		req.limits.has_swap_max = c->has_swap_max;
		req.limits.pids_max = c->pids_max;
		req.limits.cpu_quota_us = c->cpu_quota_us;
		req.limits.cpu_period_us = c->cpu_period_us;
		req.limits.cpu_weight = c->cpu_weight;
		req.limits.io_weight = c->io_weight;
		memcpy(req.limits.cpus, c->cpus, sizeof(req.limits.cpus));
		memcpy(req.limits.mems, c->mems, sizeof(req.limits.mems));
	}
	return xosjob_new_req(ctx, &req, id);
}

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

/* The supervisor's command process; the signal it should get next. */
static volatile sig_atomic_t child_pid, pending_sig;
/* the supervisor leads its session: a hangup comes to it alone */
static bool session_leader;

static void forward(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (child_pid > 0) {
		/*
		 * What the terminal sends (SI_KERNEL) goes to its foreground
		 * process group, the command's too: passed on is what was sent
		 * to us, and a hangup when we lead the session (then it came to
		 * us alone).
		 */
		if (si->si_code != SI_KERNEL ||
		    (sig == SIGHUP && session_leader))
			kill(child_pid, sig);
	} else {
		/* the command has exited: for what is left in the cgroup */
		pending_sig = sig;
	}
}

/* The child: into the cgroup, then the job, then the command. */
static int job_child(char *argv[], const struct xosjob_new_req *base,
		     const struct isolate_opts *iso, const struct cg_job *cg)
{
	struct xosjob_ctx *ctx;
	char cur[4096];
	uint64_t id;
	int err;

	if (!cg_of_pid(0, cur, sizeof(cur)))
		snprintf(cur, sizeof(cur), "?");
	err = cg_move(cg, 0);
	if (err)
		return fail("cannot move into cgroup %s from %s: %s%s", cg->rel,
			    cur, strerror(-err),
			    err == -EACCES || err == -ENOENT ?
			    " (cgroupfs rules: the closest common ancestor of both, and its cgroup.procs, must be delegated to you)" : "");
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (create_job(ctx, base, 0, cg, &id))
		return fail_ctx(ctx);
	/* after NEW: the job's init and namespaces are in it */
	if (iso->ns && (err = isolate_job(iso, id)) != ISOLATE_EXEC) {
		xosjob_close(ctx);
		return err;
	}
	return exec_in_job(ctx, id, argv);
}

static int supervise(char *argv[], const struct xosjob_new_req *base,
		     const struct isolate_opts *iso, struct cg_job *cg)
{
	struct sigaction sa = { .sa_sigaction = forward,
				.sa_flags = SA_SIGINFO };
	int status = 0, sig;
	size_t i;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		cg_remove(cg);
		return EXIT_FAIL;
	}
	if (pid == 0)
		_exit(job_child(argv, base, iso, cg));
	child_pid = pid;
	session_leader = getsid(0) == getpid();
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NR_FORWARDED_SIGNALS; i++)
		sigaction(forwarded_signals[i], &sa, NULL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fail("waitpid: %s", strerror(errno));
			break;
		}
	}
	child_pid = 0;
	/* daemonised members keep the job's cgroup: wait for them too */
	cg_wait_empty(cg, &pending_sig);
	cg_remove(cg);
	if (WIFSIGNALED(status)) {
		sig = WTERMSIG(status);
		return 128 + sig;
	}
	return WEXITSTATUS(status);
}

/*
 * new without a command and with limits: @pid goes into the job's new
 * cgroup, then into the job; back where it was if the job is refused.
 */
static int new_in_cgroup(struct xosjob_ctx *ctx,
			 const struct xosjob_new_req *base, uint32_t pid,
			 struct cg_job *cg, uint64_t *id)
{
	char old[4096], dir[4096 + 64];
	int err;

	if (!cg_of_pid(pid, old, sizeof(old))) {
		fail("cannot read the cgroup of process %u: %s", pid,
		     strerror(errno));
		return -ESRCH;
	}
	if (cg_create(cg))
		return -EINVAL;
	err = cg_move(cg, pid);
	if (err) {
		fail("cannot move process %u into cgroup %s: %s", pid, cg->rel,
		     strerror(-err));
		cg_remove(cg);
		return err;
	}
	err = create_job(ctx, base, pid, cg, id);
	if (err) {
		fail("%s", ctx_error(ctx));
		snprintf(dir, sizeof(dir), "%s%s", cg_mount(), old);
		cg_move_to(dir, pid);
		cg_remove(cg);
	}
	return err;
}

int new_job(int argc, char *argv[], bool need_cmd)
{
	const char *label = NULL, *pid_arg = NULL, *owner_arg = NULL;
	const char *cpu_time = NULL, *wall_time = NULL, *grace = NULL;
	struct cg_args cga = { 0 };
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
		CG_OPTIONS(cga),
		{ NULL },
	};
	struct xosjob_new_req req = { .owner = XOSJOB_OWNER_DEFAULT };
	struct cg_job cg;
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
	if (cg_parse(&cga, &cg))
		return EXIT_USAGE;
	cg.may_scope = n > 0;
	if (n && cg.wanted)
		return cg_create(&cg) ?: supervise(argv, &req, &iso, &cg);
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	if (n) {
		if (create_job(ctx, &req, 0, &cg, &id))
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
	if (cg.wanted) {
		/* the messages are printed already */
		if (new_in_cgroup(ctx, &req, pid, &cg, &id)) {
			xosjob_close(ctx);
			return EXIT_FAIL;
		}
		err = 0;
	} else {
		err = create_job(ctx, &req, pid, &cg, &id);
	}
	if (err == -EPERM && !pid_arg) {
		fail("%s (without a command, new places its parent, pid %u, "
		     "in the job)", ctx_error(ctx), pid);
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
		if (cg.wanted)
			json_str(&o, "cgroup", cg.rel);
		json_end(&o);
		putchar('\n');
	} else {
		printf("%" PRIu64 "\n", id);
	}
	return 0;
}

static int cmd_new(int argc, char *argv[])
{
	return new_job(argc, argv, false);
}

const struct subcommand new_cmd = {
	.name = "new",
	.run = cmd_new,
	.args = "[--label L] [--owner UID] [--pid PID] [--cpu-time D] [--time D] [--grace D] [LIMITS] [--json] [[--] CMD [ARG...]]",
	.help = "create a job; run CMD in it, or print its id",
	.details =
		NEW_HELP_OWNER
		"  -p, --pid PID  place process PID in the job (admin only)\n"
		NEW_HELP_LIMITS
		HELP_JSON
		"  --isolate LIST, --hostname NAME, --root DIR\n"
		"                 with CMD: as for run\n"
		CG_OPTIONS_HELP
		"\n"
		"With CMD, this process becomes the job's first member and executes\n"
		"CMD (XOS_JOB_ID is set); with cgroup limits, as run does. Without\n"
		"CMD the job is created for PID, or for the calling process's parent\n"
		"(the shell; admin only), and its id printed; with cgroup limits that\n"
		"process is moved into the job's new cgroup, which stays after the\n"
		"job.\n",
};
