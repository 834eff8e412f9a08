// SPDX-License-Identifier: GPL-2.0
/*
 * Job tagging: inheritance through every way a task is created, exact
 * membership, job end, pid reuse, escape attempts, visibility, bad input,
 * kill, max_jobs and multi-message dumps. Runs as root in the guest; the
 * unprivileged cases drop to uid 65534.
 *
 * 10,000 forks and 400-job dumps take 120-180 s under TCG:
 * xos-timeout: 900
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <liburing.h>

#include "harness.h"
#include "util.h"
#include "xosjob.h"

extern char **environ;

/* The job of @pid, 0 when it is in none. */
/* A child that blocks until its pipe closes; returns its pid. */
static pid_t spawn_waiter(int *wfd)
{
	return spawn_gated(wfd, NULL, NULL);
}

struct pid_set {
	pid_t pids[16384];
	int n;
	bool interrupted;
};

static int collect_task(const struct xosjob_task *t, void *arg)
{
	struct pid_set *s = arg;

	if (s->n < (int)(sizeof(s->pids) / sizeof(s->pids[0])))
		s->pids[s->n++] = t->pid;
	return 0;
}

static bool in_set(const struct pid_set *s, pid_t pid)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->pids[i] == pid)
			return true;
	return false;
}

FIXTURE(jobs) {
	struct xosjob_ctx *ctx;
	uint64_t id;
};

FIXTURE_SETUP(jobs)
{
	ASSERT_EQ(0, xosjob_open(&self->ctx));
	/* each test runs in its own child: that child creates the job */
	ASSERT_EQ(0, xosjob_new(self->ctx, "selftest", 0, &self->id))
		TH_LOG("JOB_NEW: %s", xosjob_strerror(self->ctx));
	ASSERT_NE(0, self->id);
	ASSERT_EQ(self->id, job_of(self->ctx, getpid()));
}

FIXTURE_TEARDOWN(jobs)
{
	xosjob_close(self->ctx);
}

TEST_F(jobs, new_job_object)
{
	struct xosjob_job job;

	ASSERT_EQ(0, xosjob_get(self->ctx, self->id, &job));
	EXPECT_EQ(self->id, job.id);
	EXPECT_TRUE(job.has_label);
	EXPECT_STREQ("selftest", job.label);
	EXPECT_EQ(geteuid(), job.owner_uid);
	EXPECT_EQ(getpid(), job.anchor_pid);
	EXPECT_JOB_TASKS(job, 1, 0);
	EXPECT_EQ(1, job.nr_procs);
	EXPECT_EQ(0, job.flags);
	EXPECT_NE(0, job.created_realtime_ns);
	EXPECT_NE(0, job.created_boottime_ns);
}

TEST_F(jobs, fork_inherits)
{
	struct xosjob_job job;
	int wfd;
	pid_t pid = spawn_waiter(&wfd);

	ASSERT_LT(0, pid);
	EXPECT_EQ(self->id, job_of(self->ctx, pid));
	ASSERT_EQ(0, xosjob_get(self->ctx, self->id, &job));
	EXPECT_EQ(2, job.nr_procs);
	EXPECT_EQ(2, job.tasks_started);
	close(wfd);
	EXPECT_EQ(0, reap(pid));
	ASSERT_EQ(0, xosjob_get(self->ctx, self->id, &job));
	EXPECT_EQ(1, job.nr_procs);
	EXPECT_EQ(1, job.tasks_exited);
}

TEST_F(jobs, vfork_and_exec_inherit)
{
	struct pid_set *s = calloc(1, sizeof(*s));
	pid_t pid;
	int i;

	ASSERT_NE(NULL, s);
	pid = vfork();
	if (pid == 0) {
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	ASSERT_LT(0, pid);
	EXPECT_EQ(self->id, job_of(self->ctx, pid));
	ASSERT_EQ(0, xosjob_tasks(self->ctx, self->id, collect_task, s, NULL));
	EXPECT_TRUE(in_set(s, pid));
	/* the exec'ed image is the member: its comm is sleep */
	for (i = 0; i < XOS_SCALED(50); i++) {
		char path[64], comm[32] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(comm, sizeof(comm), f))
				comm[0] = 0;
			fclose(f);
		}
		if (!strncmp(comm, "sleep", 5))
			break;
		usleep(20000);
	}
	EXPECT_EQ(self->id, job_of(self->ctx, pid));
	kill(pid, SIGKILL);
	reap(pid);
	free(s);
}

