// SPDX-License-Identifier: GPL-2.0
/* xosjob: numbers, durations, job ids, pids and uids from the command line. */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
