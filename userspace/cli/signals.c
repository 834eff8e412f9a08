// SPDX-License-Identifier: GPL-2.0
/* xosjob: signals by name and number, wait statuses. */
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include "cli.h"

/* what a supervisor or a job's init passes on to the command */
const int forwarded_signals[NR_FORWARDED_SIGNALS] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
};

/* glibc keeps two real-time signals for itself: ask the kernel's view */
#define KERNEL_SIGRTMIN 32
#define KERNEL_SIGMAX 64

static int parse_rt_signal(const char *s)
{
	uint64_t off = 0;

	if (!strncasecmp(s, "RTMIN", 5)) {
		if (s[5] && (s[5] != '+' ||
			     !parse_u64(s + 6, KERNEL_SIGMAX, &off)))
			return -1;
		off += SIGRTMIN;
	} else if (!strncasecmp(s, "RTMAX", 5)) {
		if (s[5] && (s[5] != '-' ||
			     !parse_u64(s + 6, KERNEL_SIGMAX, &off)))
			return -1;
		off = SIGRTMAX - off;
	} else {
		return -1;
	}
	if (off < (uint64_t)SIGRTMIN || off > (uint64_t)SIGRTMAX)
		return -1;
	return off;
}

int parse_signal(const char *s)
{
	uint64_t v;
	int i;

	if (parse_u64(s, KERNEL_SIGMAX, &v))
		return v;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 1; i < KERNEL_SIGRTMIN; i++) {
		const char *name = sigabbrev_np(i);

		if (name && !strcasecmp(s, name))
			return i;
	}
	return parse_rt_signal(s);
}

const char *signal_name(int sig, char *buf, size_t len)
{
	const char *name = sig > 0 && sig < KERNEL_SIGRTMIN ?
			   sigabbrev_np(sig) : NULL;

	if (name)
		snprintf(buf, len, "%s", name);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, len, "RTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, len, "%d", sig);
	return buf;
}

const char *status_str(uint32_t status, char *buf, size_t len)
{
	char sig[16];

	if (WIFEXITED(status))
		snprintf(buf, len, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by SIG%s%s",
			 signal_name(WTERMSIG(status), sig, sizeof(sig)),
			 WCOREDUMP(status) ? " (core dumped)" : "");
	else
		snprintf(buf, len, "status %#x", status);
	return buf;
}
