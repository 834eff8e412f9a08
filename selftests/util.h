/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the C selftests: processes, the job of a process,
 * replies read with nl_raw, and assertions on a job's counters.
 */
#ifndef XOS_SELFTEST_UTIL_H
#define XOS_SELFTEST_UTIL_H

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/xos_job.h>

#include "nl_raw.h"
#include "xosjob.h"

#define NOBODY 65534

/* Writes @s to @path (a /proc file): 0, or -1. */
static inline int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

enum nobody_as { AS_NOBODY, AS_USERNS_ROOT, AS_USERNS_NETNS_ROOT };

/*
 * The calling process becomes uid and gid 65534 with no groups and, for
 * the USERNS kinds, root of a new user namespace (and network namespace)
 * that maps only 0 to 65534: a fake root with none of root's rights.
 * Returns 0, or -1.
 */
static inline int become_nobody(enum nobody_as how)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	/* so that /proc/self/uid_map is ours to write */
	prctl(PR_SET_DUMPABLE, 1);
	if (how == AS_NOBODY)
		return 0;
	if (unshare(CLONE_NEWUSER |
		    (how == AS_USERNS_NETNS_ROOT ? CLONE_NEWNET : 0)) ||
	    write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", "0 65534 1") ||
	    write_file("/proc/self/gid_map", "0 65534 1"))
		return -1;
	return 0;
}

/*
 * A child blocked on a pipe (the gate) that holds no other descriptor but
 * 0-2, so that another child's gate never stays open through it. A byte
 * opens the gate: the child runs @fn(@arg) and exits 0. The gate closed
 * without a byte: it exits, 0 without @fn, 1 with one (it never ran).
 */
static inline pid_t spawn_gated(int *gate, void (*fn)(void *), void *arg)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		if (dup2(p[0], 3) < 0)
			_exit(1);
		close_range(4, ~0U, 0);
		if (read(3, &c, 1) != 1)
			_exit(fn ? 1 : 0);
		close(3);
		if (fn)
			fn(arg);
		_exit(0);
	}
	close(p[0]);
	*gate = p[1];
	return pid;
}

static inline void open_gate(int gate)
{
	if (write(gate, "g", 1) != 1)
		perror("gate");
	close(gate);
}

/* Waits for @pid: its exit status, 128 + signal, or -1. */
static inline int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * /proc/PID/stat from field 3 on (after the command name, which may hold
 * spaces and parentheses) into @buf; NULL if the process is gone.
 */
static inline const char *proc_stat_fields(pid_t pid, char *buf, size_t len)
{
	char path[64], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] ? p + 2 : NULL;
}

/* The state letter of /proc/PID/stat ('R', 'S', 'D', 'T'...), 0 if gone. */
static inline char proc_state(pid_t pid)
{
	char buf[1024];
	const char *f = proc_stat_fields(pid, buf, sizeof(buf));

	return f ? f[0] : 0;
}

/* --- jobs ------------------------------------------------------------- */

/* The id of @pid's job, 0 if it is in none (or gone). */
static inline uint64_t job_of(struct xosjob_ctx *ctx, pid_t pid)
{
	struct xosjob_job job;

	if (xosjob_get_by_pid(ctx, pid, &job))
		return 0;
	return job.id;
}

/*
 * How many different jobs @pid's threads are in (0: in none; -1: @pid is
 * gone); @first gets the first one seen. A thread just made or exiting may
 * be in none: it is skipped.
 */
static inline int jobs_of_threads(struct xosjob_ctx *ctx, pid_t pid,
				  uint64_t *first)
{
	char path[64];
	struct dirent *e;
	int distinct = 0;
	DIR *dir;

	*first = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((e = readdir(dir))) {
		pid_t tid = atoi(e->d_name);
		uint64_t j;

		if (tid <= 0)
			continue;
		j = job_of(ctx, tid);
		if (!j)
			continue;
		if (!*first)
			*first = j;
		if (j != *first)
			distinct++;
	}
	closedir(dir);
	return distinct + (*first != 0);
}

