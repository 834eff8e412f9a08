// SPDX-License-Identifier: GPL-2.0
/*
 * The promises users rely on most, under the conditions that broke them:
 * JOB_KILL is process-directed and goes through the kernel's permission
 * and LSM path, a TASKS dump shows per-task figures only to those who could
 * read them through /proc, a large job's TASKS dump lists every member
 * once, and no process is ever split between two jobs. Runs as root in the
 * guest.
 *
 * xos-timeout: 600
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"
#include "xosjob.h"

/* JOB_ATTACH's count, when a test does not look at it */
static uint32_t nattach;

/* Waits until @pid is in a job of its own (not @not), returns its id. */
static uint64_t wait_own_job(struct xosjob_ctx *ctx, pid_t pid, uint64_t not)
{
	uint64_t id = 0;
	int i;

	for (i = 0; i < XOS_SCALED(500); i++) {
		id = job_of(ctx, pid);
		if (id && id != not)
			return id;
		usleep(10000);
	}
	return 0;
}

/* Reads one byte from @fd within @ms: 1, or 0 on timeout or EOF. */
static int read_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	if (poll(&p, 1, ms) != 1)
		return 0;
	return read(fd, &c, 1) == 1;
}

static int sigwait_fd = -1;

static void *sigwait_thread(void *arg)
{
	sigset_t *set = arg;
	int sig;

	if (!sigwait(set, &sig) && sig == SIGTERM)
		(void)!write(sigwait_fd, "t", 1);
	return NULL;
}

/*
 * kill(2) signals a process: any thread that does not block the signal,
 * or sigwait()s for it, takes it. A process blocks SIGTERM in every
 * thread and a second thread waits for it with sigwait(), the usual shape
 * of a daemon's signal thread. JOB_KILL with SIGTERM must reach it.
 */
