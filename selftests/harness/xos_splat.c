// SPDX-License-Identifier: GPL-2.0
/*
 * Only for "make check-harness": a module whose load WARNs, to prove that
 * the QEMU harness fails a run on a kernel splat. Never loaded otherwise.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>

static int __init xos_splat_init(void)
{
	WARN(1, "deliberate warning for the harness self-check\n");
	return 0;
}

static void __exit xos_splat_exit(void)
{
}

module_init(xos_splat_init);
module_exit(xos_splat_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xos_job harness self-check: WARN on load");
