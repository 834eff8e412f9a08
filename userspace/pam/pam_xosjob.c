// SPDX-License-Identifier: GPL-2.0
/*
 * pam_xosjob: a login lands in one of the user's running xos_jobs, as
 * pam_slurm_adopt adopts an ssh login into the user's Slurm job.
 *
 * Account (and session, for services that skip account): the job named by
 * XOS_JOB_ID (PAM environment, then the application's), which must be a
 * running job of the user; else the user's only running job; else the
 * newest (multiple=newest) or a refusal (multiple=deny). No job: refuse
 * or let through (action_no_jobs=deny|allow), saying so to the user.
 * Landing is the kernel's JOB_ENTER for the calling process (the sshd
 * per-connection process: the login shell and everything it starts are
 * its children): membership and the job's cgroup; with join_ns=yes also
 * the namespaces of the job's anchor. Root is let through untouched
 * unless skip_root=no. sshd reads the client's XOS_JOB_ID only after PAM:
 * with sshrc=yes, a lander (lander.h) lets /etc/ssh/sshrc move the login
 * into the job it names.
 *
 * Options: action_no_jobs=deny|allow (deny), multiple=newest|deny
 * (newest), skip_root=yes|no (yes), join_ns=yes|no (no), sshrc=yes|no
 * (no), label=PREFIX (only jobs whose label starts with PREFIX, e.g.
 * label=slurm:), debug.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

#define PAM_SM_ACCOUNT
#define PAM_SM_SESSION
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "lander.h"
#include "pam_xosjob.h"
#include "xosjob.h"

#define DATA_DONE "pam_xosjob_done"

static bool opt_bool(const char *v, bool *out)
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

static int parse_conf(pam_handle_t *pamh, int argc, const char **argv,
		      struct conf *c)
{
	int i;

	*c = (struct conf){ .deny_no_jobs = true, .skip_root = true };
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "action_no_jobs=deny"))
			c->deny_no_jobs = true;
		else if (!strcmp(a, "action_no_jobs=allow"))
			c->deny_no_jobs = false;
		else if (!strcmp(a, "multiple=newest"))
			c->deny_multiple = false;
		else if (!strcmp(a, "multiple=deny"))
			c->deny_multiple = true;
		else if (!strncmp(a, "skip_root=", 10) &&
			 opt_bool(a + 10, &c->skip_root))
			;
		else if (!strncmp(a, "join_ns=", 8) &&
			 opt_bool(a + 8, &c->join_ns))
			;
		else if (!strncmp(a, "sshrc=", 6) &&
			 opt_bool(a + 6, &c->sshrc))
			;
		else if (!strncmp(a, "label=", 6) && a[6])
			c->label = a + 6;
		else if (!strcmp(a, "debug"))
			c->debug = true;
		else {
			pam_syslog(pamh, LOG_ERR,
				   "bad option '%s' (action_no_jobs=deny|allow, multiple=newest|deny, skip_root=yes|no, join_ns=yes|no, sshrc=yes|no, label=PREFIX, debug)",
				   a);
			return -1;
		}
	}
	if (c->sshrc && c->join_ns) {
		/* the lander moves processes, not their namespaces */
		pam_syslog(pamh, LOG_ERR, "sshrc=yes cannot be combined with join_ns=yes");
		return -1;
	}
	return 0;
}

struct pick {
	const struct conf *c;
	uint32_t uid;
	unsigned int n;
	uint64_t newest;	/* id of the newest */
	uint64_t newest_ns;	/* its creation time since boot */
	char ids[128];		/* the first few, for messages */
};

bool pam_xosjob_eligible(const struct conf *c, const struct xosjob_job *j,
			 uint32_t uid)
{
	return !j->ended && j->owner_uid == uid &&
	       !(j->flags & XOS_JOB_F_KILLED) &&
	       (!c->label || (j->has_label &&
			      !strncmp(j->label, c->label, strlen(c->label))));
}

static int pick_one(const struct xosjob_job *j, void *arg)
{
	struct pick *p = arg;
	size_t len = strlen(p->ids);

	if (!pam_xosjob_eligible(p->c, j, p->uid))
		return 0;
	p->n++;
	if (len < sizeof(p->ids) - 24)
		snprintf(p->ids + len, sizeof(p->ids) - len, "%s%" PRIu64,
			 len ? ", " : "", j->id);
	if (!p->newest || j->created_boottime_ns > p->newest_ns ||
	    (j->created_boottime_ns == p->newest_ns && j->id > p->newest)) {
		p->newest = j->id;
		p->newest_ns = j->created_boottime_ns;
	}
	return 0;
}

