/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Following end-of-job records without a gap or a repeat (monitor,
 * collect). Records carry sequence numbers that rise by one; the follower
 * hands each one to emit() exactly once, in order. When some are missing
 * (a gap in the numbers, or ENOBUFS after the socket overflowed), it reads
 * them back from the kernel's ring of ended jobs first, marked recovered.
 * Records the ring no longer holds are counted in @lost and reported.
 */
#ifndef XOSJOB_FOLLOW_H
#define XOSJOB_FOLLOW_H

#include "cli.h"

#define FOLLOW_DONE (-1)

struct follower {
	struct xosjob_ctx *events;	/* subscribed: events only */
	struct xosjob_ctx *query;	/* reads the ring */
	uint64_t last_seq;		/* last record emitted (or lost) */
	uint64_t lost;			/* records gone from the ring too */
	/*
	 * Called for each creation event and each record; returns 0 to go
	 * on, FOLLOW_DONE to stop following, or EXIT_FAIL.
	 */
	int (*emit)(struct follower *f, int cmd, const struct xosjob_job *job,
		    bool recovered);
	void *arg;
	/* private */
	uint64_t until_seq;
	int stop;
};

/* Opens the two contexts (printing why on failure): 0 or EXIT_FAIL. */
int follow_open(struct follower *f);
void follow_close(struct follower *f);

/*
 * Emits the kept records after f->last_seq and before @until (0: all).
 * Returns 0, FOLLOW_DONE or EXIT_FAIL.
 */
int follow_fill(struct follower *f, uint64_t until);
/*
 * Waits for the next event (up to @timeout_ms, -1: for ever) and handles
 * it. Returns 0 (go on, or nothing came), FOLLOW_DONE (emit() said
 * stop), or EXIT_FAIL. EINTR from a signal returns 0.
 */
int follow_next(struct follower *f, int timeout_ms);

#endif
