// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	spec/xos_job.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/xos_job.h>
#include <compat.h>

/* Integer value ranges */
static const struct netlink_range_validation xos_job_limit_a_cpu_time_ns_range = {
	.min	= 1ULL,
	.max	= 4611686018427387904ULL,
};

static const struct netlink_range_validation xos_job_limit_a_time_ns_range = {
	.min	= 1ULL,
	.max	= 4611686018427387904ULL,
};

static const struct netlink_range_validation xos_job_limit_a_grace_ns_range = {
	.max	= 3600000000000ULL,
};

static const struct netlink_range_validation xos_job_limit_a_memory_max_range = {
	.min	= 1ULL,
	.max	= 4611686018427387904ULL,
};

static const struct netlink_range_validation xos_job_limit_a_memory_high_range = {
	.min	= 1ULL,
	.max	= 4611686018427387904ULL,
};

static const struct netlink_range_validation xos_job_limit_a_swap_max_range = {
	.max	= 4611686018427387904ULL,
};

static const struct netlink_range_validation xos_job_limit_a_pids_max_range = {
	.min	= 1ULL,
	.max	= 4194304ULL,
};

static const struct netlink_range_validation xos_job_limit_a_cpu_quota_us_range = {
	.min	= 1000ULL,
	.max	= 17592186044416ULL,
};

static const struct netlink_range_validation xos_job_limit_a_cpu_period_us_range = {
	.min	= 1000ULL,
	.max	= 1000000ULL,
};

/* Common nested types */
const struct nla_policy xos_job_base_stats_nl_policy[XOS_JOB_STATS_A_WPCOPY_DELAY_COUNT + 1] = {
	[XOS_JOB_STATS_A_UTIME_NS] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_STIME_NS] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_RUNTIME_NS] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_MINFLT] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_MAJFLT] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_NVCSW] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_NIVCSW] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_RCHAR] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_WCHAR] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_SYSCR] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_SYSCW] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_READ_BYTES] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_WRITE_BYTES] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_CANCELLED_WRITE_BYTES] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_HIWATER_RSS_KB] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_HIWATER_VM_KB] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_COREMEM_MB_US] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_VIRTMEM_MB_US] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_CPU_DELAY_NS] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_CPU_DELAY_COUNT] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_BLKIO_DELAY_NS] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_BLKIO_DELAY_COUNT] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_SWAPIN_DELAY_NS] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_SWAPIN_DELAY_COUNT] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_FREEPAGES_DELAY_NS] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_FREEPAGES_DELAY_COUNT] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_THRASHING_DELAY_NS] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_THRASHING_DELAY_COUNT] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_COMPACT_DELAY_NS] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_COMPACT_DELAY_COUNT] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_WPCOPY_DELAY_NS] = { .type = NLA_U64, },
	[XOS_JOB_STATS_A_WPCOPY_DELAY_COUNT] = { .type = NLA_U64, },
};

const struct nla_policy xos_job_limits_nl_policy[XOS_JOB_LIMIT_A_MEMS + 1] = {
	[XOS_JOB_LIMIT_A_CPU_TIME_NS] = NLA_POLICY_FULL_RANGE(NLA_U64, &xos_job_limit_a_cpu_time_ns_range),
	[XOS_JOB_LIMIT_A_TIME_NS] = NLA_POLICY_FULL_RANGE(NLA_U64, &xos_job_limit_a_time_ns_range),
	[XOS_JOB_LIMIT_A_GRACE_NS] = NLA_POLICY_FULL_RANGE(NLA_U64, &xos_job_limit_a_grace_ns_range),
	[XOS_JOB_LIMIT_A_MEMORY_MAX] = NLA_POLICY_FULL_RANGE(NLA_U64, &xos_job_limit_a_memory_max_range),
	[XOS_JOB_LIMIT_A_MEMORY_HIGH] = NLA_POLICY_FULL_RANGE(NLA_U64, &xos_job_limit_a_memory_high_range),
	[XOS_JOB_LIMIT_A_SWAP_MAX] = NLA_POLICY_FULL_RANGE(NLA_U64, &xos_job_limit_a_swap_max_range),
	[XOS_JOB_LIMIT_A_PIDS_MAX] = NLA_POLICY_FULL_RANGE(NLA_U64, &xos_job_limit_a_pids_max_range),
	[XOS_JOB_LIMIT_A_CPU_QUOTA_US] = NLA_POLICY_FULL_RANGE(NLA_U64, &xos_job_limit_a_cpu_quota_us_range),
	[XOS_JOB_LIMIT_A_CPU_PERIOD_US] = NLA_POLICY_FULL_RANGE(NLA_U64, &xos_job_limit_a_cpu_period_us_range),
	[XOS_JOB_LIMIT_A_CPU_WEIGHT] = NLA_POLICY_RANGE(NLA_U64, 1, 10000),
	[XOS_JOB_LIMIT_A_IO_WEIGHT] = NLA_POLICY_RANGE(NLA_U64, 1, 10000),
	[XOS_JOB_LIMIT_A_CPUS] = { .type = NLA_NUL_STRING, .len = XOS_JOB_CPULIST_MAX, },
	[XOS_JOB_LIMIT_A_MEMS] = { .type = NLA_NUL_STRING, .len = XOS_JOB_CPULIST_MAX, },
};

