// SPDX-License-Identifier: GPL-2.0
/*
 * Per-job accounting against the kernel's own per-task accounting: the
 * TASKSTATS family is the oracle, both its exit records (summed over the
 * job's tasks) and its per-pid query (for a stopped live member). Also the
 * end-of-job records: one per job, numbered without gaps, notified to the
 * events group and readable back from the ring after an overflow; task
 * states; delay accounting reported off rather than as zeros; privacy.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/taskstats.h>

#include "kselftest_harness.h"
#include "nl_raw.h"
#include "xosjob.h"

#define NOBODY 65534
#define MAX_TIDS 64

/* Task ids the job's tasks report, shared across fork. */
struct tids {
	int n;
	pid_t tid[MAX_TIDS];
};

static struct tids *tids_new(void)
{
	struct tids *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return t == MAP_FAILED ? NULL : t;
}

static void tids_add(struct tids *t)
{
	int i = __atomic_fetch_add(&t->n, 1, __ATOMIC_SEQ_CST);

	if (i < MAX_TIDS)
		t->tid[i] = syscall(SYS_gettid);
}

static void burn_ms(int ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 +
		 (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void touch_mb(int mb)
{
	volatile char *p = malloc((size_t)mb << 20);
	size_t i;

	if (!p)
		return;
	/* kept until exit: the peak must be in the RSS at exit */
	for (i = 0; i < ((size_t)mb << 20); i += 4096)
		p[i] = 1;
}

static void io_kb(int kb)
{
	char buf[4096];
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open("/dev/null", O_WRONLY);
	int i;

	for (i = 0; i < kb / 4; i++) {
		if (in >= 0 && read(in, buf, sizeof(buf)) <= 0)
			lseek(in, 0, SEEK_SET);
		if (out >= 0 && write(out, buf, sizeof(buf)) < 0)
			break;
	}
	close(in);
	close(out);
}

static void *thread_work(void *arg)
{
	tids_add(arg);
	burn_ms(30);
	io_kb(64);
	return NULL;
}

/* --- TASKSTATS, the kernel's own per-task accounting ------------------ */

struct ts {
	struct nlr n;
	uint16_t family;
};

static int ts_open(struct ts *t)
{
	uint32_t v;
	int err = nlr_open(&t->n);

	return err ?: nlr_resolve(&t->n, TASKSTATS_GENL_NAME, &t->family, &v);
}

/* Copies the stats of an AGGR_PID reply or record; returns its pid or 0. */
static pid_t ts_parse(const struct nlmsghdr *h, uint16_t family,
		      struct taskstats *out)
{
	const struct nlattr *aggr, *pid, *st;

	if (h->nlmsg_type != family)
		return 0;
	aggr = nlr_attr(h, TASKSTATS_TYPE_AGGR_PID);
	if (!aggr)
		return 0;
	pid = nlr_nested(aggr, TASKSTATS_TYPE_PID);
	st = nlr_nested(aggr, TASKSTATS_TYPE_STATS);
	if (!pid || !st || st->nla_len - NLA_HDRLEN < sizeof(*out))
		return 0;
	memcpy(out, nlr_data(st), sizeof(*out));
	return nlr_get_u32(pid);
}

struct ts_get {
	uint16_t family;
	struct taskstats st;
	pid_t pid;
};

static int ts_get_cb(const struct nlmsghdr *h, void *arg)
{
	struct ts_get *g = arg;

	g->pid = ts_parse(h, g->family, &g->st);
	return 0;
}

static int ts_get(struct ts *t, pid_t pid, struct taskstats *st)
{
	struct ts_get g = { .family = t->family };
	struct nlmsghdr *h;
	int err;

	h = nlr_start(&t->n, t->family, 0, TASKSTATS_CMD_GET,
		      TASKSTATS_GENL_VERSION);
	nlr_put_u32(h, TASKSTATS_CMD_ATTR_PID, pid);
	err = nlr_talk(&t->n, ts_get_cb, &g, NULL);
	if (err)
		return err;
	if (g.pid != pid)
		return -ENOENT;
	*st = g.st;
	return 0;
}

/* Registers for the exit records of every CPU. */
static int ts_listen(struct ts *t)
{
	int bufsz = 8 << 20;
	struct nlmsghdr *h;
	char mask[32];

	setsockopt(t->n.fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof(bufsz));
	snprintf(mask, sizeof(mask), "0-%ld", sysconf(_SC_NPROCESSORS_CONF) - 1);
	h = nlr_start(&t->n, t->family, 0, TASKSTATS_CMD_GET,
		      TASKSTATS_GENL_VERSION);
	nlr_put_str(h, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, mask);
	return nlr_talk(&t->n, NULL, NULL, NULL);
}

/* Collects the exit records of @want's tasks until all came or 10 s. */
static int ts_collect(struct ts *t, const struct tids *want,
		      struct taskstats *out)
{
	int got = 0, idle = 0;

	while (got < want->n && idle < 100) {
		struct pollfd p = { .fd = t->n.fd, .events = POLLIN };
		struct nlmsghdr *h;
		ssize_t len;

		if (poll(&p, 1, 100) <= 0) {
			idle++;
			continue;
		}
		len = recv(t->n.fd, t->n.rx, sizeof(t->n.rx), 0);
		if (len < 0)
			return -errno;
		for (h = (struct nlmsghdr *)t->n.rx; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			struct taskstats st;
			pid_t pid = ts_parse(h, t->family, &st);
			int i;

			for (i = 0; pid && i < want->n; i++) {
				if (want->tid[i] == pid) {
					out[i] = st;
					got++;
				}
			}
		}
	}
	return got;
}

/* --- helpers ---------------------------------------------------------- */

/* A child blocked until its pipe gets a byte; then it runs @fn. */
static pid_t spawn_gated(int *gate, void (*fn)(void *), void *arg)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		fn(arg);
		_exit(0);
	}
	close(p[0]);
	*gate = p[1];
	return pid;
}

