// SPDX-License-Identifier: GPL-2.0
/*
 * xosbench: the measuring side of "make bench" (issue 7). Each subcommand
 * measures one thing in the current boot and prints JSON lines on stdout,
 * one per sample; bench/report.py turns them into medians and ratios.
 *
 *   xosbench path   --op fork|exec|thread|getppid --n N [--in-job [--limited]]
 *   xosbench query  --sizes 1,10,... --reps R [--cgroup DIR]
 *   xosbench events --count C --rate R [--rcvbuf BYTES] [--listener-nice N]
 *                   [--stall]
 *   xosbench mem    --jobs J --tasks T [--no-job]
 *   xosbench bigjob --procs P --threads T [--reps R] [--leaders-exit]
 *                   [--forker]
 *   xosbench scrape --jobs J --procs P --threads T [--reps R]
 *                   [--xosjob PATH] [--parent CGROUP_DIR]
 *   xosbench cgread [--parent DIR]
 *
 * Times come from CLOCK_MONOTONIC. Under QEMU -icount shift=0 the guest
 * clock advances one nanosecond per emulated instruction, so there they
 * are instruction counts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <linux/xos_job.h>

#include "nl_raw.h"
#include "xosjob.h"

static const char *prog_dir;

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xosbench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Creates a job for the calling process (raw netlink: no libnl state). */
/*
 * JOB_NEW for the caller; @limited: with a CPU-time and a wall-clock limit
 * the module enforces (an hour and a day: they never fire in a run).
 */
static int job_new_limited(struct nlr *n, uint16_t family, uint64_t *id,
			   bool limited)
{
	struct nlmsghdr *h;
	char buf[4096] __attribute__((aligned(4)));
	ssize_t len;

	h = nlr_start(n, family, 0, XOS_JOB_CMD_NEW, XOS_JOB_GENL_VERSION);
	if (limited) {
		struct nlattr *nest = nlr_nest_start(h, XOS_JOB_A_LIMITS);

		nlr_put_u64(h, XOS_JOB_LIMIT_A_CPU_TIME_NS, 3600ULL * 1000000000);
		nlr_put_u64(h, XOS_JOB_LIMIT_A_TIME_NS, 86400ULL * 1000000000);
		nlr_nest_end(h, nest);
	}
	if (send(n->fd, h, h->nlmsg_len, 0) < 0)
		return -errno;
	len = recv(n->fd, buf, sizeof(buf), 0);
	if (len < (ssize_t)NLMSG_HDRLEN)
		return len < 0 ? -errno : -EIO;
	h = (struct nlmsghdr *)buf;
	if (h->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr *e = NLMSG_DATA(h);

		return e->error ? e->error : -EIO;
	}
	if (id) {
		const struct nlattr *a = nlr_attr(h, XOS_JOB_A_ID);

		*id = a ? nlr_get_u64(a) : 0;
	}
	return 0;
}

static int job_new_self(struct nlr *n, uint16_t family, uint64_t *id)
{
	return job_new_limited(n, family, id, false);
}

static uint16_t resolve(struct nlr *n, const char *name)
{
	uint16_t id;
	uint32_t v;
	int err;

	err = nlr_open(n);
	if (!err)
		err = nlr_resolve(n, name, &id, &v);
	if (err)
		die("cannot resolve genl family %s: %s", name, strerror(-err));
	return id;
}

/* --- path: fork+exit+wait, fork+exec+wait, thread create+join ------ */

static void *thread_nop(void *arg)
{
	return arg;
}

static int cmd_path(int argc, char **argv)
{
	const char *op = "fork";
	int n = 1000, in_job = 0, limited = 0, c, i, warm;
	char nop[4096];
	uint64_t *t, total = 0, sum_trim = 0;
	static const struct option opts[] = {
		{ "op", 1, NULL, 'o' }, { "n", 1, NULL, 'n' },
		{ "in-job", 0, NULL, 'j' }, { "joined", 0, NULL, 'J' },
		{ "limited", 0, NULL, 'L' }, { 0 } };

	while ((c = getopt_long(argc, argv, "o:n:jJL", opts, NULL)) != -1) {
		switch (c) {
		case 'o': op = optarg; break;
		case 'n': n = atoi(optarg); break;
		case 'j': in_job = 1; break;
		case 'L': limited = 1; break;
		case 'J': in_job = 2; break;	/* re-executed in a job */
		default: return 2;
		}
	}
	if (n < 10)
		die("path: --n must be at least 10");
	if (limited && in_job != 1)
		die("path: --limited needs --in-job");
	snprintf(nop, sizeof(nop), "%s/xosbench-nop", prog_dir);
	if (in_job == 1) {
		/*
		 * Join a job, then execute this program again: the loop then
		 * runs in a process image identical to the one outside a job
		 * (the netlink setup would otherwise leave its traces in it).
		 */
		struct nlr *nl = malloc(sizeof(*nl));
		uint16_t fam = resolve(nl, XOS_JOB_GENL_NAME);
		char self[4096], nbuf[16];
		int err = job_new_limited(nl, fam, NULL, limited);

		if (err)
			die("path: JOB_NEW: %s", strerror(-err));
		nlr_close(nl);
		snprintf(self, sizeof(self), "%s/xosbench", prog_dir);
		snprintf(nbuf, sizeof(nbuf), "%d", n);
		execl(self, self, "path", "--op", op, "--n", nbuf, "--joined",
		      (char *)NULL);
		die("exec %s: %m", self);
	}
	t = calloc(n, sizeof(*t));
	warm = n / 10;
	for (i = -warm; i < n; i++) {
		uint64_t t0 = now_ns();

		if (!strcmp(op, "getppid")) {
			/* a near-empty syscall: calibrates function_graph */
			syscall(SYS_getppid);
		} else if (!strcmp(op, "thread")) {
			pthread_t th;

			if (pthread_create(&th, NULL, thread_nop, NULL))
				die("pthread_create failed");
			pthread_join(th, NULL);
		} else {
			pid_t pid = fork();
			int st;

			if (pid < 0)
				die("fork: %m");
			if (pid == 0) {
				if (!strcmp(op, "exec")) {
					char *args[] = { nop, NULL };

					execv(nop, args);
					_exit(127);
				}
				_exit(0);
			}
			if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
			    WEXITSTATUS(st))
				die("path: child failed (status %#x)", st);
		}
		if (i >= 0)
			t[i] = now_ns() - t0;
	}
	for (i = 0; i < n; i++)
		total += t[i];
	qsort(t, n, sizeof(*t), cmp_u64);
	for (i = 0; i < n - n / 20; i++)
		sum_trim += t[i];
	printf("{\"bench\":\"path\",\"op\":\"%s\",\"in_job\":%s,\"n\":%d,"
	       "\"mean_ns\":%.1f,\"median_ns\":%" PRIu64 ",\"trim95_ns\":%.1f,"
	       "\"min_ns\":%" PRIu64 "}\n", op, in_job ? "true" : "false", n,
	       (double)total / n, t[n / 2], (double)sum_trim / (n - n / 20), t[0]);
	free(t);
	return 0;
}

