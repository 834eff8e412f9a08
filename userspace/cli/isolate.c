// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob run --isolate LIST [--hostname NAME] [--root DIR]: the job runs
 * in namespaces of its own, rooted in a file tree of its own.
 *
 * isolate_job() runs once the job exists, in the `xosjob run` process A,
 * its first member and so its anchor, the process `xosjob enter` takes
 * namespaces, root and cwd from. A is therefore put where the job lives:
 *
 *   A  unshares every namespace of LIST (pid for its children only),
 *      maps its uid/gid to 0 in a new user namespace (as `unshare -r`),
 *      makes every mount private, sets the hostname, brings up lo in a
 *      new network namespace, binds DIR on itself (and a small /dev on
 *      DIR/dev), then forks
 *   I  pid 1 of the new pid namespace (this program): it mounts the job's
 *      fresh procfs on DIR/proc (or /proc), which only a process inside
 *      the pid namespace can do, and tells A so over a pipe;
 *   A  pivots into DIR and detaches the old root (the job cannot reach
 *      the host's tree), takes / as its cwd, tells I to go on and waits
 *      for it, forwarding TERM, INT, HUP, QUIT, USR1, USR2;
 *   I  takes / as its cwd, forks the command C (pid 2) and is its init:
 *      it reaps orphans, forwards the same signals to C and exits with
 *      C's status as soon as C has exited (the kernel then kills what is
 *      left in the namespace); A exits with I's status.
 *
 * `xosjob enter` finds the anchor A in every namespace of the job but
 * pid, and joins its pid_for_children, where I and C live. Without pid in
 * LIST there is no init: A sets itself up and becomes the command.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "isolate.h"
#include "namespaces.h"

/* sethostname()'s limit (HOST_NAME_MAX in the kernel) */
#define HOSTNAME_MAX 64

/* what --isolate may name: every kind but time */
#define ISOLATE_NS (ALL_NS & ~CLONE_NEWTIME)

int isolate_parse(struct isolate_opts *o, bool has_cmd)
{
	char proc[PATH_MAX + 8];
	struct stat st;

	o->ns = 0;
	if (!o->list && !o->hostname && !o->root)
		return 0;
	if (!has_cmd)
		return usage_error("--isolate, --hostname and --root need a command");
	if (o->list && ns_parse_list("isolate", o->list, ISOLATE_NS, false,
				     &o->ns))
		return EXIT_USAGE;
	if (o->hostname) {
		if (!*o->hostname)
			return usage_error("--hostname: an empty name");
		if (strlen(o->hostname) > HOSTNAME_MAX)
			return usage_error("--hostname: '%s' is longer than %d bytes",
					   o->hostname, HOSTNAME_MAX);
		o->ns |= CLONE_NEWUTS;
	}
	if (o->root) {
		if (!*o->root)
			return usage_error("--root: an empty path (the directory the job is rooted in)");
		o->root_path = realpath(o->root, NULL);
		if (!o->root_path)
			return usage_error("--root %s: %s", o->root,
					   strerror(errno));
		if (stat(o->root_path, &st) || !S_ISDIR(st.st_mode))
			return usage_error("--root %s: not a directory",
					   o->root);
		snprintf(proc, sizeof(proc), "%s/proc", o->root_path);
		if (stat(proc, &st) && errno != ENOENT)
			return usage_error("--root %s: %s: %s", o->root, proc,
					   strerror(errno));
		if (stat(proc, &st) || !S_ISDIR(st.st_mode))
			return usage_error("--root %s: it has no proc directory (the job's /proc is mounted there)",
					   o->root);
		o->ns |= CLONE_NEWNS;
	}
	/* the job's /proc is mounted in a mount namespace of its own */
	if (o->ns & CLONE_NEWPID)
		o->ns |= CLONE_NEWNS;
	/* as `unshare -r`: the user namespace gives the right to the others */
	if (geteuid())
		o->ns |= CLONE_NEWUSER;
	return 0;
}

/* A failure after the job was created: the job ends with its processes. */
static int job_fail(uint64_t id, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int job_fail(uint64_t id, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fail("%s (job %" PRIu64 " ends)", msg, id);
}

static int write_file(const char *path, const char *text)
{
	ssize_t len = strlen(text), n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n != len)
		err = n < 0 ? -errno : -EIO;
	close(fd);
	return err;
}

