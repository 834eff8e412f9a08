// SPDX-License-Identifier: GPL-2.0
/*
 * Resource figures of tasks, the fields taskstats fills per task
 * (kernel/taskstats.c, kernel/tsacct.c, kernel/delayacct.c), read straight
 * from the task so that a job's sums agree with the kernel's own per-task
 * records.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/spinlock.h>
#include <linux/delayacct.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/task_io_accounting_ops.h>
#include <net/netlink.h>

#include <linux/xos_job.h>

#include "acct.h"
#include "netlink-gen.h"

/*
 * Pages * usec to MB * usec, as xacct_add_tsk() converts them, but with a
 * 128-bit product: 64 TiB mapped for one second is 2^54 page-usec, which
 * times PAGE_SIZE overflows a u64 (and taskstats' own figure).
 */
u64 xos_acct_mb_usec(u64 page_usec)
{
	return mul_u64_u32_div(page_usec, PAGE_SIZE, 1000 * 1024);
}

/* inlined into xos_acct_read(): it runs per member of every query */
static __always_inline void xos_acct_read_own(struct xos_acct *a,
					      struct task_struct *t)
{
	/*
	 * Every field is set, without a memset first: this is per member.
	 * The tick samples, split at report time. task_cputime() is not
	 * exported: on a nohz_full CPU the samples of a running task lag
	 * until its next switch, which moves the split, not the run time.
	 */
	a->utime_ns = READ_ONCE(t->utime);
	a->stime_ns = READ_ONCE(t->stime);
	a->runtime_ns = READ_ONCE(t->se.sum_exec_runtime);
	a->minflt = READ_ONCE(t->min_flt);
	a->majflt = READ_ONCE(t->maj_flt);
	a->nvcsw = READ_ONCE(t->nvcsw);
	a->nivcsw = READ_ONCE(t->nivcsw);
#ifdef CONFIG_TASK_XACCT
	a->rchar = READ_ONCE(t->ioac.rchar);
	a->wchar = READ_ONCE(t->ioac.wchar);
	a->syscr = READ_ONCE(t->ioac.syscr);
	a->syscw = READ_ONCE(t->ioac.syscw);
	/* raw: the base is subtracted before xos_acct_put() converts them */
	a->coremem = READ_ONCE(t->acct_rss_mem1);
	a->virtmem = READ_ONCE(t->acct_vm_mem1);
#else
	a->rchar = 0;
	a->wchar = 0;
	a->syscr = 0;
	a->syscw = 0;
	a->coremem = 0;
	a->virtmem = 0;
#endif
#ifdef CONFIG_TASK_IO_ACCOUNTING
	a->read_bytes = READ_ONCE(t->ioac.read_bytes);
	a->write_bytes = READ_ONCE(t->ioac.write_bytes);
	a->cancelled_write_bytes = READ_ONCE(t->ioac.cancelled_write_bytes);
#else
	a->read_bytes = 0;
	a->write_bytes = 0;
	a->cancelled_write_bytes = 0;
#endif
	a->hiwater_rss_kb = 0;
	a->hiwater_vm_kb = 0;
	/* the CPU delay, and the others only with their delay_info */
	memset(a->delay_ns, 0, sizeof(a->delay_ns));
	memset(a->delay_count, 0, sizeof(a->delay_count));
#ifdef CONFIG_SCHED_INFO
	a->delay_ns[XOS_ACCT_DELAY_CPU] = READ_ONCE(t->sched_info.run_delay);
	a->delay_count[XOS_ACCT_DELAY_CPU] = READ_ONCE(t->sched_info.pcount);
#endif
#ifdef CONFIG_TASK_DELAY_ACCT
	if (t->delays) {
		struct task_delay_info *d = t->delays;

		a->delay_ns[XOS_ACCT_DELAY_BLKIO] = READ_ONCE(d->blkio_delay);
		a->delay_count[XOS_ACCT_DELAY_BLKIO] = READ_ONCE(d->blkio_count);
		a->delay_ns[XOS_ACCT_DELAY_SWAPIN] = READ_ONCE(d->swapin_delay);
		a->delay_count[XOS_ACCT_DELAY_SWAPIN] = READ_ONCE(d->swapin_count);
		a->delay_ns[XOS_ACCT_DELAY_FREEPAGES] = READ_ONCE(d->freepages_delay);
		a->delay_count[XOS_ACCT_DELAY_FREEPAGES] = READ_ONCE(d->freepages_count);
		a->delay_ns[XOS_ACCT_DELAY_THRASHING] = READ_ONCE(d->thrashing_delay);
		a->delay_count[XOS_ACCT_DELAY_THRASHING] = READ_ONCE(d->thrashing_count);
		a->delay_ns[XOS_ACCT_DELAY_COMPACT] = READ_ONCE(d->compact_delay);
		a->delay_count[XOS_ACCT_DELAY_COMPACT] = READ_ONCE(d->compact_count);
		a->delay_ns[XOS_ACCT_DELAY_WPCOPY] = READ_ONCE(d->wpcopy_delay);
		a->delay_count[XOS_ACCT_DELAY_WPCOPY] = READ_ONCE(d->wpcopy_count);
	}
#endif
}

