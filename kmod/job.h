/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XOS_JOB_JOB_H
#define _XOS_JOB_JOB_H

#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include <linux/xos_job.h>

#include "acct.h"
#include "control.h"
#include "record.h"

struct cgroup;

/*
 * Locking overview
 *
 * xos_job_tasks (rhashtable, task_struct pointer -> struct xos_task) says
 * which job a task is in. Lookups run under RCU: the probes run with
 * preemption disabled, which is an RCU read-side section. An entry is
 * inserted, replaced or removed only with its job's ->lock held, so that a
 * job's member list and the table agree whenever that lock is held.
 *
 * xos_job_ids (xarray, id -> struct xos_job) holds the live jobs. It has
 * its own xa_lock. A job is erased from it once, when it ends, before its
 * "live" reference is dropped; lookups take a reference with
 * refcount_inc_not_zero() under RCU and treat failure as "not found".
 *
 * A job's member list is changed only under its ->lock, with the RCU list
 * primitives: JOB_KILL and the TASKS dump walk it under RCU, so that
 * neither holds the lock that every member's fork and exit needs for a time
 * that grows with the job (JOB_KILL takes it around each process's
 * signal). Such a walk may see a member that is leaving; it checks
 * ->unlinked and never sees a freed entry.
 *
 * Lock order: job->lock, then a task's siglock or alloc_lock, or the
 * record ring's lock (a job's record is pushed under its lock). When two job
 * locks are needed (moving a process between jobs), the job with the lower
 * id is locked first. No job lock is ever taken under a task lock.
 *
 * All netlink operations are serialized by genl_mutex (the family is not
 * parallel_ops); only the probes run concurrently with them.
 *
 * A snapshot (JOB_GET, JOB_LIST) of a job of more than a few members sums
 * them under RCU, not under the lock, so that a query of a large job never
 * keeps its forks and exits waiting for the whole walk. Each member is
 * counted exactly once by a claim: the walk marks a member it has read
 * with its generation (xchg(->walk_gen)), and a member that leaves while
 * the walk runs does the same under the job's lock before it reads its
 * final figures; whoever swaps in the generation first counts the member,
 * the leaver into the walk's ->walk_missed. The walker reads before it
 * claims and the leaver claims before it reads, so a member counted by
 * the walk never shows more than its final figures (sums never go down).
 */

/*
 * One tracked task. Freed after an RCU grace period, once it is unlinked
 * and no TASKS dump keeps its place at it (->ref).
 */
struct xos_task {
	struct rhash_head node;		/* in xos_job_tasks, under job->lock */
	struct task_struct *task;	/* key; valid while linked */
	/*
	 * Set before the entry is published in xos_job_tasks: a lookup that
	 * finds the entry takes this job's lock at once (xos_task_lock()),
	 * even while the publisher, holding that lock, is still linking it.
	 * Immutable.
	 */
	struct xos_job *job;
	struct list_head job_node;	/* job->members, see the overview */
	u64 seq;			/* join order in the job (dump cursor) */
	/*
	 * XOS_TASK_KILL_MARK(gen, denied) of the last JOB_KILL that dealt
	 * with this process (representatives only). Written under the job's
	 * lock, by that kill together with its signal or by the fork probe
	 * before the entry is published; read with READ_ONCE() in walks.
	 */
	u64 kill_mark;
	/* one for being linked, one per TASKS dump resuming after it */
	refcount_t ref;
	/*
	 * The task's figures when it joined, for a task that existed before
	 * (JOB_NEW, JOB_ATTACH): only its use since then counts for the job.
	 * NULL for a task created in the job (it started from zero).
	 * Immutable.
	 */
	struct xos_acct *base;
	/*
	 * The mm the task runs with, as an identity for the exit probe (see
	 * xos_acct_read()); written by the task itself at exec, or once at
	 * adoption. Never dereferenced through this pointer.
	 */
	const struct mm_struct *mm;
	/*
	 * Counted in job->nr_procs: the one member thread that represents its
	 * process (kill signals it). Under job->lock; READ_ONCE() in walks.
	 */
	bool is_proc;
	bool unlinked;			/* left its job; set under job->lock */
	/*
	 * The last snapshot walk that counted this member, or that the
	 * member claimed as it left (see the overview); only ever swapped
	 * with xchg(). Set to the running walk's generation when the entry
	 * joins, so that a walk never counts a member that joined after it
	 * started.
	 */
	u64 walk_gen;
	struct rcu_head rcu;
};