TEST(kill_is_process_directed)
{
	struct xosjob_ctx *ctx;
	uint32_t sent = 0, denied = 0;
	uint64_t id;
	int p[2], ready[2];
	pid_t pid;

	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	if (pid == 0) {
		static sigset_t set;
		struct xosjob_ctx *c;
		pthread_t th;
		uint64_t own;

		close(p[0]);
		close(ready[0]);
		sigwait_fd = p[1];
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		if (sigprocmask(SIG_BLOCK, &set, NULL) ||
		    xosjob_open(&c) || xosjob_new(c, "sigwait", 0, &own) ||
		    pthread_create(&th, NULL, sigwait_thread, &set))
			_exit(1);
		(void)!write(ready[1], "r", 1);
		for (;;)
			pause();
	}
	ASSERT_LT(0, pid);
	close(p[1]);
	close(ready[1]);
	ASSERT_EQ(1, read_within(ready[0], XOS_SCALED(10000)));
	id = wait_own_job(ctx, pid, 0);
	ASSERT_NE(0, id);
	ASSERT_EQ(0, xosjob_kill(ctx, id, SIGTERM, &sent, &denied))
		TH_LOG("%s", xosjob_strerror(ctx));
	EXPECT_EQ(1, sent);
	EXPECT_EQ(0, denied);
	EXPECT_EQ(1, read_within(p[0], XOS_SCALED(5000)))
		TH_LOG("the sigwait() thread never got SIGTERM: the signal went to one blocked thread");
	kill(pid, SIGKILL);
	reap(pid);
	xosjob_close(ctx);
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/*
 * A process whose main thread left with pthread_exit() is still one
 * process: it is signalled once, and it dies of the signal.
 */
TEST(kill_reaches_process_without_leader)
{
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	uint32_t sent = 0, denied = 0;
	uint64_t id = 0;
	int i, p[2];
	pid_t pid;

	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	if (pid == 0) {
		struct xosjob_ctx *c;
		pthread_t th;
		uint64_t own = 0;

		close(p[0]);
		if (xosjob_open(&c) || xosjob_new(c, "leaderless", 0, &own))
			_exit(1);
		for (i = 0; i < 3; i++)
			if (pthread_create(&th, NULL, sleeper, NULL))
				_exit(1);
		/*
		 * The id goes through the pipe: once the leader has left, a
		 * lookup by its pid finds no job, and a parent polling for it
		 * could lose that race.
		 */
		if (write(p[1], &own, sizeof(own)) != sizeof(own))
			_exit(1);
		close(p[1]);
		pthread_exit(NULL);
	}
	ASSERT_LT(0, pid);
	close(p[1]);
	ASSERT_EQ(sizeof(id), read(p[0], &id, sizeof(id)));
	close(p[0]);
	ASSERT_NE(0, id);
	/* the leader has left: 3 threads, one process */
	for (i = 0; i < XOS_SCALED(500); i++) {
		ASSERT_EQ(0, xosjob_get(ctx, id, &job));
		if (job.nr_tasks == 3)
			break;
		usleep(10000);
	}
	EXPECT_EQ(3, job.nr_tasks);
	EXPECT_EQ(1, job.nr_procs);
	ASSERT_EQ(0, xosjob_kill(ctx, id, 0, &sent, &denied));
	EXPECT_EQ(1, sent);
	ASSERT_EQ(0, xosjob_kill(ctx, id, SIGTERM, &sent, &denied));
	EXPECT_EQ(1, sent);
	EXPECT_EQ(128 + SIGTERM, reap(pid));
	xosjob_close(ctx);
}

/*
 * A signal that ends a multi-threaded process can end the thread that
 * represents it before the kill has marked it; the process then passes to
 * another of its threads, which must not be signalled again. Each round
 * signals three processes of four threads: the count is 3, every time.
 */
TEST(kill_counts_each_process_once)
{
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	int round, twice = 0;

	ASSERT_EQ(0, xosjob_open(&ctx));
	for (round = 0; round < 30; round++) {
		uint32_t sent = 0, denied = 0;
		uint64_t id = 0;
		int i, p[2];
		pid_t pid;

		ASSERT_EQ(0, pipe(p));
		pid = fork();
		if (pid == 0) {
			struct xosjob_ctx *c;
			pthread_t th;
			uint64_t own = 0;

			close(p[0]);
			if (xosjob_open(&c) || xosjob_new(c, "once", 0, &own))
				_exit(1);
			xosjob_close(c);
			/* this process and two children, four threads each */
			for (i = 0; i < 2; i++)
				if (fork() == 0)
					break;
			for (i = 0; i < 3; i++)
				if (pthread_create(&th, NULL, sleeper, NULL))
					_exit(1);
			if (write(p[1], &own, sizeof(own)) != sizeof(own))
				_exit(1);
			for (;;)
				pause();
		}
		ASSERT_LT(0, pid);
		close(p[1]);
		/* one id from each of the three processes */
		for (i = 0; i < 3; i++)
			ASSERT_EQ(sizeof(id), read(p[0], &id, sizeof(id)));
		close(p[0]);
		ASSERT_NE(0, id);
		ASSERT_EQ(0, xosjob_get(ctx, id, &job));
		ASSERT_EQ(12, job.nr_tasks);
		ASSERT_EQ(3, job.nr_procs);
		ASSERT_EQ(0, xosjob_kill(ctx, id, SIGTERM, &sent, &denied))
			TH_LOG("%s", xosjob_strerror(ctx));
		EXPECT_EQ(0, denied);
		if (sent != 3)
			TH_LOG("round %d: %u processes signalled, not 3", round,
			       sent);
		twice += sent != 3;
		EXPECT_EQ(128 + SIGTERM, reap(pid));
		ASSERT_EQ(0, job_wait_ended(ctx, id, &job, XOS_SCALED(500)));
		ASSERT_TRUE(job.ended);
	}
	EXPECT_EQ(0, twice);
	xosjob_close(ctx);
}

/* Landlock's signal scoping (ABI 6, Linux 6.12), declared here: the
 * build host's headers are older.
 */
struct xos_landlock_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

#define XOS_LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#define XOS_LANDLOCK_CREATE_RULESET_VERSION (1U << 0)

/*
 * A caller that Landlock forbids to signal processes outside its domain
 * cannot have the module do it either: JOB_KILL goes through the LSM's
 * task_kill hook, as kill(2) does, and counts the process as denied.
 */
TEST(kill_obeys_lsm)
{
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	uint64_t id;
	long abi;
	int wfd, st;
	pid_t victim, killer;

	abi = syscall(444 /* landlock_create_ruleset */, NULL, 0,
		      XOS_LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 6)
		SKIP(return, "no Landlock signal scoping here (ABI %ld)", abi);
	ASSERT_EQ(0, xosjob_open(&ctx));
	victim = spawn_gated(&wfd, NULL, NULL);
	ASSERT_LT(0, victim);
	ASSERT_EQ(0, xosjob_new(ctx, "lsm", victim, &id));
	killer = fork();
	if (killer == 0) {
		struct xos_landlock_attr attr = {
			.scoped = XOS_LANDLOCK_SCOPE_SIGNAL,
		};
		struct xosjob_ctx *c;
		uint32_t sent = 99, denied = 99;
		int fd;

		fd = syscall(444, &attr, sizeof(attr), 0);
		if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    syscall(446 /* landlock_restrict_self */, fd, 0))
			_exit(10);
		/* kill(2) itself is refused: the scope is in force */
		if (kill(victim, SIGTERM) != -1 || errno != EPERM)
			_exit(11);
		if (xosjob_open(&c) ||
		    xosjob_kill(c, id, SIGTERM, &sent, &denied))
			_exit(12);
		_exit(sent == 0 && denied == 1 ? 0 : 20 + sent);
	}
	ASSERT_LT(0, killer);
	st = reap(killer);
	EXPECT_EQ(0, st)
		TH_LOG("exit %d: 21 means JOB_KILL signalled around Landlock", st);
	/* the victim lives on */
	usleep(XOS_SCALED(100000));
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	EXPECT_FALSE(job.ended);
	EXPECT_NE(0, proc_state(victim));
	close(wfd);
	reap(victim);
	xosjob_close(ctx);
}

