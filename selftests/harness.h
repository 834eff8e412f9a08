/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kselftest harness (extracted from linux-source-6.12 at build time),
 * with every time limit scaled for slow kernels.
 *
 * A debug kernel (KASAN, lockdep, kmemleak) under TCG runs 10-20 times
 * slower than a stock one. Its runner sets XOS_TIME_SCALE (make check-debug:
 * 15), and every limit that only bounds a wait -- the harness's per-case
 * alarm, a polling loop's count, a test's own deadline or slack -- is
 * multiplied by it. Counts of work done and figures compared are never
 * scaled: a slow kernel gets more time, not a weaker check.
 *
 * The per-case alarm is a compile-time constant: TEST() puts it in a static
 * initializer. So it is scaled at build time, through the harness's own
 * knobs -- TEST_TIMEOUT_DEFAULT for every case, and XOS_TIMEOUT() in a
 * TEST_F_TIMEOUT -- by XOS_BUILD_TIME_SCALE, which selftests/Makefile sets
 * from make's XOS_TIME_SCALE (a change of it rebuilds the tests). The waits
 * inside the tests follow the runtime XOS_TIME_SCALE; a run slower than the
 * build was made for is refused up front rather than cut short by alarms.
 */
#ifndef XOS_SELFTEST_HARNESS_H
#define XOS_SELFTEST_HARNESS_H

#include <stdlib.h>

#include "kselftest_harness.h"

#ifndef XOS_BUILD_TIME_SCALE
#define XOS_BUILD_TIME_SCALE 1
#endif

/* A harness time limit of @seconds on a stock kernel, as built. */
#define XOS_TIMEOUT(seconds) ((seconds) * XOS_BUILD_TIME_SCALE)

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT XOS_TIMEOUT(30)

/* XOS_TIME_SCALE from the environment: a whole number >= 1. */
static inline int xos_time_scale(void)
{
	const char *s = getenv("XOS_TIME_SCALE");
	int n = s ? atoi(s) : 1;

	return n > 1 ? n : 1;
}

/* @n polls, seconds or nanoseconds of waiting, on this kernel. */
#define XOS_SCALED(n) ((n) * xos_time_scale())

/* Refuses a run slower than the tests were built for (see above). */
static inline void xos_check_time_scale(void)
{
	if (xos_time_scale() <= XOS_BUILD_TIME_SCALE)
		return;
	ksft_print_header();
	ksft_exit_fail_msg("XOS_TIME_SCALE=%d, but the tests were built for %d: rebuild with make XOS_TIME_SCALE=%d (make check-debug does)\n",
			   xos_time_scale(), XOS_BUILD_TIME_SCALE, xos_time_scale());
}

#undef TEST_HARNESS_MAIN
#define TEST_HARNESS_MAIN \
	int main(int argc, char **argv) \
	{ \
		xos_check_time_scale(); \
		return test_harness_run(argc, argv); \
	}

#endif