static void *thread_wait(void *arg)
{
	int *fds = arg;
	pid_t tid = syscall(SYS_gettid);
	char c;

	if (write(fds[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	if (read(fds[2], &c, 1) < 0)
		return NULL;
	return NULL;
}

TEST_F(jobs, threads_inherit)
{
	struct pid_set *s = calloc(1, sizeof(*s));
	struct xosjob_job job;
	int p[2], q[2], fds[3];
	pthread_t th;
	pid_t tid;

	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	fds[0] = p[0], fds[1] = p[1], fds[2] = q[0];
	ASSERT_EQ(0, pthread_create(&th, NULL, thread_wait, fds));
	ASSERT_EQ(sizeof(tid), read(p[0], &tid, sizeof(tid)));
	ASSERT_EQ(0, xosjob_get(self->ctx, self->id, &job));
	EXPECT_EQ(2, job.nr_tasks);
	EXPECT_EQ(1, job.nr_procs);
	ASSERT_EQ(0, xosjob_tasks(self->ctx, self->id, collect_task, s, NULL));
	EXPECT_EQ(2, s->n);
	EXPECT_TRUE(in_set(s, tid));
	EXPECT_TRUE(in_set(s, getpid()));
	close(q[1]);
	pthread_join(th, NULL);
	/*
	 * join returns when the kernel clears the tid in exit_mm(), a little
	 * before the exit tracepoint that ends the membership
	 */
	for (int i = 0; i < XOS_SCALED(200); i++) {
		ASSERT_EQ(0, xosjob_get(self->ctx, self->id, &job));
		if (job.nr_tasks == 1)
			break;
		usleep(10000);
	}
	EXPECT_EQ(1, job.nr_tasks);
	free(s);
}

TEST_F(jobs, posix_spawn_inherits)
{
	char *argv[] = { "sleep", "30", NULL };
	pid_t pid;

	ASSERT_EQ(0, posix_spawn(&pid, "/bin/sleep", NULL, NULL, argv, environ));
	EXPECT_EQ(self->id, job_of(self->ctx, pid));
	kill(pid, SIGKILL);
	reap(pid);
}

TEST_F(jobs, double_fork_setsid_inherits)
{
	int p[2];
	pid_t child, grandchild = 0;

	ASSERT_EQ(0, pipe(p));
	child = fork();
	if (child == 0) {
		pid_t g = fork();

		if (g == 0) {
			setsid();
			if (fork() == 0) {
				/* the daemon: reparented, new session */
				pid_t me = getpid();

				if (write(p[1], &me, sizeof(me)) < 0)
					_exit(1);
				pause();
				_exit(0);
			}
			_exit(0);
		}
		_exit(0);
	}
	ASSERT_EQ(0, reap(child));
	ASSERT_EQ(sizeof(grandchild), read(p[0], &grandchild, sizeof(grandchild)));
	/* wait until it is orphaned, then check it is still tagged */
	usleep(XOS_SCALED(100000));
	EXPECT_EQ(self->id, job_of(self->ctx, grandchild));
	EXPECT_NE(getsid(0), getsid(grandchild));
	kill(grandchild, SIGKILL);
}

TEST_F(jobs, io_uring_worker_inherits)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct pid_set *s;
	char buf[8];
	DIR *d;
	struct dirent *e;
	pid_t worker = 0;
	int p[2], i, ret;

	ret = io_uring_queue_init(4, &ring, 0);
	if (ret == -ENOSYS || ret == -EPERM)
		SKIP(return, "io_uring is disabled in this kernel (%d)", ret);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, pipe(p));
	/* a read of an empty pipe, forced async: an io-wq worker blocks on it */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, p[0], buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_ASYNC;
	ASSERT_EQ(1, io_uring_submit(&ring));
	for (i = 0; i < XOS_SCALED(100) && !worker; i++) {
		usleep(20000);
		d = opendir("/proc/self/task");
		ASSERT_NE(NULL, d);
		while ((e = readdir(d))) {
			char path[300], comm[32] = "";
			FILE *f;

			snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
				 e->d_name);
			f = fopen(path, "r");
			if (!f)
				continue;
			if (fgets(comm, sizeof(comm), f) &&
			    !strncmp(comm, "iou-wrk", 7))
				worker = atoi(e->d_name);
			fclose(f);
		}
		closedir(d);
	}
	ASSERT_NE(0, worker) TH_LOG("no io-wq worker appeared");
	s = calloc(1, sizeof(*s));
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, xosjob_tasks(self->ctx, self->id, collect_task, s, NULL));
	EXPECT_TRUE(in_set(s, worker)) TH_LOG("worker %d not a member", worker);
	ASSERT_EQ(1, write(p[1], "x", 1));
	io_uring_queue_exit(&ring);
	free(s);
}