struct task_seen {
	pid_t pid;
	bool private;
	uint64_t rchar;
	int n;
};

static int find_task(const struct xosjob_task *t, void *arg)
{
	struct task_seen *s = arg;

	if (t->pid == s->pid) {
		s->private = t->private;
		s->rchar = t->stats.rchar;
		s->n++;
	}
	return 0;
}

#define SUID_HELPER "/tmp/xos_hardening_suid"
#define FIVE_MIB (5u << 20)

/*
 * A set-uid root program run in a user's job: the owner sees the job's
 * sums, but not that program's own figures, which /proc/PID/io refuses
 * the owner too (CVE-2011-2494). The owner's own tasks stay readable.
 */
TEST(tasks_hide_setuid_figures)
{
	char self[4096];
	ssize_t n;
	int gate[2];
	pid_t owner;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ASSERT_LT(0, n);
	self[n] = 0;
	/* a set-uid root copy of this program, in a tmpfs that allows it */
	unlink(SUID_HELPER);
	{
		char cmd[8300];

		snprintf(cmd, sizeof(cmd), "cp '%s' %s", self, SUID_HELPER);
		ASSERT_EQ(0, system(cmd));
	}
	ASSERT_EQ(0, chown(SUID_HELPER, 0, 0));
	ASSERT_EQ(0, chmod(SUID_HELPER, 04755));
	ASSERT_EQ(0, pipe(gate));
	owner = fork();
	if (owner == 0) {
		struct task_seen own = { 0 }, suid = { 0 };
		struct xosjob_job job;
		struct xosjob_ctx *c;
		char buf[64];
		uint64_t id;
		pid_t helper;
		int ready[2], rc = 0;

		close(gate[1]);
		if (become_nobody(AS_NOBODY) || pipe(ready) ||
		    xosjob_open(&c) || xosjob_new(c, "suid", 0, &id))
			_exit(2);
		helper = fork();
		if (helper == 0) {
			/* above every open fd first: 3 or 4 may be one */
			int r = dup(ready[1]), g = dup(gate[0]);

			if (r < 0 || g < 0 || dup2(r, 3) != 3 || dup2(g, 4) != 4)
				_exit(3);
			execl(SUID_HELPER, SUID_HELPER, "--suid-reader", NULL);
			_exit(3);
		}
		close(ready[1]);
		if (read(ready[0], buf, 1) != 1)
			_exit(4);
		/* its figures went up by 5 MiB of reads before it said so */
		own.pid = getpid();
		suid.pid = helper;
		if (xosjob_tasks(c, id, find_task, &own, NULL) ||
		    xosjob_tasks(c, id, find_task, &suid, NULL))
			_exit(5);
		if (own.n != 1 || own.private)
			rc |= 1 << 3;
		if (suid.n != 1)
			rc |= 1 << 4;
		if (!suid.private || suid.rchar)
			rc |= 1 << 5;	/* the leak */
		if (xosjob_get(c, id, &job))
			_exit(6);
		if (rc)
			fprintf(stderr, "# owner: own seen %d, set-uid pid %d seen %d (private %d, rchar %llu), job: %llu tasks, rchar %llu\n",
				own.n, helper, suid.n, suid.private,
				(unsigned long long)suid.rchar,
				(unsigned long long)job.nr_tasks,
				(unsigned long long)job.stats.rchar);
		if (job.stats.rchar < FIVE_MIB)
			rc |= 1 << 6;	/* the sums stay the owner's */
		kill(helper, SIGKILL);	/* refused: it is root's now */
		_exit(rc);
	}
	ASSERT_LT(0, owner);
	close(gate[0]);
	{
		int st = reap(owner);

		EXPECT_EQ(0, st)
			TH_LOG("status %d: 8 own task hidden, 16 set-uid task not listed, 32 its figures shown to the owner, 64 job sums lost",
			       st);
	}
	close(gate[1]);	/* the helper exits */
	unlink(SUID_HELPER);
}

