// SPDX-License-Identifier: GPL-2.0
/*
 * spank_xos_job: every Slurm job is one xos_job per node.
 *
 * The first task of the job to reach slurm_spank_task_init_privileged on
 * a node (root, in the task, before exec) creates the xos_job, labelled
 * "slurm:JOBID" and owned by the job's user; every later task of any step
 * attaches to it. slurm_spank_job_epilog (root, after the last step,
 * scancel included) kills what is left, so that the end-of-job record
 * comes out flagged killed and nothing the job daemonised survives it.
 *
 * plugstack.conf options: label=PREFIX (default "slurm"),
 * kill_on_end=yes|no (default yes), module=optional|required (default
 * optional: without the kernel module, jobs run untagged and slurmd's log
 * says so), lockdir=DIR (default /run/spank_xos_job).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <slurm/spank.h>

#include "xosjob.h"

SPANK_PLUGIN(xos_job, 1);

#define PFX "spank_xos_job: "

static struct {
	char label[200];
	bool kill_on_end;
	bool required;
	char lockdir[256];
	/* the kernel module is missing and module=optional: do nothing */
	bool disabled;
} conf = { "slurm", true, false, "/run/spank_xos_job", false };

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "true")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "no") || !strcmp(v, "0") || !strcmp(v, "false")) {
		*out = false;
		return true;
	}
	return false;
}

static int parse_args(int ac, char **av)
{
	int i;

	for (i = 0; i < ac; i++) {
		const char *a = av[i];

		if (!strncmp(a, "label=", 6) && a[6] &&
		    strlen(a + 6) < sizeof(conf.label) && !strchr(a + 6, ':')) {
			snprintf(conf.label, sizeof(conf.label), "%s", a + 6);
		} else if (!strncmp(a, "kill_on_end=", 12)) {
			if (!parse_bool(a + 12, &conf.kill_on_end))
				goto bad;
		} else if (!strcmp(a, "module=required")) {
			conf.required = true;
		} else if (!strcmp(a, "module=optional")) {
			conf.required = false;
		} else if (!strncmp(a, "lockdir=", 8) && a[8] == '/' &&
			   strlen(a + 8) < sizeof(conf.lockdir)) {
			snprintf(conf.lockdir, sizeof(conf.lockdir), "%s", a + 8);
		} else {
			goto bad;
		}
		continue;
bad:
		slurm_error(PFX "bad option '%s' in plugstack.conf (label=PREFIX without ':', kill_on_end=yes|no, module=optional|required, lockdir=/ABSOLUTE/DIR)",
			    a);
		return -1;
	}
	return 0;
}

/* The module answers: 0, or -errno with the reason in @why. */
static int module_check(char *why, size_t len)
{
	struct xosjob_ctx *ctx;
	struct xosjob_info info;
	int err = xosjob_open(&ctx);

	if (err) {
		snprintf(why, len, "%s%s", strerror(-err),
			 err == -ENOENT ? " (the xos_job kernel module is not loaded: modprobe xos_job)" : "");
		return err;
	}
	err = xosjob_info(ctx, &info);
	if (err)
		snprintf(why, len, "%s", xosjob_strerror(ctx));
	xosjob_close(ctx);
	return err;
}

static void step_name(spank_t sp, char *buf, size_t len)
{
	uint32_t step;

	if (spank_get_item(sp, S_JOB_STEPID, &step) != ESPANK_SUCCESS)
		snprintf(buf, len, "?");
	else if (step == 0xfffffffb)	/* SLURM_BATCH_SCRIPT */
		snprintf(buf, len, "batch");
	else if (step == 0xfffffffc)	/* SLURM_EXTERN_CONT */
		snprintf(buf, len, "extern");
	else
		snprintf(buf, len, "%u", step);
}

