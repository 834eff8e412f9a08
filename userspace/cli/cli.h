/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob: shared pieces of the subcommands (common.c). Exit status:
 * 0 success, 1 operational error (EXIT_FAIL), 2 usage error (EXIT_USAGE).
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
	const char *alias;	/* a second name, or NULL */
	int (*run)(int argc, char *argv[]);
	const char *args;	/* synopsis after the name */
	const char *help;	/* one line */
	const char *details;	/* options and notes for --help, or NULL */
};

extern const char *prog;
extern const char *subcmd;	/* the name the user typed */
extern char **main_argv;	/* main's argv as given, NULL-terminated */

/* "xosjob: <subcmd>: message" and a hint on stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "xosjob: <subcmd>: message" on stderr; returns EXIT_FAIL. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports the last failure on @ctx (extack text), closes it: EXIT_FAIL. */
int fail_ctx(struct xosjob_ctx *ctx);
/* Opens the family; on failure prints why and returns NULL. */
struct xosjob_ctx *open_ctx(void);

/* An option of a subcommand: --name VALUE, -c VALUE, or a bare flag. */
struct option_spec {
	const char *name;
	char short_name;
	const char **value;	/* takes an argument when set */
	bool *flag;		/* a flag otherwise */
};

#define OPTS_HELP (-1)		/* --help was printed */
#define OPTS_USAGE (-2)		/* a usage error was printed */

/*
 * Parses argv[1..] against @opts (terminated by a zeroed entry; may be
 * NULL). --help is implied, and --json when @json is set. Values are given
 * as "--name V", "--name=V", "-c V" or "-cV". Positional arguments are
 * moved to the front of argv and NULL-terminated; "--" ends the options.
 * With @stop_at_arg the first positional argument ends them too (the rest
 * is a command line). Returns the number of positional arguments, or
 * OPTS_HELP / OPTS_USAGE.
 */
int parse_opts(int argc, char *argv[], const struct option_spec *opts,
	       bool *json, bool stop_at_arg);
/* The exit status for a negative parse_opts() result. */
int opts_exit(int n);
/* Usage line, help and details of the running subcommand (main.c). */
void subcommand_help(FILE *f);

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

/*
 * Text safe on a terminal: control bytes and bytes that are not UTF-8 as
 * \xNN, a backslash as \\.
 */
void print_text(FILE *f, const char *s);
/* Length of the valid UTF-8 sequence at @p (1 to 4), 0 if invalid. */
size_t utf8_len(const unsigned char *p);
/* "incomplete,killed", or "-" for none. */
const char *flags_str(uint32_t flags, char *buf, size_t len);
/* RFC 3339 local time, 2026-01-31T12:00:00+01:00. */
const char *time_str(uint64_t realtime_ns, char *buf, size_t len);
/* CLOCK_BOOTTIME ns to CLOCK_REALTIME ns, as the clocks stand now. */
uint64_t boot_to_realtime(uint64_t boottime_ns);
/* "1000 (alice)" or "1000". */
const char *user_str(uint32_t uid, char *buf, size_t len);

/* JSON objects, one key at a time; strings are escaped (any bytes). */
struct json {
	FILE *f;
	bool first;
};

void json_begin(struct json *j, FILE *f);
void json_key(struct json *j, const char *key);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, bool v);
/* @v NULL gives null. */
void json_str(struct json *j, const char *key, const char *v);
void json_end(struct json *j);
void json_string(FILE *f, const char *s);

/* Figures as a JSON object under @key of @parent, or as text lines. */
void json_stats(struct json *parent, const char *key,
		const struct xosjob_stats *st);
void print_stats(FILE *f, const char *indent, const struct xosjob_stats *st);
const char *human_ns(uint64_t ns, char *buf, size_t len);
const char *human_bytes(uint64_t b, char *buf, size_t len);

/* A wait status: "exited 3", "killed by SIGKILL". */
const char *status_str(uint32_t status, char *buf, size_t len);
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

/* new and run: create a job, print its id or exec a command in it. */
int new_job(int argc, char *argv[], bool need_cmd);

int cmd_info(int argc, char *argv[]);
int cmd_new(int argc, char *argv[]);
int cmd_run(int argc, char *argv[]);
int cmd_attach(int argc, char *argv[]);
int cmd_get(int argc, char *argv[]);
int cmd_id(int argc, char *argv[]);
int cmd_list(int argc, char *argv[]);
int cmd_tasks(int argc, char *argv[]);
int cmd_kill(int argc, char *argv[]);
int cmd_monitor(int argc, char *argv[]);
int cmd_enter(int argc, char *argv[]);
int cmd_collect(int argc, char *argv[]);
int cmd_freeze(int argc, char *argv[]);
int cmd_thaw(int argc, char *argv[]);
int cmd_checkpoint(int argc, char *argv[]);
int cmd_restore(int argc, char *argv[]);

#endif
