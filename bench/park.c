// SPDX-License-Identifier: GPL-2.0
/*
 * Static helper of "xosbench bigjob": the members of one big job.
 *
 *   xosbench-park P T [leaders-exit]
 *
 * Forks P-1 children; it and each child then make T-1 threads (T with
 * leaders-exit), so that every process has T live tasks, install a no-op
 * SIGUSR1 handler, write their pid (pid_t, binary) to stdout and block in
 * pause() until killed. With leaders-exit the main thread of every process
 * then leaves with pthread_exit(): each process lives on in its other
 * threads, with a zombie leader.
 *
 * Static and separate from xosbench: xosbench links libxosjob, whose 64 KiB
 * of static TLS each thread would carry (20,000 threads: 1.3 GB). Here a
 * thread is a 16 KiB stack without guard page.
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
}

static void *park(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static void member(int threads, int leader_exit)
{
	pthread_attr_t at;
	pid_t self = getpid();
	int i;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, PTHREAD_STACK_MIN > 16384 ?
				  PTHREAD_STACK_MIN : 16384);
	pthread_attr_setguardsize(&at, 0);
	for (i = leader_exit ? 0 : 1; i < threads; i++) {
		pthread_t th;

		if (pthread_create(&th, &at, park, NULL))
			_exit(1);
	}
	if (write(1, &self, sizeof(self)) != sizeof(self))
		_exit(1);
	close(1);
	if (leader_exit)
		pthread_exit(NULL);
	park(NULL);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int i, procs, threads, leader_exit;

	if (argc < 3)
		return 2;
	procs = atoi(argv[1]);
	threads = atoi(argv[2]);
	leader_exit = argc > 3 && !strcmp(argv[3], "leaders-exit");
	if (procs < 1 || threads < 1)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 1; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0)
			member(threads, leader_exit);
	}
	member(threads, leader_exit);
	return 0;
}
