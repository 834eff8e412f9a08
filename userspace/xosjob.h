/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libxosjob: a small client of the xos_job generic netlink family.
 *
 * Every call returns 0 or a negative errno. After a failure,
 * xosjob_strerror() gives the kernel's extack message when the kernel sent
 * one, otherwise strerror() of the errno. A context is one netlink socket;
 * use one per thread.
 */
#ifndef XOSJOB_H
#define XOSJOB_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/xos_job.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xosjob_ctx;

struct xosjob_info {
	uint32_t version;
	char module_version[64];
	uint32_t nr_jobs;
	uint32_t max_jobs;
	uint64_t nr_tasks;
	uint64_t alloc_failures;
	uint64_t last_seq;	/* last end-of-job record, 0 if none */
	uint64_t oldest_seq;	/* oldest record the ring still holds */
	uint32_t ring_size;
};

/* Delay kinds, in the order of the uapi's XOS_JOB_STATS_A_*_DELAY_*. */
enum xosjob_delay {
	XOSJOB_DELAY_CPU,
	XOSJOB_DELAY_BLKIO,
	XOSJOB_DELAY_SWAPIN,
	XOSJOB_DELAY_FREEPAGES,
	XOSJOB_DELAY_THRASHING,
	XOSJOB_DELAY_COMPACT,
	XOSJOB_DELAY_WPCOPY,
	XOSJOB_NR_DELAYS,
};

/* "cpu", "blkio", ... */
const char *xosjob_delay_name(enum xosjob_delay d);

/* Figures of a job or a task; see the uapi header for their meaning. */
struct xosjob_stats {
	uint64_t utime_ns, stime_ns, runtime_ns;
	uint64_t minflt, majflt, nvcsw, nivcsw;
	uint64_t rchar, wchar, syscr, syscw;
	uint64_t read_bytes, write_bytes, cancelled_write_bytes;
	uint64_t hiwater_rss_kb, hiwater_vm_kb;
	uint64_t coremem_mb_us, virtmem_mb_us;
	bool delayacct;			/* kernel.task_delayacct is on */
	bool has_delay[XOSJOB_NR_DELAYS];	/* sent by the kernel */
	uint64_t delay_ns[XOSJOB_NR_DELAYS];
	uint64_t delay_count[XOSJOB_NR_DELAYS];
};

struct xosjob_states {
	uint64_t running, sleeping, uninterruptible, stopped, io_wait;
	uint64_t frozen;	/* held by the cgroup v2 freezer */
};

/*
 * Limits of a job (XOS_JOB_LIMIT_A_*): 0 is "not set" for every field but
 * swap_max and grace_ns, which say so with their has_ flags. The module
 * enforces cpu_time_ns and time_ns; the others are what the creator wrote
 * to the job's cgroup.
 */
struct xosjob_limits {
	uint64_t cpu_time_ns, time_ns;
	uint64_t grace_ns;		/* default 10 s */
	bool has_grace;
	uint64_t memory_max, memory_high;	/* bytes */
	uint64_t swap_max;			/* bytes */
	bool has_swap_max;
	uint64_t pids_max, cpu_quota_us, cpu_period_us, cpu_weight, io_weight;
	char cpus[XOS_JOB_CPULIST_MAX + 1], mems[XOS_JOB_CPULIST_MAX + 1];
};

/* Whether any limit is set in @l. */
bool xosjob_limits_any(const struct xosjob_limits *l);
/* "completed", "failed", "killed", "cpu-time-limit", ...; "?" if unknown. */
const char *xosjob_end_state_name(uint32_t state);