/* Our uid and gid are 0 in the new user namespace; no setgroups(). */
static int map_ids(uint64_t id, uid_t uid, gid_t gid)
{
	char map[32];
	int err;

	snprintf(map, sizeof(map), "0 %u 1\n", uid);
	err = write_file("/proc/self/uid_map", map);
	if (err)
		return job_fail(id, "cannot map uid %u to 0 in the job's user namespace: %s",
				uid, strerror(-err));
	err = write_file("/proc/self/setgroups", "deny\n");
	if (err && err != -ENOENT)
		return job_fail(id, "cannot deny setgroups in the job's user namespace: %s",
				strerror(-err));
	snprintf(map, sizeof(map), "0 %u 1\n", gid);
	err = write_file("/proc/self/gid_map", map);
	if (err)
		return job_fail(id, "cannot map gid %u to 0 in the job's user namespace: %s",
				gid, strerror(-err));
	return 0;
}

/* A new network namespace has lo, down. */
static int loopback_up(uint64_t id)
{
	struct ifreq ifr;
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return job_fail(id, "socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) == 0)
			goto out;
	}
	err = job_fail(id, "cannot bring up lo in the job's network namespace: %s",
		       strerror(errno));
out:
	close(fd);
	return err;
}

static const char *const dev_nodes[] = {
	"null", "zero", "full", "random", "urandom", "tty",
};

/*
 * DIR/dev, if DIR has one: a tmpfs with the harmless device nodes of the
 * host bound in (a new tmpfs in a user namespace could not hold working
 * nodes), and the fd links. Nothing else of the host's /dev.
 */
static int make_dev(const struct isolate_opts *o, uint64_t id)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
	};
	char dev[PATH_MAX + 8], path[PATH_MAX + 32], host[32];
	struct stat st;
	size_t i;
	int fd;

	snprintf(dev, sizeof(dev), "%s/dev", o->root_path);
	if (stat(dev, &st) || !S_ISDIR(st.st_mode))
		return 0;
	if (mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755"))
		return job_fail(id, "cannot mount a tmpfs on %s: %s", dev,
				strerror(errno));
	for (i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++) {
		snprintf(host, sizeof(host), "/dev/%s", dev_nodes[i]);
		snprintf(path, sizeof(path), "%s/%s", dev, dev_nodes[i]);
		if (stat(host, &st))
			continue;	/* the host has none */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 || close(fd) ||
		    mount(host, path, NULL, MS_BIND, NULL))
			return job_fail(id, "cannot bind %s into the job's /dev: %s",
					host, strerror(errno));
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dev, links[i][1]);
		if (symlink(links[i][0], path))
			return job_fail(id, "cannot make %s: %s", path,
					strerror(errno));
	}
	return 0;
}

/* In A: every namespace, the ids, mounts private, hostname, lo, DIR. */
static int make_namespaces(const struct isolate_opts *o, uint64_t id)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char names[64];

	if (unshare(o->ns)) {
		int err = errno;

		ns_names(o->ns, names, sizeof(names));
		return job_fail(id, "cannot create the job's namespaces (%s): %s%s",
				names, strerror(err),
				err == EPERM || err == ENOSPC ?
				" (user namespaces may be off or used up: sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone)" :
				err == EINVAL ? " (is this kernel built with them?)" : "");
	}
	if ((o->ns & CLONE_NEWUSER) && map_ids(id, uid, gid))
		return EXIT_FAIL;
	if ((o->ns & CLONE_NEWNS) &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return job_fail(id, "cannot make the job's mounts private: %s%s",
				strerror(errno), errno == EINVAL ?
				" (the root is not a mount point: run in a chroot?)" : "");
	if (o->hostname && sethostname(o->hostname, strlen(o->hostname)))
		return job_fail(id, "cannot set the hostname '%s': %s",
				o->hostname, strerror(errno));
	if ((o->ns & CLONE_NEWNET) && loopback_up(id))
		return EXIT_FAIL;
	/* pivot_root() wants a mount point: DIR bound on itself */
	if (o->root_path && mount(o->root_path, o->root_path, NULL,
				  MS_BIND | MS_REC, NULL))
		return job_fail(id, "cannot bind %s on itself: %s",
				o->root_path, strerror(errno));
	if (o->root_path && make_dev(o, id))
		return EXIT_FAIL;
	return 0;
}