static void open_gate(int gate)
{
	if (write(gate, "g", 1) != 1)
		perror("gate");
	close(gate);
}

static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void worker_cpu_mem(void *arg)
{
	tids_add(arg);
	burn_ms(80);
	touch_mb(24);
}

static void worker_io(void *arg)
{
	tids_add(arg);
	io_kb(1024);
}

static void worker_threads(void *arg)
{
	pthread_t th[2];
	int i;

	tids_add(arg);
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, thread_work, arg);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
}

/* The job's first process: forks the workers and waits for them. */
static void job_leader(void *arg)
{
	void (*work[])(void *) = { worker_cpu_mem, worker_io, worker_threads };
	pid_t pids[3];
	int i;

	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			work[i](arg);
			_exit(0);
		}
	}
	for (i = 0; i < 3; i++)
		waitpid(pids[i], NULL, 0);
}

#define U64(x) ((unsigned long long)(x))

/*
 * The job's final figures are the sums of the kernel's exit records of its
 * tasks. The first process joined when it existed already: its use before
 * that (its TASKSTATS_CMD_GET at JOB_NEW, while it was blocked) is not the
 * job's. Counters are exact. Times may only grow between taskstats_exit()
 * and the exit tracepoint (exit_mm() runs in between): they are checked to
 * be at least the oracle's and at most a tick per task above it.
 */
