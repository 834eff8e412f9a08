/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XOS_JOB_NETLINK_H
#define _XOS_JOB_NETLINK_H

#define XOS_JOB_MODULE_VERSION "0.1.0"

int xos_job_netlink_register(void);
void xos_job_netlink_unregister(void);

#endif /* _XOS_JOB_NETLINK_H */
