// SPDX-License-Identifier: GPL-2.0
/* xosjob: command-line client of the xos_job kernel module. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "cli.h"

const char *prog = "xosjob";
const char *subcmd;
char **main_argv;

#define JSON_OPT "  --json         machine-readable output (one JSON value)\n"
#define LIMIT_OPTS \
	"  --cpu-time D   total CPU time of the whole job (all members,\n" \
	"                 exited ones included): SIGXCPU to every process at\n" \
	"                 the limit, SIGKILL after the grace period\n" \
	"  -t, --time D   wall-clock limit: SIGTERM, then SIGKILL after the\n" \
	"                 grace period\n" \
	"  --grace D, --cpu-time-grace D\n" \
	"                 between the first signal and SIGKILL (default 10s,\n" \
	"                 0: SIGKILL at once, at most 1h)\n"
#define LIM \
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

static const struct subcommand subcommands[] = {
	{ "info", NULL, cmd_info, "[--json]",
	  "module version, live jobs, tracked tasks, allocation failures",
	  JSON_OPT },
	{ "new", NULL, cmd_new,
	  "[--label L] [--owner UID] [--pid PID] [--cpu-time D] [--time D] [--grace D] [LIMITS] [--json] [[--] CMD [ARG...]]",
	  "create a job; run CMD in it, or print its id",
	  "  -l, --label L  a label of up to 255 bytes\n"
	  "  -o, --owner UID\n"
	  "                 owner uid or user name (admin only)\n"
	  "  -p, --pid PID  place process PID in the job (admin only)\n"
	  LIMIT_OPTS
	  JSON_OPT
	  "  --isolate LIST, --hostname NAME, --root DIR\n"
	  "                 with CMD: as for run\n"
	  LIM
	  "\n"
	  "With CMD, this process becomes the job's first member and executes\n"
	  "CMD (XOS_JOB_ID is set); with cgroup limits, as run does. Without\n"
	  "CMD the job is created for PID, or for the calling process's parent\n"
	  "(the shell; admin only), and its id printed; with cgroup limits that\n"
	  "process is moved into the job's new cgroup, which stays after the\n"
	  "job.\n" },
	{ "run", NULL, cmd_run,
	  "[--label L] [--owner UID] [--cpu-time D] [--time D] [--grace D]\n"
	  "       [--isolate LIST] [--hostname NAME] [--root DIR] [LIMITS] [--] CMD [ARG...]",
	  "create a job and run CMD in it (new with a command)",
	  "  -l, --label L  a label of up to 255 bytes\n"
	  "  -o, --owner UID\n"
	  "                 owner uid or user name (admin only)\n"
	  LIMIT_OPTS
	  "  --isolate LIST\n"
	  "                 run the job in new namespaces, of\n"
	  "                 pid,mnt,net,uts,ipc,user,cgroup or all. With pid,\n"
	  "                 xosjob is the namespace's init (pid 1): it reaps\n"
	  "                 orphans, forwards TERM INT HUP QUIT USR1 USR2 to\n"
	  "                 CMD, and the job ends when CMD exits; the job gets\n"
	  "                 its own /proc (pid implies mnt)\n"
	  "  --hostname NAME\n"
	  "                 the job's hostname, up to 64 bytes (implies uts)\n"
	  "  --root DIR     root the job in DIR (pivot_root; implies mnt): DIR\n"
	  "                 needs a proc/ directory for the job's /proc; a dev/\n"
	  "                 one gets null, zero, full, random, urandom, tty\n"
	  LIM
	  "\n"
	  "Durations: 90 (seconds), 1.5s, 500ms, 2m30s, 1h, 1d. The module\n"
	  "enforces --cpu-time and --time itself: signals that are ignored or\n"
	  "blocked, and members that detach, do not escape them.\n"
	  "XOS_JOB_ID is set in CMD's environment. The exit status is CMD's\n"
	  "(128+N if signal N killed it), or 126/127 if it cannot be executed.\n"
	  "A user other than root isolates through a user namespace, added to\n"
	  "LIST if missing, with its uid and gid mapped to 0 (as unshare -r).\n"
	  "The job's processes, its init included, are all members; xosjob\n"
	  "enter lands in its namespaces, root and /proc.\n"
	  "\n"
	  "Without limits, this process becomes the job's first member and\n"
	  "executes CMD. With limits (or --cgroup-parent) the job gets a new\n"
	  "cgroup under the parent; this process stays outside, as the job's\n"
	  "supervisor: it forwards INT, TERM, HUP, QUIT, USR1 and USR2 to CMD,\n"
	  "waits for CMD and then for the cgroup to be empty, removes it and\n"
	  "exits with CMD's status (killed by a signal: 128 + its number).\n" },
	{ "attach", NULL, cmd_attach, "JOB PID",
	  "move a process with all its threads into a job (admin)", NULL },
	{ "get", "show", cmd_get, "[--json] JOB | --pid PID",
	  "show one job, by id or by a member process",
	  "  -p, --pid PID  the job of process PID\n" JSON_OPT },
	{ "id", NULL, cmd_id, "[--json] [PID]",
	  "print the job id of a process (default: the caller's parent)",
	  JSON_OPT },
	{ "list", NULL, cmd_list, "[--json] [--ended [--from SEQ]]",
	  "list the jobs you may see (admin: all)",
	  "  -e, --ended    the end-of-job records kept by the module instead\n"
	  "  -f, --from SEQ records from sequence number SEQ on\n"
	  JSON_OPT },
	{ "tasks", "ps", cmd_tasks, "[--json] JOB",
	  "list the member tasks (threads) of a job, in join order",
	  JSON_OPT },
	{ "enter", NULL, cmd_enter,
	  "[--user U] [--no-cgroup] [--ns LIST] JOB [-- CMD...]",
	  "run CMD (default: a shell) inside a running job, as its owner",
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
	  "Exit status: CMD's, or 126/127 if it cannot be executed.\n" },
	{ "monitor", "watch", cmd_monitor,
	  "[--json] [--count N] [--rcvbuf BYTES] [--from SEQ]",
	  "print job creations and end-of-job records as they happen (admin)",
	  "  -c, --count N  stop after N events\n"
	  "  -b, --rcvbuf BYTES\n"
	  "                 socket receive buffer\n"
	  "  -f, --from SEQ first print the kept records from SEQ on\n"
	  JSON_OPT
	  "\n"
	  "Records missed (a sequence gap, or a receive buffer overflow) are\n"
	  "read back from the kernel's ring of ended jobs and printed, marked\n"
	  "recovered, in order; none is printed twice. Exits 1 if the ring no\n"
	  "longer held some.\n" },
	{ "collect", NULL, cmd_collect,
	  "--output DIR [--prometheus FILE [--interval SEC]] [--rcvbuf BYTES] [--once]",
	  "write every end-of-job record to daily JSON-lines files (admin)",
	  "  -o, --output DIR\n"
	  "                 DIR/jobs-YYYY-MM-DD.jsonl, by the day (UTC) a job\n"
	  "                 ended; DIR/last-seq: the last record fsync'ed\n"
	  "  -p, --prometheus FILE\n"
	  "                 rewrite FILE (atomically) with the live jobs'\n"
	  "                 figures, for node_exporter's textfile collector\n"
	  "  -i, --interval SEC\n"
	  "                 how often FILE is rewritten (default 15)\n"
	  "  -b, --rcvbuf BYTES\n"
	  "                 socket receive buffer\n"
	  "      --once     collect the records the kernel keeps, then exit\n"
	  "\n"
	  "A restarted collector goes on after the last record in DIR: no record\n"
	  "is written twice, and missed ones are read back from the kernel's\n"
	  "ring. SIGTERM flushes and exits. Exits 1 if records were lost (the\n"
	  "ring no longer held them).\n" },
	{ "freeze", NULL, cmd_freeze, "[--json] JOB",
	  "stop every process of a job with the cgroup v2 freezer",
	  JSON_OPT
	  "\n"
	  "Only for a job with a cgroup of its own (run or new with limits or\n"
	  "--cgroup-parent). Waits up to 10 s for the cgroup to be frozen. A\n"
	  "frozen job cannot be entered.\n" },
	{ "thaw", NULL, cmd_thaw, "[--json] JOB",
	  "let a frozen job's processes run again", JSON_OPT },
	{ "kill", NULL, cmd_kill, "[-s SIG | -SIG] JOB",
	  "signal every member process of a job (default TERM)",
	  "  -s, --signal SIG\n"
	  "                 a number (0 only checks), a name (KILL, SIGKILL)\n"
	  "                 or RTMIN+N\n"
	  "\n"
	  "Exits 1 if some processes could not be signalled.\n" },
	{ "checkpoint", NULL, cmd_checkpoint,
	  "JOB --dir DIR [--leave-running] [--json]",
	  "dump every process of a job with CRIU (admin)",
	  "  -d, --dir DIR  where the checkpoint goes: a new or empty directory\n"
	  "  -R, --leave-running\n"
	  "                 the job goes on after the dump (default: its\n"
	  "                 processes are killed and its record says\n"
	  "                 \"checkpointed\")\n"
	  JSON_OPT
	  "\n"
	  "The job's members must be one process tree: a job in a pid namespace\n"
	  "of its own under its first process (unshare --pid --fork) is dumped\n"
	  "from the namespace's init, which must lead a session of its own\n"
	  "(setsid). A member outside the tree (attach, enter) is refused, and\n"
	  "so is a job in a mount namespace of its own (run --isolate). DIR gets\n"
	  "CRIU's images, its log (dump.log) and xosjob.json: the job's id,\n"
	  "label, owner, limits and figures at the dump. A failed dump leaves\n"
	  "the job running and DIR as it was. Needs CAP_SYS_ADMIN and criu, with\n"
	  "the kernel's *_diag modules loaded.\n" },
	{ "restore", NULL, cmd_restore, "--dir DIR [--json]",
	  "restore a checkpoint as a new job (admin)",
	  "  -d, --dir DIR  the checkpoint (xosjob checkpoint)\n"
	  JSON_OPT
	  "\n"
	  "The processes come back with their pids (in their pid namespace),\n"
	  "as members of a new job with the old one's label, owner and limits,\n"
	  "restored from it: its figures go on from those saved (get shows which\n"
	  "part came before). Prints the new job's id, then waits, as run does,\n"
	  "and exits with the status of the job's first process (the tree's\n"
	  "root). With the old job's cgroup limits, the processes get a cgroup of\n"
	  "the job's own (as run makes it), else stay in the caller's. Needs\n"
	  "CAP_SYS_ADMIN and criu.\n" },
};

#define NR_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static const struct subcommand *current;

static void help(FILE *f)
{
	unsigned int i;
	char name[32];

	fprintf(f, "Usage: %s COMMAND [OPTIONS] [ARGS...]\n\n"
		"Jobs of the xos_job kernel module: every process of a job "
		"carries its id.\n\nCommands:\n", prog);
	for (i = 0; i < NR_SUBCOMMANDS; i++) {
		const struct subcommand *c = &subcommands[i];

		snprintf(name, sizeof(name), "%s%s%s%s", c->name,
			 c->alias ? " (" : "", c->alias ?: "",
			 c->alias ? ")" : "");
		fprintf(f, "  %-13s %s\n", name, c->help);
	}
	fprintf(f, "  %-13s %s\n", "help", "this text, or help on a command");
	fprintf(f, "\n'%s COMMAND --help' describes a command.\n"
		"Exit status: 0 success, 1 error, 2 usage error.\n", prog);
}

void subcommand_help(FILE *f)
{
	fprintf(f, "Usage: %s %s %s\n%c%s.\n", prog, current->name,
		current->args, toupper((unsigned char)current->help[0]),
		current->help + 1);
	if (current->alias)
		fprintf(f, "Also called '%s'.\n", current->alias);
	if (current->details)
		fprintf(f, "\n%s", current->details);
}

static const struct subcommand *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_SUBCOMMANDS; i++) {
		const struct subcommand *c = &subcommands[i];

		if (!strcmp(name, c->name) ||
		    (c->alias && !strcmp(name, c->alias)))
			return c;
	}
	return NULL;
}

static int cmd_help(int argc, char *argv[])
{
	if (argc < 2) {
		help(stdout);
		return 0;
	}
	if (argc > 2)
		return usage_error("help on one command, please");
	current = find(argv[1]);
	if (!current)
		return usage_error("unknown command '%s'", argv[1]);
	subcommand_help(stdout);
	return 0;
}

int main(int argc, char *argv[])
{
	int ret;

	/*
	 * CRIU runs its action script by path alone, without arguments: this
	 * program as xosjob checkpoint's or restore's hook (checkpoint.c).
	 */
	if (argc == 1 && getenv("CRTOOLS_SCRIPT_ACTION"))
		return ckpt_criu_hook();
	/*
	 * parse_opts reorders argv: run re-executes itself in a systemd
	 * scope with the arguments as given (cgroup.c)
	 */
	main_argv = calloc(argc + 1, sizeof(*main_argv));
	if (!main_argv) {
		fail("out of memory");
		return EXIT_FAIL;
	}
	memcpy(main_argv, argv, argc * sizeof(*argv));
	if (argc < 2) {
		help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help"))
		return cmd_help(argc - 1, argv + 1);
	current = find(argv[1]);
	if (!current)
		return usage_error("unknown command '%s'", argv[1]);
	subcmd = argv[1];
	ret = current->run(argc - 1, argv + 1);
	/* a full disk or a closed pipe is a failure too */
	if (fflush(stdout) || ferror(stdout)) {
		if (errno != EPIPE)
			fail("write error: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return ret;
}
