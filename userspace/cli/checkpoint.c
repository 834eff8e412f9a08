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
	criu[a++] = "criu";
	criu[a++] = "dump";
	criu[a++] = "-t";
	criu[a++] = root_s;
	criu[a++] = "-D";
	criu[a++] = dir;
	criu[a++] = "-o";
	criu[a++] = log;
	criu[a++] = "--action-script";
	criu[a++] = exe;
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
		json_bool(&o, "left_running", leave);
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

/* ---- the metadata file ---- */

/* The u64 limits of struct xosjob_limits, by JSON name. */
#define LIM(f) { #f, offsetof(struct xosjob_limits, f) }
static const struct {
	const char *name;
	size_t off;
} meta_limits[] = {
	LIM(cpu_time_ns), LIM(time_ns), LIM(grace_ns), LIM(memory_max),
	LIM(memory_high), LIM(swap_max), LIM(pids_max), LIM(cpu_quota_us),
	LIM(cpu_period_us), LIM(cpu_weight), LIM(io_weight),
};

#define STAT(f) { #f, offsetof(struct xosjob_stats, f) }
static const struct {
	const char *name;
	size_t off;
} meta_stats[] = {
	STAT(utime_ns), STAT(stime_ns), STAT(runtime_ns), STAT(minflt),
	STAT(majflt), STAT(nvcsw), STAT(nivcsw), STAT(rchar), STAT(wchar),
	STAT(syscr), STAT(syscw), STAT(read_bytes), STAT(write_bytes),
	STAT(cancelled_write_bytes), STAT(hiwater_rss_kb), STAT(hiwater_vm_kb),
	STAT(coremem_mb_us), STAT(virtmem_mb_us),
};

#define NR(a) (sizeof(a) / sizeof((a)[0]))

int ckpt_meta_write(const char *path, const struct ckpt_meta *m)
{
	struct json o, l, s;
	char name[64];
	FILE *f;
	size_t i;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -errno;
	}
	json_begin(&o, f);
	json_str(&o, "format", CKPT_FORMAT);
	json_u64(&o, "version", CKPT_VERSION);
	json_u64(&o, "job_id", m->job_id);
	json_str(&o, "label", m->has_label ? m->label : NULL);
	json_u64(&o, "owner_uid", m->owner_uid);
	json_bool(&o, "shell_job", m->shell_job);
	json_key(&o, "limits");
	if (m->has_limits) {
		json_begin(&l, f);
		for (i = 0; i < NR(meta_limits); i++)
			json_u64(&l, meta_limits[i].name,
				 *(const uint64_t *)((const char *)&m->limits +
						     meta_limits[i].off));
		json_bool(&l, "has_grace", m->limits.has_grace);
		json_bool(&l, "has_swap_max", m->limits.has_swap_max);
		json_str(&l, "cpus", m->limits.cpus);
		json_str(&l, "mems", m->limits.mems);
		json_end(&l);
	} else {
		fputs("null", f);
	}
	json_key(&o, "stats");
	json_begin(&s, f);
	for (i = 0; i < NR(meta_stats); i++)
		json_u64(&s, meta_stats[i].name,
			 *(const uint64_t *)((const char *)&m->stats +
					     meta_stats[i].off));
	for (i = 0; i < XOSJOB_NR_DELAYS; i++) {
		if (!m->stats.has_delay[i])
			continue;
		snprintf(name, sizeof(name), "%s_delay_ns",
			 xosjob_delay_name(i));
		json_u64(&s, name, m->stats.delay_ns[i]);
		snprintf(name, sizeof(name), "%s_delay_count",
			 xosjob_delay_name(i));
		json_u64(&s, name, m->stats.delay_count[i]);
	}
	json_end(&s);
	json_end(&o);
	fputc('\n', f);
	if (fflush(f) || fsync(fileno(f))) {
		int e = errno;

		fclose(f);
		return -e;
	}
	return fclose(f) ? -errno : 0;
}

