// SPDX-License-Identifier: GPL-2.0
/* The lander: see lander.h for why it exists and what it may do. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "lander.h"
#include "pam_xosjob.h"
#include "xosjob.h"

struct served {
	const struct conf *c;
	uid_t uid;
	uint64_t landed;	/* the job PAM put the login in */
	pid_t login;		/* the landed process: sshd's, for the login */
};

/* field 4 of /proc/PID/stat, after the parenthesised comm */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p, ") %*c %d", &pid) != 1)
		return -1;
	return pid;
}

static bool descends_from(pid_t pid, pid_t ancestor)
{
	int depth;

	for (depth = 0; depth < 4096 && pid > 1; depth++) {
		if (pid == ancestor)
			return true;
		pid = parent_of(pid);
	}
	return false;
}

static void reply(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void reply(int fd, const char *fmt, ...)
{
	char msg[LANDER_MSG_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n > 0)
		(void)!send(fd, msg, strlen(msg), MSG_NOSIGNAL);
}

static void join_cgroup(const struct xosjob_job *job, pid_t pid)
{
	char path[sizeof(job->cgroup) + 64], num[16];
	int fd, n;

	if (!job->cgroup[0])
		return;
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.procs",
		 strcmp(job->cgroup, "/") ? job->cgroup : "");
	n = snprintf(num, sizeof(num), "%d", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, num, n) != n)
		syslog(LOG_NOTICE, "pam_xosjob lander: pid %d: cannot join job %" PRIu64 "'s cgroup %s: %m (membership only)",
		       (int)pid, job->id, job->cgroup);
	if (fd >= 0)
		close(fd);
}

/*
 * Moves the login's processes (the landed one and its descendants that
 * are still in the job PAM chose) into @to. Parents before children, and
 * a second pass for what forked meanwhile: a child forked after its
 * parent moved is born in @to.
 */
static int move_login(struct xosjob_ctx *ctx, const struct served *s,
		      const struct xosjob_job *to)
{
	int pass, moved = 0;

	for (pass = 0; pass < 2; pass++) {
		struct dirent *de;
		DIR *d = opendir("/proc");

		if (!d)
			return -errno;
		while ((de = readdir(d))) {
			struct xosjob_job cur;
			uint32_t n;
			pid_t pid;

			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			pid = atoi(de->d_name);
			if (!descends_from(pid, s->login) ||
			    xosjob_get_by_pid(ctx, pid, &cur) ||
			    cur.id != s->landed)
				continue;
			if (xosjob_attach(ctx, to->id, pid, &n))
				continue;	/* it exited */
			join_cgroup(to, pid);
			moved++;
		}
		closedir(d);
	}
	return moved;
}

/* One request of one client: 1 when served (the lander is done). */
static int serve(struct xosjob_ctx *ctx, const struct served *s, int cfd)
{
	char req[64], *end;
	struct ucred cr;
	socklen_t len = sizeof(cr);
	struct xosjob_job job;
	uint64_t id;
	ssize_t n;
	pid_t sid;

	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cr, &len) ||
	    cr.uid != s->uid || !descends_from(cr.pid, s->login)) {
		/* not this login: it cannot have the (random) name anyway */
		reply(cfd, "err you are not this login");
		return 0;
	}
	n = recv(cfd, req, sizeof(req) - 1, 0);
	if (n < 0)
		return 0;
	req[n] = 0;
	if (!req[0]) {
		reply(cfd, "ok %" PRIu64, s->landed);
		return 1;
	}
	errno = 0;
	id = strtoull(req, &end, 10);
	if (errno || *end || !id || req[0] == '-' || !isdigit((unsigned char)req[0])) {
		reply(cfd, "err XOS_JOB_ID='%s' is not a job id", req);
		goto refuse;
	}
	if (xosjob_get(ctx, id, &job) || !pam_xosjob_eligible(s->c, &job, s->uid)) {
		syslog(LOG_NOTICE, "pam_xosjob: uid %u named job %" PRIu64 " (XOS_JOB_ID over ssh), not one of theirs: session ended",
		       (unsigned int)s->uid, id);
		reply(cfd, "err job %" PRIu64 " (XOS_JOB_ID) is not one of your running jobs on this node", id);
		goto refuse;
	}
	if (id != s->landed) {
		int moved = move_login(ctx, s, &job);

		syslog(LOG_INFO, "pam_xosjob: uid %u's login (pid %d) moved from job %" PRIu64 " to job %" PRIu64 " (XOS_JOB_ID over ssh): %d processes",
		       (unsigned int)s->uid, (int)s->login, s->landed, id,
		       moved);
	}
	reply(cfd, "ok %" PRIu64, id);
	return 1;
