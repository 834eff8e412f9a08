// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob checkpoint JOB --dir DIR [--leave-running]: dumps every process of
 * a job with CRIU.
 *
 * CRIU dumps one process tree. The job's members (the kernel's TASKS dump)
 * must all be that tree, rooted at the member whose parent is not a member;
 * one exception: a job whose processes live in a pid namespace of their
 * own under a member outside it (the parent of the namespace's init, as
 * `unshare --pid --fork` or an isolated `xosjob run` leave) is dumped from
 * that init, and the parent, which only waits for it, ends with it. A
 * member anywhere else (placed in the job by attach or enter, or orphaned
 * outside the namespace) is refused before anything is written.
 *
 * CRIU runs this program again as its action script (by path alone,
 * see main.c), with the job and DIR in its environment. At
 * post-dump, with the dump complete and the processes still frozen, the
 * hook reads the job's figures into DIR/xosjob.json and, unless the job is
 * left running, marks the job (JOB_CHECKPOINT): CRIU then kills the
 * processes and the job's record says "checkpointed". So the mark is only
 * set on a dump that succeeded, and a job never reads "checkpointed" for a
 * dump that failed before it; if CRIU fails after the hook (it resumes the
 * processes), the mark is cleared again. A failed dump leaves DIR as it
 * was (empty, or not there).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ckpt.h"
#include "cli.h"

#define MAX_PROCS 4096

struct proc {
	uint32_t pid;		/* in our pid namespace */
	uint32_t ppid;
	uint32_t sid;
	bool ns_init;		/* pid 1 of a pid namespace below ours */
	char comm[17];
};

struct members {
	struct proc p[MAX_PROCS];
	size_t n;
	bool overflow;
};

/* PPid, NSpid and NSsid lines of /proc/PID/status */
static bool read_proc(uint32_t pid, struct proc *p)
{
	char path[64], line[512];
	FILE *f;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Name:", 5)) {
			sscanf(line + 5, " %16s", p->comm);
		} else if (!strncmp(line, "PPid:", 5)) {
			p->ppid = strtoul(line + 5, NULL, 10);
		} else if (!strncmp(line, "NSpid:", 6)) {
			/* the last number is the pid in its own namespace */
			char *last = strrchr(line, '\t');
			char *first = strchr(line, '\t');

			p->ns_init = last && first && last != first &&
				     strtoul(last + 1, NULL, 10) == 1;
		} else if (!strncmp(line, "NSsid:", 6)) {
			/* the first number is in our namespace */
			p->sid = strtoul(line + 6, NULL, 10);
		}
	}
	fclose(f);
	return true;
}

static int add_member(const struct xosjob_task *t, void *arg)
{
	struct members *m = arg;
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->p[i].pid == t->tgid)
			return 0;
	if (m->n == MAX_PROCS) {
		m->overflow = true;
		return -E2BIG;
	}
	if (read_proc(t->tgid, &m->p[m->n]))
		m->n++;
	return 0;
}

static struct proc *find(struct members *m, uint32_t pid)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->p[i].pid == pid)
			return &m->p[i];
	return NULL;
}

/* Whether @p descends from @root through members. */
static bool below(struct members *m, struct proc *p, uint32_t root)
{
	size_t hops;

	for (hops = 0; p && hops <= m->n; hops++) {
		if (p->pid == root)
			return true;
		p = find(m, p->ppid);
	}
	return false;
}

static bool same_ns(uint32_t pid, const char *ns)
{
	char a[64], b[64];
	struct stat sa, sb;

	snprintf(a, sizeof(a), "/proc/%u/ns/%s", pid, ns);
	snprintf(b, sizeof(b), "/proc/self/ns/%s", ns);
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_ino == sb.st_ino &&
	       sa.st_dev == sb.st_dev;
}

/* DIR empty or absent: made. *created: by us. */
static int prepare_dir(const char *dir, bool *created)
{
	struct dirent *e;
	DIR *d;

	*created = false;
	if (!mkdir(dir, 0700)) {
		*created = true;
		return 0;
	}
	if (errno != EEXIST)
		return fail("cannot create %s: %s", dir, strerror(errno));
	d = opendir(dir);
	if (!d)
		return fail("cannot open %s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			closedir(d);
			return fail("%s is not empty: a checkpoint goes into an empty or new directory",
				    dir);
		}
	}
	closedir(d);
	return 0;
}

