// SPDX-License-Identifier: GPL-2.0
/*
 * What a consumer may assume when a job ends (see "When a job ends" in
 * linux/xos_job.h). The end-of-job record is made in the exit probe
 * (sched_process_exit), which do_exit() runs after exit_mm() but before
 * exit_files(), exit_task_namespaces(), exit_task_work() (where the last
 * fput() of each file runs), cgroup_exit() and exit_notify(), on 6.1 and
 * 6.12 alike.
 *
 * ended_before_exit_completes holds the last member inside
 * exit_task_work() for as long as it likes: the member's own open
 * description of a FIFO is released there, and pipe_release() needs the
 * pipe's mutex, which a thread of the test holds from inside a splice()
 * into that FIFO that waits for socket data. Task works run newest first
 * and close_files() goes up the descriptor table, so the FIFO at fd 100 is
 * released before the member's lower descriptors: its flock()ed file and
 * the write end of a second FIFO are still open then. This is the
 * counter-example to "the resources are free at ENDED": the notification
 * arrives while the process is neither a zombie nor reaped, its cgroup is
 * populated, its lock is held and its FIFO end open. Then the consumer
 * waits as documented -- for the cgroup's "populated 0" (round 0) or for
 * the process to be reaped (round 1) -- and finds all of them released.
 *
 * record_kept_once_reaped: after waitpid() returns for the last member,
 * JOB_GET answers with the end-of-job record at once.
 * attach_of_last_process_ends_job: the other way a job ends, with its last
 * process alive.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"
#include "xosjob.h"

#define HIGH_FD 100

struct paths {
	char cg[64], fifo_block[64], fifo_end[64], lock[64];
};

static void paths_init(struct paths *p)
{
	int me = getpid();

	snprintf(p->cg, sizeof(p->cg), "/sys/fs/cgroup/xos-end-%d", me);
	snprintf(p->fifo_block, sizeof(p->fifo_block), "/tmp/xos-end-block-%d", me);
	snprintf(p->fifo_end, sizeof(p->fifo_end), "/tmp/xos-end-fifo-%d", me);
	snprintf(p->lock, sizeof(p->lock), "/tmp/xos-end-lock-%d", me);
}

/* Waits up to @ms for the ENDED notification of job @id. */
static int wait_ended(struct xosjob_ctx *ev, uint64_t id,
		      struct xosjob_job *job, int ms)
{
	struct pollfd pfd = { .fd = xosjob_fd(ev), .events = POLLIN };
	int cmd, err;

	for (;;) {
		if (poll(&pfd, 1, ms) <= 0)
			return -ETIMEDOUT;
		err = xosjob_event_next(ev, &cmd, job);
		if (err)
			return err;
		if (cmd == XOS_JOB_CMD_ENDED_NTF && job->id == id)
			return 0;
	}
}

/* 1 if the cgroup reports "populated 1", 0 for "populated 0", -1 on error. */
static int cg_populated(const char *cg)
{
	char path[96], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.events", cg);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "populated ");
	return p ? p[10] == '1' : -1;
}

/* Waits for "populated 0" as a consumer would: POLLPRI on cgroup.events. */
static int cg_wait_empty(const char *cg, int ms)
{
	char path[96], buf[256];
	struct pollfd pfd;
	int fd, left = ms;

	snprintf(path, sizeof(path), "%s/cgroup.events", cg);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	pfd.fd = fd;
	pfd.events = POLLPRI;
	while (cg_populated(cg) == 1 && left > 0) {
		/* cgroup.events signals a change with POLLPRI; re-arm by reading */
		if (pread(fd, buf, sizeof(buf), 0) < 0)
			break;
		poll(&pfd, 1, 100);
		left -= 100;
	}
	close(fd);
	return cg_populated(cg) == 0 ? 0 : -1;
}

/* A lock on @path another open file description holds: 1, free: 0. */
static int lock_held(const char *path)
{
	int fd = open(path, O_RDWR), held;

	if (fd < 0)
		return -1;
	held = flock(fd, LOCK_EX | LOCK_NB) ? errno == EWOULDBLOCK : 0;
	close(fd);
	return held;
}

/* Whether the FIFO's write side is closed (a reader sees POLLHUP). */
static int fifo_hup(int rfd)
{
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP);
}

struct splicer {
	int sock;		/* no data until the test writes some */
	int fifo;		/* the FIFO the member's exit must release */
	pid_t tid;
	ssize_t ret;
};

