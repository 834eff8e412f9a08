// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: for XOS_STRESS_SECONDS (default 60), all at once
 *   - drivers create jobs (JOB_NEW for a child) whose first process runs a
 *     fork storm (children, some grandchildren) and a few threads;
 *   - an enterer forks processes that JOB_ENTER a live job (mostly with
 *     XOS_JOB_A_NO_CGROUP, every fourth one moved into its cgroups as
 *     admin), an attacher JOB_ATTACHes fresh processes, a killer SIGKILLs
 *     jobs;
 *   - a dumper runs LIST, TASKS, the ended-ring LIST and GET while jobs
 *     end, checking every live snapshot (tasks started = exited + live, at
 *     least one live member);
 *   - a listener reads end-of-job records from the events group and reads
 *     back any gap (ENOBUFS, sequence gap) from the ring;
 *   - a mover JOB_ATTACHes a process whose threads keep creating threads
 *     back and forth between two jobs of its own, and checks after every
 *     move that all of its threads are in one job: a process is never
 *     split between jobs, whether the move succeeded or not.
 * Every operation that took effect is counted in shared memory by whoever
 * did it. Afterwards: no job is left (live jobs and tracked tasks back to
 * the start), every job created has exactly one record, each job that was
 * not killed has exactly the processes and tasks started that were made
 * in it (1 + forks + enters + attaches; + threads), every figure of the
 * record is at least what any snapshot of the job showed (sums only grow),
 * and is not zero for run time and faults. (utime + stime <= run time holds
 * per task, but not for members that joined with a base: not checked.)
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"
#include "xosjob.h"

#define MAX_SLOTS 32768
#define NR_DRIVERS 3

struct slot {
	_Atomic uint64_t id;
	/* made in the job, counted by whoever made it, after it succeeded */
	_Atomic int forks, threads, enters, attaches;
	_Atomic int killed;	/* set before the kill is sent */
	_Atomic int records;	/* end-of-job records seen for the id */
	_Atomic int bad_snapshot;
	/* the highest figures of any live snapshot (dumper only) */
	uint64_t snap_tasks_started, snap_runtime, snap_utime, snap_stime;
	uint64_t snap_minflt, snap_nvcsw, snap_nivcsw, snap_syscr;
	/* the record (listener only) */
	uint64_t procs_started, tasks_started, tasks_exited;
	uint64_t runtime, utime, stime, minflt, nvcsw, nivcsw, syscr;
	uint32_t flags;
};

struct stress {
	_Atomic int stop;
	_Atomic int listener_ready;
	uint64_t base_id;		/* slot = id - base_id */
	_Atomic int nslots;
	_Atomic int active[NR_DRIVERS];	/* slot + 1 of each driver's job, 0 */
	_Atomic uint64_t target_seq;	/* listener: read up to this, then exit */
	/* operation counts */
	_Atomic uint64_t jobs, forks, threads, enters, enter_cg, enter_refused;
	_Atomic uint64_t attaches, attach_refused, kills, lists, tasks_dumps;
	_Atomic uint64_t ended_dumps, gets, snapshots, events_created;
	_Atomic uint64_t events_ended, enobufs, read_back, other_errors;
	_Atomic uint64_t bad_snapshots, dupes;
	_Atomic uint64_t moves, move_refused, splits;
	char err[4][256];
	struct slot slots[MAX_SLOTS];
};

static struct stress *st;

static void note_err(const char *what, struct xosjob_ctx *c, int err)
{
	uint64_t n = atomic_fetch_add(&st->other_errors, 1);

	if (n < 4)
		snprintf(st->err[n], sizeof(st->err[n]), "%s: %d %s", what, err,
			 c ? xosjob_strerror(c) : "");
}

static struct xosjob_ctx *ctx_open(void)
{
	struct xosjob_ctx *c;

	if (xosjob_open(&c))
		_exit(2);
	return c;
}

static struct slot *slot_of(uint64_t id)
{
	if (id < st->base_id || id - st->base_id >= MAX_SLOTS)
		return NULL;
	return &st->slots[id - st->base_id];
}

/* A random live job of a driver: its slot, or NULL. */
static struct slot *pick_active(unsigned int r)
{
	int s = atomic_load(&st->active[r % NR_DRIVERS]);

	return s ? &st->slots[s - 1] : NULL;
}

static void *thread_fn(void *arg)
{
	return arg;
}