/* XOS_JOB_ID: the PAM environment first, then the application's. */
static const char *wanted_job(pam_handle_t *pamh)
{
	const char *v = pam_getenv(pamh, "XOS_JOB_ID");

	if (!v || !*v)
		v = getenv("XOS_JOB_ID");
	return v && *v ? v : NULL;
}

static const char *const ns_names[] = { "mnt", "net", "uts", "ipc", "pid",
					"cgroup" };
static const int ns_flags[] = { CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWUTS,
				CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWCGROUP };

/*
 * The anchor's namespaces that differ from ours, joined with one setns()
 * on a pidfd checked to be the anchor itself (its start time), so that a
 * reused pid is never taken for it. The user namespace is left alone: the
 * login's credentials stay the host's. The pid namespace applies to the
 * children, which is where the login shell is.
 */
static int join_namespaces(pam_handle_t *pamh, const struct xosjob_anchor *a)
{
	struct stat self, them;
	char path[64];
	int fd, mask = 0;
	size_t i;

	if (!a->pid) {
		pam_syslog(pamh, LOG_ERR, "job %" PRIu64 ": its anchor is outside this pid namespace",
			   a->id);
		return -ESRCH;
	}
	fd = xosjob_anchor_pidfd(a);
	if (fd < 0)
		return fd;
	for (i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_names[i]);
		if (stat(path, &self))
			continue;
		snprintf(path, sizeof(path), "/proc/%u/ns/%s", a->pid,
			 ns_names[i]);
		if (stat(path, &them) || (self.st_ino == them.st_ino &&
					  self.st_dev == them.st_dev))
			continue;
		mask |= ns_flags[i];
	}
	if (mask && setns(fd, mask)) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

static int land(pam_handle_t *pamh, const struct conf *c,
		struct xosjob_ctx *ctx, uint64_t id, const char *user)
{
	struct xosjob_anchor a;
	bool no_cgroup = false;
	int err;

	err = xosjob_enter(ctx, id, false, &a);
	if (err == -ENOENT) {
		/*
		 * No member is left in the job's recorded cgroup (they all
		 * moved away): membership alone still makes the login the
		 * job's, and its accounting exact.
		 */
		no_cgroup = true;
		err = xosjob_enter(ctx, id, true, &a);
	}
	if (err) {
		pam_syslog(pamh, LOG_ERR, "cannot put %s's login into job %" PRIu64 ": %s",
			   user, id, xosjob_strerror(ctx));
		pam_error(pamh, "pam_xosjob: cannot put your login into job %" PRIu64 ": %s",
			  id, xosjob_strerror(ctx));
		return PAM_SESSION_ERR;
	}
	if (c->join_ns) {
		err = join_namespaces(pamh, &a);
		if (err) {
			pam_syslog(pamh, LOG_ERR, "job %" PRIu64 ": cannot join its anchor's namespaces: %s",
				   id, strerror(-err));
			pam_error(pamh, "pam_xosjob: cannot join the namespaces of job %" PRIu64 ": %s",
				  id, strerror(-err));
			return PAM_SESSION_ERR;
		}
	}
	pam_syslog(pamh, LOG_INFO, "%s's login (pid %d) joined job %" PRIu64 "%s%s",
		   user, (int)getpid(), id,
		   no_cgroup ? " (its cgroup has no member left: membership only)" : "",
		   c->join_ns ? " and its namespaces" : "");
	return PAM_SUCCESS;
}

