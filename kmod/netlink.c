// SPDX-License-Identifier: GPL-2.0
/*
 * The xos_job generic netlink family. The attribute trees of every command
 * are documented in uapi/linux/xos_job.h. The family is not parallel_ops:
 * genl_mutex serializes every doit, start, dumpit and done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "acct.h"
#include "compat.h"
#include "control.h"
#include "job.h"
#include "netlink.h"
#include "netlink-gen.h"
#include "record.h"
#include "version.h"

static struct genl_family xos_job_family;
static void xos_job_nl_notify_created(struct xos_job *job);

/*
 * GENL_REQ_ATTR_CHECK reports the missing attribute type, but not every
 * client decodes NLMSGERR_ATTR_MISS_TYPE: say it in words too. The local
 * must not be named __info: GENL_REQ_ATTR_CHECK declares that one itself.
 */
#define XOS_NL_REQUIRE(info, type, msg) ({			\
	struct genl_info *__xos_info = (info);		\
	bool __missing = GENL_REQ_ATTR_CHECK(__xos_info, type); \
	if (__missing)						\
		NL_SET_ERR_MSG(__xos_info->extack, msg);	\
	__missing;						\
})

/* Admin: CAP_SYS_ADMIN in the initial user ns, for opener and sender. */
static bool xos_job_nl_admin(const struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_SYS_ADMIN);
}

/* Accounting is per-user data (CVE-2011-2494): owner or admin only. */
static bool xos_job_may_see(kuid_t owner, bool admin, kuid_t euid)
{
	return admin || uid_eq(owner, euid);
}

static bool xos_job_visible(const struct xos_job *job, bool admin, kuid_t euid)
{
	return xos_job_may_see(job->owner, admin, euid);
}

/*
 * As xos_job_may_see(), asking for the capability only when the caller is
 * not the owner: the check costs more than the rest of a small JOB_GET.
 */
static bool xos_job_nl_sees(const struct sk_buff *skb, kuid_t owner)
{
	return uid_eq(owner, current_euid()) || xos_job_nl_admin(skb);
}

/**
 * xos_job_nl_task() - the task of a pid in the caller's pid namespace
 * @info: the request, for the error's message
 * @attr: the pid (XOS_JOB_A_PID)
 *
 * Return: the task, referenced, or an ERR_PTR with the extack set
 * (-ESRCH: no such process, -EINVAL: a kernel thread).
 */
static struct task_struct *xos_job_nl_task(struct genl_info *info,
					   struct nlattr *attr)
{
	u32 nr = nla_get_u32(attr);
	struct task_struct *t;

	rcu_read_lock();
	t = pid_task(find_vpid(nr), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	if (!t) {
		XOS_NL_ERR_FMT(info->extack, "no process with that pid",
			       "no process with pid %u", nr);
		NL_SET_BAD_ATTR(info->extack, attr);
		return ERR_PTR(-ESRCH);
	}
	if (t->flags & PF_KTHREAD) {
		put_task_struct(t);
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "kernel threads cannot be placed in a job");
		return ERR_PTR(-EINVAL);
	}
	return t;
}

/**
 * xos_job_nl_job() - the live job of the request's XOS_JOB_A_ID
 * @info: the request
 * @admin: the caller may see every owner's jobs
 *
 * Return: the job, referenced, or ERR_PTR(-ENOENT) with the extack set
 * when there is none the caller may see.
 */
static struct xos_job *xos_job_nl_job(struct genl_info *info, bool admin)
{
	struct nlattr *attr = info->attrs[XOS_JOB_A_ID];
	u64 id = nla_get_u64(attr);
	struct xos_job *job;

	job = xos_job_get_by_id(id);
	if (job && !xos_job_visible(job, admin, current_euid())) {
		xos_job_put(job);
		job = NULL;
	}
	if (!job) {
		XOS_NL_ERR_FMT(info->extack, "no such job",
			       "no such job: %llu", id);
		NL_SET_BAD_ATTR(info->extack, attr);
		return ERR_PTR(-ENOENT);
	}
	return job;
}

static int xos_job_nl_put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, XOS_JOB_A_PAD);
}

/*
 * A run of u64 attributes, room checked once. A job object has some 40 of
 * them, and nla_put_u64_64bit()'s room check, reservation and copy per
 * attribute were a fifth of a JOB_GET. The attributes are the same on the
 * wire. Where a u64 needs padding (no efficient unaligned access), each
 * one goes through nla_put_64bit() with its pad attribute instead.
 */
struct xos_nl_run {
	struct sk_buff *skb;
	struct nlattr *at;	/* the next one; NULL: one at a time */
	struct nlattr *end;
	int padattr;
	int err;
};

/* Room for @n u64 attributes; xos_nl_run_end() says if it went wrong. */
static inline void xos_nl_run_start(struct xos_nl_run *r,
				    struct sk_buff *skb, int n, int padattr)
{
	int len = n * nla_total_size(sizeof(u64));

	r->skb = skb;
	r->padattr = padattr;
	r->err = 0;
	r->at = NULL;
	r->end = NULL;
	if (nla_need_padding_for_64bit(skb))
		return;
	if (skb_tailroom(skb) < len) {
		r->err = -EMSGSIZE;
		return;
	}
	r->at = __skb_put(skb, len);
	r->end = (void *)r->at + len;
}

static __always_inline void xos_nl_run_u64(struct xos_nl_run *r, int type,
					   u64 v)
{
	if (r->err)
		return;
	if (!r->end) {
		if (nla_put_64bit(r->skb, type, sizeof(v), &v, r->padattr))
			r->err = -EMSGSIZE;
		return;
	}
	if (r->at == r->end) {
		r->err = -EMSGSIZE;	/* more than counted: a bug here */
		return;
	}
	r->at->nla_type = type;
	r->at->nla_len = nla_attr_size(sizeof(v));
	memcpy(nla_data(r->at), &v, sizeof(v));
	r->at = (void *)r->at + nla_total_size(sizeof(v));
}

/* 0, or -EMSGSIZE (no room, or not as many as counted). */
static inline int xos_nl_run_end(struct xos_nl_run *r)
{
	if (!r->err && r->at != r->end)
		r->err = -EMSGSIZE;
	return r->err;
}

/*
 * Nested attributes: figures, task states, limits. Each ends its nest
 * here, or on @err takes back what it put.
 */
static int xos_job_nl_nest_close(struct sk_buff *skb, struct nlattr *nest,
				 int err)
{
	if (err) {
		nla_nest_cancel(skb, nest);
		return err;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The u64 figures of a stats nest before its delays (and its flag). */
#define XOS_NL_NR_STATS 18

/* noinline: see netlink.h */
noinline int xos_acct_put(struct sk_buff *skb, int type,
			  const struct xos_acct *a, bool delayacct_on)
{
	/* the CPU delay's pair, and the others' while delayacct is on */
	int nr_delays = delayacct_on ? XOS_ACCT_NR_DELAYS : 1;
	struct xos_nl_run r;
	struct nlattr *nest;
	int i, err;

	BUILD_BUG_ON(XOS_JOB_STATS_A_CPU_DELAY_NS + 2 * XOS_ACCT_NR_DELAYS - 1 !=
		     XOS_JOB_STATS_A_WPCOPY_DELAY_COUNT);
	BUILD_BUG_ON(XOS_ACCT_DELAY_CPU != 0);
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	xos_nl_run_start(&r, skb, XOS_NL_NR_STATS, XOS_JOB_STATS_A_PAD);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_UTIME_NS, a->utime_ns);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_STIME_NS, a->stime_ns);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_RUNTIME_NS, a->runtime_ns);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_MINFLT, a->minflt);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_MAJFLT, a->majflt);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_NVCSW, a->nvcsw);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_NIVCSW, a->nivcsw);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_RCHAR, a->rchar);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_WCHAR, a->wchar);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_SYSCR, a->syscr);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_SYSCW, a->syscw);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_READ_BYTES, a->read_bytes);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_WRITE_BYTES, a->write_bytes);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_CANCELLED_WRITE_BYTES,
		       a->cancelled_write_bytes);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_HIWATER_RSS_KB, a->hiwater_rss_kb);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_HIWATER_VM_KB, a->hiwater_vm_kb);
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_COREMEM_MB_US,
		       xos_acct_mb_usec(a->coremem));
	xos_nl_run_u64(&r, XOS_JOB_STATS_A_VIRTMEM_MB_US,
		       xos_acct_mb_usec(a->virtmem));
	err = xos_nl_run_end(&r);
	if (err || nla_put_u8(skb, XOS_JOB_STATS_A_DELAYACCT, delayacct_on))
		return xos_job_nl_nest_close(skb, nest, -EMSGSIZE);
	/*
	 * The CPU delay (run-queue wait) is always accounted; the others only
	 * while kernel.task_delayacct is on: then they are not sent, rather
	 * than sent as zeros that look real.
	 */
	xos_nl_run_start(&r, skb, 2 * nr_delays, XOS_JOB_STATS_A_PAD);
	for (i = 0; i < nr_delays; i++) {
		xos_nl_run_u64(&r, XOS_JOB_STATS_A_CPU_DELAY_NS + 2 * i,
			       a->delay_ns[i]);
		xos_nl_run_u64(&r, XOS_JOB_STATS_A_CPU_DELAY_COUNT + 2 * i,
			       a->delay_count[i]);
	}
	err = xos_nl_run_end(&r);
	return xos_job_nl_nest_close(skb, nest, err);
}

