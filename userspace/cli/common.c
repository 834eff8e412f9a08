// SPDX-License-Identifier: GPL-2.0
/* xosjob: errors, option and number parsing, text and JSON output. */
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>

#include <stddef.h>

#include "cli.h"

static void vreport(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	if (subcmd)
		fprintf(stderr, "%s: ", subcmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	if (subcmd)
		fprintf(stderr, "Try '%s %s --help'.\n", prog, subcmd);
	else
		fprintf(stderr, "Try '%s --help'.\n", prog);
	return EXIT_USAGE;
}

int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

int fail_ctx(struct xosjob_ctx *ctx)
{
	fail("%s", xosjob_strerror(ctx));
	xosjob_close(ctx);
	return EXIT_FAIL;
}

struct xosjob_ctx *open_ctx(void)
{
	struct xosjob_ctx *ctx;
	int err = xosjob_open(&ctx);

	if (err == -ENOENT)
		fail("%s", xosjob_strerror(NULL));
	else if (err)
		fail("cannot open a generic netlink socket: %s",
		     strerror(-err));
	return err ? NULL : ctx;
}

static const struct option_spec *find_opt(const struct option_spec *opts,
					  const char *a, const char **value)
{
	size_t len;

	*value = NULL;
	for (; opts && opts->name; opts++) {
		if (a[1] == '-') {
			len = strlen(opts->name);
			if (strncmp(a + 2, opts->name, len))
				continue;
			if (!a[2 + len])
				return opts;
			if (a[2 + len] == '=' && opts->value) {
				*value = a + 3 + len;
				return opts;
			}
		} else if (opts->short_name && a[1] == opts->short_name) {
			if (!a[2])
				return opts;
			if (opts->value) {
				*value = a + 2;
				return opts;
			}
		}
	}
	return NULL;
}

int parse_opts(int argc, char *argv[], const struct option_spec *opts,
	       bool *json, bool stop_at_arg)
{
	bool rest = false;
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		const struct option_spec *o;
		const char *value;
		char *a = argv[i];

		if (rest || a[0] != '-' || !a[1]) {
			argv[n++] = a;
			rest = rest || stop_at_arg;
			continue;
		}
		if (!strcmp(a, "--")) {
			rest = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			subcommand_help(stdout);
			return OPTS_HELP;
		}
		if (json && !strcmp(a, "--json")) {
			*json = true;
			continue;
		}
		o = find_opt(opts, a, &value);
		if (!o) {
			usage_error("unknown option '%s'", a);
			return OPTS_USAGE;
		}
		if (o->flag) {
			*o->flag = true;
			continue;
		}
		if (!value) {
			if (i + 1 >= argc) {
				usage_error("option '%s' needs a value", a);
				return OPTS_USAGE;
			}
			value = argv[++i];
		}
		*o->value = value;
	}
	argv[n] = NULL;
	return n;
}

int opts_exit(int n)
{
	return n == OPTS_HELP ? 0 : EXIT_USAGE;
}

const int forwarded_signals[NR_FORWARDED_SIGNALS] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
};

bool parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > max)
		return false;
	*v = x;
	return true;
}

/* Units of a duration, the longest suffix first where one is a prefix. */
static const struct {
	const char *unit;
	uint64_t ns;
} duration_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
	{ "s", 1000000000ULL }, { "m", 60000000000ULL },
	{ "h", 3600000000000ULL }, { "d", 86400000000000ULL },
};

#define DURATION_MAX (1ULL << 62)

