// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob-sshrc: run from /etc/ssh/sshrc, before the login shell, it hands
 * the ssh client's XOS_JOB_ID to pam_xosjob's lander (lander.h), which
 * moves the login into that job or ends the session. Without a lander
 * (pam_xosjob without sshrc=yes, root, a login in no job) it does nothing.
 * Exit status: 0 landed or nothing to do, 1 refused or the lander is gone.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lander.h"

int main(int argc, char **argv)
{
	const char *token = getenv(LANDER_ENV);
	const char *want = getenv("XOS_JOB_ID");
	char msg[LANDER_MSG_MAX + 1];
	struct pollfd p;
	struct sockaddr_un sa;
	socklen_t len;
	ssize_t n;
	int fd;

	if (argc > 1) {
		fprintf(stderr, "usage: %s (from /etc/ssh/sshrc; reads %s and XOS_JOB_ID)\n",
			argv[0], LANDER_ENV);
		return 2;
	}
	if (!token || !*token)
		return 0;
	if (!want)
		want = "";
	if (strlen(token) != LANDER_TOKEN_LEN) {
		fprintf(stderr, "xosjob-sshrc: %s is malformed\n", LANDER_ENV);
		return 1;
	}
	len = lander_addr(&sa, token);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, len)) {
		if (*want)
			fprintf(stderr, "xosjob-sshrc: XOS_JOB_ID=%s ignored: pam_xosjob's lander is gone (%s); the login stays in the job PAM chose\n",
				want, strerror(errno));
		return *want ? 1 : 0;
	}
	if (send(fd, want, strlen(want), MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "xosjob-sshrc: cannot ask the lander: %s\n",
			strerror(errno));
		return 1;
	}
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, LANDER_TIMEOUT_S * 1000) <= 0) {
		fprintf(stderr, "xosjob-sshrc: the lander did not answer\n");
		return 1;
	}
	n = recv(fd, msg, sizeof(msg) - 1, 0);
	if (n <= 0) {
		fprintf(stderr, "xosjob-sshrc: the lander hung up\n");
		return 1;
	}
	msg[n] = 0;
	if (!strncmp(msg, "ok ", 3))
		return 0;
	/* the lander ends this session once we have said why */
	fprintf(stderr, "pam_xosjob: access denied: %s\n",
		!strncmp(msg, "err ", 4) ? msg + 4 : msg);
	close(fd);
	return 1;
}
