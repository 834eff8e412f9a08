// SPDX-License-Identifier: GPL-2.0
/*
 * Jobs and their members: the tables, joining and leaving, kill.
 * See job.h for the locking rules.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/rhashtable.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>

#include "compat.h"
#include "job.h"

/* Passes over a process's threads in xos_job_adopt(); see there. */
#define XOS_JOB_ADOPT_PASSES 64

unsigned int xos_job_max_jobs = 65536;

static struct kmem_cache *xos_task_cache;

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
static atomic64_t xos_job_last_id = ATOMIC64_INIT(0);
static atomic_t xos_job_nr_jobs = ATOMIC_INIT(0);
/* Starts at 1: netlink treats a dump sequence of 0 as "not set". */
static atomic_t xos_job_gen = ATOMIC_INIT(1);
static atomic64_t xos_job_nr_alloc_failures = ATOMIC64_INIT(0);

int xos_job_tables_init(void)
{
	int err;

	xos_task_cache = KMEM_CACHE(xos_task, 0);
	if (!xos_task_cache)
		return -ENOMEM;
	err = rhashtable_init(&xos_job_tasks, &xos_task_params);
	if (err)
		kmem_cache_destroy(xos_task_cache);
	return err;
}

static void xos_task_free(struct xos_task *xt)
{
	kfree(xt->base);
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
	kfree(job->label);
	kfree(job);
}

/*
 * Called after the genl family and the probes are gone and
 * tracepoint_synchronize_unregister() returned: nothing can reach the
 * tables any more. Live jobs are simply forgotten; their tasks run on
 * untagged.
 */
void xos_job_tables_destroy(void)
{
	struct xos_job *job;
	unsigned long id;

	rhashtable_free_and_destroy(&xos_job_tasks, xos_task_free_now, NULL);
	xa_for_each(&xos_job_ids, id, job) {
		xa_erase(&xos_job_ids, id);
		xos_job_free(job);
	}
	xa_destroy(&xos_job_ids);
	/* Entries and jobs freed through call_rcu() before we got here. */
	rcu_barrier();
	kmem_cache_destroy(xos_task_cache);
}

