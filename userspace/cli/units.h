/* SPDX-License-Identifier: GPL-2.0 */
/* xosjob: times, users, durations and sizes for people (units.c). */
#ifndef XOSJOB_UNITS_H
#define XOSJOB_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* RFC 3339 local time, 2026-01-31T12:00:00+01:00. */
const char *time_str(uint64_t realtime_ns, char *buf, size_t len);
/* CLOCK_BOOTTIME ns to CLOCK_REALTIME ns, as the clocks stand now. */
uint64_t boot_to_realtime(uint64_t boottime_ns);
/* "1000 (alice)" or "1000". */
const char *user_str(uint32_t uid, char *buf, size_t len);
/* "1.23 s", "45.6 MiB": three significant digits, the unit that fits. */
const char *human_ns(uint64_t ns, char *buf, size_t len);
const char *human_bytes(uint64_t b, char *buf, size_t len);

#endif