TEST(exit_sums_match_taskstats_exit_records)
{
	struct taskstats base, *rec, sum = { 0 };
	struct tids *tids = tids_new();
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	uint64_t id, max_rss = 0, slack_ns;
	struct ts ts_get_s, ts_listen_s;
	int gate = -1, got, i;
	pid_t leader;

	ASSERT_NE(NULL, tids);
	rec = calloc(MAX_TIDS, sizeof(*rec));
	ASSERT_NE(NULL, rec);
	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, ts_open(&ts_get_s));
	ASSERT_EQ(0, ts_open(&ts_listen_s));
	ASSERT_EQ(0, ts_listen(&ts_listen_s)) TH_LOG("%s", ts_listen_s.n.msg);

	leader = spawn_gated(&gate, job_leader, tids);
	ASSERT_LT(0, leader);
	tids->tid[0] = leader;
	tids->n = 1;
	usleep(20000);
	ASSERT_EQ(0, ts_get(&ts_get_s, leader, &base));
	ASSERT_EQ(0, xosjob_new(ctx, "acct-oracle", leader, &id))
		TH_LOG("%s", xosjob_strerror(ctx));
	open_gate(gate);
	ASSERT_EQ(0, reap(leader));
	ASSERT_EQ(6, tids->n);	/* the leader, 3 workers, 2 threads */

	got = ts_collect(&ts_listen_s, tids, rec);
	ASSERT_EQ(tids->n, got);
	for (i = 0; i < tids->n; i++) {
		sum.ac_utime += rec[i].ac_utime;
		sum.ac_stime += rec[i].ac_stime;
		sum.cpu_run_virtual_total += rec[i].cpu_run_virtual_total;
		sum.ac_minflt += rec[i].ac_minflt;
		sum.ac_majflt += rec[i].ac_majflt;
		sum.nvcsw += rec[i].nvcsw;
		sum.nivcsw += rec[i].nivcsw;
		sum.read_char += rec[i].read_char;
		sum.write_char += rec[i].write_char;
		sum.read_syscalls += rec[i].read_syscalls;
		sum.write_syscalls += rec[i].write_syscalls;
		sum.read_bytes += rec[i].read_bytes;
		sum.write_bytes += rec[i].write_bytes;
		sum.cancelled_write_bytes += rec[i].cancelled_write_bytes;
		sum.coremem += rec[i].coremem;
		if (rec[i].hiwater_rss > max_rss)
			max_rss = rec[i].hiwater_rss;
	}
	/* the leader's use before it joined is not the job's */
	sum.ac_utime -= base.ac_utime;
	sum.ac_stime -= base.ac_stime;
	sum.cpu_run_virtual_total -= base.cpu_run_virtual_total;
	sum.ac_minflt -= base.ac_minflt;
	sum.ac_majflt -= base.ac_majflt;
	sum.nvcsw -= base.nvcsw;
	sum.nivcsw -= base.nivcsw;
	sum.read_char -= base.read_char;
	sum.write_char -= base.write_char;
	sum.read_syscalls -= base.read_syscalls;
	sum.write_syscalls -= base.write_syscalls;
	sum.read_bytes -= base.read_bytes;
	sum.write_bytes -= base.write_bytes;

	/* the job has ended: JOB_GET answers with its record */
	ASSERT_EQ(0, xosjob_get(ctx, id, &job)) TH_LOG("%s", xosjob_strerror(ctx));
	ASSERT_TRUE(job.ended);
	EXPECT_NE(0, job.seq);
	EXPECT_EQ(6, job.tasks_started);
	EXPECT_EQ(6, job.tasks_exited);
	EXPECT_EQ(4, job.procs_started);
	EXPECT_EQ(4, job.procs_exited);
	EXPECT_EQ(0, job.nr_tasks);
	EXPECT_LE(job.created_boottime_ns, job.ended_boottime_ns);
	EXPECT_EQ(job.ended_boottime_ns - job.created_boottime_ns, job.elapsed_ns);

	EXPECT_EQ(U64(sum.ac_minflt), job.stats.minflt);
	EXPECT_EQ(U64(sum.ac_majflt), job.stats.majflt);
	/* taskstats rounds these four down to KiB per task (KB_MASK) */
	EXPECT_LE(U64(sum.read_char), job.stats.rchar);
	EXPECT_GT(U64(sum.read_char) + 7 * 1024, job.stats.rchar);
	EXPECT_LE(U64(sum.write_char), job.stats.wchar);
	EXPECT_GT(U64(sum.write_char) + 7 * 1024, job.stats.wchar);
	EXPECT_LE(U64(sum.read_syscalls), job.stats.syscr);
	EXPECT_GT(U64(sum.read_syscalls) + 7 * 1024, job.stats.syscr);
	EXPECT_LE(U64(sum.write_syscalls), job.stats.syscw);
	EXPECT_GT(U64(sum.write_syscalls) + 7 * 1024, job.stats.syscw);
	EXPECT_EQ(U64(sum.read_bytes), job.stats.read_bytes);
	EXPECT_EQ(U64(sum.write_bytes), job.stats.write_bytes);
	EXPECT_EQ(U64(sum.cancelled_write_bytes), job.stats.cancelled_write_bytes);
	EXPECT_EQ(max_rss, job.stats.hiwater_rss_kb);
	EXPECT_LE(24 << 10, job.stats.hiwater_rss_kb);
	EXPECT_LE(U64(sum.coremem), job.stats.coremem_mb_us);
	EXPECT_NE(0, job.stats.hiwater_vm_kb);
	/* context switches: exit_mm() may sleep or be preempted */
	EXPECT_LE(U64(sum.nvcsw), job.stats.nvcsw);
	EXPECT_LE(job.stats.nvcsw, U64(sum.nvcsw) + 2 * 6);
	EXPECT_LE(U64(sum.nivcsw), job.stats.nivcsw);
	EXPECT_LE(job.stats.nivcsw, U64(sum.nivcsw) + 2 * 6);
	/*
	 * Run time: cpu_run_virtual_total is se.sum_exec_runtime; ours is
	 * read a little later in do_exit(). utime and stime are adjusted
	 * (task_cputime_adjusted(), as getrusage()): they add up to the run
	 * time, while taskstats sends the raw tick samples.
	 */
	/* exit_mm() of a 24 MiB process, zeroing on free, under TCG */
	slack_ns = 6 * 4000000 + 100000000;
	EXPECT_LE(U64(sum.cpu_run_virtual_total), job.stats.runtime_ns);
	EXPECT_LE(job.stats.runtime_ns, U64(sum.cpu_run_virtual_total) + slack_ns);
	EXPECT_LE(job.stats.utime_ns + job.stats.stime_ns, job.stats.runtime_ns);
	EXPECT_LE(job.stats.runtime_ns, job.stats.utime_ns + job.stats.stime_ns +
		  slack_ns);
	/* the work itself: 80 + 2 x 30 ms of CPU, 1 MiB written */
	EXPECT_LE(140000000ULL, job.stats.runtime_ns);
	EXPECT_LE(1 << 20, job.stats.wchar);
	TH_LOG("job %llu: runtime %llu ns (oracle %llu), minflt %llu, rss %llu KiB",
	       U64(id), U64(job.stats.runtime_ns), U64(sum.cpu_run_virtual_total),
	       U64(job.stats.minflt), U64(job.stats.hiwater_rss_kb));
	nlr_close(&ts_get_s.n);
	nlr_close(&ts_listen_s.n);
	xosjob_close(ctx);
}

