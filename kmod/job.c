// SPDX-License-Identifier: GPL-2.0
/*
 * Jobs and their members: the tables, joining and leaving, kill.
 * See job.h for the locking rules.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/mempool.h>
#include <linux/oom.h>
#include <linux/cred.h>
#include <linux/rhashtable.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "compat.h"
#include "job.h"

/* Tries of xos_job_adopt() against a process that keeps making threads. */
#define XOS_JOB_ADOPT_TRIES 8
/* Walks of a JOB_KILL; see xos_job_kill(). */
#define XOS_JOB_KILL_PASSES 8

unsigned int xos_job_max_jobs = 65536;
unsigned int xos_job_max_jobs_per_user = 4096;
unsigned int xos_job_admin_reserve = 256;

/*
 * Live jobs per owner: kuid value -> xa_mk_value(count), no entry for 0.
 * Raised in xos_job_create() (genl_mutex held: creations never race each
 * other) by compare and exchange, lowered under the xa_lock when a job
 * ends, from any context (the exit probe included): replacing or erasing
 * an entry never allocates. Erased at unload (xos_job_uninit()).
 */
static DEFINE_XARRAY(xos_job_per_user);

static struct kmem_cache *xos_task_cache;

/*
 * Entries the fork probe takes when its GFP_ATOMIC allocation fails, so
 * that a member is not lost to a passing shortage of atomic memory. Every
 * entry freed goes back to it while it is below its size; a worker tops it
 * up with GFP_KERNEL as soon as the probe has used it. Only a burst of more
 * than task_reserve (module parameter) failed allocations before the
 * worker runs loses members (flagged XOS_JOB_F_INCOMPLETE and counted in
 * alloc_failures). Its entries sit in the xos_task cache while the module
 * is loaded. 0 turns it off; the cap keeps a mistyped value from pinning
 * megabytes (mempool_init() kmallocs one pointer per entry, and a WARN for
 * an array too large for the page allocator).
 */
#define XOS_TASK_RESERVE_MAX 65536
unsigned int xos_job_task_reserve = 256;
static mempool_t *xos_task_reserve;

static void xos_task_reserve_refill(struct work_struct *work)
{
	while (READ_ONCE(xos_task_reserve->curr_nr) <
	       xos_task_reserve->min_nr) {
		void *x = kmem_cache_alloc(xos_task_cache, GFP_KERNEL);

		if (!x)
			break;
		/* kept while the reserve is short, freed otherwise */
		mempool_free(x, xos_task_reserve);
	}
}

static DECLARE_WORK(xos_task_refill_work, xos_task_reserve_refill);

/* The fork probe's entry: the slab, or the reserve. Never sleeps. */
static struct xos_task *xos_task_alloc_atomic(void)
{
	struct xos_task *xt;

	/* the slab first, without mempool_alloc()'s layers: this is per fork */
	xt = kmem_cache_alloc(xos_task_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (unlikely(!xt))
		xt = mempool_alloc(xos_task_reserve, GFP_ATOMIC | __GFP_NOWARN);
	/*
	 * On every allocation, not only a failed one: a refill that failed
	 * during a burst is tried again by the next fork.
	 */
	if (unlikely(READ_ONCE(xos_task_reserve->curr_nr) <
		     xos_task_reserve->min_nr))
		schedule_work(&xos_task_refill_work);
	if (xt)
		memset(xt, 0, sizeof(*xt));
	return xt;
}

/* task_struct pointer -> struct xos_task; see job.h. */
static struct rhashtable xos_job_tasks;
static const struct rhashtable_params xos_task_params = {
	.key_len = sizeof(struct task_struct *),
	.key_offset = offsetof(struct xos_task, task),
	.head_offset = offsetof(struct xos_task, node),
	.automatic_shrinking = true,
};

/* id -> live struct xos_job; see job.h. */
static DEFINE_XARRAY(xos_job_ids);
/* Marks the jobs with a limit the module enforces (control.c's worker). */
#define XOS_JOB_MARK_LIMITED XA_MARK_1
/*
 * Serializes kills, so that one job's kill generations never interleave:
 * JOB_KILL (under genl_mutex) and the limit worker both signal.
 */
static DEFINE_MUTEX(xos_job_kill_lock);
static atomic64_t xos_job_last_id = ATOMIC64_INIT(0);
static atomic_t xos_job_nr_jobs = ATOMIC_INIT(0);
/* Starts at 1: netlink treats a dump sequence of 0 as "not set". */
static atomic_t xos_job_gen = ATOMIC_INIT(1);
static atomic64_t xos_job_nr_alloc_failures = ATOMIC64_INIT(0);

int xos_job_init(void)
{
	int err;

	if (xos_job_task_reserve > XOS_TASK_RESERVE_MAX) {
		pr_err("task_reserve %u is over %u\n", xos_job_task_reserve,
		       XOS_TASK_RESERVE_MAX);
		return -EINVAL;
	}
	xos_task_cache = KMEM_CACHE(xos_task, 0);
	if (!xos_task_cache)
		return -ENOMEM;
	err = -ENOMEM;
	xos_task_reserve = mempool_create_slab_pool(xos_job_task_reserve,
						    xos_task_cache);
	if (!xos_task_reserve)
		goto err_cache;
	err = rhashtable_init(&xos_job_tasks, &xos_task_params);
	if (err)
		goto err_reserve;
	return 0;

err_reserve:
	mempool_destroy(xos_task_reserve);
err_cache:
	kmem_cache_destroy(xos_task_cache);
	return err;
}

/* Back to the reserve while it is short, else to the slab. Any context. */
static void xos_task_free(struct xos_task *xt)
{
	kfree(xt->base);
	if (unlikely(READ_ONCE(xos_task_reserve->curr_nr) <
		     xos_task_reserve->min_nr))
		mempool_free(xt, xos_task_reserve);
	else
		kmem_cache_free(xos_task_cache, xt);
}

static void xos_task_free_now(void *ptr, void *arg)
{
	xos_task_free(ptr);
}

static void xos_job_free(struct xos_job *job)
{
	/* only a job that never ended still holds its record */
	if (job->rec)
		xos_record_discard(job->rec);
	/* any context: both only drop references */
	if (job->cgrp)
		cgroup_put(job->cgrp);
	put_pid(job->first);
	kfree(job->base);
	kfree(job->limits);
	kfree(job->label);
	kfree(job);
}

void xos_job_uninit(void)
{
	struct xos_job *job;
	unsigned long id;

	rhashtable_free_and_destroy(&xos_job_tasks, xos_task_free_now, NULL);
	xa_for_each(&xos_job_ids, id, job) {
		xa_erase(&xos_job_ids, id);
		xos_job_free(job);
	}
	xa_destroy(&xos_job_ids);
	xa_destroy(&xos_job_per_user);
	/* Entries and jobs freed through call_rcu() before we got here. */
	rcu_barrier();
	/* no probe is left to queue it again */
	cancel_work_sync(&xos_task_refill_work);
	mempool_destroy(xos_task_reserve);
	kmem_cache_destroy(xos_task_cache);
}

static void xos_task_free_rcu(struct rcu_head *rcu)
{
	xos_task_free(container_of(rcu, struct xos_task, rcu));
}

/* Drops a reference of a published entry: lookups may still hold it. */
static void xos_task_put(struct xos_task *xt)
{
	if (refcount_dec_and_test(&xt->ref))
		call_rcu(&xt->rcu, xos_task_free_rcu);
}

bool xos_task_hold(struct xos_task *xt)
{
	return refcount_inc_not_zero(&xt->ref);
}

void xos_task_release(struct xos_task *xt)
{
	xos_task_put(xt);
}

static void xos_job_free_rcu(struct rcu_head *rcu)
{
	xos_job_free(container_of(rcu, struct xos_job, rcu));
}

void xos_job_put(struct xos_job *job)
{
	if (refcount_dec_and_test(&job->ref))
		call_rcu(&job->rcu, xos_job_free_rcu);
}

u32 xos_job_count(void)
{
	return atomic_read(&xos_job_nr_jobs);
}

u64 xos_job_task_count(void)
{
	return atomic_read(&xos_job_tasks.nelems);
}

u64 xos_job_alloc_failures(void)
{
	return atomic64_read(&xos_job_nr_alloc_failures);
}

u32 xos_job_list_gen(void)
{
	return atomic_read(&xos_job_gen);
}

struct xos_job *xos_job_get_by_id(u64 id)
{
	struct xos_job *job;