/*
 * The set-uid side of tasks_hide_setuid_figures: reads 5 MiB, says so on
 * fd 3, and waits for fd 4 to close.
 */
static int suid_reader(void)
{
	static char buf[1 << 16];
	size_t done = 0;
	int fd = open("/dev/zero", O_RDONLY);
	char c;

	if (fd < 0)
		return 1;
	while (done < FIVE_MIB) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			return 1;
		done += n;
	}
	if (write(3, "r", 1) != 1)
		return 1;
	while (read(4, &c, 1) > 0)
		;
	return 0;
}

struct dump_check {
	pid_t *pids;
	int nr_pids;
	int *seen;
	int dup, n;
	uint64_t last_start;
	int disorder;
};

static int count_task(const struct xosjob_task *t, void *arg)
{
	struct dump_check *d = arg;
	int i;

	d->n++;
	if (t->start_boottime_ns < d->last_start)
		d->disorder++;
	d->last_start = t->start_boottime_ns;
	for (i = 0; i < d->nr_pids; i++)
		if (d->pids[i] == (pid_t)t->pid && d->seen[i]++)
			d->dup++;
	return 0;
}

/*
 * A TASKS dump of a job of 3,000 members, across many messages, while
 * other members join and leave: every member that stays is listed exactly
 * once, in join order.
 */
/* The cases that make thousands of processes or moves: their own limits. */
FIXTURE(big) {
};

FIXTURE_SETUP(big)
{
}

FIXTURE_TEARDOWN(big)
{
}

TEST_F_TIMEOUT(big, tasks_dump_large_job_each_once, XOS_TIMEOUT(300))
{
	enum { STAY = 3000 };
	static pid_t pids[STAY];
	static int seen[STAY];
	struct xosjob_ctx *ctx;
	struct dump_check d = { .pids = pids, .nr_pids = STAY, .seen = seen };
	int gates[STAY], churn_gate, round, i;
	uint64_t id;
	pid_t churn;

	struct rlimit fds = { 8192, 8192 };

	/* one gate per member */
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &fds));
	ASSERT_EQ(0, xosjob_open(&ctx));
	pids[0] = spawn_gated(&gates[0], NULL, NULL);
	ASSERT_LT(0, pids[0]);
	ASSERT_EQ(0, xosjob_new(ctx, "big", pids[0], &id));
	for (i = 1; i < STAY; i++) {
		pids[i] = spawn_gated(&gates[i], NULL, NULL);
		ASSERT_LT(0, pids[i]);
		ASSERT_EQ(0, xosjob_attach(ctx, id, pids[i], &nattach))
			TH_LOG("%s", xosjob_strerror(ctx));
	}
	/* members that come and go while we dump */
	churn = spawn_gated(&churn_gate, NULL, NULL);
	ASSERT_LT(0, churn);
	ASSERT_EQ(0, xosjob_attach(ctx, id, churn, &nattach));
	open_gate(churn_gate);
	reap(churn);
	churn = fork();
	if (churn == 0) {
		for (;;) {
			pid_t k = fork();

			if (k == 0)
				_exit(0);
			if (k > 0)
				waitpid(k, NULL, 0);
		}
	}
	ASSERT_LT(0, churn);
	ASSERT_EQ(0, xosjob_attach(ctx, id, churn, &nattach));
	for (round = 0; round < 3; round++) {
		memset(seen, 0, sizeof(seen));
		d.dup = d.n = d.disorder = 0;
		d.last_start = 0;
		ASSERT_EQ(0, xosjob_tasks(ctx, id, count_task, &d, NULL))
			TH_LOG("%s", xosjob_strerror(ctx));
		for (i = 0; i < STAY; i++)
			EXPECT_EQ(1, seen[i]);
		EXPECT_EQ(0, d.dup);
		EXPECT_LE(STAY, d.n);
	}
	kill(churn, SIGKILL);
	reap(churn);
	for (i = 0; i < STAY; i++)
		close(gates[i]);
	for (i = 0; i < STAY; i++)
		reap(pids[i]);
	xosjob_close(ctx);
}

