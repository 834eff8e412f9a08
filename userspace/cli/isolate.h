/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob run --isolate LIST [--hostname NAME] [--root DIR]: a job in
 * namespaces of its own, rooted in a file tree of its own (isolate.c).
 *
 * new_job() lists ISOLATE_OPTIONS(o) among its options, calls
 * isolate_parse() after parsing them and isolate_job() once the job exists
 * (this process is its first member, so everything forked from here on is
 * in it).
 */
#ifndef XOSJOB_ISOLATE_H
#define XOSJOB_ISOLATE_H

#include <stdbool.h>
#include <stdint.h>

struct isolate_opts {
	/* the option values, as given */
	const char *list, *hostname, *root;
	/* set by isolate_parse() */
	int ns;			/* CLONE_NEW* flags; 0: no isolation */
	char *root_path;	/* --root, absolute */
};

#define ISOLATE_OPTIONS(o)					\
	{ "isolate", 0, &(o).list, NULL },			\
	{ "hostname", 0, &(o).hostname, NULL },		\
	{ "root", 0, &(o).root, NULL }

/* their help, in run's --help */
#define ISOLATE_OPTIONS_HELP \
	"  --isolate LIST\n" \
	"                 run the job in new namespaces, of\n" \
	"                 pid,mnt,net,uts,ipc,user,cgroup or all. With pid,\n" \
	"                 xosjob is the namespace's init (pid 1): it reaps\n" \
	"                 orphans, forwards TERM INT HUP QUIT USR1 USR2 to\n" \
	"                 CMD, and the job ends when CMD exits; the job gets\n" \
	"                 its own /proc (pid implies mnt)\n" \
	"  --hostname NAME\n" \
	"                 the job's hostname, up to 64 bytes (implies uts)\n" \
	"  --root DIR     root the job in DIR (pivot_root; implies mnt): DIR\n" \
	"                 needs a proc/ directory for the job's /proc; a dev/\n" \
	"                 one gets null, zero, full, random, urandom, tty\n"

/*
 * Checks the option values (@has_cmd: a command was given) and works out
 * the namespaces: --hostname implies uts, --root and pid imply mnt, and a
 * caller that is not root gets a user namespace. 0, or the usage error
 * printed and EXIT_USAGE.
 */
int isolate_parse(struct isolate_opts *o, bool has_cmd);

/* isolate_job()'s answer in the process that must exec the command */
#define ISOLATE_EXEC (-1)

/*
 * Puts job @id in its namespaces and root. Returns ISOLATE_EXEC in the
 * process that is to execute the command; in this process (the job's
 * anchor, which waits for the job's init) the exit status to exit with;
 * or EXIT_FAIL, the error printed, if isolation failed (nothing is left
 * behind: the job ends with this process).
 */
int isolate_job(const struct isolate_opts *o, uint64_t id);

#endif