	rcu_read_lock();
	job = xa_load(&xos_job_ids, id);
	if (job && !refcount_inc_not_zero(&job->ref))
		job = NULL;
	rcu_read_unlock();
	return job;
}

static struct xos_job *xos_job_find_marked(u64 *id, xa_mark_t mark)
{
	unsigned long index = *id;
	struct xos_job *job;

	rcu_read_lock();
	for (;;) {
		job = xa_find(&xos_job_ids, &index, ULONG_MAX, mark);
		if (!job || refcount_inc_not_zero(&job->ref))
			break;
		/* ending right now: skip it */
		if (index == ULONG_MAX) {
			job = NULL;
			break;
		}
		index++;
	}
	rcu_read_unlock();
	if (job)
		*id = index;
	return job;
}

struct xos_job *xos_job_find_from(u64 *id)
{
	return xos_job_find_marked(id, XA_PRESENT);
}

struct xos_job *xos_job_find_limited_from(u64 *id)
{
	return xos_job_find_marked(id, XOS_JOB_MARK_LIMITED);
}

/**
 * xos_task_lock() - a task's member entry, with its job's lock held
 * @t: the task
 *
 * An entry that was unlinked while we waited for the lock (the task was
 * moved to another job) is looked up again. Caller holds rcu_read_lock().
 *
 * Return: the entry, its job locked, or NULL when @t is in no job.
 */
static struct xos_task *xos_task_lock(struct task_struct *t)
{
	struct xos_task *xt;

	for (;;) {
		xt = rhashtable_lookup(&xos_job_tasks, &t, xos_task_params);
		if (!xt)
			return NULL;
		spin_lock(&xt->job->lock);
		if (!xt->unlinked)
			return xt;
		spin_unlock(&xt->job->lock);
	}
}

struct xos_job *xos_job_get_by_task(struct task_struct *t)
{
	struct xos_job *job = NULL;
	struct xos_task *xt;

	rcu_read_lock();
	xt = xos_task_lock(t);
	if (xt) {
		job = xt->job;
		refcount_inc(&job->ref);
		spin_unlock(&job->lock);
	}
	rcu_read_unlock();
	return job;
}

/**
 * xos_task_add_locked() - adds an entry (not yet in the table) to the members
 * @job: the job, locked
 * @xt: the entry
 * @t: its task
 * @is_proc: @t represents its process (counted in nr_procs)
 */
static void xos_task_add_locked(struct xos_job *job, struct xos_task *xt,
				struct task_struct *t, bool is_proc)
{
	xt->task = t;
	xt->job = job;
	xt->is_proc = is_proc;
	xt->seq = ++job->next_seq;
	xt->walk_gen = job->walk_seq;
	refcount_set(&xt->ref, 1);
	list_add_tail_rcu(&xt->job_node, &job->members);
	job->counts.nr_tasks++;
	if (is_proc) {
		job->counts.nr_procs++;
		job->counts.procs_started++;
	}
	job->counts.tasks_started++;
	job->members_gen++;
	if (!job->anchor)
		job->anchor = xt;
}

/**
 * xos_task_pass_process() - hands a leaving thread's process count on
 * @xt: the representative of its process, leaving
 *
 * A process leaves the job with its last member thread, not with its
 * leader (pthread_exit() in main, or de_thread() in exec): the process
 * count goes to another member thread of the same process. Costs a walk
 * of the process's threads, only when a counted thread leaves a
 * multi-threaded process. job->lock held, rcu_read_lock() held.
 *
 * Return: true when another thread now represents the process.
 */
static bool xos_task_pass_process(struct xos_task *xt)
{
	struct task_struct *t = xt->task, *other;
	struct xos_task *ot;

	if (thread_group_empty(t))
		return false;
	for_each_thread(t, other) {
		if (other == t)
			continue;
		ot = rhashtable_lookup(&xos_job_tasks, &other, xos_task_params);
		if (ot && ot->job == xt->job && !ot->is_proc) {
			/*
			 * A kill walking the members must neither signal the
			 * process twice nor miss it because its representative
			 * moved behind the walk: see xos_job_kill().
			 */
			WRITE_ONCE(ot->kill_mark, max(READ_ONCE(ot->kill_mark),
						      READ_ONCE(xt->kill_mark)));
			WRITE_ONCE(ot->is_proc, true);
			return true;
		}
	}
	return false;
}

static void xos_job_end_locked(struct xos_job *job);

/**
 * xos_job_note_exit_locked() - what a member's exit tells of the job's end
 * @job: the job, locked
 * @t: a member thread exiting (PF_EXITING; the exit probe, or an adoption
 *	that found it exiting)
 * @proc_left: it was its process's last in the job
 *
 * Its exit code is set by now (do_exit() sets it before the exit
 * tracepoint), and so is the OOM killer's mark on its process.
 */
static void xos_job_note_exit_locked(struct xos_job *job,
				     struct task_struct *t, bool proc_left)
{
	if (job->first && task_tgid(t) == job->first) {
		if (thread_group_leader(t))
			job->first_leader_code = t->exit_code;
		/* as wait_task_zombie() reports a process's status */
		if (proc_left)
			job->first_status =
				(t->signal->flags & SIGNAL_GROUP_EXIT) ?
				t->signal->group_exit_code :
				job->first_leader_code;
	}
	if (proc_left && tsk_is_oom_victim(t))
		job->nr_oom_killed++;
}

/**
 * xos_job_end_state() - why the job ended
 * @job: the job, locked, its last member gone
 *
 * Return: the first XOS_JOB_END_* that applies (see the uapi).
 */
static u8 xos_job_end_state(const struct xos_job *job)
{
	if (job->limit_state)
		return job->limit_state;
	if (job->nr_oom_killed)
		return XOS_JOB_END_OUT_OF_MEMORY;
	if (job->kill_ended)
		return XOS_JOB_END_KILLED;
	if (job->flags & XOS_JOB_F_CHECKPOINTING)
		return XOS_JOB_END_CHECKPOINTED;
	if (job->first_status > 0)
		return XOS_JOB_END_FAILED;
	return XOS_JOB_END_COMPLETED;
}

/**
 * xos_task_settle_locked() - a leaving member's figures go to its job
 * @job: the job, locked
 * @xt: the member leaving
 * @t: its task
 * @exited_mm: as for xos_acct_read()
 * @now: scratch space, the figures read
 *
 * Its figures since it joined go to the members that left, and to a
 * running snapshot walk that has not counted it yet (claimed before the
 * read: see the overview in job.h).
 */
static void xos_task_settle_locked(struct xos_job *job, struct xos_task *xt,
				   struct task_struct *t,
				   const struct mm_struct *exited_mm,
				   struct xos_acct *now)
{
	bool missed = job->walk_missed &&
		      xchg(&xt->walk_gen, job->walk_seq) != job->walk_seq;

