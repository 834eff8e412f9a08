// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob checkpoint / restore: DIR/xosjob.json, what xos_job knew of the
 * job at the dump, written and read with json-c. A label is any bytes but
 * NUL: json-c writes those that are not ASCII as they are and reads them
 * back the same, control bytes as \u00XX.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"
#include "cli.h"

/* The u64 limits of struct xosjob_limits, by JSON name. */
#define LIM(f) { #f, offsetof(struct xosjob_limits, f) }
static const struct {
	const char *name;
	size_t off;
} meta_limits[] = {
	LIM(cpu_time_ns), LIM(time_ns), LIM(grace_ns), LIM(memory_max),
	LIM(memory_high), LIM(swap_max), LIM(pids_max), LIM(cpu_quota_us),
	LIM(cpu_period_us), LIM(cpu_weight), LIM(io_weight),
};

#define NR(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t *limit_ptr(struct xosjob_limits *l, size_t i)
{
	return (uint64_t *)((char *)l + meta_limits[i].off);
}

static void put(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static void delay_names(size_t i, char *ns, char *count, size_t len)
{
	snprintf(ns, len, "%s_delay_ns", xosjob_delay_name(i));
	snprintf(count, len, "%s_delay_count", xosjob_delay_name(i));
}

static struct json_object *meta_json(const struct ckpt_meta *m)
{
	struct json_object *o = json_object_new_object(), *l, *s;
	struct xosjob_stats st = m->stats;
	struct xosjob_limits lim = m->limits;
	char ns[64], count[64];
	const char *name;
	size_t i;

	put(o, "format", json_object_new_string(CKPT_FORMAT));
	put(o, "version", json_object_new_uint64(CKPT_VERSION));
	put(o, "job_id", json_object_new_uint64(m->job_id));
	put(o, "label", m->has_label ? json_object_new_string(m->label) : NULL);
	put(o, "owner_uid", json_object_new_uint64(m->owner_uid));
	put(o, "shell_job", json_object_new_boolean(m->shell_job));
	if (m->has_limits) {
		l = json_object_new_object();
		for (i = 0; i < NR(meta_limits); i++)
			put(l, meta_limits[i].name, json_object_new_uint64(*limit_ptr(&lim, i)));
		put(l, "has_grace", json_object_new_boolean(lim.has_grace));
		put(l, "has_swap_max", json_object_new_boolean(lim.has_swap_max));
		put(l, "cpus", json_object_new_string(lim.cpus));
		put(l, "mems", json_object_new_string(lim.mems));
		put(o, "limits", l);
	} else {
		put(o, "limits", NULL);
	}
	s = json_object_new_object();
	for (i = 0; (name = stat_name(i)); i++)
		put(s, name, json_object_new_uint64(*stat_ptr(&st, i)));
	for (i = 0; i < XOSJOB_NR_DELAYS; i++) {
		if (!st.has_delay[i])
			continue;
		delay_names(i, ns, count, sizeof(ns));
		put(s, ns, json_object_new_uint64(st.delay_ns[i]));
		put(s, count, json_object_new_uint64(st.delay_count[i]));
	}
	put(o, "stats", s);
	return o;
}

int ckpt_meta_write(const char *path, const struct ckpt_meta *m)
{
	struct json_object *o = meta_json(m);
	const char *text = json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(text);
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd))
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
out:
	json_object_put(o);
	return err;
}

/* A string member into @buf, false if it is not a string or too long. */
static bool get_string(struct json_object *o, const char *key, char *buf,
		       size_t size)
{
	struct json_object *v;
	int len;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return false;
	len = json_object_get_string_len(v);
	if ((size_t)len >= size || memchr(json_object_get_string(v), 0, len))
		return false;
	memcpy(buf, json_object_get_string(v), len + 1);
	return true;
}

static bool get_bool(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
	       json_object_get_boolean(v);
}