static int xos_acct_put_states(struct sk_buff *skb, int type,
			       const struct xos_acct_states *s)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	struct xos_nl_run r;

	if (!nest)
		return -EMSGSIZE;
	xos_nl_run_start(&r, skb, 6, XOS_JOB_STATES_A_PAD);
	xos_nl_run_u64(&r, XOS_JOB_STATES_A_RUNNING, s->running);
	xos_nl_run_u64(&r, XOS_JOB_STATES_A_SLEEPING, s->sleeping);
	xos_nl_run_u64(&r, XOS_JOB_STATES_A_UNINTERRUPTIBLE,
		       s->uninterruptible);
	xos_nl_run_u64(&r, XOS_JOB_STATES_A_STOPPED, s->stopped);
	xos_nl_run_u64(&r, XOS_JOB_STATES_A_IO_WAIT, s->io_wait);
	xos_nl_run_u64(&r, XOS_JOB_STATES_A_FROZEN, s->frozen);
	return xos_job_nl_nest_close(skb, nest, xos_nl_run_end(&r));
}

/* The limits as given to JOB_NEW; nothing when @l is NULL. */
static int xos_limit_put(struct sk_buff *skb, int type,
			 const struct xos_job_limits *l)
{
	struct nlattr *nest;
	int i;

	if (!l)
		return 0;
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = XOS_JOB_LIMIT_A_CPU_TIME_NS; i <= XOS_LIMIT_LAST_U64; i++)
		if (xos_limit_has(l, i) &&
		    nla_put_u64_64bit(skb, i, l->v[i], XOS_JOB_LIMIT_A_PAD))
			return xos_job_nl_nest_close(skb, nest, -EMSGSIZE);
	if ((xos_limit_has(l, XOS_JOB_LIMIT_A_CPUS) &&
	     nla_put_string(skb, XOS_JOB_LIMIT_A_CPUS, l->cpus)) ||
	    (xos_limit_has(l, XOS_JOB_LIMIT_A_MEMS) &&
	     nla_put_string(skb, XOS_JOB_LIMIT_A_MEMS, l->mems)))
		return xos_job_nl_nest_close(skb, nest, -EMSGSIZE);
	return xos_job_nl_nest_close(skb, nest, 0);
}

/*
 * The job's recorded cgroup as a path in the caller's cgroup namespace.
 * Process context (cgroup_path_ns() takes cgroup_mutex).
 */
static int xos_job_nl_put_cgroup(struct sk_buff *skb, struct cgroup *cgrp)
{
	int room = skb_tailroom(skb) - NLA_HDRLEN, buflen, len;
	struct nlattr *nla;

	if (!cgrp)
		return 0;
	if (room <= 1)
		return -EMSGSIZE;
	/* written in place, instead of through a PATH_MAX buffer */
	buflen = min(room, PATH_MAX);
	nla = (struct nlattr *)skb_tail_pointer(skb);
	len = cgroup_path_ns(cgrp, nla_data(nla), buflen,
			     current->nsproxy->cgroup_ns);
	/*
	 * A path that fills the buffer may be cut short: 6.1 returns the full
	 * length, later kernels the length copied or -E2BIG.
	 */
	if (len < 0 && len != -E2BIG && len != -ENAMETOOLONG)
		return 0;
	if (len < 0 || len >= buflen - 1)
		/*
		 * one too long for PATH_MAX is not sent (cgroupfs refuses it
		 * too); a shorter one needs a larger message
		 */
		return buflen < PATH_MAX ? -EMSGSIZE : 0;
	nla->nla_type = XOS_JOB_A_CGROUP;
	nla->nla_len = nla_attr_size(len + 1);
	__skb_put(skb, nla_total_size(len + 1));
	memset((char *)nla_data(nla) + len + 1, 0, nla_padlen(len + 1));
	return 0;
}

/* The counts: XOS_NL_NR_COUNTS attributes of a run. */
#define XOS_NL_NR_COUNTS 6
static void xos_job_nl_run_counts(struct xos_nl_run *r,
				  const struct xos_job_counts *c)
{
	xos_nl_run_u64(r, XOS_JOB_A_NR_TASKS, c->nr_tasks);
	xos_nl_run_u64(r, XOS_JOB_A_NR_PROCS, c->nr_procs);
	xos_nl_run_u64(r, XOS_JOB_A_TASKS_STARTED, c->tasks_started);
	xos_nl_run_u64(r, XOS_JOB_A_TASKS_EXITED, c->tasks_exited);
	xos_nl_run_u64(r, XOS_JOB_A_PROCS_STARTED, c->procs_started);
	xos_nl_run_u64(r, XOS_JOB_A_PROCS_EXITED,
		       c->procs_started - c->nr_procs);
}

/* A restored job's origin and the figures it started from. */
static int xos_job_nl_put_restored(struct sk_buff *skb, u64 from,
				   const struct xos_acct *base,
				   bool delayacct_on)
{
	if (from && xos_job_nl_put_u64(skb, XOS_JOB_A_RESTORED_FROM, from))
		return -EMSGSIZE;
	if (base && xos_acct_put(skb, XOS_JOB_A_BASE, base, delayacct_on))
		return -EMSGSIZE;
	return 0;
}

/*
 * What live jobs and end-of-job records have in common: XOS_NL_NR_COMMON
 * u64 attributes of @r, which the caller started on @skb, and the rest
 * after it.
 */
#define XOS_NL_NR_COMMON 3
static int xos_job_nl_fill_common(struct sk_buff *skb, struct xos_nl_run *r,
				  u64 id, const char *label, kuid_t owner,
				  u64 created_real, u64 created_boot,
				  struct user_namespace *user_ns)
{
	xos_nl_run_u64(r, XOS_JOB_A_ID, id);
	xos_nl_run_u64(r, XOS_JOB_A_CREATED_REALTIME, created_real);
	xos_nl_run_u64(r, XOS_JOB_A_CREATED_BOOTTIME, created_boot);
	if ((label && nla_put_string(skb, XOS_JOB_A_LABEL, label)) ||
	    nla_put_u32(skb, XOS_JOB_A_OWNER_UID,
			from_kuid_munged(user_ns, owner)))
		return -EMSGSIZE;
	return 0;
}

/* A stats nest with every delay: its figures, the flag, the delay pairs. */
#define XOS_NL_STATS_SIZE (nla_total_size(0) +				\
			   (XOS_NL_NR_STATS + 2 * XOS_ACCT_NR_DELAYS) *	\
			   nla_total_size_64bit(sizeof(u64)) +		\
			   nla_total_size(sizeof(u8)))
/* What a cgroup path is expected to take; a longer one costs a retry. */
#define XOS_NL_CGROUP_PATH_GUESS 128

/*
 * A live job's object, sized to what the job holds: a reply allocated at
 * NLMSG_GOODSIZE and filled to a fifth of it is copied into a smaller one
 * on its way out (netlink_trim()), which cost as much as filling it.
 */
static size_t xos_job_nl_job_size(const struct xos_job *job,
				  bool delayacct_on)
{
	/* 14 u64 and 3 u32 at the top level, the states nest */
	size_t size = 14 * nla_total_size_64bit(sizeof(u64)) +
		      3 * nla_total_size(sizeof(u32)) +
		      nla_total_size(0) +
		      6 * nla_total_size_64bit(sizeof(u64)) +
		      XOS_NL_STATS_SIZE;

	/* without delay accounting, only the CPU delay's pair */
	if (!delayacct_on || !job->delayacct_on)
		size -= 2 * (XOS_ACCT_NR_DELAYS - 1) *
			nla_total_size_64bit(sizeof(u64));

	if (job->label)
		size += nla_total_size(strlen(job->label) + 1);
	if (job->cgrp)
		size += nla_total_size(XOS_NL_CGROUP_PATH_GUESS);
	if (job->limits)
		size += nla_total_size(0) +
			(XOS_LIMIT_LAST_U64 + 1) *
			nla_total_size_64bit(sizeof(u64)) +
			2 * nla_total_size(XOS_JOB_CPULIST_MAX + 1);
	if (job->base)
		size += XOS_NL_STATS_SIZE;
	return size;
}