static void stop_after_work(void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		tids_add(arg);
		burn_ms(40);
		touch_mb(8);
		io_kb(256);
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] ? p[2] : 0;
}

struct find_task {
	pid_t pid;
	struct xosjob_task task;
	bool found;
};

static int find_task_cb(const struct xosjob_task *t, void *arg)
{
	struct find_task *f = arg;

	if ((pid_t)t->pid == f->pid) {
		f->task = *t;
		f->found = true;
	}
	return 0;
}

/*
 * A stopped member does not change: its JOB_TASKS figures equal the
 * kernel's TASKSTATS_CMD_GET answer for it, field by field.
 */
TEST(live_member_matches_taskstats_get)
{
	struct tids *tids = tids_new();
	struct find_task f = { 0 };
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	struct taskstats st;
	struct ts ts;
	int gate = -1, i;
	pid_t leader;
	uint64_t id;

	ASSERT_NE(NULL, tids);
	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, ts_open(&ts));
	leader = spawn_gated(&gate, stop_after_work, tids);
	ASSERT_LT(0, leader);
	ASSERT_EQ(0, xosjob_new(ctx, "acct-live", leader, &id));
	open_gate(gate);
	for (i = 0; i < 1000 && (!tids->n || proc_state(tids->tid[0]) != 'T'); i++)
		usleep(10000);
	ASSERT_EQ('T', proc_state(tids->tid[0]));
	f.pid = tids->tid[0];

	ASSERT_EQ(0, ts_get(&ts, f.pid, &st));
	ASSERT_EQ(0, xosjob_tasks(ctx, id, find_task_cb, &f, NULL));
	ASSERT_TRUE(f.found);
	EXPECT_EQ(U64(st.cpu_run_virtual_total), f.task.stats.runtime_ns);
	/* adjusted times: the run time split in the ratio of the samples */
	EXPECT_EQ(f.task.stats.runtime_ns,
		  f.task.stats.utime_ns + f.task.stats.stime_ns);
	if (st.ac_utime + st.ac_stime) {
		double want = (double)st.ac_utime / (st.ac_utime + st.ac_stime);
		double got = (double)f.task.stats.utime_ns / f.task.stats.runtime_ns;

		EXPECT_GT(0.01, want > got ? want - got : got - want)
			TH_LOG("utime share %f, taskstats samples %f", got, want);
	}
	EXPECT_EQ(U64(st.ac_minflt), f.task.stats.minflt);
	EXPECT_EQ(U64(st.ac_majflt), f.task.stats.majflt);
	EXPECT_EQ(U64(st.nvcsw), f.task.stats.nvcsw);
	EXPECT_EQ(U64(st.nivcsw), f.task.stats.nivcsw);
	/* taskstats rounds these down to KiB (KB_MASK) */
	EXPECT_EQ(U64(st.read_char), f.task.stats.rchar & ~1023ULL);
	EXPECT_EQ(U64(st.write_char), f.task.stats.wchar & ~1023ULL);
	EXPECT_EQ(U64(st.read_syscalls), f.task.stats.syscr & ~1023ULL);
	EXPECT_EQ(U64(st.write_syscalls), f.task.stats.syscw & ~1023ULL);
	EXPECT_EQ(U64(st.read_bytes), f.task.stats.read_bytes);
	EXPECT_EQ(U64(st.write_bytes), f.task.stats.write_bytes);
	EXPECT_LE(256 << 10, f.task.stats.wchar);
	EXPECT_LE(64, f.task.stats.syscw);
	EXPECT_EQ(U64(st.hiwater_rss), f.task.stats.hiwater_rss_kb);
	EXPECT_EQ(U64(st.hiwater_vm), f.task.stats.hiwater_vm_kb);
	EXPECT_EQ(U64(st.cpu_count), f.task.stats.delay_count[XOSJOB_DELAY_CPU]);
	EXPECT_EQ(U64(st.cpu_delay_total), f.task.stats.delay_ns[XOSJOB_DELAY_CPU]);
	EXPECT_LE(8 << 10, f.task.stats.hiwater_rss_kb);

	/* the job: one stopped member, the leader asleep in waitpid() */
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	ASSERT_TRUE(job.has_states);
	EXPECT_FALSE(job.ended);
	EXPECT_EQ(1, job.states.stopped);
	EXPECT_EQ(1, job.states.sleeping);
	EXPECT_EQ(0, job.states.running);
	EXPECT_EQ(2, job.nr_procs);
	EXPECT_LE(f.task.stats.runtime_ns, job.stats.runtime_ns);
	EXPECT_LE(f.task.stats.minflt, job.stats.minflt);

	kill(f.pid, SIGCONT);
	EXPECT_EQ(0, reap(leader));
	nlr_close(&ts.n);
	xosjob_close(ctx);
}

