/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob: the CLI's cgroup v2 code. A job started with limits (run, new)
 * gets a cgroup of its own, a leaf under a parent cgroup: --cgroup-parent,
 * else $XOSJOB_CGROUP_PARENT, else (no systemd) /xos_job, created on
 * demand with the needed controllers enabled; on a systemd host, run
 * re-executes itself in a transient scope with Delegate=yes and the job's
 * cgroup is made in it, beside the supervisor's. freeze and thaw write the
 * job's recorded cgroup's cgroup.freeze.
 */
#ifndef XOSJOB_CGROUP_H
#define XOSJOB_CGROUP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "xosjob.h"

/* The option values as given, NULL when absent. */
struct cg_args {
	const char *memory_max, *memory_high, *swap_max, *pids_max;
	const char *cpu_max, *cpu_weight, *cpus, *mems;
	const char *io_weight, *io_max, *parent;
};

/* option_spec entries of run and new for @a */
#define CG_OPTIONS(a)							\
	{ "memory-max", 0, &(a).memory_max, NULL },			\
	{ "memory-high", 0, &(a).memory_high, NULL },			\
	{ "swap-max", 0, &(a).swap_max, NULL },				\
	{ "pids-max", 0, &(a).pids_max, NULL },				\
	{ "cpu-max", 0, &(a).cpu_max, NULL },				\
	{ "cpu-weight", 0, &(a).cpu_weight, NULL },			\
	{ "cpus", 0, &(a).cpus, NULL },					\
	{ "mems", 0, &(a).mems, NULL },					\
	{ "io-weight", 0, &(a).io_weight, NULL },			\
	{ "io-max", 0, &(a).io_max, NULL },				\
	{ "cgroup-parent", 0, &(a).parent, NULL }

/* their help, in run's and new's --help */
#define CG_OPTIONS_HELP \
	"  cgroup v2 limits, in a cgroup of the job's own:\n" \
	"      --memory-max SIZE, --memory-high SIZE, --swap-max SIZE\n" \
	"                 memory.max, memory.high, memory.swap.max: bytes\n" \
	"                 with K, M, G or T (powers of 1024), or max;\n" \
	"                 --swap-max 0: no swap\n" \
	"      --pids-max N\n" \
	"                 pids.max: processes and threads at most\n" \
	"      --cpu-max PCT\n" \
	"                 cpu.max: PCT of one CPU (150% = \"150000 100000\")\n" \
	"      --cpu-weight N, --io-weight N\n" \
	"                 cpu.weight, io.weight (1 to 10000)\n" \
	"      --cpus LIST, --mems LIST\n" \
	"                 cpuset.cpus, cpuset.mems (as 0-3,5), within the\n" \
	"                 parent's effective sets\n" \
	"      --io-max \"MAJ:MIN rbps=N wbps=N riops=N wiops=N\"\n" \
	"                 io.max of a block device\n" \
	"      --cgroup-parent PATH\n" \
	"                 where the job's cgroup is made, relative to the\n" \
	"                 cgroup2 mount (default: $XOSJOB_CGROUP_PARENT, else\n" \
	"                 /xos_job without systemd; with systemd, a command\n" \
	"                 gets a transient scope with Delegate=yes through\n" \
	"                 systemd-run --scope, --user for non-root)\n"

/* "max" as a memory size */
#define CG_MAX UINT64_MAX

/* A job's cgroup, from the options to its removal. */
struct cg_job {
	bool wanted;		/* a limit or --cgroup-parent was given */
	/* memory sizes as written: 0 not set, CG_MAX "max" */
	uint64_t memory_max, memory_high, swap_max;
	bool swap_set;		/* --swap-max, 0 included */
	/*
	 * the cgroup limits as the job records them (memory sizes of "max"
	 * left out: no limit)
	 */
	struct xosjob_limits limits;
	char io_max[256];	/* "MAJ:MIN rbps=N ...", or "" */
	char parent[4096];	/* relative to the mount, "/x/y" or "/" */
	char name[64];		/* the job's cgroup under parent */
	char path[4096 + 128];	/* the job's cgroup directory, absolute */
	char rel[4096 + 64];	/* the same relative to the mount */
	bool created;
	/* the caller runs a command: it may re-execute in a systemd scope */
	bool may_scope;
};

/*
 * Parses and checks the syntax of the options (usage errors, exit 2):
 * 0, or the message printed and EXIT_USAGE.
 */
int cg_parse(const struct cg_args *a, struct cg_job *cg);
/*
 * The same from limits a job recorded (restore: the old job's), without
 * a round trip through the options' text; io.max is not among them.
 */
int cg_from_limits(const struct xosjob_limits *l, struct cg_job *cg);

/*
 * Finds the parent, checks delegation, controllers and the machine's
 * bounds, creates the job's cgroup and writes the limits: 0, or the
 * message printed, nothing left behind, and EXIT_FAIL. On a systemd host
 * with no parent given and may_scope set, it first re-executes the
 * program through systemd-run (returning only if that fails); in the
 * scope, the scope is the parent and the caller is in its "supervisor".
 */
int cg_create(struct cg_job *cg);

/*
 * Is this a systemd host (/run/systemd/system)? There, without a parent,
 * cg_create re-executes the program in a transient scope (may_scope).
 */
bool cg_systemd_host(void);

/* Moves process @pid (0: the caller) into the job's cgroup: 0 or -errno. */
int cg_move(const struct cg_job *cg, pid_t pid);

/* Moves @pid into the cgroup at absolute directory @dir: 0 or -errno. */
int cg_move_to(const char *dir, pid_t pid);

/* The cgroup v2 line of /proc/PID/cgroup ("/x/y") of @pid (0: self). */
bool cg_of_pid(pid_t pid, char *buf, size_t len);

/*
 * Waits until the job's cgroup has no process left (populated 0 in
 * cgroup.events). A signal number set in *@pending (by a handler) is sent
 * to every process in the cgroup, then cleared.
 */
void cg_wait_empty(const struct cg_job *cg, volatile sig_atomic_t *pending);

/* Signals every process in the job's cgroup. */
void cg_signal_all(const struct cg_job *cg, int sig);

/* Removes the job's cgroup (once empty); silent if it is gone. */
void cg_remove(struct cg_job *cg);

/* Where cgroup2 is mounted ("/sys/fs/cgroup"). */
const char *cg_mount(void);

/*
 * Writes 1 (@freeze) or 0 to cgroup.freeze of the cgroup @rel (relative
 * to the mount) and waits up to @timeout_ms for cgroup.events to say
 * "frozen 1" / "frozen 0": 0, -ETIMEDOUT, or -errno of the write (the
 * path written in @path).
 */
int cg_freeze(const char *rel, bool freeze, int timeout_ms, char *path,
	      size_t len);

#endif
