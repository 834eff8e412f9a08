/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xosjob: JSON output (jsonio.c), written as it goes so that a dump of any
 * size streams. Strings are escaped whatever their bytes: a byte that is
 * not UTF-8 becomes \u00XX. Reading JSON back (collect, restore) is
 * json-c's.
 */
#ifndef XOSJOB_JSONIO_H
#define XOSJOB_JSONIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

/* JSON objects, one key at a time. */
struct json {
	FILE *f;
	bool first;
};

void json_begin(struct json *j, FILE *f);
void json_key(struct json *j, const char *key);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_boolean(struct json *j, const char *key, bool v);
/* @v NULL gives null. */
void json_str(struct json *j, const char *key, const char *v);
void json_end(struct json *j);
void json_string(FILE *f, const char *s);

/*
 * Member @key of object @o (json-c) as an unsigned integer: false when it
 * is missing, not an integer or negative.
 */
bool json_u64_member(struct json_object *o, const char *key, uint64_t *v);

#endif