int slurm_spank_init(spank_t sp, int ac, char **av)
{
	spank_context_t ctx = spank_context();
	char why[256], step[16];
	uint32_t jobid = 0;

	if (parse_args(ac, av))
		return -1;
	if (ctx != S_CTX_REMOTE && ctx != S_CTX_SLURMD)
		return 0;
	if (!module_check(why, sizeof(why)))
		return 0;
	if (ctx == S_CTX_SLURMD) {
		slurm_error(PFX "xos_job unavailable at slurmd start: %s; jobs %s until it is loaded",
			    why, conf.required ? "will fail (module=required)" :
			    "will run without an xos_job (module=optional)");
		return 0;
	}
	spank_get_item(sp, S_JOB_ID, &jobid);
	step_name(sp, step, sizeof(step));
	if (conf.required) {
		slurm_error(PFX "job %u step %s: xos_job unavailable: %s; failing it (module=required)",
			    jobid, step, why);
		return -1;
	}
	slurm_error(PFX "job %u step %s: xos_job unavailable: %s; the job runs without an xos_job, untagged and unaccounted (module=optional)",
		    jobid, step, why);
	conf.disabled = true;
	return 0;
}

struct find {
	const char *label;
	uint32_t uid;
	uint64_t id;	/* 0: none */
};

static int find_label(const struct xosjob_job *j, void *arg)
{
	struct find *f = arg;

	if (!j->has_label || strcmp(j->label, f->label) ||
	    j->owner_uid != f->uid || (j->flags & XOS_JOB_F_KILLED))
		return 0;
	/* the oldest of several (there should not be several) */
	if (!f->id || j->id < f->id)
		f->id = j->id;
	return 0;
}

/* The live job labelled @label owned by @uid: its id, 0 if none. */
static int find_job(struct xosjob_ctx *ctx, const char *label, uint32_t uid,
		    uint64_t *id)
{
	struct find f = { label, uid, 0 };
	bool intr;
	int err, tries;

	/* a dump cut by a concurrent change may have skipped ours: again */
	for (tries = 0; tries < 10; tries++) {
		intr = false;
		f.id = 0;
		err = xosjob_list(ctx, find_label, &f, &intr);
		if (err)
			return err;
		if (!intr || f.id)
			break;
	}
	*id = f.id;
	return 0;
}

/*
 * Tasks of a job start in parallel (srun -n2: two processes here at the
 * same time) and steps overlap: the lookup and the creation happen under
 * an exclusive flock per job, so that exactly one of them creates it.
 */
static int lock_job(uint32_t jobid, char *path, size_t len)
{
	int fd;

	if (mkdir(conf.lockdir, 0700) && errno != EEXIST)
		return -errno;
	snprintf(path, len, "%s/job-%u.lock", conf.lockdir, jobid);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX)) {
		if (errno != EINTR) {
			int err = -errno;

			close(fd);
			return err;
		}
	}
	return fd;
}

static int join(spank_t sp, uint32_t jobid, uint32_t uid, const char *label,
		uint64_t *id, bool *created, char *why, size_t len)
{
	struct xosjob_ctx *ctx;
	char path[300];
	uint32_t nr;
	int fd, err;

	err = xosjob_open(&ctx);
	if (err) {
		snprintf(why, len, "cannot reach xos_job: %s", strerror(-err));
		return err;
	}
	fd = lock_job(jobid, path, sizeof(path));
	if (fd < 0) {
		snprintf(why, len, "lock %s/job-%u.lock: %s", conf.lockdir,
			 jobid, strerror(-fd));
		xosjob_close(ctx);
		return fd;
	}
	*created = false;
	err = find_job(ctx, label, uid, id);
	if (err) {
		snprintf(why, len, "cannot list jobs: %s", xosjob_strerror(ctx));
		goto out;
	}
	if (*id) {
		err = xosjob_attach(ctx, *id, getpid(), &nr);
		/* it ended (its last member left) since the lookup: anew */
		if (err != -ESRCH && err != -ENOENT) {
			if (err)
				snprintf(why, len, "cannot join xos_job %" PRIu64 ": %s",
					 *id, xosjob_strerror(ctx));
			goto out;
		}
	}
	err = xosjob_new_owner(ctx, label, 0, uid, id);
	if (err)
		snprintf(why, len, "cannot create xos_job '%s' for uid %u: %s",
			 label, uid, xosjob_strerror(ctx));
	else
		*created = true;
out:
	close(fd);
	xosjob_close(ctx);
	(void)sp;
	return err;
}

