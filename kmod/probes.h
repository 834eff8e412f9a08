/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XOS_JOB_PROBES_H
#define _XOS_JOB_PROBES_H

int xos_job_probes_register(void);
void xos_job_probes_unregister(void);

#endif /* _XOS_JOB_PROBES_H */
