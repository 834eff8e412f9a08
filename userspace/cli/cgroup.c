// SPDX-License-Identifier: GPL-2.0
/*
 * xosjob: cgroup v2 limits for run and new, and the freezer for freeze
 * and thaw. Everything goes through cgroupfs, so that delegation and file
 * permissions apply to unprivileged owners exactly as they would to any
 * program (see systemd's "Control Group APIs and Delegation": never make
 * cgroups in systemd's tree outside a Delegate=yes unit).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cli.h"

#define DEFAULT_PARENT "/xos_job"
#define MAX_CPUS 8192

/* --- small file helpers -------------------------------------------------- */

/* One write() of @val: 0 or -errno. */
static int write_file(const char *path, const char *val)
{
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

/* The file's text (NUL-terminated, at most @len - 1 bytes): length or -errno. */
static ssize_t read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = 0;
	return n;
}

/* Is @word one of the space-separated words of @list? */
static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || isspace((unsigned char)p[-1])) &&
		    (!p[len] || isspace((unsigned char)p[len])))
			return true;
		p += len;
	}
	return false;
}

/* The value after "@key " in a flat keyed file (cgroup.events), or -1. */
static long long keyed_value(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, len) && p[len] == ' ')
			return strtoll(p + len + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

const char *cg_mount(void)
{
	static char mnt[4096];
	char line[8192];
	FILE *f;

	if (mnt[0])
		return mnt;
	strcpy(mnt, "/sys/fs/cgroup");
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return mnt;
	while (fgets(line, sizeof(line), f)) {
		char root[4096], point[4096], *sep = strstr(line, " - ");

		/* id parent maj:min root mountpoint ... - fstype source */
		if (!sep || strncmp(sep, " - cgroup2 ", 11) ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2)
			continue;
		if (!strcmp(root, "/")) {
			snprintf(mnt, sizeof(mnt), "%s", point);
			break;
		}
	}
	fclose(f);
	return mnt;
}

bool cg_of_pid(pid_t pid, char *buf, size_t len)
{
	char path[64], line[4096 + 8];
	bool found = false;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/cgroup");
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "0::", 3);
	fclose(f);
	if (!found)
		return false;
	line[strcspn(line, "\n")] = 0;
	snprintf(buf, len, "%s", line + 3);
	return true;
}

/* --- parsing (usage errors) --------------------------------------------- */

static bool negative(const char *opt, const char *s)
{
	if (s[0] != '-')
		return false;
	usage_error("--%s %s: a limit cannot be negative", opt, s);
	return true;
}

static bool zero(const char *opt, const char *s, uint64_t v)
{
	if (v)
		return false;
	usage_error("--%s %s: a limit must be above zero (leave the option out for none)",
		    opt, s);
	return true;
}

/*
 * SIZE: bytes with an optional K, M, G or T (powers of 1024), or max; 0
 * only if @zero_ok.
 */
static bool parse_size(const char *opt, const char *s, bool zero_ok,
		       uint64_t *v)
{
	unsigned long long x;
	unsigned int shift = 0;
	char *end;

	if (!strcmp(s, "max")) {
		*v = CG_MAX;
		return true;
	}
	if (negative(opt, s))
		return false;
	if (!isdigit((unsigned char)s[0])) {
		usage_error("--%s %s: not a size (bytes with an optional K, M, G or T suffix, or max)",
			    opt, s);
		return false;
	}
	errno = 0;
	x = strtoull(s, &end, 10);
	if (*end) {
		const char *units = "KMGT", *u;

		u = end[1] ? NULL : strchr(units, toupper((unsigned char)*end));
		if (!u) {
			usage_error("--%s %s: unknown unit '%s' (K, M, G or T, powers of 1024; or max)",
				    opt, s, end);
			return false;
		}
		shift = 10 * (unsigned int)(u - units + 1);
	}
	if (errno || x > (UINT64_MAX >> 1) >> shift) {
		usage_error("--%s %s: too large", opt, s);
		return false;
	}
	*v = (uint64_t)x << shift;
	if (*v > 1ULL << 62) {
		usage_error("--%s %s: too large (at most 4 EiB, or max)", opt, s);
		return false;
	}
	return zero_ok || !zero(opt, s, *v);
}

static bool parse_range(const char *opt, const char *s, uint64_t min,
			uint64_t max, uint64_t *v)
{
	if (negative(opt, s))
		return false;
	if (!parse_u64(s, UINT64_MAX, v)) {
		usage_error("--%s %s: not a number", opt, s);
		return false;
	}
	if (zero(opt, s, *v))
		return false;
	if (*v < min || *v > max) {
		usage_error("--%s %s: out of range (%" PRIu64 " to %" PRIu64 ")",
			    opt, s, min, max);
		return false;
	}
	return true;
}

