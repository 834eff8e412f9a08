/* SPDX-License-Identifier: GPL-2.0 */
/* xosjob: UTF-8, and text made safe for a terminal (utf8.c). */
#ifndef XOSJOB_UTF8_H
#define XOSJOB_UTF8_H

#include <stddef.h>
#include <stdio.h>

/*
 * Text safe on a terminal: control bytes and bytes that are not UTF-8 as
 * \xNN, a backslash as \\.
 */
void print_text(FILE *f, const char *s);
/* Length of the valid UTF-8 sequence at @p (1 to 4), 0 if invalid. */
size_t utf8_len(const unsigned char *p);

#endif