/*
 * The job's /proc: a fresh procfs of the pid namespace the caller is in,
 * on DIR/proc, or over /proc without a root. Without a pid namespace of
 * its own the job shares the host's, and gets its /proc bound into DIR:
 * a user namespace may not mount a procfs of a pid namespace it does
 * not own.
 */
static int mount_proc(const struct isolate_opts *o, uint64_t id, bool fresh)
{
	char path[PATH_MAX + 8];

	snprintf(path, sizeof(path), "%s/proc", o->root_path ?: "");
	if (fresh ? mount("proc", path, "proc",
			  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) :
		    mount("/proc", path, NULL, MS_BIND | MS_REC, NULL))
		return job_fail(id, "cannot mount the job's /proc on %s: %s",
				path, strerror(errno));
	return 0;
}

/*
 * Into DIR: pivot_root(".", ".") stacks the old root on the new one,
 * umount2(".", MNT_DETACH) takes it away, so that nothing of the host's
 * tree is reachable. pivot_root() refuses (EINVAL) when the root is the
 * initramfs' rootfs, which cannot be unmounted: chroot() then, said so.
 * *@chrooted: the other processes of the job must chroot() too (a pivot
 * moves all whose root was the old one).
 */
static int enter_root(const struct isolate_opts *o, uint64_t id,
		      bool *chrooted)
{
	*chrooted = false;
	if (chdir(o->root_path))
		return job_fail(id, "cannot change to %s: %s", o->root_path,
				strerror(errno));
	if (syscall(SYS_pivot_root, ".", ".") == 0) {
		if (umount2(".", MNT_DETACH))
			return job_fail(id, "cannot detach the old root after pivot_root into %s: %s",
					o->root_path, strerror(errno));
	} else if (errno == EINVAL) {
		fprintf(stderr, "%s: %s: pivot_root into %s: %s (the root is not a mount that can be moved, as an initramfs); chroot instead: the host's tree stays mounted in the job's mount namespace\n",
			prog, subcmd, o->root_path, strerror(errno));
		if (chroot("."))
			return job_fail(id, "cannot chroot to %s: %s",
					o->root_path, strerror(errno));
		*chrooted = true;
	} else {
		return job_fail(id, "cannot pivot_root into %s: %s",
				o->root_path, strerror(errno));
	}
	if (chdir("/"))
		return job_fail(id, "cannot change to the job's root: %s",
				strerror(errno));
	return 0;
}

static volatile sig_atomic_t forward_to;

/*
 * The terminal signals its whole foreground process group (SI_KERNEL),
 * the command included: not twice.
 */
static void forward(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	(void)uc;
	if (si->si_code != SI_KERNEL && forward_to > 0)
		kill(forward_to, sig);
	errno = saved;
}

static void block_forwarded(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < NR_FORWARDED_SIGNALS; i++)
		sigaddset(&set, forwarded_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Handlers on, then the signals that came meanwhile are delivered. */
static void forward_signals(pid_t to, const sigset_t *old)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	forward_to = to;
	for (i = 0; i < NR_FORWARDED_SIGNALS; i++)
		sigaction(forwarded_signals[i], &sa, NULL);
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* As shells give it: a death by signal is 128 + the signal. */
static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) :
				   128 + WTERMSIG(status);
}

static bool read_all(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len;
}

/* Go-ahead bytes from A to I */
#define GO_STAY 's'		/* no root: keep the cwd */
#define GO_PIVOTED 'p'		/* A pivoted: our root moved with it */
#define GO_CHROOT 'c'		/* A chrooted: do so as well */

/*
 * I, pid 1 of the job's pid namespace: the job's /proc, then the command
 * as its child, and the init's work until the command exits. Returns
 * ISOLATE_EXEC in the command; never returns in I.
 */
