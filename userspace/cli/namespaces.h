/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob: the namespace kinds by name, for run --isolate and enter --ns
 * (namespaces.c).
 */
#ifndef XOSJOB_NAMESPACES_H
#define XOSJOB_NAMESPACES_H

#include <stdbool.h>
#include <sched.h>
#include <stddef.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct ns_kind {
	const char *name;	/* as in /proc/PID/ns/ */
	int flag;		/* CLONE_NEW* */
};

/* user first: the others may be owned by it, so it is joined first */
extern const struct ns_kind ns_kinds[];
extern const size_t nr_ns_kinds;
#define ALL_NS (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | \
		CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | CLONE_NEWTIME)

/*
 * The CLONE_NEW* mask of a comma-separated @list for option --@opt, of
 * the kinds in @allowed, or "all" of them; "none" alone too when
 * @none_ok. 0, or the usage error printed and EXIT_USAGE.
 */
int ns_parse_list(const char *opt, const char *list, int allowed,
		  bool none_ok, int *mask);
/* "pid,mnt" for a mask, in ns_kinds order. */
void ns_names(int mask, char *buf, size_t len);

#endif