void xos_acct_read_thread(struct xos_acct *a, struct task_struct *t)
{
	xos_acct_read_own(a, t);
}

void xos_acct_read(struct xos_acct *a, struct task_struct *t,
		   const struct mm_struct *exited_mm)
{
	unsigned long rss, vm = 0;
	struct mm_struct *mm;

	xos_acct_read_own(a, t);
	/* signal->maxrss also holds the peak of an mm left by exec() */
	rss = READ_ONCE(t->signal->maxrss);
	if (exited_mm) {
		/*
		 * exit_mm() ran: ->mm is NULL. ->active_mm is pinned by the
		 * lazy-TLB reference; it is still the task's own mm unless the
		 * task was switched out since, when it took over another
		 * task's. Only the own one is read.
		 */
		mm = t->active_mm;
		if (mm == exited_mm)
			vm = get_mm_hiwater_vm(mm);
#ifdef CONFIG_BSD_PROCESS_ACCT
		/*
		 * Switched out (a slow or loaded machine): the process's last
		 * thread still has its VM size at exit, which acct_collect()
		 * took before exit_mm() (KiB; 0 for other threads). A lower
		 * bound of the peak, rather than nothing.
		 */
		else
			vm = READ_ONCE(t->signal->pacct.ac_mem) /
			     (PAGE_SIZE / 1024);
#endif
	} else {
		/* ->mm is cleared under task_lock() in exit_mm() */
		task_lock(t);
		mm = t->mm;
		if (mm) {
			rss = max(rss, get_mm_hiwater_rss(mm));
			vm = get_mm_hiwater_vm(mm);
		}
		task_unlock(t);
	}
	a->hiwater_rss_kb = (u64)rss * (PAGE_SIZE / 1024);
	a->hiwater_vm_kb = (u64)vm * (PAGE_SIZE / 1024);
}

void xos_acct_add(struct xos_acct *sum, const struct xos_acct *cur,
		  const struct xos_acct *base)
{
	/* every field before the maxima is a u64 sum */
	const size_t nr = offsetof(struct xos_acct, hiwater_rss_kb) / sizeof(u64);
	const u64 *c = (const u64 *)cur, *b = (const u64 *)base;
	u64 *s = (u64 *)sum;
	size_t i;

	BUILD_BUG_ON(nr % 5);
	/*
	 * Per member of every query: five fields a step (a third of a plain
	 * loop was its own counting; unrolled whole, the compiler spills),
	 * and no base (most members were created in the job) in a loop of
	 * its own.
	 */
	if (b) {
		for (i = 0; i < nr; i += 5) {
			s[i] += c[i] - b[i];
			s[i + 1] += c[i + 1] - b[i + 1];
			s[i + 2] += c[i + 2] - b[i + 2];
			s[i + 3] += c[i + 3] - b[i + 3];
			s[i + 4] += c[i + 4] - b[i + 4];
		}
	} else {
		for (i = 0; i < nr; i += 5) {
			s[i] += c[i];
			s[i + 1] += c[i + 1];
			s[i + 2] += c[i + 2];
			s[i + 3] += c[i + 3];
			s[i + 4] += c[i + 4];
		}
	}
	sum->hiwater_rss_kb = max(sum->hiwater_rss_kb, cur->hiwater_rss_kb);
	sum->hiwater_vm_kb = max(sum->hiwater_vm_kb, cur->hiwater_vm_kb);
}