	xos_acct_read(now, t, exited_mm);
	xos_acct_add(&job->dead, now, xt->base);
	if (missed)
		xos_acct_add(job->walk_missed, now, xt->base);
}

/**
 * xos_task_del_locked() - takes a member off its job's list
 * @xt: the member; its job locked
 * @pass: hand its process count to another thread of its process
 *
 * Return: true when that was the last member: the job has ended and the
 * caller must call xos_job_end() once the lock is dropped.
 */
static bool xos_task_del_locked(struct xos_task *xt, bool pass)
{
	struct xos_job *job = xt->job;

	bool proc_left;

	list_del_rcu(&xt->job_node);
	WRITE_ONCE(xt->unlinked, true);
	job->counts.nr_tasks--;
	proc_left = xt->is_proc && !(pass && xos_task_pass_process(xt));
	if (proc_left)
		job->counts.nr_procs--;
	if (xt->task->flags & PF_EXITING)
		xos_job_note_exit_locked(job, xt->task, proc_left);
	job->counts.tasks_exited++;
	job->members_gen++;
	if (job->anchor == xt)
		job->anchor = list_first_entry_or_null(&job->members,
						       struct xos_task,
						       job_node);
	if (job->counts.nr_tasks)
		return false;
	xos_job_end_locked(job);
	return true;
}

/**
 * xos_job_end_locked() - fills the job's record and pushes it
 * @job: the job, locked, its last member gone
 *
 * Nothing is live: the sums of the members that left are the totals.
 */
static void xos_job_end_locked(struct xos_job *job)
{
	struct xos_job_record *rec = job->rec;

	WRITE_ONCE(job->ended, true);	/* read unlocked by kill and netlink */
	rec->owner = job->owner;
	rec->created_real_ns = job->created_real_ns;
	rec->created_boot_ns = job->created_boot_ns;
	rec->ended_real_ns = ktime_get_real_ns();
	rec->ended_boot_ns = ktime_get_boottime_ns();
	rec->flags = job->flags;
	rec->delayacct_on = job->delayacct_on;
	rec->counts.tasks_started = job->counts.tasks_started;
	rec->counts.tasks_exited = job->counts.tasks_started;
	rec->counts.procs_started = job->counts.procs_started;
	rec->acct = job->dead;
	xos_acct_split_cputime(&rec->acct, &job->cputime_prev);
	rec->end_state = xos_job_end_state(job);
	rec->exit_status = job->first_status;
	rec->nr_oom_killed = job->nr_oom_killed;
	rec->cgroup_id = job->cgrp ? cgroup_id(job->cgrp) : 0;
	/*
	 * Published under ->lock: whoever sees ->ended under that lock finds
	 * the record (JOB_GET of a job that ends under it answers with it).
	 */
	job->rec = NULL;
	xos_record_push(rec);
}

/* One live job of @owner less. Any context. */
static void xos_job_user_put(kuid_t owner)
{
	unsigned long n;
	void *entry;

	xa_lock(&xos_job_per_user);
	entry = xa_load(&xos_job_per_user, __kuid_val(owner));
	n = entry ? xa_to_value(entry) : 0;
	if (n > 1)
		__xa_store(&xos_job_per_user, __kuid_val(owner),
			   xa_mk_value(n - 1), GFP_ATOMIC);
	else
		__xa_erase(&xos_job_per_user, __kuid_val(owner));
	xa_unlock(&xos_job_per_user);
}

/*
 * One live job of @owner more. Process context. Creations never race each
 * other, but a job of @owner may end meanwhile (exit probe): compare and
 * exchange, so that its decrement is not overwritten.
 */
static int xos_job_user_get(kuid_t owner)
{
	void *old = xa_load(&xos_job_per_user, __kuid_val(owner)), *cur;

	for (;;) {
		unsigned long n = old ? xa_to_value(old) : 0;

		cur = xa_cmpxchg(&xos_job_per_user, __kuid_val(owner), old,
				 xa_mk_value(n + 1), GFP_KERNEL);
		if (xa_is_err(cur))
			return xa_err(cur);
		if (cur == old)
			return 0;
		old = cur;
	}
}

/* Called once, by whoever ended the job, without its lock. */
static void xos_job_end(struct xos_job *job)
{
	/* the record was pushed before the live job disappears */
	xa_erase(&xos_job_ids, job->id);
	xos_job_user_put(job->owner);
	atomic_dec(&xos_job_nr_jobs);
	atomic_inc(&xos_job_gen);
	xos_job_put(job);	/* the live reference */
}

/* Unlinks a linked @xt whose job lock is held, and drops that lock. */
static void xos_task_unlink_unlock(struct xos_task *xt)
{
	struct xos_job *job = xt->job;
	bool ended;

	rhashtable_remove_fast(&xos_job_tasks, &xt->node, xos_task_params);
	ended = xos_task_del_locked(xt, true);
	spin_unlock(&job->lock);
	if (ended)
		xos_job_end(job);
	xos_task_put(xt);
}

struct xos_job *xos_job_create(const char *label, kuid_t owner, bool admin,
			       bool delayacct_on,
			       struct xos_job_limits *limits,
			       u64 restored_from, struct xos_acct *base,
			       struct netlink_ext_ack *extack)
{
	struct xos_job *job;
	int err;

	unsigned int max = READ_ONCE(xos_job_max_jobs);
	unsigned int reserve = min(READ_ONCE(xos_job_admin_reserve), max);
	unsigned long mine;

