// SPDX-License-Identifier: GPL-2.0
/*
 * Job control: limits, and the worker that enforces a job's total CPU time
 * and wall-clock limits.
 *
 * One delayed work looks at every job with an enforced limit (marked in
 * the job table) and sleeps until the earliest moment one of them could
 * reach its limit: a wall-clock deadline, or the rest of a CPU budget
 * spent with every online CPU busy. Nothing is added to the fork and exit
 * paths; the cost is one walk of a limited job's members per look, and
 * the looks grow denser only as a budget runs out.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include "compat.h"
#include "control.h"
#include "job.h"
#include "netlink-gen.h"

/**
 * xos_limit_cpulist_ok() - whether @s is a cpuset list as cgroupfs takes it
 * @s: "0-3,8": no blanks, not empty
 *
 * Return: true if it is.
 */
static bool xos_limit_cpulist_ok(const char *s)
{
	bool digit = false;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if ((*s == ',' || *s == '-') && digit)
			digit = false;
		else
			return false;
	}
	return digit;
}

struct xos_job_limits *xos_limit_parse(const struct nlattr *nest,
				       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[XOS_JOB_LIMIT_A_MAX + 1];
	struct xos_job_limits *l;
	int i, err;

	/* the op's policy checked the nest already: this only parses it */
	err = nla_parse_nested(tb, XOS_JOB_LIMIT_A_MAX, nest,
			       xos_job_limits_nl_policy, extack);
	if (err)
		return ERR_PTR(err);
	if (tb[XOS_JOB_LIMIT_A_GRACE_NS] && !tb[XOS_JOB_LIMIT_A_CPU_TIME_NS] &&
	    !tb[XOS_JOB_LIMIT_A_TIME_NS]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[XOS_JOB_LIMIT_A_GRACE_NS],
				    "a grace period needs a CPU time or wall-clock limit");
		return ERR_PTR(-EINVAL);
	}
	if (!tb[XOS_JOB_LIMIT_A_CPU_QUOTA_US] !=
	    !tb[XOS_JOB_LIMIT_A_CPU_PERIOD_US]) {
		NL_SET_ERR_MSG_ATTR(extack,
				    tb[XOS_JOB_LIMIT_A_CPU_QUOTA_US] ?:
				    tb[XOS_JOB_LIMIT_A_CPU_PERIOD_US],
				    "a CPU quota and its period go together");
		return ERR_PTR(-EINVAL);
	}
	for (i = XOS_JOB_LIMIT_A_CPUS; i <= XOS_JOB_LIMIT_A_MEMS; i++) {
		if (tb[i] && !xos_limit_cpulist_ok(nla_data(tb[i]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "not a cpuset list (such as 0-3,8)");
			return ERR_PTR(-EINVAL);
		}
	}
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l) {
		NL_SET_ERR_MSG(extack, "out of memory reading the limits");
		return ERR_PTR(-ENOMEM);
	}
	for (i = XOS_JOB_LIMIT_A_CPU_TIME_NS; i <= XOS_LIMIT_LAST_U64; i++) {
		if (tb[i]) {
			l->set |= BIT(i);
			l->v[i] = nla_get_u64(tb[i]);
		}
	}
	if (tb[XOS_JOB_LIMIT_A_CPUS]) {
		l->set |= BIT(XOS_JOB_LIMIT_A_CPUS);
		nla_strscpy(l->cpus, tb[XOS_JOB_LIMIT_A_CPUS], sizeof(l->cpus));
	}
	if (tb[XOS_JOB_LIMIT_A_MEMS]) {
		l->set |= BIT(XOS_JOB_LIMIT_A_MEMS);
		nla_strscpy(l->mems, tb[XOS_JOB_LIMIT_A_MEMS], sizeof(l->mems));
	}
	if (!l->set) {
		kfree(l);
		return NULL;
	}
	if (xos_limit_enforced(l) && !xos_limit_has(l, XOS_JOB_LIMIT_A_GRACE_NS)) {
		l->set |= BIT(XOS_JOB_LIMIT_A_GRACE_NS);
		l->v[XOS_JOB_LIMIT_A_GRACE_NS] = XOS_LIMIT_GRACE_DEFAULT_NS;
	}
	return l;
}

bool xos_limit_enforced(const struct xos_job_limits *l)
{
	return xos_limit_has(l, XOS_JOB_LIMIT_A_CPU_TIME_NS) ||
	       xos_limit_has(l, XOS_JOB_LIMIT_A_TIME_NS);
}