/* Holds the FIFO's pipe mutex while it waits for the socket. */
static void *splice_thread(void *arg)
{
	struct splicer *s = arg;

	__atomic_store_n(&s->tid, syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	s->ret = splice(s->sock, NULL, s->fifo, NULL, 1, 0);
	return NULL;
}

/* Whether thread @tid sleeps inside splice(). */
static int in_splice(pid_t tid)
{
	char path[64], buf[64];
	ssize_t n;
	int fd;

	/* /proc/TID works for a thread too */
	if (proc_state(tid) != 'S')
		return 0;
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return atoi(buf) == SYS_splice && buf[0] != 'r';
}

/*
 * The member: in its own descriptors a flock()ed file and a FIFO's write
 * end, then at HIGH_FD its own read end of the blocking FIFO. It exits
 * when the gate opens.
 */
static void member(const struct paths *p, int ready, int gate)
{
	int fd;
	char c;

	if (dup2(ready, 3) < 0 || dup2(gate, 4) < 0)
		_exit(10);
	close_range(5, ~0U, 0);
	fd = open(p->lock, O_RDWR);
	if (fd < 0 || flock(fd, LOCK_EX))
		_exit(11);
	if (open(p->fifo_end, O_WRONLY) < 0)
		_exit(12);
	fd = open(p->fifo_block, O_RDONLY | O_NONBLOCK);
	if (fd < 0 || dup2(fd, HIGH_FD) != HIGH_FD || close(fd))
		_exit(13);
	if (write(3, "r", 1) != 1 || read(4, &c, 1) != 1)
		_exit(14);
	_exit(0);
}

TEST(ended_before_exit_completes)
{
	struct xosjob_ctx *ctx, *ev;
	struct paths p;
	int round;

	paths_init(&p);
	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, xosjob_open(&ev));
	ASSERT_EQ(0, xosjob_subscribe(ev, 1 << 20)) TH_LOG("%s", xosjob_strerror(ev));
	unlink(p.fifo_block);
	unlink(p.fifo_end);
	ASSERT_EQ(0, mkfifo(p.fifo_block, 0600));
	ASSERT_EQ(0, mkfifo(p.fifo_end, 0600));
	close(open(p.lock, O_RDWR | O_CREAT, 0600));

	for (round = 0; round < 2; round++) {
		int ready[2], gate[2], sv[2], fifo_block, fifo_end, i;
		char c, path[96];
		struct splicer sp = { 0 };
		struct xosjob_job job;
		pthread_t th;
		uint64_t id;
		pid_t pid;

		ASSERT_EQ(0, mkdir(p.cg, 0755)) TH_LOG("mkdir %s: %m", p.cg);
		fifo_block = open(p.fifo_block, O_RDWR);
		ASSERT_LE(0, fifo_block);
		fifo_end = open(p.fifo_end, O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, fifo_end);
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
		ASSERT_EQ(0, pipe(ready));
		ASSERT_EQ(0, pipe(gate));
		pid = fork();
		if (pid == 0)
			member(&p, ready[1], gate[0]);
		ASSERT_LT(0, pid);
		close(ready[1]);
		close(gate[0]);
		snprintf(path, sizeof(path), "%s/cgroup.procs", p.cg);
		{
			char s[16];

			snprintf(s, sizeof(s), "%d", pid);
			ASSERT_EQ(0, write_file(path, s));
		}
		ASSERT_EQ(0, xosjob_new(ctx, "job-end", pid, &id));
		ASSERT_EQ(1, read(ready[0], &c, 1));
		EXPECT_EQ(1, lock_held(p.lock));

		sp.sock = sv[0];
		sp.fifo = fifo_block;
		ASSERT_EQ(0, pthread_create(&th, NULL, splice_thread, &sp));
		for (i = 0; i < XOS_SCALED(500); i++) {
			pid_t tid = __atomic_load_n(&sp.tid, __ATOMIC_SEQ_CST);

			if (tid && in_splice(tid))
				break;
			usleep(10000);
		}
		ASSERT_LT(i, XOS_SCALED(500)) TH_LOG("the splice thread never blocked");

		/* the last member exits; its exit then blocks in pipe_release() */
		ASSERT_EQ(1, write(gate[1], "g", 1));
		ASSERT_EQ(0, wait_ended(ev, id, &job, XOS_SCALED(20000)))
			TH_LOG("no ENDED notification for job %llu", (unsigned long long)id);
		EXPECT_TRUE(job.ended);
		EXPECT_EQ(0, job.nr_tasks);
		EXPECT_EQ(job.tasks_started, job.tasks_exited);
		/* the record is readable back at once */
		ASSERT_EQ(0, xosjob_get(ctx, id, &job));
		EXPECT_TRUE(job.ended);

		/* What a consumer must not assume at this point. */
		EXPECT_EQ(0, waitpid(pid, NULL, WNOHANG)) TH_LOG("the member was reapable");
		c = proc_state(pid);
		EXPECT_TRUE(c == 'D' || c == 'R') TH_LOG("member state '%c', not exiting", c);
		TH_LOG("round %d: at ENDED the member is in state '%c', its cgroup populated, its lock held, its FIFO end open",
		       round, c);
		EXPECT_EQ(1, cg_populated(p.cg));
		EXPECT_EQ(-1, rmdir(p.cg));
		EXPECT_EQ(EBUSY, errno);
		EXPECT_EQ(1, lock_held(p.lock));
		EXPECT_FALSE(fifo_hup(fifo_end));

		/* let the member's exit go on */
		ASSERT_EQ(1, write(sv[1], "x", 1));
		ASSERT_EQ(0, pthread_join(th, NULL));
		EXPECT_EQ(1, sp.ret);

		/* What it may assume once it waited for the right thing. */
		if (round == 0) {
			ASSERT_EQ(0, cg_wait_empty(p.cg, XOS_SCALED(10000)));
			TH_LOG("round 0: after populated 0");
		} else {
			EXPECT_EQ(0, reap(pid));
			TH_LOG("round 1: after the reap");
		}
		EXPECT_EQ(0, cg_populated(p.cg));
		EXPECT_EQ(0, lock_held(p.lock));
		EXPECT_TRUE(fifo_hup(fifo_end));
		if (round == 0)
			EXPECT_EQ(0, reap(pid));
		EXPECT_EQ(0, rmdir(p.cg));

		close(fifo_block);
		close(fifo_end);
		close(sv[0]);
		close(sv[1]);
		close(ready[0]);
		close(gate[1]);
	}
	unlink(p.fifo_block);
	unlink(p.fifo_end);
	unlink(p.lock);
	xosjob_close(ev);
	xosjob_close(ctx);
}