/* PCT: "150%" (or "150", "12.5%") of one CPU -> cpu.max quota in us. */
static bool parse_cpu_max(const char *s, uint64_t *quota_us)
{
	unsigned long long whole = 0, frac = 0;
	int digits = 0;
	const char *p = s;

	if (negative("cpu-max", s))
		return false;
	if (!isdigit((unsigned char)*p))
		goto bad;
	while (isdigit((unsigned char)*p)) {
		whole = whole * 10 + (*p++ - '0');
		if (whole > 100000000)
			goto big;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++)
			if (++digits <= 3)
				frac = frac * 10 + (*p - '0');
		if (!digits)
			goto bad;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*p == '%')
		p++;
	if (*p) {
		usage_error("--cpu-max %s: unknown unit '%s' (a percentage of one CPU, as 150%%)",
			    s, p);
		return false;
	}
	/* 1% of one CPU is 1000 us per 100000 us period */
	*quota_us = whole * 1000 + frac;
	if (zero("cpu-max", s, *quota_us))
		return false;
	if (*quota_us < 1000) {
		usage_error("--cpu-max %s: below 1%% (the kernel's least quota is 1 ms per 100 ms period)",
			    s);
		return false;
	}
	return true;
bad:
	usage_error("--cpu-max %s: not a percentage (as 50%% or 150%%)", s);
	return false;
big:
	usage_error("--cpu-max %s: too large", s);
	return false;
}

/* A cpuset list "0-3,5": syntax only. */
static bool parse_list(const char *opt, const char *s, char *out, size_t len)
{
	const char *p = s;

	if (negative(opt, s))
		return false;
	if (strlen(s) >= len) {
		usage_error("--%s: list longer than %zu bytes", opt, len - 1);
		return false;
	}
	for (;;) {
		unsigned long a, b;
		char *end;

		if (!isdigit((unsigned char)*p))
			goto bad;
		a = b = strtoul(p, &end, 10);
		p = end;
		if (*p == '-') {
			if (!isdigit((unsigned char)p[1]))
				goto bad;
			b = strtoul(p + 1, &end, 10);
			p = end;
		}
		if (a > b || b >= MAX_CPUS)
			goto bad;
		if (!*p)
			break;
		if (*p++ != ',')
			goto bad;
	}
	snprintf(out, len, "%s", s);
	return true;
bad:
	usage_error("--%s %s: not a list of numbers and ranges (as 0-3,5)",
		    opt, s);
	return false;
}

/* "MAJ:MIN rbps=N wbps=N riops=N wiops=N" (any of the four, at least one). */
static bool parse_io_max(const char *s, char *out, size_t len)
{
	static const char *const keys[] = { "rbps", "wbps", "riops", "wiops" };
	unsigned int maj, min;
	char *copy, *tok, *save = NULL;
	size_t n;
	int pos, nkeys = 0;
	bool ok = true;

	if (sscanf(s, "%u:%u%n", &maj, &min, &pos) != 2 ||
	    (s[pos] && s[pos] != ' ')) {
		usage_error("--io-max '%s': begins with the device's MAJ:MIN (as 8:0)",
			    s);
		return false;
	}
	n = snprintf(out, len, "%u:%u", maj, min);
	copy = strdup(s + pos);
	if (!copy)
		return false;
	for (tok = strtok_r(copy, " ", &save); ok && tok;
	     tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		uint64_t v = 0;
		size_t k;

		for (k = 0; eq && k < 4; k++)
			if ((size_t)(eq - tok) == strlen(keys[k]) &&
			    !strncmp(tok, keys[k], eq - tok))
				break;
		if (!eq || k == 4) {
			usage_error("--io-max '%s': '%s' is not KEY=VALUE with KEY rbps, wbps, riops or wiops",
				    s, tok);
			ok = false;
		} else if (strcmp(eq + 1, "max") &&
			   !(k < 2 ? parse_size("io-max", eq + 1, false, &v) :
			     parse_range("io-max", eq + 1, 1, UINT64_MAX / 2, &v))) {
			ok = false;
		} else {
			if (!strcmp(eq + 1, "max"))
				n += snprintf(out + n, len > n ? len - n : 0,
					      " %s=max", keys[k]);
			else
				n += snprintf(out + n, len > n ? len - n : 0,
					      " %s=%" PRIu64, keys[k], v);
			nkeys++;
		}
	}
	free(copy);
	if (ok && !nkeys) {
		usage_error("--io-max '%s': no limit given (rbps=, wbps=, riops=, wiops=)",
			    s);
		ok = false;
	}
	if (ok && n >= len) {
		usage_error("--io-max '%s': too long", s);
		ok = false;
	}
	return ok;
}