/* Member @key of @o; NULL when it is missing or null. */
static struct json_object *get_member(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *read_limits(struct json_object *l, struct xosjob_limits *lim)
{
	size_t i;

	if (!json_object_is_type(l, json_type_object))
		return "the limits are not an object";
	for (i = 0; i < NR(meta_limits); i++)
		if (get_member(l, meta_limits[i].name) &&
		    !json_u64_member(l, meta_limits[i].name, limit_ptr(lim, i)))
			return "a limit is not a number";
	lim->has_grace = get_bool(l, "has_grace");
	lim->has_swap_max = get_bool(l, "has_swap_max");
	if ((get_member(l, "cpus") &&
	     !get_string(l, "cpus", lim->cpus, sizeof(lim->cpus))) ||
	    (get_member(l, "mems") &&
	     !get_string(l, "mems", lim->mems, sizeof(lim->mems))))
		return "cpus or mems is not a string of a cpuset";
	return NULL;
}

static const char *read_stats(struct json_object *s, struct xosjob_stats *st)
{
	char ns[64], count[64];
	const char *name;
	size_t i;

	if (!json_object_is_type(s, json_type_object))
		return "the figures are not an object";
	for (i = 0; (name = stat_name(i)); i++)
		if (get_member(s, name) &&
		    !json_u64_member(s, name, stat_ptr(st, i)))
			return "a figure is not a number";
	for (i = 0; i < XOSJOB_NR_DELAYS; i++) {
		delay_names(i, ns, count, sizeof(ns));
		/* a delay not counted at the dump is absent (or null) */
		st->has_delay[i] = json_u64_member(s, ns, &st->delay_ns[i]);
		if (st->has_delay[i])
			json_u64_member(s, count, &st->delay_count[i]);
	}
	return NULL;
}

static const char *read_meta(struct json_object *o, struct ckpt_meta *m)
{
	struct json_object *v;
	char format[64];
	uint64_t n;

	if (!json_object_is_type(o, json_type_object))
		return "not a JSON object";
	if (!get_string(o, "format", format, sizeof(format)) ||
	    !json_u64_member(o, "job_id", &m->job_id) ||
	    !json_u64_member(o, "owner_uid", &n) ||
	    !json_object_object_get_ex(o, "stats", &v))
		return "the format, job id, owner or figures are missing";
	if (strcmp(format, CKPT_FORMAT))
		return "not an xosjob checkpoint (format)";
	if (get_member(o, "version") &&
	    (!json_u64_member(o, "version", &n) || n != CKPT_VERSION))
		return "a version this xosjob does not know";
	if (!m->job_id)
		return "job id 0";
	json_u64_member(o, "owner_uid", &n);
	if (n > UINT32_MAX - 1)
		return "an owner uid out of range";
	m->owner_uid = n;
	m->shell_job = get_bool(o, "shell_job");
	if (get_member(o, "label")) {
		m->has_label = true;
		if (!get_string(o, "label", m->label, sizeof(m->label)))
			return "the label is not a string of at most 255 bytes";
		if (!m->label[0])
			return "an empty label";
	}
	v = get_member(o, "limits");
	if (v) {
		const char *why = read_limits(v, &m->limits);

		if (why)
			return why;
		m->has_limits = true;
	}
	return read_stats(get_member(o, "stats"), &m->stats);
}

int ckpt_meta_read(const char *path, struct ckpt_meta *m, char *why,
		   size_t len)
{
	enum json_tokener_error jerr;
	struct json_tokener *tok;
	struct json_object *o;
	const char *bad;
	char *buf;
	ssize_t got;
	size_t size = 0;
	int fd;

	memset(m, 0, sizeof(*m));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return -errno;
	}
	buf = malloc(65536);
	if (!buf) {
		close(fd);
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	while (size < 65535 &&
	       (got = read(fd, buf + size, 65535 - size)) > 0)
		size += got;
	close(fd);
	buf[size] = 0;
	if (strlen(buf) != size) {
		free(buf);
		snprintf(why, len, "it holds a NUL byte");
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok) {
		free(buf);
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	o = json_tokener_parse_ex(tok, buf, size);
	jerr = json_tokener_get_error(tok);
	if (!o || jerr != json_tokener_success)
		bad = jerr == json_tokener_continue ? "the JSON text ends early" :
		      json_tokener_error_desc(jerr);
	else if (buf[json_tokener_get_parse_end(tok) +
		     strspn(buf + json_tokener_get_parse_end(tok), " \t\r\n")])
		bad = "text after the object";
	else
		bad = read_meta(o, m);
	json_object_put(o);
	json_tokener_free(tok);
	free(buf);
	if (bad) {
		snprintf(why, len, "%s", bad);
		return -EINVAL;
	}
	return 0;
}
