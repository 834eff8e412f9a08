// SPDX-License-Identifier: GPL-2.0
/*
 * Task lifecycle hooks. The sched tracepoints are not exported to modules,
 * so they are found by name with for_each_kernel_tracepoint(). The probes
 * run with preemption disabled: they never sleep and allocate GFP_ATOMIC.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>
#include <trace/events/task.h>

#include "job.h"
#include "probes.h"

/* task_newtask fires inside copy_process(): io_uring workers too. */
static void xos_probe_newtask(void *data, struct task_struct *task,
			      unsigned long clone_flags)
{
	xos_job_task_forked(task, clone_flags);
}

static void xos_probe_exit(void *data, struct task_struct *p)
{
	xos_job_task_exiting(p);
}

static void xos_probe_exec(void *data, struct task_struct *p, pid_t old_pid,
			   struct linux_binprm *bprm)
{
	xos_job_task_exec(p);
}

struct xos_probe {
	const char *name;
	void *func;
	struct tracepoint *tp;
	bool registered;
};

static struct xos_probe xos_probes[] = {
	{ .name = "task_newtask", .func = xos_probe_newtask },
	{ .name = "sched_process_exit", .func = xos_probe_exit },
	{ .name = "sched_process_exec", .func = xos_probe_exec },
};

static void xos_probe_find_tracepoint(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(xos_probes); i++)
		if (!strcmp(tp->name, xos_probes[i].name))
			xos_probes[i].tp = tp;
}

void xos_probe_uninit(void)
{
	int i;

	/* the reverse of registering: no task joins once exits go unseen */
	for (i = 0; i < ARRAY_SIZE(xos_probes); i++) {
		struct xos_probe *p = &xos_probes[i];

		if (p->registered)
			tracepoint_probe_unregister(p->tp, p->func, NULL);
		p->registered = false;
	}
	/* no probe is running or will run after this */
	tracepoint_synchronize_unregister();
}

int xos_probe_init(void)
{
	int i, err;

	check_trace_callback_type_task_newtask(xos_probe_newtask);
	check_trace_callback_type_sched_process_exit(xos_probe_exit);
	check_trace_callback_type_sched_process_exec(xos_probe_exec);

	for_each_kernel_tracepoint(xos_probe_find_tracepoint, NULL);
	for (i = 0; i < ARRAY_SIZE(xos_probes); i++) {
		if (!xos_probes[i].tp) {
			pr_err("tracepoint %s not found\n", xos_probes[i].name);
			return -ENOENT;
		}
	}
	/*
	 * Exit (and exec) first: a task that joins through the fork probe
	 * must never miss its exit.
	 */
	for (i = ARRAY_SIZE(xos_probes) - 1; i >= 0; i--) {
		struct xos_probe *p = &xos_probes[i];

		err = tracepoint_probe_register(p->tp, p->func, NULL);
		if (err) {
			pr_err("cannot register probe on %s: %d\n", p->name, err);
			xos_probe_uninit();
			return err;
		}
		p->registered = true;
	}
	return 0;
}