/* "/a/b" from "a/b", "/a/b/" or "/a/b"; no "." or ".." component. */
static bool normalize_parent(const char *what, const char *s, char *out,
			     size_t len)
{
	char *copy, *tok, *save = NULL;
	size_t n = 0;
	bool ok = true;

	copy = strdup(s);
	if (!copy)
		return false;
	out[0] = 0;
	for (tok = strtok_r(copy, "/", &save); ok && tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, ".") || !strcmp(tok, "..")) {
			usage_error("%s '%s': no '.' or '..' in a cgroup path",
				    what, s);
			ok = false;
		}
		n += snprintf(out + n, len > n ? len - n : 0, "/%s", tok);
	}
	free(copy);
	if (ok && n >= len - 64) {
		usage_error("%s '%s': path too long", what, s);
		ok = false;
	}
	if (ok && !n)
		snprintf(out, len, "/");
	return ok;
}

/* $XOSJOB_CGROUP_PARENT for a wanted cgroup without --cgroup-parent */
static int default_parent(struct cg_job *cg)
{
	const char *env = getenv("XOSJOB_CGROUP_PARENT");

	if (cg->wanted && env && *env &&
	    !normalize_parent("XOSJOB_CGROUP_PARENT", env, cg->parent,
			      sizeof(cg->parent)))
		return EXIT_USAGE;
	return 0;
}

int cg_parse(const struct cg_args *a, struct cg_job *cg)
{
	struct xosjob_limits *l = &cg->limits;

	memset(cg, 0, sizeof(*cg));
	if ((a->memory_max && !parse_size("memory-max", a->memory_max, false,
					  &cg->memory_max)) ||
	    (a->memory_high && !parse_size("memory-high", a->memory_high,
					   false, &cg->memory_high)) ||
	    (a->swap_max && !parse_size("swap-max", a->swap_max, true,
					&cg->swap_max)) ||
	    (a->pids_max && !parse_range("pids-max", a->pids_max, 1,
					 INT32_MAX, &l->pids_max)) ||
	    (a->cpu_max && !parse_cpu_max(a->cpu_max, &l->cpu_quota_us)) ||
	    (a->cpu_weight && !parse_range("cpu-weight", a->cpu_weight, 1,
					   10000, &l->cpu_weight)) ||
	    (a->cpus && !parse_list("cpus", a->cpus, l->cpus,
				    sizeof(l->cpus))) ||
	    (a->mems && !parse_list("mems", a->mems, l->mems,
				    sizeof(l->mems))) ||
	    (a->io_weight && !parse_range("io-weight", a->io_weight, 1,
					  10000, &l->io_weight)) ||
	    (a->io_max && !parse_io_max(a->io_max, cg->io_max,
					sizeof(cg->io_max))))
		return EXIT_USAGE;
	if (l->cpu_quota_us)
		l->cpu_period_us = 100000;
	cg->swap_set = a->swap_max;
	l->memory_max = cg->memory_max == CG_MAX ? 0 : cg->memory_max;
	l->memory_high = cg->memory_high == CG_MAX ? 0 : cg->memory_high;
	l->has_swap_max = cg->swap_set && cg->swap_max != CG_MAX;
	l->swap_max = l->has_swap_max ? cg->swap_max : 0;
	if (a->parent && !normalize_parent("--cgroup-parent", a->parent,
					   cg->parent, sizeof(cg->parent)))
		return EXIT_USAGE;
	cg->wanted = a->parent || a->memory_max || a->memory_high ||
		     a->swap_max || a->pids_max || a->cpu_max ||
		     a->cpu_weight || a->cpus || a->mems || a->io_weight ||
		     a->io_max;
	return a->parent ? 0 : default_parent(cg);
}

int cg_from_limits(const struct xosjob_limits *l, struct cg_job *cg)
{
	struct xosjob_limits *c = &cg->limits;

	memset(cg, 0, sizeof(*cg));
	c->memory_max = cg->memory_max = l->memory_max;
	c->memory_high = cg->memory_high = l->memory_high;
	c->has_swap_max = cg->swap_set = l->has_swap_max;
	c->swap_max = cg->swap_max = l->has_swap_max ? l->swap_max : 0;
	c->pids_max = l->pids_max;
	c->cpu_quota_us = l->cpu_quota_us;
	c->cpu_period_us = l->cpu_quota_us ? l->cpu_period_us ?: 100000 : 0;
	c->cpu_weight = l->cpu_weight;
	c->io_weight = l->io_weight;
	memcpy(c->cpus, l->cpus, sizeof(c->cpus));
	memcpy(c->mems, l->mems, sizeof(c->mems));
	cg->wanted = c->memory_max || c->memory_high || c->has_swap_max ||
		     c->pids_max || c->cpu_quota_us || c->cpu_weight ||
		     c->io_weight || c->cpus[0] || c->mems[0];
	return default_parent(cg);
}

/* --- checks against the parent and the machine (operational) ------------ */

struct controller_need {
	const char *name;
	bool needed;
	const char *why;	/* the first option needing it */
};