/* The job's first process: a fork storm, some grandchildren, threads. */
static void storm(struct slot *s, unsigned int r)
{
	int forks = 5 + r % 40, i;
	pthread_t th;

	/* all at once, then reaped: some fork once more */
	for (i = 0; i < forks; i++) {
		pid_t p = fork();

		if (p == 0) {
			if (!(i % 4)) {
				pid_t g = fork();

				if (g > 0) {
					atomic_fetch_add(&s->forks, 1);
					waitpid(g, NULL, 0);
				}
			}
			_exit(0);
		}
		if (p > 0)
			atomic_fetch_add(&s->forks, 1);
	}
	while (wait(NULL) > 0)
		;
	for (i = 0; i < (int)(r % 3); i++) {
		if (pthread_create(&th, NULL, thread_fn, NULL) == 0) {
			atomic_fetch_add(&s->threads, 1);
			pthread_join(th, NULL);
		}
	}
	/* stay a little, for enters and attaches */
	usleep(r % 20000);
}

/*
 * Drivers create the job for a child that runs the storm. spawn_gated()
 * runs a function; the slot is found through the job id, so the child
 * looks itself up after the gate opens.
 */
static void storm_child(void *arg)
{
	struct xosjob_ctx *c;
	struct xosjob_job j;
	struct slot *s;

	if (xosjob_open(&c) || xosjob_get_by_pid(c, getpid(), &j))
		_exit(1);
	xosjob_close(c);
	s = slot_of(j.id);
	if (s)
		storm(s, (unsigned int)(uintptr_t)arg);
}

static void driver2(int d)
{
	struct xosjob_ctx *c = ctx_open();
	unsigned int r = getpid() * 7919;

	while (!atomic_load(&st->stop)) {
		uint64_t id;
		int gate, idx, err;
		pid_t child;
		struct slot *s;

		r = r * 1103515245 + 12345;
		child = spawn_gated(&gate, storm_child, (void *)(uintptr_t)(r >> 8));
		if (child < 0)
			continue;
		err = xosjob_new(c, "stress", child, &id);
		if (err) {
			note_err("new", c, err);
			close(gate);
			reap(child);
			continue;
		}
		s = slot_of(id);
		if (!s) {
			note_err("job id out of range", NULL, 0);
			close(gate);
			reap(child);
			break;
		}
		idx = s - st->slots;
		atomic_store(&s->id, id);
		atomic_fetch_add(&st->jobs, 1);
		while (1) {
			int n = atomic_load(&st->nslots);

			if (idx + 1 <= n ||
			    atomic_compare_exchange_weak(&st->nslots, &n, idx + 1))
				break;
		}
		atomic_store(&st->active[d], idx + 1);
		/* EPIPE: the killer got the job before its first process ran */
		if (write(gate, "g", 1) != 1 && errno != EPIPE)
			note_err("gate", NULL, -errno);
		close(gate);
		reap(child);
		atomic_store(&st->active[d], 0);
	}
	_exit(0);
}

static void enterer(void)
{
	unsigned int r = getpid(), n = 0;

	while (!atomic_load(&st->stop)) {
		struct slot *s;
		pid_t p;
		uint64_t id;

		r = r * 1103515245 + 12345;
		s = pick_active(r >> 8);
		if (!s) {
			usleep(1000);
			continue;
		}
		id = atomic_load(&s->id);
		n++;
		p = fork();
		if (p == 0) {
			struct xosjob_ctx *c = ctx_open();
			struct xosjob_anchor a;
			bool no_cgroup = n % 4;
			int err = xosjob_enter(c, id, no_cgroup, &a);

			if (!err) {
				atomic_fetch_add(&s->enters, 1);
				atomic_fetch_add(&st->enters, 1);
				if (!no_cgroup)
					atomic_fetch_add(&st->enter_cg, 1);
			} else if (err == -ESRCH || err == -ENOENT) {
				atomic_fetch_add(&st->enter_refused, 1);
			} else {
				note_err("enter", c, err);
			}
			_exit(0);
		}
		if (p > 0)
			waitpid(p, NULL, 0);
	}
	_exit(0);
}