/*
 * The record is made before exit_notify(): once waitpid() returned for
 * the job's last process, JOB_GET answers with the record, no wait.
 */
TEST(record_kept_once_reaped)
{
	struct xosjob_ctx *ctx;
	int round;

	ASSERT_EQ(0, xosjob_open(&ctx));
	for (round = 0; round < 20; round++) {
		struct xosjob_job job;
		uint64_t id;
		int gate;
		pid_t pid;

		pid = spawn_gated(&gate, NULL, NULL);
		ASSERT_LT(0, pid);
		ASSERT_EQ(0, xosjob_new(ctx, "reaped", pid, &id));
		open_gate(gate);
		ASSERT_EQ(0, reap(pid));
		ASSERT_EQ(0, xosjob_get(ctx, id, &job));
		EXPECT_TRUE(job.ended);
		EXPECT_LT(0, job.seq);
		EXPECT_EQ(0, job.nr_tasks);
	}
	xosjob_close(ctx);
}

/*
 * A job also ends when ATTACH moves its last process to another job: the
 * record is made at once, and that process lives on.
 */
TEST(attach_of_last_process_ends_job)
{
	struct xosjob_ctx *ctx;
	uint64_t old_id, new_id;
	struct xosjob_job job;
	int gate, gate2;
	uint32_t moved;
	pid_t pid, pid2;

	ASSERT_EQ(0, xosjob_open(&ctx));
	pid = spawn_gated(&gate, NULL, NULL);
	ASSERT_LT(0, pid);
	pid2 = spawn_gated(&gate2, NULL, NULL);
	ASSERT_LT(0, pid2);
	ASSERT_EQ(0, xosjob_new(ctx, "left", pid, &old_id));
	ASSERT_EQ(0, xosjob_new(ctx, "taker", pid2, &new_id));
	ASSERT_EQ(0, xosjob_attach(ctx, new_id, pid, &moved));
	ASSERT_EQ(0, xosjob_get(ctx, old_id, &job));
	EXPECT_TRUE(job.ended);
	EXPECT_EQ(0, job.nr_tasks);
	EXPECT_EQ(1, job.procs_exited);
	EXPECT_EQ(0, kill(pid, 0));
	ASSERT_EQ(0, xosjob_get_by_pid(ctx, pid, &job));
	EXPECT_EQ(new_id, job.id);
	open_gate(gate);
	open_gate(gate2);
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(0, reap(pid2));
	xosjob_close(ctx);
}

TEST_HARNESS_MAIN
