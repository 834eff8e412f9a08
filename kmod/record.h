/* SPDX-License-Identifier: GPL-2.0 */
/*
 * End-of-job records: the ring of ended jobs, lookups by id and by
 * sequence number, and the worker that multicasts them.
 */
#ifndef _XOS_JOB_RECORD_H
#define _XOS_JOB_RECORD_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include "acct.h"

struct xos_record_owner;
struct xos_job_limits;

/*
 * The final figures of one job. Allocated with the job, so that ending a
 * job never allocates (it happens in the exit probe, where an allocation
 * could fail and lose the record). Filled under the job's lock when its
 * last member leaves, then immutable once pushed; freed after an RCU grace
 * period when the ring drops it. Readers hold rcu_read_lock().
 */
struct xos_job_record {
	u64 seq;			/* set by xos_record_push() */
	u64 id;
	kuid_t owner;			/* set by xos_record_alloc() */
	/*
	 * The ring's own links, under its lock (record.c): the tree by
	 * sequence number and the owner's records, oldest first. Readers
	 * never follow them once they hold the record.
	 */
	struct xos_record_owner *holder;
	struct rb_node node;
	struct list_head holder_node;
	char *label;			/* may be NULL */
	u64 created_real_ns;
	u64 created_boot_ns;
	u64 ended_real_ns;
	u64 ended_boot_ns;
	u32 flags;
	bool delayacct_on;		/* at the job's creation */
	u64 tasks_started;
	u64 procs_started;
	struct xos_acct acct;
	/* why it ended (uapi XOS_JOB_A_END_STATE, EXIT_STATUS: -1 none) */
	u8 end_state;
	int exit_status;
	u64 nr_oom_killed;
	u64 cgroup_id;			/* 0: none recorded */
	/* the job's limits, a copy made with the record; may be NULL */
	struct xos_job_limits *limits;
	/* a restored job's origin and base figures (copies; NULL: none) */
	u64 restored_from;
	struct xos_acct *base;
	struct rcu_head rcu;
};

extern unsigned int xos_job_ended_ring;

int xos_record_init(void);
/* Stops notifications: call before the genl family goes away. */
void xos_record_stop(void);
/* After the probes are gone: frees the ring. */
void xos_record_exit(void);

/*
 * Process context. Reserves the id's slot and counts the record for
 * @owner, so that the push cannot fail.
 */
struct xos_job_record *xos_record_alloc(u64 id, const char *label,
					kuid_t owner);
/* A record that was never pushed (module unload with the job live). */
void xos_record_discard(struct xos_job_record *rec);
/* Any context, never sleeps: numbers the record and publishes it. */
void xos_record_push(struct xos_job_record *rec);

/*
 * Under rcu_read_lock(), process context; NULL when unknown or dropped
 * from the ring. The kept records' numbers may have gaps: a full ring
 * drops the oldest record of an owner holding the most (see record.c).
 */
struct xos_job_record *xos_record_by_id(u64 id);
struct xos_job_record *xos_record_by_seq(u64 seq);
/* The kept record with the lowest sequence number >= @seq, or NULL. */
struct xos_job_record *xos_record_next(u64 seq);
/* Last pushed sequence number (0: none) and the lowest still kept. */
u64 xos_record_last_seq(void);
u64 xos_record_oldest_seq(void);
/* The highest sequence number ever dropped (0: none); never decreases. */
u64 xos_record_dropped_seq(void);

#endif /* _XOS_JOB_RECORD_H */