/*
 * A small reader for the file above: one object, whose values are
 * strings, unsigned numbers, booleans, null, or objects of those.
 */
struct jr {
	const char *p;
	char *why;
	size_t len;
	struct ckpt_meta *m;
	bool seen_format, seen_id, seen_owner, seen_stats;
};

static void skip_ws(struct jr *r)
{
	while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' ||
	       *r->p == '\r')
		r->p++;
}

static bool jr_fail(struct jr *r, const char *what)
{
	snprintf(r->why, r->len, "%s", what);
	return false;
}

static bool jr_string(struct jr *r, char *buf, size_t size)
{
	size_t n = 0;

	skip_ws(r);
	if (*r->p != '"')
		return jr_fail(r, "a string was expected");
	r->p++;
	while (*r->p && *r->p != '"') {
		unsigned char c = *r->p++;

		if (c == '\\') {
			unsigned int u;

			c = *r->p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u':
				if (sscanf(r->p, "%4x", &u) != 1 || u > 0xff)
					return jr_fail(r, "an escape out of range");
				c = u;
				r->p += 4;
				break;
			case '"': case '\\': case '/': break;
			default:
				return jr_fail(r, "a bad escape in a string");
			}
		}
		if (n + 1 >= size)
			return jr_fail(r, "a string is too long");
		buf[n++] = c;
	}
	if (*r->p != '"')
		return jr_fail(r, "a string does not end");
	r->p++;
	buf[n] = 0;
	return true;
}

/* A number, true, false or null: *v, *null. */
static bool jr_scalar(struct jr *r, uint64_t *v, bool *null)
{
	char *end;

	skip_ws(r);
	*null = false;
	*v = 0;
	if (!strncmp(r->p, "null", 4)) {
		*null = true;
		r->p += 4;
		return true;
	}
	if (!strncmp(r->p, "true", 4)) {
		*v = 1;
		r->p += 4;
		return true;
	}
	if (!strncmp(r->p, "false", 5)) {
		r->p += 5;
		return true;
	}
	if (*r->p < '0' || *r->p > '9')
		return jr_fail(r, "a number was expected");
	errno = 0;
	*v = strtoull(r->p, &end, 10);
	if (errno)
		return jr_fail(r, "a number out of range");
	r->p = end;
	return true;
}

static bool jr_sep(struct jr *r, char c)
{
	skip_ws(r);
	if (*r->p != c) {
		char msg[32];

		snprintf(msg, sizeof(msg), "'%c' was expected", c);
		return jr_fail(r, msg);
	}
	r->p++;
	return true;
}

/* Members of an object until '}'; @fn takes each key's value. */
static bool jr_object(struct jr *r, bool (*fn)(struct jr *, const char *))
{
	char key[64];

	if (!jr_sep(r, '{'))
		return false;
	skip_ws(r);
	if (*r->p == '}') {
		r->p++;
		return true;
	}
	for (;;) {
		if (!jr_string(r, key, sizeof(key)) || !jr_sep(r, ':') ||
		    !fn(r, key))
			return false;
		skip_ws(r);
		if (*r->p == '}') {
			r->p++;
			return true;
		}
		if (!jr_sep(r, ','))
			return false;
	}
}

static bool jr_limit(struct jr *r, const char *key)
{
	struct xosjob_limits *l = &r->m->limits;
	uint64_t v;
	bool null;
	size_t i;

	if (!strcmp(key, "cpus"))
		return jr_string(r, l->cpus, sizeof(l->cpus));
	if (!strcmp(key, "mems"))
		return jr_string(r, l->mems, sizeof(l->mems));
	if (!jr_scalar(r, &v, &null))
		return false;
	if (!strcmp(key, "has_grace"))
		l->has_grace = v;
	else if (!strcmp(key, "has_swap_max"))
		l->has_swap_max = v;
	for (i = 0; i < NR(meta_limits); i++)
		if (!strcmp(key, meta_limits[i].name))
			*(uint64_t *)((char *)l + meta_limits[i].off) = v;
	return true;
}

