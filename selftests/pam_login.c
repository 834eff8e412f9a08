// SPDX-License-Identifier: GPL-2.0
/*
 * pam_login SERVICE USER CMD...: a login as a PAM application does it
 * (sshd, login): account, open_session, then CMD in a child as USER, then
 * close_session. Messages the modules send the user go to stderr, as a
 * terminal would show them. Exit status: CMD's, or 10 + the PAM step that
 * failed (account 11, session 12). For selftests/test_slurm.sh.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <security/pam_appl.h>

static int conv(int n, const struct pam_message **msg,
		struct pam_response **resp, void *data)
{
	int i;

	(void)data;
	*resp = calloc(n, sizeof(**resp));
	if (!*resp)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++)
		if (msg[i]->msg_style == PAM_ERROR_MSG ||
		    msg[i]->msg_style == PAM_TEXT_INFO)
			fprintf(stderr, "%s\n", msg[i]->msg);
	return PAM_SUCCESS;
}

int main(int argc, char *argv[])
{
	struct pam_conv c = { conv, NULL };
	pam_handle_t *pamh;
	struct passwd *pw;
	int rc, status;
	pid_t child;

	if (argc < 4) {
		fprintf(stderr, "usage: pam_login SERVICE USER CMD...\n");
		return 2;
	}
	pw = getpwnam(argv[2]);
	if (!pw) {
		fprintf(stderr, "pam_login: no user %s\n", argv[2]);
		return 2;
	}
	rc = pam_start(argv[1], argv[2], &c, &pamh);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "pam_start: %s\n", pam_strerror(pamh, rc));
		return 2;
	}
	rc = pam_acct_mgmt(pamh, 0);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "pam_login: account: %s\n", pam_strerror(pamh, rc));
		pam_end(pamh, rc);
		return 11;
	}
	rc = pam_open_session(pamh, 0);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "pam_login: session: %s\n", pam_strerror(pamh, rc));
		pam_end(pamh, rc);
		return 12;
	}
	fflush(stdout);
	child = fork();
	if (child == 0) {
		if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
		    setuid(pw->pw_uid)) {
			perror("pam_login: cannot become the user");
			_exit(127);
		}
		execvp(argv[3], argv + 3);
		perror("pam_login: exec");
		_exit(127);
	}
	status = 0;
	if (child < 0 || waitpid(child, &status, 0) < 0)
		status = 127 << 8;
	pam_close_session(pamh, 0);
	pam_end(pamh, PAM_SUCCESS);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