static void xos_task_free_rcu(struct rcu_head *rcu)
{
	xos_task_free(container_of(rcu, struct xos_task, rcu));
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

struct xos_job *xos_job_find_from(u64 *id)
{
	unsigned long index = *id;
	struct xos_job *job;

	rcu_read_lock();
	for (;;) {
		job = xa_find(&xos_job_ids, &index, ULONG_MAX, XA_PRESENT);
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

/*
 * Returns t's entry with its job's lock held, or NULL. An entry that was
 * unlinked while we waited for the lock (the task was moved to another job)
 * is looked up again. Caller holds rcu_read_lock().
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

/* Adds @xt (not yet in the table) to the member list. job->lock held. */
static void xos_task_add_locked(struct xos_job *job, struct xos_task *xt,
				struct task_struct *t, bool is_proc)
{
	xt->task = t;
	xt->job = job;
	xt->is_proc = is_proc;
	xt->seq = ++job->next_seq;
	list_add_tail(&xt->job_node, &job->members);
	job->nr_tasks++;
	if (is_proc) {
		job->nr_procs++;
		job->procs_started++;
	}
	job->tasks_started++;
	job->members_gen++;
	if (!job->anchor)
		job->anchor = xt;
}

/*
 * A process leaves the job with its last member thread, not with its
 * leader (pthread_exit() in main, or de_thread() in exec): hand the
 * process count to another member thread of the same process. Costs a
 * walk of the process's threads, only when a counted thread leaves a
 * multi-threaded process. job->lock held, rcu_read_lock() held.
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
			ot->is_proc = true;
			return true;
		}
	}
	return false;
}

/*
 * Whether @t, joining @job, is the first member thread of its process
 * there (and so counts the process). job->lock held, rcu_read_lock() held.
 */
static bool xos_task_first_of_process(struct xos_job *job,
				      struct task_struct *t)
{
	struct task_struct *other;
	struct xos_task *ot;

	for_each_thread(t, other) {
		if (other == t)
			continue;
		ot = rhashtable_lookup(&xos_job_tasks, &other, xos_task_params);
		if (ot && ot->job == job && ot->is_proc)
			return false;
	}
	return true;
}

static void xos_job_end_locked(struct xos_job *job);

/*
 * Takes @xt off its job's member list. job->lock held. Returns true when
 * that was the last member: the job has ended and the caller must call
 * xos_job_end() once the lock is dropped.
 */
static bool xos_task_del_locked(struct xos_task *xt)
{
	struct xos_job *job = xt->job;

	list_del(&xt->job_node);
	xt->unlinked = true;
	job->nr_tasks--;
	if (xt->is_proc && !xos_task_pass_process(xt))
		job->nr_procs--;
	job->tasks_exited++;
	job->members_gen++;
	if (job->anchor == xt)
		job->anchor = list_first_entry_or_null(&job->members,
						       struct xos_task,
						       job_node);
	if (job->nr_tasks)
		return false;
	xos_job_end_locked(job);
	return true;
}

/*
 * Puts the job's final figures into its record, job->lock held. Nothing is
 * live: the sums of the members that left are the totals.
 */
static void xos_job_end_locked(struct xos_job *job)
{
	struct xos_job_record *rec = job->rec;

	job->ended = true;
	rec->owner = job->owner;
	rec->created_real_ns = job->created_real_ns;
	rec->created_boot_ns = job->created_boot_ns;
	rec->ended_real_ns = ktime_get_real_ns();
	rec->ended_boot_ns = ktime_get_boottime_ns();
	rec->flags = job->flags;
	rec->delayacct_on = job->delayacct_on;
	rec->tasks_started = job->tasks_started;
	rec->procs_started = job->procs_started;
	rec->acct = job->dead;
	/*
	 * Published under ->lock: whoever sees ->ended under that lock finds
	 * the record (JOB_GET of a job that ends under it answers with it).
	 */
	job->rec = NULL;
	xos_record_push(rec);
}

/* Called once, by whoever ended the job, without its lock. */
static void xos_job_end(struct xos_job *job)
{
	/* the record was pushed before the live job disappears */
	xa_erase(&xos_job_ids, job->id);
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
	ended = xos_task_del_locked(xt);
	spin_unlock(&job->lock);
	if (ended)
		xos_job_end(job);
	call_rcu(&xt->rcu, xos_task_free_rcu);
}

struct xos_job *xos_job_create(const char *label, kuid_t owner,
			       bool delayacct_on,
			       struct netlink_ext_ack *extack)
{
	struct xos_job *job;
	int err;

	if (atomic_inc_return(&xos_job_nr_jobs) > READ_ONCE(xos_job_max_jobs)) {
		atomic_dec(&xos_job_nr_jobs);
		NL_SET_ERR_MSG(extack, "too many jobs (module parameter max_jobs)");
		return ERR_PTR(-ENOSPC);
	}
	err = -ENOMEM;
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		goto err_count;
	if (label) {
		job->label = kstrdup(label, GFP_KERNEL);
		if (!job->label)
			goto err_free;
	}
	spin_lock_init(&job->lock);
	INIT_LIST_HEAD(&job->members);
	/* the live reference and the caller's */
	refcount_set(&job->ref, 2);
	job->owner = owner;
	job->delayacct_on = delayacct_on;
	job->created_real_ns = ktime_get_real_ns();
	job->created_boot_ns = ktime_get_boottime_ns();
	job->id = atomic64_inc_return(&xos_job_last_id);
	job->rec = xos_record_alloc(job->id, label);
	if (!job->rec)
		goto err_free;
	err = xa_insert(&xos_job_ids, job->id, job, GFP_KERNEL);
	if (err)
		goto err_free;
	atomic_inc(&xos_job_gen);
	return job;

err_free:
	xos_job_free(job);
err_count:
	atomic_dec(&xos_job_nr_jobs);
	NL_SET_ERR_MSG(extack, "out of memory creating the job");
	return ERR_PTR(err);
}

/* Ends a job that never got a member (its first process was exiting). */
void xos_job_abandon_if_empty(struct xos_job *job)
{
	bool end;

	spin_lock(&job->lock);
	end = !job->ended && !job->tasks_started;
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

enum xos_adopt_result {
	XOS_ADOPT_LINKED,	/* @x now tracks the task */
	XOS_ADOPT_ALREADY,	/* already a member, or exiting: nothing to do */
	XOS_ADOPT_RETRY,	/* raced with a fork, exit or move: next pass */
};

/*
 * Makes thread @t a member of @job using the preallocated @x. Caller holds
 * rcu_read_lock() and genl_mutex (so no other adopt runs).
 */
static int xos_task_adopt_one(struct xos_job *job, struct task_struct *t,
			      struct xos_task *x, bool may_move)
{
	struct xos_job *oldjob = NULL;
	struct xos_task *old;
	bool old_ended = false;
	struct xos_acct now;
	int ret;

	if (READ_ONCE(t->flags) & PF_EXITING)
		return XOS_ADOPT_ALREADY;
	old = rhashtable_lookup(&xos_job_tasks, &t, xos_task_params);
	if (old) {
		oldjob = old->job;
		if (oldjob == job)
			return XOS_ADOPT_ALREADY;
		if (!may_move)
			return -EBUSY;
		xos_job_lock_two(job, oldjob);
		if (old->unlinked) {
			ret = XOS_ADOPT_RETRY;
			goto unlock;
		}
	} else {
		spin_lock(&job->lock);
	}
	if (job->ended || (job->flags & XOS_JOB_F_KILLED)) {
		ret = -ESRCH;
		goto unlock;
	}
	/* from now on the task's use counts for @job, up to now for the old */
	xos_acct_read(&now, t, NULL);
	*x->base = now;
	WRITE_ONCE(x->mm, READ_ONCE(t->mm));
	if (old) {
		/*
		 * Swap the entries in one step: a concurrent fork or exit of
		 * @t finds either the old entry (and sees it unlinked once it
		 * gets the old job's lock) or the new one, never none.
		 */
		x->task = t;
		x->job = job;
		ret = rhashtable_replace_fast(&xos_job_tasks, &old->node,
					      &x->node, xos_task_params);
		if (ret) {
			ret = XOS_ADOPT_RETRY;
			goto unlock;
		}
		xos_acct_add(&oldjob->dead, &now, old->base);
		old_ended = xos_task_del_locked(old);
		xos_task_add_locked(job, x, t,
				    xos_task_first_of_process(job, t));
		ret = XOS_ADOPT_LINKED;
	} else {
		x->task = t;
		x->job = job;
		ret = rhashtable_lookup_insert_fast(&xos_job_tasks, &x->node,
						    xos_task_params);
		if (ret == -EEXIST) {
			ret = XOS_ADOPT_RETRY;
		} else if (!ret) {
			xos_task_add_locked(job, x, t,
					    xos_task_first_of_process(job, t));
			ret = XOS_ADOPT_LINKED;
		}
	}
unlock:
	if (oldjob)
		spin_unlock(&oldjob->lock);
	spin_unlock(&job->lock);
	if (old_ended)
		xos_job_end(oldjob);
	if (ret != XOS_ADOPT_LINKED)
		return ret;
	if (old)
		call_rcu(&old->rcu, xos_task_free_rcu);

	/*
	 * do_exit() sets PF_EXITING and then does atomic_dec_and_test() on
	 * signal->live (a full barrier) before the exit probe looks the task
	 * up. With this barrier, either that probe finds @x, or we see
	 * PF_EXITING here and take @x out ourselves; both may happen, and
	 * whoever gets the job lock second sees ->unlinked.
	 */
	smp_mb();
	if (READ_ONCE(t->flags) & PF_EXITING) {
		spin_lock(&job->lock);
		if (x->unlinked) {
			spin_unlock(&job->lock);
		} else {
			/* under the lock, as in xos_job_task_exiting() */
			xos_acct_read(&now, t, NULL);
			xos_acct_add(&job->dead, &now, x->base);
			xos_task_unlink_unlock(x);
		}
	}
	return XOS_ADOPT_LINKED;
}

static void xos_task_pool_free(struct list_head *pool)
{
	struct xos_task *x, *tmp;

	list_for_each_entry_safe(x, tmp, pool, job_node)
		xos_task_free(x);
}

/*
 * Makes every thread of @p's process a member of @job. Called from netlink
 * operations (process context, genl_mutex held).
 *
 * A thread created while we walk the list could be missed: its fork probe
 * may look its parent up before we linked the parent, while our walk has
 * already passed the place the new thread was added. Both sides issue a
 * full barrier between "publish" and "look" (the probe after copy_process()
 * linked the child, we after linking), so a later pass is guaranteed to see
 * any such thread. Passes repeat until one links nothing new.
 */
int xos_job_adopt(struct xos_job *job, struct task_struct *p,
		  bool may_move, unsigned int *nr_adopted,
		  struct netlink_ext_ack *extack)
{
	unsigned int pass, pooled = 0, linked = 0;
	LIST_HEAD(pool);
	int err = 0;

	for (pass = 0; pass < XOS_JOB_ADOPT_PASSES; pass++) {
		unsigned int want = READ_ONCE(p->signal->nr_threads) + 1;
		unsigned int linked_now = 0;
		bool again = false;
		struct task_struct *t;

		for (; pooled < want; pooled++) {
			struct xos_task *x;

			x = kmem_cache_zalloc(xos_task_cache, GFP_KERNEL);
			if (x)
				x->base = kmalloc(sizeof(*x->base), GFP_KERNEL);
			if (!x || !x->base) {
				if (x)
					xos_task_free(x);
				NL_SET_ERR_MSG(extack, "out of memory tracking the process");
				err = -ENOMEM;
				goto out;
			}
			list_add(&x->job_node, &pool);
		}

		rcu_read_lock();
		for_each_thread(p, t) {
			struct xos_task *x;
			int ret;

			if (list_empty(&pool)) {
				again = true;	/* threads were created */
				break;
			}
			x = list_first_entry(&pool, struct xos_task, job_node);
			list_del(&x->job_node);
			ret = xos_task_adopt_one(job, t, x, may_move);
			if (ret == XOS_ADOPT_LINKED) {
				pooled--;
				linked_now++;
				continue;
			}
			list_add(&x->job_node, &pool);
			if (ret == XOS_ADOPT_RETRY) {
				again = true;
			} else if (ret < 0) {
				err = ret;
				break;
			}
		}
		rcu_read_unlock();
		linked += linked_now;
		if (err == -EBUSY) {
			NL_SET_ERR_MSG(extack, "process is already in another job; a member cannot leave its job");
			err = -EPERM;
			goto out;
		} else if (err == -ESRCH) {
			NL_SET_ERR_MSG(extack, "job has ended or was killed");
			goto out;
		} else if (err) {
			NL_SET_ERR_MSG(extack, "out of memory tracking the process");
			goto out;
		}
		/* pairs with smp_mb() in xos_job_task_forked() */
		smp_mb();
		if (pass && !again && !linked_now)
			break;
	}
	if (pass == XOS_JOB_ADOPT_PASSES) {
		/* a thread storm outran us; what we linked stays linked */
		NL_SET_ERR_MSG(extack, "process keeps creating threads; retry");
		err = -EAGAIN;
	} else if (!linked && !xos_job_task_in(job, p)) {
		NL_SET_ERR_MSG(extack, "process is exiting");
		err = -ESRCH;
	}
out:
	xos_task_pool_free(&pool);
	*nr_adopted = linked;
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

static void xos_job_prepare_siginfo(struct kernel_siginfo *info, int sig)
{
	clear_siginfo(info);
	info->si_signo = sig;
	info->si_errno = 0;
	info->si_code = SI_USER;
	info->si_pid = task_tgid_vnr(current);
	info->si_uid = from_kuid_munged(current_user_ns(), current_uid());
}

/* kill(2)'s rule for a caller without CAP_KILL (kill_ok_by_cred()). */
static bool xos_job_may_signal(const struct cred *cred, struct task_struct *t)
{
	const struct cred *tcred;
	bool ok;

	rcu_read_lock();
	tcred = __task_cred(t);
	ok = uid_eq(cred->euid, tcred->suid) || uid_eq(cred->euid, tcred->uid) ||
	     uid_eq(cred->uid, tcred->suid) || uid_eq(cred->uid, tcred->uid);
	rcu_read_unlock();
	return ok;
}

/*
 * Signals are process-directed: one member per process represents it, the
 * thread-group leader, or when the leader already left, the first member
 * thread of that process. job->lock held, rcu_read_lock() held.
 */
static bool xos_task_represents_process(struct xos_job *job,
					struct xos_task *xt)
{
	struct task_struct *t = xt->task, *leader = t->group_leader;
	struct xos_task *lt, *other;

	if (leader == t)
		return true;
	lt = rhashtable_lookup(&xos_job_tasks, &leader, xos_task_params);
	if (lt && lt->job == job)
		return false;
	list_for_each_entry(other, &job->members, job_node) {
		if (other == xt)
			return true;
		if (other->task->signal == t->signal)
			return false;
	}
	return true;
}

/*
 * Signals every member process. The whole walk runs under job->lock, which
 * the fork probe also takes to add a child, so a child is either on the
 * list we walk or is added after we are done; in the second case the probe
 * forwards the signal when the parent was signalled by this kill and has
 * not consumed it yet (the fork raced the kill), see
 * xos_job_forward_kill_locked(). After a complete SIGKILL the job is
 * marked killed and every later child is killed too.
 */
int xos_job_kill(struct xos_job *job, int sig, bool admin,
		 u32 *nr_signalled, u32 *nr_denied)
{
	const struct cred *cred = current_cred();
	struct kernel_siginfo info;
	struct xos_task *xt;
	u32 sent = 0, denied = 0;
	u64 gen;

	xos_job_prepare_siginfo(&info, sig);
	rcu_read_lock();
	spin_lock(&job->lock);
	if (job->ended) {
		spin_unlock(&job->lock);
		rcu_read_unlock();
		return -ESRCH;
	}
	gen = sig ? ++job->kill_gen : 0;
	if (sig)
		job->kill_sig = sig;
	list_for_each_entry(xt, &job->members, job_node) {
		bool rep = xos_task_represents_process(job, xt);

		if (!admin && !xos_job_may_signal(cred, xt->task)) {
			denied += rep;
			continue;
		}
		if (gen)
			xt->kill_gen = gen;
		if (!rep)
			continue;
		if (!sig || !send_sig_info(sig, &info, xt->task))
			sent++;
	}
	if (sig == SIGKILL && !denied)
		job->flags |= XOS_JOB_F_KILLED;
	spin_unlock(&job->lock);
	rcu_read_unlock();
	*nr_signalled = sent;
	*nr_denied = denied;
	return 0;
}

static bool xos_sig_pending(struct task_struct *t, int sig)
{
	return sigismember(&t->pending.signal, sig) ||
	       sigismember(&t->signal->shared_pending.signal, sig) ||
	       (sig == SIGKILL && (t->signal->flags & SIGNAL_GROUP_EXIT));
}

/* Fork probe, job->lock held: @child (a new process) joined as @xt. */
static void xos_job_forward_kill_locked(struct xos_job *job,
					struct xos_task *parent,
					struct xos_task *xt,
					struct task_struct *child)
{
	int sig;

	if (job->flags & XOS_JOB_F_KILLED)
		sig = SIGKILL;
	else if (job->kill_gen && parent->kill_gen == job->kill_gen &&
		 xos_sig_pending(current, job->kill_sig))
		sig = job->kill_sig;
	else
		return;
	xt->kill_gen = job->kill_gen;
	/* The child has not run yet; it takes the signal when it first does. */
	send_sig_info(sig, SEND_SIG_PRIV, child);
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
	if (likely(!rhashtable_lookup(&xos_job_tasks, &parent,
				      xos_task_params)))
		goto out;

	xt = kmem_cache_zalloc(xos_task_cache, GFP_ATOMIC | __GFP_NOWARN);
	pt = xos_task_lock(parent);
	if (!pt) {
		/* the parent was just taken out (it is exiting) */
		if (xt)
			kmem_cache_free(xos_task_cache, xt);
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
		if (!(clone_flags & CLONE_THREAD))
			xos_job_forward_kill_locked(job, pt, xt, child);
	} else if (err != -EEXIST) {
		/* not tracked: say so instead of losing the task silently */
		job->flags |= XOS_JOB_F_INCOMPLETE;
		atomic64_inc(&xos_job_nr_alloc_failures);
	}
	spin_unlock(&job->lock);
	if (err && xt)
		kmem_cache_free(xos_task_cache, xt);
out:
	rcu_read_unlock();
}

/*
 * sched_process_exit probe: the task's final figures go to its job. They
 * are read under the job's lock: a snapshot reads the live task under the
 * same lock, and a tick between an earlier read and the lock would let it
 * see more run time than the exit then adds, so the job's sums would go
 * down.
 */
void xos_job_task_exiting(struct task_struct *t)
{
	struct xos_task *xt;
	struct xos_acct a;

	rcu_read_lock();
	xt = xos_task_lock(t);
	if (xt) {
		xos_acct_read(&a, t, READ_ONCE(xt->mm));
		xos_acct_add(&xt->job->dead, &a, xt->base);
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
			xt->is_proc = true;
			xt->job->nr_procs++;
		}
		spin_unlock(&xt->job->lock);
	}
	rcu_read_unlock();
}

void xos_task_acct_locked(struct xos_task *xt, struct xos_acct *a)
{
	struct xos_acct cur;

	memset(a, 0, sizeof(*a));
	xos_acct_read(&cur, xt->task, NULL);
	xos_acct_add(a, &cur, xt->base);
}

void xos_job_snapshot(struct xos_job *job, struct pid_namespace *pid_ns,
		      struct xos_job_snap *s)
{
	struct xos_task *xt;
	struct xos_acct cur;

	memset(s, 0, sizeof(*s));
	spin_lock(&job->lock);
	s->nr_tasks = job->nr_tasks;
	s->nr_procs = job->nr_procs;
	s->tasks_started = job->tasks_started;
	s->tasks_exited = job->tasks_exited;
	s->procs_started = job->procs_started;
	s->flags = job->flags;
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
	list_for_each_entry(xt, &job->members, job_node) {
		xos_acct_read(&cur, xt->task, NULL);
		xos_acct_add(&s->acct, &cur, xt->base);
		xos_acct_count_state(&s->states, xt->task);
	}
	spin_unlock(&job->lock);
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