static volatile int storm_stop;

static void *storm_noop(void *arg)
{
	return arg;
}

static void *storm_thread(void *arg)
{
	(void)arg;
	while (!storm_stop) {
		pthread_t th;

		if (!pthread_create(&th, NULL, storm_noop, NULL))
			pthread_join(th, NULL);
	}
	return NULL;
}

/*
 * JOB_ATTACH moves a process with all its threads, or nothing: whether it
 * succeeds or not (a storm of thread creation can make it give up with
 * EAGAIN), no thread is ever left in the old job.
 */
TEST_F_TIMEOUT(big, attach_is_all_or_nothing, XOS_TIMEOUT(300))
{
	struct xosjob_ctx *ctx;
	uint64_t a, b, target, where, cur;
	int gate_a, gate_b, i, moved = 0, again = 0;
	pid_t pa, pb, storm;

	ASSERT_EQ(0, xosjob_open(&ctx));
	pa = spawn_gated(&gate_a, NULL, NULL);
	pb = spawn_gated(&gate_b, NULL, NULL);
	ASSERT_EQ(0, xosjob_new(ctx, "a", pa, &a));
	ASSERT_EQ(0, xosjob_new(ctx, "b", pb, &b));
	storm = fork();
	if (storm == 0) {
		pthread_t th;

		for (i = 0; i < 8; i++)
			if (pthread_create(&th, NULL, storm_thread, NULL))
				_exit(1);
		for (;;)
			pause();
	}
	ASSERT_LT(0, storm);
	ASSERT_EQ(0, xosjob_attach(ctx, a, storm, &nattach));
	cur = a;
	for (i = 0; i < 200; i++) {
		uint32_t n;
		int err;

		target = i % 2 ? a : b;
		err = xosjob_attach(ctx, target, storm, &n);
		if (err == -EAGAIN)
			again++;
		else
			ASSERT_EQ(0, err) TH_LOG("%s", xosjob_strerror(ctx));
		moved += !err;
		if (!err)
			cur = target;
		ASSERT_EQ(1, jobs_of_threads(ctx, storm, &where))
			TH_LOG("round %d: the process is split between jobs", i);
		EXPECT_EQ(cur, where);
	}
	TH_LOG("%d moves, %d refused with EAGAIN", moved, again);
	kill(storm, SIGKILL);
	reap(storm);
	close(gate_a);
	close(gate_b);
	reap(pa);
	reap(pb);
	xosjob_close(ctx);
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Leavers: each burns a few ms of CPU, says so, and exits when told. */
#define NR_LEAVERS 100
#define NR_PARKED 1000
static int leave_go = -1, leave_done = -1;

static void *burn_then_leave(void *arg)
{
	struct timespec t;
	char c = 1;

	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	while (t.tv_sec == 0 && t.tv_nsec < 3000000);
	if (write(leave_done, &c, 1) != 1 || read(leave_go, &c, 1) != 1)
		_exit(1);
	/*
	 * One after the other, 2 ms apart, on their own clock, the newest
	 * first: the member that leaves is the last one a walk reaches.
	 */
	usleep(2000 * (NR_LEAVERS - (unsigned int)(uintptr_t)arg));
	return arg;
}

/*
 * A job of 1,000 parked threads and then 100 that are done burning CPU
 * and leave one by one, the newest first, while JOB_GET reads the job over
 * and over, its walk running under RCU (the job has more members than a
 * snapshot sums under the lock). Each leaver takes 3 ms of run time with it
 * to the job's exited figures, and hardly any new use is made meanwhile: a
 * walk that lost a member as it left, before the walk reached it, shows a
 * dip of 3 ms; one that counted it twice shows a snapshot above the final
 * record.
 */
TEST_F_TIMEOUT(big, snapshot_counts_leaving_members_once, XOS_TIMEOUT(300))
{
	struct xosjob_ctx *ctx;
	struct xosjob_job job, last = { 0 };
	int go[2], done[2], idp[2], i, j, dips = 0;
	uint64_t id = 0;
	pid_t pid;
	char c;

	/*
	 * The leavers on one CPU, the queries on another: woken on the
	 * querier's CPU, a leaver would only ever exit between two walks.
	 */
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "one CPU: leavers cannot exit during a walk");
	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	ASSERT_EQ(0, pipe(idp));
	pin_to_cpu(0);
	pid = fork();
	if (pid == 0) {
		struct xosjob_ctx *cc;
		pthread_attr_t attr;
		pthread_t th;
		uint64_t own = 0;

		pin_to_cpu(1);
		leave_go = go[0];
		leave_done = done[1];
		if (xosjob_open(&cc) || xosjob_new(cc, "leavers", 0, &own) ||
		    write(idp[1], &own, sizeof(own)) != sizeof(own)) {
			fprintf(stderr, "leavers: no job: %s\n", xosjob_strerror(cc));
			_exit(1);
		}
		/*
		 * Parked members first: a walk passes them all before it
		 * reaches the leavers, which join last.
		 */
		if (pthread_attr_init(&attr) ||
		    pthread_attr_setstacksize(&attr, 256 << 10))
			_exit(1);
		for (i = 0; i < NR_PARKED + NR_LEAVERS; i++) {
			int err = pthread_create(&th, &attr, i < NR_PARKED ?
						 sleeper : burn_then_leave,
						 (void *)(uintptr_t)(i - NR_PARKED));

			if (err) {
				fprintf(stderr, "leavers: thread %d: %s\n", i,
					strerror(err));
				_exit(1);
			}
		}
		for (;;)
			pause();
	}
	ASSERT_LT(0, pid);
	/* the child's failure is an end of file, not a hang */
	close(idp[1]);
	close(done[1]);
	ASSERT_EQ(sizeof(id), read(idp[0], &id, sizeof(id)));
	for (i = 0; i < NR_LEAVERS; i++)
		if (read(done[0], &c, 1) != 1)
			break;
	ASSERT_EQ(NR_LEAVERS, i);
	ASSERT_EQ(0, xosjob_get(ctx, id, &last));
	ASSERT_EQ(NR_PARKED + NR_LEAVERS + 1, last.nr_tasks);
	for (i = 0; i < NR_LEAVERS; i++)
		ASSERT_EQ(1, write(go[1], "x", 1));
	/* back to back while they leave: most exits land in some walk */
	for (j = 0; last.nr_tasks > NR_PARKED + 1 && j < 100000; j++) {
		ASSERT_EQ(0, xosjob_get(ctx, id, &job))
			TH_LOG("%s", xosjob_strerror(ctx));
		if (job.stats.runtime_ns < last.stats.runtime_ns ||
		    job.stats.utime_ns + job.stats.stime_ns <
		    last.stats.utime_ns + last.stats.stime_ns) {
			if (!dips++)
				TH_LOG("snapshot %d: the job's run time went down from %llu to %llu ns (%llu tasks left)",
				       j, (unsigned long long)last.stats.runtime_ns,
				       (unsigned long long)job.stats.runtime_ns,
				       (unsigned long long)job.nr_tasks);
		}
		last = job;
	}
	EXPECT_EQ(NR_PARKED + 1, last.nr_tasks);
	EXPECT_EQ(0, dips) TH_LOG("%d of %d snapshots went down", dips, j);
	kill(pid, SIGKILL);
	reap(pid);
	ASSERT_EQ(0, job_wait_ended(ctx, id, &job, XOS_SCALED(500)));
	ASSERT_TRUE(job.ended);
	EXPECT_LE(last.stats.runtime_ns, job.stats.runtime_ns);
	EXPECT_LE(last.stats.utime_ns + last.stats.stime_ns,
		  job.stats.utime_ns + job.stats.stime_ns);
	EXPECT_LE(last.stats.minflt, job.stats.minflt);
	EXPECT_LE(last.stats.nvcsw + last.stats.nivcsw,
		  job.stats.nvcsw + job.stats.nivcsw);
	EXPECT_LE(last.stats.hiwater_rss_kb, job.stats.hiwater_rss_kb);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(idp[0]);
	xosjob_close(ctx);
}

