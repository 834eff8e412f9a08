// SPDX-License-Identifier: GPL-2.0
/*
 * The ring of end-of-job records and their notification.
 *
 * A record is pushed from the exit probe (atomic) when a job's last member
 * leaves. It gets the next sequence number and is kept in a tree by that
 * number; it is also published by job id in xos_record_ids, whose slot was
 * reserved when the job was created. A worker then multicasts every record
 * in sequence order from process context. A consumer that missed some (it
 * was down, or its socket overflowed) reads them back by sequence number.
 *
 * The ring holds at most ended_ring records. When a push makes one too
 * many, the record dropped is the oldest one of an owner (job owner uid)
 * that holds the most records, so that one user's flood of short jobs
 * pushes out its own records, not the few of other users. On a tie the
 * pusher's own record goes last. The kept numbers then have gaps: a record
 * dropped is lost for every consumer that had not read it, as before, and
 * INFO's OLDEST_SEQ is the lowest number still kept, not the start of a
 * run without gaps.
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
 * The records of one owner: created in process context by the first
 * xos_record_alloc() for it, freed (any context, under xos_record_lock)
 * once it has neither a pending record (a live job) nor a kept one.
 */
struct xos_record_owner {
	kuid_t uid;
	unsigned int nr_pending;	/* allocated, not pushed yet */
	unsigned int nr_kept;		/* in the ring */
	struct list_head records;	/* kept, oldest first */
	struct list_head by_count;	/* xos_record_counts[nr_kept] */
};

/*
 * xos_record_lock (a plain spinlock: never taken from interrupts; the exit
 * probe takes it under a job's lock) protects everything below but the
 * notification worker's state: the tree, the owners and their counts,
 * xos_record_seq, xos_record_oldest, xos_record_dropped, and the stores
 * into xos_record_ids and xos_record_owners (whose own xa_lock nests
 * inside it). Pushes and drops never allocate.
 *
 * Readers of records hold rcu_read_lock(): a record dropped from the ring
 * is freed after a grace period. Lookups by id are lockless (xarray);
 * lookups by sequence number walk the tree under the lock. The three
 * numbers are read with READ_ONCE() outside it.
 */
static DEFINE_SPINLOCK(xos_record_lock);
static struct rb_root_cached xos_record_tree = RB_ROOT_CACHED;
static unsigned int xos_record_nr;	/* records in the tree */
/*
 * Last pushed. Stored with release after the record is in the tree, read
 * with acquire outside the lock: a reader that sees a sequence number also
 * finds its record, and never takes a record for dropped that was just
 * pushed (a dump would flag NLM_F_DUMP_INTR for nothing).
 */
static u64 xos_record_seq;
static u64 xos_record_oldest;		/* lowest kept, 0: none */
static u64 xos_record_dropped;		/* highest dropped, 0: none */
/* job id -> pushed record; slots reserved by xos_record_alloc() */
static DEFINE_XARRAY(xos_record_ids);
/* uid -> struct xos_record_owner */
static DEFINE_XARRAY(xos_record_owners);
/*
 * Owners by the number of records they keep: list n holds those that
 * keep n (1 <= n <= ended_ring + 1, one more during a push), in the order
 * they came to n. xos_record_max is the highest n whose list is not empty.
 */
static struct list_head *xos_record_counts;
static unsigned int xos_record_max;

/* The notification worker; xos_record_sent is only touched by it. */
static void xos_record_notify(struct work_struct *work);
static DECLARE_WORK(xos_record_work, xos_record_notify);
static u64 xos_record_sent;
/* Serializes a send against xos_record_stop(). */
static DEFINE_MUTEX(xos_record_send_lock);
static bool xos_record_stopping;	/* under xos_record_send_lock */

static void xos_record_free(struct xos_job_record *rec)
{
	kfree(rec->base);
	kfree(rec->limits);
	kfree(rec->label);
	kfree(rec);
}

static void xos_record_free_rcu(struct rcu_head *rcu)
{
	xos_record_free(container_of(rcu, struct xos_job_record, rcu));
}

/**
 * xos_record_owner_get() - an owner's entry, with one more pending record
 * @uid: the owner
 *
 * Process context.
 *
 * Return: the entry, or NULL when out of memory.
 */
