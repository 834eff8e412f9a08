/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob checkpoint / restore (checkpoint.c, restore.c): a whole job
 * dumped and restored with CRIU. The checkpoint directory holds CRIU's
 * images and CKPT_META, what xos_job knew of the job at the dump.
 */
#ifndef XOSJOB_CKPT_H
#define XOSJOB_CKPT_H

#include <stdbool.h>
#include <stdint.h>

#include "xosjob.h"

#define CKPT_META "xosjob.json"
#define CKPT_FORMAT "xosjob-checkpoint"
#define CKPT_VERSION 1

/* What CKPT_META says of the job checkpointed. */
struct ckpt_meta {
	uint64_t job_id;
	bool has_label;
	char label[XOS_JOB_LABEL_MAX + 1];
	uint32_t owner_uid;
	/* CRIU's --shell-job: the tree's session leader was outside it */
	bool shell_job;
	bool has_limits;
	struct xosjob_limits limits;
	/* the job's figures at the dump (processes frozen) */
	struct xosjob_stats stats;
};

/* Writes @m as JSON to @path; 0 or -errno. */
int ckpt_meta_write(const char *path, const struct ckpt_meta *m);
/*
 * Reads @path: 0, or -errno with a reason in @why (a file that is not
 * a checkpoint's metadata: -EINVAL).
 */
int ckpt_meta_read(const char *path, struct ckpt_meta *m, char *why,
		   size_t len);

/*
 * This program run by CRIU as its action script (no arguments,
 * CRTOOLS_SCRIPT_ACTION set): checkpoint's post-dump hook when
 * XOSJOB_CKPT_JOB is set, restore's pre-resume hook when XOSJOB_RESTORE_DIR
 * is. The exit status is CRIU's go-ahead (0) or a failure of the dump or
 * restore.
 */
int ckpt_criu_hook(void);
int ckpt_restore_hook(void);

/* Whether this process holds CAP_SYS_ADMIN (what CRIU and JOB_NEW need). */
bool ckpt_admin(void);
/* The refusal for a caller without it. */
int ckpt_not_admin(void);
/*
 * The start of CRIU's command line for @action: images in @dir, its log
 * in @log, this program (@exe) as its action script. Returns the number
 * of arguments put in @argv.
 */
int ckpt_criu_args(char **argv, const char *action, char *dir, char *log,
		   char *exe);
/* Path of this program, to give CRIU as its action script. */
bool ckpt_self_exe(char *buf, size_t len);
/* "Error" lines of a CRIU log, on stderr (at most a few). */
void ckpt_log_errors(const char *log);

#endif
