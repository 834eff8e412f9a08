/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob: numbers from the command line (numbers.c). A bad one is a
 * usage error, printed by the parser unless it says otherwise.
 */
#ifndef XOSJOB_NUMBERS_H
#define XOSJOB_NUMBERS_H

#include <stdbool.h>
#include <stdint.h>

/* Strict unsigned parsing: the whole string, digits only, at most @max. */
bool parse_u64(const char *s, uint64_t max, uint64_t *v);
/* Usage error (false) unless @s is a job id, a pid, a uid or user name. */
bool parse_job_id(const char *s, uint64_t *id);
/*
 * The one positional argument of a command that takes a job id (@n of
 * them in argv): 0, or the usage error printed (@none when there is
 * none) and EXIT_USAGE.
 */
int parse_one_job(int n, char *argv[], const char *none, uint64_t *id);
bool parse_pid(const char *s, uint32_t *pid);
bool parse_uid(const char *s, uint32_t *uid);
/*
 * A duration for option --@opt: "90" (seconds), "1.5s", "500ms", "2m30s",
 * units ns us ms s m h d; at most 2^62 ns. Prints the usage error.
 */
bool parse_duration(const char *opt, const char *s, bool zero_ok,
		    uint64_t *ns);

#endif
