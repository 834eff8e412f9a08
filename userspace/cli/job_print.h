/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob: a job, its figures and its limits as text lines or JSON, and
 * the dumps of list and tasks (job_print.c).
 */
#ifndef XOSJOB_JOB_PRINT_H
#define XOSJOB_JOB_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "jsonio.h"
#include "xosjob.h"

/* "incomplete,killed", or "-" for none. */
const char *flags_str(uint32_t flags, char *buf, size_t len);

/* Figures as a JSON object under @key of @parent, or as text lines. */
void json_stats(struct json *parent, const char *key,
		const struct xosjob_stats *st);
void print_stats(FILE *f, const char *indent, const struct xosjob_stats *st);
/*
 * The u64 figures of struct xosjob_stats by their JSON names (utime_ns,
 * ...): the name of figure @i, NULL past the last; its value in @st.
 */
const char *stat_name(size_t i);
uint64_t *stat_ptr(struct xosjob_stats *st, size_t i);

/* Limits that are set, as a JSON object under @key, or as lines. */
void json_limits(struct json *parent, const char *key,
		 const struct xosjob_limits *l);
void print_limits(FILE *f, const char *indent, const struct xosjob_limits *l);

/* The job object of get and list, as JSON or as "key: value" lines. */
void json_job(FILE *f, const struct xosjob_job *job);
void print_job(FILE *f, const struct xosjob_job *job);

/*
 * Dumps (list, tasks): the first element opens the JSON array or prints
 * the table header. dump_end() closes the array, reports @err or a dump
 * the kernel flagged inconsistent, closes @ctx and gives the exit status.
 */
struct dump_out {
	bool json;
	unsigned long n;	/* elements so far */
};

/* Before element n: "[" or "," for JSON; true if a header is due. */
bool dump_next(struct dump_out *d);
int dump_end(struct xosjob_ctx *ctx, struct dump_out *d, int err,
	     bool interrupted, const char *what);

#endif