bool parse_duration(const char *opt, const char *s, bool zero_ok,
		    uint64_t *ns)
{
	const char *p = s;
	uint64_t total = 0;

	if (!*p)
		goto bad;
	while (*p) {
		uint64_t whole = 0, frac = 0, scale = 1, unit = 0, v;
		size_t i, n;

		if (*p < '0' || *p > '9')
			goto bad;
		while (*p >= '0' && *p <= '9') {
			if (whole > DURATION_MAX / 10)
				goto big;
			whole = whole * 10 + (*p++ - '0');
		}
		if (*p == '.') {
			for (p++; *p >= '0' && *p <= '9'; p++) {
				if (scale < 1000000000ULL) {
					frac = frac * 10 + (*p - '0');
					scale *= 10;
				}
			}
		}
		for (i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++) {
			n = strlen(duration_units[i].unit);
			/* "m" must not take the "m" of "ms" */
			if (!strncmp(p, duration_units[i].unit, n) &&
			    !(p[n] >= 'a' && p[n] <= 'z')) {
				unit = duration_units[i].ns;
				p += n;
				break;
			}
		}
		if (!unit) {
			/* a bare number is seconds, and only alone */
			if (*p || p == s)
				goto bad;
			unit = 1000000000ULL;
		}
		if (whole > DURATION_MAX / unit)
			goto big;
		v = whole * unit + frac * unit / scale;
		if (v > DURATION_MAX - total)
			goto big;
		total += v;
	}
	if (!total && !zero_ok) {
		usage_error("--%s must be more than 0", opt);
		return false;
	}
	*ns = total;
	return true;
bad:
	usage_error("--%s: '%s' is not a duration (such as 90, 1.5s, 500ms, 2m30s, 1h, 1d)",
		    opt, s);
	return false;
big:
	usage_error("--%s: '%s' is too long a duration", opt, s);
	return false;
}

bool parse_job_id(const char *s, uint64_t *id)
{
	if (parse_u64(s, UINT64_MAX, id) && *id)
		return true;
	usage_error("'%s' is not a job id (a number from 1)", s);
	return false;
}

int parse_one_job(int n, char *argv[], const char *none, uint64_t *id)
{
	if (n != 1)
		return usage_error("%s", n ? "one job id, please" : none);
	return parse_job_id(argv[0], id) ? 0 : EXIT_USAGE;
}

/* PID_MAX_LIMIT on 64-bit kernels */
#define PID_MAX 4194304

bool parse_pid(const char *s, uint32_t *pid)
{
	uint64_t v;

	if (parse_u64(s, PID_MAX, &v) && v) {
		*pid = v;
		return true;
	}
	usage_error("'%s' is not a pid (a number from 1 to %d)", s, PID_MAX);
	return false;
}

bool parse_uid(const char *s, uint32_t *uid)
{
	struct passwd *pw;
	uint64_t v;

	/* (uid_t)-1 is no uid */
	if (parse_u64(s, UINT32_MAX - 1, &v)) {
		*uid = v;
		return true;
	}
	if (*s && (*s < '0' || *s > '9')) {
		pw = getpwnam(s);
		if (pw) {
			*uid = pw->pw_uid;
			return true;
		}
	}
	usage_error("'%s' is not a uid or a user name", s);
	return false;
}

/* glibc keeps two real-time signals for itself: ask the kernel's view */
#define KERNEL_SIGRTMIN 32
#define KERNEL_SIGMAX 64

static int parse_rt_signal(const char *s)
{
	uint64_t off = 0;

	if (!strncasecmp(s, "RTMIN", 5)) {
		if (s[5] && (s[5] != '+' ||
			     !parse_u64(s + 6, KERNEL_SIGMAX, &off)))
			return -1;
		off += SIGRTMIN;
	} else if (!strncasecmp(s, "RTMAX", 5)) {
		if (s[5] && (s[5] != '-' ||
			     !parse_u64(s + 6, KERNEL_SIGMAX, &off)))
			return -1;
		off = SIGRTMAX - off;
	} else {
		return -1;
	}
	if (off < (uint64_t)SIGRTMIN || off > (uint64_t)SIGRTMAX)
		return -1;
	return off;
}

int parse_signal(const char *s)
{
	uint64_t v;
	int i;

	if (parse_u64(s, KERNEL_SIGMAX, &v))
		return v;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 1; i < KERNEL_SIGRTMIN; i++) {
		const char *name = sigabbrev_np(i);

		if (name && !strcasecmp(s, name))
			return i;
	}
	return parse_rt_signal(s);
}

const char *signal_name(int sig, char *buf, size_t len)
{
	const char *name = sig > 0 && sig < KERNEL_SIGRTMIN ?
			   sigabbrev_np(sig) : NULL;

	if (name)
		snprintf(buf, len, "%s", name);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, len, "RTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, len, "%d", sig);
	return buf;
}

