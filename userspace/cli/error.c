// SPDX-License-Identifier: GPL-2.0
/* xosjob: messages on stderr and the exit status they stand for. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"

static void vreport(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	if (subcmd)
		fprintf(stderr, "%s: ", subcmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	if (subcmd)
		fprintf(stderr, "Try '%s %s --help'.\n", prog, subcmd);
	else
		fprintf(stderr, "Try '%s --help'.\n", prog);
	return EXIT_USAGE;
}

int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

const char *ctx_error(const struct xosjob_ctx *ctx)
{
	static char buf[640];
	const char *name = strerrorname_np(xosjob_errno(ctx));

	if (!xosjob_kernel_error(ctx))
		return xosjob_strerror(ctx);
	snprintf(buf, sizeof(buf), "kernel reports: %s (%s)",
		 xosjob_strerror(ctx), name ?: "unknown errno");
	return buf;
}

int fail_ctx(struct xosjob_ctx *ctx)
{
	fail("%s", ctx_error(ctx));
	xosjob_close(ctx);
	return EXIT_FAIL;
}

struct xosjob_ctx *open_ctx(void)
{
	struct xosjob_ctx *ctx;
	int err = xosjob_open(&ctx);

	if (err == -ENOENT)
		fail("%s", xosjob_strerror(NULL));
	else if (err)
		fail("cannot open a generic netlink socket: %s",
		     strerror(-err));
	return err ? NULL : ctx;
}
