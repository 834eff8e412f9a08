/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PAM_XOSJOB_H
#define PAM_XOSJOB_H

#include <stdbool.h>
#include <stdint.h>

struct xosjob_job;

struct conf {
	bool deny_no_jobs;
	bool deny_multiple;
	bool skip_root;
	bool join_ns;
	bool sshrc;		/* start a lander (lander.h) */
	bool debug;
	const char *label;	/* NULL: every job */
};

/* a running, unkilled job of @uid that the options allow */
bool pam_xosjob_eligible(const struct conf *c, const struct xosjob_job *j,
			 uint32_t uid);

#endif