static struct xos_record_owner *xos_record_owner_get(kuid_t uid)
{
	struct xos_record_owner *o, *new;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return NULL;
	/* so that storing a new entry under the spinlock needs no memory */
	if (xa_reserve(&xos_record_owners, __kuid_val(uid), GFP_KERNEL)) {
		kfree(new);
		return NULL;
	}
	spin_lock(&xos_record_lock);
	o = xa_load(&xos_record_owners, __kuid_val(uid));
	if (!o) {
		new->uid = uid;
		INIT_LIST_HEAD(&new->records);
		INIT_LIST_HEAD(&new->by_count);
		/*
		 * The reservation is gone only if the uid's old entry was
		 * erased meanwhile; then this store may allocate.
		 */
		if (xa_is_err(xa_store(&xos_record_owners, __kuid_val(uid),
				       new, GFP_ATOMIC))) {
			spin_unlock(&xos_record_lock);
			kfree(new);
			return NULL;
		}
		o = new;
		new = NULL;
	}
	o->nr_pending++;
	spin_unlock(&xos_record_lock);
	kfree(new);
	return o;
}

/* Under xos_record_lock: frees @o once it holds nothing. */
static void xos_record_owner_put_locked(struct xos_record_owner *o)
{
	if (o->nr_pending || o->nr_kept)
		return;
	xa_erase(&xos_record_owners, __kuid_val(o->uid));
	kfree(o);
}

/**
 * xos_record_set_kept() - moves an owner to the count list of @n records
 * @o: the owner, under xos_record_lock
 * @n: the records it keeps now
 */
static void xos_record_set_kept(struct xos_record_owner *o, unsigned int n)
{
	if (o->nr_kept)
		list_del(&o->by_count);
	o->nr_kept = n;
	if (n) {
		list_add_tail(&o->by_count, &xos_record_counts[n]);
		xos_record_max = max(xos_record_max, n);
	}
	/* counts move by one: this loop runs once at most */
	while (xos_record_max &&
	       list_empty(&xos_record_counts[xos_record_max]))
		xos_record_max--;
}

/* Under xos_record_lock: the owner whose oldest record goes. */
static struct xos_record_owner *
xos_record_victim(struct xos_record_owner *pusher)
{
	struct list_head *top = &xos_record_counts[xos_record_max];
	struct xos_record_owner *o;

	o = list_first_entry(top, struct xos_record_owner, by_count);
	if (o == pusher && !list_is_singular(top))
		o = list_next_entry(o, by_count);
	return o;
}

/**
 * xos_record_drop_locked() - unlinks an owner's oldest record
 * @o: the owner, under xos_record_lock
 *
 * Return: the record, which the caller frees after a grace period.
 */
static struct xos_job_record *xos_record_drop_locked(struct xos_record_owner *o)
{
	struct xos_job_record *old;

	old = list_first_entry(&o->records, struct xos_job_record,
			       holder_node);
	list_del(&old->holder_node);
	rb_erase_cached(&old->node, &xos_record_tree);
	xa_erase(&xos_record_ids, old->id);
	xos_record_nr--;
	if (old->seq > xos_record_dropped)
		WRITE_ONCE(xos_record_dropped, old->seq);
	old->holder = NULL;
	xos_record_set_kept(o, o->nr_kept - 1);
	xos_record_owner_put_locked(o);
	return old;
}

struct xos_job_record *xos_record_alloc(u64 id, const char *label,
					kuid_t owner)
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
	rec->owner = owner;
	if (xa_reserve(&xos_record_ids, id, GFP_KERNEL))
		goto err;
	rec->holder = xos_record_owner_get(owner);
	if (!rec->holder) {
		xa_release(&xos_record_ids, id);
		goto err;
	}
	return rec;
err:
	xos_record_free(rec);
	return NULL;
}

void xos_record_discard(struct xos_job_record *rec)
{
	spin_lock(&xos_record_lock);
	rec->holder->nr_pending--;
	xos_record_owner_put_locked(rec->holder);
	spin_unlock(&xos_record_lock);
	xa_release(&xos_record_ids, rec->id);
	xos_record_free(rec);
}

static bool xos_record_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct xos_job_record, node)->seq <
	       rb_entry(b, struct xos_job_record, node)->seq;
}