size_t utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if (*p == 0xe0)
		lo = 0xa0;
	else if (*p == 0xed)
		hi = 0x9f;
	else if (*p == 0xf0)
		lo = 0x90;
	else if (*p == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

void print_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		/* C0 and C1 controls, DEL and broken UTF-8 are escaped */
		if (!n || *p < 0x20 || *p == 0x7f ||
		    (*p == 0xc2 && p[1] < 0xa0)) {
			fprintf(f, "\\x%02x", *p++);
			continue;
		}
		if (*p == '\\') {
			fputs("\\\\", f);
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
}

void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n = utf8_len(p);

		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (!n || *p < 0x20 || *p == 0x7f) {
			/* a byte that is not UTF-8 becomes U+00XX */
			fprintf(f, "\\u%04x", *p++);
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
	}
	fputc('"', f);
}

void json_begin(struct json *j, FILE *f)
{
	j->f = f;
	j->first = true;
	fputc('{', f);
}

void json_key(struct json *j, const char *key)
{
	if (!j->first)
		fputc(',', j->f);
	j->first = false;
	json_string(j->f, key);
	fputc(':', j->f);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_str(struct json *j, const char *key, const char *v)
{
	json_key(j, key);
	if (v)
		json_string(j->f, v);
	else
		fputs("null", j->f);
}

void json_end(struct json *j)
{
	fputc('}', j->f);
}

static const struct {
	uint32_t flag;
	const char *name;
} job_flags[] = {
	{ XOS_JOB_F_INCOMPLETE, "incomplete" },
	{ XOS_JOB_F_KILLED, "killed" },
	{ XOS_JOB_F_OWN_CGROUP, "own_cgroup" },
	{ XOS_JOB_F_FROZEN, "frozen" },
	{ XOS_JOB_F_LIMIT_HIT, "limit_hit" },
	{ XOS_JOB_F_CHECKPOINTING, "checkpointing" },
};

#define NR_JOB_FLAGS (sizeof(job_flags) / sizeof(job_flags[0]))

const char *flags_str(uint32_t flags, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = 0;
	for (i = 0; i < NR_JOB_FLAGS; i++) {
		if (!(flags & job_flags[i].flag))
			continue;
		flags &= ~job_flags[i].flag;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off ? "," : "", job_flags[i].name);
	}
	/* flags of a newer module */
	if (flags)
		off += snprintf(buf + off, off < len ? len - off : 0,
				"%s0x%x", off ? "," : "", flags);
	if (!off)
		snprintf(buf, len, "-");
	return buf;
}

const char *time_str(uint64_t realtime_ns, char *buf, size_t len)
{
	time_t t = realtime_ns / 1000000000ULL;
	long off;
	struct tm tm;
	size_t n;

	if (!localtime_r(&t, &tm) ||
	    !(n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm))) {
		snprintf(buf, len, "%" PRIu64, realtime_ns);
		return buf;
	}
	off = tm.tm_gmtoff / 60;
	snprintf(buf + n, len - n, "%c%02ld:%02ld", off < 0 ? '-' : '+',
		 labs(off) / 60, labs(off) % 60);
	return buf;
}

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts))
		return 0;
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

uint64_t boot_to_realtime(uint64_t boottime_ns)
{
	uint64_t boot = clock_ns(CLOCK_BOOTTIME);
	uint64_t real = clock_ns(CLOCK_REALTIME);

	return real - boot + boottime_ns;
}

const char *user_str(uint32_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(buf, len, "%u (%s)", uid, pw->pw_name);
	else
		snprintf(buf, len, "%u", uid);
	return buf;
}

/* How a figure reads to a person; JSON always carries the raw value. */
enum stat_unit { U_COUNT, U_NS, U_BYTES, U_KIB, U_MBUS };