static int param(const char *name, int set)
{
	char path[128];
	int v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/xos_job/parameters/%s", name);
	f = fopen(path, set < 0 ? "r" : "w");
	if (!f)
		return -1;
	if (set < 0) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
	} else {
		fprintf(f, "%d\n", set);
		v = 0;
	}
	return fclose(f) ? -1 : v;
}

/*
 * A child of uid @uid that creates a job of its own and sleeps; writes 0
 * or the negative errno (then the extack text) to @fd.
 */
static pid_t job_as(uid_t uid, int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct xosjob_ctx *c;
		char out[600];
		uint64_t id;
		int err;

		if (uid && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
			_exit(1);
		if (xosjob_open(&c))
			_exit(1);
		err = xosjob_new(c, "quota", 0, &id);
		snprintf(out, sizeof(out), "%d %s\n", err,
			 err ? xosjob_strerror(c) : "");
		(void)!write(fd, out, strlen(out));
		if (err)
			_exit(0);
		for (;;)
			pause();
	}
	return pid;
}

static int job_as_result(uid_t uid, pid_t *pid, char *msg, size_t len)
{
	int p[2], err = -999;
	char buf[600] = "";
	ssize_t n;

	if (pipe(p))
		return err;
	*pid = job_as(uid, p[1]);
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	if (n > 0) {
		buf[n] = 0;
		sscanf(buf, "%d", &err);
		snprintf(msg, len, "%s", strchr(buf, ' ') ? strchr(buf, ' ') + 1 : "");
	}
	return err;
}

