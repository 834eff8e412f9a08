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
#include "version.h"

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

static int __init xos_mod_init(void)
{
	int err;

	err = xos_acct_init();
	if (err)
		return err;
	err = xos_record_init();
	if (err)
		goto err_acct;
	err = xos_job_init();
	if (err)
		goto err_record;
	err = xos_probe_init();
	if (err)
		goto err_job;
	err = xos_netlink_init();
	if (err)
		goto err_probes;
	pr_info("loaded, protocol version %d\n", XOS_JOB_GENL_VERSION);
	return 0;

err_probes:
	xos_probe_uninit();
err_job:
	xos_job_uninit();
err_record:
	xos_record_stop();
	xos_record_uninit();
err_acct:
	xos_acct_uninit();
	return err;
}

/*
 * Order matters: no notification and no new request, then no probe
 * running, then free. The probes are synchronized in
 * xos_probe_uninit(); xos_job_uninit() waits for RCU callbacks,
 * among them those of records dropped from the ring.
 */
static void __exit xos_mod_exit(void)
{
	xos_record_stop();
	xos_netlink_uninit();
	xos_limit_uninit();
	xos_probe_uninit();
	xos_job_uninit();
	xos_record_uninit();
	xos_acct_uninit();
}

module_init(xos_mod_init);
module_exit(xos_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Job tagging and accounting for grid and cluster nodes");
MODULE_VERSION(XOS_JOB_MODULE_VERSION);
MODULE_ALIAS_GENL_FAMILY(XOS_JOB_GENL_NAME);