/* Bitmap of a cpuset list; false if it does not parse. */
static bool list_bits(const char *s, unsigned char *bits)
{
	const char *p = s;

	memset(bits, 0, MAX_CPUS / 8);
	while (*p && *p != '\n') {
		unsigned long a, b;
		char *end;

		a = b = strtoul(p, &end, 10);
		if (end == p)
			return false;
		p = end;
		if (*p == '-') {
			b = strtoul(p + 1, &end, 10);
			p = end;
		}
		for (; a <= b && a < MAX_CPUS; a++)
			bits[a / 8] |= 1 << (a % 8);
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return false;
	}
	return true;
}

static unsigned int count_bits(const unsigned char *bits)
{
	unsigned int i, n = 0;

	for (i = 0; i < MAX_CPUS; i++)
		n += bits[i / 8] >> (i % 8) & 1;
	return n;
}

/* 0, or the message printed and EXIT_FAIL */
static int check_subset(const struct cg_job *cg, const char *dir,
			const char *opt, const char *want, const char *file)
{
	static unsigned char have[MAX_CPUS / 8], asked[MAX_CPUS / 8];
	char path[4096 + 128], buf[4096];
	unsigned int i;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (read_file(path, buf, sizeof(buf)) < 0 || !list_bits(buf, have))
		return fail("cannot read %s: %s", path, strerror(errno));
	list_bits(want, asked);
	for (i = 0; i < MAX_CPUS; i++)
		if ((asked[i / 8] >> (i % 8) & 1) && !(have[i / 8] >> (i % 8) & 1))
			return fail("--%s %s: %u is not in the parent cgroup %s's %s (%s)",
				    opt, want, i, cg->parent, file,
				    strtok(buf, "\n") ?: "empty");
	return 0;
}

static uint64_t meminfo_kb(const char *key)
{
	char line[256];
	unsigned long long v = 0;
	size_t len = strlen(key);
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			sscanf(line + len + 1, "%llu", &v);
			break;
		}
	fclose(f);
	return v;
}

static int check_machine(const struct cg_job *cg, const char *dir)
{
	const struct xosjob_limits *l = &cg->limits;
	uint64_t ram = meminfo_kb("MemTotal") << 10;
	uint64_t swap = meminfo_kb("SwapTotal") << 10;
	static unsigned char bits[MAX_CPUS / 8];
	char path[4096 + 128], buf[4096], h1[32], h2[32];
	unsigned long ncpus;
	uint64_t pid_max;

	if (l->memory_max > ram + swap)
		return fail("--memory-max %s: above the machine's memory and swap (%s)",
			    human_bytes(l->memory_max, h1, sizeof(h1)),
			    human_bytes(ram + swap, h2, sizeof(h2)));
	if (l->memory_high > ram + swap)
		return fail("--memory-high %s: above the machine's memory and swap (%s)",
			    human_bytes(l->memory_high, h1, sizeof(h1)),
			    human_bytes(ram + swap, h2, sizeof(h2)));
	if (l->swap_max > swap)
		return fail("--swap-max %s: above the machine's swap (%s)",
			    human_bytes(l->swap_max, h1, sizeof(h1)),
			    human_bytes(swap, h2, sizeof(h2)));
	if (l->pids_max) {
		if (read_file("/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0 &&
		    parse_u64(strtok(buf, "\n") ?: "", UINT64_MAX, &pid_max) &&
		    l->pids_max > pid_max)
			return fail("--pids-max %" PRIu64 ": above kernel.pid_max (%" PRIu64 ")",
				    l->pids_max, pid_max);
	}
	if (l->cpu_quota_us) {
		/* the CPUs the job may use: the parent's, else the online ones */
		snprintf(path, sizeof(path), "%s/cpuset.cpus.effective", dir);
		if (read_file(path, buf, sizeof(buf)) > 0 &&
		    list_bits(buf, bits) && count_bits(bits))
			ncpus = count_bits(bits);
		else
			ncpus = sysconf(_SC_NPROCESSORS_ONLN);
		if (l->cpu_quota_us > ncpus * 100000)
			return fail("--cpu-max %" PRIu64 ".%03" PRIu64 "%%: above the machine (%lu CPUs: at most %lu%%)",
				    l->cpu_quota_us / 1000,
				    l->cpu_quota_us % 1000, ncpus,
				    ncpus * 100);
	}
	if (l->cpus[0] && check_subset(cg, dir, "cpus", l->cpus,
				       "cpuset.cpus.effective"))
		return EXIT_FAIL;
	if (l->mems[0] && check_subset(cg, dir, "mems", l->mems,
				       "cpuset.mems.effective"))
		return EXIT_FAIL;
	if (cg->io_max[0]) {
		unsigned int maj, min;

		sscanf(cg->io_max, "%u:%u", &maj, &min);
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", maj, min);
		if (access(path, F_OK))
			return fail("--io-max: no block device %u:%u here (%s is missing); io.max limits block devices only (see lsblk or /sys/dev/block)",
				    maj, min, path);
	}
	return 0;
}

/* The parent's directory writable: the subtree is delegated to us. */
static int check_delegated(const struct cg_job *cg, const char *dir)
{
	static const char *const files[] = {
		"cgroup.procs", "", "cgroup.subtree_control",
	};
	char path[4096 + 128];
	size_t i;

	if (!geteuid())
		return 0;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s%s%s", dir,
			 files[i][0] ? "/" : "", files[i]);
		if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS))
			return fail("cgroup %s is not delegated to uid %u: %s is not writable (a parent cgroup whose directory, cgroup.procs and cgroup.subtree_control you own is needed: --cgroup-parent or XOSJOB_CGROUP_PARENT)",
				    cg->parent, geteuid(), path);
	}
	return 0;
}