struct xos_job {
	u64 id;				/* immutable, never reused */
	kuid_t owner;			/* immutable */
	u64 created_real_ns;		/* immutable */
	u64 created_boot_ns;		/* immutable */
	/*
	 * kernel.task_delayacct at creation (immutable): delays are only
	 * reported when it was on then and is on now.
	 */
	bool delayacct_on;
	char *label;			/* immutable, may be NULL */
	/* immutable, NULL: none; jobs with enforced ones are marked */
	struct xos_job_limits *limits;
	/*
	 * A job restored from a checkpoint (JOB_NEW, admin): the job it came
	 * from (0: none) and that job's figures up to the checkpoint (NULL:
	 * none), which ->dead starts from. Immutable.
	 */
	u64 restored_from;
	struct xos_acct *base;
	/*
	 * Set by JOB_NEW before the job's first member joins, under
	 * genl_mutex (the only readers are netlink operations and, for
	 * ->first, the exit probe of members, which do not exist yet), then
	 * immutable: the recorded cgroup v2 (referenced; NULL only if the
	 * first member never joined) and the first process (its tgid).
	 */
	struct cgroup *cgrp;
	struct pid *first;
	refcount_t ref;			/* one "live" ref + lookups */
	struct rcu_head rcu;

	spinlock_t lock;		/* protects everything below */
	struct list_head members;	/* xos_task, oldest first */
	struct xos_task *anchor;	/* oldest live member, or NULL */
	struct xos_job_counts counts;
	/* figures of the members that left, since they joined */
	struct xos_acct dead;
	/* the user/system split last reported (snapshots and the record) */
	struct xos_cputime_prev cputime_prev;
	/*
	 * Preallocated end-of-job record: filled and handed to the ring
	 * under ->lock when the last member leaves, and this pointer
	 * cleared, in the same section that sets ->ended.
	 */
	struct xos_job_record *rec;
	u64 next_seq;
	u64 members_gen;		/* bumped on join/leave (dump check) */
	/*
	 * The running snapshot walk (see the overview): its generation, and
	 * where members that leave before it reached them add their figures
	 * (the walker's own, on its stack; NULL: no walk runs).
	 */
	u64 walk_seq;
	struct xos_acct *walk_missed;
	/*
	 * XOS_JOB_F_*. XOS_JOB_F_CHECKPOINTING is set and cleared only by
	 * JOB_CHECKPOINT (genl_mutex), under ->lock; the end of the job reads
	 * it under ->lock too, so that the end state and the mark agree.
	 */
	u32 flags;
	/* no member left; never set back. READ_ONCE() without the lock */
	bool ended;
	/*
	 * The last JOB_KILL (see xos_job_kill() and the fork probe): its
	 * generation and signal, whether its walk is still running, and when
	 * it ended (ktime_get_ns(), the clock of task->start_time).
	 */
	u64 kill_gen;
	u64 kill_end_ns;
	int kill_sig;
	bool kill_running;
	/*
	 * A JOB_KILL sent a signal that ends a process by default (set
	 * before it is sent, see xos_job_kill()).
	 */
	bool kill_ended;
	/*
	 * Why it ends: the first process's exit (the leader's exit code,
	 * then the process's wait status, -1 until it exited in the job),
	 * and the member processes the OOM killer took.
	 */
	int first_leader_code;
	int first_status;
	u64 nr_oom_killed;
	/*
	 * The enforced limits' state, written by their worker (control.c):
	 * the limit that fired (XOS_JOB_END_*_LIMIT), when its SIGKILL is
	 * due (boot-time ns, 0: none pending), and whether it was sent.
	 */
	u8 limit_state;
	bool limit_done;
	u64 limit_kill_at;
};

/* A kill generation and whether the caller was denied that process. */
#define XOS_TASK_KILL_MARK(gen, denied) (((gen) << 1) | !!(denied))

extern unsigned int xos_job_max_jobs;
extern unsigned int xos_job_max_jobs_per_user;
extern unsigned int xos_job_admin_reserve;
extern unsigned int xos_job_task_reserve;

/**
 * xos_job_init() - the job and member tables, the member reserve
 *
 * Return: 0, -EINVAL for a task_reserve above 65536, or -ENOMEM.
 */
int xos_job_init(void);
/**
 * xos_job_uninit() - frees the tables
 *
 * After the genl family and the probes are gone and
 * tracepoint_synchronize_unregister() returned: nothing can reach the
 * tables any more. Live jobs are forgotten; their tasks run on untagged.
 */
void xos_job_uninit(void);

/**
 * xos_job_get_by_id() - a live job by id
 * @id: its id
 *
 * Return: the job, referenced (drop it with xos_job_put()), or NULL.
 */
struct xos_job *xos_job_get_by_id(u64 id);
/**
 * xos_job_get_by_task() - the job a task is in
 * @t: the task
 *
 * Return: the job, referenced (drop it with xos_job_put()), or NULL.
 */