static int adopt(pam_handle_t *pamh, int argc, const char **argv)
{
	const void *done = NULL;
	struct xosjob_ctx *ctx;
	struct lander lander = { .go_fd = -1 };
	struct pick p = { 0 };
	struct xosjob_job job;
	const char *user, *want;
	struct passwd *pw;
	struct conf c;
	uint64_t id;
	int err, rc;

	if (parse_conf(pamh, argc, argv, &c))
		return PAM_SERVICE_ERR;
	/* account then session in one process: the job is joined once */
	if (pam_get_data(pamh, DATA_DONE, &done) == PAM_SUCCESS && done)
		return PAM_SUCCESS;
	if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || !user)
		return PAM_USER_UNKNOWN;
	pw = getpwnam(user);
	if (!pw)
		return PAM_USER_UNKNOWN;
	if (pw->pw_uid == 0 && c.skip_root) {
		if (c.debug)
			pam_syslog(pamh, LOG_DEBUG, "root: skipped");
		return PAM_IGNORE;
	}
	err = xosjob_open(&ctx);
	if (err) {
		pam_syslog(pamh, LOG_ERR, "xos_job unavailable: %s%s",
			   strerror(-err), err == -ENOENT ?
			   " (the kernel module is not loaded)" : "");
		if (!c.deny_no_jobs)
			return PAM_IGNORE;
		pam_error(pamh, "pam_xosjob: access denied: job control is unavailable on this node");
		return PAM_PERM_DENIED;
	}
	want = wanted_job(pamh);
	if (want) {
		char *end;

		errno = 0;
		id = strtoull(want, &end, 10);
		if (errno || *end || !id || want[0] == '-') {
			pam_error(pamh, "pam_xosjob: access denied: XOS_JOB_ID='%s' is not a job id",
				  want);
			rc = PAM_PERM_DENIED;
			goto out;
		}
		if (xosjob_get(ctx, id, &job) || !pam_xosjob_eligible(&c, &job, pw->pw_uid)) {
			pam_syslog(pamh, LOG_NOTICE, "%s named job %" PRIu64 " (XOS_JOB_ID), not one of theirs: refused",
				   user, id);
			pam_error(pamh, "pam_xosjob: access denied: job %" PRIu64 " (XOS_JOB_ID) is not one of your running jobs on this node",
				  id);
			rc = PAM_PERM_DENIED;
			goto out;
		}
	} else {
		p.c = &c;
		p.uid = pw->pw_uid;
		err = xosjob_list(ctx, pick_one, &p, NULL);
		if (err) {
			pam_syslog(pamh, LOG_ERR, "cannot list jobs: %s",
				   xosjob_strerror(ctx));
			rc = PAM_SYSTEM_ERR;
			goto out;
		}
		if (!p.n) {
			pam_syslog(pamh, LOG_NOTICE, "%s has no running job: %s",
				   user, c.deny_no_jobs ? "refused" : "let through");
			if (c.deny_no_jobs) {
				pam_error(pamh, "pam_xosjob: access denied: you have no running job on this node");
				rc = PAM_PERM_DENIED;
			} else {
				pam_info(pamh, "pam_xosjob: you have no running job on this node; your login is in none");
				rc = PAM_SUCCESS;
			}
			goto out;
		}
		if (p.n > 1 && c.deny_multiple) {
			pam_error(pamh, "pam_xosjob: access denied: you have %u running jobs (%s%s); name one with XOS_JOB_ID",
				  p.n, p.ids, strlen(p.ids) >= sizeof(p.ids) - 24 ? ", ..." : "");
			rc = PAM_PERM_DENIED;
			goto out;
		}
		id = p.newest;
	}
	if (c.sshrc) {
		err = lander_start(&lander, &c, pw->pw_uid, id);
		if (err)
			pam_syslog(pamh, LOG_ERR, "cannot start the lander: %s; XOS_JOB_ID from the ssh client cannot pick the job",
				   strerror(-err));
	}
	rc = land(pamh, &c, ctx, id, user);
	lander_go(&lander, rc == PAM_SUCCESS);
	if (rc == PAM_SUCCESS && lander.started) {
		char env[sizeof(LANDER_ENV) + LANDER_TOKEN_LEN + 2];

		snprintf(env, sizeof(env), "%s=%s", LANDER_ENV, lander.token);
		if (pam_putenv(pamh, env) != PAM_SUCCESS)
			pam_syslog(pamh, LOG_ERR, "cannot put %s into the PAM environment", LANDER_ENV);
	}
out:
	if (rc == PAM_SUCCESS)
		pam_set_data(pamh, DATA_DONE, (void *)1, NULL);
	xosjob_close(ctx);
	return rc;
}

PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc,
				const char **argv)
{
	(void)flags;
	return adopt(pamh, argc, argv);
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	int rc;

	(void)flags;
	rc = adopt(pamh, argc, argv);
	/* a refusal belongs to account; a session only fails to land */
	return rc == PAM_PERM_DENIED ? PAM_SESSION_ERR : rc;
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				    const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