static void needed_controllers(const struct cg_job *cg,
			       struct controller_need *need)
{
	const struct xosjob_limits *l = &cg->limits;

	need[0] = (struct controller_need){ "memory", false, NULL };
	need[1] = (struct controller_need){ "pids", false, NULL };
	need[2] = (struct controller_need){ "cpu", false, NULL };
	need[3] = (struct controller_need){ "cpuset", false, NULL };
	need[4] = (struct controller_need){ "io", false, NULL };
	need[5] = (struct controller_need){ NULL, false, NULL };
#define NEED(i, cond, opt) \
	do { if ((cond) && !need[i].needed) { need[i].needed = true; need[i].why = opt; } } while (0)
	NEED(0, cg->memory_max, "--memory-max");
	NEED(0, cg->memory_high, "--memory-high");
	NEED(0, cg->swap_set, "--swap-max");
	NEED(1, l->pids_max, "--pids-max");
	NEED(2, l->cpu_quota_us, "--cpu-max");
	NEED(2, l->cpu_weight, "--cpu-weight");
	NEED(3, l->cpus[0], "--cpus");
	NEED(3, l->mems[0], "--mems");
	NEED(4, l->io_weight, "--io-weight");
	NEED(4, cg->io_max[0], "--io-max");
#undef NEED
}

/* Enables @c in the subtree_control of @dir (relative @rel) if missing. */
static int enable_controller(const char *dir, const char *rel, const char *c)
{
	char path[4096 + 128], buf[1024], word[32];
	int err;

	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if (read_file(path, buf, sizeof(buf)) >= 0 && has_word(buf, c))
		return 0;
	snprintf(word, sizeof(word), "+%s", c);
	err = write_file(path, word);
	if (err)
		return fail("cannot enable the %s controller for %s: writing %s to %s: %s",
			    c, rel, word, path, strerror(-err));
	return 0;
}

/* The default parent, /xos_job: made on demand, controllers enabled. */
static int make_default_parent(const struct controller_need *need,
			       const char *dir)
{
	const char *mnt = cg_mount();
	int i;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return fail("cannot create the default cgroup parent %s (%s): %s%s",
			    DEFAULT_PARENT, dir, strerror(errno),
			    errno == EACCES ?
			    " (give --cgroup-parent, or set XOSJOB_CGROUP_PARENT, to a cgroup delegated to you)" : "");
	if (geteuid())
		return 0;	/* the checks below say what is missing */
	for (i = 0; need[i].name; i++)
		if (need[i].needed &&
		    (enable_controller(mnt, "/", need[i].name) ||
		     enable_controller(dir, DEFAULT_PARENT, need[i].name)))
			return EXIT_FAIL;
	return 0;
}

