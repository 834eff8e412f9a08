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
 * A job's members, counted: a live job keeps them under its lock, a
 * snapshot and an end-of-job record copy them.
 */
struct xos_job_counts {
	u64 nr_tasks;			/* members now */
	u64 nr_procs;			/* member processes now */
	u64 tasks_started;		/* members ever, joined or created */
	u64 tasks_exited;
	u64 procs_started;
};

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
	/* every member left: no tasks, tasks_exited == tasks_started */
	struct xos_job_counts counts;
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

/**
 * xos_record_init() - the ring's per-owner count lists
 *
 * Return: 0, -EINVAL when the ended_ring parameter is 0, or -ENOMEM.
 */
int xos_record_init(void);
/**
 * xos_record_stop() - stops notifications
 *
 * Call before the genl family goes away: the worker sends nothing after.
 */
void xos_record_stop(void);
/**
 * xos_record_uninit() - frees the ring
 *
 * After the probes are gone (no job can end any more).
 */
void xos_record_uninit(void);

/**
 * xos_record_alloc() - a job's record, made when the job is
 * @id: the job's id, whose slot is reserved now
 * @label: copied; may be NULL
 * @owner: the owner the record is counted for
 *
 * Process context. Reserving the slot and counting the record now makes
 * the push, in the exit probe, unable to fail.
 *
 * Return: the record, or NULL when out of memory.
 */
struct xos_job_record *xos_record_alloc(u64 id, const char *label,
					kuid_t owner);
/**
 * xos_record_discard() - frees a record that was never pushed
 * @rec: the record of a job still live at module unload
 */
void xos_record_discard(struct xos_job_record *rec);
/**
 * xos_record_push() - numbers a filled record and publishes it
 * @rec: from xos_record_alloc(), immutable from now on
 *
 * Any context, never sleeps. A full ring drops the oldest record of an
 * owner holding the most; the notification worker is kicked.
 */
void xos_record_push(struct xos_job_record *rec);

/**
 * xos_record_by_id() - the kept record of a job
 * @id: the job's id
 *
 * Under rcu_read_lock(), process context. The kept records' numbers may
 * have gaps: a full ring drops the oldest record of an owner holding the
 * most (see record.c).
 *
 * Return: the record, or NULL when unknown or dropped from the ring.
 */
struct xos_job_record *xos_record_by_id(u64 id);
/**
 * xos_record_by_seq() - the kept record numbered @seq
 * @seq: its sequence number
 *
 * As xos_record_by_id().
 *
 * Return: the record, or NULL when unknown or dropped from the ring.
 */
struct xos_job_record *xos_record_by_seq(u64 seq);
/**
 * xos_record_next() - the kept record with the lowest number >= @seq
 * @seq: where to start
 *
 * As xos_record_by_id().
 *
 * Return: the record, or NULL when none is kept from @seq on.
 */
struct xos_job_record *xos_record_next(u64 seq);
/**
 * xos_record_last_seq() - the last pushed sequence number
 *
 * Return: the number, 0 before any job ended. A record this new is in
 * the ring (or was dropped already).
 */
u64 xos_record_last_seq(void);
/**
 * xos_record_oldest_seq() - the lowest sequence number still kept
 *
 * Return: the number, 0 before any job ended.
 */
u64 xos_record_oldest_seq(void);
/**
 * xos_record_dropped_seq() - the highest sequence number ever dropped
 *
 * Return: the number (0: none), which never decreases.
 */
u64 xos_record_dropped_seq(void);

#endif /* _XOS_JOB_RECORD_H */
