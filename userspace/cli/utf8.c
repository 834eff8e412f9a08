// SPDX-License-Identifier: GPL-2.0
/* xosjob: UTF-8, and text made safe for a terminal. */
#include "cli.h"

size_t utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if (*p == 0xe0)
		lo = 0xa0;
	else if (*p == 0xed)
		hi = 0x9f;
	else if (*p == 0xf0)
		lo = 0x90;
	else if (*p == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

void print_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		/* C0 and C1 controls, DEL and broken UTF-8 are escaped */
		if (!n || *p < 0x20 || *p == 0x7f ||
		    (*p == 0xc2 && p[1] < 0xa0)) {
			fprintf(f, "\\x%02x", *p++);
			continue;
		}
		if (*p == '\\') {
			fputs("\\\\", f);
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
}