static void attacher(void)
{
	struct xosjob_ctx *c = ctx_open();
	unsigned int r = getpid() * 31;

	while (!atomic_load(&st->stop)) {
		struct slot *s;
		uint32_t n;
		pid_t p;
		int gate, err;

		r = r * 1103515245 + 12345;
		s = pick_active(r >> 8);
		if (!s) {
			usleep(1000);
			continue;
		}
		p = spawn_gated(&gate, NULL, NULL);
		if (p < 0)
			continue;
		err = xosjob_attach(c, atomic_load(&s->id), p, &n);
		if (!err) {
			atomic_fetch_add(&s->attaches, 1);
			atomic_fetch_add(&st->attaches, 1);
		} else if (err == -ESRCH || err == -ENOENT) {
			atomic_fetch_add(&st->attach_refused, 1);
		} else {
			note_err("attach", c, err);
		}
		open_gate(gate);
		reap(p);
	}
	_exit(0);
}

static _Atomic int mover_stop;

static void *mover_noop(void *arg)
{
	return arg;
}

static void *mover_storm(void *arg)
{
	while (!atomic_load(&mover_stop)) {
		pthread_t th;

		if (!pthread_create(&th, NULL, mover_noop, NULL))
			pthread_join(th, NULL);
	}
	return arg;
}

static void mover_child(void *arg)
{
	pthread_t th;
	int i;

	for (i = 0; i < 4; i++)
		pthread_create(&th, NULL, mover_storm, NULL);
	for (;;)
		pause();
}

static void mover(void)
{
	struct xosjob_ctx *c = ctx_open();

	while (!atomic_load(&st->stop)) {
		int gm = -1, ga = -1, gb = -1, i;
		uint64_t a, b, where;
		pid_t m, pa, pb;
		uint32_t n;

		/* each job keeps a member of its own while the process moves */
		m = spawn_gated(&gm, mover_child, NULL);
		pa = spawn_gated(&ga, NULL, NULL);
		pb = spawn_gated(&gb, NULL, NULL);
		if (m < 0 || pa < 0 || pb < 0 ||
		    xosjob_new(c, "mover-a", pa, &a) ||
		    xosjob_new(c, "mover-b", pb, &b) ||
		    xosjob_attach(c, a, m, &n)) {
			note_err("mover", c, -EIO);
			break;
		}
		open_gate(gm);
		for (i = 0; i < 40 && !atomic_load(&st->stop); i++) {
			int err = xosjob_attach(c, i % 2 ? a : b, m, &n);

			if (!err)
				atomic_fetch_add(&st->moves, 1);
			else if (err == -EAGAIN)
				atomic_fetch_add(&st->move_refused, 1);
			else
				note_err("move", c, err);
			if (jobs_of_threads(c, m, &where) > 1)
				atomic_fetch_add(&st->splits, 1);
		}
		kill(m, SIGKILL);
		reap(m);
		close(ga);
		close(gb);
		reap(pa);
		reap(pb);
	}
	_exit(0);
}

static void killer(void)
{
	struct xosjob_ctx *c = ctx_open();
	unsigned int r = getpid() * 17;

	while (!atomic_load(&st->stop)) {
		struct slot *s;
		uint32_t sent, denied;
		int err;

		/* some jobs: the others are counted exactly */
		usleep(XOS_SCALED(1000000));
		r = r * 1103515245 + 12345;
		s = pick_active(r >> 8);
		if (!s)
			continue;
		atomic_store(&s->killed, 1);
		err = xosjob_kill(c, atomic_load(&s->id), SIGKILL, &sent, &denied);
		if (!err)
			atomic_fetch_add(&st->kills, 1);
		else if (err != -ENOENT && err != -ESRCH)
			note_err("kill", c, err);
	}
	_exit(0);
}

static void max_u64(uint64_t *m, uint64_t v)
{
	if (v > *m)
		*m = v;
}