void xos_acct_split_cputime(struct xos_acct *a, struct xos_cputime_prev *prev)
{
	u64 rt = a->runtime_ns, ut = a->utime_ns, st = a->stime_ns;

	/* the steps of cputime_adjust(), on sums */
	if (prev && prev->utime_ns + prev->stime_ns >= rt) {
		ut = prev->utime_ns;
		st = prev->stime_ns;
		goto out;
	}
	if (!st) {
		ut = rt;
	} else if (!ut) {
		st = rt;
	} else {
		st = mul_u64_u64_div_u64(st, rt, st + ut);
		ut = rt - st;
	}
	if (prev) {
		if (st < prev->stime_ns)
			st = prev->stime_ns;
		ut = rt - st;
		if (ut < prev->utime_ns) {
			ut = prev->utime_ns;
			st = rt - ut;
		}
		prev->utime_ns = ut;
		prev->stime_ns = st;
	}
out:
	a->utime_ns = ut;
	a->stime_ns = st;
}

/*
 * kernel.task_delayacct is not exported to modules. It is read through a
 * private proc mount, so that neither the caller's mount namespace nor its
 * root matter, at most once a second. Process context only.
 */
static struct vfsmount *xos_acct_proc;
static DEFINE_MUTEX(xos_acct_delay_lock);
/*
 * Written under the mutex: the value, then (release) when it was read
 * and that it is valid. A reader that finds it fresh (acquire) returns it
 * without the mutex, which every JOB_GET would otherwise take.
 */
static unsigned long xos_acct_delay_read_at;	/* jiffies */
static bool xos_acct_delay_on;
static bool xos_acct_delay_valid;

/**
 * xos_acct_read_delayacct() - reads kernel.task_delayacct
 *
 * Return: true when it reads 1; false when it is 0 or cannot be read.
 */
static bool xos_acct_read_delayacct(void)
{
	char buf[8] = "";
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	if (!xos_acct_proc)
		return false;
	f = file_open_root_mnt(xos_acct_proc, "sys/kernel/task_delayacct",
			       O_RDONLY, 0);
	if (IS_ERR(f))
		return false;
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	fput(f);
	return n > 0 && buf[0] == '1';
}

bool xos_acct_delayacct_on(void)
{
	bool on;

	/* pairs with the releases below: the value is at least that old */
	if (smp_load_acquire(&xos_acct_delay_valid)) {
		/* pairs with the release of the time below */
		unsigned long at = smp_load_acquire(&xos_acct_delay_read_at);

		if (!time_after(jiffies, at + HZ))
			return READ_ONCE(xos_acct_delay_on);
	}
	might_sleep();
	mutex_lock(&xos_acct_delay_lock);
	if (!xos_acct_delay_valid ||
	    time_after(jiffies, xos_acct_delay_read_at + HZ)) {
		WRITE_ONCE(xos_acct_delay_on, xos_acct_read_delayacct());
		/* the value before its time: see the acquires above */
		smp_store_release(&xos_acct_delay_read_at, jiffies);
		/* and the time before valid */
		smp_store_release(&xos_acct_delay_valid, true);
	}
	on = xos_acct_delay_on;
	mutex_unlock(&xos_acct_delay_lock);
	return on;
}

