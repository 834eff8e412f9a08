// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob collect --output DIR: the node's accounting collector (admin).
 *
 * Every end-of-job record goes, as one JSON line (the object of
 * `xosjob list --ended --json`), to DIR/jobs-YYYY-MM-DD.jsonl, named by the
 * day (UTC) the job ended. Lines are written in sequence order and fsync'ed
 * in batches; only then is a sequence number acknowledged, in DIR/last-seq.
 *
 * Restarts: the data files themselves say what was written. On start the
 * collector truncates a line a crash left half-written, takes the highest
 * sequence number written, and reads the records after it back from the
 * kernel's ring of ended jobs before it follows new ones (follow.c). So a
 * kill -9 at any moment leaves neither a duplicate nor a gap, as long as
 * the ring (module parameter ended_ring) still holds the records; those it
 * no longer holds are reported as lost. Sequence numbers restart when the
 * module is reloaded: the last record written is compared with the ring's
 * record of the same number (or, when the ring dropped that one, with the
 * highest kept before it: see resume_point()), and a different job means a
 * new series, collected from its oldest kept record.
 *
 * --prometheus FILE rewrites FILE, every --interval seconds, with the live
 * jobs' figures in the Prometheus text format, through a temporary file
 * and rename(2): node_exporter's textfile collector never reads half a
 * file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "follow.h"

#define BATCH_MAX 1024		/* records between two fsyncs at most */

struct collector {
	struct follower f;
	const char *dir;
	int dir_fd;
	int day_fd;		/* the open daily file, or -1 */
	char day[16];		/* its YYYY-MM-DD */
	uint64_t pending;	/* records written since the last fsync */
	uint64_t written;	/* records written by this run */
	uint64_t acked;		/* last sequence number made durable */
	const char *prom;
	uint64_t nr_live;
	/* records written by this run, by end state (XOS_JOB_END_*) */
	uint64_t by_state[XOS_JOB_END_MAX + 1];
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

struct last_line {
	uint64_t seq, id, ended_ns;
};

/* The numbers of a record line of ours that the next run goes on from. */
static bool read_record(const char *line, struct last_line *last)
{
	struct json_object *o = json_tokener_parse(line);
	bool ok = o && json_object_is_type(o, json_type_object) &&
		  json_u64_member(o, "seq", &last->seq) &&
		  json_u64_member(o, "id", &last->id) &&
		  json_u64_member(o, "ended_realtime_ns", &last->ended_ns);

	json_object_put(o);
	return ok;
}

/*
 * Reads the last complete line of a data file; truncates a trailing
 * partial line (a write cut short by a crash), which is then collected
 * again. Returns -1 on an I/O error.
 */
static int scan_file(struct collector *c, const char *name,
		     struct last_line *last)
{
	char buf[16384], *nl;
	struct stat st;
	off_t from, keep;
	ssize_t n;
	int fd;