/**
 * xos_job_nl_fill_job() - a live job as a job object
 * @skb: the message
 * @job: the job
 * @pid_ns: the reader's, for the anchor's pid
 * @user_ns: the reader's, for the owner's uid
 * @delayacct_on: kernel.task_delayacct now
 *
 * Process context: takes a snapshot (and cgroup_mutex for the path).
 *
 * Return: 0, -ESRCH when the job's last member left since the lookup (no
 * live job any more: callers skip it or answer with the record), or
 * -EMSGSIZE.
 */
static int xos_job_nl_fill_job(struct sk_buff *skb, struct xos_job *job,
			       struct pid_namespace *pid_ns,
			       struct user_namespace *user_ns,
			       bool delayacct_on)
{
	/* some 400 bytes: on the stack, a kmalloc() was a tenth of a GET */
	struct xos_job_snap snap, *s = &snap;
	struct xos_nl_run r;
	int err;

	xos_job_snapshot(job, pid_ns, s);
	/*
	 * Its last member left after the lookup: it is no live job any more
	 * (no members, and its record is out). Callers skip it or answer
	 * with the record.
	 */
	err = -ESRCH;
	if (s->ended)
		return err;
	/* CGRP_FROZEN: every task in it is frozen, as cgroup.events says */
	if (job->cgrp && test_bit(CGRP_FROZEN, &job->cgrp->flags))
		s->flags |= XOS_JOB_F_FROZEN;
	err = xos_job_nl_put_cgroup(skb, job->cgrp);
	if (err)
		return err;
	xos_nl_run_start(&r, skb, XOS_NL_NR_COMMON + XOS_NL_NR_COUNTS + 2 +
			 !!s->anchor_pid + !!job->cgrp, XOS_JOB_A_PAD);
	if (s->anchor_pid)
		xos_nl_run_u64(&r, XOS_JOB_A_ANCHOR_START_BOOTTIME,
			       s->anchor_start_ns);
	xos_job_nl_run_counts(&r, &s->counts);
	xos_nl_run_u64(&r, XOS_JOB_A_ELAPSED_NS,
		       ktime_get_boottime_ns() - job->created_boot_ns);
	if (job->cgrp)
		xos_nl_run_u64(&r, XOS_JOB_A_CGROUP_ID, cgroup_id(job->cgrp));
	xos_nl_run_u64(&r, XOS_JOB_A_NR_OOM_KILLED, s->nr_oom_killed);
	if (xos_job_nl_fill_common(skb, &r, job->id, job->label, job->owner,
				   job->created_real_ns, job->created_boot_ns,
				   user_ns) ||
	    xos_nl_run_end(&r) ||
	    nla_put_u32(skb, XOS_JOB_A_ANCHOR_PID, s->anchor_pid) ||
	    nla_put_u32(skb, XOS_JOB_A_FLAGS, s->flags) ||
	    xos_acct_put(skb, XOS_JOB_A_STATS, &s->acct,
			 delayacct_on && job->delayacct_on) ||
	    xos_acct_put_states(skb, XOS_JOB_A_STATES, &s->states) ||
	    xos_limit_put(skb, XOS_JOB_A_LIMITS, job->limits) ||
	    xos_job_nl_put_restored(skb, job->restored_from, job->base,
				    delayacct_on && job->delayacct_on))
		return -EMSGSIZE;
	return 0;
}

/**
 * xos_job_nl_fill_record() - an end-of-job record as a job object
 * @skb: the message
 * @rec: the record, under rcu_read_lock()
 * @user_ns: the reader's, for the owner's uid
 * @delayacct_on: kernel.task_delayacct now
 *
 * Return: 0 or -EMSGSIZE.
 */
static int xos_job_nl_fill_record(struct sk_buff *skb,
				  const struct xos_job_record *rec,
				  struct user_namespace *user_ns,
				  bool delayacct_on)
{
	struct xos_nl_run r;

	xos_nl_run_start(&r, skb, XOS_NL_NR_COMMON + XOS_NL_NR_COUNTS + 5 +
			 !!rec->cgroup_id, XOS_JOB_A_PAD);
	xos_nl_run_u64(&r, XOS_JOB_A_SEQ, rec->seq);
	xos_nl_run_u64(&r, XOS_JOB_A_ENDED_REALTIME, rec->ended_real_ns);
	xos_nl_run_u64(&r, XOS_JOB_A_ENDED_BOOTTIME, rec->ended_boot_ns);
	xos_job_nl_run_counts(&r, &rec->counts);
	xos_nl_run_u64(&r, XOS_JOB_A_ELAPSED_NS,
		       rec->ended_boot_ns - rec->created_boot_ns);
	xos_nl_run_u64(&r, XOS_JOB_A_NR_OOM_KILLED, rec->nr_oom_killed);
	if (rec->cgroup_id)
		xos_nl_run_u64(&r, XOS_JOB_A_CGROUP_ID, rec->cgroup_id);
	if (xos_job_nl_fill_common(skb, &r, rec->id, rec->label, rec->owner,
				   rec->created_real_ns, rec->created_boot_ns,
				   user_ns) ||
	    xos_nl_run_end(&r) ||
	    nla_put_flag(skb, XOS_JOB_A_ENDED) ||
	    nla_put_u32(skb, XOS_JOB_A_ANCHOR_PID, 0) ||
	    nla_put_u32(skb, XOS_JOB_A_FLAGS, rec->flags) ||
	    xos_acct_put(skb, XOS_JOB_A_STATS, &rec->acct,
			 delayacct_on && rec->delayacct_on) ||
	    nla_put_u32(skb, XOS_JOB_A_END_STATE, rec->end_state) ||
	    (rec->exit_status >= 0 &&
	     nla_put_u32(skb, XOS_JOB_A_EXIT_STATUS, rec->exit_status)) ||
	    xos_limit_put(skb, XOS_JOB_A_LIMITS, rec->limits) ||
	    xos_job_nl_put_restored(skb, rec->restored_from, rec->base,
				    delayacct_on && rec->delayacct_on))
		return -EMSGSIZE;
	return 0;
}

/**
 * xos_job_nl_fill_kept() - a kept record as a job object
 * @msg: the message
 * @lookup: xos_record_by_id() or xos_record_by_seq()
 * @key: what @lookup looks for
 * @admin: the reader may see every owner's record
 * @user_ns: the reader's, for the owner's uid
 *
 * JOB_GET of an ended job and the ENDED notification send the same fill.
 *
 * Return: 0, -ENOENT when no such record is kept for the reader, or
 * -EMSGSIZE.
 */
static int xos_job_nl_fill_kept(struct sk_buff *msg,
				struct xos_job_record *(*lookup)(u64),
				u64 key, bool admin,
				struct user_namespace *user_ns)
{
	bool delayacct_on = xos_acct_delayacct_on();
	struct xos_job_record *rec;
	int err = -ENOENT;

	rcu_read_lock();
	rec = lookup(key);
	if (rec && xos_job_may_see(rec->owner, admin, current_euid()))
		err = xos_job_nl_fill_record(msg, rec, user_ns, delayacct_on);
	rcu_read_unlock();
	return err;
}