	mine = xa_to_value(xa_load(&xos_job_per_user, __kuid_val(owner)) ?:
			   xa_mk_value(0));
	if (atomic_inc_return(&xos_job_nr_jobs) > max) {
		atomic_dec(&xos_job_nr_jobs);
		kfree(limits);
		kfree(base);
		NL_SET_ERR_MSG(extack, "too many jobs on this node (module parameter max_jobs)");
		return ERR_PTR(-ENOSPC);
	}
	/* the last slots are kept for the administrator and batch systems */
	err = -ENOSPC;
	if (!admin && atomic_read(&xos_job_nr_jobs) > max - reserve) {
		NL_SET_ERR_MSG(extack, "too many jobs on this node; the rest are kept for the administrator (module parameters max_jobs, admin_reserve)");
		goto err_count;
	}
	if (!admin && mine >= READ_ONCE(xos_job_max_jobs_per_user)) {
		XOS_NL_ERR_FMT(extack,
			       "too many live jobs of this user (module parameter max_jobs_per_user)",
			       "too many live jobs of uid %u (module parameter max_jobs_per_user = %u)",
			       __kuid_val(owner),
			       READ_ONCE(xos_job_max_jobs_per_user));
		goto err_count;
	}
	err = -ENOMEM;
	if (xos_job_user_get(owner)) {
		NL_SET_ERR_MSG(extack, "out of memory creating the job");
		goto err_count;
	}
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		goto err_user;
	if (label) {
		job->label = kstrdup(label, GFP_KERNEL);
		if (!job->label)
			goto err_free;
	}
	spin_lock_init(&job->lock);
	INIT_LIST_HEAD(&job->members);
	job->limits = limits;
	limits = NULL;
	job->restored_from = restored_from;
	job->base = base;
	base = NULL;
	/* the figures before the restart: every sum goes on from them */
	if (job->base) {
		job->dead = *job->base;
		/* its figures continue from the checkpoint's */
		job->cputime_prev.utime_ns = job->base->utime_ns;
		job->cputime_prev.stime_ns = job->base->stime_ns;
	}
	job->first_status = -1;
	/* the live reference and the caller's */
	refcount_set(&job->ref, 2);
	job->owner = owner;
	job->delayacct_on = delayacct_on;
	job->created_real_ns = ktime_get_real_ns();
	job->created_boot_ns = ktime_get_boottime_ns();
	job->id = atomic64_inc_return(&xos_job_last_id);
	job->rec = xos_record_alloc(job->id, label, owner);
	if (!job->rec)
		goto err_free;
	if (job->limits) {
		/* the record's own copy: it outlives the job */
		job->rec->limits = kmemdup(job->limits, sizeof(*job->limits),
					   GFP_KERNEL);
		if (!job->rec->limits)
			goto err_free;
	}
	job->rec->restored_from = restored_from;
	if (job->base) {
		job->rec->base = kmemdup(job->base, sizeof(*job->base),
					 GFP_KERNEL);
		if (!job->rec->base)
			goto err_free;
	}
	err = xa_insert(&xos_job_ids, job->id, job, GFP_KERNEL);
	if (err)
		goto err_free;
	/* a store into an existing entry's marks never allocates */
	if (xos_limit_enforced(job->limits))
		xa_set_mark(&xos_job_ids, job->id, XOS_JOB_MARK_LIMITED);
	atomic_inc(&xos_job_gen);
	return job;

err_free:
	xos_job_free(job);
err_user:
	xos_job_user_put(owner);
	NL_SET_ERR_MSG(extack, "out of memory creating the job");
err_count:
	atomic_dec(&xos_job_nr_jobs);
	kfree(limits);
	kfree(base);
	return ERR_PTR(err);
}

void xos_job_set_first(struct xos_job *job, struct task_struct *t)
{
	struct cgroup *cgrp;

	/* as task_get_css(): a dying cgroup is one the task is leaving */
	rcu_read_lock();
	for (;;) {
		cgrp = task_dfl_cgroup(t);
		if (css_tryget(&cgrp->self))
			break;
		cpu_relax();
	}
	job->first = get_pid(task_tgid(t));
	rcu_read_unlock();
	job->cgrp = cgrp;
}

/* A member's CPU time since it joined: as xos_acct_read() reads it. */
static u64 xos_task_runtime(struct xos_task *xt)
{
	return READ_ONCE(xt->task->se.sum_exec_runtime) -
	       (xt->base ? xt->base->runtime_ns : 0);
}

u64 xos_job_runtime(struct xos_job *job)
{
	struct xos_task *xt;
	unsigned int tries;
	u64 sum, gen;

	/*
	 * A member that leaves moves its figures into job->dead: a walk
	 * during which none joined or left counted each exactly once.
	 */
	for (tries = 0; tries < 4; tries++) {
		spin_lock(&job->lock);
		gen = job->members_gen;
		sum = job->dead.runtime_ns;
		spin_unlock(&job->lock);
		rcu_read_lock();
		list_for_each_entry_rcu(xt, &job->members, job_node)
			sum += xos_task_runtime(xt);
		rcu_read_unlock();
		spin_lock(&job->lock);
		if (gen == job->members_gen) {
			spin_unlock(&job->lock);
			return sum;
		}
		spin_unlock(&job->lock);
	}
	/* members keep coming and going: count them under the lock */
	spin_lock(&job->lock);
	sum = job->dead.runtime_ns;
	list_for_each_entry(xt, &job->members, job_node)
		sum += xos_task_runtime(xt);
	spin_unlock(&job->lock);
	return sum;
}

int xos_job_set_checkpointing(struct xos_job *job, bool on, u32 *flags)
{
	int err = 0;

	spin_lock(&job->lock);
	if (job->ended)
		err = -ESRCH;
	else if (on)
		job->flags |= XOS_JOB_F_CHECKPOINTING;
	else
		job->flags &= ~XOS_JOB_F_CHECKPOINTING;
	*flags = job->flags;
	spin_unlock(&job->lock);
	return err;
}

bool xos_job_has_ended(struct xos_job *job)
{
	if (!READ_ONCE(job->ended))
		return false;
	spin_lock(&job->lock);
	spin_unlock(&job->lock);
	return true;
}

/* Ends a job that never got a member (its first process was exiting). */
void xos_job_abandon_if_empty(struct xos_job *job)
{
	bool end;

	spin_lock(&job->lock);
	end = !job->ended && !job->counts.tasks_started;
	if (end)
		xos_job_end_locked(job);
	spin_unlock(&job->lock);
	if (end)
		xos_job_end(job);
}

static void xos_job_lock_two(struct xos_job *a, struct xos_job *b)
{
	if (a->id > b->id)
		swap(a, b);
	spin_lock(&a->lock);
	spin_lock_nested(&b->lock, SINGLE_DEPTH_NESTING);
}

/* One thread of an adopted process: its new entry, and the one it replaces. */
struct xos_job_adopt_slot {
	struct task_struct *task;
	struct xos_task *x;
	struct xos_task *old;		/* its entry in the old job, or NULL */
};

/* Entries and the slots that use them, allocated before any lock is taken. */
struct xos_adopt {
	struct xos_job *job, *oldjob;
	struct xos_job_adopt_slot *slots;
	unsigned int nr_slots, used;
	bool may_move, has_rep;
};

static void xos_job_adopt_free_pool(struct xos_adopt *ad)
{
	unsigned int i;

	for (i = 0; i < ad->nr_slots; i++)
		if (ad->slots[i].x)
			xos_task_free(ad->slots[i].x);
	kvfree(ad->slots);
	ad->slots = NULL;
	ad->nr_slots = 0;
}

static int xos_job_adopt_alloc_pool(struct xos_adopt *ad, unsigned int want)
{
	unsigned int i;

	xos_job_adopt_free_pool(ad);
	ad->slots = kvcalloc(want, sizeof(*ad->slots), GFP_KERNEL);
	if (!ad->slots)
		return -ENOMEM;
	ad->nr_slots = want;
	for (i = 0; i < want; i++) {
		struct xos_task *x = kmem_cache_zalloc(xos_task_cache, GFP_KERNEL);

		ad->slots[i].x = x;
		if (!x)
			return -ENOMEM;
		x->base = kmalloc(sizeof(*x->base), GFP_KERNEL);
		if (!x->base)
			return -ENOMEM;
	}
	return 0;
}

/**
 * xos_job_adopt_publish() - publishes an entry for every thread of @p
 * @ad: the adoption; its pool gives the entries
 * @p: a thread of the process
 *
 * In the task table only, for the threads not yet in ad->job;
 * xos_job_adopt_commit() then moves the members. Both job locks and
 * rcu_read_lock() are held. A thread the fork probe could not see yet is
 * covered by the barriers: see xos_job_adopt().
 *
 * Return: 0 when a walk found nothing left to do, -ENOSPC when the pool
 * is too small, -EBUSY for a thread in a third job, -ENOMEM or -EBUSY from
 * the table; in every error case the caller undoes what was published.
 */
static int xos_job_adopt_publish(struct xos_adopt *ad, struct task_struct *p)
{
	struct task_struct *t;
	bool found;
	int err;

	do {
		found = false;
		for_each_thread(p, t) {
			struct xos_job_adopt_slot *slot;
			struct xos_task *old;

			old = rhashtable_lookup(&xos_job_tasks, &t,
						xos_task_params);
			if (old && old->job == ad->job) {
				/* linked before, or by this adopt */
				if (old->is_proc)
					ad->has_rep = true;
				continue;
			}
			if (old && old->job != ad->oldjob)
				return -EBUSY;
			/*
			 * An exiting thread with an entry has not been through
			 * the exit probe (it takes the old job's lock, which we
			 * hold): moving it is safe. One without an entry may be
			 * past the probe already; it is left out.
			 */
			if (!old && (READ_ONCE(t->flags) & PF_EXITING))
				continue;
			if (ad->used == ad->nr_slots)
				return -ENOSPC;
			slot = &ad->slots[ad->used];
			slot->task = t;
			slot->old = old;
			slot->x->task = t;
			slot->x->job = ad->job;
			refcount_set(&slot->x->ref, 1);
			if (old)
				err = rhashtable_replace_fast(&xos_job_tasks,
							      &old->node,
							      &slot->x->node,
							      xos_task_params);
			else
				err = rhashtable_lookup_insert_fast(&xos_job_tasks,
								    &slot->x->node,
								    xos_task_params);
			if (err)
				return err == -EEXIST ? -EBUSY : err;
			ad->used++;
			found = true;
		}
		/* pairs with smp_mb() in xos_job_task_forked() */
		smp_mb();
	} while (found);
	return 0;
}

/**
 * xos_job_adopt_undo() - takes back what xos_job_adopt_publish() published
 * @ad: the adoption
 *
 * Newest first. Lookups that found a new entry meanwhile wait for its
 * job's lock and then see it unlinked; the entry is freed after a grace
 * period.
 */
static void xos_job_adopt_undo(struct xos_adopt *ad)
{
	while (ad->used) {
		struct xos_job_adopt_slot *slot = &ad->slots[--ad->used];

		if (slot->old)
			rhashtable_replace_fast(&xos_job_tasks, &slot->x->node,
						&slot->old->node,
						xos_task_params);
		else
			rhashtable_remove_fast(&xos_job_tasks, &slot->x->node,
					       xos_task_params);
		WRITE_ONCE(slot->x->unlinked, true);
		call_rcu(&slot->x->rcu, xos_task_free_rcu);
		slot->x = NULL;
	}
}

/**
 * xos_job_adopt_commit() - moves the published threads into ad->job
 * @ad: the adoption
 *
 * From now on each thread's use counts for ad->job, up to now for the old
 * job.
 *
 * Return: true when the old job lost its last member (the caller ends it
 * once the locks are dropped).
 */
static bool xos_job_adopt_commit(struct xos_adopt *ad)
{
	bool old_ended = false;
	unsigned int i;
	struct xos_acct now;

	for (i = 0; i < ad->used; i++) {
		struct xos_job_adopt_slot *slot = &ad->slots[i];
		struct xos_task *x = slot->x;

		if (slot->old)
			xos_task_settle_locked(ad->oldjob, slot->old,
					       slot->task, NULL, &now);
		else
			xos_acct_read(&now, slot->task, NULL);
		*x->base = now;
		WRITE_ONCE(x->mm, READ_ONCE(slot->task->mm));
		if (slot->old) {
			/* the whole process leaves: its count goes with it */
			if (slot->old->is_proc) {
				WRITE_ONCE(slot->old->is_proc, false);
				ad->oldjob->counts.nr_procs--;
			}
			old_ended = xos_task_del_locked(slot->old, false);
		}
		xos_task_add_locked(ad->job, x, slot->task, !ad->has_rep);
		ad->has_rep = true;
	}
	return old_ended;
}

/*
 * Makes every thread of @p's process a member of @job, all or nothing.
 * Called from netlink operations (process context, genl_mutex held, so
 * no other adopt runs).
 *
 * The threads are published and the members moved with @job's lock and
 * the old job's lock held, so no lookup ever finds the process split
 * between two jobs, and an error part-way is undone before the locks are
 * dropped. Entries come from a pool allocated beforehand; a process that
 * has more threads by then is tried again with a larger pool.
 *
 * A thread created meanwhile is either seen by a walk, or its fork probe
 * finds its creator already in @job and adds it there: the probe issues a
 * full barrier between linking the thread and looking its creator up,
 * and each walk one between publishing and walking again, so a thread
 * missed by the last walk was created after its creator was published.
 */
int xos_job_adopt(struct xos_job *job, struct task_struct *p,
		  bool may_move, unsigned int *nr_adopted,
		  struct netlink_ext_ack *extack)
{
	struct xos_adopt ad = { .job = job, .may_move = may_move };
	bool old_ended = false;
	unsigned int tries, i;
	int err = -EAGAIN;

