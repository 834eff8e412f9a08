// SPDX-License-Identifier: GPL-2.0
/*
 * JOB_ENTER at the protocol level: the reply (anchor pid and start time),
 * its errors, and 1,000 rounds of an enter racing the job's last exit.
 * The namespace and cgroup scenes are in test_enter.sh.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "nl_raw.h"
#include "util.h"
#include "xosjob.h"

#define EXPECT_MSG(ctx, want) \
	EXPECT_NE(NULL, strstr(xosjob_strerror(ctx), want)) \
		TH_LOG("message '%s', want '%s'", xosjob_strerror(ctx), want)

/* Start time of @pid: field 22 of /proc/PID/stat, in clock ticks. */
static unsigned long long start_ticks(pid_t pid)
{
	char buf[1024];
	const char *p = proc_stat_fields(pid, buf, sizeof(buf));
	unsigned long long v = 0;
	int i;

	for (i = 3; p && i < 22; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (p)
		sscanf(p, "%llu", &v);
	return v;
}

/* The reply names the anchor, verifiably: pid and start time. */
TEST(enter_replies_with_anchor)
{
	struct xosjob_ctx *ctx;
	struct xosjob_anchor a;
	struct xosjob_job job;
	int gate = -1, p[2];
	pid_t anchor, e;
	uint64_t id;

	ASSERT_EQ(0, xosjob_open(&ctx));
	anchor = spawn_gated(&gate, NULL, NULL);
	ASSERT_LT(0, anchor);
	ASSERT_EQ(0, xosjob_new_owner(ctx, "enter", anchor, 4321, &id));
	ASSERT_EQ(0, pipe(p));
	e = fork();
	if (e == 0) {
		struct xosjob_ctx *c;
		int err;

		if (xosjob_open(&c))
			_exit(10);
		err = xosjob_enter(c, id, false, &a);
		if (write(p[1], &a, sizeof(a)) != sizeof(a))
			_exit(11);
		if (err)
			_exit(12);
		/* a second enter of the same job only rejoins its cgroups */
		if (xosjob_enter(c, id, true, &a))
			_exit(13);
		if (xosjob_get_by_pid(c, getpid(), &job) || job.id != id)
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(sizeof(a), read(p[0], &a, sizeof(a)));
	ASSERT_EQ(0, reap(e));
	EXPECT_EQ(id, a.id);
	EXPECT_EQ(anchor, a.pid);
	EXPECT_EQ(4321, a.owner_uid);
	EXPECT_EQ(start_ticks(anchor),
		  a.start_boottime_ns / (1000000000ULL / sysconf(_SC_CLK_TCK)));
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	EXPECT_EQ(a.start_boottime_ns, job.anchor_start_boottime_ns);
	EXPECT_EQ(2, job.procs_started);
	close(gate);
	reap(anchor);
	xosjob_close(ctx);
}

/* Moves @pid into cgroup @dir (under /sys/fs/cgroup); 0 or -1. */
static int move_to(const char *dir, pid_t pid)
{
	char path[256], v[16];

	snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/cgroup.procs", dir);
	snprintf(v, sizeof(v), "%d", pid);
	return write_file(path, v);
}

struct entered {
	int err;
	char msg[256];
	char reply_cgroup[256];
	char cgroup[256];	/* this process's, after the enter */
};

/* Forks a process that enters @id (with the kernel's cgroup move). */
static void enter_and_tell(uint64_t id, struct entered *out)
{
	int p[2];
	pid_t e;

	memset(out, 0, sizeof(*out));
	if (pipe(p))
		return;
	e = fork();
	if (e == 0) {
		struct xosjob_anchor a;
		struct xosjob_ctx *c;
		struct entered r = { 0 };
		FILE *f;

		if (xosjob_open(&c))
			_exit(10);
		r.err = xosjob_enter(c, id, false, &a);
		snprintf(r.msg, sizeof(r.msg), "%.200s", xosjob_strerror(c));
		snprintf(r.reply_cgroup, sizeof(r.reply_cgroup), "%.200s", a.cgroup);
		f = fopen("/proc/self/cgroup", "r");
		if (!f || !fgets(r.cgroup, sizeof(r.cgroup), f))
			_exit(11);
		r.cgroup[strcspn(r.cgroup, "\n")] = 0;
		if (write(p[1], &r, sizeof(r)) != sizeof(r))
			_exit(12);
		_exit(0);
	}
	if (read(p[0], out, sizeof(*out)) != sizeof(*out))
		out->err = -EIO;
	reap(e);
	close(p[0]);
	close(p[1]);
}

/*
 * The kernel's cgroup move takes the job's recorded cgroup (the first
 * process's at JOB_NEW), not the anchor's when the anchor moved away; and
 * refuses, leaving the caller outside the job, when no member is there.
 */
TEST(enter_joins_the_recorded_cgroup)
{
	int gate1 = -1, gate2 = -1;
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	struct entered r;
	uint32_t n;
	pid_t p1, p2;
	uint64_t id;

	if (geteuid())
		SKIP(return, "needs root");
	mkdir("/sys/fs/cgroup/xos-rec-a", 0755);
	mkdir("/sys/fs/cgroup/xos-rec-b", 0755);
	ASSERT_EQ(0, xosjob_open(&ctx));
	p1 = spawn_gated(&gate1, NULL, NULL);
	p2 = spawn_gated(&gate2, NULL, NULL);
	ASSERT_EQ(0, move_to("xos-rec-a", p1));
	ASSERT_EQ(0, move_to("xos-rec-a", p2));
	ASSERT_EQ(0, xosjob_new(ctx, "rec", p1, &id));
	ASSERT_EQ(0, xosjob_attach(ctx, id, p2, &n));
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	EXPECT_STREQ("/xos-rec-a", job.cgroup);
	/* the anchor leaves; the other member stays in the job's cgroup */
	ASSERT_EQ(0, move_to("xos-rec-b", p1));
	enter_and_tell(id, &r);
	EXPECT_EQ(0, r.err) TH_LOG("%s", r.msg);
	EXPECT_STREQ("0::/xos-rec-a", r.cgroup);
	EXPECT_STREQ("/xos-rec-a", r.reply_cgroup);
	/* nobody is left there: refused, and the caller joined nothing */
	ASSERT_EQ(0, move_to("xos-rec-b", p2));
	enter_and_tell(id, &r);
	EXPECT_EQ(-ENOENT, r.err);
	EXPECT_NE(NULL, strstr(r.msg, "no member of the job is in its cgroup"))
		TH_LOG("'%s'", r.msg);
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	/* the two members and the first enter's process */
	EXPECT_EQ(3, job.procs_started) TH_LOG("a refused enter joined the job");
	close(gate1);
	close(gate2);
	reap(p1);
	reap(p2);
	rmdir("/sys/fs/cgroup/xos-rec-a");
	rmdir("/sys/fs/cgroup/xos-rec-b");
	xosjob_close(ctx);
}

static void *idle_thread(void *arg)
{
	pause();
	return arg;
}

TEST(enter_errors)
{
	struct xosjob_ctx *ctx;
	struct xosjob_anchor a;
	struct nlmsghdr *h;
	struct nlr raw;
	uint16_t fam;
	uint32_t ver;
	pthread_t th;
	uint64_t id;
	int gate = -1;
	pid_t pid, e;

	ASSERT_EQ(0, xosjob_open(&ctx));
	EXPECT_EQ(-ENOENT, xosjob_enter(ctx, 987654321, false, &a));
	EXPECT_MSG(ctx, "no such job");
	/* a job that ended */
	pid = spawn_gated(&gate, NULL, NULL);
	ASSERT_EQ(0, xosjob_new(ctx, NULL, pid, &id));
	close(gate);
	reap(pid);
	EXPECT_EQ(-ESRCH, xosjob_enter(ctx, id, false, &a));
	EXPECT_MSG(ctx, "has ended");
	/* cgroups are joined by the calling thread: one thread only */
	pid = spawn_gated(&gate, NULL, NULL);
	ASSERT_EQ(0, xosjob_new(ctx, NULL, pid, &id));
	ASSERT_EQ(0, pthread_create(&th, NULL, idle_thread, NULL));
	EXPECT_EQ(-EINVAL, xosjob_enter(ctx, id, false, &a));
	EXPECT_MSG(ctx, "single-threaded");
	close(gate);
	reap(pid);

	/*
	 * The kernel's cgroup move skips cgroupfs permissions: an owner who
	 * is not admin must ask without it.
	 */
	pid = spawn_gated(&gate, NULL, NULL);
	ASSERT_EQ(0, xosjob_new_owner(ctx, NULL, pid, NOBODY, &id));
	e = fork();
	if (e == 0) {
		struct xosjob_ctx *c;

		close(gate);
		if (setgid(NOBODY) || setuid(NOBODY) || xosjob_open(&c))
			_exit(10);
		if (xosjob_enter(c, id, false, &a) != -EPERM)
			_exit(11);
		if (!strstr(xosjob_strerror(c), "requires CAP_SYS_ADMIN"))
			_exit(12);
		if (xosjob_enter(c, id, true, &a))
			_exit(13);
		_exit(0);
	}
	EXPECT_EQ(0, reap(e));
	close(gate);
	reap(pid);

	/* no id, id 0, an unknown attribute: strict policy, with messages */
	ASSERT_EQ(0, nlr_open(&raw));
	ASSERT_EQ(0, nlr_resolve(&raw, XOS_JOB_GENL_NAME, &fam, &ver));
	h = nlr_start(&raw, fam, 0, XOS_JOB_CMD_ENTER, XOS_JOB_GENL_VERSION);
	EXPECT_EQ(-EINVAL, nlr_talk(&raw, NULL, NULL, NULL));
	EXPECT_NE(NULL, strstr(raw.msg, "missing job id")) TH_LOG("'%s'", raw.msg);
	h = nlr_start(&raw, fam, 0, XOS_JOB_CMD_ENTER, XOS_JOB_GENL_VERSION);
	nlr_put_u64(h, XOS_JOB_A_ID, 0);
	EXPECT_EQ(-ERANGE, nlr_talk(&raw, NULL, NULL, NULL));
	h = nlr_start(&raw, fam, 0, XOS_JOB_CMD_ENTER, XOS_JOB_GENL_VERSION);
	nlr_put_u64(h, XOS_JOB_A_ID, 1);
	nlr_put_u32(h, XOS_JOB_A_PID, 1);
	EXPECT_EQ(-EINVAL, nlr_talk(&raw, NULL, NULL, NULL));
	nlr_close(&raw);
	xosjob_close(ctx);
}

/* What each round's enterer saw, shared across fork. */
struct round {
	volatile int go;
	long delay_ns;		/* between the go and the enter */
	int err;		/* JOB_ENTER's answer */
	int tagged_job_ok;	/* after it: in the job iff it entered */
};

static void spin_until(volatile int *flag)
{
	while (!*flag)
		;
}

static long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

/*
 * 1,000 rounds: a one-process job's only member exits while another
 * process enters the job. Each enter either works (and the job then ends
 * with that process) or fails cleanly with ESRCH; a refused process is in
 * no job, and every job ends with exactly one record. The enter's delay
 * after the exit starts follows the outcome (longer after a success,
 * shorter after a refusal), so the rounds stay at the edge of the race
 * and both outcomes must occur.
 */
FIXTURE(slow) {
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

#define ROUNDS 1000
TEST_F_TIMEOUT(slow, enter_races_last_exit, XOS_TIMEOUT(600))
{
	struct round *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int i, entered = 0, refused = 0, gate = -1;
	long delay = 0, step = 20000;
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	uint64_t id;
	pid_t x, e;

	ASSERT_NE(MAP_FAILED, r);
	ASSERT_EQ(0, xosjob_open(&ctx));
	for (i = 0; i < ROUNDS; i++) {
		memset(r, 0, sizeof(*r));
		r->delay_ns = delay;
		x = spawn_gated(&gate, NULL, NULL);
		ASSERT_LT(0, x);
		ASSERT_EQ(0, xosjob_new(ctx, "race", x, &id));
		e = fork();
		ASSERT_LE(0, e);
		if (e == 0) {
			struct xosjob_ctx *c;
			struct xosjob_anchor a;
			struct xosjob_job j;
			int in;

			close(gate);	/* else the member never sees EOF */
			if (xosjob_open(&c))
				_exit(10);
			spin_until(&r->go);
			if (r->delay_ns) {
				long until = now_ns() + r->delay_ns;

				while (now_ns() < until)
					;
			}
			r->err = xosjob_enter(c, id, false, &a);
			in = xosjob_get_by_pid(c, getpid(), &j) == 0;
			r->tagged_job_ok = r->err ? !in : in && j.id == id && !j.ended;
			_exit(0);
		}
		r->go = 1;
		close(gate);	/* the job's only member exits */
		ASSERT_EQ(0, reap(x));
		ASSERT_EQ(0, reap(e));
		ASSERT_TRUE(r->err == 0 || r->err == -ESRCH)
			TH_LOG("round %d: %d %s", i, r->err, xosjob_strerror(ctx));
		EXPECT_TRUE(r->tagged_job_ok) TH_LOG("round %d, err %d", i, r->err);
		ASSERT_EQ(0, xosjob_get(ctx, id, &job));
		EXPECT_TRUE(job.ended) TH_LOG("round %d: job left live", i);
		EXPECT_EQ(r->err ? 1 : 2, job.procs_started) TH_LOG("round %d", i);
		if (r->err) {
			refused++;
			delay = delay > step ? delay - step : 0;
		} else {
			entered++;
			delay += step;
		}
	}
	TH_LOG("%d rounds: %d entered, %d refused cleanly; delay at the edge %ld us",
	       ROUNDS, entered, refused, delay / 1000);
	EXPECT_LT(0, entered);
	EXPECT_LT(0, refused);
	xosjob_close(ctx);
}

TEST_HARNESS_MAIN