/* The figures of struct xosjob_stats, by name, for both outputs. */
#define STAT(field, label, unit) \
	{ #field, label, unit, offsetof(struct xosjob_stats, field) }
static const struct {
	const char *name;
	const char *label;
	enum stat_unit unit;
	size_t off;
} stat_fields[] = {
	STAT(utime_ns, "user CPU", U_NS),
	STAT(stime_ns, "system CPU", U_NS),
	STAT(runtime_ns, "run time", U_NS),
	STAT(minflt, "minor faults", U_COUNT),
	STAT(majflt, "major faults", U_COUNT),
	STAT(nvcsw, "voluntary switches", U_COUNT),
	STAT(nivcsw, "involuntary switches", U_COUNT),
	STAT(rchar, "read (syscalls)", U_BYTES),
	STAT(wchar, "written (syscalls)", U_BYTES),
	STAT(syscr, "read syscalls", U_COUNT),
	STAT(syscw, "write syscalls", U_COUNT),
	STAT(read_bytes, "read from storage", U_BYTES),
	STAT(write_bytes, "written to storage", U_BYTES),
	STAT(cancelled_write_bytes, "cancelled writes", U_BYTES),
	STAT(hiwater_rss_kb, "peak RSS", U_KIB),
	STAT(hiwater_vm_kb, "peak VM", U_KIB),
	STAT(coremem_mb_us, "RSS integral", U_MBUS),
	STAT(virtmem_mb_us, "VM integral", U_MBUS),
};

#define NR_STAT_FIELDS (sizeof(stat_fields) / sizeof(stat_fields[0]))

static uint64_t stat_value(const struct xosjob_stats *st, size_t i)
{
	return *(const uint64_t *)((const char *)st + stat_fields[i].off);
}

/* "1.23 s", "45.6 MiB": three significant digits, the unit that fits. */
const char *human_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%" PRIu64 " ns", ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.3g us", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.3g ms", ns / 1e6);
	else
		snprintf(buf, len, "%.2f s", ns / 1e9);
	return buf;
}

const char *human_bytes(uint64_t b, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = b;
	size_t u = 0;

	if (b < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", b);
		return buf;
	}
	v /= 1024;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s",
		 v, units[u]);
	return buf;
}

