/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	spec/xos_job.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_XOS_JOB_GEN_H
#define _LINUX_XOS_JOB_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/xos_job.h>
#include <compat.h>

/* Common nested types */
extern const struct nla_policy xos_job_base_stats_nl_policy[XOS_JOB_STATS_A_WPCOPY_DELAY_COUNT + 1];
extern const struct nla_policy xos_job_limits_nl_policy[XOS_JOB_LIMIT_A_MEMS + 1];

/* Ops table for xos_job */
extern const struct genl_split_ops xos_job_nl_ops[9];

int xos_job_nl_list_start(struct netlink_callback *cb);
int xos_job_nl_tasks_start(struct netlink_callback *cb);
int xos_job_nl_dump_done(struct netlink_callback *cb);

int xos_job_nl_info_doit(struct sk_buff *skb, struct genl_info *info);
int xos_job_nl_new_doit(struct sk_buff *skb, struct genl_info *info);
int xos_job_nl_attach_doit(struct sk_buff *skb, struct genl_info *info);
int xos_job_nl_get_doit(struct sk_buff *skb, struct genl_info *info);
int xos_job_nl_list_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int xos_job_nl_tasks_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int xos_job_nl_kill_doit(struct sk_buff *skb, struct genl_info *info);
int xos_job_nl_enter_doit(struct sk_buff *skb, struct genl_info *info);
int xos_job_nl_checkpoint_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	XOS_JOB_NLGRP_EVENTS,
};

#endif /* _LINUX_XOS_JOB_GEN_H */