/* A message with its genetlink header: replies and notifications. */
static struct sk_buff *xos_job_nl_msg_new_size(u32 portid, u32 seq, u8 cmd,
					       void **hdr, size_t size)
{
	struct sk_buff *msg;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, portid, seq, &xos_job_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static struct sk_buff *xos_job_nl_msg_new(u32 portid, u32 seq, u8 cmd,
					  void **hdr)
{
	return xos_job_nl_msg_new_size(portid, seq, cmd, hdr, NLMSG_GOODSIZE);
}

/*
 * Every error of a do operation carries a message (the uapi says so):
 * these are the ones no handler words itself.
 */
static void xos_job_nl_reply_err(struct netlink_ext_ack *extack, int err)
{
	if (!extack || extack->_msg)
		return;
	if (err == -EMSGSIZE)
		NL_SET_ERR_MSG(extack, "the reply does not fit in a message");
	else if (err == -ENOMEM)
		NL_SET_ERR_MSG(extack, "out of memory building the reply");
	else
		NL_SET_ERR_MSG(extack, "the reply could not be delivered");
}

static struct sk_buff *xos_job_nl_new_reply_size(struct genl_info *info,
						 void **hdr, size_t size)
{
	struct sk_buff *msg = xos_job_nl_msg_new_size(info->snd_portid,
						      info->snd_seq,
						      info->genlhdr->cmd, hdr,
						      size);

	if (!msg)
		xos_job_nl_reply_err(info->extack, -ENOMEM);
	return msg;
}

static struct sk_buff *xos_job_nl_new_reply(struct genl_info *info,
					    void **hdr)
{
	return xos_job_nl_new_reply_size(info, hdr, NLMSG_GOODSIZE);
}

static int xos_job_nl_send(struct sk_buff *msg, void *hdr,
			   struct genl_info *info, int err)
{
	if (err) {
		nlmsg_free(msg);
	} else {
		genlmsg_end(msg, hdr);
		err = genlmsg_reply(msg, info);
	}
	if (err)
		xos_job_nl_reply_err(info->extack, err);
	return err;
}

/**
 * xos_job_nl_info_doit() - JOB_INFO: protocol version, module counters
 * @skb: the request
 * @info: its parsed attributes (none)
 *
 * Return: 0, or a negative errno with an extack message.
 */
int xos_job_nl_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err = 0;

	msg = xos_job_nl_new_reply(info, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, XOS_JOB_A_VERSION, XOS_JOB_GENL_VERSION) ||
	    nla_put_string(msg, XOS_JOB_A_MODULE_VERSION, XOS_JOB_MODULE_VERSION) ||
	    nla_put_u32(msg, XOS_JOB_A_NR_JOBS, xos_job_count()) ||
	    nla_put_u32(msg, XOS_JOB_A_MAX_JOBS, READ_ONCE(xos_job_max_jobs)) ||
	    nla_put_u64_64bit(msg, XOS_JOB_A_NR_TASKS, xos_job_task_count(),
			      XOS_JOB_A_PAD) ||
	    nla_put_u64_64bit(msg, XOS_JOB_A_ALLOC_FAILURES,
			      xos_job_alloc_failures(), XOS_JOB_A_PAD) ||
	    xos_job_nl_put_u64(msg, XOS_JOB_A_SEQ, xos_record_last_seq()) ||
	    xos_job_nl_put_u64(msg, XOS_JOB_A_OLDEST_SEQ, xos_record_oldest_seq()) ||
	    nla_put_u32(msg, XOS_JOB_A_RING_SIZE, xos_job_ended_ring))
		err = -EMSGSIZE;
	return xos_job_nl_send(msg, hdr, info, err);
}

/**
 * xos_job_nl_new_doit() - JOB_NEW: a job for the caller or, admin, a pid
 * @skb: the request
 * @info: LABEL, PID, OWNER_UID, OWN_CGROUP, LIMITS, RESTORED_FROM, BASE
 *
 * The job is announced (CREATED) before its first member joins, so that
 * CREATED always precedes ENDED.
 *
 * Return: 0, or a negative errno with an extack message.
 */
int xos_job_nl_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *label_attr = info->attrs[XOS_JOB_A_LABEL];
	struct nlattr *pid_attr = info->attrs[XOS_JOB_A_PID];
	struct nlattr *owner_attr = info->attrs[XOS_JOB_A_OWNER_UID];
	struct nlattr *limits_attr = info->attrs[XOS_JOB_A_LIMITS];
	struct nlattr *from_attr = info->attrs[XOS_JOB_A_RESTORED_FROM];
	struct nlattr *base_attr = info->attrs[XOS_JOB_A_BASE];
	bool admin = xos_job_nl_admin(skb);
	struct xos_job_limits *limits = NULL;
	struct xos_acct *base = NULL;
	kuid_t owner = current_euid();
	const char *label = NULL;
	struct xos_job *job, *cur;
	struct task_struct *t;
	unsigned int n;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (label_attr) {
		size_t len = strlen(nla_data(label_attr));

		if (!len) {
			NL_SET_ERR_MSG_ATTR(info->extack, label_attr,
					    "label is empty");
			return -EINVAL;
		}
		label = nla_data(label_attr);
	}
	if ((pid_attr || owner_attr) && !admin) {
		NL_SET_ERR_MSG_ATTR(info->extack, pid_attr ?: owner_attr,
				    "naming another process or owner requires CAP_SYS_ADMIN");
		return -EPERM;
	}
	/*
	 * Figures are every user's accounting, and a job's origin is the
	 * restorer's word: only the administrator restores (CRIU needs it).
	 */
	if ((from_attr || base_attr) && !admin) {
		NL_SET_ERR_MSG_ATTR(info->extack, from_attr ?: base_attr,
				    "restoring a job from a checkpoint requires CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (base_attr && !from_attr) {
		NL_SET_ERR_MSG_ATTR(info->extack, base_attr,
				    "base figures only come with the job restored from (XOS_JOB_A_RESTORED_FROM)");
		return -EINVAL;
	}
	if (owner_attr) {
		owner = make_kuid(current_user_ns(), nla_get_u32(owner_attr));
		if (!uid_valid(owner)) {
			NL_SET_ERR_MSG_ATTR(info->extack, owner_attr,
					    "owner uid is not mapped");
			return -EINVAL;
		}
	}
	if (pid_attr) {
		t = xos_job_nl_task(info, pid_attr);
		if (IS_ERR(t))
			return PTR_ERR(t);
	} else {
		t = get_task_struct(current);
	}
	if (!admin) {
		cur = xos_job_get_by_task(t);
		if (cur) {
			XOS_NL_ERR_FMT(info->extack,
				       "already in a job; a member cannot leave its job",
				       "already in job %llu; a member cannot leave its job",
				       cur->id);
			xos_job_put(cur);
			err = -EPERM;
			goto out_task;
		}
	}
	if (limits_attr) {
		limits = xos_limit_parse(limits_attr, info->extack);
		if (IS_ERR(limits)) {
			err = PTR_ERR(limits);
			goto out_task;
		}
	}
	if (base_attr) {
		base = xos_acct_parse(base_attr, info->extack);
		if (IS_ERR(base)) {
			kfree(limits);
			err = PTR_ERR(base);
			goto out_task;
		}
	}
	job = xos_job_create(label, owner, admin, xos_acct_delayacct_on(),
			     limits, from_attr ? nla_get_u64(from_attr) : 0,
			     base, info->extack);
	if (IS_ERR(job)) {
		err = PTR_ERR(job);
		goto out_task;
	}
	xos_job_set_first(job, t);
	if (info->attrs[XOS_JOB_A_OWN_CGROUP]) {
		spin_lock(&job->lock);
		job->flags |= XOS_JOB_F_OWN_CGROUP;
		spin_unlock(&job->lock);
	}
	/* before any member can end the job: CREATED always precedes ENDED */
	xos_job_nl_notify_created(job);
	err = xos_job_adopt(job, t, admin, &n, info->extack);
	if (err) {
		xos_job_abandon_if_empty(job);
		goto out_job;
	}
	if (xos_limit_enforced(job->limits))
		xos_limit_kick();
	err = -ENOMEM;
	msg = xos_job_nl_new_reply(info, &hdr);
	if (msg) {
		err = nla_put_u64_64bit(msg, XOS_JOB_A_ID, job->id,
					XOS_JOB_A_PAD) ? -EMSGSIZE : 0;
		err = xos_job_nl_send(msg, hdr, info, err);
	}
	/* the job exists and holds the process: say which one it is */
	if (err) {
		info->extack->_msg = NULL;
		XOS_NL_ERR_FMT(info->extack,
			       "the job was created, but its reply could not be sent; find it by pid",
			       "job %llu was created, but its reply could not be sent",
			       job->id);
	}
out_job:
	xos_job_put(job);
out_task:
	put_task_struct(t);
	return err;
}

/**
 * xos_job_nl_attach_doit() - JOB_ATTACH: moves a process into a job (admin)
 * @skb: the request
 * @info: ID, PID
 *
 * Return: 0, or a negative errno with an extack message.
 */