static const char *human_stat(const struct xosjob_stats *st, size_t i,
			      char *buf, size_t len)
{
	uint64_t v = stat_value(st, i);

	switch (stat_fields[i].unit) {
	case U_NS:
		return human_ns(v, buf, len);
	case U_BYTES:
		return human_bytes(v, buf, len);
	case U_KIB:
		return human_bytes(v * 1024, buf, len);
	case U_MBUS:
		/* taskstats' MB-microseconds: show MiB-seconds */
		snprintf(buf, len, "%.3g MiB s", v / 1e6);
		return buf;
	case U_COUNT:
		break;
	}
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

void json_stats(struct json *parent, const char *key,
		const struct xosjob_stats *st)
{
	struct json o;
	char name[64];
	size_t i;

	json_key(parent, key);
	json_begin(&o, parent->f);
	for (i = 0; i < NR_STAT_FIELDS; i++)
		json_u64(&o, stat_fields[i].name, stat_value(st, i));
	json_bool(&o, "delayacct", st->delayacct);
	/* delays the kernel did not send (delay accounting off) are null */
	for (i = 0; i < XOSJOB_NR_DELAYS; i++) {
		snprintf(name, sizeof(name), "%s_delay_ns", xosjob_delay_name(i));
		json_key(&o, name);
		if (st->has_delay[i])
			fprintf(o.f, "%" PRIu64, st->delay_ns[i]);
		else
			fputs("null", o.f);
		snprintf(name, sizeof(name), "%s_delay_count",
			 xosjob_delay_name(i));
		json_key(&o, name);
		if (st->has_delay[i])
			fprintf(o.f, "%" PRIu64, st->delay_count[i]);
		else
			fputs("null", o.f);
	}
	json_end(&o);
}

void print_stats(FILE *f, const char *indent, const struct xosjob_stats *st)
{
	char v[32], d[32];
	bool off = false;
	size_t i;

	for (i = 0; i < NR_STAT_FIELDS; i++)
		fprintf(f, "%s%-22s %s\n", indent, stat_fields[i].label,
			human_stat(st, i, v, sizeof(v)));
	for (i = 0; i < XOSJOB_NR_DELAYS; i++) {
		if (!st->has_delay[i]) {
			off = true;
			continue;
		}
		snprintf(d, sizeof(d), "%s delay", xosjob_delay_name(i));
		fprintf(f, "%s%-22s %s in %" PRIu64 "\n", indent, d,
			human_ns(st->delay_ns[i], v, sizeof(v)),
			st->delay_count[i]);
	}
	if (off)
		fprintf(f, "%sother delays: not counted (delay accounting is off: "
			"sysctl kernel.task_delayacct=1)\n", indent);
}

const char *status_str(uint32_t status, char *buf, size_t len)
{
	char sig[16];

	if (WIFEXITED(status))
		snprintf(buf, len, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by SIG%s%s",
			 signal_name(WTERMSIG(status), sig, sizeof(sig)),
			 WCOREDUMP(status) ? " (core dumped)" : "");
	else
		snprintf(buf, len, "status %#x", status);
	return buf;
}

/* The limits, named as xosjob run's options. */
enum limit_unit { L_NS, L_BYTES, L_COUNT };

static const struct {
	const char *name;
	size_t off;
	enum limit_unit unit;
} limit_fields[] = {
	{ "cpu-time", offsetof(struct xosjob_limits, cpu_time_ns), L_NS },
	{ "time", offsetof(struct xosjob_limits, time_ns), L_NS },
	{ "grace", offsetof(struct xosjob_limits, grace_ns), L_NS },
	{ "memory-max", offsetof(struct xosjob_limits, memory_max), L_BYTES },
	{ "memory-high", offsetof(struct xosjob_limits, memory_high), L_BYTES },
	{ "swap-max", offsetof(struct xosjob_limits, swap_max), L_BYTES },
	{ "pids-max", offsetof(struct xosjob_limits, pids_max), L_COUNT },
	{ "cpu-weight", offsetof(struct xosjob_limits, cpu_weight), L_COUNT },
	{ "io-weight", offsetof(struct xosjob_limits, io_weight), L_COUNT },
};

#define NR_LIMIT_FIELDS (sizeof(limit_fields) / sizeof(limit_fields[0]))

/* The value of limit field @i, false if it is not set. */
static bool limit_value(const struct xosjob_limits *l, size_t i, uint64_t *v)
{
	*v = *(const uint64_t *)((const char *)l + limit_fields[i].off);
	if (limit_fields[i].off == offsetof(struct xosjob_limits, grace_ns))
		return l->has_grace;
	if (limit_fields[i].off == offsetof(struct xosjob_limits, swap_max))
		return l->has_swap_max;
	return *v != 0;
}

void json_limits(struct json *parent, const char *key,
		 const struct xosjob_limits *l)
{
	struct json o;
	char name[32];
	uint64_t v;
	size_t i, k;

	json_key(parent, key);
	json_begin(&o, parent->f);
	for (i = 0; i < NR_LIMIT_FIELDS; i++) {
		if (!limit_value(l, i, &v))
			continue;
		/* JSON keys in snake case, with their unit */
		for (k = 0; limit_fields[i].name[k] && k + 1 < sizeof(name); k++)
			name[k] = limit_fields[i].name[k] == '-' ? '_' :
				  limit_fields[i].name[k];
		snprintf(name + k, sizeof(name) - k, "%s",
			 limit_fields[i].unit == L_NS ? "_ns" :
			 limit_fields[i].unit == L_BYTES ? "_bytes" : "");
		json_u64(&o, name, v);
	}
	if (l->cpu_quota_us) {
		json_u64(&o, "cpu_quota_us", l->cpu_quota_us);
		json_u64(&o, "cpu_period_us", l->cpu_period_us);
	}
	if (l->cpus[0])
		json_str(&o, "cpus", l->cpus);
	if (l->mems[0])
		json_str(&o, "mems", l->mems);
	json_end(&o);
}

void print_limits(FILE *f, const char *indent, const struct xosjob_limits *l)
{
	char b[32];
	uint64_t v;
	size_t i;

	for (i = 0; i < NR_LIMIT_FIELDS; i++) {
		if (!limit_value(l, i, &v))
			continue;
		fprintf(f, "%s%-12s %s\n", indent, limit_fields[i].name,
			limit_fields[i].unit == L_NS ? human_ns(v, b, sizeof(b)) :
			limit_fields[i].unit == L_BYTES ?
			human_bytes(v, b, sizeof(b)) :
			(snprintf(b, sizeof(b), "%" PRIu64, v), b));
	}
	if (l->cpu_quota_us && l->cpu_period_us)
		fprintf(f, "%s%-12s %g%% (%" PRIu64 " us per %" PRIu64 " us)\n",
			indent, "cpu-max",
			100.0 * l->cpu_quota_us / l->cpu_period_us,
			l->cpu_quota_us, l->cpu_period_us);
	if (l->cpus[0])
		fprintf(f, "%s%-12s %s\n", indent, "cpus", l->cpus);
	if (l->mems[0])
		fprintf(f, "%s%-12s %s\n", indent, "mems", l->mems);
}

void json_job(FILE *f, const struct xosjob_job *j)
{
	struct json o;
	char t[64];
	size_t i;

	json_begin(&o, f);
	json_u64(&o, "id", j->id);
	json_str(&o, "label", j->has_label ? j->label : NULL);
	json_u64(&o, "owner_uid", j->owner_uid);
	json_str(&o, "created", time_str(j->created_realtime_ns, t,
					 sizeof(t)));
	json_u64(&o, "created_realtime_ns", j->created_realtime_ns);
	json_u64(&o, "created_boottime_ns", j->created_boottime_ns);
	json_u64(&o, "anchor_pid", j->anchor_pid);
	if (!j->ended)
		json_u64(&o, "anchor_start_boottime_ns",
			 j->anchor_start_boottime_ns);
	json_u64(&o, "flags", j->flags);
	for (i = 0; i < NR_JOB_FLAGS; i++)
		json_bool(&o, job_flags[i].name, j->flags & job_flags[i].flag);
	json_u64(&o, "nr_tasks", j->nr_tasks);
	json_u64(&o, "nr_procs", j->nr_procs);
	json_u64(&o, "tasks_started", j->tasks_started);
	json_u64(&o, "tasks_exited", j->tasks_exited);
	json_u64(&o, "procs_started", j->procs_started);
	json_u64(&o, "procs_exited", j->procs_exited);
	json_u64(&o, "elapsed_ns", j->elapsed_ns);
	json_bool(&o, "ended", j->ended);
	if (j->ended) {
		json_u64(&o, "seq", j->seq);
		json_str(&o, "ended_at", time_str(j->ended_realtime_ns, t,
						  sizeof(t)));
		json_u64(&o, "ended_realtime_ns", j->ended_realtime_ns);
		json_u64(&o, "ended_boottime_ns", j->ended_boottime_ns);
	}
	if (j->ended) {
		json_str(&o, "end_state", xosjob_end_state_name(j->end_state));
		if (j->has_exit_status)
			json_u64(&o, "exit_status", j->exit_status);
		else
			json_str(&o, "exit_status", NULL);
	}
	json_str(&o, "cgroup", j->cgroup[0] ? j->cgroup : NULL);
	json_u64(&o, "cgroup_id", j->cgroup_id);
	if (j->has_limits)
		json_limits(&o, "limits", &j->limits);
	json_u64(&o, "nr_oom_killed", j->nr_oom_killed);
	json_stats(&o, "stats", &j->stats);
	if (j->restored_from)
		json_u64(&o, "restored_from", j->restored_from);
	else
		json_str(&o, "restored_from", NULL);
	if (j->has_base)
		json_stats(&o, "base_stats", &j->base);
	if (j->has_states) {
		struct json st;

		json_key(&o, "states");
		json_begin(&st, f);
		json_u64(&st, "running", j->states.running);
		json_u64(&st, "sleeping", j->states.sleeping);
		json_u64(&st, "uninterruptible", j->states.uninterruptible);
		json_u64(&st, "stopped", j->states.stopped);
		json_u64(&st, "io_wait", j->states.io_wait);
		json_u64(&st, "frozen", j->states.frozen);
		json_end(&st);
	}
	json_end(&o);
}

void print_job(FILE *f, const struct xosjob_job *j)
{
	char t[64], fl[64], u[64];

	fprintf(f, "job: %" PRIu64 "\n", j->id);
	if (j->has_label) {
		fputs("  label: ", f);
		print_text(f, j->label);
		fputc('\n', f);
	}
	fprintf(f, "  owner: %s\n", user_str(j->owner_uid, u, sizeof(u)));
	fprintf(f, "  created: %s\n",
		time_str(j->created_realtime_ns, t, sizeof(t)));
	if (j->anchor_pid)
		fprintf(f, "  anchor pid: %u\n", j->anchor_pid);
	else
		fputs("  anchor pid: - (exited or not visible)\n", f);
	fprintf(f, "  processes: %" PRIu64 "\n", j->nr_procs);
	fprintf(f, "  tasks: %" PRIu64 "\n", j->nr_tasks);
	fprintf(f, "  tasks started: %" PRIu64 "\n", j->tasks_started);
	fprintf(f, "  tasks exited: %" PRIu64 "\n", j->tasks_exited);
	fprintf(f, "  processes started: %" PRIu64 "\n", j->procs_started);
	fprintf(f, "  processes exited: %" PRIu64 "\n", j->procs_exited);
	fprintf(f, "  flags: %s\n", flags_str(j->flags, fl, sizeof(fl)));
	if (j->ended) {
		fprintf(f, "  ended: %s (record %" PRIu64 ")\n",
			time_str(j->ended_realtime_ns, t, sizeof(t)), j->seq);
		fprintf(f, "  end state: %s\n",
			xosjob_end_state_name(j->end_state));
		fprintf(f, "  exit status: %s\n",
			j->has_exit_status ?
			status_str(j->exit_status, t, sizeof(t)) :
			"- (the first process left the job)");
	}
	if (j->cgroup[0]) {
		fputs("  cgroup: ", f);
		print_text(f, j->cgroup);
		fputs(j->own_cgroup ? " (its own)\n" : "\n", f);
	} else if (j->cgroup_id) {
		fprintf(f, "  cgroup: id %" PRIu64 "\n", j->cgroup_id);
	}
	if (j->own_cgroup && !j->ended)
		fprintf(f, "  frozen: %s\n", j->frozen ? "yes" : "no");
	if (j->has_limits) {
		fputs("  limits:\n", f);
		print_limits(f, "    ", &j->limits);
	}
	if (j->nr_oom_killed)
		fprintf(f, "  killed by the OOM killer: %" PRIu64 " processes\n",
			j->nr_oom_killed);
	fprintf(f, "  elapsed: %s\n", human_ns(j->elapsed_ns, t, sizeof(t)));
	if (j->has_states)
		fprintf(f, "  states: %" PRIu64 " running, %" PRIu64
			" sleeping, %" PRIu64 " uninterruptible, %" PRIu64
			" stopped, %" PRIu64 " in I/O wait, %" PRIu64
			" frozen\n", j->states.running,
			j->states.sleeping, j->states.uninterruptible,
			j->states.stopped, j->states.io_wait, j->states.frozen);
	if (j->restored_from)
		fprintf(f, "  restored from: job %" PRIu64 "\n", j->restored_from);
	fputs("  figures:\n", f);
	print_stats(f, "    ", &j->stats);
	if (j->has_base) {
		fputs("  of which before the restart:\n", f);
		print_stats(f, "    ", &j->base);
	}
}

bool dump_next(struct dump_out *d)
{
	bool first = !d->n++;

	if (d->json)
		fputs(first ? "[\n" : ",\n", stdout);
	return first && !d->json;
}

int dump_end(struct xosjob_ctx *ctx, struct dump_out *d, int err,
	     bool interrupted, const char *what)
{
	/* the JSON stays valid; the exit status tells whether it is whole */
	if (d->json && (d->n || !err))
		fputs(d->n ? "\n]\n" : "[]\n", stdout);
	if (err)
		return fail_ctx(ctx);
	if (interrupted)
		fail("warning: %s changed while listing; run again for an exact view",
		     what);
	xosjob_close(ctx);
	return 0;
}