static bool jr_stat(struct jr *r, const char *key)
{
	struct xosjob_stats *st = &r->m->stats;
	char name[64];
	uint64_t v;
	bool null;
	size_t i;

	if (!jr_scalar(r, &v, &null))
		return false;
	for (i = 0; i < NR(meta_stats); i++)
		if (!strcmp(key, meta_stats[i].name))
			*(uint64_t *)((char *)st + meta_stats[i].off) = v;
	for (i = 0; i < XOSJOB_NR_DELAYS; i++) {
		snprintf(name, sizeof(name), "%s_delay_ns",
			 xosjob_delay_name(i));
		if (!strcmp(key, name)) {
			st->has_delay[i] = !null;
			st->delay_ns[i] = v;
		}
		snprintf(name, sizeof(name), "%s_delay_count",
			 xosjob_delay_name(i));
		if (!strcmp(key, name))
			st->delay_count[i] = v;
	}
	return true;
}

static bool jr_top(struct jr *r, const char *key)
{
	char format[64];
	uint64_t v;
	bool null;

	if (!strcmp(key, "format")) {
		if (!jr_string(r, format, sizeof(format)))
			return false;
		if (strcmp(format, CKPT_FORMAT))
			return jr_fail(r, "not an xosjob checkpoint (format)");
		r->seen_format = true;
		return true;
	}
	if (!strcmp(key, "label")) {
		skip_ws(r);
		if (!strncmp(r->p, "null", 4)) {
			r->p += 4;
			return true;
		}
		r->m->has_label = true;
		if (!jr_string(r, r->m->label, sizeof(r->m->label)))
			return false;
		if (!r->m->label[0])
			return jr_fail(r, "an empty label");
		return true;
	}
	if (!strcmp(key, "limits")) {
		skip_ws(r);
		if (!strncmp(r->p, "null", 4)) {
			r->p += 4;
			return true;
		}
		r->m->has_limits = true;
		return jr_object(r, jr_limit);
	}
	if (!strcmp(key, "stats")) {
		r->seen_stats = true;
		return jr_object(r, jr_stat);
	}
	if (!jr_scalar(r, &v, &null))
		return false;
	if (!strcmp(key, "version") && v != CKPT_VERSION)
		return jr_fail(r, "a version this xosjob does not know");
	if (!strcmp(key, "job_id")) {
		if (!v)
			return jr_fail(r, "job id 0");
		r->m->job_id = v;
		r->seen_id = true;
	} else if (!strcmp(key, "owner_uid")) {
		if (v > UINT32_MAX - 1)
			return jr_fail(r, "an owner uid out of range");
		r->m->owner_uid = v;
		r->seen_owner = true;
	} else if (!strcmp(key, "shell_job")) {
		r->m->shell_job = v;
	}
	return true;
}

int ckpt_meta_read(const char *path, struct ckpt_meta *m, char *why,
		   size_t len)
{
	struct jr r = { .why = why, .len = len, .m = m };
	char *buf;
	ssize_t got;
	size_t size = 0;
	int fd, err;

	memset(m, 0, sizeof(*m));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, len, "%s", strerror(errno));
		return err;
	}
	buf = malloc(65536);
	if (!buf) {
		close(fd);
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	while (size < 65535 &&
	       (got = read(fd, buf + size, 65535 - size)) > 0)
		size += got;
	close(fd);
	buf[size] = 0;
	r.p = buf;
	err = -EINVAL;
	if (strlen(buf) != size) {
		snprintf(why, len, "it holds a NUL byte");
	} else if (jr_object(&r, jr_top)) {
		skip_ws(&r);
		if (*r.p)
			snprintf(why, len, "text after the object");
		else if (!r.seen_format || !r.seen_id || !r.seen_owner ||
			 !r.seen_stats)
			snprintf(why, len, "the format, job id, owner or figures are missing");
		else
			err = 0;
	}
	free(buf);
	return err;
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