	fd = openat(c->dir_fd, name, O_RDWR | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		goto io;
	from = st.st_size > (off_t)sizeof(buf) - 1 ?
		st.st_size - (off_t)sizeof(buf) + 1 : 0;
	n = pread(fd, buf, st.st_size - from, from);
	if (n != st.st_size - from)
		goto io;
	buf[n] = 0;
	keep = st.st_size;
	if (n && buf[n - 1] != '\n') {
		nl = memrchr(buf, '\n', n);
		keep = nl ? from + (nl - buf) + 1 : from;
		if (!nl && from)
			goto io;	/* a line longer than the buffer */
		fail("%s/%s: dropping a partial last line (%lld bytes) "
		     "left by an interrupted write", c->dir, name,
		     (long long)(st.st_size - keep));
		if (ftruncate(fd, keep) || fsync(fd))
			goto io;
		n = keep - from;
		buf[n] = 0;
	}
	if (n) {
		buf[n - 1] = 0;
		nl = strrchr(buf, '\n');
		nl = nl ? nl + 1 : buf;
		if (!read_record(nl, last)) {
			fail("%s/%s: the last line is not a record of xosjob "
			     "collect", c->dir, name);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
io:
	fail("%s/%s: %m", c->dir, name);
	if (fd >= 0)
		close(fd);
	return -1;
}

static bool data_file(const char *name)
{
	size_t len = strlen(name);

	return !strncmp(name, "jobs-", 5) && len > 11 &&
	       !strcmp(name + len - 6, ".jsonl");
}

/* The record with the highest sequence number written to DIR. */
static int scan_dir(struct collector *c, struct last_line *last)
{
	struct last_line l;
	struct dirent *e;
	DIR *d;
	int fd;

	fd = dup(c->dir_fd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d)
		return fail("%s: %m", c->dir);
	memset(last, 0, sizeof(*last));
	while ((e = readdir(d))) {
		if (!data_file(e->d_name))
			continue;
		memset(&l, 0, sizeof(l));
		if (scan_file(c, e->d_name, &l)) {
			closedir(d);
			return EXIT_FAIL;
		}
		if (l.seq > last->seq)
			*last = l;
	}
	closedir(d);
	return 0;
}

static int sync_day(struct collector *c)
{
	if (c->day_fd >= 0 && c->pending && fsync(c->day_fd))
		return fail("%s/jobs-%s.jsonl: fsync: %m", c->dir, c->day);
	return 0;
}

/* Writes DIR/last-seq through a temporary file: it never shows half. */
static int write_ack(struct collector *c, uint64_t seq)
{
	char text[32];
	int fd, len = snprintf(text, sizeof(text), "%" PRIu64 "\n", seq);

	fd = openat(c->dir_fd, ".last-seq.tmp",
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0 || write(fd, text, len) != len || fsync(fd)) {
		fail("%s/.last-seq.tmp: %m", c->dir);
		if (fd >= 0)
			close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	if (renameat(c->dir_fd, ".last-seq.tmp", c->dir_fd, "last-seq") ||
	    fsync(c->dir_fd))
		return fail("%s/last-seq: %m", c->dir);
	return 0;
}

/* fsync what was written, then acknowledge its last sequence number. */
static int flush(struct collector *c)
{
	if (!c->pending)
		return 0;
	if (sync_day(c))
		return EXIT_FAIL;
	c->pending = 0;
	c->acked = c->f.last_seq;
	return write_ack(c, c->acked);
}

static int open_day(struct collector *c, uint64_t realtime_ns)
{
	time_t t = realtime_ns / 1000000000ull;
	char day[16], name[32];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (c->day_fd >= 0 && !strcmp(day, c->day))
		return 0;
	if (sync_day(c))
		return EXIT_FAIL;
	if (c->day_fd >= 0)
		close(c->day_fd);
	snprintf(name, sizeof(name), "jobs-%s.jsonl", day);
	c->day_fd = openat(c->dir_fd, name,
			   O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	/* the new file's name must be as durable as its lines */
	if (c->day_fd < 0 || fsync(c->dir_fd))
		return fail("%s/%s: %m", c->dir, name);
	strcpy(c->day, day);
	return 0;
}

static int write_record(struct follower *f, int cmd,
			const struct xosjob_job *job, bool recovered)
{
	struct collector *c = f->arg;
	char *line = NULL;
	size_t len = 0;
	FILE *m;
	int ret = 0;

	(void)recovered;
	if (cmd != XOS_JOB_CMD_ENDED_NTF)
		return 0;
	if (open_day(c, job->ended_realtime_ns))
		return EXIT_FAIL;
	m = open_memstream(&line, &len);
	if (!m)
		return fail("%m");
	json_job(m, job);
	fputc('\n', m);
	if (fclose(m))
		return fail("%m");
	/* one write(2) per line: a crash leaves at most one partial line */
	if (write(c->day_fd, line, len) != (ssize_t)len)
		ret = fail("%s/jobs-%s.jsonl: %m", c->dir, c->day);
	free(line);
	if (!ret) {
		c->pending++;
		c->written++;
		c->by_state[job->end_state <= XOS_JOB_END_MAX ?
			    job->end_state : 0]++;
	}
	return ret;
}

/* --- the node_exporter textfile ------------------------------------- */

/*
 * A scrape writes some 30 sample lines per live job. Each line is put
 * together in a buffer and written with one fwrite_unlocked(), and a job's
 * label part is escaped once per job: printf's format parsing and its
 * locking per call were half of a scrape's cost (bench/README.md, the
 * node-wide scrape).
 */

/* the longest label part: every byte of a label may double when escaped */
#define PROM_JOB_PART_MAX (sizeof("{job_id=\"18446744073709551615\",job_label=\"") + \
			   2 * XOS_JOB_LABEL_MAX + 1)

struct prom_job {
	const struct xosjob_job *j;
	char part[PROM_JOB_PART_MAX];	/* {job_id="N",job_label="L" */
	size_t part_len;
};

static char *put_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static char *put_str(char *p, const char *s)
{
	return put_mem(p, s, strlen(s));
}

static char *put_u64(char *p, uint64_t v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

/*
 * @v in units of 10^-@decimals (nanoseconds: 9), as a decimal fraction:
 * exact, where a double would round figures past 2^53 ns (104 days).
 */
static char *put_fixed(char *p, uint64_t v, int decimals)
{
	uint64_t unit = 1;
	int i;

	for (i = 0; i < decimals; i++)
		unit *= 10;
	p = put_u64(p, v / unit);
	*p++ = '.';
	v %= unit;
	for (i = decimals - 1; i >= 0; i--, v /= 10)
		p[i] = '0' + v % 10;
	return p + decimals;
}

/*
 * A label value: backslash, quote and newline escaped. A byte that is not
 * UTF-8 becomes U+00XX, as in the JSON output, so that the two agree. At
 * most two bytes out for each byte in.
 */
static char *put_label(char *p, const char *s)
{
	const unsigned char *q = (const unsigned char *)s;

	while (*q) {
		size_t n = utf8_len(q);

		if (!n) {
			*p++ = 0xc0 | *q >> 6;
			*p++ = 0x80 | (*q++ & 0x3f);
		} else if (*q == '\\' || *q == '"') {
			*p++ = '\\';
			*p++ = *q++;
		} else if (*q == '\n') {
			*p++ = '\\';
			*p++ = 'n';
			q++;
		} else {
			p = put_mem(p, (const char *)q, n);
			q += n;
		}
	}
	return p;
}

static void prom_job_init(struct prom_job *pj, const struct xosjob_job *j)
{
	char *p = pj->part;

	pj->j = j;
	p = put_str(p, "{job_id=\"");
	p = put_u64(p, j->id);
	p = put_str(p, "\",job_label=\"");
	p = put_label(p, j->has_label ? j->label : "");
	*p++ = '"';
	pj->part_len = p - pj->part;
}

struct metric {
	const char *name, *type, *help;
	const char *extra;		/* one more label, or NULL */
};

static const struct metric metrics[] = {
	{ "xos_job_info", "gauge", "A live job (always 1), with its owner", NULL },
	{ "xos_job_start_time_seconds", "gauge", "When the job was created, since the epoch", NULL },
	{ "xos_job_tasks", "gauge", "Live member tasks (threads)", NULL },
	{ "xos_job_processes", "gauge", "Live member processes", NULL },
	{ "xos_job_tasks_started_total", "counter", "Tasks that joined the job", NULL },
	{ "xos_job_tasks_exited_total", "counter", "Member tasks that exited", NULL },
	{ "xos_job_cpu_seconds_total", "counter", "CPU time of the members (exited ones included)", "mode" },
	{ "xos_job_run_seconds_total", "counter", "Scheduler run time of the members", NULL },
	{ "xos_job_page_faults_total", "counter", "Page faults", "type" },
	{ "xos_job_context_switches_total", "counter", "Context switches", "type" },
	{ "xos_job_io_bytes_total", "counter", "Bytes through read and write system calls", "direction" },
	{ "xos_job_storage_bytes_total", "counter", "Bytes read from and written to storage", "direction" },
	{ "xos_job_memory_peak_rss_bytes", "gauge", "Largest resident set of a member", NULL },
	{ "xos_job_state_tasks", "gauge", "Live member tasks by scheduler state", "state" },
	{ "xos_job_oom_kills_total", "counter", "Member processes the OOM killer took", NULL },
	{ "xos_job_frozen", "gauge", "1 while the job's cgroup is frozen", NULL },
	{ "xos_job_limit_seconds", "gauge", "A limit the module enforces: total CPU time or wall-clock time", "limit" },
};

enum { M_INFO, M_START, M_TASKS, M_PROCS, M_STARTED, M_EXITED, M_CPU, M_RUN,
       M_FAULTS, M_CSW, M_IO, M_STORAGE, M_RSS, M_STATE, M_OOM, M_FROZEN,
       M_LIMIT, NR_METRICS };

struct prom_dump {
	FILE *f[NR_METRICS];	/* one stream per metric, joined at the end */
	uint64_t n;
};

/*
 * One sample of metric @m: the value is @v, or with @decimals > 0 @v in
 * units of 10^-@decimals. @extra is the value of the metric's own label.
 */
static void sample(struct prom_dump *d, int m, const struct prom_job *pj,
		   const char *extra, uint64_t v, int decimals)
{
	char line[64 + PROM_JOB_PART_MAX + 64], *p = line;

	p = put_str(p, metrics[m].name);
	p = put_mem(p, pj->part, pj->part_len);
	if (m == M_INFO) {
		p = put_str(p, ",owner_uid=\"");
		p = put_u64(p, pj->j->owner_uid);
		*p++ = '"';
	}
	if (extra) {
		*p++ = ',';
		p = put_str(p, metrics[m].extra);
		p = put_str(p, "=\"");
		p = put_str(p, extra);
		*p++ = '"';
	}
	p = put_str(p, "} ");
	p = decimals ? put_fixed(p, v, decimals) : put_u64(p, v);
	*p++ = '\n';
	fwrite_unlocked(line, 1, p - line, d->f[m]);
}

/* nanoseconds as seconds, exact */
#define NS 9

static int prom_job(const struct xosjob_job *j, void *arg)
{
	const struct xosjob_stats *st = &j->stats;
	struct prom_dump *d = arg;
	struct prom_job pj;

	prom_job_init(&pj, j);
	sample(d, M_INFO, &pj, NULL, 1, 0);
	/* to the millisecond, rounded */
	sample(d, M_START, &pj, NULL, (j->created_realtime_ns + 500000) / 1000000, 3);
	sample(d, M_TASKS, &pj, NULL, j->nr_tasks, 0);
	sample(d, M_PROCS, &pj, NULL, j->nr_procs, 0);
	sample(d, M_STARTED, &pj, NULL, j->tasks_started, 0);
	sample(d, M_EXITED, &pj, NULL, j->tasks_exited, 0);
	sample(d, M_CPU, &pj, "user", st->utime_ns, NS);
	sample(d, M_CPU, &pj, "system", st->stime_ns, NS);
	sample(d, M_RUN, &pj, NULL, st->runtime_ns, NS);
	sample(d, M_FAULTS, &pj, "minor", st->minflt, 0);
	sample(d, M_FAULTS, &pj, "major", st->majflt, 0);
	sample(d, M_CSW, &pj, "voluntary", st->nvcsw, 0);
	sample(d, M_CSW, &pj, "involuntary", st->nivcsw, 0);
	sample(d, M_IO, &pj, "read", st->rchar, 0);
	sample(d, M_IO, &pj, "write", st->wchar, 0);
	sample(d, M_STORAGE, &pj, "read", st->read_bytes, 0);
	sample(d, M_STORAGE, &pj, "write", st->write_bytes, 0);
	sample(d, M_RSS, &pj, NULL, st->hiwater_rss_kb * 1024, 0);
	if (j->has_states) {
		sample(d, M_STATE, &pj, "running", j->states.running, 0);
		sample(d, M_STATE, &pj, "sleeping", j->states.sleeping, 0);
		sample(d, M_STATE, &pj, "uninterruptible",
		       j->states.uninterruptible, 0);
		sample(d, M_STATE, &pj, "stopped", j->states.stopped, 0);
		sample(d, M_STATE, &pj, "io_wait", j->states.io_wait, 0);
		sample(d, M_STATE, &pj, "frozen", j->states.frozen, 0);
	}
	sample(d, M_OOM, &pj, NULL, j->nr_oom_killed, 0);
	sample(d, M_FROZEN, &pj, NULL, !!j->frozen, 0);
	if (j->limits.cpu_time_ns)
		sample(d, M_LIMIT, &pj, "cpu_time", j->limits.cpu_time_ns, NS);
	if (j->limits.time_ns)
		sample(d, M_LIMIT, &pj, "time", j->limits.time_ns, NS);
	d->n++;
	return 0;
}

/* FILE.tmp, then rename(2) over FILE. */
static int write_prom(struct collector *c)
{
	char *text[NR_METRICS] = { 0 }, tmp[PATH_MAX];
	size_t len[NR_METRICS] = { 0 };
	struct prom_dump d = { 0 };
	bool intr = false;
	int i, err, ret = EXIT_FAIL;
	FILE *out;

	for (i = 0; i < NR_METRICS; i++) {
		d.f[i] = open_memstream(&text[i], &len[i]);
		if (!d.f[i])
			goto out;
	}
	err = xosjob_list(c->f.query, prom_job, &d, &intr);
	if (err) {
		fail("cannot list the live jobs: %s", ctx_error(c->f.query));
		goto out;
	}
	c->nr_live = d.n;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", c->prom) >= (int)sizeof(tmp))
		goto out;
	out = fopen(tmp, "we");
	if (!out) {
		fail("%s: %m", tmp);
		goto out;
	}
	for (i = 0; i < NR_METRICS; i++) {
		if (fclose(d.f[i]))
			goto out;
		d.f[i] = NULL;
		fprintf(out, "# HELP %s %s.\n# TYPE %s %s\n", metrics[i].name,
			metrics[i].help, metrics[i].name, metrics[i].type);
		fwrite(text[i], 1, len[i], out);
	}
	fprintf(out,
		"# HELP xos_job_collector_last_seq Last end-of-job record written and fsync'ed.\n"
		"# TYPE xos_job_collector_last_seq gauge\n"
		"xos_job_collector_last_seq %" PRIu64 "\n"
		"# HELP xos_job_collector_records_total End-of-job records written by this collector run.\n"
		"# TYPE xos_job_collector_records_total counter\n"
		"xos_job_collector_records_total %" PRIu64 "\n"
		"# HELP xos_job_collector_lost_records_total Records gone from the kernel's ring before they were read.\n"
		"# TYPE xos_job_collector_lost_records_total counter\n"
		"xos_job_collector_lost_records_total %" PRIu64 "\n"
		"# HELP xos_job_live_jobs Live jobs.\n"
		"# TYPE xos_job_live_jobs gauge\n"
		"xos_job_live_jobs %" PRIu64 "\n"
		"# HELP xos_job_collector_ended_total End-of-job records written by this collector run, by why the job ended.\n"
		"# TYPE xos_job_collector_ended_total counter\n",
		c->acked, c->written, c->f.lost, d.n);
	for (i = XOS_JOB_END_COMPLETED; i <= XOS_JOB_END_MAX; i++)
		fprintf(out, "xos_job_collector_ended_total{state=\"%s\"} %" PRIu64 "\n",
			xosjob_end_state_name(i), c->by_state[i]);
	if (fclose(out)) {
		fail("%s: %m", tmp);
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, c->prom)) {
		fail("%s: %m", c->prom);
		unlink(tmp);
		goto out;
	}
	ret = 0;
out:
	for (i = 0; i < NR_METRICS; i++) {
		if (d.f[i])
			fclose(d.f[i]);
		free(text[i]);
	}
	return ret;
}

/* --- start ------------------------------------------------------------ */

/* The highest kept record numbered r->upto or less. */
struct upto_rec {
	struct xosjob_job job;
	uint64_t upto;
	bool found;
};

static int take_upto(const struct xosjob_job *job, void *arg)
{
	struct upto_rec *r = arg;

	if (job->seq > r->upto)
		return -ECANCELED;
	r->job = *job;
	r->found = true;
	return 0;
}

/* Records end in sequence order but for clock reads racing a push. */
#define SAME_SERIES_SKEW_NS 1000000000ULL

/*
 * Where to go on from: the last record written, if the kernel's record of
 * that number is the same job; otherwise the sequence was restarted
 * (module reloaded, node rebooted) and the new one is taken from its
 * oldest kept record. A full ring drops the oldest record of the owner
 * that holds the most, so the last record written may be gone while older
 * ones are kept: then the highest kept one before it must have ended no
 * later than it (give or take SAME_SERIES_SKEW_NS), which a record of a
 * new series, ended after the reload, did not.
 */
static int resume_point(struct collector *c, const struct last_line *last,
			const struct xosjob_info *info, uint64_t *from)
{
	struct upto_rec r = { .upto = last->seq };
	int err;

	if (!last->seq) {
		*from = info->oldest_seq ? info->oldest_seq - 1 : info->last_seq;
		return 0;
	}
	if (last->seq <= info->last_seq && info->oldest_seq &&
	    info->oldest_seq > last->seq) {
		*from = last->seq;	/* the gap is reported as lost */
		return 0;
	}
	if (last->seq <= info->last_seq) {
		err = xosjob_list_ended(c->f.query, info->oldest_seq, take_upto,
					&r, NULL);
		if (err && err != -ECANCELED)
			return fail("cannot read the ring: %s",
				    ctx_error(c->f.query));
		if (r.found && r.job.seq == last->seq &&
		    r.job.id == last->id &&
		    r.job.ended_realtime_ns == last->ended_ns) {
			*from = last->seq;
			return 0;
		}
		if (r.found && r.job.seq < last->seq &&
		    r.job.ended_realtime_ns <=
		    last->ended_ns + SAME_SERIES_SKEW_NS) {
			*from = last->seq;	/* it was dropped since */
			return 0;
		}
	}
	fail("the kernel's record %" PRIu64 " is not the one in %s: the "
	     "sequence restarted (module reloaded or node rebooted); "
	     "collecting the new one from its oldest kept record",
	     last->seq, c->dir);
	*from = info->oldest_seq ? info->oldest_seq - 1 : info->last_seq;
	return 0;
}

static int lock_dir(struct collector *c)
{
	int fd;

	if (mkdir(c->dir, 0750) && errno != EEXIST)
		return fail("%s: %m", c->dir);
	c->dir_fd = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->dir_fd < 0)
		return fail("%s: %m", c->dir);
	fd = openat(c->dir_fd, ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return fail("%s/.lock: %m", c->dir);
	/* held until exit: two collectors on one DIR would write twice */
	if (flock(fd, LOCK_EX | LOCK_NB))
		return fail("%s: another collector is writing to it", c->dir);
	return 0;
}

static int collect(struct collector *c, uint64_t interval_s, uint64_t rcvbuf,
		   bool once)
{
	struct xosjob_info info;
	struct last_line last;
	struct timespec now;
	uint64_t from = 0, before;
	time_t next_prom = 0;
	int ret;

	if (lock_dir(c) || scan_dir(c, &last))
		return EXIT_FAIL;
	/* subscribed before the ring is read: no record falls between */
	if (!once && xosjob_subscribe(c->f.events, (int)rcvbuf))
		return fail("%s", ctx_error(c->f.events));
	if (xosjob_info(c->f.query, &info))
		return fail("%s", ctx_error(c->f.query));
	if (resume_point(c, &last, &info, &from))
		return EXIT_FAIL;
	c->f.last_seq = from;
	c->acked = from;
	printf("collecting end-of-job records into %s after record %" PRIu64
	       " (the kernel's last: %" PRIu64 ")\n", c->dir, from,
	       info.last_seq);
	fflush(stdout);
	ret = follow_fill(&c->f, once ? 0 : info.last_seq + 1);
	while (!ret && !once && !stopping) {
		if (flush(c))
			return EXIT_FAIL;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (c->prom && now.tv_sec >= next_prom) {
			if (write_prom(c))
				return EXIT_FAIL;
			next_prom = now.tv_sec + interval_s;
		}
		/* drain what is queued into one batch, then fsync it */
		do {
			before = c->written;
			ret = follow_next(&c->f, c->pending ? 0 :
					  c->prom ? 1000 * (int)interval_s : -1);
		} while (!ret && !stopping && c->written != before &&
			 c->pending < BATCH_MAX);
	}
	if (ret == EXIT_FAIL || flush(c))
		return EXIT_FAIL;
	if (c->prom && write_prom(c))
		return EXIT_FAIL;
	printf("%" PRIu64 " records written; last record %" PRIu64 "\n",
	       c->written, c->acked);
	return c->f.lost ? EXIT_FAIL : 0;
}

static int cmd_collect(int argc, char *argv[])
{
	const char *interval_s = NULL, *rcvbuf_s = NULL;
	struct collector c = { .f.emit = write_record, .dir_fd = -1,
			       .day_fd = -1 };
	bool once = false;
	const struct option_spec opts[] = {
		{ "output", 'o', &c.dir, NULL },
		{ "prometheus", 'p', &c.prom, NULL },
		{ "interval", 'i', &interval_s, NULL },
		{ "rcvbuf", 'b', &rcvbuf_s, NULL },
		{ "once", 0, NULL, &once },
		{ 0 },
	};
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t interval = 15, rcvbuf = 0;
	int ret, n = parse_opts(argc, argv, opts, NULL, false);

	if (n < 0)
		return opts_exit(n);
	if (n)
		return usage_error("unexpected argument '%s'", argv[0]);
	if (!c.dir || !*c.dir)
		return usage_error("--output DIR is required");
	if (interval_s && (!parse_u64(interval_s, 86400, &interval) ||
			   !interval))
		return usage_error("--interval: '%s' is not a number of seconds "
				   "(1 to 86400)", interval_s);
	if (interval_s && !c.prom)
		return usage_error("--interval needs --prometheus");
	if (rcvbuf_s && !parse_u64(rcvbuf_s, 1 << 30, &rcvbuf))
		return usage_error("--rcvbuf: '%s' is not a size in bytes",
				   rcvbuf_s);
	/* no SA_RESTART: poll() returns, the batch is flushed, then exit */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	c.f.arg = &c;
	if (follow_open(&c.f))
		return EXIT_FAIL;
	ret = collect(&c, interval, rcvbuf, once);
	if (c.day_fd >= 0)
		close(c.day_fd);
	if (c.dir_fd >= 0)
		close(c.dir_fd);
	follow_close(&c.f);
	return ret;
}

const struct subcommand collect_cmd = {
	.name = "collect",
	.run = cmd_collect,
	.args = "--output DIR [--prometheus FILE [--interval SEC]] [--rcvbuf BYTES] [--once]",
	.help = "write every end-of-job record to daily JSON-lines files (admin)",
	.details =
		"  -o, --output DIR\n"
		"                 DIR/jobs-YYYY-MM-DD.jsonl, by the day (UTC) a job\n"
		"                 ended; DIR/last-seq: the last record fsync'ed\n"
		"  -p, --prometheus FILE\n"
		"                 rewrite FILE (atomically) with the live jobs'\n"
		"                 figures, for node_exporter's textfile collector\n"
		"  -i, --interval SEC\n"
		"                 how often FILE is rewritten (default 15)\n"
		"  -b, --rcvbuf BYTES\n"
		"                 socket receive buffer\n"
		"      --once     collect the records the kernel keeps, then exit\n"
		"\n"
		"A restarted collector goes on after the last record in DIR: no record\n"
		"is written twice, and missed ones are read back from the kernel's\n"
		"ring. SIGTERM flushes and exits. Exits 1 if records were lost (the\n"
		"ring no longer held them).\n",
};
