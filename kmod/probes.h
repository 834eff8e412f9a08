/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XOS_JOB_PROBES_H
#define _XOS_JOB_PROBES_H

/**
 * xos_probe_init() - finds the sched tracepoints and registers the probes
 *
 * Exit and exec first: a task that joins through the fork probe never
 * misses its exit.
 *
 * Return: 0, -ENOENT when a tracepoint is missing, or the registration's
 * error.
 */
int xos_probe_init(void);
/**
 * xos_probe_uninit() - unregisters the probes and waits for running ones
 *
 * No probe runs or will run once it returns.
 */
void xos_probe_uninit(void);

#endif /* _XOS_JOB_PROBES_H */
