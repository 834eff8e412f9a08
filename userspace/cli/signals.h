/* SPDX-License-Identifier: GPL-2.0 */
/* xosjob: signals by name and number, wait statuses (signals.c). */
#ifndef XOSJOB_SIGNALS_H
#define XOSJOB_SIGNALS_H

#include <stddef.h>
#include <stdint.h>

/*
 * What a process that stands between the caller and a job's command (run's
 * supervisor, an isolated job's init and anchor) passes on to it.
 */
#define NR_FORWARDED_SIGNALS 6
extern const int forwarded_signals[NR_FORWARDED_SIGNALS];
/* A signal by number, name (TERM), SIG name or RTMIN+N; -1 if unknown. */
int parse_signal(const char *s);
/* "KILL", "RTMIN+3" or the number, in @buf. */
const char *signal_name(int sig, char *buf, size_t len);
/* A wait status: "exited 3", "killed by SIGKILL". */
const char *status_str(uint32_t status, char *buf, size_t len);

#endif
