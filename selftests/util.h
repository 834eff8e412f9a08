/* SPDX-License-Identifier: GPL-2.0 */
/* Process helpers shared by the C selftests. */
#ifndef XOS_SELFTEST_UTIL_H
#define XOS_SELFTEST_UTIL_H

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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

#endif /* XOS_SELFTEST_UTIL_H */