static int init_process(const struct isolate_opts *o, uint64_t id,
			int from_anchor, int to_anchor, const sigset_t *old)
{
	int status, err;
	char go;
	pid_t cmd, p;

	/* the job goes with `xosjob run`; EOF on the pipe if it is gone */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	err = mount_proc(o, id, true) ? -1 : 0;
	if (write(to_anchor, &err, sizeof(err)) != sizeof(err) || err)
		_exit(EXIT_FAIL);
	close(to_anchor);
	if (!read_all(from_anchor, &go, 1))
		_exit(EXIT_FAIL);	/* A failed and said why */
	close(from_anchor);
	if (go == GO_CHROOT && chroot(o->root_path)) {
		job_fail(id, "cannot chroot to %s: %s", o->root_path,
			 strerror(errno));
		_exit(EXIT_FAIL);
	}
	if (go != GO_STAY && chdir("/")) {
		job_fail(id, "cannot change to the job's root: %s",
			 strerror(errno));
		_exit(EXIT_FAIL);
	}
	fflush(stderr);
	cmd = fork();
	if (cmd < 0) {
		job_fail(id, "fork: %s", strerror(errno));
		_exit(EXIT_FAIL);
	}
	if (cmd == 0) {
		/* the dispositions are still the caller's */
		prctl(PR_SET_PDEATHSIG, 0);
		sigprocmask(SIG_SETMASK, old, NULL);
		return ISOLATE_EXEC;
	}
	forward_signals(cmd, old);
	for (;;) {
		p = waitpid(-1, &status, 0);
		if (p == cmd)
			_exit(exit_status(status));
		if (p < 0 && errno != EINTR) {
			job_fail(id, "init: waitpid: %s", strerror(errno));
			_exit(EXIT_FAIL);
		}
		/* an orphan of the job, reaped */
	}
}

int isolate_job(const struct isolate_opts *o, uint64_t id)
{
	int to_anchor[2], to_init[2], status, err;
	bool chrooted;
	sigset_t old;
	pid_t init;
	char go;

	if (make_namespaces(o, id))
		return EXIT_FAIL;
	if (!(o->ns & CLONE_NEWPID)) {
		/* no init: this process is the job's first and its command */
		if (o->root_path && (mount_proc(o, id, false) ||
				     enter_root(o, id, &chrooted)))
			return EXIT_FAIL;
		return ISOLATE_EXEC;
	}
	if (pipe2(to_anchor, O_CLOEXEC))
		return job_fail(id, "pipe: %s", strerror(errno));
	if (pipe2(to_init, O_CLOEXEC)) {
		close(to_anchor[0]);
		close(to_anchor[1]);
		return job_fail(id, "pipe: %s", strerror(errno));
	}
	block_forwarded(&old);
	fflush(stdout);
	fflush(stderr);
	init = fork();
	if (init < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return job_fail(id, "cannot fork the job's init: %s",
				strerror(errno));
	}
	if (init == 0) {
		close(to_anchor[0]);
		close(to_init[1]);
		return init_process(o, id, to_init[0], to_anchor[1], &old);
	}
	close(to_anchor[1]);
	close(to_init[0]);
	forward_signals(init, &old);
	/* I has mounted the job's /proc (or said why not) */
	if (!read_all(to_anchor[0], &err, sizeof(err)) || err)
		goto fail;
	go = GO_STAY;
	if (o->root_path) {
		if (enter_root(o, id, &chrooted))
			goto fail;
		go = chrooted ? GO_CHROOT : GO_PIVOTED;
	}
	if (write(to_init[1], &go, 1) != 1) {
		job_fail(id, "cannot start the job's init: %s",
			 strerror(errno));
		goto fail;
	}
	close(to_anchor[0]);
	close(to_init[1]);
	while (waitpid(init, &status, 0) < 0)
		if (errno != EINTR)
			return job_fail(id, "waitpid: %s", strerror(errno));
	return exit_status(status);
fail:
	/* nothing is left: I goes, and the namespaces with us */
	close(to_anchor[0]);
	close(to_init[1]);
	kill(init, SIGKILL);
	while (waitpid(init, &status, 0) < 0 && errno == EINTR)
		;
	return EXIT_FAIL;
}