struct xos_job *xos_job_get_by_task(struct task_struct *t);
/**
 * xos_job_put() - drops a reference; the last frees the job after RCU
 * @job: the job
 */
void xos_job_put(struct xos_job *job);

/* A consistent view of a live job, taken under its lock. */
struct xos_job_snap {
	struct xos_job_counts counts;
	u32 flags;
	u64 nr_oom_killed;
	pid_t anchor_pid;		/* in the namespace asked for; 0: none */
	u64 anchor_start_ns;		/* its leader's start_boottime */
	bool ended;
	struct xos_acct acct;		/* dead members + live members now */
	struct xos_acct_states states;
};

/**
 * xos_job_snapshot() - a consistent view of a live job
 * @job: the job
 * @pid_ns: the namespace the anchor's pid is given in
 * @s: filled; ->ended set if the job's last member left meanwhile
 *
 * Costs one read of every live member: in proportion to the job's size,
 * never to the number of tasks on the system. Under RCU, the job's lock
 * taken twice briefly, except for a job of a few members, which is read
 * under its lock. Callers are serialized (genl_mutex); one that finds a
 * walk running walks under the lock instead.
 */
void xos_job_snapshot(struct xos_job *job, struct pid_namespace *pid_ns,
		      struct xos_job_snap *s);
/**
 * xos_task_acct() - a member's figures since it joined
 * @xt: the member, under job->lock, or under RCU for an entry found in
 *	the member list (it may be leaving: the figures are then those of a
 *	task about to exit)
 * @a: filled
 */
void xos_task_acct(struct xos_task *xt, struct xos_acct *a);

/**
 * xos_job_anchor() - the job's oldest live member
 * @job: the job
 * @pid_ns: the namespace for *@pid
 * @pid: its process id in @pid_ns (0: not visible there)
 * @start_ns: its thread group leader's start_boottime
 *
 * Return: the anchor, referenced, or NULL when no member is left.
 */
struct task_struct *xos_job_anchor(struct xos_job *job,
				   struct pid_namespace *pid_ns,
				   pid_t *pid, u64 *start_ns);

/**
 * xos_job_member_in_cgroup() - the oldest live member in the job's cgroup
 * @job: the job (JOB_ENTER)
 *
 * Walks the members under the job's lock until it finds one.
 *
 * Return: the member, referenced; ERR_PTR(-ENOENT) when none is in the
 * recorded cgroup any more, ERR_PTR(-ESRCH) when no member is left.
 */
struct task_struct *xos_job_member_in_cgroup(struct xos_job *job);

/**
 * xos_job_count() - live jobs
 *
 * Return: their number.
 */
u32 xos_job_count(void);
/**
 * xos_job_task_count() - tracked tasks, in every job
 *
 * Return: their number.
 */
u64 xos_job_task_count(void);
/**
 * xos_job_alloc_failures() - tasks that could not be tracked
 *
 * Return: their number since the module was loaded.
 */
u64 xos_job_alloc_failures(void);
/**
 * xos_job_list_gen() - bumped whenever a job is created or ends
 *
 * Return: the generation, the LIST dump's NLM_F_DUMP_INTR source (never 0).
 */
u32 xos_job_list_gen(void);
/**
 * xos_job_find_from() - the next live job in id order
 * @id: where to start; set to the id of the job found
 *
 * Return: the live job with the lowest id >= *@id, referenced, or NULL.
 */
struct xos_job *xos_job_find_from(u64 *id);
/**
 * xos_job_find_limited_from() - xos_job_find_from() among the live jobs
 *	with a limit the module enforces
 * @id: as for xos_job_find_from()
 *
 * Return: as xos_job_find_from().
 */
struct xos_job *xos_job_find_limited_from(u64 *id);

/**
 * xos_job_create() - a new job, without members yet
 * @label: copied; may be NULL
 * @owner: its owner
 * @admin: the caller is the administrator, who is held to max_jobs only;
 *	others also to max_jobs - admin_reserve and to max_jobs_per_user
 *	live jobs per owner
 * @delayacct_on: kernel.task_delayacct now
 * @limits: taken (may be NULL), also on failure
 * @restored_from: see struct xos_job
 * @base: see struct xos_job; taken (may be NULL), also on failure
 * @extack: for the error's message
 *
 * Return: the job, referenced, or an ERR_PTR with @extack set (-ENOSPC
 * beyond a limit on jobs, -ENOMEM).
 */
struct xos_job *xos_job_create(const char *label, kuid_t owner, bool admin,
			       bool delayacct_on,
			       struct xos_job_limits *limits,
			       u64 restored_from, struct xos_acct *base,
			       struct netlink_ext_ack *extack);