/* Back to how prepare_dir() found it: CRIU's files are ours to remove. */
static void undo_dir(const char *dir, bool created)
{
	char path[PATH_MAX + 256];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	if (created)
		rmdir(dir);
}

bool ckpt_admin(void)
{
	char line[256];
	bool admin = false;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return geteuid() == 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			admin = (strtoull(line + 7, NULL, 16) >> 21) & 1;
	fclose(f);
	return admin;
}

int ckpt_not_admin(void)
{
	return fail("%s needs CAP_SYS_ADMIN: CRIU reads and rewrites every process of the job, and the kernel keeps a job's origin and figures for the administrator to set. A job's owner may get, list, tasks, kill, freeze, thaw and enter it, but not checkpoint or restore it",
		    subcmd);
}

int ckpt_criu_args(char **argv, const char *action, char *dir, char *log,
		   char *exe)
{
	int a = 0;

	argv[a++] = "criu";
	argv[a++] = (char *)action;
	argv[a++] = "-D";
	argv[a++] = dir;
	argv[a++] = "-o";
	argv[a++] = log;
	argv[a++] = "--action-script";
	argv[a++] = exe;
	return a;
}

bool ckpt_self_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0)
		return false;
	buf[n] = 0;
	return true;
}

void ckpt_log_errors(const char *log)
{
	char line[1024];
	int shown = 0;
	FILE *f = fopen(log, "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && shown < 8) {
		/* CRIU's own noise on these kernels: tun is not built */
		if (strstr(line, "tun") || strstr(line, "util.c") ||
		    (!strstr(line, "Error") && strncmp(line, "xosjob: ", 8)))
			continue;
		fprintf(stderr, "  criu: %s", line);
		shown++;
	}
	fclose(f);
}

/* Runs CRIU with @argv, this program as its action script. */
static int run_criu(char *const argv[])
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		/* CRIU's output goes to its log; the hook's errors to ours */
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s: cannot run %s: %s (make deps installs criu)\n",
			prog, subcmd, argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* CRIU's post-dump: the figures now, and the mark. */
static int checkpoint_hook(void)
{
	const char *action = getenv("CRTOOLS_SCRIPT_ACTION");
	const char *id_s = getenv("XOSJOB_CKPT_JOB");
	const char *dir = getenv("XOSJOB_CKPT_DIR");
	const char *mark = getenv("XOSJOB_CKPT_MARK");
	const char *shell = getenv("XOSJOB_CKPT_SHELL_JOB");
	char path[PATH_MAX + 64];
	struct xosjob_ctx *ctx;
	struct xosjob_job *job;
	struct ckpt_meta *m;
	uint64_t id;
	int err;

	if (!action || strcmp(action, "post-dump"))
		return 0;
	if (!id_s || !dir || !parse_u64(id_s, UINT64_MAX, &id))
		return fail("CRIU hook: the checkpoint's job and directory are not set");
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	job = calloc(1, sizeof(*job));
	m = calloc(1, sizeof(*m));
	if (!job || !m)
		return fail("out of memory");
	if (xosjob_get(ctx, id, job))
		return fail_ctx(ctx);
	m->job_id = id;
	m->has_label = job->has_label;
	memcpy(m->label, job->label, sizeof(m->label));
	m->owner_uid = job->owner_uid;
	m->shell_job = shell && !strcmp(shell, "1");
	m->has_limits = job->has_limits;
	m->limits = job->limits;
	m->stats = job->stats;
	snprintf(path, sizeof(path), "%s/%s.tmp", dir, CKPT_META);
	err = ckpt_meta_write(path, m);
	if (err)
		return fail("cannot write %s: %s", path, strerror(-err));
	if (mark && !strcmp(mark, "1") && xosjob_checkpoint_mark(ctx, id, true, NULL))
		return fail_ctx(ctx);
	xosjob_close(ctx);
	free(job);
	free(m);
	return 0;
}

int ckpt_criu_hook(void)
{
	subcmd = "criu-hook";
	if (getenv("XOSJOB_CKPT_JOB"))
		return checkpoint_hook();
	if (getenv("XOSJOB_RESTORE_DIR"))
		return ckpt_restore_hook();
	return fail("run by CRIU as its action script, but not by xosjob checkpoint or restore");
}