refuse:
	/*
	 * The session that asked ends before its shell runs; first the client
	 * prints the reason (it closes the socket then, or we give it 2 s).
	 */
	sid = getsid(cr.pid);
	{
		struct pollfd p = { .fd = cfd, .events = POLLIN };

		poll(&p, 1, 2000);
	}
	if (sid > 1 && descends_from(sid, s->login))
		kill(sid, SIGKILL);
	return 1;
}

static void lander_main(const struct served *s, int lfd, int pidfd, int go)
{
	struct xosjob_ctx *ctx;
	struct timespec t0, t;
	char c = 0;
	sigset_t all;
	int i;

	prctl(PR_SET_NAME, "xosjob-lander");
	for (i = 1; i < NSIG; i++)
		signal(i, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (read(go, &c, 1) != 1 || c != 'y')
		_exit(0);
	close(go);
	if (xosjob_open(&ctx))
		_exit(1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p[2] = { { .fd = lfd, .events = POLLIN },
				       { .fd = pidfd, .events = POLLIN } };
		long left;
		int cfd;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = LANDER_TIMEOUT_S * 1000L -
		       ((t.tv_sec - t0.tv_sec) * 1000L +
			(t.tv_nsec - t0.tv_nsec) / 1000000L);
		if (left <= 0 || poll(p, 2, left) <= 0 || p[1].revents)
			break;	/* timed out, or the login is gone */
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd < 0)
			continue;
		i = serve(ctx, s, cfd);
		close(cfd);
		if (i)
			break;
	}
	xosjob_close(ctx);
	_exit(0);
}

int lander_start(struct lander *l, const struct conf *c, uid_t uid,
		 uint64_t landed)
{
	struct served s = { .c = c, .uid = uid, .landed = landed,
			    .login = getpid() };
	unsigned char rnd[LANDER_TOKEN_LEN / 2];
	int lfd, pidfd, go[2], err, i;
	struct sockaddr_un sa;
	socklen_t len;
	pid_t mid;

	l->started = false;
	l->go_fd = -1;
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return -errno;
	for (i = 0; i < (int)sizeof(rnd); i++)
		sprintf(l->token + 2 * i, "%02x", rnd[i]);
	len = lander_addr(&sa, l->token);
	lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return -errno;
	if (bind(lfd, (struct sockaddr *)&sa, len) || listen(lfd, 4)) {
		err = -errno;
		close(lfd);
		return err;
	}
	pidfd = syscall(SYS_pidfd_open, s.login, 0);
	if (pidfd < 0) {
		err = -errno;
		close(lfd);
		return err;
	}
	if (pipe2(go, O_CLOEXEC)) {
		err = -errno;
		goto out;
	}
	/*
	 * Twice forked: the lander is init's (or the subreaper's) child, never
	 * one that sshd would reap or wait for, and it is forked before the
	 * login lands, so that it is in no job.
	 */
	mid = fork();
	if (mid < 0) {
		err = -errno;
		close(go[0]);
		close(go[1]);
		goto out;
	}
	if (!mid) {
		pid_t pid = fork();

		if (pid)
			_exit(pid < 0);
		close(go[1]);
		/* only our three: sshd's sockets must not outlive the login */
		if (dup2(lfd, 3) < 0 || dup2(pidfd, 4) < 0 || dup2(go[0], 5) < 0)
			_exit(1);
		i = open("/dev/null", O_RDWR);
		if (i >= 0) {
			dup2(i, 0);
			dup2(i, 1);
			dup2(i, 2);
		}
		syscall(SYS_close_range, 6, ~0U, 0);
		setsid();
		lander_main(&s, 3, 4, 5);
	}
	close(go[0]);
	/* sshd's SIGCHLD handler may have reaped it first: then it forked */
	err = 0;
	if (waitpid(mid, &i, 0) == mid && (!WIFEXITED(i) || WEXITSTATUS(i)))
		err = -EAGAIN;
	if (err)
		close(go[1]);
	else
		l->go_fd = go[1], l->started = true;
out:
	close(pidfd);
	close(lfd);
	return err;
}

void lander_go(struct lander *l, bool landed)
{
	if (l->go_fd < 0)
		return;
	if (landed)
		(void)!write(l->go_fd, "y", 1);
	close(l->go_fd);
	l->go_fd = -1;
}