	*nr_adopted = 0;
	for (tries = 0; tries < XOS_JOB_ADOPT_TRIES; tries++) {
		struct task_struct *t;
		struct xos_task *old = NULL;

		err = xos_job_adopt_alloc_pool(&ad, (READ_ONCE(p->signal->nr_threads)
						 << tries) + 4);
		if (err) {
			NL_SET_ERR_MSG(extack, "out of memory tracking the process");
			goto out;
		}
		rcu_read_lock();
		for_each_thread(p, t) {
			old = rhashtable_lookup(&xos_job_tasks, &t,
						xos_task_params);
			if (old)
				break;
		}
		ad.oldjob = old && old->job != job ? old->job : NULL;
		ad.has_rep = false;
		if (ad.oldjob && !may_move) {
			rcu_read_unlock();
			NL_SET_ERR_MSG(extack, "process is already in another job; a member cannot leave its job");
			err = -EPERM;
			goto out;
		}
		if (ad.oldjob)
			xos_job_lock_two(job, ad.oldjob);
		else
			spin_lock(&job->lock);
		if (job->ended || (job->flags & XOS_JOB_F_KILLED)) {
			err = -ESRCH;
		} else if (old && READ_ONCE(old->unlinked)) {
			err = -EAGAIN;	/* left or moved meanwhile: look again */
		} else {
			err = xos_job_adopt_publish(&ad, p);
			if (!err)
				old_ended = xos_job_adopt_commit(&ad);
			else
				xos_job_adopt_undo(&ad);
		}
		if (ad.oldjob)
			spin_unlock(&ad.oldjob->lock);
		spin_unlock(&job->lock);
		/* on success, stay in the read section: see below */
		if (!err)
			break;
		rcu_read_unlock();
		if (err != -ENOSPC && err != -EAGAIN)
			break;
	}
	switch (err) {
	case 0:
		break;
	case -ESRCH:
		NL_SET_ERR_MSG(extack, "job has ended or was killed");
		goto out;
	case -EBUSY:
		NL_SET_ERR_MSG(extack, "the process's threads are in different jobs; retry");
		err = -EAGAIN;
		goto out;
	case -ENOSPC:
	case -EAGAIN:
		NL_SET_ERR_MSG(extack, "process keeps creating threads; retry");
		err = -EAGAIN;
		goto out;
	default:
		NL_SET_ERR_MSG(extack, "out of memory tracking the process");
		goto out;
	}
	if (old_ended)
		xos_job_end(ad.oldjob);