static void busy_forever(void *arg)
{
	(void)arg;
	for (;;)
		;
}

/* Running, sleeping and stopped members are counted as such. */
TEST(task_states_counted)
{
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	pid_t busy, sleeper;
	int gate = -1, i;
	uint64_t id;

	ASSERT_EQ(0, xosjob_open(&ctx));
	busy = spawn_gated(&gate, busy_forever, NULL);
	ASSERT_LT(0, busy);
	ASSERT_EQ(0, xosjob_new(ctx, "states", busy, &id));
	open_gate(gate);
	sleeper = fork();
	if (sleeper == 0) {
		pause();
		_exit(0);
	}
	ASSERT_EQ(0, xosjob_attach(ctx, id, sleeper, &(uint32_t){ 0 }));
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, xosjob_get(ctx, id, &job));
		if (job.states.running == 1 && job.states.sleeping == 1)
			break;
		usleep(10000);
	}
	EXPECT_EQ(1, job.states.running);
	EXPECT_EQ(1, job.states.sleeping);
	EXPECT_EQ(0, job.states.stopped);
	kill(busy, SIGSTOP);
	for (i = 0; i < 200 && proc_state(busy) != 'T'; i++)
		usleep(10000);
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	EXPECT_EQ(0, job.states.running);
	EXPECT_EQ(1, job.states.stopped);
	EXPECT_EQ(1, job.states.sleeping);
	ASSERT_EQ(0, xosjob_kill(ctx, id, SIGKILL, &(uint32_t){ 0 },
				 &(uint32_t){ 0 }));
	reap(busy);
	reap(sleeper);
	xosjob_close(ctx);
}