int xos_acct_init(void)
{
	struct file_system_type *proc = get_fs_type("proc");
	struct vfsmount *mnt;

	if (!proc)
		return -ENOENT;
	mnt = kern_mount(proc);
	/* put_filesystem() is not exported; it is this */
	module_put(proc->owner);
	if (IS_ERR(mnt)) {
		/* not fatal: delay figures are then reported as off */
		pr_warn("cannot mount a private proc (%ld): delay accounting reported off\n",
			PTR_ERR(mnt));
		return 0;
	}
	xos_acct_proc = mnt;
	return 0;
}

void xos_acct_uninit(void)
{
	if (xos_acct_proc)
		kern_unmount(xos_acct_proc);
	xos_acct_proc = NULL;
}

/* MB-usec as sent back to the pages * usec kept (see xos_acct_mb_usec()) */
static u64 xos_acct_page_usec(u64 mb_usec)
{
	return mul_u64_u32_div(mb_usec, 1000 * 1024, PAGE_SIZE);
}

static u64 xos_acct_get(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

struct xos_acct *xos_acct_parse(const struct nlattr *nest,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[XOS_JOB_STATS_A_MAX + 1];
	struct xos_acct *a;
	u64 mb_us;
	int i, err;

	err = nla_parse_nested(tb, XOS_JOB_STATS_A_MAX, nest,
			       xos_job_base_stats_nl_policy, extack);
	if (err)
		return ERR_PTR(err);
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a) {
		NL_SET_ERR_MSG(extack, "out of memory reading the base figures");
		return ERR_PTR(-ENOMEM);
	}
	a->utime_ns = xos_acct_get(tb, XOS_JOB_STATS_A_UTIME_NS);
	a->stime_ns = xos_acct_get(tb, XOS_JOB_STATS_A_STIME_NS);
	a->runtime_ns = xos_acct_get(tb, XOS_JOB_STATS_A_RUNTIME_NS);
	a->minflt = xos_acct_get(tb, XOS_JOB_STATS_A_MINFLT);
	a->majflt = xos_acct_get(tb, XOS_JOB_STATS_A_MAJFLT);
	a->nvcsw = xos_acct_get(tb, XOS_JOB_STATS_A_NVCSW);
	a->nivcsw = xos_acct_get(tb, XOS_JOB_STATS_A_NIVCSW);
	a->rchar = xos_acct_get(tb, XOS_JOB_STATS_A_RCHAR);
	a->wchar = xos_acct_get(tb, XOS_JOB_STATS_A_WCHAR);
	a->syscr = xos_acct_get(tb, XOS_JOB_STATS_A_SYSCR);
	a->syscw = xos_acct_get(tb, XOS_JOB_STATS_A_SYSCW);
	a->read_bytes = xos_acct_get(tb, XOS_JOB_STATS_A_READ_BYTES);
	a->write_bytes = xos_acct_get(tb, XOS_JOB_STATS_A_WRITE_BYTES);
	a->cancelled_write_bytes =
		xos_acct_get(tb, XOS_JOB_STATS_A_CANCELLED_WRITE_BYTES);
	a->hiwater_rss_kb = xos_acct_get(tb, XOS_JOB_STATS_A_HIWATER_RSS_KB);
	a->hiwater_vm_kb = xos_acct_get(tb, XOS_JOB_STATS_A_HIWATER_VM_KB);
	mb_us = xos_acct_get(tb, XOS_JOB_STATS_A_COREMEM_MB_US);
	a->coremem = xos_acct_page_usec(mb_us);
	mb_us = xos_acct_get(tb, XOS_JOB_STATS_A_VIRTMEM_MB_US);
	a->virtmem = xos_acct_page_usec(mb_us);
	for (i = 0; i < XOS_ACCT_NR_DELAYS; i++) {
		a->delay_ns[i] = xos_acct_get(tb,
					      XOS_JOB_STATS_A_CPU_DELAY_NS + 2 * i);
		a->delay_count[i] =
			xos_acct_get(tb, XOS_JOB_STATS_A_CPU_DELAY_COUNT + 2 * i);
	}
	return a;
}
