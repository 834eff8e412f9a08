/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XOS_JOB_VERSION_H
#define _XOS_JOB_VERSION_H

/*
 * The module's release, sent in INFO's XOS_JOB_A_MODULE_VERSION. The
 * Makefile reads it from here (libxosjob.pc, make dkms-install), and make
 * dkms-check holds dkms.conf's PACKAGE_VERSION to it.
 */
#define XOS_JOB_MODULE_VERSION "0.1.0"

#endif /* _XOS_JOB_VERSION_H */