/*
 * Polls JOB_GET of @id every 10 ms, @polls times at most, until @job says
 * it has ended. Returns 0 (then check job->ended: still false after
 * @polls), or JOB_GET's error.
 */
static inline int job_wait_ended(struct xosjob_ctx *ctx, uint64_t id,
				 struct xosjob_job *job, int polls)
{
	int i, err;

	for (i = 0; i < polls; i++) {
		err = xosjob_get(ctx, id, job);
		if (err || job->ended)
			return err;
		usleep(10000);
	}
	return 0;
}

/*
 * A job's task counters, in a harness test: @started and @exited, and as
 * many live (nr_tasks) as their difference.
 */
#define EXPECT_JOB_TASKS(job, started, exited) do { \
	EXPECT_EQ(started, (job).tasks_started); \
	EXPECT_EQ(exited, (job).tasks_exited); \
	EXPECT_EQ((job).tasks_started - (job).tasks_exited, (job).nr_tasks); \
} while (0)

/* --- replies read with nl_raw ------------------------------------------ */

/* What an INFO reply said: each field, or whether it was there. */
struct info_reply {
	uint32_t version, max_jobs, nr_jobs;
	uint64_t nr_tasks;
	char module_version[64];
	bool has_nr_jobs, has_nr_tasks, has_failures;
};

/* nlr_talk() callback of XOS_JOB_CMD_INFO; @arg is a struct info_reply. */
static inline int info_cb(const struct nlmsghdr *h, void *arg)
{
	struct info_reply *s = arg;
	const struct nlattr *a;

	a = nlr_attr(h, XOS_JOB_A_VERSION);
	if (a)
		s->version = nlr_get_u32(a);
	a = nlr_attr(h, XOS_JOB_A_MODULE_VERSION);
	if (a)
		snprintf(s->module_version, sizeof(s->module_version), "%s",
			 (const char *)nlr_data(a));
	a = nlr_attr(h, XOS_JOB_A_MAX_JOBS);
	if (a)
		s->max_jobs = nlr_get_u32(a);
	a = nlr_attr(h, XOS_JOB_A_NR_JOBS);
	if (a)
		s->nr_jobs = nlr_get_u32(a);
	a = nlr_attr(h, XOS_JOB_A_NR_TASKS);
	if (a)
		s->nr_tasks = nlr_get_u64(a);
	s->has_nr_jobs = !!nlr_attr(h, XOS_JOB_A_NR_JOBS);
	s->has_nr_tasks = !!nlr_attr(h, XOS_JOB_A_NR_TASKS);
	s->has_failures = !!nlr_attr(h, XOS_JOB_A_ALLOC_FAILURES);
	return 0;
}

/*
 * The payload of every attribute, as uapi/linux/xos_job.h documents it,
 * by attribute space: for the checks that a reply is well formed.
 */
enum attr_kind { K_NONE, K_U8, K_U32, K_U64, K_STR, K_FLAG, K_NEST, K_PAD };
enum attr_space { L_JOB, L_TASK, L_STATS, L_STATES, L_LIMITS };

static inline enum attr_kind job_attr_kind(int t)
{
	switch (t) {
	case XOS_JOB_A_PAD:
		return K_PAD;
	case XOS_JOB_A_VERSION: case XOS_JOB_A_NR_JOBS:
	case XOS_JOB_A_MAX_JOBS: case XOS_JOB_A_PID:
	case XOS_JOB_A_OWNER_UID: case XOS_JOB_A_ANCHOR_PID:
	case XOS_JOB_A_FLAGS: case XOS_JOB_A_SIGNAL:
	case XOS_JOB_A_NR_SIGNALLED: case XOS_JOB_A_NR_DENIED:
	case XOS_JOB_A_NR_ATTACHED: case XOS_JOB_A_RING_SIZE:
	case XOS_JOB_A_END_STATE: case XOS_JOB_A_EXIT_STATUS:
		return K_U32;
	case XOS_JOB_A_MODULE_VERSION: case XOS_JOB_A_LABEL:
	case XOS_JOB_A_CGROUP:
		return K_STR;
	case XOS_JOB_A_ENDED: case XOS_JOB_A_NO_CGROUP:
	case XOS_JOB_A_OWN_CGROUP:
		return K_FLAG;
	case XOS_JOB_A_CHECKPOINTING:
		return K_U8;
	case XOS_JOB_A_TASK: case XOS_JOB_A_STATS: case XOS_JOB_A_STATES:
	case XOS_JOB_A_LIMITS: case XOS_JOB_A_BASE:
		return K_NEST;
	case XOS_JOB_A_UNSPEC:
		return K_NONE;
	default:
		return t <= XOS_JOB_A_MAX ? K_U64 : K_NONE;
	}
}