/* Waits up to 30 s (the anchor ends with the tree): the job's record. */
static bool wait_ended(struct xosjob_ctx *ctx, uint64_t id,
		       struct xosjob_job *job)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	int i;

	for (i = 0; i < 600; i++) {
		if (xosjob_get(ctx, id, job))
			return false;
		if (job->ended)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

static int cmd_checkpoint(int argc, char *argv[])
{
	const char *dir_arg = NULL;
	bool leave = false, json = false;
	const struct option_spec opts[] = {
		{ "dir", 'd', &dir_arg, NULL },
		{ "leave-running", 'R', NULL, &leave },
		{ NULL },
	};
	char dir[PATH_MAX], exe[PATH_MAX];
	char log[PATH_MAX + 32], meta[PATH_MAX + 32], tmp[PATH_MAX + 64];
	char root_s[16], id_s[24];
	struct members *m = NULL;
	struct xosjob_job *job = NULL;
	struct xosjob_ctx *ctx = NULL;
	struct proc *root = NULL, *top = NULL, *p;
	bool created = false, shell_job = false;
	uint64_t id;
	size_t i;
	int n, rc, err, ret = EXIT_FAIL;
	char *criu[16];
	int a = 0;

	n = parse_opts(argc, argv, opts, &json, false);
	if (n < 0)
		return opts_exit(n);
	if (parse_one_job(n, argv, "which job?", &id))
		return EXIT_USAGE;
	if (!dir_arg || !*dir_arg)
		return usage_error("--dir DIR is needed: where the checkpoint goes");
	if (!ckpt_admin())
		return ckpt_not_admin();
	if (!ckpt_self_exe(exe, sizeof(exe)))
		return fail("cannot find this program's path for CRIU's action script");
	m = calloc(1, sizeof(*m));
	job = calloc(1, sizeof(*job));
	if (!m || !job) {
		fail("out of memory");
		goto out;
	}
	ctx = open_ctx();
	if (!ctx)
		goto out;
	if (xosjob_get(ctx, id, job)) {
		ret = fail_ctx(ctx);
		ctx = NULL;
		goto out;
	}
	if (job->ended) {
		fail("job %" PRIu64 " has ended: nothing to checkpoint", id);
		goto out;
	}
	err = xosjob_tasks(ctx, id, add_member, m, NULL);
	if (err) {
		if (m->overflow)
			fail("job %" PRIu64 " has more than %d processes", id,
			     MAX_PROCS);
		else
			ret = fail_ctx(ctx), ctx = NULL;
		goto out;
	}
	if (!m->n) {
		fail("job %" PRIu64 " has no process visible here", id);
		goto out;
	}
	/* the tree's top: the member whose parent is none */
	for (i = 0; i < m->n; i++) {
		if (find(m, m->p[i].ppid))
			continue;
		if (top) {
			fail("job %" PRIu64 " is not one process tree: process %u (%s) and process %u (%s) are both members whose parent is not; CRIU dumps one tree. A process placed in the job from outside (attach, enter) cannot be checkpointed with it: end it first",
			     id, top->pid, top->comm, m->p[i].pid,
			     m->p[i].comm);
			goto out;
		}
		top = &m->p[i];
	}
	if (!top) {
		fail("job %" PRIu64 "'s processes form no tree", id);
		goto out;
	}
	root = top;
	/* the parent of the job's pid namespace init: dumped from the init */
	for (i = 0; i < m->n; i++) {
		if (m->p[i].ppid == top->pid && m->p[i].ns_init &&
		    same_ns(top->pid, "pid")) {
			root = &m->p[i];
			break;
		}
	}
	for (i = 0; i < m->n; i++) {
		p = &m->p[i];
		if (p == top || below(m, p, root->pid))
			continue;
		fail("process %u (%s) of job %" PRIu64 " is outside the job's process tree (rooted at process %u, %s): CRIU dumps one tree. A process placed in the job from outside (attach, enter) cannot be checkpointed with it: end it first",
		     p->pid, p->comm, id, root->pid, root->comm);
		goto out;
	}
	if (!same_ns(root->pid, "mnt")) {
		fail("job %" PRIu64 " runs in a mount namespace of its own (as xosjob run --isolate makes): CRIU cannot restore that mount tree here; checkpoint a job in a pid namespace alone (unshare --pid --fork), or in none",
		     id);
		goto out;
	}
	if (!find(m, root->sid) || !below(m, find(m, root->sid), root->pid)) {
		if (root != top) {
			fail("job %" PRIu64 "'s pid namespace init (process %u) is in a session led from outside the namespace; CRIU cannot dump that: start the job's init in a session of its own (setsid)",
			     id, root->pid);
			goto out;
		}
		/* restored into the restorer's session */
		shell_job = true;
	}
	if (!realpath(dir_arg, dir)) {
		if (errno != ENOENT || strlen(dir_arg) >= sizeof(dir)) {
			fail("%s: %s", dir_arg, strerror(errno));
			goto out;
		}
		snprintf(dir, sizeof(dir), "%s", dir_arg);
	}
	if (prepare_dir(dir, &created))
		goto out;
	snprintf(log, sizeof(log), "%s/dump.log", dir);
	snprintf(meta, sizeof(meta), "%s/%s", dir, CKPT_META);
	snprintf(tmp, sizeof(tmp), "%s/%s.tmp", dir, CKPT_META);
	snprintf(root_s, sizeof(root_s), "%u", root->pid);
	snprintf(id_s, sizeof(id_s), "%" PRIu64, id);
	if (setenv("XOSJOB_CKPT_JOB", id_s, 1) ||
	    setenv("XOSJOB_CKPT_DIR", dir, 1) ||
	    setenv("XOSJOB_CKPT_MARK", leave ? "0" : "1", 1) ||
	    setenv("XOSJOB_CKPT_SHELL_JOB", shell_job ? "1" : "0", 1)) {
		fail("setenv: %s", strerror(errno));
		undo_dir(dir, created);
		goto out;
	}
	a = ckpt_criu_args(criu, "dump", dir, log, exe);
	criu[a++] = "-t";
	criu[a++] = root_s;
	if (shell_job)
		criu[a++] = "--shell-job";
	if (leave)
		criu[a++] = "--leave-running";
	criu[a] = NULL;
	rc = run_criu(criu);
	if (rc) {
		/* resumed: whatever the hook marked is not so */
		xosjob_checkpoint_mark(ctx, id, false, NULL);
		fail("CRIU could not dump job %" PRIu64 " (exit %d); the job runs on, and %s is left as it was:",
		     id, rc, dir);
		ckpt_log_errors(log);
		undo_dir(dir, created);
		goto out;
	}
	if (rename(tmp, meta)) {
		fail("cannot write %s: %s", meta, strerror(errno));
		undo_dir(dir, created);
		goto out;
	}
	if (!leave && !wait_ended(ctx, id, job)) {
		fail("job %" PRIu64 " was dumped to %s, but has not ended: a member outlived the dump",
		     id, dir);
		goto out;
	}
	if (json) {
		struct json o;

		json_begin(&o, stdout);
		json_u64(&o, "id", id);
		json_str(&o, "dir", dir);
		json_u64(&o, "root_pid", root->pid);
		json_boolean(&o, "left_running", leave);
		json_str(&o, "end_state", leave ? NULL :
			 xosjob_end_state_name(job->end_state));
		json_end(&o);
		putchar('\n');
	} else {
		printf("job %" PRIu64 " checkpointed to %s (tree of process %u, %zu processes)%s\n",
		       id, dir, root->pid, m->n - (root != top),
		       leave ? "; it runs on" : "; it has ended");
	}
	ret = 0;
out:
	if (ctx)
		xosjob_close(ctx);
	free(m);
	free(job);
	return ret;
}

const struct subcommand checkpoint_cmd = {
	.name = "checkpoint",
	.run = cmd_checkpoint,
	.args = "JOB --dir DIR [--leave-running] [--json]",
	.help = "dump every process of a job with CRIU (admin)",
	.details =
		"  -d, --dir DIR  where the checkpoint goes: a new or empty directory\n"
		"  -R, --leave-running\n"
		"                 the job goes on after the dump (default: its\n"
		"                 processes are killed and its record says\n"
		"                 \"checkpointed\")\n"
		HELP_JSON
		"\n"
		"The job's members must be one process tree: a job in a pid namespace\n"
		"of its own under its first process (unshare --pid --fork) is dumped\n"
		"from the namespace's init, which must lead a session of its own\n"
		"(setsid). A member outside the tree (attach, enter) is refused, and\n"
		"so is a job in a mount namespace of its own (run --isolate). DIR gets\n"
		"CRIU's images, its log (dump.log) and xosjob.json: the job's id,\n"
		"label, owner, limits and figures at the dump. A failed dump leaves\n"
		"the job running and DIR as it was. Needs CAP_SYS_ADMIN and criu, with\n"
		"the kernel's *_diag modules loaded.\n",
};
