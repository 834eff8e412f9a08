/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XOS_JOB_NETLINK_H
#define _XOS_JOB_NETLINK_H

#define XOS_JOB_MODULE_VERSION "0.1.0"

#include <linux/types.h>

int xos_job_netlink_register(void);
/* Multicasts end-of-job record @seq, if still kept. Process context. */
void xos_job_nl_notify_ended(u64 seq);
void xos_job_netlink_unregister(void);

#endif /* _XOS_JOB_NETLINK_H */