static void short_job(void *arg)
{
	(void)arg;
	io_kb(8);
}

/* Runs @n short jobs one after the other; their ids go to @ids. */
static int run_short_jobs(struct xosjob_ctx *ctx, int n, uint64_t *ids)
{
	int i, gate;

	for (i = 0; i < n; i++) {
		pid_t pid = spawn_gated(&gate, short_job, NULL);

		if (pid < 0 || xosjob_new(ctx, "short", pid, &ids[i]))
			return -1;
		open_gate(gate);
		if (reap(pid))
			return -1;
	}
	return 0;
}

struct ended_set {
	int n;
	struct xosjob_job jobs[512];
};

static int collect_ended(const struct xosjob_job *j, void *arg)
{
	struct ended_set *s = arg;

	if (s->n < 512)
		s->jobs[s->n++] = *j;
	return 0;
}

/*
 * Every job gets a CREATED then exactly one ENDED notification; record
 * sequence numbers rise by one; the ring gives the same records back.
 */
TEST(records_notified_once_in_order_and_read_back)
{
	struct xosjob_ctx *ctx, *ev;
	struct ended_set *back = calloc(1, sizeof(*back));
	uint64_t ids[20], first_seq = 0, last_seq = 0;
	int created[20] = { 0 }, ended[20] = { 0 };
	struct xosjob_job job;
	int i, k, cmd;

	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, xosjob_open(&ev));
	ASSERT_EQ(0, xosjob_subscribe(ev, 1 << 20)) TH_LOG("%s", xosjob_strerror(ev));
	ASSERT_EQ(0, run_short_jobs(ctx, 20, ids));
	for (k = 0; k < 40; k++) {
		ASSERT_EQ(0, xosjob_event_next(ev, &cmd, &job))
			TH_LOG("%s", xosjob_strerror(ev));
		for (i = 0; i < 20 && ids[i] != job.id; i++)
			;
		ASSERT_LT(i, 20) TH_LOG("event for unknown job %llu", U64(job.id));
		if (cmd == XOS_JOB_CMD_CREATED_NTF) {
			EXPECT_EQ(0, ended[i]);
			created[i]++;
			continue;
		}
		ASSERT_EQ(XOS_JOB_CMD_ENDED_NTF, cmd);
		EXPECT_EQ(1, created[i]);
		EXPECT_TRUE(job.ended);
		EXPECT_EQ(1, job.procs_started);
		EXPECT_LE(8192, job.stats.wchar);
		if (last_seq) {
			EXPECT_EQ(last_seq + 1, job.seq);
		} else {
			first_seq = job.seq;
		}
		last_seq = job.seq;
		ended[i]++;
	}
	for (i = 0; i < 20; i++) {
		EXPECT_EQ(1, created[i]);
		EXPECT_EQ(1, ended[i]);
	}
	ASSERT_EQ(0, xosjob_list_ended(ctx, first_seq, collect_ended, back, NULL));
	ASSERT_LE(20, back->n);
	for (i = 0; i < 20; i++) {
		EXPECT_EQ(first_seq + i, back->jobs[i].seq);
		EXPECT_EQ(ids[i], back->jobs[i].id);
		EXPECT_EQ(1, back->jobs[i].tasks_exited);
	}
	xosjob_close(ev);
	xosjob_close(ctx);
	free(back);
}

/*
 * A listener whose socket overflowed gets ENOBUFS, then recovers every
 * record it missed from the ring, without gaps or duplicates.
 */