	/*
	 * Still in the read section of the walk: the new entries and their
	 * tasks cannot be freed under us, even if they exit right now.
	 *
	 * do_exit() sets PF_EXITING and then does atomic_dec_and_test() on
	 * signal->live (a full barrier) before the exit probe looks the task
	 * up. With this barrier, either that probe finds the new entry, or we
	 * see PF_EXITING here and take it out ourselves; both may happen, and
	 * whoever gets the job lock second sees ->unlinked.
	 */
	smp_mb();
	for (i = 0; i < ad.used; i++) {
		struct xos_job_adopt_slot *slot = &ad.slots[i];
		struct task_struct *t = slot->task;
		struct xos_task *x = slot->x;
		struct xos_acct now;

		if (slot->old)
			xos_task_put(slot->old);
		slot->x = NULL;		/* published: not the pool's any more */
		if (!(READ_ONCE(t->flags) & PF_EXITING))
			continue;
		spin_lock(&job->lock);
		if (x->unlinked) {
			spin_unlock(&job->lock);
		} else {
			/* under the lock, as in xos_job_task_exiting() */
			xos_task_settle_locked(job, x, t, NULL, &now);
			xos_task_unlink_unlock(x);
		}
	}
	rcu_read_unlock();
	*nr_adopted = ad.used;
	if (!ad.used && !xos_job_task_in(job, p)) {
		NL_SET_ERR_MSG(extack, "process is exiting");
		err = -ESRCH;
	}
out:
	xos_job_adopt_free_pool(&ad);
	return err;
}

bool xos_job_task_in(struct xos_job *job, struct task_struct *t)
{
	struct xos_task *xt;
	bool in;

	rcu_read_lock();
	xt = rhashtable_lookup(&xos_job_tasks, &t, xos_task_params);
	in = xt && xt->job == job && !READ_ONCE(xt->unlinked);
	rcu_read_unlock();
	return in;
}

/**
 * xos_task_rep_locked() - the member that represents @xt's process
 * @xt: a member; its job locked, rcu_read_lock() held
 *
 * Return: the representative, the thread a kill marks.
 */
static struct xos_task *xos_task_rep_locked(struct xos_task *xt)
{
	struct task_struct *t = xt->task, *other;
	struct xos_task *ot;