/* A live job as LIST or GET shows it. */
static void check_snapshot(const struct xosjob_job *j)
{
	struct slot *s = slot_of(j->id);

	atomic_fetch_add(&st->snapshots, 1);
	if (j->ended)
		return;
	if (j->tasks_started != j->tasks_exited + j->nr_tasks ||
	    j->procs_started != j->procs_exited + j->nr_procs ||
	    j->nr_procs > j->procs_started ||
	    !j->nr_tasks || !j->nr_procs) {
		uint64_t n = atomic_fetch_add(&st->bad_snapshots, 1);

		if (n < 2)
			snprintf(st->err[2 + n], sizeof(st->err[0]),
				 "job %llu: tasks %llu started, %llu exited, %llu live; procs %llu started, %llu live",
				 (unsigned long long)j->id,
				 (unsigned long long)j->tasks_started,
				 (unsigned long long)j->tasks_exited,
				 (unsigned long long)j->nr_tasks,
				 (unsigned long long)j->procs_started,
				 (unsigned long long)j->nr_procs);
	}
	if (!s)
		return;
	max_u64(&s->snap_tasks_started, j->tasks_started);
	max_u64(&s->snap_runtime, j->stats.runtime_ns);
	max_u64(&s->snap_utime, j->stats.utime_ns);
	max_u64(&s->snap_stime, j->stats.stime_ns);
	max_u64(&s->snap_minflt, j->stats.minflt);
	max_u64(&s->snap_nvcsw, j->stats.nvcsw);
	max_u64(&s->snap_nivcsw, j->stats.nivcsw);
	max_u64(&s->snap_syscr, j->stats.syscr);
}

static int list_cb(const struct xosjob_job *j, void *arg)
{
	check_snapshot(j);
	return 0;
}

static int task_cb(const struct xosjob_task *t, void *arg)
{
	return 0;
}

static int ended_cb(const struct xosjob_job *j, void *arg)
{
	return j->ended ? 0 : -EBADMSG;
}

static void dumper(void)
{
	struct xosjob_ctx *c = ctx_open();
	unsigned int r = getpid() * 13;
	struct xosjob_info info;

	while (!atomic_load(&st->stop)) {
		struct slot *s;
		struct xosjob_job j;
		int err;

		r = r * 1103515245 + 12345;
		switch ((r >> 8) % 4) {
		case 0:
			err = xosjob_list(c, list_cb, NULL, NULL);
			if (err)
				note_err("list", c, err);
			else
				atomic_fetch_add(&st->lists, 1);
			break;
		case 1:
			s = pick_active(r >> 12);
			if (!s)
				break;
			err = xosjob_tasks(c, atomic_load(&s->id), task_cb, NULL, NULL);
			if (!err)
				atomic_fetch_add(&st->tasks_dumps, 1);
			else if (err != -ENOENT)
				note_err("tasks", c, err);
			break;
		case 2:
			if (xosjob_info(c, &info))
				break;
			err = xosjob_list_ended(c, info.last_seq > 50 ?
						info.last_seq - 50 : 0,
						ended_cb, NULL, NULL);
			if (err)
				note_err("list ended", c, err);
			else
				atomic_fetch_add(&st->ended_dumps, 1);
			break;
		default:
			s = pick_active(r >> 12);
			if (!s)
				break;
			err = xosjob_get(c, atomic_load(&s->id), &j);
			if (!err) {
				atomic_fetch_add(&st->gets, 1);
				check_snapshot(&j);
			} else {
				note_err("get", c, err);
			}
			break;
		}
	}
	_exit(0);
}

static uint64_t last_seq;

static void take_record(const struct xosjob_job *j)
{
	struct slot *s;

	if (j->seq <= last_seq)
		return;		/* already had it (read back before) */
	last_seq = j->seq;
	s = slot_of(j->id);
	if (!s)
		return;
	if (atomic_fetch_add(&s->records, 1))
		atomic_fetch_add(&st->dupes, 1);
	s->procs_started = j->procs_started;
	s->tasks_started = j->tasks_started;
	s->tasks_exited = j->tasks_exited;
	s->runtime = j->stats.runtime_ns;
	s->utime = j->stats.utime_ns;
	s->stime = j->stats.stime_ns;
	s->minflt = j->stats.minflt;
	s->nvcsw = j->stats.nvcsw;
	s->nivcsw = j->stats.nivcsw;
	s->syscr = j->stats.syscr;
	s->flags = j->flags;
}

static int read_back_cb(const struct xosjob_job *j, void *arg)
{
	atomic_fetch_add(&st->read_back, 1);
	take_record(j);
	return 0;
}

static void read_back(struct xosjob_ctx *c)
{
	int err = xosjob_list_ended(c, last_seq + 1, read_back_cb, NULL, NULL);

	if (err)
		note_err("read back", c, err);
}