TEST(overflowed_listener_recovers_from_ring)
{
	struct ended_set *back = calloc(1, sizeof(*back));
	struct xosjob_ctx *ctx, *ev;
	struct xosjob_info info;
	uint64_t ids[300], start;
	struct xosjob_job job;
	int i, err, cmd, nobufs = 0;

	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, xosjob_open(&ev));
	/* the smallest buffer the kernel allows: it overflows at once */
	ASSERT_EQ(0, xosjob_subscribe(ev, 1));
	ASSERT_EQ(0, xosjob_info(ctx, &info));
	start = info.last_seq + 1;
	ASSERT_EQ(0, run_short_jobs(ctx, 300, ids));
	fcntl(xosjob_fd(ev), F_SETFL, O_NONBLOCK);
	while ((err = xosjob_event_next(ev, &cmd, &job)) != -EAGAIN) {
		if (err == -ENOBUFS)
			nobufs++;
	}
	EXPECT_LT(0, nobufs);
	ASSERT_EQ(0, xosjob_list_ended(ctx, start, collect_ended, back, NULL));
	ASSERT_EQ(300, back->n);
	for (i = 0; i < 300; i++) {
		EXPECT_EQ(start + i, back->jobs[i].seq);
		EXPECT_EQ(ids[i], back->jobs[i].id);
	}
	xosjob_close(ev);
	xosjob_close(ctx);
	free(back);
}

/* Accounting is per-user data: records and events stay with their owner. */
TEST(unprivileged_sees_only_own_records)
{
	struct ended_set *back = calloc(1, sizeof(*back));
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	uint64_t root_job;
	int status, i;
	pid_t pid;

	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, run_short_jobs(ctx, 1, &root_job));
	xosjob_close(ctx);
	pid = fork();
	if (pid == 0) {
		struct xosjob_ctx *c;
		uint64_t own;

		if (setgid(NOBODY) || setuid(NOBODY) || xosjob_open(&c))
			_exit(10);
		if (xosjob_subscribe(c, 0) != -EPERM)
			_exit(11);
		xosjob_close(c);
		if (xosjob_open(&c))
			_exit(12);
		if (xosjob_get(c, root_job, &job) != -ENOENT)
			_exit(13);
		if (run_short_jobs(c, 1, &own) == 0)
			_exit(14);	/* NEW with a pid is admin only */
		if (xosjob_list_ended(c, 0, collect_ended, back, NULL))
			_exit(15);
		for (i = 0; i < back->n; i++)
			if (back->jobs[i].owner_uid != NOBODY)
				_exit(16);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("step %d failed", WEXITSTATUS(status));
	free(back);
}

static int write_sysctl(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, v, strlen(v)) == (ssize_t)strlen(v);
	close(fd);
	return ok ? 0 : -EIO;
}

/* Delay figures that the kernel does not count are absent, not zero. */
TEST(delays_absent_when_delay_accounting_off)
{
	const char *knob = "/proc/sys/kernel/task_delayacct";
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	uint64_t id;
	int gate = -1;
	pid_t pid;

	ASSERT_EQ(0, xosjob_open(&ctx));
	ASSERT_EQ(0, write_sysctl(knob, "0"));
	sleep(1);	/* the module rereads the knob once a second */
	pid = spawn_gated(&gate, short_job, NULL);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, xosjob_new(ctx, "nodelay", pid, &id));
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	EXPECT_FALSE(job.stats.delayacct);
	EXPECT_TRUE(job.stats.has_delay[XOSJOB_DELAY_CPU]);
	EXPECT_FALSE(job.stats.has_delay[XOSJOB_DELAY_BLKIO]);
	EXPECT_FALSE(job.stats.has_delay[XOSJOB_DELAY_SWAPIN]);
	open_gate(gate);
	reap(pid);

	ASSERT_EQ(0, write_sysctl(knob, "1"));
	sleep(1);
	/* created while it was off: its delays stay unreported */
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	EXPECT_FALSE(job.stats.has_delay[XOSJOB_DELAY_BLKIO]);
	pid = spawn_gated(&gate, short_job, NULL);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, xosjob_new(ctx, "delay", pid, &id));
	open_gate(gate);
	reap(pid);
	ASSERT_EQ(0, xosjob_get(ctx, id, &job));
	EXPECT_TRUE(job.stats.delayacct);
	EXPECT_TRUE(job.stats.has_delay[XOSJOB_DELAY_BLKIO]);
	EXPECT_TRUE(job.stats.has_delay[XOSJOB_DELAY_THRASHING]);
	write_sysctl(knob, "0");
	xosjob_close(ctx);
}

TEST_HARNESS_MAIN
