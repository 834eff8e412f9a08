/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XOS_JOB_NETLINK_H
#define _XOS_JOB_NETLINK_H

#include <linux/skbuff.h>
#include <linux/types.h>

struct xos_acct;

/**
 * xos_netlink_init() - registers the generic netlink family
 *
 * Return: 0 or genl_register_family()'s error.
 */
int xos_netlink_init(void);
/**
 * xos_job_nl_notify_ended() - multicasts an end-of-job record
 * @seq: its sequence number; nothing is sent if the ring dropped it
 *
 * Process context (the record worker), to the initial network namespace.
 */
void xos_job_nl_notify_ended(u64 seq);
/**
 * xos_netlink_uninit() - unregisters the family: no request runs after
 */
void xos_netlink_uninit(void);
/**
 * xos_acct_put() - figures as a nest of XOS_JOB_STATS_A_* attributes
 * @skb: the message
 * @type: the nest's type (XOS_JOB_A_STATS, _BASE, XOS_JOB_TASK_A_STATS)
 * @a: the figures
 * @delayacct_on: whether delay accounting was on for them (when not,
 *	only the CPU delay is sent)
 *
 * Not static only so that the selftests' hook module (selftests/kmod) can
 * kprobe it by name, with every caller going through it.
 *
 * Return: 0, or -EMSGSIZE with nothing added.
 */
int xos_acct_put(struct sk_buff *skb, int type, const struct xos_acct *a,
		 bool delayacct_on);

#endif /* _XOS_JOB_NETLINK_H */