/* XOS_JOB_CMD_INFO - do */
static const struct nla_policy xos_job_info_nl_policy[XOS_JOB_A_PAD + 1] = {
};

/* XOS_JOB_CMD_NEW - do */
static const struct nla_policy xos_job_new_nl_policy[XOS_JOB_A_BASE + 1] = {
	[XOS_JOB_A_LABEL] = { .type = NLA_NUL_STRING, .len = XOS_JOB_LABEL_MAX, },
	[XOS_JOB_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[XOS_JOB_A_OWNER_UID] = { .type = NLA_U32, },
	[XOS_JOB_A_OWN_CGROUP] = { .type = NLA_FLAG, },
	[XOS_JOB_A_LIMITS] = NLA_POLICY_NESTED(xos_job_limits_nl_policy),
	[XOS_JOB_A_RESTORED_FROM] = NLA_POLICY_MIN(NLA_U64, 1),
	[XOS_JOB_A_BASE] = NLA_POLICY_NESTED(xos_job_base_stats_nl_policy),
};

/* XOS_JOB_CMD_ATTACH - do */
static const struct nla_policy xos_job_attach_nl_policy[XOS_JOB_A_PID + 1] = {
	[XOS_JOB_A_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[XOS_JOB_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* XOS_JOB_CMD_GET - do */
static const struct nla_policy xos_job_get_nl_policy[XOS_JOB_A_PID + 1] = {
	[XOS_JOB_A_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[XOS_JOB_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* XOS_JOB_CMD_LIST - dump */
static const struct nla_policy xos_job_list_nl_policy[XOS_JOB_A_SEQ + 1] = {
	[XOS_JOB_A_ENDED] = { .type = NLA_FLAG, },
	[XOS_JOB_A_SEQ] = { .type = NLA_U64, },
};

/* XOS_JOB_CMD_TASKS - dump */
static const struct nla_policy xos_job_tasks_nl_policy[XOS_JOB_A_ID + 1] = {
	[XOS_JOB_A_ID] = NLA_POLICY_MIN(NLA_U64, 1),
};

/* XOS_JOB_CMD_KILL - do */
static const struct nla_policy xos_job_kill_nl_policy[XOS_JOB_A_SIGNAL + 1] = {
	[XOS_JOB_A_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[XOS_JOB_A_SIGNAL] = NLA_POLICY_MAX(NLA_U32, 64),
};

/* XOS_JOB_CMD_ENTER - do */
static const struct nla_policy xos_job_enter_nl_policy[XOS_JOB_A_NO_CGROUP + 1] = {
	[XOS_JOB_A_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[XOS_JOB_A_NO_CGROUP] = { .type = NLA_FLAG, },
};

/* XOS_JOB_CMD_CHECKPOINT - do */
static const struct nla_policy xos_job_checkpoint_nl_policy[XOS_JOB_A_CHECKPOINTING + 1] = {
	[XOS_JOB_A_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[XOS_JOB_A_CHECKPOINTING] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* Ops table for xos_job */
const struct genl_split_ops xos_job_nl_ops[9] = {
	{
		.cmd		= XOS_JOB_CMD_INFO,
		.doit		= xos_job_nl_info_doit,
		.policy		= xos_job_info_nl_policy,
		.maxattr	= XOS_JOB_A_PAD,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= XOS_JOB_CMD_NEW,
		.doit		= xos_job_nl_new_doit,
		.policy		= xos_job_new_nl_policy,
		.maxattr	= XOS_JOB_A_BASE,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= XOS_JOB_CMD_ATTACH,
		.doit		= xos_job_nl_attach_doit,
		.policy		= xos_job_attach_nl_policy,
		.maxattr	= XOS_JOB_A_PID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= XOS_JOB_CMD_GET,
		.doit		= xos_job_nl_get_doit,
		.policy		= xos_job_get_nl_policy,
		.maxattr	= XOS_JOB_A_PID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= XOS_JOB_CMD_LIST,
		.start		= xos_job_nl_list_start,
		.dumpit		= xos_job_nl_list_dumpit,
		.done		= xos_job_nl_dump_done,
		.policy		= xos_job_list_nl_policy,
		.maxattr	= XOS_JOB_A_SEQ,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= XOS_JOB_CMD_TASKS,
		.start		= xos_job_nl_tasks_start,
		.dumpit		= xos_job_nl_tasks_dumpit,
		.done		= xos_job_nl_dump_done,
		.policy		= xos_job_tasks_nl_policy,
		.maxattr	= XOS_JOB_A_ID,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= XOS_JOB_CMD_KILL,
		.doit		= xos_job_nl_kill_doit,
		.policy		= xos_job_kill_nl_policy,
		.maxattr	= XOS_JOB_A_SIGNAL,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= XOS_JOB_CMD_ENTER,
		.doit		= xos_job_nl_enter_doit,
		.policy		= xos_job_enter_nl_policy,
		.maxattr	= XOS_JOB_A_NO_CGROUP,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= XOS_JOB_CMD_CHECKPOINT,
		.doit		= xos_job_nl_checkpoint_doit,
		.policy		= xos_job_checkpoint_nl_policy,
		.maxattr	= XOS_JOB_A_CHECKPOINTING,
		.flags		= GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group xos_job_nl_mcgrps[] = {
	[XOS_JOB_NLGRP_EVENTS] = { "events", },
};