/*
 * 10,000 forks: membership is exact against /proc, and the job ends after
 * the last member's exit, not before. The job lives in a leader process,
 * so that this test can watch it end from outside.
 */
#define NR_FORKS 10000
#define NR_KEEP 300

static pid_t children_of(pid_t parent, struct pid_set *s)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	s->n = 0;
	while (d && (e = readdir(d))) {
		char path[300], line[512], *rp;
		int ppid = -1;
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f)) {
			rp = strrchr(line, ')');
			if (rp && sscanf(rp + 2, "%*c %d", &ppid) == 1 &&
			    ppid == parent)
				s->pids[s->n++] = atoi(e->d_name);
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return s->n;
}

/* A fixture without setup, for tests that need a longer time limit. */
FIXTURE(slow) {
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

TEST_F_TIMEOUT(slow, ten_thousand_forks, XOS_TIMEOUT(600))
{
	struct pid_set *dump = calloc(1, sizeof(*dump));
	struct pid_set *proc = calloc(1, sizeof(*proc));
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	int p[2], q[2], i;
	uint64_t id;
	pid_t leader;
	char c;

	ASSERT_NE(NULL, dump);
	ASSERT_NE(NULL, proc);
	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	leader = fork();
	if (leader == 0) {
		struct xosjob_ctx *lc;
		uint64_t lid = 0;

		close(q[1]);
		if (xosjob_open(&lc) || xosjob_new(lc, "forks", 0, &lid))
			_exit(1);
		for (i = 0; i < NR_FORKS; i++) {
			pid_t k = fork();

			if (k == 0) {
				if (i >= NR_FORKS - NR_KEEP)
					/* the last ones stay until q closes */
					while (read(q[0], &c, 1) > 0)
						;
				_exit(0);
			}
			if (k < 0)
				_exit(2);
			if (i < NR_FORKS - NR_KEEP)
				waitpid(k, NULL, 0);
		}
		if (write(p[1], &lid, sizeof(lid)) != sizeof(lid))
			_exit(3);
		/* the leader waits for the test's word, then exits first */
		while (read(q[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(q[0]);
	ASSERT_EQ(sizeof(id), read(p[0], &id, sizeof(id)));
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	EXPECT_EQ(NR_KEEP + 1, job.nr_procs);
	EXPECT_JOB_TASKS(job, NR_FORKS + 1, NR_FORKS - NR_KEEP);

	/* members (a multi-message dump) == the leader + its live children */
	ASSERT_EQ(0, xosjob_tasks(ctx, id, collect_task, dump, NULL));
	EXPECT_EQ(NR_KEEP, children_of(leader, proc));
	EXPECT_EQ(proc->n + 1, dump->n);
	EXPECT_TRUE(in_set(dump, leader));
	for (i = 0; i < proc->n; i++)
		EXPECT_TRUE(in_set(dump, proc->pids[i]))
			TH_LOG("child %d missing from the job", proc->pids[i]);

	/* kill the children one by one: the job lives until the last */
	for (i = 0; i < proc->n; i++) {
		kill(proc->pids[i], SIGKILL);
		if (i == proc->n - 1)
			break;
		/* wait until the killed one has left the job */
		while (job_of(ctx, proc->pids[i]) == id)
			usleep(1000);
		ASSERT_EQ(0, xosjob_get(ctx, id, &job));
		ASSERT_FALSE(job.ended)
			TH_LOG("job ended with %d members left", proc->n - i - 1);
	}
	/* the leader (anchor) is the last: close q, it exits, job ends */
	close(q[1]);
	EXPECT_EQ(0, reap(leader));
	/* an ended job answers with its end-of-job record */
	for (i = 0; i < 500 && !xosjob_get(ctx, id, &job) && !job.ended; i++)
		usleep(10000);
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	EXPECT_TRUE(job.ended);
	EXPECT_EQ(0, job.nr_tasks);
	EXPECT_EQ(job.tasks_started, job.tasks_exited);
	EXPECT_EQ(NR_FORKS + 1, job.tasks_started);
	xosjob_close(ctx);
	free(dump);
	free(proc);
}

/*
 * Pid reuse in a pid namespace: a dead member's pid, given to an outsider
 * through ns_last_pid, does not make the outsider a member.
 */
TEST(pid_reuse_not_member)
{
	pid_t init;
	int status;

	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	init = fork();
	if (init == 0) {
		struct xosjob_ctx *ctx;
		int p[2], q[2], fd, len;
		pid_t member, holder, outsider;
		uint64_t id = 0;
		struct xosjob_job job;
		struct pid_set *s = calloc(1, sizeof(*s));
		char buf[32], c;

		/* pid 1 of the new namespace: outside any job */
		if (!s || xosjob_open(&ctx) || pipe(p) || pipe(q))
			_exit(10);
		member = fork();
		if (member == 0) {
			if (xosjob_new(ctx, "reuse", 0, &id))
				_exit(1);
			/* a second member keeps the job alive */
			if (fork() == 0) {
				while (read(q[0], &c, 1) > 0)
					;
				_exit(0);
			}
			if (write(p[1], &id, sizeof(id)) != sizeof(id))
				_exit(1);
			_exit(0);
		}
		close(q[0]);
		if (read(p[0], &id, sizeof(id)) != sizeof(id))
			_exit(11);
		waitpid(member, NULL, 0);
		/* the job lives on in the second member */
		if (xosjob_get(ctx, id, &job) || job.nr_procs != 1)
			_exit(12);
		/* hand the dead member's pid to an outsider */
		fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
		if (fd < 0)
			_exit(13);
		len = snprintf(buf, sizeof(buf), "%d", member - 1);
		if (write(fd, buf, len) != len)
			_exit(14);
		close(fd);
		holder = fork();
		if (holder == 0) {
			pause();
			_exit(0);
		}
		outsider = holder;
		if (outsider != member)
			_exit(15);	/* the pid was not reused */
		if (job_of(ctx, outsider) != 0)
			_exit(16);	/* the outsider is reported a member */
		if (xosjob_tasks(ctx, id, collect_task, s, NULL) ||
		    in_set(s, outsider) || s->n != 1)
			_exit(17);
		kill(holder, SIGKILL);
		close(q[1]);
		_exit(0);
	}
	ASSERT_EQ(init, waitpid(init, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("15: pid not reused, 16/17: outsider seen as member");
}

/* As uid 65534: one job of its own, no way out of it. */
TEST(unprivileged_member_cannot_escape)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct xosjob_ctx *ctx;
		uint64_t id, id2;
		uint32_t n;
		int p[2];
		pid_t k;

		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(10);
		if (xosjob_open(&ctx) || xosjob_new(ctx, NULL, 0, &id))
			_exit(11);
		/* a second job for itself */
		if (xosjob_new(ctx, NULL, 0, &id2) != -EPERM ||
		    !strstr(xosjob_strerror(ctx), "cannot leave its job"))
			_exit(12);
		/* naming another process */
		if (xosjob_new(ctx, NULL, getppid(), &id2) != -EPERM ||
		    !strstr(xosjob_strerror(ctx), "CAP_SYS_ADMIN"))
			_exit(13);
		/* attaching itself elsewhere, or to its own job */
		if (xosjob_attach(ctx, id, getpid(), &n) != -EPERM ||
		    !strstr(xosjob_strerror(ctx), "CAP_SYS_ADMIN"))
			_exit(14);
		/* a new session in a double-forked daemon */
		if (pipe(p))
			_exit(15);
		k = fork();
		if (k == 0) {
			setsid();
			if (fork() == 0) {
				pid_t me = getpid();

				if (write(p[1], &me, sizeof(me)) < 0)
					_exit(1);
				pause();	/* SIGKILLed below */
				_exit(0);
			}
			_exit(0);
		}
		waitpid(k, NULL, 0);
		if (read(p[0], &k, sizeof(k)) != sizeof(k) ||
		    job_of(ctx, k) != id)
			_exit(16);
		kill(k, SIGKILL);
		/* fake root in a user namespace is not admin */
		if (unshare(CLONE_NEWUSER) == 0) {
			struct xosjob_ctx *c2;

			if (xosjob_open(&c2) == 0) {
				if (xosjob_new(c2, NULL, 0, &id2) != -EPERM)
					_exit(17);
				xosjob_close(c2);
			}
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

static int count_job(const struct xosjob_job *job, void *arg)
{
	uint64_t *want = arg;

	if (job->id == want[0])
		want[1]++;
	want[2]++;
	return 0;
}

/* Other users' jobs are invisible: get, list, tasks, kill, attach. */
TEST_F(jobs, other_users_jobs_invisible)
{
	uint64_t id = self->id;
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct xosjob_ctx *ctx;
		struct xosjob_job job;
		uint64_t seen[3] = { id, 0, 0 }, own;
		uint32_t a, b;

		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(10);
		if (xosjob_open(&ctx))
			_exit(11);
		if (xosjob_get(ctx, id, &job) != -ENOENT)
			_exit(12);
		if (xosjob_get_by_pid(ctx, getppid(), &job) != -ENOENT)
			_exit(13);
		if (xosjob_tasks(ctx, id, collect_task, NULL, NULL) != -ENOENT)
			_exit(14);
		if (xosjob_kill(ctx, id, 0, &a, &b) != -ENOENT)
			_exit(15);
		if (xosjob_attach(ctx, id, getpid(), &a) != -EPERM)
			_exit(16);
		if (xosjob_list(ctx, count_job, seen, NULL) || seen[1])
			_exit(17);
		/* nobody is in root's job (inherited): it cannot see it, and
		 * it cannot create its own either; check from a fresh
		 * process outside: see own_jobs_visible */
		(void)own;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("12 get, 13 get by pid, 14 tasks, 15 kill, 16 attach, 17 list");
}

/* An unprivileged user sees, lists and kills its own job. */
TEST(own_jobs_visible)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct xosjob_ctx *ctx;
		struct xosjob_job job;
		uint64_t id, seen[3] = { 0, 0, 0 };
		uint32_t sent = 0, denied = 0;

		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(10);
		if (xosjob_open(&ctx) || xosjob_new(ctx, "mine", 0, &id))
			_exit(11);
		seen[0] = id;
		if (xosjob_get(ctx, id, &job) || job.owner_uid != NOBODY)
			_exit(12);
		if (xosjob_list(ctx, count_job, seen, NULL) || seen[1] != 1 ||
		    seen[2] != 1)
			_exit(13);	/* only its own job */
		if (xosjob_kill(ctx, id, 0, &sent, &denied) || sent != 1)
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

#define EXPECT_ERR(want_err, want_msg, call) do {			\
	int __e = (call);						\
	EXPECT_EQ(want_err, __e);					\
	EXPECT_NE(NULL, strstr(xosjob_strerror(self->ctx), want_msg))	\
		TH_LOG("%s: message '%s'", #call,			\
		       xosjob_strerror(self->ctx));			\
} while (0)

TEST_F(jobs, bad_input_errors)
{
	char label[XOS_JOB_LABEL_MAX + 2];
	struct xosjob_job job;
	uint32_t a, b;
	uint64_t id;

	memset(label, 'x', sizeof(label) - 1);
	label[sizeof(label) - 1] = 0;
	EXPECT_ERR(-EINVAL, "label is at most 255 bytes", xosjob_new(self->ctx, label, getpid(), &id));
	EXPECT_ERR(-EINVAL, "label is empty", xosjob_new(self->ctx, "", getpid(), &id));
	EXPECT_ERR(-ENOENT, "no such job", xosjob_get(self->ctx, 987654321, &job));
	EXPECT_ERR(-ESRCH, "no process with", xosjob_get_by_pid(self->ctx, 4000000, &job));
	EXPECT_ERR(-ESRCH, "no process with", xosjob_attach(self->ctx, self->id, 4000000, &a));
	EXPECT_ERR(-EINVAL, "kernel threads", xosjob_attach(self->ctx, self->id, 2, &a));
	EXPECT_ERR(-ENOENT, "no such job", xosjob_attach(self->ctx, 987654321, getpid(), &a));
	EXPECT_ERR(-ERANGE, "signal must be 0..64", xosjob_kill(self->ctx, self->id, 65, &a, &b));
	EXPECT_ERR(-ENOENT, "no such job", xosjob_kill(self->ctx, 987654321, 0, &a, &b));
	EXPECT_ERR(-ENOENT, "no such job",
		   xosjob_tasks(self->ctx, 987654321, collect_task, NULL, NULL));
	/* a pid that is in no job */
	EXPECT_ERR(-ENOENT, "not in a job", xosjob_get_by_pid(self->ctx, 1, &job));
}

/* Kill reaches every member, also those forked while it runs. */
TEST_F(jobs, kill_reaches_forking_members)
{
	struct xosjob_ctx *ctx = self->ctx;
	uint64_t id = self->id;
	struct xosjob_job job;
	uint32_t sent = 0, denied = 0;
	pid_t storm;
	int i;

	int ready[2];
	char go;

	/* move the test itself out of the way: a separate job to kill */
	ASSERT_EQ(0, pipe(ready));
	storm = fork();
	if (storm == 0) {
		struct xosjob_ctx *c;
		uint64_t sid;

		close(ready[0]);
		if (xosjob_open(&c) || xosjob_new(c, "storm", 0, &sid))
			_exit(1);
		/* 4 forkers, each forking short-lived children forever */
		for (i = 0; i < 4; i++)
			if (fork() == 0)
				for (;;) {
					pid_t k = fork();

					if (k > 0)
						waitpid(k, NULL, 0);
					else if (k == 0)
						_exit(0);
				}
		/*
		 * All 4 forkers exist: nr_procs alone does not say so, the
		 * forkers' short-lived children count in it too.
		 */
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	ASSERT_LT(0, storm);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &go, 1));
	close(ready[0]);
	for (i = 0; i < XOS_SCALED(200); i++) {
		id = job_of(ctx, storm);
		if (id && id != self->id)
			break;
		usleep(10000);
	}
	ASSERT_NE(self->id, id);
	/* the leader and its 4 forkers, at least */
	for (i = 0; i < XOS_SCALED(300); i++) {
		ASSERT_EQ(0, xosjob_get(ctx, id, &job));
		if (job.nr_procs >= 5)
			break;
		usleep(10000);
	}
	ASSERT_EQ(0, xosjob_kill(ctx, id, SIGKILL, &sent, &denied))
		TH_LOG("%s", xosjob_strerror(ctx));
	EXPECT_LE(5, sent);
	EXPECT_EQ(0, denied);
	reap(storm);
	/* every member dies: the job ends */
	for (i = 0; i < XOS_SCALED(1000) && !xosjob_get(ctx, id, &job) && !job.ended; i++)
		usleep(10000);
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	EXPECT_TRUE(job.ended)
		TH_LOG("job still has %llu members after SIGKILL",
		       (unsigned long long)job.nr_tasks);
	EXPECT_TRUE(job.flags & XOS_JOB_F_KILLED);
}

TEST_F(jobs, kill_counts_processes)
{
	uint32_t sent = 0, denied = 0;
	int wfd[3], i;
	pid_t pid[3];

	for (i = 0; i < 3; i++)
		pid[i] = spawn_waiter(&wfd[i]);
	ASSERT_EQ(0, xosjob_kill(self->ctx, self->id, 0, &sent, &denied));
	EXPECT_EQ(4, sent);
	/* SIGTERM to the children only would kill us too: signal 0 above,
	 * then a real signal to a job of children alone in own_jobs_visible
	 */
	for (i = 0; i < 3; i++) {
		close(wfd[i]);
		reap(pid[i]);
	}
}

/* The admin moves a process, with all its threads, into a job. */
TEST_F(jobs, attach_moves_process)
{
	struct xosjob_job job;
	uint32_t n = 0;
	int wfd;
	pid_t pid;

	/* a process outside any job: forked by pid 1? use a new job's child */
	pid = fork();
	if (pid == 0) {
		struct xosjob_ctx *c;
		uint64_t other;

		if (xosjob_open(&c) || xosjob_new(c, "other", 0, &other))
			_exit(1);
		pause();
		_exit(0);
	}
	/* until the child is in its own job */
	for (int i = 0; i < XOS_SCALED(500) && job_of(self->ctx, pid) == self->id; i++)
		usleep(10000);
	ASSERT_NE(self->id, job_of(self->ctx, pid));
	ASSERT_NE(0, job_of(self->ctx, pid));
	ASSERT_EQ(0, xosjob_attach(self->ctx, self->id, pid, &n))
		TH_LOG("%s", xosjob_strerror(self->ctx));
	EXPECT_EQ(1, n);
	EXPECT_EQ(self->id, job_of(self->ctx, pid));
	ASSERT_EQ(0, xosjob_get(self->ctx, self->id, &job));
	EXPECT_EQ(2, job.nr_procs);
	kill(pid, SIGKILL);
	reap(pid);
	(void)wfd;
}

static int read_param(const char *name)
{
	char path[128], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/xos_job/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return atoi(buf);
}

static int write_param(const char *name, int v)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/xos_job/parameters/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", v);
	return fclose(f);
}

TEST_F(jobs, max_jobs_enospc)
{
	struct xosjob_info info;
	int old = read_param("max_jobs");
	uint64_t id;
	pid_t pid;
	int wfd = -1;

	ASSERT_LT(0, old);
	/* our own job is live: one more cannot fit (jobs of earlier tests may
	 * still be ending, so the live count is no limit to set)
	 */
	ASSERT_EQ(0, write_param("max_jobs", 1));
	pid = spawn_waiter(&wfd);
	EXPECT_ERR(-ENOSPC, "too many jobs", xosjob_new(self->ctx, NULL, pid, &id));
	ASSERT_EQ(0, xosjob_info(self->ctx, &info));
	ASSERT_EQ(0, write_param("max_jobs", info.nr_jobs + 1));
	EXPECT_EQ(0, xosjob_new(self->ctx, NULL, pid, &id));
	ASSERT_EQ(0, write_param("max_jobs", old));
	close(wfd);
	reap(pid);
}

/* LIST spans several messages: every job once, in ascending order. */
struct list_check {
	uint64_t last, n, mine, disorder;
	uint64_t lo, hi;
};

static int list_cb(const struct xosjob_job *job, void *arg)
{
	struct list_check *c = arg;

	if (job->id <= c->last)
		c->disorder++;
	c->last = job->id;
	c->n++;
	if (job->id >= c->lo && job->id <= c->hi)
		c->mine++;
	return 0;
}

TEST(list_spans_messages)
{
	struct xosjob_ctx *ctx;
	struct list_check c = { 0 };
	int wfd[400], i;
	pid_t pid[400];
	uint64_t id;

	ASSERT_EQ(0, xosjob_open(&ctx));
	for (i = 0; i < 400; i++) {
		pid[i] = spawn_waiter(&wfd[i]);
		ASSERT_EQ(0, xosjob_new(ctx, "many", pid[i], &id));
		if (!c.lo)
			c.lo = id;
		c.hi = id;
	}
	ASSERT_EQ(0, xosjob_list(ctx, list_cb, &c, NULL));
	EXPECT_EQ(400, c.mine);
	EXPECT_EQ(0, c.disorder);
	for (i = 0; i < 400; i++) {
		close(wfd[i]);
		reap(pid[i]);
	}
	xosjob_close(ctx);
}

/* Jobs ending while a dump runs: no duplicates, and ascending order. */
TEST(list_while_jobs_end)
{
	struct xosjob_ctx *ctx;
	int wfd[200], i, round, intr_seen = 0;
	pid_t pid[200];
	uint64_t id;

	ASSERT_EQ(0, xosjob_open(&ctx));
	for (i = 0; i < 200; i++) {
		pid[i] = spawn_waiter(&wfd[i]);
		ASSERT_EQ(0, xosjob_new(ctx, "churn", pid[i], &id));
	}
	for (round = 0; round < 20; round++) {
		struct list_check c = { 0 };
		bool intr = false;

		/* end 10 jobs from another process while we dump */
		for (i = round * 10; i < round * 10 + 10; i++)
			close(wfd[i]);
		ASSERT_EQ(0, xosjob_list(ctx, list_cb, &c, &intr));
		EXPECT_EQ(0, c.disorder);
		intr_seen += intr;
	}
	for (i = 0; i < 200; i++)
		reap(pid[i]);
	TH_LOG("%d of 20 dumps flagged NLM_F_DUMP_INTR", intr_seen);
	xosjob_close(ctx);
}

TEST_HARNESS_MAIN
