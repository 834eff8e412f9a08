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

/**
 * xos_limit_parse() - the limits of a JOB_NEW request
 * @nest: XOS_JOB_A_LIMITS, which passed its policy (ranges and lengths)
 * @extack: for the error's message
 *
 * Checks what no policy can: combinations, cpuset lists.
 *
 * Return: a new allocation, NULL when @nest sets nothing, or an ERR_PTR
 * with @extack set.
 */
struct xos_job_limits *xos_limit_parse(const struct nlattr *nest,
				       struct netlink_ext_ack *extack);

/**
 * xos_limit_uninit() - stops the enforcement worker
 *
 * After the genl family is gone (nothing kicks it then) and before the
 * job tables go.
 */
void xos_limit_uninit(void);
/**
 * xos_limit_kick() - a job with enforced limits was created: look now
 */
void xos_limit_kick(void);
/**
 * xos_limit_enforced() - whether @l has a limit the module enforces
 * @l: a job's limits (NULL: none)
 *
 * Return: true for a CPU time or wall-clock limit.
 */
bool xos_limit_enforced(const struct xos_job_limits *l);

#endif /* _XOS_JOB_CONTROL_H */
