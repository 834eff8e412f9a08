/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob: shared pieces of the subcommands. Exit status: 0 success,
 * 1 operational error (EXIT_FAIL), 2 usage error (EXIT_USAGE).
 */
#ifndef XOSJOB_CLI_H
#define XOSJOB_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "xosjob.h"

#define EXIT_FAIL 1
#define EXIT_USAGE 2

struct subcommand {
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *args;	/* synopsis after the name */
	const char *help;	/* one line */
};

extern const char *prog;
extern const char *subcmd;

/* Prints "xosjob: <subcmd>: message" to stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same for operational errors; returns EXIT_FAIL. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports the kernel's answer for @ctx (extack text); returns EXIT_FAIL. */
int fail_ctx(struct xosjob_ctx *ctx);

/*
 * Ends a dump's output: closes the JSON array, reports @err or a dump the
 * kernel flagged inconsistent, closes @ctx. Returns the exit status.
 */
int end_dump(struct xosjob_ctx *ctx, bool json, int err, bool intr,
	     const char *what);
/* Opens the family; on failure prints why and returns NULL. */
struct xosjob_ctx *open_ctx(void);

/* An option of a subcommand: --name VALUE, -c VALUE, or a bare flag. */
struct option_spec {
	const char *name;
	char short_name;
	const char **value;	/* takes an argument when set */
	bool *flag;		/* a flag otherwise */
};

/*
 * Parses argv[1..] against @opts (NULL-terminated; --help and, when @json
 * is set, --json are implied). Positional arguments are moved to the front
 * of argv. With @stop_at_arg, the first positional argument ends the
 * options (run: the command's own options follow). Returns how many
 * positional arguments remain, -1 after printing help (exit 0), or -2 after
 * a usage error.
 */
int parse_opts(int argc, char *argv[], const struct option_spec *opts,
	       bool *json, bool stop_at_arg);
/* The usage line and help of the running subcommand (main.c). */
void subcommand_help(FILE *f);

/* Strict unsigned parsing: the whole string, no sign, within @max. */
bool parse_u64(const char *s, uint64_t max, uint64_t *v);
/* A job id (1..2^64-1) or a pid (1..2^22); usage error on garbage. */
bool parse_job_id(const char *s, uint64_t *id);
bool parse_pid(const char *s, uint32_t *pid);
/* A signal by number, name or SIGname; -1 if unknown. */
int parse_signal(const char *s);

void json_string(FILE *f, const char *s);
void json_job(FILE *f, const struct xosjob_job *job);
void print_job(FILE *f, const struct xosjob_job *job);
const char *flags_str(uint32_t flags, char *buf, size_t len);
const char *time_str(uint64_t realtime_ns, char *buf, size_t len);

int cmd_info(int argc, char *argv[]);
int cmd_run(int argc, char *argv[]);
int cmd_new(int argc, char *argv[]);
int cmd_list(int argc, char *argv[]);
int cmd_show(int argc, char *argv[]);
int cmd_ps(int argc, char *argv[]);
int cmd_kill(int argc, char *argv[]);
int cmd_attach(int argc, char *argv[]);
int cmd_id(int argc, char *argv[]);

#endif