int xos_job_nl_attach_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct task_struct *t;
	struct xos_job *job;
	struct sk_buff *msg;
	unsigned int n;
	void *hdr;
	int err;

	if (!xos_job_nl_admin(skb)) {
		NL_SET_ERR_MSG(info->extack, "attaching a process requires CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (XOS_NL_REQUIRE(info, XOS_JOB_A_ID, "missing job id") ||
	    XOS_NL_REQUIRE(info, XOS_JOB_A_PID, "missing pid"))
		return -EINVAL;
	job = xos_job_nl_job(info, true);
	if (IS_ERR(job))
		return PTR_ERR(job);
	t = xos_job_nl_task(info, info->attrs[XOS_JOB_A_PID]);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto out_job;
	}
	err = xos_job_adopt(job, t, true, &n, info->extack);
	put_task_struct(t);
	if (err)
		goto out_job;
	err = -ENOMEM;
	msg = xos_job_nl_new_reply(info, &hdr);
	if (!msg)
		goto out_job;
	err = nla_put_u64_64bit(msg, XOS_JOB_A_ID, job->id, XOS_JOB_A_PAD) ||
	      nla_put_u32(msg, XOS_JOB_A_NR_ATTACHED, n) ? -EMSGSIZE : 0;
	err = xos_job_nl_send(msg, hdr, info, err);
out_job:
	xos_job_put(job);
	return err;
}

/**
 * xos_job_nl_get_ended() - JOB_GET of a job that has ended: its record
 * @info: the request
 * @admin: the caller may see every owner's record
 * @id: the job's id
 *
 * Return: 0 (the record sent), -ENOENT when the ring keeps none the
 * caller may see, or the reply's error.
 */
static int xos_job_nl_get_ended(struct genl_info *info, bool admin, u64 id)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = xos_job_nl_new_reply(info, &hdr);
	if (!msg)
		return -ENOMEM;
	err = xos_job_nl_fill_kept(msg, xos_record_by_id, id, admin,
				   current_user_ns());
	if (err == -ENOENT) {
		nlmsg_free(msg);
		return err;
	}
	return xos_job_nl_send(msg, hdr, info, err);
}

/**
 * xos_job_nl_get_doit() - JOB_GET: a live job, or the record of an ended one
 * @skb: the request
 * @info: ID or PID
 *
 * Return: 0, or a negative errno with an extack message.
 */
int xos_job_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pid_attr = info->attrs[XOS_JOB_A_PID];
	bool delayacct_on;
	size_t size;
	struct xos_job *job;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (info->attrs[XOS_JOB_A_ID] && pid_attr) {
		NL_SET_ERR_MSG_ATTR(info->extack, pid_attr,
				    "give a job id or a pid, not both");
		return -EINVAL;
	}
	if (pid_attr) {
		struct task_struct *t = xos_job_nl_task(info, pid_attr);

		if (IS_ERR(t))
			return PTR_ERR(t);
		job = xos_job_get_by_task(t);
		put_task_struct(t);
		if (job && !xos_job_nl_sees(skb, job->owner)) {
			xos_job_put(job);
			job = NULL;
		}
		if (!job) {
			XOS_NL_ERR_FMT(info->extack,
				       "process is not in a job you can see",
				       "process %u is not in a job you can see",
				       nla_get_u32(pid_attr));
			NL_SET_BAD_ATTR(info->extack, pid_attr);
			return -ENOENT;
		}
	} else {
		struct nlattr *id_attr = info->attrs[XOS_JOB_A_ID];
		u64 id;

		if (XOS_NL_REQUIRE(info, XOS_JOB_A_ID,
				   "give a job id or a pid"))
			return -EINVAL;
		id = nla_get_u64(id_attr);
		job = xos_job_get_by_id(id);
		if (job && (xos_job_has_ended(job) ||
			    !xos_job_nl_sees(skb, job->owner))) {
			xos_job_put(job);
			job = NULL;
		}
		if (!job) {
			err = xos_job_nl_get_ended(info, xos_job_nl_admin(skb),
						   id);
			if (err != -ENOENT)
				return err;
			XOS_NL_ERR_FMT(info->extack,
				       "no such job (or its record was dropped from the ring)",
				       "no such job: %llu (or its record was dropped from the ring)",
				       id);
			NL_SET_BAD_ATTR(info->extack, id_attr);
			return -ENOENT;
		}
	}
	delayacct_on = xos_acct_delayacct_on();
	size = xos_job_nl_job_size(job, delayacct_on);
again:
	err = -ENOMEM;
	msg = xos_job_nl_new_reply_size(info, &hdr, size);
	if (msg) {
		err = xos_job_nl_fill_job(msg, job, task_active_pid_ns(current),
					  current_user_ns(), delayacct_on);
		if (err == -EMSGSIZE && size < NLMSG_GOODSIZE) {
			/* a cgroup path longer than guessed */
			nlmsg_free(msg);
			size = NLMSG_GOODSIZE;
			goto again;
		}
		if (err == -ESRCH) {
			/* ended since the lookup: its record is out already */
			u64 id = job->id;

			nlmsg_free(msg);
			xos_job_put(job);
			err = xos_job_nl_get_ended(info, xos_job_nl_admin(skb),
						   id);
			if (err == -ENOENT)
				XOS_NL_ERR_FMT(info->extack,
					       "the job has ended and its record was dropped from the ring",
					       "job %llu has ended and its record was dropped from the ring",
					       id);
			return err;
		}
		err = xos_job_nl_send(msg, hdr, info, err);
	}
	xos_job_put(job);
	return err;
}

/**
 * xos_job_nl_gone() - why a job id the caller asked for is not live
 * @info: the request, for the error's message
 * @admin: the caller may see every owner's record
 * @id: the job's id
 *
 * Return: -ESRCH when it has ended and the caller may see its record,
 * -ENOENT (as if it never existed) else; the extack is set.
 */
static int xos_job_nl_gone(struct genl_info *info, bool admin, u64 id)
{
	struct xos_job_record *rec;
	bool ended;

	rcu_read_lock();
	rec = xos_record_by_id(id);
	ended = rec && xos_job_may_see(rec->owner, admin, current_euid());
	rcu_read_unlock();
	NL_SET_BAD_ATTR(info->extack, info->attrs[XOS_JOB_A_ID]);
	if (ended) {
		XOS_NL_ERR_FMT(info->extack, "the job has ended",
			       "job %llu has ended", id);
		return -ESRCH;
	}
	XOS_NL_ERR_FMT(info->extack, "no such job", "no such job: %llu", id);
	return -ENOENT;
}

/**
 * xos_job_nl_enter_doit() - JOB_ENTER: the caller joins the job
 * @skb: the request
 * @info: ID, NO_CGROUP
 *
 * The caller joins the job (so its children follow), then the job's
 * cgroups. Membership comes first: a caller that raced the job's end is
 * left where it was, in no job and in its own cgroups.
 *
 * Return: 0, or a negative errno with an extack message.
 */
