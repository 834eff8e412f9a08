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
 */
#ifndef XOS_SELFTEST_HARNESS_H
#define XOS_SELFTEST_HARNESS_H

#include <stdlib.h>

#include "kselftest_harness.h"

/* XOS_TIME_SCALE from the environment: a whole number >= 1. */
static inline int xos_time_scale(void)
{
	const char *s = getenv("XOS_TIME_SCALE");
	int n = s ? atoi(s) : 1;

	return n > 1 ? n : 1;
}

/* @n polls, seconds or nanoseconds of waiting, on this kernel. */
#define XOS_SCALED(n) ((n) * xos_time_scale())

/* The harness arms alarm(t->timeout) per case: scale it before the run. */
static inline void xos_scale_harness_timeouts(void)
{
	int scale = xos_time_scale();
	struct __fixture_metadata *f;
	struct __test_metadata *t;

	if (scale == 1)
		return;
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout *= scale;
}

#undef TEST_HARNESS_MAIN
#define TEST_HARNESS_MAIN \
	int main(int argc, char **argv) \
	{ \
		xos_scale_harness_timeouts(); \
		return test_harness_run(argc, argv); \
	}

#endif
