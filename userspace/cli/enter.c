// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob enter: a hijack-style way into a running job. The kernel makes
 * this process a member of the job and moves it into the job's cgroups
 * (JOB_ENTER); this file takes the rest from the job's anchor process: its
 * namespaces (one setns() on a pidfd), then, in a child so that the pid
 * namespace applies, its root and cwd, the job owner's credentials, and
 * execs the command. Terminal and standard streams stay the caller's.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "cli.h"
#include "namespaces.h"

/* The namespaces of @wanted in which @pid is and we are not. */
static int differing_ns(pid_t pid, int wanted, char *names, size_t len)
{
	char path[64];
	struct stat self, them;
	int mask = 0;
	size_t i;

	names[0] = 0;
	for (i = 0; i < nr_ns_kinds; i++) {
		if (!(wanted & ns_kinds[i].flag))
			continue;
		snprintf(path, sizeof(path), "/proc/self/ns/%s",
			 ns_kinds[i].name);
		if (stat(path, &self))
			continue;	/* not in this kernel */
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid,
			 ns_kinds[i].name);
		if (stat(path, &them) ||
		    (self.st_ino == them.st_ino && self.st_dev == them.st_dev))
			continue;
		mask |= ns_kinds[i].flag;
		snprintf(names + strlen(names), len - strlen(names), "%s%s",
			 names[0] ? "," : "", ns_kinds[i].name);
	}
	return mask;
}

/*
 * The namespace @pid's children are made in (pid_for_children or
 * time_for_children), opened, when it is not the one @pid itself is in:
 * a job started as "unshare --pid --fork CMD" has its anchor, the unshare
 * parent, outside and all its work inside. setns() on a pidfd takes the
 * target's own pid and time namespaces, so these are joined after it, if
 * members of the job live there (see children_ns_used()).
 * -1 when they are the same (or the kernel lacks them, or a new pid
 * namespace has no init yet: its link is hidden), -errno on error.
 */