struct xosjob_job {
	uint64_t id;
	bool has_label;
	char label[XOS_JOB_LABEL_MAX + 1];
	uint32_t owner_uid;
	uint64_t created_realtime_ns;
	uint64_t created_boottime_ns;
	uint32_t anchor_pid;
	uint64_t anchor_start_boottime_ns;	/* live jobs */
	uint32_t flags;		/* XOS_JOB_F_* */
	uint64_t nr_tasks;
	uint64_t nr_procs;
	uint64_t tasks_started;
	uint64_t tasks_exited;
	uint64_t procs_started;
	uint64_t procs_exited;
	uint64_t elapsed_ns;
	struct xosjob_stats stats;
	bool has_states;	/* live jobs */
	struct xosjob_states states;
	/*
	 * The recorded cgroup v2: its path from the cgroup2 mount in the
	 * caller's cgroup namespace ("" if unknown, and in records), its id
	 * (0 if none).
	 */
	char cgroup[4096];
	uint64_t cgroup_id;
	bool own_cgroup;	/* XOS_JOB_F_OWN_CGROUP */
	bool frozen;		/* XOS_JOB_F_FROZEN */
	bool has_limits;
	struct xosjob_limits limits;
	uint64_t nr_oom_killed;
	/* ended jobs: why (XOS_JOB_END_*), and the first process's status */
	uint32_t end_state;
	bool has_exit_status;
	uint32_t exit_status;	/* as waitpid() gives it */
	/* end-of-job records */
	bool ended;
	uint64_t seq;
	uint64_t ended_realtime_ns;
	uint64_t ended_boottime_ns;
	/*
	 * A job restored from a checkpoint: the job it came from (0: none)
	 * and the part of stats that came before the restart.
	 */
	uint64_t restored_from;
	bool has_base;
	struct xosjob_stats base;
};

struct xosjob_task {
	uint32_t pid;
	uint32_t tgid;
	uint32_t uid;
	char comm[17];
	uint64_t start_boottime_ns;
	/*
	 * The caller may not read this task's figures through /proc (a
	 * set-uid program, another user's task): stats is all zero.
	 */
	bool private;
	struct xosjob_stats stats;	/* since the task joined */
};

int xosjob_open(struct xosjob_ctx **ctxp);
void xosjob_close(struct xosjob_ctx *ctx);

/* Message of the last failure on @ctx (extack text or strerror). */
const char *xosjob_strerror(const struct xosjob_ctx *ctx);
/* The errno of the last failure on @ctx (positive), 0 if none. */
int xosjob_errno(const struct xosjob_ctx *ctx);
/*
 * Whether that failure is the kernel's refusal of a request (an extack
 * message or a bare errno), rather than the library's own (a socket,
 * a malformed reply).
 */
bool xosjob_kernel_error(const struct xosjob_ctx *ctx);
/* Generic netlink family id, for raw requests (tests, fuzzers). */
int xosjob_family(const struct xosjob_ctx *ctx);

int xosjob_info(struct xosjob_ctx *ctx, struct xosjob_info *info);
/* @label may be NULL; @pid 0 means the calling process. */
int xosjob_new(struct xosjob_ctx *ctx, const char *label, pid_t pid,
	       uint64_t *id);
/*
 * The same with an owner uid (caller's user namespace) for the job;
 * XOSJOB_OWNER_DEFAULT leaves the caller's euid. Naming a pid other than
 * 0 or an owner requires admin.
 */
#define XOSJOB_OWNER_DEFAULT ((uid_t)-1)
int xosjob_new_owner(struct xosjob_ctx *ctx, const char *label, pid_t pid,
		     uid_t owner, uint64_t *id);

/* Everything JOB_NEW takes. */
struct xosjob_new_req {
	const char *label;	/* NULL: none */
	pid_t pid;		/* 0: the caller */
	uid_t owner;		/* XOSJOB_OWNER_DEFAULT: the caller's euid */
	/* the process's cgroup was made for this job alone */
	bool own_cgroup;
	struct xosjob_limits limits;
	/*
	 * Restoring from a checkpoint (admin): the job it came from (0: not
	 * a restore) and its figures up to the checkpoint (NULL: none).
	 */
	uint64_t restored_from;
	const struct xosjob_stats *base;
};