void xos_record_push(struct xos_job_record *rec)
{
	struct xos_record_owner *o = rec->holder;
	struct xos_job_record *old = NULL;

	spin_lock(&xos_record_lock);
	rec->seq = xos_record_seq + 1;
	o->nr_pending--;
	list_add_tail(&rec->holder_node, &o->records);
	xos_record_set_kept(o, o->nr_kept + 1);
	/* the highest number: a walk down the right edge */
	rb_add_cached(&rec->node, &xos_record_tree, xos_record_less);
	/* the slot was reserved: this store does not allocate */
	xa_store(&xos_record_ids, rec->id, rec, GFP_ATOMIC);
	if (++xos_record_nr > xos_job_ended_ring)
		old = xos_record_drop_locked(xos_record_victim(o));
	WRITE_ONCE(xos_record_oldest,
		   rb_entry(rb_first_cached(&xos_record_tree),
			    struct xos_job_record, node)->seq);
	/* pairs with the readers' acquire: the record is in the tree first */
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

struct xos_job_record *xos_record_next(u64 seq)
{
	struct xos_job_record *rec, *found = NULL;
	struct rb_node *n;

	spin_lock(&xos_record_lock);
	n = xos_record_tree.rb_root.rb_node;
	while (n) {
		rec = rb_entry(n, struct xos_job_record, node);
		if (rec->seq >= seq) {
			found = rec;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	spin_unlock(&xos_record_lock);
	return found;
}

struct xos_job_record *xos_record_by_seq(u64 seq)
{
	struct xos_job_record *rec = xos_record_next(seq);

	return rec && rec->seq == seq ? rec : NULL;
}

u64 xos_record_last_seq(void)
{
	/* pairs with the push's release: a record this new is in the tree */
	return smp_load_acquire(&xos_record_seq);
}

u64 xos_record_oldest_seq(void)
{
	return READ_ONCE(xos_record_oldest);
}

u64 xos_record_dropped_seq(void)
{
	return READ_ONCE(xos_record_dropped);
}

/**
 * xos_record_notify() - the worker: multicasts the records not sent yet
 * @work: xos_record_work
 *
 * The kept records after xos_record_sent up to the last, in order.
 */
static void xos_record_notify(struct work_struct *work)
{
	u64 last = xos_record_last_seq();

	mutex_lock(&xos_record_send_lock);
	while (!xos_record_stopping && xos_record_sent < last) {
		struct xos_job_record *rec;
		u64 seq;

		rcu_read_lock();
		rec = xos_record_next(xos_record_sent + 1);
		seq = rec ? min(rec->seq, last + 1) : last + 1;
		rcu_read_unlock();
		if (seq > last) {
			xos_record_sent = last;
			break;
		}
		xos_job_nl_notify_ended(seq);
		xos_record_sent = seq;
		cond_resched();
	}
	mutex_unlock(&xos_record_send_lock);
}

int xos_record_init(void)
{
	unsigned int i;

	if (!xos_job_ended_ring) {
		pr_err("ended_ring must be at least 1\n");
		return -EINVAL;
	}
	/* counts 1 .. ended_ring + 1 (index 0 unused) */
	xos_record_counts = kvcalloc((size_t)xos_job_ended_ring + 2,
				     sizeof(*xos_record_counts), GFP_KERNEL);
	if (!xos_record_counts)
		return -ENOMEM;
	for (i = 0; i < xos_job_ended_ring + 2; i++)
		INIT_LIST_HEAD(&xos_record_counts[i]);
	return 0;
}

void xos_record_stop(void)
{
	mutex_lock(&xos_record_send_lock);
	xos_record_stopping = true;
	mutex_unlock(&xos_record_send_lock);
}

void xos_record_uninit(void)
{
	struct xos_record_owner *o;
	struct rb_node *n;
	unsigned long uid;

	cancel_work_sync(&xos_record_work);
	if (!xos_record_counts)
		return;
	/* no push or reader is left: plain frees */
	while ((n = rb_first_cached(&xos_record_tree))) {
		rb_erase_cached(n, &xos_record_tree);
		xos_record_free(rb_entry(n, struct xos_job_record, node));
	}
	xa_destroy(&xos_record_ids);
	/* every job's pending record was discarded before */
	xa_for_each(&xos_record_owners, uid, o)
		kfree(o);
	xa_destroy(&xos_record_owners);
	kvfree(xos_record_counts);
	xos_record_counts = NULL;
}
