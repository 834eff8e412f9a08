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
};

struct xosjob_job {
	uint64_t id;
	bool has_label;
	char label[XOS_JOB_LABEL_MAX + 1];
	uint32_t owner_uid;
	uint64_t created_realtime_ns;
	uint64_t created_boottime_ns;
	uint32_t anchor_pid;
	uint32_t flags;		/* XOS_JOB_F_* */
	uint64_t nr_tasks;
	uint64_t nr_procs;
	uint64_t tasks_started;
	uint64_t tasks_exited;
};

struct xosjob_task {
	uint32_t pid;
	uint32_t tgid;
	uint32_t uid;
	char comm[17];
	uint64_t start_boottime_ns;
};

int xosjob_open(struct xosjob_ctx **ctxp);
void xosjob_close(struct xosjob_ctx *ctx);

/* Message of the last failure on @ctx (extack text or strerror). */
const char *xosjob_strerror(const struct xosjob_ctx *ctx);
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
int xosjob_attach(struct xosjob_ctx *ctx, uint64_t id, pid_t pid,
		  uint32_t *nr_attached);
int xosjob_get(struct xosjob_ctx *ctx, uint64_t id, struct xosjob_job *job);
int xosjob_get_by_pid(struct xosjob_ctx *ctx, pid_t pid,
		      struct xosjob_job *job);
int xosjob_kill(struct xosjob_ctx *ctx, uint64_t id, int sig,
		uint32_t *nr_signalled, uint32_t *nr_denied);

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

#ifdef __cplusplus
}
#endif

#endif /* XOSJOB_H */