static inline enum attr_kind task_attr_kind(int t)
{
	switch (t) {
	case XOS_JOB_TASK_A_PAD: return K_PAD;
	case XOS_JOB_TASK_A_PID: case XOS_JOB_TASK_A_TGID:
	case XOS_JOB_TASK_A_UID: return K_U32;
	case XOS_JOB_TASK_A_COMM: return K_STR;
	case XOS_JOB_TASK_A_START_BOOTTIME: return K_U64;
	case XOS_JOB_TASK_A_STATS: return K_NEST;
	case XOS_JOB_TASK_A_PRIVATE: return K_FLAG;
	default: return K_NONE;
	}
}

static inline enum attr_kind stats_attr_kind(int t)
{
	if (t == XOS_JOB_STATS_A_PAD)
		return K_PAD;
	if (t == XOS_JOB_STATS_A_DELAYACCT)
		return K_U8;
	return t > XOS_JOB_STATS_A_PAD && t <= XOS_JOB_STATS_A_MAX ? K_U64 : K_NONE;
}

static inline enum attr_kind states_attr_kind(int t)
{
	if (t == XOS_JOB_STATES_A_PAD)
		return K_PAD;
	return t > XOS_JOB_STATES_A_PAD && t <= XOS_JOB_STATES_A_MAX ? K_U64 : K_NONE;
}

static inline enum attr_kind limits_attr_kind(int t)
{
	if (t == XOS_JOB_LIMIT_A_PAD)
		return K_PAD;
	if (t == XOS_JOB_LIMIT_A_CPUS || t == XOS_JOB_LIMIT_A_MEMS)
		return K_STR;
	return t > XOS_JOB_LIMIT_A_PAD && t <= XOS_JOB_LIMIT_A_MAX ? K_U64 : K_NONE;
}

static inline enum attr_kind attr_kind(enum attr_space lv, int t)
{
	switch (lv) {
	case L_JOB: return job_attr_kind(t);
	case L_TASK: return task_attr_kind(t);
	case L_STATS: return stats_attr_kind(t);
	case L_STATES: return states_attr_kind(t);
	case L_LIMITS: return limits_attr_kind(t);
	}
	return K_NONE;
}

/* The space of the attributes nested in attribute @t of space @lv. */
static inline enum attr_space attr_nest_space(enum attr_space lv, int t)
{
	if (lv == L_JOB && t == XOS_JOB_A_TASK)
		return L_TASK;
	if (lv == L_JOB && t == XOS_JOB_A_STATES)
		return L_STATES;
	if (lv == L_JOB && t == XOS_JOB_A_LIMITS)
		return L_LIMITS;
	return L_STATS;
}

/*
 * Whether a reply may carry attribute @t of space @lv: padding never (no
 * 64-bit value needs it on x86-64), nor the attributes only requests
 * carry (the pid to look up, the signal to send, the cgroup choices).
 */
static inline bool attr_in_replies(enum attr_space lv, int t)
{
	if (attr_kind(lv, t) == K_PAD)
		return false;
	return lv != L_JOB || (t != XOS_JOB_A_PID && t != XOS_JOB_A_SIGNAL &&
			       t != XOS_JOB_A_NO_CGROUP &&
			       t != XOS_JOB_A_OWN_CGROUP);
}

#endif /* XOS_SELFTEST_UTIL_H */
