/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob: messages on stderr (error.c). Exit status: 0 success, 1
 * operational error (EXIT_FAIL), 2 usage error (EXIT_USAGE).
 */
#ifndef XOSJOB_ERROR_H
#define XOSJOB_ERROR_H

#include "xosjob.h"

#define EXIT_FAIL 1
#define EXIT_USAGE 2

extern const char *prog;
extern const char *subcmd;	/* the name the user typed */

/* "xosjob: <subcmd>: message" and a hint on stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "xosjob: <subcmd>: message" on stderr; returns EXIT_FAIL. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The last failure on @ctx for a message: "kernel reports: <extack text>
 * (ENOENT)" when the kernel refused the request, as iw words it, else the
 * library's own words. Valid until the next call.
 */
const char *ctx_error(const struct xosjob_ctx *ctx);
/* Reports ctx_error(@ctx), closes @ctx: EXIT_FAIL. */
int fail_ctx(struct xosjob_ctx *ctx);
/* Opens the family; on failure prints why and returns NULL. */
struct xosjob_ctx *open_ctx(void);

#endif