static void xos_limit_check(struct work_struct *work);
static DECLARE_DELAYED_WORK(xos_limit_work, xos_limit_check);

/**
 * xos_limit_job() - enforces one job's limits
 * @job: the job
 * @now: CLOCK_BOOTTIME
 *
 * Process context (the worker). The job's limit state (->limit_state,
 * ->limit_kill_at, ->limit_done) is under job->lock; only this worker
 * writes it, the end of the job reads it.
 *
 * Return: the ns until it must be looked at again, U64_MAX for never.
 */
static u64 xos_limit_job(struct xos_job *job, u64 now)
{
	const struct xos_job_limits *l = job->limits;
	u64 wait = U64_MAX, grace = l->v[XOS_JOB_LIMIT_A_GRACE_NS];
	u32 sent, denied;
	u8 state = 0;
	int sig = 0;

	spin_lock(&job->lock);
	if (job->ended || job->limit_done) {
		spin_unlock(&job->lock);
		return U64_MAX;
	}
	if (job->limit_kill_at) {
		/* a limit fired: the grace period runs */
		if (now >= job->limit_kill_at) {
			sig = SIGKILL;
			job->limit_done = true;
		} else {
			wait = job->limit_kill_at - now;
		}
		spin_unlock(&job->lock);
		goto send;
	}
	spin_unlock(&job->lock);

	if (xos_limit_has(l, XOS_JOB_LIMIT_A_TIME_NS)) {
		u64 deadline = job->created_boot_ns +
			       l->v[XOS_JOB_LIMIT_A_TIME_NS];

		if (now >= deadline) {
			state = XOS_JOB_END_TIME_LIMIT;
			sig = SIGTERM;
		} else {
			wait = deadline - now;
		}
	}
	if (!state && xos_limit_has(l, XOS_JOB_LIMIT_A_CPU_TIME_NS)) {
		u64 budget = l->v[XOS_JOB_LIMIT_A_CPU_TIME_NS];
		u64 used = xos_job_runtime(job);

		if (used >= budget) {
			state = XOS_JOB_END_CPU_TIME_LIMIT;
			sig = SIGXCPU;
		} else {
			/* the soonest it can be spent: every CPU busy */
			wait = min(wait, div_u64(budget - used,
						 num_online_cpus()));
		}
	}
	if (!state)
		return wait;

	spin_lock(&job->lock);
	if (job->ended) {
		spin_unlock(&job->lock);
		return U64_MAX;
	}
	job->limit_state = state;
	job->flags |= XOS_JOB_F_LIMIT_HIT;
	if (!grace) {
		sig = SIGKILL;
		job->limit_done = true;
	} else {
		job->limit_kill_at = now + grace;
		wait = grace;
	}
	spin_unlock(&job->lock);
	pr_debug("job %llu: %s limit reached\n", job->id,
		 state == XOS_JOB_END_TIME_LIMIT ? "wall-clock" : "CPU time");
send:
	/*
	 * As the kernel's own RLIMIT_CPU signals: no permission check, the
	 * module enforces what the job was created with.
	 */
	if (sig)
		xos_job_kill(job, sig, true, &sent, &denied);
	return sig == SIGKILL ? U64_MAX : wait;
}

/**
 * xos_limit_check() - the worker: looks at every job with enforced limits
 * @work: xos_limit_work
 *
 * Rearms itself for the soonest a limit can be reached.
 */
static void xos_limit_check(struct work_struct *work)
{
	u64 id = 1, next = U64_MAX;
	struct xos_job *job;

	while ((job = xos_job_find_limited_from(&id))) {
		next = min(next, xos_limit_job(job, ktime_get_boottime_ns()));
		xos_job_put(job);
		id++;
		cond_resched();
	}
	if (next == U64_MAX)
		return;
	/*
	 * Early rather than late: a look that finds the budget not spent
	 * yet only arms the next one. A kick meanwhile armed an earlier one,
	 * which this leaves in place.
	 */
	queue_delayed_work(system_wq, &xos_limit_work,
			   max_t(unsigned long, 1, nsecs_to_jiffies(next)));
}

void xos_limit_kick(void)
{
	mod_delayed_work(system_wq, &xos_limit_work, 0);
}

void xos_limit_uninit(void)
{
	/* no request is left to kick it: the family is gone */
	cancel_delayed_work_sync(&xos_limit_work);
}