/**
 * xos_job_set_checkpointing() - sets or clears XOS_JOB_F_CHECKPOINTING
 * @job: the job (JOB_CHECKPOINT)
 * @on: set or clear
 * @flags: the job's flags after the change
 *
 * Return: 0, or -ESRCH when the job has ended.
 */
int xos_job_set_checkpointing(struct xos_job *job, bool on, u32 *flags);
/**
 * xos_job_set_first() - records @t's cgroup v2 and process as the job's
 * @job: a job from JOB_NEW, before it adopts @t (see struct xos_job)
 * @t: its first process
 */
void xos_job_set_first(struct xos_job *job, struct task_struct *t);
/**
 * xos_job_runtime() - the job's total CPU time
 * @job: the job
 *
 * RUNTIME_NS of members that left and live ones, exact, without holding
 * the job's lock while walking the members unless they keep changing.
 * Process context.
 *
 * Return: the time in ns.
 */
u64 xos_job_runtime(struct xos_job *job);
/**
 * xos_job_adopt() - makes every thread of @t's process a member of @job
 * @job: the job
 * @t: a thread of the process
 * @may_move: the process may leave the job it is in (admin)
 * @nr_adopted: the threads that joined
 * @extack: for the error's message
 *
 * All or nothing. Netlink operations only (process context, genl_mutex
 * held, so no other adopt runs).
 *
 * Return: 0, or an errno with @extack set: -ESRCH when the job has ended
 * or was killed or the process is exiting, -EPERM when the process is in
 * another job and may not move, -EAGAIN when it keeps changing, -ENOMEM.
 */
int xos_job_adopt(struct xos_job *job, struct task_struct *t,
		  bool may_move, unsigned int *nr_adopted,
		  struct netlink_ext_ack *extack);
/**
 * xos_job_task_in() - whether @t is a member of @job
 * @job: the job
 * @t: the task
 *
 * Return: true if it is, now.
 */
bool xos_job_task_in(struct xos_job *job, struct task_struct *t);
/**
 * xos_job_abandon_if_empty() - ends a job that never got a member
 * @job: a job from JOB_NEW whose first process was exiting
 */
void xos_job_abandon_if_empty(struct xos_job *job);
/**
 * xos_job_has_ended() - whether a job has ended, its record published
 * @job: a job, referenced
 *
 * ->ended is set under the job's lock before its record is pushed, under
 * the lock too: a lockless reader that sees it waits for the lock, so that
 * a record lookup after a true answer finds the record (unless the ring
 * dropped it since).
 *
 * Return: true when the job has ended.
 */
bool xos_job_has_ended(struct xos_job *job);
/**
 * xos_job_kill() - signals every member process, as kill(2) would
 * @job: the job
 * @sig: the signal, 0 only checks
 * @priv: the module's own signal (a limit), sent without a permission check
 * @nr_signalled: processes signalled
 * @nr_denied: processes the caller may not signal
 *
 * Process context; kills are serialized.
 *
 * Return: 0, or -ESRCH when the job has ended.
 */
int xos_job_kill(struct xos_job *job, int sig, bool priv, u32 *nr_signalled,
		 u32 *nr_denied);

/*
 * A TASKS dump walks the members under RCU, in join order, and keeps its
 * place between calls with a reference on the last member it sent.
 */
/**
 * xos_task_hold() - keeps a member entry for a dump's next call
 * @xt: the entry, found under rcu_read_lock()
 *
 * Return: true, or false when the entry is being freed.
 */
bool xos_task_hold(struct xos_task *xt);
/**
 * xos_task_release() - drops xos_task_hold()'s reference
 * @xt: the entry
 */
void xos_task_release(struct xos_task *xt);
/**
 * xos_task_next() - the member after @pos, in join order
 * @job: the job
 * @pos: the last member seen (NULL: from the first)
 * @after: the join sequence to restart after when @pos has left the job
 *
 * Caller holds rcu_read_lock().
 *
 * Return: the member, or NULL at the end.
 */
struct xos_task *xos_task_next(struct xos_job *job, struct xos_task *pos,
			       u64 after);

/*
 * Probe bodies: atomic context, never sleep.
 */
/**
 * xos_job_task_forked() - task_newtask: @child joins its creator's job
 * @child: the new task (current is its creator)
 * @clone_flags: clone()'s flags
 */
void xos_job_task_forked(struct task_struct *child, unsigned long clone_flags);
/**
 * xos_job_task_exiting() - sched_process_exit: @t leaves its job
 * @t: current, exiting
 */
void xos_job_task_exiting(struct task_struct *t);
/**
 * xos_job_task_exec() - sched_process_exec: @t may now be its process
 * @t: current, after exec()
 */
void xos_job_task_exec(struct task_struct *t);

#endif /* _XOS_JOB_JOB_H */