int slurm_spank_task_init_privileged(spank_t sp, int ac, char **av)
{
	char label[256], why[512], step[16], idbuf[24];
	uint32_t jobid, uid;
	bool created;
	uint64_t id;
	int err;

	(void)ac;
	(void)av;
	if (!spank_remote(sp) || conf.disabled)
		return 0;
	if (spank_get_item(sp, S_JOB_ID, &jobid) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_UID, &uid) != ESPANK_SUCCESS) {
		slurm_error(PFX "cannot get the job id and user of this task");
		return conf.required ? -1 : 0;
	}
	step_name(sp, step, sizeof(step));
	snprintf(label, sizeof(label), "%s:%u", conf.label, jobid);
	err = join(sp, jobid, uid, label, &id, &created, why, sizeof(why));
	if (err) {
		slurm_error(PFX "job %u step %s task pid %d: %s%s", jobid, step,
			    (int)getpid(), why, conf.required ?
			    "; failing the task (module=required)" :
			    "; the task runs outside any xos_job (module=optional)");
		return conf.required ? -1 : 0;
	}
	if (created)
		slurm_info(PFX "job %u step %s: created xos_job %" PRIu64 " '%s' owned by uid %u",
			   jobid, step, id, label, uid);
	snprintf(idbuf, sizeof(idbuf), "%" PRIu64, id);
	/* the task knows its job, as under xosjob run */
	spank_setenv(sp, "XOS_JOB_ID", idbuf, 1);
	return 0;
}

struct kill_arg {
	const char *label;
	uint64_t ids[64];
	int n;
};

static int collect_label(const struct xosjob_job *j, void *arg)
{
	struct kill_arg *k = arg;

	if (j->has_label && !strcmp(j->label, k->label) &&
	    k->n < (int)(sizeof(k->ids) / sizeof(k->ids[0])))
		k->ids[k->n++] = j->id;
	return 0;
}

static bool env_u32(const char *name, uint32_t *v)
{
	const char *s = getenv(name);
	char *end;
	unsigned long n;

	if (!s || !*s)
		return false;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n > UINT32_MAX)
		return false;
	*v = n;
	return true;
}

int slurm_spank_job_epilog(spank_t sp, int ac, char **av)
{
	struct kill_arg k = { 0 };
	struct xosjob_ctx *ctx;
	char label[256], path[300];
	uint32_t jobid, sig, denied;
	int i, err;

	(void)ac;
	(void)av;
	if (spank_get_item(sp, S_JOB_ID, &jobid) != ESPANK_SUCCESS &&
	    !env_u32("SLURM_JOB_ID", &jobid)) {
		slurm_error(PFX "epilog: cannot get the job id");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/job-%u.lock", conf.lockdir, jobid);
	unlink(path);
	if (!conf.kill_on_end)
		return 0;
	if (xosjob_open(&ctx))
		return 0;	/* no module: nothing was tagged */
	snprintf(label, sizeof(label), "%s:%u", conf.label, jobid);
	k.label = label;
	err = xosjob_list(ctx, collect_label, &k, NULL);
	if (err)
		slurm_error(PFX "epilog of job %u: cannot list jobs: %s",
			    jobid, xosjob_strerror(ctx));
	for (i = 0; i < k.n; i++) {
		err = xosjob_kill(ctx, k.ids[i], SIGKILL, &sig, &denied);
		if (err == -ESRCH || err == -ENOENT)
			continue;	/* ended by itself meanwhile */
		if (err)
			slurm_error(PFX "epilog of job %u: cannot kill xos_job %" PRIu64 ": %s",
				    jobid, k.ids[i], xosjob_strerror(ctx));
		else
			slurm_info(PFX "job %u ended: killed the %u process(es) left in xos_job %" PRIu64 "%s",
				   jobid, sig, k.ids[i],
				   denied ? " (some could not be signalled)" : "");
	}
	xosjob_close(ctx);
	return 0;
}
