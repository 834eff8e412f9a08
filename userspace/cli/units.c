// SPDX-License-Identifier: GPL-2.0
/* xosjob: times, users, durations and sizes as a person reads them. */
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"

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