/* --- query: JOB_GET vs TASKSTATS vs /proc scan vs cgroup files ------ */

/* One request, one reply: the cost of a netlink round trip. */
static int roundtrip(struct nlr *n, struct nlmsghdr *h)
{
	struct nlmsghdr *r = (struct nlmsghdr *)n->rx;
	ssize_t len;

	if (send(n->fd, h, h->nlmsg_len, 0) < 0)
		return -errno;
	len = recv(n->fd, n->rx, sizeof(n->rx), 0);
	if (len < (ssize_t)NLMSG_HDRLEN)
		return -EIO;
	if (r->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(r))->error ?: -EIO;
	return (int)len;
}

struct members {
	pid_t leader;
	uint64_t id;
	int n;
	pid_t *pids;
	int release_fd;		/* closing it makes every member exit */
};

static char proc_buf[4096];

/* What jobacct_gather/linux reads per process: stat and io. */
static int proc_scan(const struct members *m, uint64_t *sum)
{
	char path[64];
	int i, fd;
	ssize_t len;

	for (i = 0; i < m->n; i++) {
		unsigned long long ut = 0, st = 0, rb = 0;
		char *p;

		snprintf(path, sizeof(path), "/proc/%d/stat", m->pids[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return -errno;
		len = read(fd, proc_buf, sizeof(proc_buf) - 1);
		close(fd);
		if (len <= 0)
			return -EIO;
		proc_buf[len] = 0;
		p = strrchr(proc_buf, ')');
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
				&ut, &st) != 2)
			return -EIO;
		snprintf(path, sizeof(path), "/proc/%d/io", m->pids[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return -errno;
		len = read(fd, proc_buf, sizeof(proc_buf) - 1);
		close(fd);
		if (len <= 0)
			return -EIO;
		proc_buf[len] = 0;
		p = strstr(proc_buf, "read_bytes:");
		if (p)
			rb = strtoull(p + 11, NULL, 10);
		*sum += ut + st + rb;
	}
	return 0;
}

static const char *const cg_files[] = { "cpu.stat", "memory.peak", "io.stat" };
static bool cg_have[3];

static int cgroup_read(const char *dir)
{
	char path[1024];
	int i, fd;

	for (i = 0; i < 3; i++) {
		if (!cg_have[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, cg_files[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return -errno;
		if (read(fd, proc_buf, sizeof(proc_buf)) < 0) {
			close(fd);
			return -errno;
		}
		close(fd);
	}
	return 0;
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		die("write %s: %m", path);
	close(fd);
}

/*
 * A job of @n member processes: a leader that creates the job (and joins
 * @cgdir), then forks n-1 children; all block until release_fd closes.
 */
static void members_start(struct members *m, int n, const char *cgdir)
{
	int ready[2], release[2], pidp[2], i;
	pid_t pid;

	m->n = n;
	m->pids = calloc(n, sizeof(pid_t));
	if (pipe(ready) || pipe(release) || pipe(pidp))
		die("pipe: %m");
	pid = fork();
	if (pid < 0)
		die("fork: %m");
	if (pid == 0) {
		struct nlr *nl = malloc(sizeof(*nl));
		uint16_t fam = resolve(nl, XOS_JOB_GENL_NAME);
		char nop[4096], arg[16];
		uint64_t id;
		int err;

		close(ready[0]);
		close(release[1]);
		close(pidp[0]);
		if (cgdir) {
			char p[1024];

			snprintf(p, sizeof(p), "%s/cgroup.procs", cgdir);
			write_file(p, "0");
		}
		err = job_new_self(nl, fam, &id);
		if (err)
			die("query: JOB_NEW: %s", strerror(-err));
		nlr_close(nl);
		if (write(pidp[1], &id, sizeof(id)) != sizeof(id))
			_exit(1);
		/* the members: a tiny static process and its n-1 children */
		snprintf(arg, sizeof(arg), "%d", n);
		snprintf(nop, sizeof(nop), "%s/xosbench-nop", prog_dir);
		if (dup2(release[0], 0) < 0 || dup2(pidp[1], 1) < 0)
			_exit(1);
		execl(nop, nop, "hold", arg, (char *)NULL);
		die("exec %s: %m", nop);
	}
	close(ready[1]);
	close(release[0]);
	close(pidp[1]);
	m->leader = pid;
	m->pids[0] = pid;
	if (read(pidp[0], &m->id, sizeof(m->id)) != sizeof(m->id))
		die("query: the job leader failed");
	for (i = 1; i < n; i++)
		if (read(pidp[0], &m->pids[i], sizeof(pid_t)) != sizeof(pid_t))
			die("query: member %d did not start", i);
	close(pidp[0]);
	close(ready[0]);
	m->release_fd = release[1];
}

static void members_stop(struct members *m)
{
	close(m->release_fd);
	waitpid(m->leader, NULL, 0);
	free(m->pids);
}

static int cmd_query(int argc, char **argv)
{
	char sizes[256] = "1,10,100,1000", *s, *save;
	const char *cgroot = "/sys/fs/cgroup";
	int reps = 5, c, r, i;
	struct nlr *xn = malloc(sizeof(*xn)), *tn = malloc(sizeof(*tn));
	uint16_t xfam, tfam;
	struct xosjob_ctx *ctx;
	static const struct option opts[] = {
		{ "sizes", 1, NULL, 's' }, { "reps", 1, NULL, 'r' },
		{ "cgroup", 1, NULL, 'c' }, { 0 } };

	while ((c = getopt_long(argc, argv, "s:r:c:", opts, NULL)) != -1) {
		switch (c) {
		case 's': snprintf(sizes, sizeof(sizes), "%s", optarg); break;
		case 'r': reps = atoi(optarg); break;
		case 'c': cgroot = optarg; break;
		default: return 2;
		}
	}
	xfam = resolve(xn, XOS_JOB_GENL_NAME);
	tfam = resolve(tn, TASKSTATS_GENL_NAME);
	if (xosjob_open(&ctx))
		die("xosjob_open failed");
	/* the controllers whose files we read; failures are reported below */
	{
		char p[512];
		int fd;

		snprintf(p, sizeof(p), "%s/cgroup.subtree_control", cgroot);
		fd = open(p, O_WRONLY);
		if (fd >= 0) {
			if (write(fd, "+memory", 7) < 0 || write(fd, "+io", 3) < 0)
				fprintf(stderr, "xosbench: enabling controllers: %m\n");
			close(fd);
		}
	}

	for (s = strtok_r(sizes, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		int n = atoi(s), inner;
		struct members m;
		char cgdir[512], p[600];
		struct stat sb;

		snprintf(cgdir, sizeof(cgdir), "%s/xosbench-%d", cgroot, n);
		rmdir(cgdir);
		if (mkdir(cgdir, 0755))
			die("mkdir %s: %m", cgdir);
		for (i = 0; i < 3; i++) {
			snprintf(p, sizeof(p), "%s/%s", cgdir, cg_files[i]);
			cg_have[i] = stat(p, &sb) == 0;
		}
		printf("{\"bench\":\"query_env\",\"members\":%d,\"cpu_stat\":%s,"
		       "\"memory_peak\":%s,\"io_stat\":%s}\n", n,
		       cg_have[0] ? "true" : "false", cg_have[1] ? "true" : "false",
		       cg_have[2] ? "true" : "false");
		members_start(&m, n, cgdir);
		/* enough calls per sample to dwarf the clock reads */
		inner = n >= 1000 ? 1 : n >= 100 ? 4 : 20;
		for (r = 0; r < reps; r++) {
			static const char *const names[] = {
				"taskstats_get", "job_get", "job_get_lib",
				"proc_scan", "cgroup_read" };
			int k, j;

			for (j = 0; j < 5; j++) {
				int cnt = j == 3 ? inner : n >= 10000 ? 10 : 40;
				uint64_t t0, dt, sum = 0;
				int err = 0;

				t0 = now_ns();
				for (k = 0; k < cnt && err >= 0; k++) {
					struct nlmsghdr *h;
					struct xosjob_job job;

					switch (j) {
					case 0:
						h = nlr_start(tn, tfam, 0, TASKSTATS_CMD_GET,
							      TASKSTATS_GENL_VERSION);
						nlr_put_u32(h, TASKSTATS_CMD_ATTR_PID, m.leader);
						err = roundtrip(tn, h);
						break;
					case 1:
						h = nlr_start(xn, xfam, 0, XOS_JOB_CMD_GET,
							      XOS_JOB_GENL_VERSION);
						nlr_put_u64(h, XOS_JOB_A_ID, m.id);
						err = roundtrip(xn, h);
						break;
					case 2:
						err = xosjob_get(ctx, m.id, &job);
						if (!err && job.nr_tasks != (uint64_t)n)
							die("query: job has %" PRIu64 " tasks, want %d",
							    job.nr_tasks, n);
						break;
					case 3:
						err = proc_scan(&m, &sum);
						break;
					case 4:
						err = cgroup_read(cgdir);
						break;
					}
				}
				dt = now_ns() - t0;
				if (err < 0)
					die("query: %s failed: %s", names[j], strerror(-err));
				printf("{\"bench\":\"query\",\"members\":%d,\"method\":\"%s\","
				       "\"rep\":%d,\"calls\":%d,\"ns\":%.1f}\n", n, names[j],
				       r, cnt, (double)dt / cnt);
			}
			fflush(stdout);
		}
		members_stop(&m);
		/* the job ends with its last member: wait for it */
		for (i = 0; i < 10000; i++) {
			struct xosjob_job job;

			if (xosjob_get(ctx, m.id, &job) || job.ended)
				break;
			usleep(1000);
		}
		rmdir(cgdir);
	}
	xosjob_close(ctx);
	return 0;
}

/* --- events: jobs created and ended per second, with a listener ----- */

struct creator {
	struct nlr *nl;
	uint16_t fam;
	int err;
};

static int creator_child(void *arg)
{
	struct creator *c = arg;

	c->err = job_new_self(c->nl, c->fam, NULL);
	_exit(0);
}

static int cmd_events(int argc, char **argv)
{
	int count = 1000, rcvbuf = 0, lnice = 0, stall = 0, c, i;
	double rate = 0;
	int ready[2], result[2];
	pid_t lpid;
	struct creator cr;
	char *stack;
	uint64_t t0, t1;
	static const struct option opts[] = {
		{ "count", 1, NULL, 'c' }, { "rate", 1, NULL, 'r' },
		{ "rcvbuf", 1, NULL, 'b' }, { "listener-nice", 1, NULL, 'n' },
		{ "stall", 0, NULL, 's' }, { 0 } };

	while ((c = getopt_long(argc, argv, "c:r:b:n:s", opts, NULL)) != -1) {
		switch (c) {
		case 'c': count = atoi(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 'b': rcvbuf = atoi(optarg); break;
		case 'n': lnice = atoi(optarg); break;
		case 's': stall = 1; break;
		default: return 2;
		}
	}
	if (pipe(ready) || pipe(result))
		die("pipe: %m");
	fflush(stdout);
	lpid = fork();
	if (lpid < 0)
		die("fork: %m");
	if (lpid == 0) {
		/* the listener: a library consumer, as xosjob monitor is */
		struct xosjob_ctx *ctx;
		struct xosjob_job job;
		long created = 0, ended = 0, enobufs = 0, gaps = 0;
		uint64_t last_seq = 0;
		int cmd, err, rb = 0;
		socklen_t sl = sizeof(rb);
		char line[512];

		if (lnice && setpriority(PRIO_PROCESS, 0, lnice))
			die("setpriority: %m");
		if (xosjob_open(&ctx) || xosjob_subscribe(ctx, rcvbuf))
			die("events: cannot subscribe");
		getsockopt(xosjob_fd(ctx), SOL_SOCKET, SO_RCVBUF, &rb, &sl);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		while (ended < count) {
			struct pollfd pfd = { .fd = xosjob_fd(ctx), .events = POLLIN };

			/* 5 s without a record once the creator is done: give up */
			if (poll(&pfd, 1, 5000) <= 0)
				break;
			err = xosjob_event_next(ctx, &cmd, &job);
			if (err == -ENOBUFS) {
				enobufs++;
				continue;
			}
			if (err)
				die("events: %s", xosjob_strerror(ctx));
			if (cmd == XOS_JOB_CMD_CREATED_NTF) {
				created++;
			} else if (cmd == XOS_JOB_CMD_ENDED_NTF) {
				if (last_seq && job.seq != last_seq + 1)
					gaps += job.seq - last_seq - 1;
				last_seq = job.seq;
				ended++;
			}
		}
		snprintf(line, sizeof(line),
			 "\"created_seen\":%ld,\"ended_seen\":%ld,\"enobufs\":%ld,"
			 "\"seq_gaps\":%ld,\"rcvbuf_bytes\":%d", created, ended,
			 enobufs, gaps, rb);
		if (write(result[1], line, strlen(line) + 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(result[1]);
	if (read(ready[0], &c, 1) != 1)
		die("events: the listener did not start");
	/* --stall: a listener that does not run while the jobs come and go */
	if (stall && kill(lpid, SIGSTOP))
		die("kill: %m");
	cr.nl = malloc(sizeof(*cr.nl));
	cr.fam = resolve(cr.nl, XOS_JOB_GENL_NAME);
	stack = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		die("mmap: %m");
	t0 = now_ns();
	for (i = 0; i < count; i++) {
		pid_t pid;

		if (rate > 0) {
			uint64_t due = t0 + (uint64_t)(i * 1e9 / rate), now = now_ns();

			if (due > now) {
				struct timespec ts = { .tv_sec = (due - now) / 1000000000ull,
						       .tv_nsec = (due - now) % 1000000000ull };

				nanosleep(&ts, NULL);
			}
		}
		/* a vfork-like child: the job's only member, it ends it */
		cr.err = 0;
		pid = clone(creator_child, stack + (1 << 16),
			    CLONE_VM | CLONE_VFORK | SIGCHLD, &cr);
		if (pid < 0)
			die("clone: %m");
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid: %m");
		if (cr.err)
			die("events: JOB_NEW: %s", strerror(-cr.err));
	}
	t1 = now_ns();
	if (stall)
		kill(lpid, SIGCONT);
	{
		char line[512] = "";
		ssize_t len = read(result[0], line, sizeof(line) - 1);

		waitpid(lpid, NULL, 0);
		if (len <= 0)
			die("events: no result from the listener");
		printf("{\"bench\":\"events\",\"count\":%d,\"target_rate\":%.0f,"
		       "\"rcvbuf\":%d,\"listener_nice\":%d,\"stall\":%s,"
		       "\"rate\":%.1f,%s}\n", count, rate, rcvbuf, lnice,
		       stall ? "true" : "false",
		       count * 1e9 / (double)(t1 - t0), line);
	}
	return 0;
}

/* --- mem: kernel memory per tracked task and per job ---------------- */

static void *thread_park(void *arg)
{
	for (;;)
		pause();
	return arg;
}

/* Prints the slab caches and meminfo lines, tagged with @phase. */
static void mem_snapshot(const char *phase, int jobs, int tasks, int in_job)
{
	char line[1024];
	FILE *f = fopen("/proc/slabinfo", "r");
	bool first = true;

	if (!f)
		die("/proc/slabinfo: %m");
	printf("{\"bench\":\"mem\",\"phase\":\"%s\",\"jobs\":%d,\"tasks_per_job\":%d,"
	       "\"in_job\":%s,\"slabs\":{", phase, jobs, tasks, in_job ? "true" : "false");
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		unsigned long act, num, osz, opp, pps, nslabs;

		/* name active num objsize objperslab pagesperslab : tunables
		 * ... : slabdata active_slabs num_slabs sharedavail
		 */
		if (sscanf(line, "%127s %lu %lu %lu %lu %lu : tunables %*u %*u %*u"
			   " : slabdata %*u %lu", name, &act, &num, &osz, &opp,
			   &pps, &nslabs) != 7)
			continue;
		printf("%s\"%s\":[%lu,%lu,%lu,%lu]", first ? "" : ",", name, act,
		       osz, nslabs, pps);
		first = false;
	}
	fclose(f);
	printf("},\"meminfo\":{");
	f = fopen("/proc/meminfo", "r");
	first = true;
	while (f && fgets(line, sizeof(line), f)) {
		char name[64];
		unsigned long kb;

		if (sscanf(line, "%63[^:]: %lu", name, &kb) == 2) {
			printf("%s\"%s\":%lu", first ? "" : ",", name, kb);
			first = false;
		}
	}
	if (f)
		fclose(f);
	printf("}}\n");
	fflush(stdout);
}

static int cmd_mem(int argc, char **argv)
{
	int jobs = 100, tasks = 10, in_job = 1, c, i;
	int ready[2], release[2];
	pid_t *pids;
	char b;
	static const struct option opts[] = {
		{ "jobs", 1, NULL, 'j' }, { "tasks", 1, NULL, 't' },
		{ "no-job", 0, NULL, 'n' }, { 0 } };

	while ((c = getopt_long(argc, argv, "j:t:n", opts, NULL)) != -1) {
		switch (c) {
		case 'j': jobs = atoi(optarg); break;
		case 't': tasks = atoi(optarg); break;
		case 'n': in_job = 0; break;
		default: return 2;
		}
	}
	if (pipe(ready) || pipe(release))
		die("pipe: %m");
	pids = calloc(jobs, sizeof(pid_t));
	mem_snapshot("before", jobs, tasks, in_job);
	for (i = 0; i < jobs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("mem: fork %d: %m", i);
		if (pid == 0) {
			pthread_attr_t at;
			int k;

			close(ready[0]);
			close(release[1]);
			if (in_job) {
				struct nlr *nl = malloc(sizeof(*nl));
				uint16_t fam = resolve(nl, XOS_JOB_GENL_NAME);
				int err = job_new_self(nl, fam, NULL);

				if (err)
					die("mem: JOB_NEW: %s", strerror(-err));
				nlr_close(nl);
				free(nl);
			}
			/* cheap members: threads with small stacks (128 KiB of
			 * address space, a page or two resident), no guard; less
			 * fails with EINVAL next to libnl's static TLS
			 */
			pthread_attr_init(&at);
			pthread_attr_setstacksize(&at, 131072);
			pthread_attr_setguardsize(&at, 0);
			for (k = 1; k < tasks; k++) {
				pthread_t th;

				int e = pthread_create(&th, &at, thread_park, NULL);

				if (e)
					die("mem: thread %d of job %d: %s", k, i,
					    strerror(e));
			}
			if (write(ready[1], "x", 1) != 1)
				_exit(1);
			while (read(release[0], &b, 1) > 0)
				;
			_exit(0);
		}
		pids[i] = pid;
	}
	close(ready[1]);
	close(release[0]);
	for (i = 0; i < jobs; i++)
		if (read(ready[0], &b, 1) != 1)
			die("mem: job %d did not start", i);
	sleep(1);
	mem_snapshot("populated", jobs, tasks, in_job);
	{
		struct xosjob_ctx *ctx;
		struct xosjob_info info;

		if (!xosjob_open(&ctx) && !xosjob_info(ctx, &info)) {
			printf("{\"bench\":\"mem_info\",\"in_job\":%s,\"nr_jobs\":%u,"
			       "\"nr_tasks\":%" PRIu64 ",\"alloc_failures\":%" PRIu64 "}\n",
			       in_job ? "true" : "false", info.nr_jobs, info.nr_tasks,
			       info.alloc_failures);
			xosjob_close(ctx);
		}
	}
	close(release[1]);
	for (i = 0; i < jobs; i++)
		waitpid(pids[i], NULL, 0);
	free(pids);
	return 0;
}

/* --- bigjob: JOB_KILL and a full TASKS dump of one big job ---------- */

/* --lockwait: queries per measured window */
#define LOCKWAIT_QUERIES 20

/*
 * Shared with the forker (--forker): the window an operation runs in, and
 * per window the longest fork() a member made that started in it.
 */
struct fork_watch {
	volatile int window;		/* 0: no operation running */
	volatile int stop;
	uint64_t max_ns[64];
	uint64_t forks[64];
};

/* A member process that forks (and reaps) a child over and over. */
static void forker_loop(struct fork_watch *fw)
{
	while (!fw->stop) {
		int w = fw->window;
		uint64_t t0 = now_ns(), dt;
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		dt = now_ns() - t0;
		if (pid < 0)
			_exit(1);
		waitpid(pid, NULL, 0);
		/* counted for the window it started in, however long it took */
		if (w > 0 && w < 64) {
			fw->forks[w]++;
			if (dt > fw->max_ns[w])
				fw->max_ns[w] = dt;
		}
	}
	_exit(0);
}

static int count_task(const struct xosjob_task *t, void *arg)
{
	(void)t;
	++*(long *)arg;
	return 0;
}

static int count_msg(const struct nlmsghdr *h, void *arg)
{
	(void)h;
	++*(long *)arg;
	return 0;
}

static int cmd_bigjob(int argc, char **argv)
{
	int procs = 200, threads = 100, reps = 5, leaders_exit = 0, forker = 0;
	int lockwait = 0;
	int c, i, r, idx, pidp[2], window = 0;
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	struct fork_watch *fw = NULL;
	struct nlr *xn = malloc(sizeof(*xn));
	uint16_t xfam;
	uint64_t id, t0, setup_ns, loop_ns = 0;
	pid_t creator, fpid = 0, pid;
	uint32_t sent, denied;
	long want;
	static const struct option opts[] = {
		{ "procs", 1, NULL, 'p' }, { "threads", 1, NULL, 't' },
		{ "reps", 1, NULL, 'r' }, { "leaders-exit", 0, NULL, 'l' },
		{ "forker", 0, NULL, 'f' }, { "lockwait", 0, NULL, 'w' },
		{ 0 } };
	/* signal 0 walks every member and signals none */
	static const struct { const char *name; int sig; } all_ops[] = {
		{ "kill_sig0", 0 }, { "kill_sigcont", SIGCONT },
		{ "kill_sigusr1", SIGUSR1 }, { "tasks_dump", -1 },
		{ "tasks_dump_lib", -2 }, { "job_get", -3 },
		/*
		 * --lockwait: LOCKWAIT_QUERIES JOB_GETs of the big job back to
		 * back, against INFO round trips (netlink, no job lock) for as
		 * long
		 */
		{ "job_get_loop", -4 }, { "info_loop", -5 } };
	int op0, op_end;

	while ((c = getopt_long(argc, argv, "p:t:r:lfw", opts, NULL)) != -1) {
		switch (c) {
		case 'p': procs = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 'r': reps = atoi(optarg); break;
		case 'l': leaders_exit = 1; break;
		case 'f': forker = 1; break;
		case 'w': lockwait = forker = 1; break;
		default: return 2;
		}
	}
	/* the first six, or --lockwait's two */
	op0 = lockwait ? 6 : 0;
	op_end = lockwait ? 8 : 6;
	if (procs < 1 || threads < 1 || reps < 1 ||
	    reps * (op_end - op0) >= 64)
		die("bigjob: bad --procs, --threads or --reps");
	want = (long)procs * threads;
	xfam = resolve(xn, XOS_JOB_GENL_NAME);
	if (xosjob_open(&ctx))
		die("xosjob_open failed");
	/* the members' orphans come back here to be reaped */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		die("PR_SET_CHILD_SUBREAPER: %m");
	if (pipe(pidp))
		die("pipe: %m");
	t0 = now_ns();
	creator = fork();
	if (creator < 0)
		die("fork: %m");
	if (creator == 0) {
		char park[4096], pa[16], ta[16];
		struct nlr *nl = malloc(sizeof(*nl));
		uint16_t fam = resolve(nl, XOS_JOB_GENL_NAME);
		int err = job_new_self(nl, fam, &id);

		if (err)
			die("bigjob: JOB_NEW: %s", strerror(-err));
		nlr_close(nl);
		if (write(pidp[1], &id, sizeof(id)) != sizeof(id) ||
		    dup2(pidp[1], 1) < 0)
			_exit(1);
		close(pidp[0]);
		snprintf(park, sizeof(park), "%s/xosbench-park", prog_dir);
		snprintf(pa, sizeof(pa), "%d", procs);
		snprintf(ta, sizeof(ta), "%d", threads);
		execl(park, park, pa, ta, leaders_exit ? "leaders-exit" : NULL,
		      (char *)NULL);
		die("exec %s: %m", park);
	}
	close(pidp[1]);
	if (read(pidp[0], &id, sizeof(id)) != sizeof(id))
		die("bigjob: the job was not created");
	for (i = 0; i < procs; i++)
		if (read(pidp[0], &pid, sizeof(pid)) != sizeof(pid))
			die("bigjob: member process %d did not start", i);
	close(pidp[0]);
	/* the leaders' exits are counted a little later */
	for (i = 0; i < 100000; i++) {
		if (xosjob_get(ctx, id, &job))
			die("bigjob: JOB_GET: %s", xosjob_strerror(ctx));
		if (job.nr_tasks == (uint64_t)want && job.nr_procs == (uint64_t)procs)
			break;
		usleep(1000);
	}
	setup_ns = now_ns() - t0;
	if (job.nr_tasks != (uint64_t)want || job.nr_procs != (uint64_t)procs)
		die("bigjob: the job has %" PRIu64 " tasks in %" PRIu64
		    " processes, want %ld in %d", job.nr_tasks, job.nr_procs,
		    want, procs);
	if (forker) {
		fw = mmap(NULL, sizeof(*fw), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (fw == MAP_FAILED)
			die("mmap: %m");
		fpid = fork();
		if (fpid < 0)
			die("fork: %m");
		if (fpid == 0) {
			signal(SIGUSR1, SIG_IGN);
			raise(SIGSTOP);
			forker_loop(fw);
		}
		waitpid(fpid, NULL, WUNTRACED);
		if (xosjob_attach(ctx, id, fpid, &sent))
			die("bigjob: JOB_ATTACH: %s", xosjob_strerror(ctx));
		kill(fpid, SIGCONT);
	}
	printf("{\"bench\":\"bigjob_env\",\"procs\":%d,\"threads\":%d,"
	       "\"leaders_exited\":%s,\"tasks\":%" PRIu64 ",\"setup_ns\":%" PRIu64
	       ",\"forker\":%s}\n", procs, threads, leaders_exit ? "true" : "false",
	       job.nr_tasks, setup_ns, forker ? "true" : "false");
	for (r = 0; r < reps; r++) {
		for (idx = op0; idx < op_end; idx++) {
			uint32_t sent = 0, denied = 0;
			long entries = 0;
			bool intr = false;
			int dintr = 0, err, sig = all_ops[idx].sig;
			uint64_t dt;

			/* a handled SIGUSR1 woke a thread per process: let them
			 * run before the next measurement
			 */
			usleep(20000);
			if (fw)
				fw->window = ++window;
			t0 = now_ns();
			if (sig >= 0) {
				err = xosjob_kill(ctx, id, sig, &sent, &denied);
			} else if (sig == -1) {
				struct nlmsghdr *h;

				h = nlr_start(xn, xfam, NLM_F_DUMP, XOS_JOB_CMD_TASKS,
					      XOS_JOB_GENL_VERSION);
				nlr_put_u64(h, XOS_JOB_A_ID, id);
				err = nlr_talk(xn, count_msg, &entries, &dintr);
				intr = dintr;
			} else if (sig == -2) {
				err = xosjob_tasks(ctx, id, count_task, &entries,
						   &intr);
			} else if (sig == -3) {
				/* the sums over the live members */
				err = xosjob_get(ctx, id, &job);
				entries = job.nr_tasks;
			} else {
				struct xosjob_info info;

				/*
				 * INFO round trips for as long as the JOB_GET
				 * loop before took: the forks it sees are the
				 * baseline
				 */
				for (i = 0, err = 0; !err &&
				     (i < LOCKWAIT_QUERIES ||
				      (sig == -5 && now_ns() - t0 < loop_ns)); i++)
					err = sig == -4 ? xosjob_get(ctx, id, &job) :
					      xosjob_info(ctx, &info);
				entries = sig == -4 ? (long)job.nr_tasks : want;
			}
			dt = now_ns() - t0;
			if (sig == -4)
				loop_ns = dt;
			if (fw)
				fw->window = 0;
			if (err)
				die("bigjob: %s: %s", all_ops[idx].name,
				    sig == -1 ? xn->msg : xosjob_strerror(ctx));
			/* the forker and its child of the moment are members too */
			if (sig >= 0 ? sent < (uint32_t)procs + forker ||
				       (!forker && sent != (uint32_t)procs) :
			    entries < want)
				die("bigjob: %s reached %ld of %ld", all_ops[idx].name,
				    sig >= 0 ? (long)sent : entries, want);
			printf("{\"bench\":\"%s\",\"procs\":%d,\"threads\":%d,"
			       "\"leaders_exited\":%s,\"tasks\":%ld,\"op\":\"%s\","
			       "\"rep\":%d,\"ns\":%" PRIu64 ",\"signalled\":%u,"
			       "\"entries\":%ld,\"interrupted\":%s",
			       lockwait ? "lockwait" : "bigjob", procs, threads,
			       leaders_exit ? "true" : "false", want, all_ops[idx].name,
			       r, dt, sent, entries, intr ? "true" : "false");
			if (fw) {
				/* the last fork started in the window may still
				 * be counted: wait for one more fork
				 */
				usleep(20000);
				printf(",\"forks\":%" PRIu64 ",\"fork_max_ns\":%" PRIu64,
				       fw->forks[window], fw->max_ns[window]);
			}
			printf("}\n");
		}
	}
	if (fw) {
		fw->stop = 1;
		waitpid(fpid, NULL, 0);
	}
	/* the end: every member at once */
	if (xosjob_kill(ctx, id, SIGKILL, &sent, &denied))
		die("bigjob: JOB_KILL SIGKILL: %s", xosjob_strerror(ctx));
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	for (i = 0; i < 100000; i++) {
		if (xosjob_get(ctx, id, &job) || job.ended)
			break;
		usleep(1000);
	}
	xosjob_close(ctx);
	nlr_close(xn);
	free(xn);
	return 0;
}

/* --- scrape: one node-wide scrape, xosjob collect against cgroup files -- */

/*
 * The figures a cgroup v2 reader gets for one job: cpu.stat's usage,
 * memory.peak (memory.current where the kernel has no peak) and io.stat's
 * bytes summed over the devices.
 */
struct cg_fig {
	uint64_t usage_us, user_us, system_us, mem, rbytes, wbytes;
};

static char cg_mem_file[16] = "memory.peak";

/* The value after "@key " in a flat keyed file, or 0. */
static uint64_t keyed(const char *buf, const char *key)
{
	size_t len = strlen(key);
	const char *p = buf;

	while ((p = strstr(p, key))) {
		if ((p == buf || p[-1] == '\n') && p[len] == ' ')
			return strtoull(p + len + 1, NULL, 10);
		p += len;
	}
	return 0;
}

static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t len;

	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	if (len < 0)
		len = -errno;
	else
		buf[len] = 0;
	close(fd);
	return len;
}

static int cg_figures(const char *dir, struct cg_fig *f)
{
	char path[1200], buf[4096], *p;
	ssize_t len;

	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), "%s/cpu.stat", dir);
	len = read_small(path, buf, sizeof(buf));
	if (len < 0)
		return len;
	f->usage_us = keyed(buf, "usage_usec");
	f->user_us = keyed(buf, "user_usec");
	f->system_us = keyed(buf, "system_usec");
	snprintf(path, sizeof(path), "%s/%s", dir, cg_mem_file);
	len = read_small(path, buf, sizeof(buf));
	if (len < 0)
		return len;
	f->mem = strtoull(buf, NULL, 10);
	snprintf(path, sizeof(path), "%s/io.stat", dir);
	len = read_small(path, buf, sizeof(buf));
	if (len < 0)
		return len;
	/* "MAJ:MIN rbytes=N wbytes=N rios=N ..." per device */
	for (p = buf; (p = strstr(p, "rbytes=")); p += 7)
		f->rbytes += strtoull(p + 7, NULL, 10);
	for (p = buf; (p = strstr(p, "wbytes=")); p += 7)
		f->wbytes += strtoull(p + 7, NULL, 10);
	return 0;
}

/*
 * What a cgroup-based scraper does each time: list the jobs' cgroups
 * (job-* under @parent, as xosjob run names them) and read each one's
 * figures. Returns the number of cgroups read, or -errno.
 */
static int cg_scrape(const char *parent, uint64_t *sum)
{
	char dir[1024];
	struct cg_fig f;
	struct dirent *e;
	int n = 0, err;
	DIR *d = opendir(parent);

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "job-", 4))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", parent, e->d_name);
		err = cg_figures(dir, &f);
		if (err) {
			closedir(d);
			return err;
		}
		*sum += f.usage_us + f.user_us + f.system_us + f.mem +
			f.rbytes + f.wbytes;
		n++;
	}
	closedir(d);
	return n;
}

static void cg_pick_mem_file(const char *dir)
{
	char path[1024];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/memory.peak", dir);
	if (stat(path, &sb))
		snprintf(cg_mem_file, sizeof(cg_mem_file), "memory.current");
}

/* xosbench cgread: the reader as a command of its own, once. */
static int cmd_cgread(int argc, char **argv)
{
	const char *parent = "/sys/fs/cgroup/xos_job";
	uint64_t sum = 0;
	DIR *d;
	struct dirent *e;
	int c, n;
	static const struct option opts[] = {
		{ "parent", 1, NULL, 'p' }, { 0 } };

	while ((c = getopt_long(argc, argv, "p:", opts, NULL)) != -1) {
		switch (c) {
		case 'p': parent = optarg; break;
		default: return 2;
		}
	}
	d = opendir(parent);
	if (!d)
		die("cgread: %s: %m", parent);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "job-", 4)) {
			char dir[1024];

			snprintf(dir, sizeof(dir), "%s/%s", parent, e->d_name);
			cg_pick_mem_file(dir);
			break;
		}
	closedir(d);
	n = cg_scrape(parent, &sum);
	if (n < 0)
		die("cgread: %s: %s", parent, strerror(-n));
	printf("%d cgroups read\n", n);
	return 0;
}

/* fork, exec @argv (stdout and stderr to /dev/null), wait: its exit status */
/*
 * Runs a command and gives the CPU time it used (@cpu_ns, from wait4()'s
 * rusage: its run time, split as user and system). Under icount that is
 * the instructions it ran, without the guest clock's jumps over idle
 * waits that a command's elapsed time picks up (a wait for the host's 9p,
 * a timer), which added up to tens of millions to some runs.
 */
static int run_cmd(char *const argv[], uint64_t *cpu_ns)
{
	pid_t pid = fork();
	struct rusage ru;
	int status, fd;

	if (pid < 0)
		die("fork: %m");
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		die("wait4: %m");
	*cpu_ns = ((uint64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
		  1000000000ULL +
		  ((uint64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int count_job(const struct xosjob_job *j, void *arg)
{
	(void)j;
	++*(long *)arg;
	return 0;
}

/* +memory +io in @parent and in the cgroup above it, as xosjob run does */
static void enable_controllers(const char *parent)
{
	static const char *const ctl[] = { "+memory", "+io" };
	static const char *const where[] = { "/..", "" };
	char path[1024];
	int fd, j, w;

	for (j = 0; j < 2; j++)
		for (w = 0; w < 2; w++) {
			snprintf(path, sizeof(path), "%s%s/cgroup.subtree_control",
				 parent, where[w]);
			fd = open(path, O_WRONLY);
			/* reported, not fatal: the first read of a missing
			 * file fails below */
			if (fd < 0 || write(fd, ctl[j], strlen(ctl[j])) < 0)
				fprintf(stderr, "xosbench: %s %s: %m\n", path,
					ctl[j]);
			if (fd >= 0)
				close(fd);
		}
}

enum { SC_CLI, SC_CLI_BASE, SC_CGROUP, SC_LIST, SC_CGROUP_CMD, SC_NR };

static int cmd_scrape(int argc, char **argv)
{
	static const char *const names[SC_NR] = {
		"cli_scrape", "cli_noscrape", "cgroup_read", "job_list",
		"cgroup_cmd" };
	int jobs = 100, procs = 10, threads = 10, reps = 5, c, i, r, k;
	const char *parent = "/sys/fs/cgroup/xos_job";
	char xosjob[4096] = "", self[4096], outdir[] = "/dev/shm/xosscrape.XXXXXX";
	char prom[4200], *buf, *p, *pr;
	size_t bufsize = 16 << 20;	/* the whole textfile: ~1.7 KB a job */
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	pid_t *leaders;
	uint64_t *ids, t0, setup_ns, warm_ns, sum = 0;
	long nlist;
	ssize_t plen;
	int prom_jobs = -1;
	static const struct option opts[] = {
		{ "jobs", 1, NULL, 'j' }, { "procs", 1, NULL, 'p' },
		{ "threads", 1, NULL, 't' }, { "reps", 1, NULL, 'r' },
		{ "xosjob", 1, NULL, 'x' }, { "parent", 1, NULL, 'P' },
		{ 0 } };

	while ((c = getopt_long(argc, argv, "j:p:t:r:x:P:", opts, NULL)) != -1) {
		switch (c) {
		case 'j': jobs = atoi(optarg); break;
		case 'p': procs = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 'r': reps = atoi(optarg); break;
		case 'x': snprintf(xosjob, sizeof(xosjob), "%s", optarg); break;
		case 'P': parent = optarg; break;
		default: return 2;
		}
	}
	if (jobs < 1 || procs < 1 || threads < 1 || reps < 1)
		die("scrape: bad --jobs, --procs, --threads or --reps");
	if (!*xosjob)
		snprintf(xosjob, sizeof(xosjob), "%s/../userspace/xosjob",
			 prog_dir);
	if (access(xosjob, X_OK))
		die("scrape: %s: %m", xosjob);
	snprintf(self, sizeof(self), "%s/xosbench", prog_dir);
	if (!mkdtemp(outdir))
		die("mkdtemp: %m");
	snprintf(prom, sizeof(prom), "%s/xos_job.prom", outdir);
	if (xosjob_open(&ctx))
		die("xosjob_open failed");
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		die("PR_SET_CHILD_SUBREAPER: %m");
	/* the layout of xosjob run: /xos_job/job-PID, controllers enabled */
	if (mkdir(parent, 0755) && errno != EEXIST)
		die("mkdir %s: %m", parent);
	enable_controllers(parent);
	leaders = calloc(jobs, sizeof(*leaders));
	ids = calloc(jobs, sizeof(*ids));
	t0 = now_ns();
	for (i = 0; i < jobs; i++) {
		int pp[2];
		pid_t pid;

		if (pipe(pp))
			die("pipe: %m");
		pid = fork();
		if (pid < 0)
			die("fork: %m");
		if (pid == 0) {
			char park[4096], pa[16], ta[16], dir[1024], path[1100];
			struct nlr *nl = malloc(sizeof(*nl));
			uint16_t fam;
			uint64_t id;
			int err;

			snprintf(dir, sizeof(dir), "%s/job-%d", parent, getpid());
			if (mkdir(dir, 0755))
				die("scrape: mkdir %s: %m", dir);
			snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
			write_file(path, "0");
			fam = resolve(nl, XOS_JOB_GENL_NAME);
			err = job_new_self(nl, fam, &id);
			if (err)
				die("scrape: JOB_NEW: %s", strerror(-err));
			nlr_close(nl);
			if (write(pp[1], &id, sizeof(id)) != sizeof(id) ||
			    dup2(pp[1], 1) < 0)
				_exit(1);
			close(pp[0]);
			snprintf(park, sizeof(park), "%s/xosbench-park", prog_dir);
			snprintf(pa, sizeof(pa), "%d", procs);
			snprintf(ta, sizeof(ta), "%d", threads);
			execl(park, park, pa, ta, (char *)NULL);
			die("exec %s: %m", park);
		}
		close(pp[1]);
		leaders[i] = pid;
		if (read(pp[0], &ids[i], sizeof(ids[i])) != sizeof(ids[i]))
			die("scrape: job %d was not created", i);
		for (k = 0; k < procs; k++)
			if (read(pp[0], &pid, sizeof(pid)) != sizeof(pid))
				die("scrape: job %d: member %d did not start", i, k);
		close(pp[0]);
	}
	for (i = 0; i < jobs; i++) {
		for (k = 0; k < 100000; k++) {
			if (xosjob_get(ctx, ids[i], &job))
				die("scrape: JOB_GET: %s", xosjob_strerror(ctx));
			if (job.nr_tasks == (uint64_t)procs * threads)
				break;
			usleep(1000);
		}
		if (job.nr_tasks != (uint64_t)procs * threads)
			die("scrape: job %d has %" PRIu64 " tasks, want %d", i,
			    job.nr_tasks, procs * threads);
	}
	setup_ns = now_ns() - t0;
	{
		char dir[1024];

		snprintf(dir, sizeof(dir), "%s/job-%d", parent, leaders[0]);
		cg_pick_mem_file(dir);
	}

	{
		char *cli[] = { xosjob, "collect", "--output", outdir,
				"--prometheus", prom, "--once", NULL };
		char *base[] = { xosjob, "collect", "--output", outdir,
				 "--once", NULL };
		char pa[1100];
		char *cgcmd[] = { self, "cgread", "--parent", pa, NULL };
		char *const *cmds[SC_NR] = { cli, base, NULL, NULL, cgcmd };

		snprintf(pa, sizeof(pa), "%s", parent);
		/*
		 * Once each first: the page cache holds the binaries, and the
		 * records the kernel keeps are in the output directory, so
		 * that no measured run writes any
		 */
		for (i = 0; i < SC_NR; i++)
			if (cmds[i] && run_cmd(cmds[i], &warm_ns))
				die("scrape: %s %s failed", cmds[i][0], cmds[i][1]);
		buf = malloc(bufsize);
		if (!buf)
			die("scrape: out of memory");
		plen = read_small(prom, buf, bufsize);
		if (plen < 0)
			die("scrape: %s: %s", prom, strerror(-plen));
		pr = strstr(buf, "\nxos_job_live_jobs ");
		if (pr)
			prom_jobs = atoi(pr + 19);
		for (i = 0, p = buf; (p = strstr(p, "\nxos_job_info{")); p++)
			i++;
		if (prom_jobs < jobs || i < jobs)
			die("scrape: the scrape has %d live jobs, %d info "
			    "samples, want %d", prom_jobs, i, jobs);
		k = cg_scrape(parent, &sum);
		if (k < 0)
			die("scrape: reading the cgroup files under %s: %s",
			    parent, strerror(-k));
		if (k != jobs)
			die("scrape: %d cgroups read, want %d", k, jobs);
		printf("{\"bench\":\"scrape_env\",\"jobs\":%d,\"procs\":%d,"
		       "\"threads\":%d,\"tasks\":%d,\"setup_ns\":%" PRIu64 ","
		       "\"memory_file\":\"%s\",\"prom_bytes\":%zd,"
		       "\"prom_live_jobs\":%d}\n", jobs, procs, threads,
		       jobs * procs * threads, setup_ns, cg_mem_file, plen,
		       prom_jobs);
		for (r = 0; r < reps; r++) {
			for (k = 0; k < SC_NR; k++) {
				/* a rotating order: no method always first */
				int m = (k + r) % SC_NR, cnt = cmds[m] ? 1 : 3, n;
				uint64_t dt, cpu_ns = 0;

				t0 = now_ns();
				for (n = 0; n < cnt; n++) {
					int err = 0;

					if (cmds[m]) {
						err = run_cmd(cmds[m], &cpu_ns);
					} else if (m == SC_CGROUP) {
						err = cg_scrape(parent, &sum);
						err = err == jobs ? 0 : 1;
					} else {
						nlist = 0;
						err = xosjob_list(ctx, count_job, &nlist,
								  NULL);
						if (!err && nlist < jobs)
							err = 1;
					}
					if (err)
						die("scrape: %s failed (%d)", names[m],
						    err);
				}
				dt = now_ns() - t0;
				/* a command: its own CPU time (see run_cmd()) */
				if (cmds[m])
					dt = cpu_ns;
				printf("{\"bench\":\"scrape\",\"jobs\":%d,\"tasks\":%d,"
				       "\"method\":\"%s\",\"rep\":%d,\"calls\":%d,"
				       "\"ns\":%.1f}\n", jobs, jobs * procs * threads,
				       names[m], r, cnt, (double)dt / cnt);
			}
		}
	}
	/* the end: every job at once, then their cgroups */
	for (i = 0; i < jobs; i++) {
		uint32_t sent, denied;

		if (xosjob_kill(ctx, ids[i], SIGKILL, &sent, &denied))
			die("scrape: JOB_KILL: %s", xosjob_strerror(ctx));
	}
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	for (i = 0; i < jobs; i++) {
		char dir[1024];

		snprintf(dir, sizeof(dir), "%s/job-%d", parent, leaders[i]);
		/* an exited task leaves its cgroup a little later */
		for (k = 0; k < 1000 && rmdir(dir) && errno == EBUSY; k++)
			usleep(1000);
	}
	rmdir(parent);	/* unless something else lives there */
	snprintf(buf, bufsize, "rm -rf '%s'", outdir);
	if (system(buf))
		fprintf(stderr, "xosbench: cannot remove %s\n", outdir);
	free(buf);
	free(leaders);
	free(ids);
	xosjob_close(ctx);
	return 0;
}

int main(int argc, char **argv)
{
	static char dir[4096];
	ssize_t len = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	char *slash;

	if (len > 0) {
		dir[len] = 0;
		slash = strrchr(dir, '/');
		if (slash)
			*slash = 0;
	}
	prog_dir = dir;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: xosbench path|query|events|mem|bigjob|scrape|cgread [options]\n");
		return 2;
	}
	if (!strcmp(argv[1], "path"))
		return cmd_path(argc - 1, argv + 1);
	if (!strcmp(argv[1], "query"))
		return cmd_query(argc - 1, argv + 1);
	if (!strcmp(argv[1], "events"))
		return cmd_events(argc - 1, argv + 1);
	if (!strcmp(argv[1], "mem"))
		return cmd_mem(argc - 1, argv + 1);
	if (!strcmp(argv[1], "bigjob"))
		return cmd_bigjob(argc - 1, argv + 1);
	if (!strcmp(argv[1], "scrape"))
		return cmd_scrape(argc - 1, argv + 1);
	if (!strcmp(argv[1], "cgread"))
		return cmd_cgread(argc - 1, argv + 1);
	fprintf(stderr, "xosbench: unknown command %s\n", argv[1]);
	return 2;
}
