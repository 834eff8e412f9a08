// SPDX-License-Identifier: GPL-2.0
/* xosjob: errors, option and number parsing, job output. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"

static void vreport(const char *fmt, va_list ap)
{
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
	return fail("%s", xosjob_strerror(ctx));
}

struct xosjob_ctx *open_ctx(void)
{
	struct xosjob_ctx *ctx;
	int err = xosjob_open(&ctx);

	if (err == -ENOENT) {
		fail("the xos_job module is not loaded (modprobe xos_job)");
		return NULL;
	}
	if (err) {
		fail("cannot open a generic netlink socket: %s", strerror(-err));
		return NULL;
	}
	return ctx;
}

static const struct option_spec *find_opt(const struct option_spec *opts,
					  const char *a)
{
	for (; opts && opts->name; opts++) {
		if (a[1] == '-' && !strcmp(a + 2, opts->name))
			return opts;
		if (a[1] != '-' && a[1] == opts->short_name && !a[2])
			return opts;
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
		char *a = argv[i];

		if (rest || a[0] != '-' || !a[1]) {
			argv[n++] = a;
			if (stop_at_arg)
				rest = true;
			continue;
		}
		if (!strcmp(a, "--")) {
			rest = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			subcommand_help(stdout);
			return -1;
		}
		if (json && !strcmp(a, "--json")) {
			*json = true;
			continue;
		}
		o = find_opt(opts, a);
		if (!o) {
			usage_error("unknown option '%s'", a);
			return -2;
		}
		if (o->flag) {
			*o->flag = true;
			continue;
		}
		if (i + 1 >= argc) {
			usage_error("option '%s' needs a value", a);
			return -2;
		}
		*o->value = argv[++i];
	}
	argv[n] = NULL;
	return n;
}

bool parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || !*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > max)
		return false;
	*v = x;
	return true;
}

bool parse_job_id(const char *s, uint64_t *id)
{
	if (parse_u64(s, UINT64_MAX, id) && *id)
		return true;
	usage_error("'%s' is not a job id (a number from 1)", s);
	return false;
}

bool parse_pid(const char *s, uint32_t *pid)
{
	uint64_t v;

	if (parse_u64(s, 4194304, &v) && v) {
		*pid = v;
		return true;
	}
	usage_error("'%s' is not a pid", s);
	return false;
}

int parse_signal(const char *s)
{
	uint64_t v;
	int i;

	if (parse_u64(s, 64, &v))
		return v;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 1; i < NSIG; i++) {
		const char *name = sigabbrev_np(i);

		if (name && !strcasecmp(s, name))
			return i;
	}
	return -1;
}

int end_dump(struct xosjob_ctx *ctx, bool json, int err, bool intr,
	     const char *what)
{
	int ret = 0;

	if (json)
		puts("]");
	if (err)
		ret = fail_ctx(ctx);
	else if (intr)
		fprintf(stderr, "%s: %s: %s changed while listing; run again for an exact view\n",
			prog, subcmd, what);
	xosjob_close(ctx);
	return ret;
}

void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

const char *flags_str(uint32_t flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s",
		 flags & XOS_JOB_F_INCOMPLETE ? "incomplete" : "",
		 (flags & XOS_JOB_F_INCOMPLETE) && (flags & XOS_JOB_F_KILLED) ?
		 "," : "",
		 flags & XOS_JOB_F_KILLED ? "killed" : "");
	if (!buf[0])
		snprintf(buf, len, "-");
	return buf;
}

const char *time_str(uint64_t realtime_ns, char *buf, size_t len)
{
	time_t t = realtime_ns / 1000000000ULL;
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm))
		snprintf(buf, len, "%" PRIu64, realtime_ns);
	return buf;
}

void json_job(FILE *f, const struct xosjob_job *j)
{
	fprintf(f, "{\"id\":%" PRIu64 ",\"label\":", j->id);
	if (j->has_label)
		json_string(f, j->label);
	else
		fputs("null", f);
	fprintf(f, ",\"owner_uid\":%u,\"created_realtime_ns\":%" PRIu64
		",\"created_boottime_ns\":%" PRIu64 ",\"anchor_pid\":%u"
		",\"incomplete\":%s,\"killed\":%s,\"nr_tasks\":%" PRIu64
		",\"nr_procs\":%" PRIu64 ",\"tasks_started\":%" PRIu64
		",\"tasks_exited\":%" PRIu64 "}",
		j->owner_uid, j->created_realtime_ns, j->created_boottime_ns,
		j->anchor_pid,
		j->flags & XOS_JOB_F_INCOMPLETE ? "true" : "false",
		j->flags & XOS_JOB_F_KILLED ? "true" : "false",
		j->nr_tasks, j->nr_procs, j->tasks_started, j->tasks_exited);
}

void print_job(FILE *f, const struct xosjob_job *j)
{
	char t[64], fl[32];

	fprintf(f, "job %" PRIu64 "\n", j->id);
	if (j->has_label)
		fprintf(f, "  label:     %s\n", j->label);
	fprintf(f, "  owner:     uid %u\n", j->owner_uid);
	fprintf(f, "  created:   %s\n", time_str(j->created_realtime_ns, t, sizeof(t)));
	fprintf(f, "  anchor:    pid %u\n", j->anchor_pid);
	fprintf(f, "  processes: %" PRIu64 " (%" PRIu64 " tasks)\n",
		j->nr_procs, j->nr_tasks);
	fprintf(f, "  started:   %" PRIu64 " tasks, %" PRIu64 " exited\n",
		j->tasks_started, j->tasks_exited);
	fprintf(f, "  flags:     %s\n", flags_str(j->flags, fl, sizeof(fl)));
}