static int open_children_ns(pid_t pid, const char *name)
{
	char own[64], children[80];
	struct stat a, b;
	int fd;

	snprintf(own, sizeof(own), "/proc/%d/ns/%s", pid, name);
	snprintf(children, sizeof(children), "/proc/%d/ns/%s_for_children",
		 pid, name);
	if (stat(own, &a) || stat(children, &b))
		return -1;
	if (a.st_ino == b.st_ino && a.st_dev == b.st_dev)
		return -1;
	fd = open(children, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

struct children_ns {
	struct stat pid, time;	/* st_ino 0: not looked for */
	bool pid_used, time_used;
};

static bool same_ns(pid_t pid, const char *name, const struct stat *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, name);
	return !stat(path, &st) && st.st_ino == ns->st_ino &&
	       st.st_dev == ns->st_dev;
}

static int children_ns_member(const struct xosjob_task *t, void *arg)
{
	struct children_ns *c = arg;

	if (t->pid == (uint32_t)getpid())
		return 0;
	if (c->pid.st_ino && !c->pid_used)
		c->pid_used = same_ns(t->pid, "pid", &c->pid);
	if (c->time.st_ino && !c->time_used)
		c->time_used = same_ns(t->pid, "time", &c->time);
	/* all found: stop the dump */
	return (!c->pid.st_ino || c->pid_used) &&
	       (!c->time.st_ino || c->time_used) ? -EEXIST : 0;
}

/*
 * Keeps the anchor's children's pid (time) namespace only if a member of
 * the job lives in it: that is where the job's work runs. Nobody does
 * when the anchor's children have all exited; then a pid namespace has
 * no init left, and forking into it fails (ENOMEM), while the anchor and
 * the job's other processes are in the anchor's own. A member seen here
 * may exit, or its pid be reused, before the fork: a live process in a
 * pid namespace still proves it has an init, and the fork error is told.
 */
static int children_ns_used(struct xosjob_ctx *ctx, uint64_t id,
			    int *pid_fd, int *time_fd)
{
	struct children_ns c = { 0 };
	int err;

	if ((*pid_fd >= 0 && fstat(*pid_fd, &c.pid)) ||
	    (*time_fd >= 0 && fstat(*time_fd, &c.time)))
		return fail("fstat: %s", strerror(errno));
	if (*pid_fd < 0 && *time_fd < 0)
		return 0;
	err = xosjob_tasks(ctx, id, children_ns_member, &c, NULL);
	if (err && err != -EEXIST)
		return fail("cannot list the members of job %" PRIu64 ": %s",
			    id, ctx_error(ctx));
	if (*pid_fd >= 0 && !c.pid_used) {
		close(*pid_fd);
		*pid_fd = -1;
	}
	if (*time_fd >= 0 && !c.time_used) {
		close(*time_fd);
		*time_fd = -1;
	}
	return 0;
}

/* An id of @pid's user namespace for @id of ours ("uid_map"/"gid_map"). */
static bool map_id(pid_t pid, const char *map, uint32_t id, uint32_t *out)
{
	unsigned long inside, outside, count;
	char path[64];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, map);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found &&
	       fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3) {
		if (id >= outside && id - outside < count) {
			*out = inside + (id - outside);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* Who the command runs as; looked up before the namespaces change. */
struct identity {
	bool change;
	uint32_t uid, gid;
	gid_t groups[256];
	int ngroups;
	char *name, *home, *shell;
};

static int find_identity(struct identity *who, uint32_t uid)
{
	struct passwd *pw = getpwuid(uid);

	who->change = true;
	who->uid = uid;
	/* a uid unknown here (a job manager's) gets no group but nogroup */
	who->gid = pw ? pw->pw_gid : 65534;
	who->ngroups = 0;
	if (pw) {
		who->ngroups = sizeof(who->groups) / sizeof(who->groups[0]);
		if (getgrouplist(pw->pw_name, pw->pw_gid, who->groups,
				 &who->ngroups) < 0)
			return fail("user %s is in more groups than %zu",
				    pw->pw_name, sizeof(who->groups) /
				    sizeof(who->groups[0]));
		who->name = strdup(pw->pw_name);
		who->home = strdup(pw->pw_dir);
		who->shell = strdup(pw->pw_shell);
	}
	return 0;
}

/*
 * In the parent, before setns(): the ids as the job's user namespace sees
 * them (read from the anchor while its /proc is still ours), and the
 * supplementary groups, which a user namespace may forbid to set later.
 */
static int prepare_identity(struct identity *who, pid_t anchor, bool userns)
{
	uint32_t uid = who->uid, gid = who->gid;

	if (userns && (!map_id(anchor, "uid_map", who->uid, &uid) ||
		       !map_id(anchor, "gid_map", who->gid, &gid)))
		return fail("uid %u or gid %u has no mapping in the job's user namespace",
			    who->uid, who->gid);
	if (setgroups(who->ngroups, who->groups))
		return fail("setgroups: %s", strerror(errno));
	who->uid = uid;
	who->gid = gid;
	return 0;
}

/* In the child: the group, then the user; the groups are set already. */
static int become(const struct identity *who)
{
	if (setgid(who->gid) || setuid(who->uid))
		return fail("cannot switch to uid %u gid %u: %s", who->uid,
			    who->gid, strerror(errno));
	if (who->name) {
		setenv("USER", who->name, 1);
		setenv("LOGNAME", who->name, 1);
	} else {
		unsetenv("USER");
		unsetenv("LOGNAME");
	}
	setenv("HOME", who->home ?: "/", 1);
	if (who->shell)
		setenv("SHELL", who->shell, 1);
	else
		unsetenv("SHELL");
	return 0;
}

/*
 * Joins the job's cgroup v2 through cgroupfs: the cgroup the kernel
 * recorded for the job (@recorded, relative to the mount) when it has
 * one, else the anchor's. An owner (not admin) always comes this way,
 * where delegation and permissions apply: the kernel op would bypass them.
 */
static int join_cgroup_fs(uint64_t id, uint32_t anchor, const char *recorded)
{
	char path[4096 + 64], line[4096];
	int err;

	if (recorded[0]) {
		snprintf(line, sizeof(line), "%s", recorded);
		snprintf(path, sizeof(path), "%s%s", cg_mount(), line);
		err = cg_move_to(path, 0);
		/* removed since (its processes moved out): the anchor's */
		if (err != -ENOENT)
			goto done;
	}
	if (!cg_of_pid(anchor, line, sizeof(line)))
		return fail("cannot read the cgroup v2 of job %" PRIu64 "'s anchor, pid %u: %s",
			    id, anchor, strerror(errno));
	snprintf(path, sizeof(path), "%s%s", cg_mount(), line);
	err = cg_move_to(path, 0);
done:
	if (err)
		return fail("cannot join job %" PRIu64 "'s cgroup %s: %s (cgroupfs rules: it must be delegated to you; --no-cgroup skips it)",
			    id, line, strerror(-err));
	return 0;
}

struct enter {
	uint64_t id;
	struct xosjob_anchor anchor;
	int pidfd, rootfd, cwdfd;
	/*
	 * the anchor's children's pid and time namespaces, if not its own
	 * and members live there
	 */
	int pid_children_fd, time_children_fd;
	bool pid_children;	/* the fork goes into pid_children_fd's */
	int ns_wanted;		/* --ns */
	int ns;			/* of those, the ones that differ */
	char ns_names[96];
	struct identity who;
	char **cmd;
};

/*
 * After the anchor's namespaces: the pid and time namespaces its children
 * are in, where the job's work runs, for the command we fork next.
 */
static int join_children_ns(struct enter *e, int *fd, const char *name,
			    int flag)
{
	if (*fd < 0)
		return 0;
	if (setns(*fd, flag))
		return fail("cannot join the %s namespace that job %" PRIu64
			    "'s anchor, pid %u, makes its children in: %s%s",
			    name, e->id, e->anchor.pid, strerror(errno),
			    errno == EPERM ?
			    " (needs CAP_SYS_ADMIN over it; --ns none enters the job only)" : "");
	e->pid_children |= flag == CLONE_NEWPID;
	close(*fd);
	*fd = -1;
	return 0;
}

/* The child: root, cwd, credentials, environment, then exec. */
static int enter_child(struct enter *e)
{
	char *shell_argv[2] = { NULL, NULL };
	struct stat ours, theirs;
	char idbuf[24];
	int err;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	/* chroot only when the root differs: an owner may lack the right */
	if (fstat(e->rootfd, &theirs) || stat("/", &ours) ||
	    ours.st_dev != theirs.st_dev || ours.st_ino != theirs.st_ino) {
		if (fchdir(e->rootfd) || chroot("."))
			return fail("cannot take the anchor's root: %s",
				    strerror(errno));
	}
	if (fchdir(e->cwdfd))
		return fail("cannot take the anchor's cwd: %s", strerror(errno));
	close(e->rootfd);
	close(e->cwdfd);
	if (e->who.change && become(&e->who))
		return EXIT_FAIL;
	snprintf(idbuf, sizeof(idbuf), "%" PRIu64, e->id);
	setenv("XOS_JOB_ID", idbuf, 1);
	if (!e->cmd[0]) {
		shell_argv[0] = getenv("SHELL");
		if (!shell_argv[0] || !*shell_argv[0])
			shell_argv[0] = "/bin/sh";
		e->cmd = shell_argv;
	}
	fflush(stdout);
	execvp(e->cmd[0], e->cmd);
	err = errno;
	fail("cannot run '%s' in job %" PRIu64 ": %s", e->cmd[0], e->id,
	     strerror(err));
	return err == ENOENT ? 127 : 126;
}

/*
 * Finds the anchor and opens what is taken from it. The anchor may exit
 * meanwhile (its role passes to the next oldest member): ask again.
 */
static int take_anchor(struct xosjob_ctx *ctx, struct enter *e)
{
	char path[64];
	int tries, err, fd = -ESRCH;

	for (tries = 0; tries < 10; tries++) {
		struct xosjob_job job;

		if (tries) {
			if (xosjob_get(ctx, e->id, &job))
				return fail("%s", ctx_error(ctx));
			if (job.ended)
				return fail("job %" PRIu64 " has ended", e->id);
			e->anchor.pid = job.anchor_pid;
			e->anchor.start_boottime_ns =
				job.anchor_start_boottime_ns;
		}
		if (!e->anchor.pid)
			return fail("the anchor of job %" PRIu64 " is outside this pid namespace: its namespaces cannot be taken from here",
				    e->id);
		if (e->anchor.pid == (uint32_t)getpid())
			return fail("job %" PRIu64 " has no other live member to take namespaces from",
				    e->id);
		fd = xosjob_anchor_pidfd(&e->anchor);
		if (fd == -ESRCH)
			continue;
		if (fd < 0)
			return fail("pidfd_open(%u): %s", e->anchor.pid,
				    strerror(-fd));
		snprintf(path, sizeof(path), "/proc/%u/root", e->anchor.pid);
		e->rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		snprintf(path, sizeof(path), "/proc/%u/cwd", e->anchor.pid);
		e->cwdfd = e->rootfd < 0 ? -1 :
			   open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		e->ns = differing_ns(e->anchor.pid, e->ns_wanted, e->ns_names,
				     sizeof(e->ns_names));
		e->pid_children_fd = e->ns_wanted & CLONE_NEWPID ?
			open_children_ns(e->anchor.pid, "pid") : -1;
		e->time_children_fd = e->ns_wanted & CLONE_NEWTIME ?
			open_children_ns(e->anchor.pid, "time") : -1;
		/* all of it from the same process: check it is still there */
		if (e->cwdfd >= 0 && e->pid_children_fd >= -1 &&
		    e->time_children_fd >= -1 &&
		    syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) == 0) {
			e->pidfd = fd;
			return 0;
		}
		err = e->pid_children_fd < -1 ? -e->pid_children_fd :
		      e->time_children_fd < -1 ? -e->time_children_fd : errno;
		if (e->pid_children_fd >= 0)
			close(e->pid_children_fd);
		if (e->time_children_fd >= 0)
			close(e->time_children_fd);
		if (e->rootfd >= 0)
			close(e->rootfd);
		if (e->cwdfd >= 0)
			close(e->cwdfd);
		close(fd);
		/* only a vanished anchor is worth another try */
		if (err != ESRCH && err != ENOENT)
			return fail("cannot take the root and cwd of job %" PRIu64
				    "'s anchor, pid %u: %s", e->id,
				    e->anchor.pid, strerror(err));
	}
	return fail("the anchor of job %" PRIu64 " keeps exiting; try again",
		    e->id);
}

static int cmd_enter(int argc, char *argv[])
{
	const char *user = NULL, *ns_list = "all";
	bool no_cgroup = false;
	const struct option_spec opts[] = {
		{ "user", 'u', &user, NULL },
		{ "no-cgroup", 'C', NULL, &no_cgroup },
		{ "ns", 'n', &ns_list, NULL },
		{ NULL },
	};
	struct enter e = { .pidfd = -1, .rootfd = -1, .cwdfd = -1,
			   .pid_children_fd = -1, .time_children_fd = -1 };
	struct xosjob_ctx *ctx;
	struct xosjob_job job;
	bool fs_cgroup, have_job;
	uint32_t uid = 0;
	int status, n;
	pid_t child;

	n = parse_opts(argc, argv, opts, NULL, true);
	if (n < 0)
		return opts_exit(n);
	if (!n)
		return usage_error("which job? give a job id");
	if (!parse_job_id(argv[0], &e.id))
		return EXIT_USAGE;
	if (ns_parse_list("ns", ns_list, ALL_NS, true, &e.ns_wanted))
		return EXIT_USAGE;
	if (user && !parse_uid(user, &uid))
		return EXIT_USAGE;
	if (user && geteuid())
		return usage_error("--user needs root");
	/* "JOB -- CMD": the options ended at JOB, so "--" is still here */
	e.cmd = argv + 1;
	if (e.cmd[0] && !strcmp(e.cmd[0], "--"))
		e.cmd++;
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	/*
	 * The job as recorded: whether it is frozen, and its cgroup. A
	 * failure here is told by JOB_ENTER below, in its words.
	 */
	have_job = !xosjob_get(ctx, e.id, &job) && !job.ended;
	if (have_job && job.frozen) {
		xosjob_close(ctx);
		return fail("job %" PRIu64 " is frozen; thaw it first: xosjob thaw %" PRIu64,
			    e.id, e.id);
	}
	if (!have_job)
		job.cgroup[0] = 0;
	/*
	 * The kernel moves admins only, into the anchor's cgroups; others go
	 * through cgroupfs, and so does everyone into the job's recorded
	 * cgroup, where the job's limits are, wherever the anchor is now.
	 */
	fs_cgroup = !no_cgroup && (geteuid() || job.cgroup[0]);
	if (xosjob_enter(ctx, e.id, no_cgroup || fs_cgroup, &e.anchor)) {
		char idbuf[24];

		/* 6.1 sends fixed texts, without the id: name the job here */
		snprintf(idbuf, sizeof(idbuf), "%" PRIu64, e.id);
		if (strstr(xosjob_strerror(ctx), idbuf))
			return fail_ctx(ctx);
		fail("job %s: %s", idbuf, ctx_error(ctx));
		xosjob_close(ctx);
		return EXIT_FAIL;
	}
	/* from here on this process is a member: an error ends it */
	if (take_anchor(ctx, &e) ||
	    children_ns_used(ctx, e.id, &e.pid_children_fd,
			     &e.time_children_fd)) {
		xosjob_close(ctx);
		return EXIT_FAIL;
	}
	xosjob_close(ctx);
	if (fs_cgroup &&
	    join_cgroup_fs(e.id, e.anchor.pid,
			   e.anchor.cgroup[0] ? e.anchor.cgroup : job.cgroup))
		return EXIT_FAIL;
	if (!geteuid() &&
	    (find_identity(&e.who, user ? uid : e.anchor.owner_uid) ||
	     prepare_identity(&e.who, e.anchor.pid, e.ns & CLONE_NEWUSER)))
		return EXIT_FAIL;
	if (e.ns && setns(e.pidfd, e.ns))
		return fail("cannot join the namespaces (%s) of job %" PRIu64
			    "'s anchor, pid %u: %s%s", e.ns_names, e.id,
			    e.anchor.pid, strerror(errno),
			    errno == EPERM ?
			    " (needs CAP_SYS_ADMIN over them; --ns none enters the job only)" : "");
	close(e.pidfd);
	if (join_children_ns(&e, &e.pid_children_fd, "pid", CLONE_NEWPID) ||
	    join_children_ns(&e, &e.time_children_fd, "time", CLONE_NEWTIME))
		return EXIT_FAIL;
	fflush(stdout);
	child = fork();
	/*
	 * the pid namespace joined lost its init since a member was seen
	 * there; its processes are being killed: a later try goes elsewhere
	 */
	if (child < 0 && errno == ENOMEM &&
	    (e.pid_children || e.ns & CLONE_NEWPID))
		return fail("job %" PRIu64 "'s pid namespace has no init process left (its processes there are exiting): nothing can be started in it; try again",
			    e.id);
	if (child < 0)
		return fail("fork: %s", strerror(errno));
	if (child == 0)
		_exit(enter_child(&e));
	/* like system(): the terminal's signals are for the command */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return fail("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) :
				   128 + WTERMSIG(status);
}

const struct subcommand enter_cmd = {
	.name = "enter",
	.run = cmd_enter,
	.args = "[--user U] [--no-cgroup] [--ns LIST] JOB [-- CMD...]",
	.help = "run CMD (default: a shell) inside a running job, as its owner",
	.details =
		"  -u, --user U   run as U instead of the job's owner (root only)\n"
		"  -C, --no-cgroup\n"
		"                 stay in the caller's cgroups\n"
		"  -n, --ns LIST  namespaces to take from the job's anchor, of\n"
		"                 user,mnt,pid,net,uts,ipc,cgroup,time; all (the\n"
		"                 default) or none. Only those that differ are joined;\n"
		"                 pid and time are those of the job's processes when\n"
		"                 the anchor's children are in others than it.\n"
		"\n"
		"The process joins the job (the kernel's JOB_ENTER) and the job's\n"
		"recorded cgroup (through its cgroup.procs; an admin, for a job\n"
		"without one, the anchor's cgroups), then takes the namespaces, root\n"
		"and cwd of the job's anchor (its oldest member); as root it runs CMD\n"
		"with the job owner's uid. The terminal and standard streams stay the\n"
		"caller's. XOS_JOB_ID is set.\n"
		"A frozen job (xosjob freeze) is refused.\n"
		"Exit status: CMD's, or 126/127 if it cannot be executed.\n",
};
