// SPDX-License-Identifier: GPL-2.0
/* xosjob: the namespace kinds by name, for run --isolate and enter --ns. */
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "namespaces.h"

const struct ns_kind ns_kinds[] = {
	{ "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },
	{ "pid", CLONE_NEWPID }, { "net", CLONE_NEWNET },
	{ "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC },
	{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};

const size_t nr_ns_kinds = sizeof(ns_kinds) / sizeof(ns_kinds[0]);

/* "user, mnt, pid, all or none": what the usage errors offer */
static void choices(int allowed, bool none_ok, char *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < nr_ns_kinds; i++)
		if (allowed & ns_kinds[i].flag)
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? ", " : "", ns_kinds[i].name);
	snprintf(buf + n, n < len ? len - n : 0, "%s",
		 none_ok ? ", all or none" : " or all");
}

int ns_parse_list(const char *opt, const char *list, int allowed,
		  bool none_ok, int *mask)
{
	const char *p = list, *end;
	char names[128];
	size_t i, len;

	*mask = 0;
	choices(allowed, none_ok, names, sizeof(names));
	if (!*list)
		return usage_error("--%s: empty namespace list (%s)", opt, names);
	if (none_ok && !strcmp(list, "none"))
		return 0;
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 3 && !strncmp(p, "all", 3)) {
			*mask |= allowed;
		} else {
			for (i = 0; i < nr_ns_kinds; i++)
				if ((allowed & ns_kinds[i].flag) &&
				    strlen(ns_kinds[i].name) == len &&
				    !strncmp(p, ns_kinds[i].name, len))
					break;
			if (i == nr_ns_kinds && !len)
				return usage_error("--%s '%s': an empty namespace name (%s)",
						   opt, list, names);
			if (i == nr_ns_kinds)
				return usage_error("--%s: unknown namespace '%.*s' (%s)",
						   opt, (int)len, p, names);
			*mask |= ns_kinds[i].flag;
		}
		if (!end)
			return 0;
		p = end + 1;
	}
}

void ns_names(int mask, char *buf, size_t len)
{
	size_t i;

	buf[0] = 0;
	for (i = 0; i < nr_ns_kinds; i++)
		if (mask & ns_kinds[i].flag)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 buf[0] ? "," : "", ns_kinds[i].name);
}