int xos_job_nl_enter_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool admin = xos_job_nl_admin(skb);
	bool cgroups = !info->attrs[XOS_JOB_A_NO_CGROUP];
	struct task_struct *anchor, *src = NULL;
	struct xos_job *job, *cur;
	u64 id, cur_id = 0, start_ns = 0;
	struct sk_buff *msg;
	unsigned int n;
	pid_t apid = 0;
	void *hdr;
	int err;

	if (XOS_NL_REQUIRE(info, XOS_JOB_A_ID, "missing job id"))
		return -EINVAL;
	id = nla_get_u64(info->attrs[XOS_JOB_A_ID]);
	job = xos_job_get_by_id(id);
	if (job && !xos_job_visible(job, admin, current_euid())) {
		xos_job_put(job);
		job = NULL;
	}
	if (!job)
		return xos_job_nl_gone(info, admin, id);
	cur = xos_job_get_by_task(current);
	if (cur) {
		cur_id = cur->id;
		xos_job_put(cur);
	}
	err = -EPERM;
	if (cur_id && cur_id != id && !admin) {
		XOS_NL_ERR_FMT(info->extack,
			       "a member of another job cannot enter this one",
			       "a member of job %llu cannot enter job %llu",
			       cur_id, id);
		goto out_job;
	}
	/*
	 * cgroup_attach_task_all() skips cgroupfs permissions, delegation and
	 * cgroup namespaces: only an admin may have the kernel move it. An
	 * owner joins through cgroupfs, where those rules apply.
	 */
	if (cgroups && !admin) {
		NL_SET_ERR_MSG(info->extack,
			       "joining the job's cgroups here requires CAP_SYS_ADMIN; ask with XOS_JOB_A_NO_CGROUP and join them through cgroupfs");
		goto out_job;
	}
	err = -EINVAL;
	if (cgroups && !thread_group_empty(current)) {
		/* cgroup_attach_task_all() moves the calling thread only */
		NL_SET_ERR_MSG(info->extack,
			       "joining the job's cgroups needs a single-threaded caller (or XOS_JOB_A_NO_CGROUP)");
		goto out_job;
	}
	/*
	 * The job's cgroup is the one recorded at JOB_NEW, wherever the
	 * anchor has gone since: the caller takes the cgroups of a member
	 * that is in it. Looked for before joining, so that a refusal
	 * leaves the caller where it was.
	 */
	if (cgroups) {
		src = xos_job_member_in_cgroup(job);
		if (IS_ERR(src)) {
			err = PTR_ERR(src);
			src = NULL;
			if (err == -ESRCH)
				XOS_NL_ERR_FMT(info->extack, "the job has ended",
					       "job %llu has ended", id);
			else
				NL_SET_ERR_MSG(info->extack,
					       "no member of the job is in its cgroup any more; ask with XOS_JOB_A_NO_CGROUP and join it through cgroupfs");
			goto out_job;
		}
	}
	err = xos_job_adopt(job, current, admin, &n, info->extack);
	if (err == -ESRCH) {
		XOS_NL_ERR_FMT(info->extack, "the job has ended or was killed",
			       "job %llu %s", id, READ_ONCE(job->ended) ?
			       "has ended" : "was killed: it takes no new members");
		NL_SET_BAD_ATTR(info->extack, info->attrs[XOS_JOB_A_ID]);
	}
	if (err)
		goto out_job;
	/* we are a member now: the job cannot end before we exit */
	anchor = xos_job_anchor(job, task_active_pid_ns(current), &apid,
				&start_ns);
	err = -ESRCH;
	if (!anchor) {
		NL_SET_ERR_MSG(info->extack, "the job has no member left");
		goto out_job;
	}
	err = cgroups ? cgroup_attach_task_all(src, current) : 0;
	put_task_struct(anchor);
	if (err) {
		XOS_NL_ERR_FMT(info->extack,
			       "joined the job, but not its cgroups; exit",
			       "joined job %llu, but not its cgroups (%d); exit",
			       id, err);
		goto out_job;
	}
	err = -ENOMEM;
	msg = xos_job_nl_new_reply(info, &hdr);
	if (!msg)
		goto out_job;
	err = xos_job_nl_put_u64(msg, XOS_JOB_A_ID, id) ||
	      nla_put_u32(msg, XOS_JOB_A_ANCHOR_PID, apid) ||
	      xos_job_nl_put_u64(msg, XOS_JOB_A_ANCHOR_START_BOOTTIME, start_ns) ||
	      nla_put_u32(msg, XOS_JOB_A_OWNER_UID,
			  from_kuid_munged(current_user_ns(), job->owner)) ?
	      -EMSGSIZE : 0;
	if (!err)
		err = xos_job_nl_put_cgroup(msg, job->cgrp);
	err = xos_job_nl_send(msg, hdr, info, err);
out_job:
	if (src)
		put_task_struct(src);
	xos_job_put(job);
	return err;
}

/**
 * xos_job_nl_checkpoint_doit() - JOB_CHECKPOINT: sets or clears the mark
 * @skb: the request
 * @info: ID, CHECKPOINTING
 *
 * The mark makes the job's end read "checkpointed". Admin only: it
 * changes what the record says of every user's job.
 *
 * Return: 0, or a negative errno with an extack message.
 */
int xos_job_nl_checkpoint_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct xos_job *job;
	struct sk_buff *msg;
	u32 flags;
	void *hdr;
	u64 id;
	int err;

	if (!xos_job_nl_admin(skb)) {
		NL_SET_ERR_MSG(info->extack,
			       "marking a job as checkpointed requires CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (XOS_NL_REQUIRE(info, XOS_JOB_A_ID, "missing job id") ||
	    XOS_NL_REQUIRE(info, XOS_JOB_A_CHECKPOINTING,
			   "missing checkpointing mark (1: set, 0: clear)"))
		return -EINVAL;
	id = nla_get_u64(info->attrs[XOS_JOB_A_ID]);
	job = xos_job_get_by_id(id);
	if (!job)
		return xos_job_nl_gone(info, true, id);
	err = xos_job_set_checkpointing(job,
					nla_get_u8(info->attrs[XOS_JOB_A_CHECKPOINTING]),
					&flags);
	if (err) {
		XOS_NL_ERR_FMT(info->extack, "the job has ended",
			       "job %llu has ended", id);
		NL_SET_BAD_ATTR(info->extack, info->attrs[XOS_JOB_A_ID]);
		goto out_job;
	}
	err = -ENOMEM;
	msg = xos_job_nl_new_reply(info, &hdr);
	if (!msg)
		goto out_job;
	err = xos_job_nl_put_u64(msg, XOS_JOB_A_ID, id) ||
	      nla_put_u32(msg, XOS_JOB_A_FLAGS, flags) ? -EMSGSIZE : 0;
	err = xos_job_nl_send(msg, hdr, info, err);
out_job:
	xos_job_put(job);
	return err;
}

/**
 * xos_job_nl_kill_doit() - JOB_KILL: signals every member process
 * @skb: the request
 * @info: ID, SIGNAL (0..64, the policy's)
 *
 * Return: 0, or a negative errno with an extack message.
 */
int xos_job_nl_kill_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool admin = xos_job_nl_admin(skb);
	u32 sent, denied, sig;
	struct xos_job *job;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (XOS_NL_REQUIRE(info, XOS_JOB_A_ID, "missing job id") ||
	    XOS_NL_REQUIRE(info, XOS_JOB_A_SIGNAL, "missing signal number"))
		return -EINVAL;
	/* 0.._NSIG: the policy checked it */
	sig = nla_get_u32(info->attrs[XOS_JOB_A_SIGNAL]);
	job = xos_job_nl_job(info, admin);
	if (IS_ERR(job))
		return PTR_ERR(job);
	err = xos_job_kill(job, sig, false, &sent, &denied);
	if (err) {
		NL_SET_ERR_MSG(info->extack, "job has ended");
		goto out_job;
	}
	err = -ENOMEM;
	msg = xos_job_nl_new_reply(info, &hdr);
	if (!msg)
		goto out_job;
	err = nla_put_u64_64bit(msg, XOS_JOB_A_ID, job->id, XOS_JOB_A_PAD) ||
	      nla_put_u32(msg, XOS_JOB_A_NR_SIGNALLED, sent) ||
	      nla_put_u32(msg, XOS_JOB_A_NR_DENIED, denied) ? -EMSGSIZE : 0;
	err = xos_job_nl_send(msg, hdr, info, err);
out_job:
	xos_job_put(job);
	return err;
}

/* Dump state, kept in cb->ctx between dumpit calls. */
struct xos_job_dump {
	struct xos_job *job;		/* TASKS: referenced */
	union {
		/* TASKS: the last member sent, held (xos_task_hold()) */
		struct xos_task *pos;
		/* a deferred start() error's message (no job), see compat.h */
		const char *errmsg;
		/* LIST of records: xos_record_dropped_seq() at the last call */
		u64 dropped;
	};
	/* the caller's, captured at start(): later calls run in recvmsg */
	struct pid_namespace *pid_ns;	/* referenced */
	const struct cred *cred;	/* referenced */
	/* LIST: next id, or next record sequence (ended); TASKS: last sent */
	u64 cursor;
	u8 admin:1;
	u8 ended:1;			/* LIST of end-of-job records */
	u8 delayacct_on:1;
	s16 err;
};

static struct xos_job_dump *xos_job_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct xos_job_dump) > sizeof(cb->ctx));
	return (struct xos_job_dump *)cb->ctx;
}

/* The caller's view is captured once: later dumpit calls run in recvmsg. */
static int xos_job_nl_dump_start(struct netlink_callback *cb)
{
	struct xos_job_dump *d = xos_job_dump_ctx(cb);

	memset(d, 0, sizeof(*d));
	d->admin = xos_job_nl_admin(cb->skb);
	d->pid_ns = get_pid_ns(task_active_pid_ns(current));
	d->cred = get_current_cred();
	d->delayacct_on = xos_acct_delayacct_on();
	return 0;
}

/* Drops what the dump holds; done() and a failing start() call it. */
static void xos_job_dump_release(struct xos_job_dump *d)
{
	if (d->job && d->pos)
		xos_task_release(d->pos);
	if (d->job)
		xos_job_put(d->job);
	if (d->pid_ns)
		put_pid_ns(d->pid_ns);
	if (d->cred)
		put_cred(d->cred);
	d->job = NULL;
	d->pos = NULL;
	d->pid_ns = NULL;
	d->cred = NULL;
}

/**
 * xos_job_nl_start_fail() - fails a dump's start() with a message
 * @cb: the dump
 * @err: the error
 * @msg: a string literal
 *
 * Where the kernel would drop the message (6.1), the error is handed to
 * the first dumpit() call.
 *
 * Return: @err, or 0 when deferred.
 */