	if (xt->is_proc || thread_group_empty(t))
		return xt;
	for_each_thread(t, other) {
		ot = rhashtable_lookup(&xos_job_tasks, &other, xos_task_params);
		if (ot && ot->job == xt->job && ot->is_proc)
			return ot;
	}
	return xt;
}

/* The mark of @xt for kill generation @gen: 0 none, 1 signalled, 2 denied. */
static int xos_task_kill_state(struct xos_task *xt, u64 gen)
{
	u64 mark = READ_ONCE(xt->kill_mark);

	if (mark == XOS_TASK_KILL_MARK(gen, false))
		return 1;
	if (mark == XOS_TASK_KILL_MARK(gen, true))
		return 2;
	return 0;
}

/**
 * xos_job_kill_check() - JOB_KILL with signal 0
 * @job: the job
 * @nr_signalled: member processes the caller may signal
 * @nr_denied: those it may not
 *
 * Return: 0, or -ESRCH when the job has ended.
 */
static int xos_job_kill_check(struct xos_job *job, u32 *nr_signalled,
			      u32 *nr_denied)
{
	struct xos_task *xt;
	u32 ok = 0, denied = 0;

	if (READ_ONCE(job->ended))
		return -ESRCH;
	rcu_read_lock();
	list_for_each_entry_rcu(xt, &job->members, job_node) {
		int err;

		if (!READ_ONCE(xt->is_proc) || READ_ONCE(xt->unlinked))
			continue;
		err = kill_pid(task_tgid(xt->task), 0, 0);
		ok += !err;
		denied += err == -EPERM;
	}
	rcu_read_unlock();
	*nr_signalled = ok;
	*nr_denied = denied;
	return 0;
}

/*
 * Signals every member process, as kill(2) would from the caller: one
 * kill_pid() per process, process-directed, with the kernel's permission
 * check (CAP_KILL or matching uids), the LSM's task_kill hook and audit.
 * Each process is represented by its one ->is_proc member thread.
 *
 * The members are walked under RCU, not under job->lock, which every
 * member's fork and exit needs; the lock is held only around each
 * process's kill_pid() and mark. Races are closed as follows:
 * - A process whose fork started before the walk signalled its parent,
 *   but whose fork probe runs after that (the fork raced the kill), gets
 *   the signal from the probe: see xos_job_forward_kill_locked().
 * - A process added while the walk runs is appended behind it, so the
 *   walk reaches it, unless the probe forwarded the signal already and
 *   marked it before publishing it.
 * - A representative that leaves hands its mark to the next member thread
 *   of its process (xos_task_pass_process()), which may sit behind the
 *   walk: further walks catch such processes until one signals nothing.
 *   It cannot leave between its signal and its mark (both under the
 *   lock, which its exit needs), so a process is never signalled twice.
 * After a SIGKILL that reached every process, the job is marked killed:
 * it takes no new member and the fork probe kills any later child.
 * Signal 0 only counts, and leaves the last real kill's state alone.
 */
int xos_job_kill(struct xos_job *job, int sig, bool priv, u32 *nr_signalled,
		 u32 *nr_denied)
{
	/* a JOB_KILL whose signal ends a process by default ends the job */
	bool ends = !priv && !sig_kernel_stop(sig) && !sig_kernel_ignore(sig);
	struct xos_task *xt;
	u32 sent = 0, denied = 0;
	unsigned int pass;
	bool kill_ended;
	u64 gen;

	if (!sig)
		return xos_job_kill_check(job, nr_signalled, nr_denied);
	mutex_lock(&xos_job_kill_lock);
	spin_lock(&job->lock);
	if (job->ended) {
		spin_unlock(&job->lock);
		mutex_unlock(&xos_job_kill_lock);
		return -ESRCH;
	}
	/*
	 * Before the first signal: the last member may exit of it before
	 * this kill looks at the job again. Taken back if none was sent.
	 */
	kill_ended = job->kill_ended;
	job->kill_ended |= ends;
	gen = ++job->kill_gen;
	job->kill_sig = sig;
	job->kill_running = true;
	spin_unlock(&job->lock);

	for (pass = 0; pass < XOS_JOB_KILL_PASSES; pass++) {
		u32 dealt = 0;

		rcu_read_lock();
		list_for_each_entry_rcu(xt, &job->members, job_node) {
			int err;

			if (!READ_ONCE(xt->is_proc) || READ_ONCE(xt->unlinked) ||
			    xos_task_kill_state(xt, gen))
				continue;
			/*
			 * The signal and the mark under the lock: else the
			 * signal may end the representative, which hands its
			 * process, still unmarked, to a thread behind the
			 * walk, and the process is signalled twice.
			 */
			spin_lock(&job->lock);
			if (!xt->is_proc || xt->unlinked ||
			    xos_task_kill_state(xt, gen)) {
				spin_unlock(&job->lock);
				continue;
			}
			err = kill_pid(task_tgid(xt->task), sig, priv);
			if (!err || err == -EPERM) {
				if (err)
					denied++;
				else
					sent++;
				dealt++;
				WRITE_ONCE(xt->kill_mark,
					   XOS_TASK_KILL_MARK(gen, err == -EPERM));
			}
			/* else gone meanwhile */
			spin_unlock(&job->lock);
		}
		rcu_read_unlock();
		if (!dealt)
			break;
	}

	spin_lock(&job->lock);
	job->kill_running = false;
	job->kill_end_ns = ktime_get_ns();
	if (sig == SIGKILL && !denied)
		job->flags |= XOS_JOB_F_KILLED;
	if (!sent)
		job->kill_ended = kill_ended;
	spin_unlock(&job->lock);
	mutex_unlock(&xos_job_kill_lock);
	*nr_signalled = sent;
	*nr_denied = denied;
	return 0;
}

/**
 * xos_job_forward_kill_locked() - a new process gets a racing kill's signal
 * @job: the job, locked (fork probe)
 * @parent: the creator's member entry
 * @xt: the new process's entry, about to be published
 * @child: the new process
 *
 * It gets the last kill's signal when that kill signalled its parent
 * process and the fork started before the kill ended (so the parent may
 * have taken the signal while the child was being made), or the job was
 * killed. The permission was checked on the parent, whose credentials the
 * child has.
 */
static void xos_job_forward_kill_locked(struct xos_job *job,
					struct xos_task *parent,
					struct xos_task *xt,
					struct task_struct *child)
{
	int sig;