static void listener(void)
{
	struct xosjob_ctx *ev = ctx_open(), *c = ctx_open();
	struct timeval tv = { .tv_usec = 200000 };
	struct xosjob_info info;

	if (xosjob_subscribe(ev, 8 << 20))
		_exit(2);
	setsockopt(xosjob_fd(ev), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (xosjob_info(c, &info))
		_exit(2);
	last_seq = info.last_seq;
	atomic_store(&st->listener_ready, 1);
	for (;;) {
		struct xosjob_job j;
		int cmd, err = xosjob_event_next(ev, &cmd, &j);
		uint64_t target = atomic_load(&st->target_seq);

		if (err == -ENOBUFS) {
			atomic_fetch_add(&st->enobufs, 1);
			read_back(c);
		} else if (!err && cmd == XOS_JOB_CMD_CREATED_NTF) {
			atomic_fetch_add(&st->events_created, 1);
		} else if (!err && cmd == XOS_JOB_CMD_ENDED_NTF) {
			atomic_fetch_add(&st->events_ended, 1);
			if (j.seq > last_seq + 1)
				read_back(c);	/* a gap: missed records */
			take_record(&j);
		} else if (err && err != -EAGAIN) {
			note_err("event", ev, err);
		}
		if (target && last_seq < target && err == -EAGAIN)
			read_back(c);	/* quiet, but not everything seen */
		if (target && last_seq >= target)
			break;
	}
	_exit(0);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

FIXTURE(stress) {
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, everything_at_once, XOS_TIMEOUT(900))
{
	const char *env = getenv("XOS_STRESS_SECONDS");
	int secs = env ? atoi(env) : 60, i, bad_counts = 0, bad_figs = 0;
	int no_record = 0, killed = 0, exact = 0, bad_cpu = 0;
	pid_t pids[NR_DRIVERS + 6], listen_pid, base;
	int gate = -1;
	struct xosjob_ctx *c;
	struct xosjob_info before, after;
	uint64_t probe;
	double t0, t1;
	struct utsname u;

	if (geteuid())
		SKIP(return, "needs root");
	uname(&u);
	/* a gate's child may have been killed with its job */
	signal(SIGPIPE, SIG_IGN);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st);
	ASSERT_EQ(0, xosjob_open(&c));
	ASSERT_EQ(0, xosjob_info(c, &before));
	/* ids are never reused: the next jobs are all ours */
	base = spawn_gated(&gate, NULL, NULL);
	ASSERT_EQ(0, xosjob_new(c, "stress-base", base, &probe));
	close(gate);
	reap(base);
	st->base_id = probe + 1;
	listen_pid = fork();
	if (listen_pid == 0)
		listener();
	while (!atomic_load(&st->listener_ready))
		usleep(10000);
	t0 = now_s();
	for (i = 0; i < NR_DRIVERS + 5; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i])
			continue;
		if (i < NR_DRIVERS)
			driver2(i);
		switch (i - NR_DRIVERS) {
		case 0:
			enterer();
			break;
		case 1:
			attacher();
			break;
		case 2:
			killer();
			break;
		case 3:
			mover();
			break;
		default:
			dumper();
		}
	}
	sleep(secs);
	atomic_store(&st->stop, 1);
	for (i = 0; i < NR_DRIVERS + 5; i++)
		EXPECT_EQ(0, reap(pids[i]));
	t1 = now_s();
	for (i = 0; i < atomic_load(&st->nslots); i++) {
		st->forks += st->slots[i].forks;
		st->threads += st->slots[i].threads;
	}
	/* every job ends with its processes: back to where we started */
	for (i = 0; i < XOS_SCALED(200); i++) {
		ASSERT_EQ(0, xosjob_info(c, &after));
		if (after.nr_jobs == before.nr_jobs && after.nr_tasks == before.nr_tasks)
			break;
		usleep(50000);
	}
	EXPECT_EQ(before.nr_jobs, after.nr_jobs) TH_LOG("live jobs left behind");
	EXPECT_EQ(before.nr_tasks, after.nr_tasks) TH_LOG("tracked tasks left behind");
	atomic_store(&st->target_seq, after.last_seq);
	EXPECT_EQ(0, reap(listen_pid));

	TH_LOG("%d s on %s: %llu jobs, %llu forks, %llu threads, %llu enters (%llu into cgroups; %llu refused: job ended), %llu attaches (%llu refused), %llu kills",
	       (int)(t1 - t0), u.release,
	       (unsigned long long)st->jobs, (unsigned long long)st->forks,
	       (unsigned long long)st->threads, (unsigned long long)st->enters,
	       (unsigned long long)st->enter_cg, (unsigned long long)st->enter_refused,
	       (unsigned long long)st->attaches, (unsigned long long)st->attach_refused,
	       (unsigned long long)st->kills);
	TH_LOG("dumps: %llu LIST, %llu TASKS, %llu ended-ring LIST, %llu GET, %llu live snapshots checked; events: %llu created, %llu ended, %llu ENOBUFS, %llu records read back",
	       (unsigned long long)st->lists, (unsigned long long)st->tasks_dumps,
	       (unsigned long long)st->ended_dumps, (unsigned long long)st->gets,
	       (unsigned long long)st->snapshots,
	       (unsigned long long)st->events_created,
	       (unsigned long long)st->events_ended, (unsigned long long)st->enobufs,
	       (unsigned long long)st->read_back);
	for (i = 0; i < 4; i++)
		if (st->err[i][0])
			TH_LOG("%s", st->err[i]);
	EXPECT_EQ(0, st->other_errors);
	EXPECT_EQ(0, st->bad_snapshots);
	EXPECT_EQ(0, st->dupes);
	TH_LOG("mover: %llu moves of a thread-making process, %llu refused (EAGAIN), %llu times split",
	       (unsigned long long)st->moves,
	       (unsigned long long)st->move_refused,
	       (unsigned long long)st->splits);
	EXPECT_LT(0, st->moves);
	EXPECT_EQ(0, st->splits);
	EXPECT_LT(0, st->jobs);
	EXPECT_LT(0, st->enters);
	EXPECT_LT(0, st->attaches);
	EXPECT_LT(0, st->kills);

	for (i = 0; i < atomic_load(&st->nslots); i++) {
		struct slot *s = &st->slots[i];
		uint64_t procs = 1 + s->forks + s->enters + s->attaches;

		if (!s->id)
			continue;
		if (s->records != 1) {
			if (no_record++ < 5)
				TH_LOG("job %llu: %d records", (unsigned long long)s->id,
				       s->records);
			continue;
		}
		if (s->snap_tasks_started > s->tasks_started ||
		    s->snap_runtime > s->runtime || s->snap_utime > s->utime ||
		    s->snap_stime > s->stime || s->snap_minflt > s->minflt ||
		    s->snap_nvcsw > s->nvcsw || s->snap_nivcsw > s->nivcsw ||
		    s->snap_syscr > s->syscr) {
			if (bad_figs++ < 5)
				TH_LOG("job %llu: a live snapshot showed more than the record (runtime %llu > %llu?)",
				       (unsigned long long)s->id,
				       (unsigned long long)s->snap_runtime,
				       (unsigned long long)s->runtime);
		}
		/*
		 * A job killed before its gate opened ran nothing: its process
		 * woke from read() into do_exit(), and se.sum_exec_runtime
		 * (what taskstats reports too) is only brought up to date at a
		 * tick or a switch: its run time may be 0.
		 */
		if (s->killed || (s->flags & XOS_JOB_F_KILLED)) {
			killed++;
			continue;
		}
		/* the storm ran: it used CPU and touched memory */
		if ((!s->runtime || !s->minflt) && bad_cpu++ < 5)
			TH_LOG("job %llu: run time %llu ns, %llu minor faults",
			       (unsigned long long)s->id,
			       (unsigned long long)s->runtime,
			       (unsigned long long)s->minflt);
		exact++;
		if (s->procs_started != procs ||
		    s->tasks_started != procs + s->threads ||
		    s->tasks_exited != s->tasks_started) {
			if (bad_counts++ < 5)
				TH_LOG("job %llu: record says %llu processes, %llu tasks; made %llu processes (%d forks, %d enters, %d attaches), %d threads",
				       (unsigned long long)s->id,
				       (unsigned long long)s->procs_started,
				       (unsigned long long)s->tasks_started,
				       (unsigned long long)procs, s->forks, s->enters,
				       s->attaches, s->threads);
		}
	}
	TH_LOG("%d jobs checked exactly, %d killed ones for records and figures only",
	       exact, killed);
	EXPECT_EQ(0, no_record);
	EXPECT_EQ(0, bad_figs);
	EXPECT_EQ(0, bad_cpu);
	EXPECT_EQ(0, bad_counts);
	EXPECT_LT(0, exact);
	xosjob_close(c);
}

TEST_HARNESS_MAIN
