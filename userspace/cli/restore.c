// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob restore --dir DIR: a checkpoint (xosjob checkpoint) back to life,
 * as a new job with the old one's label, owner and limits, named as
 * restored from it, whose figures go on from those saved.
 *
 * CRIU forks the restored processes itself, so they would start in
 * CRIU's job (this program's, if any). They are put in the new job from
 * CRIU's pre-resume action script (this program again, see main.c),
 * while every restored process and thread exists but none runs: the
 * tree's root becomes the new job's first process (JOB_NEW with its pid,
 * so it is the job's anchor, whose namespaces `xosjob enter` takes) and
 * every other process of the tree is attached to it. None has run a
 * single instruction of its own code yet; what CRIU spent rebuilding
 * them stays with CRIU's job (ATTACH counts from the move on). Running
 * CRIU inside the new job instead would make CRIU itself a member (and
 * the anchor) of the job, its work part of the job's figures, and the
 * job's namespaces those of CRIU.
 *
 * CRIU runs with --manage-cgroups=ignore, so the restored processes land
 * in CRIU's own cgroup: a new one with the old job's cgroup limits, made
 * as run makes it, if it had any, else the caller's. CRIU's default would
 * put them back into the old job's cgroup paths, which the old job's
 * supervisor may have removed. CRIU stays the parent of the
 * restored root and waits for it, and so does this program, which exits
 * with the status of the job's first process, as `run` does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "ckpt.h"
#include "cli.h"

/* The restored tree below @pid, attached to job @id (threads too). */
static int attach_tree(struct xosjob_ctx *ctx, uint64_t id, pid_t pid,
		       int depth)
{
	char path[384], buf[4096], *tok, *save = NULL;
	struct dirent *e;
	uint32_t n;
	DIR *d;

	if (depth > 64)
		return fail("the restored tree is deeper than 64");
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return fail("cannot read %s: %s", path, strerror(errno));
	while ((e = readdir(d))) {
		ssize_t len;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children", pid,
			 e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = 0;
		for (tok = strtok_r(buf, " \n", &save); tok;
		     tok = strtok_r(NULL, " \n", &save)) {
			pid_t child = atoi(tok);

			if (xosjob_attach(ctx, id, child, &n)) {
				closedir(d);
				return fail("cannot attach restored process %d to job %" PRIu64 ": %s",
					    child, id, ctx_error(ctx));
			}
			if (attach_tree(ctx, id, child, depth + 1)) {
				closedir(d);
				return EXIT_FAIL;
			}
		}
	}
	closedir(d);
	return 0;
}

/*
 * A cgroup of the new job's own with the old job's cgroup limits, made as
 * run makes it: CRIU restores into the cgroup it runs in, so the limits
 * the new job records are those its cgroup enforces. 0, or the message
 * printed. io.max is not among a job's recorded limits and is not
 * restored.
 */
static int restore_cgroup(const struct ckpt_meta *m, struct cg_job *cg)
{
	if (!m->has_limits) {
		memset(cg, 0, sizeof(*cg));
		return 0;
	}
	return cg_from_limits(&m->limits, cg) ? EXIT_FAIL : 0;
}

/* The new job's request, from the metadata. */
static void new_request(const struct ckpt_meta *m, pid_t root,
			struct xosjob_new_req *req)
{
	memset(req, 0, sizeof(*req));
	req->label = m->has_label ? m->label : NULL;
	req->pid = root;
	req->owner = m->owner_uid;
	if (m->has_limits)
		req->limits = m->limits;
	req->restored_from = m->job_id;
	req->base = &m->stats;
	req->own_cgroup = getenv("XOSJOB_RESTORE_OWN_CGROUP") != NULL;
}

/* CRIU's pre-resume: the new job, before any restored process runs. */
int ckpt_restore_hook(void)
{
	const char *action = getenv("CRTOOLS_SCRIPT_ACTION");
	const char *init = getenv("CRTOOLS_INIT_PID");
	const char *dir = getenv("XOSJOB_RESTORE_DIR");
	const char *out = getenv("XOSJOB_RESTORE_OUT");
	char path[PATH_MAX + 32], why[128], line[32];
	struct xosjob_new_req req;
	struct xosjob_ctx *ctx;
	struct ckpt_meta *m;
	uint64_t root, id;
	int len, fd;

	if (!action || strcmp(action, "pre-resume"))
		return 0;
	if (!init || !dir || !out || !parse_u64(init, INT32_MAX, &root))
		return fail("CRIU hook: the restored root or the checkpoint directory is not known");
	m = calloc(1, sizeof(*m));
	if (!m)
		return fail("out of memory");
	snprintf(path, sizeof(path), "%s/%s", dir, CKPT_META);
	if (ckpt_meta_read(path, m, why, sizeof(why)))
		return fail("%s: %s", path, why);
	ctx = open_ctx();
	if (!ctx)
		return EXIT_FAIL;
	new_request(m, root, &req);
	if (xosjob_new_req(ctx, &req, &id))
		return fail_ctx(ctx);
	if (attach_tree(ctx, id, root, 0)) {
		/*
		 * Nothing half-restored stays: the root is the init of the
		 * restored pid namespace (or the tree's top), its end takes
		 * the tree with it, and the job ends.
		 */
		kill(root, SIGKILL);
		xosjob_close(ctx);
		return EXIT_FAIL;
	}
	xosjob_close(ctx);
	free(m);
	/* the file xosjob restore made for the answer, and nothing else */
	fd = open(out, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	len = snprintf(line, sizeof(line), "%" PRIu64 "\n", id);
	if (fd < 0 || write(fd, line, len) != len) {
		fail("cannot tell xosjob restore the new job through %s: %s",
		     out, strerror(errno));
		kill(root, SIGKILL);
		if (fd >= 0)
			close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	return 0;
}

/* Whether @dir holds CRIU's images at all (a quick check before CRIU). */
static bool has_images(const char *dir)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/inventory.img", dir);
	if (access(path, R_OK))
		return false;
	snprintf(path, sizeof(path), "%s/pstree.img", dir);
	return !access(path, R_OK);
}

static int cmd_restore(int argc, char *argv[])
{
	const char *dir_arg = NULL;
	bool json = false;
	const struct option_spec opts[] = {
		{ "dir", 'd', &dir_arg, NULL },
		{ NULL },
	};
	char dir[PATH_MAX], exe[PATH_MAX];
	char meta[PATH_MAX + 32], log[PATH_MAX + 32], why[128];
	char out[] = "/tmp/xosjob-restore-XXXXXX", line[32] = "", *criu[16];
	static volatile sig_atomic_t no_signal;
	struct xosjob_job *job = NULL;
	struct xosjob_ctx *ctx;
	struct ckpt_meta *m = NULL;
	struct cg_job *cg = NULL;
	int outfd = -1, status = 0, n, a = 0, ret = EXIT_FAIL;
	bool criu_done = false;
	uint64_t id = 0;
	ssize_t got;
	pid_t pid;
	struct stat st;

	n = parse_opts(argc, argv, opts, &json, false);
	if (n < 0)
		return opts_exit(n);
	if (n)
		return usage_error("unexpected argument '%s' (the checkpoint is --dir DIR)",
				   argv[0]);
	if (!dir_arg || !*dir_arg)
		return usage_error("--dir DIR is needed: the checkpoint to restore");
	if (!ckpt_admin())
		return ckpt_not_admin();
	if (!realpath(dir_arg, dir))
		return fail("no checkpoint at %s: %s", dir_arg, strerror(errno));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return fail("no checkpoint at %s: not a directory", dir_arg);
	m = calloc(1, sizeof(*m));
	job = calloc(1, sizeof(*job));
	cg = calloc(1, sizeof(*cg));
	if (!m || !job || !cg) {
		fail("out of memory");
		goto out;
	}
	snprintf(meta, sizeof(meta), "%s/%s", dir, CKPT_META);
	if (ckpt_meta_read(meta, m, why, sizeof(why))) {
		fail("%s is no complete xosjob checkpoint: %s: %s", dir_arg,
		     CKPT_META, why);
		goto out;
	}
	if (!has_images(dir)) {
		fail("%s is no complete xosjob checkpoint: CRIU's images (inventory.img, pstree.img) are missing",
		     dir_arg);
		goto out;
	}
	if (!ckpt_self_exe(exe, sizeof(exe))) {
		fail("cannot find this program's path for CRIU's action script");
		goto out;
	}
	if (restore_cgroup(m, cg) || (cg->wanted && cg_create(cg)))
		goto out;
	/* CRIU closes what it inherits: the hook answers in a file */
	outfd = mkostemp(out, O_CLOEXEC);
	if (outfd < 0) {
		fail("cannot make %s: %s", out, strerror(errno));
		goto out;
	}
	snprintf(log, sizeof(log), "%s/restore.log", dir);
	if (setenv("XOSJOB_RESTORE_DIR", dir, 1) ||
	    setenv("XOSJOB_RESTORE_OUT", out, 1) ||
	    (cg->wanted && setenv("XOSJOB_RESTORE_OWN_CGROUP", "1", 1))) {
		fail("setenv: %s", strerror(errno));
		goto out;
	}
	a = ckpt_criu_args(criu, "restore", dir, log, exe);
	criu[a++] = "--manage-cgroups=ignore";
	if (m->shell_job)
		criu[a++] = "--shell-job";
	criu[a] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		int err = cg->wanted ? cg_move(cg, 0) : 0;

		if (err) {
			fprintf(stderr, "%s: %s: cannot move into cgroup %s: %s\n",
				prog, subcmd, cg->rel, strerror(-err));
			_exit(126);
		}
		if (null >= 0 && !m->shell_job) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		execvp(criu[0], criu);
		fprintf(stderr, "%s: %s: cannot run criu: %s (make deps installs it)\n",
			prog, subcmd, strerror(errno));
		_exit(127);
	}
	/*
	 * The hook writes the job's id once every process is in it; CRIU
	 * exiting first means it failed.
	 */
	for (;;) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		got = pread(outfd, line, sizeof(line) - 1, 0);
		if (got > 0 && memchr(line, '\n', got))
			break;
		if (criu_done)
			break;
		if (waitpid(pid, &status, WNOHANG) == pid)
			criu_done = true;
		else
			nanosleep(&ts, NULL);
	}
	line[got > 0 ? got : 0] = 0;
	if (got <= 0 || !parse_u64(strtok(line, "\n") ?: "", UINT64_MAX, &id) ||
	    (criu_done && status)) {
		if (!criu_done)
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
		fail("CRIU could not restore %s; no process of it runs:",
		     dir_arg);
		ckpt_log_errors(log);
		goto out;
	}
	if (json) {
		struct json o;

		json_begin(&o, stdout);
		json_u64(&o, "id", id);
		json_u64(&o, "restored_from", m->job_id);
		json_str(&o, "dir", dir);
		json_end(&o);
		putchar('\n');
	} else {
		printf("job %" PRIu64 " restored from job %" PRIu64 " (%s)\n",
		       id, m->job_id, dir);
	}
	fflush(stdout);
	while (!criu_done && waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			break;
	/* the job's first process's status, as run gives its command's */
	ctx = open_ctx();
	if (!ctx)
		goto out;
	if (xosjob_get(ctx, id, job) || !job->ended || !job->has_exit_status) {
		xosjob_close(ctx);
		ret = 0;
		goto out;
	}
	xosjob_close(ctx);
	ret = WIFEXITED(job->exit_status) ? WEXITSTATUS(job->exit_status) :
	      128 + WTERMSIG(job->exit_status);
out:
	if (cg && cg->created) {
		/* what CRIU restored has gone, or goes with the job */
		cg_wait_empty(cg, &no_signal);
		cg_remove(cg);
	}
	free(cg);
	if (outfd >= 0) {
		close(outfd);
		unlink(out);
	}
	free(m);
	free(job);
	return ret;
}

const struct subcommand restore_cmd = {
	.name = "restore",
	.run = cmd_restore,
	.args = "--dir DIR [--json]",
	.help = "restore a checkpoint as a new job (admin)",
	.details =
		"  -d, --dir DIR  the checkpoint (xosjob checkpoint)\n"
		HELP_JSON
		"\n"
		"The processes come back with their pids (in their pid namespace),\n"
		"as members of a new job with the old one's label, owner and limits,\n"
		"restored from it: its figures go on from those saved (get shows which\n"
		"part came before). Prints the new job's id, then waits, as run does,\n"
		"and exits with the status of the job's first process (the tree's\n"
		"root). With the old job's cgroup limits, the processes get a cgroup of\n"
		"the job's own (as run makes it), else stay in the caller's. Needs\n"
		"CAP_SYS_ADMIN and criu.\n",
};