	/* the walk reached it first */
	if (xos_task_kill_state(xt, job->kill_gen))
		return;
	parent = xos_task_rep_locked(parent);
	if (job->flags & XOS_JOB_F_KILLED) {
		sig = SIGKILL;
	} else if (job->kill_gen &&
		   xos_task_kill_state(parent, job->kill_gen) == 1 &&
		   (job->kill_running || child->start_time <= job->kill_end_ns)) {
		sig = job->kill_sig;
	} else {
		return;
	}
	WRITE_ONCE(xt->kill_mark, XOS_TASK_KILL_MARK(job->kill_gen, false));
	if (sig)
		kill_pid(task_tgid(child), sig, 1);
}

/*
 * task_newtask probe: @child was just created by current. Runs for every
 * task created on the system, so the common case (parent in no job) is one
 * barrier and one hash lookup.
 */
void xos_job_task_forked(struct task_struct *child, unsigned long clone_flags)
{
	struct task_struct *parent = current;
	struct xos_task *pt, *xt;
	struct xos_job *job;
	int err;

	/* pairs with smp_mb() in xos_job_adopt() */
	smp_mb();
	rcu_read_lock();
	pt = rhashtable_lookup(&xos_job_tasks, &parent, xos_task_params);
	if (likely(!pt))
		goto out;

	xt = xos_task_alloc_atomic();
	/* as xos_task_lock(), without a second lookup while it stays */
	spin_lock(&pt->job->lock);
	if (unlikely(pt->unlinked)) {
		spin_unlock(&pt->job->lock);
		pt = xos_task_lock(parent);
	}
	if (!pt) {
		/* the parent was just taken out (it is exiting) */
		if (xt)
			xos_task_free(xt);
		goto out;
	}
	job = pt->job;
	if (!xt) {
		err = -ENOMEM;
	} else {
		xt->task = child;
		xt->job = job;
		err = rhashtable_lookup_insert_fast(&xos_job_tasks, &xt->node,
						    xos_task_params);
	}
	if (!err) {
		xt->mm = child->mm;
		xos_task_add_locked(job, xt, child,
				    !(clone_flags & CLONE_THREAD));
		/*
		 * A thread shares its process's pending signals. A kill
		 * signals and marks processes under this lock too.
		 */
		if (!(clone_flags & CLONE_THREAD) && job->kill_gen)
			xos_job_forward_kill_locked(job, pt, xt, child);
	} else if (err != -EEXIST) {
		/* not tracked: say so instead of losing the task silently */
		job->flags |= XOS_JOB_F_INCOMPLETE;
		atomic64_inc(&xos_job_nr_alloc_failures);
	}
	spin_unlock(&job->lock);
	if (err && xt)
		xos_task_free(xt);
out:
	rcu_read_unlock();
}

/*
 * sched_process_exit probe: the task's final figures go to its job. They
 * are read under the job's lock, after the claim on a running snapshot
 * walk: a walk that counted the task read it before, and a tick between
 * an earlier read and the claim would let the walk see more run time than
 * the exit then adds, so the job's sums would go down.
 */
void xos_job_task_exiting(struct task_struct *t)
{
	struct xos_task *xt;
	struct xos_acct a;

	rcu_read_lock();
	xt = xos_task_lock(t);
	if (xt) {
		xos_task_settle_locked(xt->job, xt, t, READ_ONCE(xt->mm), &a);
		xos_task_unlink_unlock(xt);
	}
	rcu_read_unlock();
}

/*
 * sched_process_exec probe: a non-leader thread that exec()s takes over
 * its process (de_thread()); the old leader left the job counted as a
 * process, so this thread now counts as one.
 */
void xos_job_task_exec(struct task_struct *t)
{
	struct xos_task *xt;

	rcu_read_lock();
	xt = xos_task_lock(t);
	if (xt) {
		WRITE_ONCE(xt->mm, t->mm);
		if (!xt->is_proc && thread_group_leader(t)) {
			/*
			 * No member thread passed the process on (they all
			 * left first): it is new here, and counted as started
			 * so that PROCS_EXITED never goes below zero.
			 */
			WRITE_ONCE(xt->is_proc, true);
			xt->job->counts.nr_procs++;
			xt->job->counts.procs_started++;
		}
		spin_unlock(&xt->job->lock);
	}
	rcu_read_unlock();
}

struct xos_task *xos_task_next(struct xos_job *job, struct xos_task *pos,
			       u64 after)
{
	struct list_head *next;
	struct xos_task *xt;

	/*
	 * A linked entry's ->next is a member or the head. Once unlinked, it
	 * may point to one that left since: start over, by join sequence.
	 */
	if (pos && !READ_ONCE(pos->unlinked)) {
		next = rcu_dereference(list_next_rcu(&pos->job_node));
		if (next == &job->members)
			return NULL;
		return list_entry(next, struct xos_task, job_node);
	}
	list_for_each_entry_rcu(xt, &job->members, job_node)
		if (xt->seq > after)
			return xt;
	return NULL;
}

void xos_task_acct(struct xos_task *xt, struct xos_acct *a)
{
	struct xos_acct cur;

	memset(a, 0, sizeof(*a));
	xos_acct_read(&cur, xt->task, NULL);
	xos_acct_add(a, &cur, xt->base);
	/* the member's samples since it joined, once */
	xos_acct_split_cputime(a, NULL);
}

/*
 * A member's figures for a snapshot. The high-water marks are the
 * process's: read through its representative only (under RCU, one that
 * leaves during the walk is either counted by the walk or claims itself
 * and adds them to the walk's missed figures with its final ones).
 */
static void xos_task_read_for_sum(struct xos_task *xt, struct xos_acct *cur)
{
	if (READ_ONCE(xt->is_proc))
		xos_acct_read(cur, xt->task, NULL);
	else
		xos_acct_read_thread(cur, xt->task);
}

/* Members a snapshot sums under the job's lock; above, under RCU. */
#define XOS_JOB_SNAP_LOCKED_MAX 16

void xos_job_snapshot(struct xos_job *job, struct pid_namespace *pid_ns,
		      struct xos_job_snap *s)
{
	struct xos_acct cur, missed;
	struct xos_task *xt;
	u64 gen;

	memset(s, 0, sizeof(*s));
	spin_lock(&job->lock);
	s->counts = job->counts;
	s->flags = job->flags;
	s->nr_oom_killed = job->nr_oom_killed;
	s->ended = job->ended;
	if (job->anchor) {
		struct task_struct *t = job->anchor->task;

		s->anchor_pid = task_tgid_nr_ns(t, pid_ns);
		/* group_leader changes only in exec, and is RCU-freed */
		rcu_read_lock();
		s->anchor_start_ns = READ_ONCE(t->group_leader)->start_boottime;
		rcu_read_unlock();
	}
	s->acct = job->dead;
	/*
	 * A small job is summed under the lock: the hold is short and
	 * bounded, and cheaper than the claims. So is one whose members
	 * another walk is claiming (callers are serialized: not expected).
	 */
	if (job->counts.nr_tasks <= XOS_JOB_SNAP_LOCKED_MAX ||
	    unlikely(job->walk_missed)) {
		list_for_each_entry(xt, &job->members, job_node) {
			xos_task_read_for_sum(xt, &cur);
			xos_acct_add(&s->acct, &cur, xt->base);
			xos_acct_count_state(&s->states, xt->task);
		}
		xos_acct_split_cputime(&s->acct, &job->cputime_prev);
		spin_unlock(&job->lock);
		return;
	}
	gen = ++job->walk_seq;
	memset(&missed, 0, sizeof(missed));
	job->walk_missed = &missed;
	spin_unlock(&job->lock);

	/*
	 * The members that were here when the walk began, each counted once:
	 * by the walk if it claims the member first, else by the member as
	 * it leaves, into @missed. Read, then claim (xchg() is a full
	 * barrier): see the overview in job.h.
	 */
	rcu_read_lock();
	list_for_each_entry_rcu(xt, &job->members, job_node) {
		xos_task_read_for_sum(xt, &cur);
		if (xchg(&xt->walk_gen, gen) == gen)
			continue;
		xos_acct_add(&s->acct, &cur, xt->base);
		xos_acct_count_state(&s->states, xt->task);
	}
	rcu_read_unlock();

	spin_lock(&job->lock);
	job->walk_missed = NULL;
	xos_acct_add(&s->acct, &missed, NULL);
	xos_acct_split_cputime(&s->acct, &job->cputime_prev);
	spin_unlock(&job->lock);
}

struct task_struct *xos_job_member_in_cgroup(struct xos_job *job)
{
	struct task_struct *t = NULL;
	struct xos_task *xt;

	if (!job->cgrp)
		return ERR_PTR(-ENOENT);
	/* as in xos_job_anchor(); the oldest member first, the anchor */
	spin_lock(&job->lock);
	if (!job->anchor) {
		spin_unlock(&job->lock);
		return ERR_PTR(-ESRCH);
	}
	rcu_read_lock();
	list_for_each_entry(xt, &job->members, job_node) {
		if (task_dfl_cgroup(xt->task) == job->cgrp) {
			t = xt->task;
			get_task_struct(t);
			break;
		}
	}
	rcu_read_unlock();
	spin_unlock(&job->lock);
	return t ?: ERR_PTR(-ENOENT);
}

struct task_struct *xos_job_anchor(struct xos_job *job,
				   struct pid_namespace *pid_ns,
				   pid_t *pid, u64 *start_ns)
{
	struct task_struct *t = NULL;

	/* a linked member's task is alive: its exit unlinks it first */
	spin_lock(&job->lock);
	if (job->anchor) {
		t = job->anchor->task;
		get_task_struct(t);
		*pid = task_tgid_nr_ns(t, pid_ns);
		rcu_read_lock();
		*start_ns = READ_ONCE(t->group_leader)->start_boottime;
		rcu_read_unlock();
	}
	spin_unlock(&job->lock);
	return t;
}