static int xos_job_nl_start_fail(struct netlink_callback *cb, int err,
				 const char *msg)
{
	struct xos_job_dump *d = xos_job_dump_ctx(cb);

	if (XOS_JOB_DUMP_START_EXTACK) {
		/* a start() that fails is never followed by done() */
		xos_job_dump_release(d);
		if (cb->extack && !cb->extack->_msg)
			cb->extack->_msg = msg;
		return err;
	}
	d->err = err;
	d->errmsg = msg;
	return 0;
}

/* The deferred start() error, if any, ends the dump with its message. */
static int xos_job_nl_deferred_err(struct netlink_callback *cb)
{
	struct xos_job_dump *d = xos_job_dump_ctx(cb);

	if (!d->err)
		return 0;
	if (cb->extack)
		cb->extack->_msg = d->errmsg;
	return d->err;
}

/*
 * @err (if any) of a dump call that could not send even its first object:
 * it fails the dump (returning 0 would end it as if complete), and says
 * why.
 */
static int xos_job_nl_dump_err(struct netlink_callback *cb, int err)
{
	if (!err || !cb->extack || cb->extack->_msg)
		return err;
	if (err == -ENOMEM)
		NL_SET_ERR_MSG(cb->extack, "out of memory building the dump");
	else
		NL_SET_ERR_MSG(cb->extack,
			       "an object does not fit in a dump message");
	return err;
}

/**
 * xos_job_nl_list_start() - JOB_LIST dump: live jobs, or kept records
 * @cb: the dump; ENDED, SEQ
 *
 * Return: 0, or a negative errno with an extack message (on 6.1, handed
 * to the first dumpit call; see compat.h).
 */
int xos_job_nl_list_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = xos_job_dump_attrs(cb);
	struct xos_job_dump *d = xos_job_dump_ctx(cb);

	xos_job_nl_dump_start(cb);
	d->ended = nla_get_flag(attrs[XOS_JOB_A_ENDED]);
	if (attrs[XOS_JOB_A_SEQ] && !d->ended) {
		NL_SET_BAD_ATTR(cb->extack, attrs[XOS_JOB_A_SEQ]);
		return xos_job_nl_start_fail(cb, -EINVAL,
					     "a sequence number only applies to the ended jobs (XOS_JOB_A_ENDED)");
	}
	d->cursor = attrs[XOS_JOB_A_SEQ] ? nla_get_u64(attrs[XOS_JOB_A_SEQ]) : 1;
	return 0;
}

/**
 * xos_job_nl_dump_done() - drops what a dump holds
 * @cb: the dump
 *
 * Return: 0.
 */
int xos_job_nl_dump_done(struct netlink_callback *cb)
{
	xos_job_dump_release(xos_job_dump_ctx(cb));
	return 0;
}

/**
 * xos_job_nl_ended_dumpit() - end-of-job records from d->cursor on
 * @skb: the message to fill
 * @cb: the dump
 *
 * Records are immutable; the kept numbers may have gaps (see record.c).
 * The dump is inconsistent if the ring dropped a record it had not sent
 * yet: one numbered at or after where this call began, found by the
 * highest number ever dropped moving there (a drop of an older record of
 * another owner can go unnoticed).
 *
 * Return: the message's length (0: the dump is complete), or a negative
 * errno when not even one record fits.
 */
static int xos_job_nl_ended_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct xos_job_dump *d = xos_job_dump_ctx(cb);
	u64 last = xos_record_last_seq(), from = d->cursor;
	int err = 0;

	if (!cb->seq) {
		/* first call: older drops do not count */
		cb->seq = 1;
		/*
		 * The core flags a message only once prev_seq is set, by the
		 * dump's first message: a record dropped before that one
		 * would go unflagged, or, if no message follows in this
		 * call, even the final NLMSG_DONE would not carry it.
		 */
		cb->prev_seq = 1;
		d->dropped = xos_record_dropped_seq();
	}
	for (;;) {
		struct xos_job_record *rec;
		void *hdr;

		rcu_read_lock();
		rec = xos_record_next(d->cursor);
		if (!rec || rec->seq > last) {
			rcu_read_unlock();
			break;
		}
		d->cursor = rec->seq;
		if (!xos_job_may_see(rec->owner, d->admin, d->cred->euid)) {
			rcu_read_unlock();
			d->cursor++;
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &xos_job_family,
				  NLM_F_MULTI, XOS_JOB_CMD_LIST);
		err = -EMSGSIZE;
		if (hdr) {
			genl_dump_check_consistent(cb, hdr);
			err = xos_job_nl_fill_record(skb, rec, d->cred->user_ns,
						     d->delayacct_on);
		}
		rcu_read_unlock();
		if (err) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		d->cursor++;
	}
	if (xos_record_dropped_seq() != d->dropped) {
		d->dropped = xos_record_dropped_seq();
		if (d->dropped >= from)
			cb->seq++;	/* NLM_F_DUMP_INTR */
	}
	/* not even one fits: an error, not an early end */
	return skb->len ?: xos_job_nl_dump_err(cb, err);
}

/**
 * xos_job_nl_list_dumpit() - the next live jobs in id order, or records
 * @skb: the message to fill
 * @cb: the dump
 *
 * Return: the message's length (0: the dump is complete), or a negative
 * errno when not even one object fits.
 */
int xos_job_nl_list_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct xos_job_dump *d = xos_job_dump_ctx(cb);
	struct xos_job *job;
	int err = 0;
	u64 id;

	if (d->err)
		return xos_job_nl_deferred_err(cb);
	if (d->ended)
		return xos_job_nl_ended_dumpit(skb, cb);
	id = d->cursor;
	cb->seq = xos_job_list_gen();
	while ((job = xos_job_find_from(&id))) {
		void *hdr;

		if (!xos_job_visible(job, d->admin, d->cred->euid)) {
			xos_job_put(job);
			id++;
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &xos_job_family,
				  NLM_F_MULTI, XOS_JOB_CMD_LIST);
		if (!hdr) {
			xos_job_put(job);
			err = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		err = xos_job_nl_fill_job(skb, job, d->pid_ns, d->cred->user_ns,
					  d->delayacct_on);
		if (err == -ESRCH) {
			/* ended meanwhile: not a live job any more */
			genlmsg_cancel(skb, hdr);
			xos_job_put(job);
			id++;
			continue;
		}
		if (err) {
			genlmsg_cancel(skb, hdr);
			xos_job_put(job);
			break;
		}
		genlmsg_end(skb, hdr);
		xos_job_put(job);
		id++;
	}
	d->cursor = id;
	/* not even one fits: an error, not an early end */
	return skb->len ?: xos_job_nl_dump_err(cb, err);
}

/**
 * xos_job_nl_tasks_start() - JOB_TASKS dump: the members of a job
 * @cb: the dump; ID
 *
 * Return: 0, or a negative errno with an extack message (on 6.1, handed
 * to the first dumpit call; see compat.h).
 */
int xos_job_nl_tasks_start(struct netlink_callback *cb)
{
	struct nlattr *attr = xos_job_dump_attrs(cb)[XOS_JOB_A_ID];
	struct xos_job_dump *d = xos_job_dump_ctx(cb);
	struct xos_job *job;

	xos_job_nl_dump_start(cb);
	if (!attr) {
		NL_SET_ERR_ATTR_MISS(cb->extack, NULL, XOS_JOB_A_ID);
		return xos_job_nl_start_fail(cb, -EINVAL, "missing job id");
	}
	job = xos_job_get_by_id(nla_get_u64(attr));
	if (job && !xos_job_visible(job, d->admin, d->cred->euid)) {
		xos_job_put(job);
		job = NULL;
	}
	if (!job) {
		if (XOS_JOB_DUMP_START_EXTACK) {
			XOS_NL_ERR_FMT(cb->extack, "no such job",
				       "no such job: %llu", nla_get_u64(attr));
			NL_SET_BAD_ATTR(cb->extack, attr);
		}
		return xos_job_nl_start_fail(cb, -ENOENT, "no such job");
	}
	d->job = job;
	return 0;
}

/**
 * xos_job_may_read_task() - whether the caller may read a task's figures
 * @cb: the dump, whose socket's capabilities count
 * @cred: the caller's, captured at start()
 * @t: the member
 *
 * As through /proc (/proc/PID/io): ptrace read access with its filesystem
 * ids, as __ptrace_may_access() grants PTRACE_MODE_READ_FSCREDS. Neither
 * that function nor the LSM's ptrace hook is exported: this is its
 * credential and dumpability rule, without the LSM. A set-uid program in an owner's
 * job is thus no open book to the owner (CVE-2011-2494). rcu_read_lock()
 * held.
 *
 * Return: true if it may.
 */
