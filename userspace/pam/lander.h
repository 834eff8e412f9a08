/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lander: how XOS_JOB_ID sent by an ssh client picks the job, although
 * sshd runs PAM before it reads the client's environment.
 *
 * At login, pam_xosjob (root, in sshd's per-connection process) lands the
 * login in the job PAM could pick, and starts a lander: a root process
 * outside every job that listens on an abstract unix socket whose random
 * name is put into the PAM environment (XOS_JOB_LANDER). sshd passes it,
 * with the client's XOS_JOB_ID, to the session; /etc/ssh/sshrc runs
 * xosjob-sshrc there, before the login shell, which sends XOS_JOB_ID to
 * the lander. The lander checks the asker (the user's uid, a process of
 * this login) and the job (a running job of the user that PAM's options
 * allow), moves the login's processes into it (ATTACH and the job's
 * cgroup) and exits. A job the user may not have ends the session, with
 * the reason on the client's stderr. The lander serves one request and is
 * gone after LANDER_TIMEOUT_S or when the login's process exits.
 */
#ifndef PAM_XOSJOB_LANDER_H
#define PAM_XOSJOB_LANDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#define LANDER_ENV "XOS_JOB_LANDER"
/* abstract socket name: "\0" LANDER_PREFIX <32 hex digits> */
#define LANDER_PREFIX "xos_job-lander-"
#define LANDER_TOKEN_LEN 32
#define LANDER_TIMEOUT_S 60
/* request: the XOS_JOB_ID string ("" for no choice); reply: "ok ID" or
 * "err MESSAGE" */
#define LANDER_MSG_MAX 512

struct conf;

static inline socklen_t lander_addr(struct sockaddr_un *sa, const char *token)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	/* sun_path[0] stays 0: an abstract name, gone with the socket */
	snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, "%s%s",
		 LANDER_PREFIX, token);
	return offsetof(struct sockaddr_un, sun_path) + 1 +
	       strlen(LANDER_PREFIX) + strlen(token);
}

struct lander {
	bool started;
	int go_fd;		/* write 'y' once the login has landed */
	char token[LANDER_TOKEN_LEN + 1];
};

/*
 * Starts a lander for the login of @uid (its process: the caller) before
 * it lands in @landed; it waits for lander_go(). Returns 0 or -errno.
 */
int lander_start(struct lander *l, const struct conf *c, uid_t uid,
		 uint64_t landed);
/* @landed: the login is in the job (serve), else the lander exits */
void lander_go(struct lander *l, bool landed);

#endif
