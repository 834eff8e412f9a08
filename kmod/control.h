/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Job control: the limits a job runs under, the two the module enforces
 * itself (total CPU time, wall-clock time) and the worker that does it,
 * and why a job ended.
 */
#ifndef _XOS_JOB_CONTROL_H
#define _XOS_JOB_CONTROL_H

#include <linux/skbuff.h>
#include <linux/types.h>
#include <net/netlink.h>

#include <linux/xos_job.h>

struct xos_job;

/* The last u64 limit attribute; CPUS and MEMS are strings. */
#define XOS_LIMIT_LAST_U64	XOS_JOB_LIMIT_A_IO_WEIGHT
/* Between a limit's first signal and SIGKILL unless the creator says. */
#define XOS_LIMIT_GRACE_DEFAULT_NS	(10ULL * NSEC_PER_SEC)

/*
 * The limits given to JOB_NEW, as given (validated). Immutable once the
 * job is created; the job and its record each own a copy.
 */
struct xos_job_limits {
	u32 set;			/* BIT(XOS_JOB_LIMIT_A_*) given */
	u64 v[XOS_LIMIT_LAST_U64 + 1];	/* indexed by XOS_JOB_LIMIT_A_* */
	char cpus[XOS_JOB_CPULIST_MAX + 1];
	char mems[XOS_JOB_CPULIST_MAX + 1];
};

static inline bool xos_limit_has(const struct xos_job_limits *l, int type)
{
	return l && (l->set & BIT(type));
}

/*
 * Checks a XOS_JOB_A_LIMITS nest that passed the policy: a new allocation,
 * NULL when it sets nothing, or an ERR_PTR with the extack set.
 */
struct xos_job_limits *xos_limits_parse(const struct nlattr *nest,
					struct netlink_ext_ack *extack);
/* The nest as sent back in job objects; nothing when @l is NULL. */
int xos_limits_put(struct sk_buff *skb, int type,
		   const struct xos_job_limits *l);

/*
 * The enforcement worker. Stop it after the genl family is gone (nothing
 * kicks it then) and before the job tables go.
 */
void xos_limit_exit(void);
/* A job with enforced limits was created: look at it now. */
void xos_limit_kick(void);
/* Whether @l has a limit the module enforces. */
bool xos_limits_enforced(const struct xos_job_limits *l);

#endif /* _XOS_JOB_CONTROL_H */
