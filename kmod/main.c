// SPDX-License-Identifier: GPL-2.0
/*
 * xos_job: every process of a job carries the job's ID.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>

#include <linux/xos_job.h>

#include "acct.h"
#include "compat.h"
#include "control.h"
#include "job.h"
#include "netlink.h"
#include "probes.h"
#include "record.h"

module_param_named(max_jobs, xos_job_max_jobs, uint, 0644);
MODULE_PARM_DESC(max_jobs, "Most live jobs at once (JOB_NEW gives ENOSPC beyond)");
module_param_named(max_jobs_per_user, xos_job_max_jobs_per_user, uint, 0644);
MODULE_PARM_DESC(max_jobs_per_user, "Most live jobs of one owner created by non-admins (ENOSPC beyond)");
module_param_named(admin_reserve, xos_job_admin_reserve, uint, 0644);
MODULE_PARM_DESC(admin_reserve, "Job slots of max_jobs that only the administrator may fill");
module_param_named(task_reserve, xos_job_task_reserve, uint, 0444);
MODULE_PARM_DESC(task_reserve, "Member entries kept for forks whose atomic allocation fails (at most 65536, 0: none)");
module_param_named(ended_ring, xos_job_ended_ring, uint, 0444);
MODULE_PARM_DESC(ended_ring, "End-of-job records kept for consumers to read back");

static int __init xos_job_init(void)
{
	int err;

	err = xos_acct_init();
	if (err)
		return err;
	err = xos_record_init();
	if (err)
		goto err_acct;
	err = xos_job_tables_init();
	if (err)
		goto err_record;
	err = xos_job_probes_register();
	if (err)
		goto err_tables;
	err = xos_job_netlink_register();
	if (err)
		goto err_probes;
	pr_info("loaded, protocol version %d\n", XOS_JOB_GENL_VERSION);
	return 0;

err_probes:
	xos_job_probes_unregister();
err_tables:
	xos_job_tables_destroy();
err_record:
	xos_record_stop();
	xos_record_exit();
err_acct:
	xos_acct_exit();
	return err;
}

/*
 * Order matters: no notification and no new request, then no probe
 * running, then free. The probes are synchronized in
 * xos_job_probes_unregister(); tables_destroy() waits for RCU callbacks,
 * among them those of records dropped from the ring.
 */
static void __exit xos_job_exit(void)
{
	xos_record_stop();
	xos_job_netlink_unregister();
	xos_limit_exit();
	xos_job_probes_unregister();
	xos_job_tables_destroy();
	xos_record_exit();
	xos_acct_exit();
}

module_init(xos_job_init);
module_exit(xos_job_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Job tagging and accounting for grid and cluster nodes");
MODULE_VERSION(XOS_JOB_MODULE_VERSION);
MODULE_ALIAS_GENL_FAMILY(XOS_JOB_GENL_NAME);