static int check_controllers(const struct cg_job *cg, const char *dir,
			     const struct controller_need *need)
{
	char path[4096 + 128], enabled[1024], avail[1024];
	int i;

	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if (read_file(path, enabled, sizeof(enabled)) < 0)
		return fail("cannot read %s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	if (read_file(path, avail, sizeof(avail)) < 0)
		return fail("cannot read %s: %s", path, strerror(errno));
	for (i = 0; need[i].name; i++) {
		if (!need[i].needed || has_word(enabled, need[i].name))
			continue;
		if (!has_word(avail, need[i].name))
			return fail("%s needs the %s controller, which the parent cgroup %s does not have (not in %s/cgroup.controllers): enable it in its parent's cgroup.subtree_control first",
				    need[i].why, need[i].name, cg->parent,
				    dir);
		return fail("%s needs the %s controller, which is not enabled in the parent cgroup %s: write +%s to %s/cgroup.subtree_control",
			    need[i].why, need[i].name, cg->parent,
			    need[i].name, dir);
	}
	return 0;
}

/* --- the job's cgroup ----------------------------------------------------- */

static int write_limit(struct cg_job *cg, const char *file, const char *val)
{
	char path[4096 + 192];
	int err;

	snprintf(path, sizeof(path), "%s/%s", cg->path, file);
	err = write_file(path, val);
	if (err == -ENOENT)
		return fail("the kernel offers no %s in cgroup %s (%s)", file,
			    cg->rel, path);
	if (err)
		return fail("cannot write '%s' to %s: %s", val, path,
			    strerror(-err));
	return 0;
}

static const char *size_val(uint64_t v, char *buf, size_t len)
{
	if (v == CG_MAX)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

static int write_limits(struct cg_job *cg)
{
	const struct xosjob_limits *l = &cg->limits;
	char v[64];

	if (l->cpus[0] && write_limit(cg, "cpuset.cpus", l->cpus))
		return EXIT_FAIL;
	if (l->mems[0] && write_limit(cg, "cpuset.mems", l->mems))
		return EXIT_FAIL;
	if (cg->memory_high &&
	    write_limit(cg, "memory.high", size_val(cg->memory_high, v, sizeof(v))))
		return EXIT_FAIL;
	if (cg->memory_max &&
	    write_limit(cg, "memory.max", size_val(cg->memory_max, v, sizeof(v))))
		return EXIT_FAIL;
	if (cg->swap_set &&
	    write_limit(cg, "memory.swap.max", size_val(cg->swap_max, v, sizeof(v))))
		return EXIT_FAIL;
	if (l->pids_max) {
		snprintf(v, sizeof(v), "%" PRIu64, l->pids_max);
		if (write_limit(cg, "pids.max", v))
			return EXIT_FAIL;
	}
	if (l->cpu_quota_us) {
		snprintf(v, sizeof(v), "%" PRIu64 " %" PRIu64, l->cpu_quota_us,
			 l->cpu_period_us);
		if (write_limit(cg, "cpu.max", v))
			return EXIT_FAIL;
	}
	if (l->cpu_weight) {
		snprintf(v, sizeof(v), "%" PRIu64, l->cpu_weight);
		if (write_limit(cg, "cpu.weight", v))
			return EXIT_FAIL;
	}
	if (l->io_weight) {
		snprintf(v, sizeof(v), "default %" PRIu64, l->io_weight);
		if (write_limit(cg, "io.weight", v))
			return EXIT_FAIL;
	}
	if (cg->io_max[0] && write_limit(cg, "io.max", cg->io_max))
		return EXIT_FAIL;
	return 0;
}

/* --- a transient systemd scope ------------------------------------------ */

/*
 * systemd's "Control Group APIs and Delegation": on a systemd host a
 * program may create cgroups only below a unit with Delegate=yes, and a
 * cgroup with controllers enabled for its children holds no process (the
 * no-internal-processes rule). So run, given no parent, re-executes itself
 * through systemd-run --scope -p Delegate=yes (--user for an unprivileged
 * owner): the same process, the same arguments, now the only process of
 * a new scope. There it moves itself into the scope's child "supervisor",
 * enables the controllers the limits need in the scope's
 * cgroup.subtree_control, and makes the job's cgroup a sibling of
 * "supervisor". systemd removes the scope's tree once it is empty.
 */
#define SCOPE_ENV "XOSJOB_SYSTEMD_SCOPE"
#define SCOPE_SUPERVISOR "supervisor"

bool cg_systemd_host(void)
{
	return !access("/run/systemd/system", F_OK);
}

/* Into a new scope through systemd-run; returns only on failure. */
static int exec_in_scope(void)
{
	char exe[PATH_MAX], unit[64], sock[PATH_MAX + 32];
	const char *rt = getenv("XDG_RUNTIME_DIR");
	/*
	 * no --quiet: it would hide why systemd refused ("Job failed"), and
	 * the unit's name is worth a line
	 */
	const char *fixed[] = { "systemd-run", "--scope", "--collect", "-p",
				"Delegate=yes" };
	char unit_opt[80], **argv;
	size_t i, n = 0, nargs = 0;
	ssize_t len;
	bool user = geteuid() != 0;
	struct timespec t;

	if (!main_argv)
		return fail("internal error: no arguments to re-execute");
	if (user) {
		/* systemd-run --user asks the owner's manager, not PID 1 */
		if (!rt || !*rt)
			return fail("systemd runs this host and uid %u needs a transient scope of its own, but XDG_RUNTIME_DIR is not set: there is no systemd user manager to ask (log in through a session with pam_systemd, or loginctl enable-linger), or give --cgroup-parent (or XOSJOB_CGROUP_PARENT) inside a subtree delegated to you",
				    geteuid());
		snprintf(sock, sizeof(sock), "%s/systemd/private", rt);
		if (access(sock, F_OK))
			return fail("systemd runs this host, but uid %u has no systemd user manager to ask for a transient scope (%s: %s): log in through a session with pam_systemd, or loginctl enable-linger; or give --cgroup-parent (or XOSJOB_CGROUP_PARENT) inside a subtree delegated to you",
				    geteuid(), sock, strerror(errno));
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len < 0)
		return fail("cannot find this program (/proc/self/exe): %s",
			    strerror(errno));
	exe[len] = 0;
	clock_gettime(CLOCK_REALTIME, &t);
	/* pid and time: no clash with a scope a former holder of the pid left */
	snprintf(unit, sizeof(unit), "xosjob-%d-%lld", getpid(),
		 (long long)t.tv_sec);
	snprintf(unit_opt, sizeof(unit_opt), "--unit=%s", unit);
	while (main_argv[nargs])
		nargs++;
	argv = calloc(sizeof(fixed) / sizeof(fixed[0]) + nargs + 4,
		      sizeof(*argv));
	if (!argv)
		return fail("out of memory");
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[n++] = (char *)fixed[i];
	if (user)
		argv[n++] = "--user";
	argv[n++] = unit_opt;
	argv[n++] = "--";
	argv[n++] = exe;
	for (i = 1; i < nargs; i++)
		argv[n++] = main_argv[i];
	if (setenv(SCOPE_ENV, unit, 1))
		return fail("cannot set %s: %s", SCOPE_ENV, strerror(errno));
	fflush(stdout);
	fflush(stderr);
	execvp(argv[0], argv);
	fail("systemd runs this host and no --cgroup-parent was given, so the job needs a transient scope, but systemd-run cannot run: %s",
	     strerror(errno));
	unsetenv(SCOPE_ENV);
	free(argv);
	return EXIT_FAIL;
}

/*
 * After systemd-run: check that this process is in the scope it asked
 * for, step into "supervisor", and make the scope the parent with the
 * controllers the limits need enabled.
 */
static int enter_scope(struct cg_job *cg, const char *unit,
		       const struct controller_need *need)
{
	const char *mnt = cg_mount();
	char cur[4096], want[80], dir[4096 + 64], sup[4096 + 128];
	char path[4096 + 192], avail[1024];
	size_t lc, lw;
	int err, i;

	snprintf(want, sizeof(want), "/%s.scope", unit);
	if (!cg_of_pid(0, cur, sizeof(cur)))
		return fail("cannot read /proc/self/cgroup: %s", strerror(errno));
	lc = strlen(cur);
	lw = strlen(want);
	if (lc < lw || strcmp(cur + lc - lw, want))
		return fail("systemd-run did not place this process in the transient scope %s.scope: its cgroup is %s",
			    unit, cur);
	if (strlen(cur) >= sizeof(cg->parent) - 64)
		return fail("scope cgroup %s: path too long", cur);
	snprintf(cg->parent, sizeof(cg->parent), "%s", cur);
	snprintf(dir, sizeof(dir), "%s%s", mnt, cur);
	snprintf(sup, sizeof(sup), "%s/%s", dir, SCOPE_SUPERVISOR);
	if (mkdir(sup, 0755) && errno != EEXIST)
		return fail("cannot create %s in the transient scope %s.scope: %s%s",
			    sup, unit, strerror(errno),
			    errno == EACCES || errno == EPERM ?
			    " (systemd did not delegate the scope: Delegate=yes was not honoured)" : "");
	err = cg_move_to(sup, 0);
	if (err)
		return fail("cannot move the supervisor into %s: %s", sup,
			    strerror(-err));
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	if (read_file(path, avail, sizeof(avail)) < 0)
		return fail("cannot read %s: %s", path, strerror(errno));
	/*
	 * what the scope lacks is left to check_controllers, which says
	 * which option needs it
	 */
	for (i = 0; need[i].name; i++)
		if (need[i].needed && has_word(avail, need[i].name) &&
		    enable_controller(dir, cur, need[i].name))
			return EXIT_FAIL;
	return 0;
}

int cg_create(struct cg_job *cg)
{
	struct controller_need need[6];
	const char *mnt = cg_mount();
	const char *unit = getenv(SCOPE_ENV);
	char dir[4096 + 64];
	bool dflt = !cg->parent[0];
	int i;

	needed_controllers(cg, need);
	if (unit) {
		/* the job's command must not inherit it */
		char name[64];

		snprintf(name, sizeof(name), "%s", unit);
		unsetenv(SCOPE_ENV);
		if (dflt && enter_scope(cg, name, need))
			return EXIT_FAIL;
		dflt = false;
	} else if (dflt && cg_systemd_host()) {
		if (!cg->may_scope)
			return fail("systemd runs this host: there is no default cgroup parent for a running process. Give --cgroup-parent (or XOSJOB_CGROUP_PARENT) inside a subtree delegated to you (a Delegate=yes unit, e.g. systemd-run --user --scope -p Delegate=yes), or start the command with xosjob run, which makes a transient scope of its own");
		return exec_in_scope();
	}
	if (dflt)
		snprintf(cg->parent, sizeof(cg->parent), DEFAULT_PARENT);
	snprintf(dir, sizeof(dir), "%s%s", mnt,
		 strcmp(cg->parent, "/") ? cg->parent : "");
	if (dflt && make_default_parent(need, dir))
		return EXIT_FAIL;
	if (access(dir, F_OK))
		return fail("parent cgroup %s does not exist (%s: %s)",
			    cg->parent, dir, strerror(errno));
	snprintf(cg->path, sizeof(cg->path), "%s/cgroup.controllers", dir);
	if (access(cg->path, F_OK))
		return fail("%s is not a cgroup v2 directory (cgroup2 is mounted at %s)",
			    dir, mnt);
	if (check_delegated(cg, dir) || check_controllers(cg, dir, need) ||
	    check_machine(cg, dir))
		return EXIT_FAIL;
	for (i = 0; i < 100; i++) {
		if (i)
			snprintf(cg->name, sizeof(cg->name), "job-%d-%d",
				 getpid(), i);
		else
			snprintf(cg->name, sizeof(cg->name), "job-%d", getpid());
		snprintf(cg->path, sizeof(cg->path), "%s/%s", dir, cg->name);
		if (!mkdir(cg->path, 0755))
			break;
		if (errno != EEXIST)
			return fail("cannot create cgroup %s: %s%s", cg->path,
				    strerror(errno),
				    errno == EACCES || errno == EPERM ?
				    " (the parent cgroup must be delegated to you)" : "");
	}
	if (i == 100)
		return fail("cannot find a free cgroup name under %s", dir);
	cg->created = true;
	snprintf(cg->rel, sizeof(cg->rel), "%s/%s",
		 strcmp(cg->parent, "/") ? cg->parent : "", cg->name);
	if (write_limits(cg)) {
		cg_remove(cg);
		return EXIT_FAIL;
	}
	return 0;
}

int cg_move_to(const char *dir, pid_t pid)
{
	char path[4096 + 192], v[24];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(v, sizeof(v), "%d", pid);
	return write_file(path, v);
}

int cg_move(const struct cg_job *cg, pid_t pid)
{
	return cg_move_to(cg->path, pid);
}

static bool populated(const struct cg_job *cg, int fd)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return false;	/* gone */
	buf[n] = 0;
	(void)cg;
	return keyed_value(buf, "populated") != 0;
}

void cg_signal_all(const struct cg_job *cg, int sig)
{
	char path[4096 + 192], line[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->path);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		kill(atoi(line), sig);
	fclose(f);
}

void cg_wait_empty(const struct cg_job *cg, volatile sig_atomic_t *pending)
{
	char path[4096 + 192];
	struct pollfd p;
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.events", cg->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	p.fd = fd;
	p.events = POLLPRI;
	while (populated(cg, fd)) {
		int sig = pending ? *pending : 0;

		if (sig) {
			*pending = 0;
			cg_signal_all(cg, sig);
		}
		/* a change gives POLLPRI | POLLERR; the timeout is a fallback */
		poll(&p, 1, 1000);
	}
	close(fd);
}

void cg_remove(struct cg_job *cg)
{
	int tries;

	if (!cg->created)
		return;
	/* the last exits may still be finishing */
	for (tries = 0; tries < 100; tries++) {
		if (!rmdir(cg->path) || errno == ENOENT) {
			cg->created = false;
			return;
		}
		if (errno != EBUSY)
			break;
		usleep(20000);
	}
	fail("warning: cannot remove cgroup %s: %s", cg->path, strerror(errno));
}

int cg_freeze(const char *rel, bool freeze, int timeout_ms, char *path,
	      size_t len)
{
	const char *mnt = cg_mount();
	char events[4096 + 192], buf[512];
	struct timespec t0, t;
	struct pollfd p;
	int err, fd;

	snprintf(path, len, "%s%s%s/cgroup.freeze", mnt,
		 rel[0] == '/' ? "" : "/", rel);
	err = write_file(path, freeze ? "1" : "0");
	if (err)
		return err;
	snprintf(events, sizeof(events), "%s%s%s/cgroup.events", mnt,
		 rel[0] == '/' ? "" : "/", rel);
	fd = open(events, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	p.fd = fd;
	p.events = POLLPRI;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
		long ms;

		if (n < 0) {
			err = -errno;
			break;
		}
		buf[n] = 0;
		if (keyed_value(buf, "frozen") == (freeze ? 1 : 0)) {
			err = 0;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		ms = (t.tv_sec - t0.tv_sec) * 1000 +
		     (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= timeout_ms) {
			err = -ETIMEDOUT;
			break;
		}
		poll(&p, 1, ms + 100 < timeout_ms ? 100 : timeout_ms - ms);
	}
	close(fd);
	return err;
}
