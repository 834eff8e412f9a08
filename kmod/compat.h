/* SPDX-License-Identifier: GPL-2.0 */
/* Differences between the kernels we build for (6.1 and 6.12). */
#ifndef _XOS_JOB_COMPAT_H
#define _XOS_JOB_COMPAT_H

#include <linux/netlink.h>
#include <linux/version.h>
#include <net/genetlink.h>

/*
 * The probes run inside tracepoints with preemption disabled, take the
 * job's spinlock and allocate with GFP_ATOMIC there. On PREEMPT_RT a
 * spinlock_t is a sleeping lock and the page allocator may not be entered
 * with preemption disabled: every fork and exit of a member would sleep in
 * atomic context. Debian ships such kernels (linux-image-rt-amd64).
 */
#ifdef CONFIG_PREEMPT_RT
#error "xos_job does not support PREEMPT_RT kernels: its probes take spinlocks with preemption off"
#endif

/*
 * Formatted extack messages exist from 6.2 (extack->_msg_buf). On older
 * kernels send the fixed text, which must still make sense on its own.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define XOS_NL_ERR_FMT(extack, fixed, fmt, args...) \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##args)
#else
#define XOS_NL_ERR_FMT(extack, fixed, fmt, args...) \
	NL_SET_ERR_MSG(extack, fixed)
#endif

/* Parsed request attributes of a dump (struct genl_info inside from 6.2). */
static inline struct nlattr **xos_job_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * Errors from a dump's start() carry their extack message from 6.2. On 6.1
 * the netlink core drops it, but keeps the message of an error returned by
 * dumpit() in NLMSG_DONE: there, start() defers its error to dumpit().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define XOS_JOB_DUMP_START_EXTACK 1
#else
#define XOS_JOB_DUMP_START_EXTACK 0
#endif

/*
 * The op table generated from the spec (netlink-gen.c) is a table of
 * genl_split_ops, which 6.2 brought. It sets only fields that 6.1's
 * genl_ops has too (cmd, doit, start, dumpit, done, policy, maxattr,
 * flags), with the same meaning: on 6.1 the very table is a genl_ops one,
 * handed to the family as .ops. One table for both kernels, rather than a
 * second, hand-written one for 6.1 that could drift from the spec. The
 * generated files include this header (the spec's kernel-family headers).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define XOS_JOB_FAMILY_OPS(table) \
	.split_ops = (table), .n_split_ops = ARRAY_SIZE(table)
#else
#define genl_split_ops genl_ops
#define XOS_JOB_FAMILY_OPS(table) \
	.ops = (table), .n_ops = ARRAY_SIZE(table)
#endif

#endif /* _XOS_JOB_COMPAT_H */
