// SPDX-License-Identifier: GPL-2.0
/*
 * Static helper of xosbench.
 *   xosbench-nop            exits at once (what fork+exec+wait executes)
 *   xosbench-nop hold N     forks N-1 children; writes their pids (pid_t,
 *                           binary) to stdout; then it and every child
 *                           block until stdin reaches EOF: tiny members
 *                           for the query benchmark
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void hold(void)
{
	char b;

	while (read(0, &b, 1) > 0)
		;
}

int main(int argc, char **argv)
{
	int i, n;

	if (argc < 3 || strcmp(argv[1], "hold"))
		return 0;
	n = atoi(argv[2]);
	for (i = 1; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			close(1);
			hold();
			_exit(0);
		}
		if (write(1, &pid, sizeof(pid)) != sizeof(pid))
			return 1;
	}
	close(1);
	hold();
	while (wait(NULL) > 0)
		;
	return 0;
}