static bool xos_job_may_read_task(struct netlink_callback *cb,
				  const struct cred *cred,
				  struct task_struct *t)
{
	const struct cred *tcred = __task_cred(t);
	struct user_namespace *mm_ns = NULL;
	struct mm_struct *mm;
	int dumpable = SUID_DUMP_USER;

	if (!(uid_eq(cred->fsuid, tcred->euid) &&
	      uid_eq(cred->fsuid, tcred->suid) &&
	      uid_eq(cred->fsuid, tcred->uid) &&
	      gid_eq(cred->fsgid, tcred->egid) &&
	      gid_eq(cred->fsgid, tcred->sgid) &&
	      gid_eq(cred->fsgid, tcred->gid)) &&
	    !netlink_ns_capable(cb->skb, tcred->user_ns, CAP_SYS_PTRACE))
		return false;
	task_lock(t);
	mm = t->mm;
	if (mm) {
		dumpable = get_dumpable(mm);
		mm_ns = get_user_ns(mm->user_ns);
	}
	task_unlock(t);
	if (!mm_ns)
		return true;
	if (dumpable != SUID_DUMP_USER &&
	    !netlink_ns_capable(cb->skb, mm_ns, CAP_SYS_PTRACE))
		dumpable = -1;
	put_user_ns(mm_ns);
	return dumpable != -1;
}

/**
 * xos_job_nl_fill_task() - one member as a XOS_JOB_A_TASK nest
 * @skb: the message
 * @xt: the member, found in the member list (rcu_read_lock() held)
 * @cb: the dump
 * @pid: its pid in the reader's namespace
 *
 * Return: 0 or -EMSGSIZE.
 */
static int xos_job_nl_fill_task(struct sk_buff *skb, struct xos_task *xt,
				struct netlink_callback *cb, pid_t pid)
{
	struct xos_job_dump *d = xos_job_dump_ctx(cb);
	struct task_struct *t = xt->task;
	char comm[TASK_COMM_LEN];
	struct nlattr *nest;
	struct xos_acct a;
	bool readable;
	uid_t uid;

	readable = xos_job_may_read_task(cb, d->cred, t);
	if (readable)
		xos_task_acct(xt, &a);
	get_task_comm(comm, t);
	rcu_read_lock();
	uid = from_kuid_munged(d->cred->user_ns, task_uid(t));
	rcu_read_unlock();
	nest = nla_nest_start(skb, XOS_JOB_A_TASK);
	if (!nest ||
	    nla_put_u32(skb, XOS_JOB_TASK_A_PID, pid) ||
	    nla_put_u32(skb, XOS_JOB_TASK_A_TGID,
			task_tgid_nr_ns(t, d->pid_ns)) ||
	    nla_put_string(skb, XOS_JOB_TASK_A_COMM, comm) ||
	    nla_put_u32(skb, XOS_JOB_TASK_A_UID, uid) ||
	    nla_put_u64_64bit(skb, XOS_JOB_TASK_A_START_BOOTTIME,
			      t->start_boottime, XOS_JOB_TASK_A_PAD) ||
	    (readable &&
	     xos_acct_put(skb, XOS_JOB_TASK_A_STATS, &a,
			  d->delayacct_on && d->job->delayacct_on)) ||
	    (!readable && nla_put_flag(skb, XOS_JOB_TASK_A_PRIVATE)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * xos_job_nl_tasks_dumpit() - the next members, in join order
 * @skb: the message to fill
 * @cb: the dump
 *
 * The member list is walked under RCU, never under job->lock (see
 * job.h); between calls the dump holds the last member it sent and goes
 * on from there, or, if that one left meanwhile, from the first member
 * that joined after it (d->cursor), so that members leaving never shift
 * the others.
 *
 * Return: the message's length (0: the dump is complete), or a negative
 * errno when not even one member fits.
 */
int xos_job_nl_tasks_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct xos_job_dump *d = xos_job_dump_ctx(cb);
	struct xos_job *job = d->job;
	struct xos_task *xt, *last;
	int err = 0;

	if (!job)
		return xos_job_nl_deferred_err(cb);
	cb->seq = (u32)READ_ONCE(job->members_gen) ?: 1;
	rcu_read_lock();
	last = d->pos;
	for (xt = xos_task_next(job, last, d->cursor); xt;
	     xt = xos_task_next(job, xt, xt->seq)) {
		pid_t pid;
		void *hdr;

		if (READ_ONCE(xt->unlinked))
			continue;
		/* tasks outside the caller's pid namespace are not shown */
		pid = task_pid_nr_ns(xt->task, d->pid_ns);
		if (pid) {
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, &xos_job_family,
					  NLM_F_MULTI, XOS_JOB_CMD_TASKS);
			err = -EMSGSIZE;
			if (!hdr)
				break;
			genl_dump_check_consistent(cb, hdr);
			if (nla_put_u64_64bit(skb, XOS_JOB_A_ID, job->id,
					      XOS_JOB_A_PAD) ||
			    xos_job_nl_fill_task(skb, xt, cb, pid)) {
				genlmsg_cancel(skb, hdr);
				break;
			}
			err = 0;
			genlmsg_end(skb, hdr);
		}
		d->cursor = xt->seq;
		last = xt;
	}
	if (last != d->pos) {
		if (d->pos)
			xos_task_release(d->pos);
		d->pos = xos_task_hold(last) ? last : NULL;
	}
	rcu_read_unlock();
	/* not even one fits: an error, not an early end */
	return skb->len ?: xos_job_nl_dump_err(cb, err);
}

/*
 * The request policies and the op table are generated from the spec
 * (netlink-gen.c). The multicast group is not: ynl-gen-c.py drops a
 * group's flags, and end-of-job records are every user's accounting, so
 * the group is for CAP_SYS_ADMIN only.
 */
static const struct genl_multicast_group xos_job_mcgrps[] = {
	[XOS_JOB_NLGRP_EVENTS] = {
		.name = XOS_JOB_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
	},
};

/*
 * Not parallel_ops: genl_mutex serializes every doit, start, dumpit and
 * done (see job.h). Generic netlink answers any command without an op,
 * the notification ones included, with EOPNOTSUPP.
 */
static struct genl_family xos_job_family __ro_after_init = {
	.name = XOS_JOB_GENL_NAME,
	.version = XOS_JOB_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	XOS_JOB_FAMILY_OPS(xos_job_nl_ops),
	.mcgrps = xos_job_mcgrps,
	.n_mcgrps = ARRAY_SIZE(xos_job_mcgrps),
	/* every command validates the reserved header byte */
	.resv_start_op = XOS_JOB_CMD_INFO,
};

int __init xos_netlink_init(void)
{
	return genl_register_family(&xos_job_family);
}

void xos_netlink_uninit(void)
{
	genl_unregister_family(&xos_job_family);
}

/*
 * Notifications go to the initial network namespace only: in another
 * one, CAP_SYS_ADMIN over that namespace would be enough to join the
 * group, and records hold every user's accounting.
 */
static struct sk_buff *xos_job_nl_ntf_new(u8 cmd, void **hdr)
{
	if (!genl_has_listeners(&xos_job_family, &init_net,
				XOS_JOB_NLGRP_EVENTS))
		return NULL;
	return xos_job_nl_msg_new(0, 0, cmd, hdr);
}

static void xos_job_nl_ntf_send(struct sk_buff *msg, void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&xos_job_family, &init_net, msg, 0,
				XOS_JOB_NLGRP_EVENTS, GFP_KERNEL);
}

static void xos_job_nl_notify_created(struct xos_job *job)
{
	struct sk_buff *msg;
	void *hdr;

	msg = xos_job_nl_ntf_new(XOS_JOB_CMD_CREATED_NTF, &hdr);
	if (msg)
		xos_job_nl_ntf_send(msg, hdr,
				    xos_job_nl_fill_job(msg, job, &init_pid_ns,
							&init_user_ns,
							xos_acct_delayacct_on()));
}

void xos_job_nl_notify_ended(u64 seq)
{
	struct sk_buff *msg;
	void *hdr;

	msg = xos_job_nl_ntf_new(XOS_JOB_CMD_ENDED_NTF, &hdr);
	if (msg)
		xos_job_nl_ntf_send(msg, hdr,
				    xos_job_nl_fill_kept(msg, xos_record_by_seq,
							 seq, true,
							 &init_user_ns));
}
