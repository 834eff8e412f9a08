// SPDX-License-Identifier: GPL-2.0
/*
 * Only for the selftests (test_netlink): makes moments of xos_job that are
 * rare or impossible on a healthy machine happen on demand, and only in
 * the process whose tgid is @pid. Never loaded otherwise.
 *
 *   stall_ms=N    the first stall_count end-of-job record lookups
 *                 (xos_record_next()) spin first, until 1 is written to
 *                 the parameter "resume" or for N ms at most: the ring can
 *                 turn over in the middle of one LIST --ended dump call, as
 *                 when the dumping CPU is held up by interrupts or a
 *                 hypervisor. The parameter "stalled" counts the spins
 *                 begun, -1 if one could not (interrupts were off).
 *   fill_skb=1    xos_acct_put() finds its message full: a job object no
 *                 longer fits, not even as the first of a dump message.
 *
 * Both are kprobes on xos_job's own symbols: loading fails if xos_job is
 * not loaded or the symbols are gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/skbuff.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "the only process (tgid) affected");
static unsigned int stall_ms;
module_param(stall_ms, uint, 0444);
MODULE_PARM_DESC(stall_ms, "spin this long before a record lookup");
static int stall_count = 1;
module_param(stall_count, int, 0444);
MODULE_PARM_DESC(stall_count, "how many lookups spin");
static int stalled;
module_param(stalled, int, 0444);
MODULE_PARM_DESC(stalled, "spins begun; -1: interrupts were off");
static bool resume;
module_param(resume, bool, 0644);
MODULE_PARM_DESC(resume, "write 1 to end the spins");
static bool fill_skb;
module_param(fill_skb, bool, 0444);
MODULE_PARM_DESC(fill_skb, "xos_acct_put() finds its message full");

static atomic_t xos_hook_stalls = ATOMIC_INIT(0);

static bool xos_hook_mine(void)
{
	return pid && current->tgid == pid;
}

/*
 * Through ftrace (the probe sits on the function's fentry call) the
 * handler runs with interrupts as the caller had them: on, so that the
 * other CPUs' IPIs are answered while this one spins.
 */
static int xos_hook_stall(struct kprobe *p, struct pt_regs *regs)
{
	unsigned int ms;

	if (!xos_hook_mine() ||
	    atomic_inc_return(&xos_hook_stalls) > stall_count)
		return 0;
	if (irqs_disabled()) {
		WRITE_ONCE(stalled, -1);
		return 0;
	}
	WRITE_ONCE(stalled, READ_ONCE(stalled) + 1);
	for (ms = 0; ms < stall_ms && !READ_ONCE(resume); ms++)
		mdelay(1);
	return 0;
}

/* xos_acct_put(skb, ...): the message has no room left. */
static int xos_hook_fill(struct kprobe *p, struct pt_regs *regs)
{
	struct sk_buff *skb;

	if (!xos_hook_mine())
		return 0;
	skb = (struct sk_buff *)regs_get_kernel_argument(regs, 0);
	skb_put(skb, skb_tailroom(skb));
	return 0;
}

static struct kprobe xos_hook_kp_stall = {
	.symbol_name = "xos_record_next",
	.pre_handler = xos_hook_stall,
};

static struct kprobe xos_hook_kp_fill = {
	.symbol_name = "xos_acct_put",
	.pre_handler = xos_hook_fill,
};

static int __init xos_hook_init(void)
{
	int err;

	if (stall_ms) {
		err = register_kprobe(&xos_hook_kp_stall);
		if (err) {
			pr_err("cannot probe %s: %d\n",
			       xos_hook_kp_stall.symbol_name, err);
			return err;
		}
	}
	if (fill_skb) {
		err = register_kprobe(&xos_hook_kp_fill);
		if (err) {
			pr_err("cannot probe %s: %d\n",
			       xos_hook_kp_fill.symbol_name, err);
			if (stall_ms)
				unregister_kprobe(&xos_hook_kp_stall);
			return err;
		}
	}
	return 0;
}

static void __exit xos_hook_exit(void)
{
	if (fill_skb)
		unregister_kprobe(&xos_hook_kp_fill);
	if (stall_ms)
		unregister_kprobe(&xos_hook_kp_stall);
}

module_init(xos_hook_init);
module_exit(xos_hook_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xos_job selftests: stalls and full messages on demand");
