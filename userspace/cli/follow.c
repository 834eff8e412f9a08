// SPDX-License-Identifier: GPL-2.0
/* Gap-free following of end-of-job records: see follow.h. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>

#include "follow.h"

int follow_open(struct follower *f)
{
	f->events = open_ctx();
	if (!f->events)
		return EXIT_FAIL;
	f->query = open_ctx();
	if (!f->query) {
		xosjob_close(f->events);
		return EXIT_FAIL;
	}
	return 0;
}

void follow_close(struct follower *f)
{
	xosjob_close(f->events);
	xosjob_close(f->query);
}

static int fill_one(const struct xosjob_job *job, void *arg)
{
	struct follower *f = arg;

	if (f->stop || (f->until_seq && job->seq >= f->until_seq))
		return -ECANCELED;	/* stops the dump */
	if (job->seq <= f->last_seq)
		return 0;
	if (job->seq != f->last_seq + 1) {
		fail("records %" PRIu64 "..%" PRIu64 " are lost: the ring "
		     "(module parameter ended_ring) no longer holds them",
		     f->last_seq + 1, job->seq - 1);
		f->lost += job->seq - f->last_seq - 1;
	}
	f->last_seq = job->seq;
	f->stop = f->emit(f, XOS_JOB_CMD_ENDED_NTF, job, true);
	return f->stop ? -ECANCELED : 0;
}

int follow_fill(struct follower *f, uint64_t until)
{
	bool intr = false;
	int err;

	f->until_seq = until;
	err = xosjob_list_ended(f->query, f->last_seq + 1, fill_one, f, &intr);
	if (f->stop)
		return f->stop;
	if (err < 0 && err != -ECANCELED)
		return fail("cannot read the ring: %s",
			    ctx_error(f->query));
	/* records dropped while reading: counted here, never emitted */
	if (until && f->last_seq + 1 < until) {
		fail("records %" PRIu64 "..%" PRIu64 " are lost: the ring no "
		     "longer holds them", f->last_seq + 1, until - 1);
		f->lost += until - 1 - f->last_seq;
		f->last_seq = until - 1;
	}
	return 0;
}

int follow_next(struct follower *f, int timeout_ms)
{
	struct pollfd p = { .fd = xosjob_fd(f->events), .events = POLLIN };
	struct xosjob_job job;
	int cmd, err;

	err = poll(&p, 1, timeout_ms);
	if (err < 0 && errno != EINTR)
		return fail("poll: %m");
	if (err <= 0)
		return 0;
	err = xosjob_event_next(f->events, &cmd, &job);
	if (err == -ENOBUFS) {
		fail("the receive buffer overflowed; reading the missed "
		     "records from the ring (lost creation events cannot be "
		     "recovered)");
		return follow_fill(f, 0);
	}
	if (err)
		return fail("%s", ctx_error(f->events));
	if (cmd != XOS_JOB_CMD_ENDED_NTF)
		return f->emit(f, cmd, &job, false);
	if (job.seq <= f->last_seq)
		return 0;	/* already emitted from the ring */
	if (job.seq != f->last_seq + 1) {
		err = follow_fill(f, job.seq);
		if (err)
			return err;
	}
	f->last_seq = job.seq;
	return f->emit(f, cmd, &job, false);
}