int xosjob_new_req(struct xosjob_ctx *ctx, const struct xosjob_new_req *req,
		   uint64_t *id);
int xosjob_attach(struct xosjob_ctx *ctx, uint64_t id, pid_t pid,
		  uint32_t *nr_attached);
int xosjob_get(struct xosjob_ctx *ctx, uint64_t id, struct xosjob_job *job);
int xosjob_get_by_pid(struct xosjob_ctx *ctx, pid_t pid,
		      struct xosjob_job *job);
int xosjob_kill(struct xosjob_ctx *ctx, uint64_t id, int sig,
		uint32_t *nr_signalled, uint32_t *nr_denied);
/*
 * Sets (@on) or clears XOS_JOB_F_CHECKPOINTING (admin): a job that ends
 * with it set ends "checkpointed". *flags (may be NULL): the job's flags
 * after the change.
 */
int xosjob_checkpoint_mark(struct xosjob_ctx *ctx, uint64_t id, bool on,
			   uint32_t *flags);

/* What JOB_ENTER answers: the anchor, to take namespaces etc. from. */
struct xosjob_anchor {
	uint64_t id;
	uint32_t pid;			/* 0: not in the caller's pid ns */
	uint64_t start_boottime_ns;	/* to check the pid is still it */
	uint32_t owner_uid;
	char cgroup[4096];		/* the job's recorded cgroup, or "" */
};

/*
 * The calling process joins job @id (and, unless @no_cgroup, the calling
 * thread joins the anchor's cgroups). See XOS_JOB_CMD_ENTER.
 */
int xosjob_enter(struct xosjob_ctx *ctx, uint64_t id, bool no_cgroup,
		 struct xosjob_anchor *anchor);
/*
 * A pidfd for the anchor @a (from xosjob_enter()), checked to be that very
 * process: the pid is opened first, then its start time compared, so that
 * a reused pid is never taken for the anchor. The fd, or a negative errno:
 * -ESRCH when the anchor is gone or was never visible here.
 */
int xosjob_anchor_pidfd(const struct xosjob_anchor *a);

/*
 * Dumps. The callback returns 0 to go on or a negative errno to stop (that
 * value is returned). *interrupted (may be NULL) is set when the kernel
 * flagged the dump inconsistent (NLM_F_DUMP_INTR).
 */
typedef int (*xosjob_job_cb)(const struct xosjob_job *job, void *arg);
typedef int (*xosjob_task_cb)(const struct xosjob_task *task, void *arg);

int xosjob_list(struct xosjob_ctx *ctx, xosjob_job_cb cb, void *arg,
		bool *interrupted);
int xosjob_tasks(struct xosjob_ctx *ctx, uint64_t id, xosjob_task_cb cb,
		 void *arg, bool *interrupted);

/*
 * End-of-job records from sequence number @from_seq on (0: the oldest
 * kept), in sequence order. *interrupted: records not yet sent were
 * dropped from the ring during the dump.
 */
int xosjob_list_ended(struct xosjob_ctx *ctx, uint64_t from_seq,
		      xosjob_job_cb cb, void *arg, bool *interrupted);

/*
 * Events (admin). xosjob_subscribe() joins the events multicast group on
 * @ctx, which should then be used for events only; @rcvbuf sets the socket
 * receive buffer when not 0 (bytes). xosjob_event_next() waits for the
 * next notification: *cmd is XOS_JOB_CMD_CREATED_NTF or
 * XOS_JOB_CMD_ENDED_NTF. It returns -ENOBUFS when the socket overflowed
 * and notifications were lost: read the records back with
 * xosjob_list_ended() on another context.
 */
int xosjob_subscribe(struct xosjob_ctx *ctx, int rcvbuf);
int xosjob_event_next(struct xosjob_ctx *ctx, int *cmd,
		      struct xosjob_job *job);
/* The socket, for poll(). */
int xosjob_fd(const struct xosjob_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* XOSJOB_H */