/*
 * One user cannot take every job slot: uid 65534 gets max_jobs_per_user
 * live jobs and a refusal that names that limit; another user and root
 * still get theirs. The last admin_reserve slots of max_jobs are root's.
 */
TEST(per_user_job_limit)
{
	int old_user = param("max_jobs_per_user", -1);
	int old_max = param("max_jobs", -1), old_res = param("admin_reserve", -1);
	struct xosjob_info info;
	struct xosjob_ctx *ctx;
	pid_t pids[16];
	int n = 0, i, err;
	char msg[600];

	ASSERT_LT(0, old_user) TH_LOG("no module parameter max_jobs_per_user");
	ASSERT_LE(0, old_res) TH_LOG("no module parameter admin_reserve");
	ASSERT_EQ(0, param("max_jobs_per_user", 3));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, job_as_result(NOBODY, &pids[n++], msg, sizeof(msg)));
	}
	err = job_as_result(NOBODY, &pids[n++], msg, sizeof(msg));
	EXPECT_EQ(-ENOSPC, err);
	EXPECT_NE(NULL, strstr(msg, "max_jobs_per_user")) TH_LOG("'%s'", msg);
	EXPECT_EQ(0, job_as_result(NOBODY - 1, &pids[n++], msg, sizeof(msg)))
		TH_LOG("another user: %s", msg);
	EXPECT_EQ(0, job_as_result(0, &pids[n++], msg, sizeof(msg)))
		TH_LOG("root: %s", msg);
	/* the node is nearly full: the rest is root's */
	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, xosjob_info(ctx, &info));
	ASSERT_EQ(0, param("max_jobs_per_user", 100));
	ASSERT_EQ(0, param("admin_reserve", 2));
	ASSERT_EQ(0, param("max_jobs", info.nr_jobs + 2));
	err = job_as_result(NOBODY - 1, &pids[n++], msg, sizeof(msg));
	EXPECT_EQ(-ENOSPC, err);
	EXPECT_NE(NULL, strstr(msg, "admin_reserve")) TH_LOG("'%s'", msg);
	EXPECT_EQ(0, job_as_result(0, &pids[n++], msg, sizeof(msg)))
		TH_LOG("root in the reserve: %s", msg);
	EXPECT_EQ(0, param("max_jobs", old_max));
	EXPECT_EQ(0, param("admin_reserve", old_res));
	EXPECT_EQ(0, param("max_jobs_per_user", old_user));
	for (i = 0; i < n; i++) {
		kill(pids[i], SIGKILL);
		reap(pids[i]);
	}
	xosjob_close(ctx);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--suid-reader"))
		return suid_reader();
	xos_check_time_scale();
	return test_harness_run(argc, argv);
}
