/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-task and per-job resource figures: the fields taskstats keeps per
 * task, read from a task_struct and summed per job.
 */
#ifndef _XOS_JOB_ACCT_H
#define _XOS_JOB_ACCT_H

#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include <net/netlink.h>

#include <linux/xos_job.h>

/* Delay kinds, in the order of XOS_JOB_STATS_A_*_DELAY_NS in the uapi. */
enum xos_acct_delay {
	XOS_ACCT_DELAY_CPU,
	XOS_ACCT_DELAY_BLKIO,
	XOS_ACCT_DELAY_SWAPIN,
	XOS_ACCT_DELAY_FREEPAGES,
	XOS_ACCT_DELAY_THRASHING,
	XOS_ACCT_DELAY_COMPACT,
	XOS_ACCT_DELAY_WPCOPY,
	XOS_ACCT_NR_DELAYS,
};

/*
 * Figures of one task, or sums over many. Everything is summed except the
 * two high-water marks, which are maxima. Units follow taskstats where it
 * has the field (high-water marks in KiB), but coremem/virtmem are kept in
 * the kernel's pages * usec and converted to MB-usec only when sent;
 * times are nanoseconds. utime_ns and stime_ns are the tick samples
 * (task->utime, ->stime) while summed, and become the run time's split
 * only when reported (xos_acct_split_cputime()): one division per query
 * instead of cputime_adjust()'s lock and division per task read.
 */
struct xos_acct {
	u64 utime_ns;
	u64 stime_ns;
	u64 runtime_ns;
	u64 minflt;
	u64 majflt;
	u64 nvcsw;
	u64 nivcsw;
	u64 rchar;
	u64 wchar;
	u64 syscr;
	u64 syscw;
	u64 read_bytes;
	u64 write_bytes;
	u64 cancelled_write_bytes;
	u64 coremem;		/* pages * usec (acct_rss_mem1) */
	u64 virtmem;		/* pages * usec (acct_vm_mem1) */
	u64 delay_ns[XOS_ACCT_NR_DELAYS];
	u64 delay_count[XOS_ACCT_NR_DELAYS];
	u64 hiwater_rss_kb;	/* max */
	u64 hiwater_vm_kb;	/* max */
};

/**
 * xos_acct_read() - a task's figures now
 * @a: filled
 * @t: the task
 * @exited_mm: NULL for a live task; for current in the sched_process_exit
 *	probe (after exit_mm()), the mm it last ran with (an identity, not a
 *	reference): its RSS high-water then comes from signal->maxrss and its
 *	VM high-water from ->active_mm if that is still this mm.
 *
 * Never sleeps.
 */
void xos_acct_read(struct xos_acct *a, struct task_struct *t,
		   const struct mm_struct *exited_mm);
/**
 * xos_acct_read_thread() - a thread's own figures now
 * @a: filled, with the two high-water marks left 0
 * @t: the thread
 *
 * The high-water marks belong to the process, not the thread: a sum over
 * a process's threads reads them once. Never sleeps.
 */
void xos_acct_read_thread(struct xos_acct *a, struct task_struct *t);
/**
 * xos_acct_add() - adds a task's use since it joined to a sum
 * @sum: @sum += @cur - @base; its maxima take @cur's if higher
 * @cur: the figures now
 * @base: the figures when the task joined (NULL: it started in the job)
 */
void xos_acct_add(struct xos_acct *sum, const struct xos_acct *cur,
		  const struct xos_acct *base);

/*
 * The user and system time last reported for the same figures, so that
 * neither goes down from one report to the next (the ratio of the samples
 * moves while the run time grows).
 */
struct xos_cputime_prev {
	u64 utime_ns;
	u64 stime_ns;
};

/**
 * xos_acct_split_cputime() - the run time split as user and system time
 * @a: figures whose utime_ns/stime_ns are summed tick samples; on return
 *	they split runtime_ns in the samples' ratio, as getrusage() splits a
 *	process's (cputime_adjust())
 * @prev: the last split of the same figures, never gone below and updated
 *	(under the lock that serializes its reports); NULL for a one-off
 */
void xos_acct_split_cputime(struct xos_acct *a, struct xos_cputime_prev *prev);

/* Task states, counted the way cgroupstats counts them. */
struct xos_acct_states {
	u64 running;
	u64 sleeping;
	u64 uninterruptible;
	u64 stopped;
	u64 io_wait;
	u64 frozen;
};

/**
 * xos_acct_count_state() - counts a task in the state it is in now
 * @s: the counts
 * @t: the task
 *
 * Inline: it runs per member of every query.
 */
static inline void xos_acct_count_state(struct xos_acct_states *s,
					struct task_struct *t)
{
	unsigned int state = READ_ONCE(t->__state);

	if (task_is_stopped_or_traced(t))
		s->stopped++;
	else if (state == TASK_RUNNING)
		s->running++;
	else if ((state & TASK_UNINTERRUPTIBLE) && !(state & TASK_NOLOAD))
		s->uninterruptible++;
	else
		s->sleeping++;
	if (t->in_iowait)
		s->io_wait++;
	/* held by the cgroup v2 freezer (a bit its own task sets) */
	if (t->frozen)
		s->frozen++;
}

/**
 * xos_acct_delayacct_on() - whether kernel.task_delayacct is on
 *
 * Read at most once a second. Process context (it may sleep).
 *
 * Return: true when delay accounting is on.
 */
bool xos_acct_delayacct_on(void);
/**
 * xos_acct_init() - mounts the private proc that delayacct is read from
 *
 * A failed mount is not fatal: delay accounting is then reported off.
 *
 * Return: 0, or -ENOENT when the kernel has no proc filesystem.
 */
int xos_acct_init(void);
/**
 * xos_acct_uninit() - the reverse of xos_acct_init()
 */
void xos_acct_uninit(void);

/**
 * xos_acct_parse() - a restored job's base figures from JOB_NEW
 * @nest: XOS_JOB_A_BASE, a nest of XOS_JOB_STATS_A_* that passed its
 *	policy (base-stats in the spec: u64 figures only)
 * @extack: for the error's message
 *
 * Return: the figures, allocated, or an ERR_PTR with @extack set.
 */
struct xos_acct *xos_acct_parse(const struct nlattr *nest,
				struct netlink_ext_ack *extack);

/**
 * xos_acct_mb_usec() - pages * usec to MB * usec, as taskstats sends them
 * @page_usec: struct xos_acct's coremem or virtmem
 *
 * Return: the figure in MB-usec, computed without overflow.
 */
u64 xos_acct_mb_usec(u64 page_usec);

#endif /* _XOS_JOB_ACCT_H */
