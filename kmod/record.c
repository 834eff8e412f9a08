// SPDX-License-Identifier: GPL-2.0
/*
 * The ring of end-of-job records and their notification.
 *
 * A record is pushed from the exit probe (atomic) when a job's last member
 * leaves. It gets the next sequence number and a slot in a fixed array
 * (seq % xos_job_ended_ring), replacing the oldest record; it is also
 * published by job id in xos_record_ids, whose slot was reserved when the
 * job was created. A worker then multicasts every record in sequence
 * order from process context. A consumer that missed some (it was down, or
 * its socket overflowed) reads them back by sequence number.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "netlink.h"
#include "record.h"

unsigned int xos_job_ended_ring = 4096;

/*
 * xos_record_lock (a plain spinlock: never taken from interrupts) protects
 * the ring slots, xos_record_seq and the stores into xos_record_ids.
 * Readers of slots and of xos_record_ids hold rcu_read_lock(); a record
 * dropped from the ring is freed after a grace period.
 */
static DEFINE_SPINLOCK(xos_record_lock);
static struct xos_job_record __rcu **xos_record_ring;
/*
 * Last pushed. Stored with release after the slot, read with acquire
 * outside the lock: a reader that sees a sequence number also sees its
 * slot filled, and never takes a record for dropped that was just pushed
 * (a dump would flag NLM_F_DUMP_INTR for nothing).
 */
static u64 xos_record_seq;
/* job id -> pushed record; slots reserved by xos_record_alloc() */
static DEFINE_XARRAY(xos_record_ids);

/* The notification worker; xos_record_sent is only touched by it. */
static void xos_record_notify(struct work_struct *work);
static DECLARE_WORK(xos_record_work, xos_record_notify);
static u64 xos_record_sent;
/* Serializes a send against xos_record_stop(). */
static DEFINE_MUTEX(xos_record_send_lock);
static bool xos_record_stopping;	/* under xos_record_send_lock */

static void xos_record_free(struct xos_job_record *rec)
{
	kfree(rec->label);
	kfree(rec);
}

static void xos_record_free_rcu(struct rcu_head *rcu)
{
	xos_record_free(container_of(rcu, struct xos_job_record, rcu));
}

struct xos_job_record *xos_record_alloc(u64 id, const char *label)
{
	struct xos_job_record *rec;

	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return NULL;
	if (label) {
		rec->label = kstrdup(label, GFP_KERNEL);
		if (!rec->label)
			goto err;
	}
	rec->id = id;
	if (xa_reserve(&xos_record_ids, id, GFP_KERNEL))
		goto err;
	return rec;
err:
	xos_record_free(rec);
	return NULL;
}

void xos_record_discard(struct xos_job_record *rec)
{
	xa_release(&xos_record_ids, rec->id);
	xos_record_free(rec);
}

void xos_record_push(struct xos_job_record *rec)
{
	struct xos_job_record *old;
	unsigned int slot;

	spin_lock(&xos_record_lock);
	rec->seq = xos_record_seq + 1;
	slot = rec->seq % xos_job_ended_ring;
	old = rcu_dereference_protected(xos_record_ring[slot],
					lockdep_is_held(&xos_record_lock));
	if (old)
		xa_erase(&xos_record_ids, old->id);
	/* the slot was reserved: this store does not allocate */
	xa_store(&xos_record_ids, rec->id, rec, GFP_ATOMIC);
	rcu_assign_pointer(xos_record_ring[slot], rec);
	/* pairs with the readers' acquire: the slot is filled first */
	smp_store_release(&xos_record_seq, rec->seq);
	spin_unlock(&xos_record_lock);
	if (old)
		call_rcu(&old->rcu, xos_record_free_rcu);
	schedule_work(&xos_record_work);
}

struct xos_job_record *xos_record_by_id(u64 id)
{
	return xa_load(&xos_record_ids, id);
}

struct xos_job_record *xos_record_by_seq(u64 seq)
{
	struct xos_job_record *rec;

	/* pairs with the push's release: a slot at least as new as @seq */
	if (!seq || seq > smp_load_acquire(&xos_record_seq))
		return NULL;
	rec = rcu_dereference(xos_record_ring[seq % xos_job_ended_ring]);
	return rec && rec->seq == seq ? rec : NULL;
}

u64 xos_record_last_seq(void)
{
	/* pairs with the push's release, as in xos_record_by_seq() */
	return smp_load_acquire(&xos_record_seq);
}

u64 xos_record_oldest_seq(void)
{
	/* pairs with the push's release, as in xos_record_by_seq() */
	u64 last = smp_load_acquire(&xos_record_seq);

	if (!last)
		return 0;
	return last > xos_job_ended_ring ? last - xos_job_ended_ring + 1 : 1;
}

/* Sends records xos_record_sent+1 .. last, skipping dropped ones. */
static void xos_record_notify(struct work_struct *work)
{
	u64 last = xos_record_last_seq();

	mutex_lock(&xos_record_send_lock);
	while (!xos_record_stopping && xos_record_sent < last) {
		u64 seq = max(xos_record_sent + 1, xos_record_oldest_seq());

		xos_job_nl_notify_ended(seq);
		xos_record_sent = seq;
		cond_resched();
	}
	mutex_unlock(&xos_record_send_lock);
}

int xos_record_init(void)
{
	if (!xos_job_ended_ring) {
		pr_err("ended_ring must be at least 1\n");
		return -EINVAL;
	}
	xos_record_ring = kvcalloc(xos_job_ended_ring, sizeof(*xos_record_ring),
				   GFP_KERNEL);
	return xos_record_ring ? 0 : -ENOMEM;
}

void xos_record_stop(void)
{
	mutex_lock(&xos_record_send_lock);
	xos_record_stopping = true;
	mutex_unlock(&xos_record_send_lock);
}

void xos_record_exit(void)
{
	unsigned int i;

	cancel_work_sync(&xos_record_work);
	if (!xos_record_ring)
		return;
	for (i = 0; i < xos_job_ended_ring; i++) {
		struct xos_job_record *rec;

		rec = rcu_dereference_protected(xos_record_ring[i], true);
		if (rec)
			xos_record_free(rec);
	}
	xa_destroy(&xos_record_ids);
	kvfree(xos_record_ring);
	xos_record_ring = NULL;
}
