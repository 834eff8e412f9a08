// SPDX-License-Identifier: GPL-2.0
/*
 * The xos_job family: it resolves, answers the version query, and rejects
 * unknown commands and malformed requests with an extack message.
 */
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>
#include <linux/xos_job.h>

#include "harness.h"
#include "nl_raw.h"
#include "util.h"

FIXTURE(nl) {
	struct nlr n;
};

FIXTURE_SETUP(nl)
{
	uint16_t id;
	uint32_t version;

	ASSERT_EQ(0, nlr_open(&self->n));
	ASSERT_EQ(0, nlr_resolve(&self->n, XOS_JOB_GENL_NAME, &id, &version))
		TH_LOG("family %s does not resolve: is the module loaded?",
		       XOS_JOB_GENL_NAME);
}

FIXTURE_TEARDOWN(nl)
{
	nlr_close(&self->n);
}

static struct nlmsghdr *req(struct nlr *n, uint8_t cmd)
{
	return nlr_start(n, n->family, 0, cmd, XOS_JOB_GENL_VERSION);
}

TEST_F(nl, family_resolves)
{
	ASSERT_NE(0, self->n.family);
	ASSERT_GE(self->n.family, GENL_MIN_ID);
	EXPECT_EQ(XOS_JOB_GENL_VERSION, self->n.family_version);
}

/* A non-existent family does not resolve: the check above means something. */
TEST_F(nl, other_family_does_not_resolve)
{
	uint16_t id;

	EXPECT_EQ(-ENOENT, nlr_resolve(&self->n, "xos_job_nope", &id, NULL));
}

TEST_F(nl, version_query_answers)
{
	struct info_reply s = { 0 };

	req(&self->n, XOS_JOB_CMD_INFO);
	ASSERT_EQ(0, nlr_talk(&self->n, info_cb, &s, NULL))
		TH_LOG("INFO failed: %s", self->n.msg);
	EXPECT_EQ(XOS_JOB_GENL_VERSION, s.version);
	EXPECT_NE(0, strlen(s.module_version));
	EXPECT_GT(s.max_jobs, 0);
	EXPECT_TRUE(s.has_nr_jobs);
	EXPECT_TRUE(s.has_nr_tasks);
	EXPECT_TRUE(s.has_failures);
}

struct ops_seen {
	uint32_t flags[256];
	int n, bad_id;
};

static int ops_cb(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *ops = nlr_attr(h, CTRL_ATTR_OPS);
	struct ops_seen *s = arg;
	int i;

	for (i = 1; ops && i < 256; i++) {
		const struct nlattr *op = nlr_nested(ops, i), *id, *fl;

		if (!op)
			break;
		id = nlr_nested(op, CTRL_ATTR_OP_ID);
		fl = nlr_nested(op, CTRL_ATTR_OP_FLAGS);
		if (!id || nlr_get_u32(id) > 255) {
			s->bad_id++;
			continue;
		}
		s->flags[nlr_get_u32(id)] = (fl ? nlr_get_u32(fl) : 0) |
					    0x80000000;
		s->n++;
	}
	return 0;
}

/*
 * The family lists exactly its commands, each with what it does (do or
 * dump): no op for the notification ids or for numbers it does not use.
 */
TEST_F(nl, op_table_lists_real_commands)
{
	struct ops_seen s = { 0 };
	struct nlmsghdr *h;
	int cmd;

	h = nlr_start(&self->n, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	nlr_put_str(h, CTRL_ATTR_FAMILY_NAME, XOS_JOB_GENL_NAME);
	ASSERT_EQ(0, nlr_talk(&self->n, ops_cb, &s, NULL));
	EXPECT_EQ(0, s.bad_id);
	/* every command but the two notifications */
	EXPECT_EQ(XOS_JOB_CMD_MAX - 2, s.n)
		TH_LOG("%d ops advertised", s.n);
	for (cmd = 0; cmd < 256; cmd++) {
		uint32_t f = s.flags[cmd] & ~0x80000000;
		bool dump = cmd == XOS_JOB_CMD_LIST || cmd == XOS_JOB_CMD_TASKS;

		if (cmd < XOS_JOB_CMD_INFO || cmd > XOS_JOB_CMD_MAX ||
		    cmd == XOS_JOB_CMD_CREATED_NTF ||
		    cmd == XOS_JOB_CMD_ENDED_NTF) {
			EXPECT_EQ(0, s.flags[cmd]) TH_LOG("op %d advertised", cmd);
			continue;
		}
		EXPECT_NE(0, s.flags[cmd]) TH_LOG("command %d not listed", cmd);
		EXPECT_EQ(dump ? GENL_CMD_CAP_DUMP : GENL_CMD_CAP_DO,
			  f & (GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP))
			TH_LOG("command %d flags %#x", cmd, f);
		EXPECT_TRUE(f & GENL_CMD_CAP_HASPOL);
	}
}

/*
 * Any other command number, a notification's among them, is genetlink's
 * EOPNOTSUPP, with attributes or without, as a do or as a dump.
 */
TEST_F(nl, unknown_commands_not_supported)
{
	static const uint8_t cmds[] = { 0, XOS_JOB_CMD_CREATED_NTF,
					XOS_JOB_CMD_ENDED_NTF, XOS_JOB_CMD_MAX + 1,
					20, 63, 64, 200 };
	unsigned int i, attrs;

	for (i = 0; i < sizeof(cmds); i++) {
		for (attrs = 0; attrs < 2; attrs++) {
			struct nlmsghdr *h = req(&self->n, cmds[i]);

			if (attrs)
				nlr_put_u64(h, XOS_JOB_A_ID, 1);
			EXPECT_EQ(-EOPNOTSUPP, nlr_talk(&self->n, NULL, NULL, NULL))
				TH_LOG("cmd %u%s: '%s'", cmds[i],
				       attrs ? " with an id" : "", self->n.msg);
			h = nlr_start(&self->n, self->n.family, NLM_F_DUMP,
				      cmds[i], 1);
			if (attrs)
				nlr_put_u64(h, XOS_JOB_A_ID, 1);
			EXPECT_EQ(-EOPNOTSUPP, nlr_talk(&self->n, NULL, NULL, NULL))
				TH_LOG("dump cmd %u%s: '%s'", cmds[i],
				       attrs ? " with an id" : "", self->n.msg);
		}
	}
}

TEST_F(nl, unknown_attribute_rejected)
{
	struct nlmsghdr *h = req(&self->n, XOS_JOB_CMD_INFO);

	nlr_put_u32(h, XOS_JOB_A_MAX + 1, 1);
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(0, strlen(self->n.msg));
	EXPECT_NE(0, self->n.bad_attr_offs);

	/* an attribute the op does not take (strict per-op policy) */
	h = req(&self->n, XOS_JOB_CMD_INFO);
	nlr_put_u64(h, XOS_JOB_A_ID, 1);
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(0, strlen(self->n.msg));
}

TEST_F(nl, wrong_attribute_length_rejected)
{
	struct nlmsghdr *h = req(&self->n, XOS_JOB_CMD_GET);

	/* a u64 id sent as 4 bytes */
	nlr_put_u32(h, XOS_JOB_A_ID, 1);
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(0, strlen(self->n.msg)) TH_LOG("no extack message");
	EXPECT_NE(0, self->n.bad_attr_offs);
}

TEST_F(nl, out_of_range_rejected)
{
	struct nlmsghdr *h = req(&self->n, XOS_JOB_CMD_GET);

	nlr_put_u64(h, XOS_JOB_A_ID, 0);
	EXPECT_EQ(-ERANGE, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(0, strlen(self->n.msg));
}

TEST_F(nl, missing_attribute_has_message)
{
	req(&self->n, XOS_JOB_CMD_GET);
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->n.msg, "job id")) TH_LOG("'%s'", self->n.msg);

	req(&self->n, XOS_JOB_CMD_KILL);
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->n.msg, "missing job id"));
	/* and for clients that word it themselves (libxosjob does) */
	EXPECT_EQ(XOS_JOB_A_ID, self->n.miss_type);

	nlr_start(&self->n, self->n.family, NLM_F_DUMP, XOS_JOB_CMD_TASKS, 1);
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->n.msg, "missing job id"));
}

TEST_F(nl, unterminated_string_rejected)
{
	struct nlmsghdr *h = req(&self->n, XOS_JOB_CMD_NEW);

	nlr_put(h, XOS_JOB_A_LABEL, "abcd", 4);
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(0, strlen(self->n.msg));
}

TEST_F(nl, reserved_header_byte_rejected)
{
	struct nlmsghdr *h = req(&self->n, XOS_JOB_CMD_INFO);
	struct genlmsghdr *g = NLMSG_DATA(h);

	g->reserved = 1;
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
}

/* Truncated messages get an error, never a crash; the family still works. */
TEST_F(nl, truncated_messages)
{
	struct info_reply s = { 0 };
	struct nlmsghdr *h;
	unsigned int len;

	for (len = NLMSG_HDRLEN; len < NLMSG_HDRLEN + GENL_HDRLEN; len++) {
		h = req(&self->n, XOS_JOB_CMD_INFO);
		h->nlmsg_len = len;
		EXPECT_GT(0, nlr_talk(&self->n, NULL, NULL, NULL))
			TH_LOG("length %u accepted", len);
	}
	/* an attribute whose length runs past the message */
	h = req(&self->n, XOS_JOB_CMD_GET);
	nlr_put_u64(h, XOS_JOB_A_ID, 1);
	((struct nlattr *)((char *)h + NLMSG_HDRLEN + GENL_HDRLEN))->nla_len = 200;
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));

	req(&self->n, XOS_JOB_CMD_INFO);
	ASSERT_EQ(0, nlr_talk(&self->n, info_cb, &s, NULL));
	EXPECT_EQ(XOS_JOB_GENL_VERSION, s.version);
}

/*
 * The label's length and the signal's range are the policies' own: the
 * error names the attribute and carries the limit (NLMSGERR_ATTR_POLICY).
 */
TEST_F(nl, policy_carries_limits)
{
	char label[XOS_JOB_LABEL_MAX + 2];
	struct nlmsghdr *h;

	memset(label, 'x', sizeof(label) - 1);
	label[sizeof(label) - 1] = 0;		/* 256 bytes and the NUL */
	h = req(&self->n, XOS_JOB_CMD_NEW);
	nlr_put_str(h, XOS_JOB_A_LABEL, label);
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(0, strlen(self->n.msg));
	EXPECT_NE(0, self->n.bad_attr_offs);
	EXPECT_EQ(XOS_JOB_LABEL_MAX, self->n.pol_max_len)
		TH_LOG("label: '%s', no length limit in the policy", self->n.msg);

	h = req(&self->n, XOS_JOB_CMD_KILL);
	nlr_put_u64(h, XOS_JOB_A_ID, 987654321);
	nlr_put_u32(h, XOS_JOB_A_SIGNAL, 65);
	EXPECT_EQ(-ERANGE, nlr_talk(&self->n, NULL, NULL, NULL))
		TH_LOG("signal 65: '%s'", self->n.msg);
	EXPECT_NE(0, strlen(self->n.msg));
	EXPECT_NE(0, self->n.bad_attr_offs);
	EXPECT_EQ(0, self->n.pol_min);
	EXPECT_EQ(64, self->n.pol_max);

	/* the limit itself passes the policy: the job is what is missing */
	h = req(&self->n, XOS_JOB_CMD_KILL);
	nlr_put_u64(h, XOS_JOB_A_ID, 987654321);
	nlr_put_u32(h, XOS_JOB_A_SIGNAL, 64);
	EXPECT_EQ(-ENOENT, nlr_talk(&self->n, NULL, NULL, NULL))
		TH_LOG("signal 64: '%s'", self->n.msg);
}

static int seq_cb(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *a = nlr_attr(h, XOS_JOB_A_SEQ);
	uint64_t *last = arg;

	if (a)
		*last = nlr_get_u64(a);
	return 0;
}

/*
 * INFO's SEQ (0 before any job ended) goes back into LIST --ended as it
 * is: 0 asks for the oldest record kept.
 */
TEST_F(nl, ended_list_takes_info_seq)
{
	uint64_t info_seq = ~0ULL, last = 0;
	struct nlmsghdr *h;

	req(&self->n, XOS_JOB_CMD_INFO);
	ASSERT_EQ(0, nlr_talk(&self->n, seq_cb, &info_seq, NULL));
	ASSERT_NE(~0ULL, info_seq);
	h = nlr_start(&self->n, self->n.family, NLM_F_DUMP, XOS_JOB_CMD_LIST, 1);
	nlr_put(h, XOS_JOB_A_ENDED, NULL, 0);
	nlr_put_u64(h, XOS_JOB_A_SEQ, info_seq);
	EXPECT_EQ(0, nlr_talk(&self->n, seq_cb, &last, NULL))
		TH_LOG("SEQ %llu from INFO: '%s'", (unsigned long long)info_seq,
		       self->n.msg);
	h = nlr_start(&self->n, self->n.family, NLM_F_DUMP, XOS_JOB_CMD_LIST, 1);
	nlr_put(h, XOS_JOB_A_ENDED, NULL, 0);
	nlr_put_u64(h, XOS_JOB_A_SEQ, 0);
	EXPECT_EQ(0, nlr_talk(&self->n, seq_cb, &last, NULL))
		TH_LOG("SEQ 0: '%s'", self->n.msg);
}

/* Module files beside this program: build/<release>/NAME. */
static void module_path(char *buf, size_t len, const char *name)
{
	char exe[4096];
	struct utsname u;
	ssize_t l = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[l > 0 ? l : 0] = 0;
	uname(&u);
	snprintf(buf, len, "%s/../%s/%s", dirname(exe), u.release, name);
}

static int run(const char *fmt, const char *a, const char *b)
{
	char cmd[8600];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return system(cmd);
}

/* xos_job again, with @params; "" for the defaults. */
static int reload_xos_job(const char *params)
{
	char ko[4200];

	module_path(ko, sizeof(ko), "xos_job.ko");
	if (system("rmmod xos_job || (sleep 1; rmmod xos_job)"))
		return -1;
	return run("insmod %s %s", ko, params);
}

/* selftests/kmod/xos_test_hook.c, acting on this process only. */
static int load_hook(const char *params)
{
	char ko[4200], all[256];

	module_path(ko, sizeof(ko), "xos_test_hook.ko");
	snprintf(all, sizeof(all), "pid=%d %s", getpid(), params);
	return run("insmod %s %s", ko, all);
}

/* The test hook is made of kprobes: a kernel without them cannot load it. */
static bool kernel_has_kprobes(void)
{
	return system("grep -qw register_kprobe /proc/kallsyms") == 0;
}

static void unload_hook(void)
{
	if (system("rmmod xos_test_hook"))
		perror("rmmod xos_test_hook");
}

static int hook_param(const char *name)
{
	char path[128], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/module/xos_test_hook/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -2;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return atoi(buf);
}

static int id_cb(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *a = nlr_attr(h, XOS_JOB_A_ID);

	if (a)
		*(uint64_t *)arg = nlr_get_u64(a);
	return 0;
}

/* A new job (admin: JOB_NEW with a pid) for @pid; its id, 0 on error. */
static uint64_t job_for(struct nlr *n, pid_t pid)
{
	struct nlmsghdr *h = req(n, XOS_JOB_CMD_NEW);
	uint64_t id = 0;

	nlr_put_u32(h, XOS_JOB_A_PID, pid);
	return nlr_talk(n, id_cb, &id, NULL) ? 0 : id;
}

/* One bad XOS_JOB_A_LIMITS nest for JOB_NEW, and what must come back. */
struct bad_limits {
	const char *what;
	int err;
	const char *msg;	/* in the extack message */
	int n;
	struct { uint16_t type; uint64_t v; const char *s; } a[3];
};

static const struct bad_limits bad_limits[] = {
	{ "grace alone", -EINVAL, "grace period needs", 1,
	  { { XOS_JOB_LIMIT_A_GRACE_NS, 1000, NULL } } },
	{ "quota without period", -EINVAL, "quota and its period", 1,
	  { { XOS_JOB_LIMIT_A_CPU_QUOTA_US, 50000, NULL } } },
	{ "cpus not a list", -EINVAL, "cpuset list", 1,
	  { { XOS_JOB_LIMIT_A_CPUS, 0, "0-a" } } },
	{ "mems with a blank", -EINVAL, "cpuset list", 1,
	  { { XOS_JOB_LIMIT_A_MEMS, 0, "0, 1" } } },
	{ "cpu time 0", -ERANGE, "", 1,
	  { { XOS_JOB_LIMIT_A_CPU_TIME_NS, 0, NULL } } },
	{ "grace over an hour", -ERANGE, "", 2,
	  { { XOS_JOB_LIMIT_A_TIME_NS, 1000000000, NULL },
	    { XOS_JOB_LIMIT_A_GRACE_NS, 3601ULL * 1000000000, NULL } } },
	{ "cpu weight 10001", -ERANGE, "", 1,
	  { { XOS_JOB_LIMIT_A_CPU_WEIGHT, 10001, NULL } } },
	{ "period over 1 s", -ERANGE, "", 2,
	  { { XOS_JOB_LIMIT_A_CPU_QUOTA_US, 50000, NULL },
	    { XOS_JOB_LIMIT_A_CPU_PERIOD_US, 1000001, NULL } } },
	{ "unknown limit", -EINVAL, "", 1,
	  { { XOS_JOB_LIMIT_A_MAX + 1, 1, NULL } } },
};

static int save_limits_cb(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *a = nlr_attr(h, XOS_JOB_A_LIMITS);

	if (a && a->nla_len <= 1024)
		memcpy(arg, a, a->nla_len);
	return 0;
}

static void put_limits(struct nlmsghdr *h, const struct bad_limits *b)
{
	struct nlattr *nest = nlr_nest_start(h, XOS_JOB_A_LIMITS);
	int i;

	for (i = 0; i < b->n; i++) {
		if (b->a[i].s)
			nlr_put_str(h, b->a[i].type, b->a[i].s);
		else
			nlr_put_u64(h, b->a[i].type, b->a[i].v);
	}
	nlr_nest_end(h, nest);
}

/*
 * Bad limits are refused, each with a message or the policy's words, and
 * no job is made; good ones come back in GET as they were given.
 */
TEST_F(nl, limits_checked_and_echoed)
{
	static const struct bad_limits good = {
		"all", 0, "", 3,
		{ { XOS_JOB_LIMIT_A_TIME_NS, 3600ULL * 1000000000, NULL },
		  { XOS_JOB_LIMIT_A_SWAP_MAX, 0, NULL },
		  { XOS_JOB_LIMIT_A_CPUS, 0, "0-1,3" } },
	};
	static uint32_t saved[256];
	const struct nlattr *lim = (const struct nlattr *)saved;
	struct nlmsghdr *h;
	uint64_t id = 0;
	pid_t pid;
	int gate;
	size_t i;

	if (geteuid())
		SKIP(return, "needs root (JOB_NEW with a pid)");
	pid = spawn_gated(&gate, NULL, NULL);
	ASSERT_LT(0, pid);
	for (i = 0; i < sizeof(bad_limits) / sizeof(bad_limits[0]); i++) {
		h = req(&self->n, XOS_JOB_CMD_NEW);
		nlr_put_u32(h, XOS_JOB_A_PID, pid);
		put_limits(h, &bad_limits[i]);
		EXPECT_EQ(bad_limits[i].err, nlr_talk(&self->n, NULL, NULL, NULL))
			TH_LOG("%s", bad_limits[i].what);
		EXPECT_NE(0, strlen(self->n.msg)) TH_LOG("%s", bad_limits[i].what);
		EXPECT_NE(NULL, strstr(self->n.msg, bad_limits[i].msg))
			TH_LOG("%s: '%s'", bad_limits[i].what, self->n.msg);
	}
	/* none of them made a job of it */
	h = req(&self->n, XOS_JOB_CMD_GET);
	nlr_put_u32(h, XOS_JOB_A_PID, pid);
	EXPECT_EQ(-ENOENT, nlr_talk(&self->n, NULL, NULL, NULL));

	h = req(&self->n, XOS_JOB_CMD_NEW);
	nlr_put_u32(h, XOS_JOB_A_PID, pid);
	put_limits(h, &good);
	ASSERT_EQ(0, nlr_talk(&self->n, id_cb, &id, NULL)) TH_LOG("%s", self->n.msg);
	h = req(&self->n, XOS_JOB_CMD_GET);
	nlr_put_u64(h, XOS_JOB_A_ID, id);
	ASSERT_EQ(0, nlr_talk(&self->n, save_limits_cb, saved, NULL));
	ASSERT_NE(0, lim->nla_len) TH_LOG("GET sent no limits");
	EXPECT_EQ(3600ULL * 1000000000,
		  nlr_get_u64(nlr_nested(lim, XOS_JOB_LIMIT_A_TIME_NS)));
	ASSERT_NE(NULL, nlr_nested(lim, XOS_JOB_LIMIT_A_SWAP_MAX));
	EXPECT_EQ(0, nlr_get_u64(nlr_nested(lim, XOS_JOB_LIMIT_A_SWAP_MAX)));
	ASSERT_NE(NULL, nlr_nested(lim, XOS_JOB_LIMIT_A_CPUS));
	EXPECT_STREQ("0-1,3", nlr_data(nlr_nested(lim, XOS_JOB_LIMIT_A_CPUS)));
	/* the default grace of an enforced limit is filled in */
	ASSERT_NE(NULL, nlr_nested(lim, XOS_JOB_LIMIT_A_GRACE_NS));
	EXPECT_EQ(10ULL * 1000000000,
		  nlr_get_u64(nlr_nested(lim, XOS_JOB_LIMIT_A_GRACE_NS)));
	EXPECT_EQ(NULL, nlr_nested(lim, XOS_JOB_LIMIT_A_CPU_TIME_NS));
	close(gate);
	EXPECT_EQ(0, reap(pid));
}

static int save_job_cb(const struct nlmsghdr *h, void *arg)
{
	if (h->nlmsg_len <= 4096)
		memcpy(arg, h, h->nlmsg_len);
	return 0;
}

static int flags_cb(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *a = nlr_attr(h, XOS_JOB_A_FLAGS);

	*(uint32_t *)arg = a ? nlr_get_u32(a) : ~0U;
	return 0;
}

/* JOB_CHECKPOINT with @on for @id: its error, *flags the reply's. */
static int mark(struct nlr *n, uint64_t id, int on, uint32_t *flags)
{
	struct nlmsghdr *h = req(n, XOS_JOB_CMD_CHECKPOINT);
	uint8_t v = on;

	nlr_put_u64(h, XOS_JOB_A_ID, id);
	if (on >= 0)
		nlr_put(h, XOS_JOB_A_CHECKPOINTING, &v, 1);
	*flags = ~0U;
	return nlr_talk(n, flags_cb, flags, NULL);
}

/*
 * A restored job (RESTORED_FROM, BASE) reports its origin and base, and its
 * figures start from the base; the checkpointing mark is set and cleared,
 * and a job that ends with it set ends CHECKPOINTED.
 */
TEST_F(nl, restored_from_base_and_checkpoint_mark)
{
	static uint32_t buf[1024];
	const struct nlmsghdr *rep = (const struct nlmsghdr *)buf;
	const struct nlattr *base, *st, *a;
	struct nlattr *nest;
	struct nlmsghdr *h;
	uint64_t id = 0;
	uint32_t flags;
	pid_t pid;
	int gate;

	if (geteuid())
		SKIP(return, "needs root (JOB_NEW with a pid)");
	pid = spawn_gated(&gate, NULL, NULL);
	ASSERT_LT(0, pid);
	/* base figures without the job they come from */
	h = req(&self->n, XOS_JOB_CMD_NEW);
	nlr_put_u32(h, XOS_JOB_A_PID, pid);
	nest = nlr_nest_start(h, XOS_JOB_A_BASE);
	nlr_put_u64(h, XOS_JOB_STATS_A_RUNTIME_NS, 1);
	nlr_nest_end(h, nest);
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->n.msg, "base figures only")) TH_LOG("'%s'", self->n.msg);
	/* DELAYACCT is no figure */
	h = req(&self->n, XOS_JOB_CMD_NEW);
	nlr_put_u32(h, XOS_JOB_A_PID, pid);
	nlr_put_u64(h, XOS_JOB_A_RESTORED_FROM, 7);
	nest = nlr_nest_start(h, XOS_JOB_A_BASE);
	nlr_put(h, XOS_JOB_STATS_A_DELAYACCT, "\1", 1);
	nlr_nest_end(h, nest);
	EXPECT_EQ(-EINVAL, nlr_talk(&self->n, NULL, NULL, NULL));
	EXPECT_NE(0, strlen(self->n.msg));
	/* restored from 0 */
	h = req(&self->n, XOS_JOB_CMD_NEW);
	nlr_put_u32(h, XOS_JOB_A_PID, pid);
	nlr_put_u64(h, XOS_JOB_A_RESTORED_FROM, 0);
	EXPECT_EQ(-ERANGE, nlr_talk(&self->n, NULL, NULL, NULL));
	h = req(&self->n, XOS_JOB_CMD_GET);
	nlr_put_u32(h, XOS_JOB_A_PID, pid);
	EXPECT_EQ(-ENOENT, nlr_talk(&self->n, NULL, NULL, NULL)) TH_LOG("a refused NEW made a job");

	h = req(&self->n, XOS_JOB_CMD_NEW);
	nlr_put_u32(h, XOS_JOB_A_PID, pid);
	nlr_put_u64(h, XOS_JOB_A_RESTORED_FROM, 7);
	nest = nlr_nest_start(h, XOS_JOB_A_BASE);
	nlr_put_u64(h, XOS_JOB_STATS_A_RUNTIME_NS, 5000000000ULL);
	nlr_put_u64(h, XOS_JOB_STATS_A_MINFLT, 100);
	nlr_put_u64(h, XOS_JOB_STATS_A_HIWATER_RSS_KB, 1ULL << 30);
	nlr_nest_end(h, nest);
	ASSERT_EQ(0, nlr_talk(&self->n, id_cb, &id, NULL)) TH_LOG("%s", self->n.msg);
	h = req(&self->n, XOS_JOB_CMD_GET);
	nlr_put_u64(h, XOS_JOB_A_ID, id);
	ASSERT_EQ(0, nlr_talk(&self->n, save_job_cb, buf, NULL));
	a = nlr_attr(rep, XOS_JOB_A_RESTORED_FROM);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(7, nlr_get_u64(a));
	base = nlr_attr(rep, XOS_JOB_A_BASE);
	st = nlr_attr(rep, XOS_JOB_A_STATS);
	ASSERT_NE(NULL, base);
	ASSERT_NE(NULL, st);
	EXPECT_EQ(5000000000ULL, nlr_get_u64(nlr_nested(base, XOS_JOB_STATS_A_RUNTIME_NS)));
	EXPECT_EQ(100, nlr_get_u64(nlr_nested(base, XOS_JOB_STATS_A_MINFLT)));
	EXPECT_LE(5000000000ULL, nlr_get_u64(nlr_nested(st, XOS_JOB_STATS_A_RUNTIME_NS)));
	EXPECT_LE(100, nlr_get_u64(nlr_nested(st, XOS_JOB_STATS_A_MINFLT)));
	EXPECT_EQ(1ULL << 30, nlr_get_u64(nlr_nested(st, XOS_JOB_STATS_A_HIWATER_RSS_KB)));

	/* the mark: missing, out of range, set, cleared, set */
	EXPECT_EQ(-EINVAL, mark(&self->n, id, -1, &flags));
	EXPECT_NE(NULL, strstr(self->n.msg, "checkpointing")) TH_LOG("'%s'", self->n.msg);
	EXPECT_EQ(-ERANGE, mark(&self->n, id, 2, &flags));
	ASSERT_EQ(0, mark(&self->n, id, 1, &flags)) TH_LOG("%s", self->n.msg);
	EXPECT_TRUE(flags & XOS_JOB_F_CHECKPOINTING);
	ASSERT_EQ(0, mark(&self->n, id, 0, &flags));
	EXPECT_FALSE(flags & XOS_JOB_F_CHECKPOINTING);
	ASSERT_EQ(0, mark(&self->n, id, 1, &flags));
	close(gate);
	EXPECT_EQ(0, reap(pid));
	h = req(&self->n, XOS_JOB_CMD_GET);
	nlr_put_u64(h, XOS_JOB_A_ID, id);
	ASSERT_EQ(0, nlr_talk(&self->n, save_job_cb, buf, NULL));
	a = nlr_attr(rep, XOS_JOB_A_END_STATE);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(XOS_JOB_END_CHECKPOINTED, nlr_get_u32(a));
	a = nlr_attr(rep, XOS_JOB_A_RESTORED_FROM);
	ASSERT_NE(NULL, a) TH_LOG("the record lost its origin");
	EXPECT_EQ(7, nlr_get_u64(a));
	EXPECT_NE(NULL, nlr_attr(rep, XOS_JOB_A_BASE));
	/* an ended job takes no mark */
	EXPECT_EQ(-ESRCH, mark(&self->n, id, 0, &flags));
	EXPECT_NE(NULL, strstr(self->n.msg, "ended")) TH_LOG("'%s'", self->n.msg);
}

struct seqs {
	uint64_t seq[64];
	int n;
};

static int seqs_cb(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *a = nlr_attr(h, XOS_JOB_A_SEQ);
	struct seqs *s = arg;

	if (a && s->n < 64)
		s->seq[s->n++] = nlr_get_u64(a);
	return 0;
}

/*
 * LIST --ended, ring of 4: the dump's first record lookup is held up (the
 * test hook spins) while 8 jobs end, so that every record the dump had
 * not sent yet is dropped in the middle of its first call. The dump must
 * say so with NLM_F_DUMP_INTR (uapi), even though it sends no record
 * before the drop, or none at all.
 */
TEST(ended_dump_flags_records_dropped_mid_call)
{
	int gates[12], intr = 0, i, r, spins = 0;
	pid_t pids[12], releaser;
	struct seqs got = { 0 };
	struct nlmsghdr *h;
	struct nlr *n;
	uint16_t fid;

	if (!kernel_has_kprobes())
		SKIP(return, "no kprobes in this kernel (CONFIG_KPROBES): the test hook cannot load");
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, reload_xos_job("ended_ring=4"));
	n = calloc(1, sizeof(*n));
	ASSERT_NE(NULL, n);
	ASSERT_EQ(0, nlr_open(n));
	ASSERT_EQ(0, nlr_resolve(n, XOS_JOB_GENL_NAME, &fid, NULL));
	/* records 1..4 fill the ring; jobs 5..12 end during the dump */
	for (i = 0; i < 12; i++) {
		pids[i] = spawn_gated(&gates[i], NULL, NULL);
		ASSERT_LT(0, pids[i]);
		ASSERT_NE(0, job_for(n, pids[i])) TH_LOG("NEW: %s", n->msg);
		if (i < 4) {
			close(gates[i]);
			ASSERT_EQ(0, reap(pids[i]));
		}
	}
	ASSERT_EQ(0, load_hook("stall_ms=8000 stall_count=1"));
	releaser = fork();
	ASSERT_LE(0, releaser);
	if (!releaser) {
		struct timespec nap = { 0, 1000 * 1000 };
		int k, left = 8000;

		/* once the dump spins: end the 8 jobs, wait, let it go on */
		while (hook_param("stalled") == 0 && --left)
			nanosleep(&nap, NULL);
		for (k = 4; k < 12; k++)
			close(gates[k]);
		for (k = 4; k < 12 && left; k++)
			while (proc_state(pids[k]) != 'Z' && --left)
				nanosleep(&nap, NULL);
		_exit(write_file("/sys/module/xos_test_hook/parameters/resume",
				 "1") ? 2 : left ? 0 : 1);
	}
	for (i = 4; i < 12; i++)
		close(gates[i]);
	h = nlr_start(n, n->family, NLM_F_DUMP, XOS_JOB_CMD_LIST, 1);
	nlr_put(h, XOS_JOB_A_ENDED, NULL, 0);
	r = nlr_talk(n, seqs_cb, &got, &intr);
	spins = hook_param("stalled");
	EXPECT_EQ(0, reap(releaser)) TH_LOG("the jobs did not end in time");
	for (i = 4; i < 12; i++)
		EXPECT_EQ(0, reap(pids[i]));
	unload_hook();
	EXPECT_EQ(0, r) TH_LOG("dump: '%s'", n->msg);
	ASSERT_EQ(1, spins) TH_LOG("the hook did not hold the dump up");
	for (i = 0; i < got.n; i++)
		TH_LOG("record %llu sent", (unsigned long long)got.seq[i]);
	/* 1..4 were kept when the dump began and are gone now: not sent */
	for (i = 0; i < got.n; i++)
		EXPECT_LT(4, got.seq[i]);
	EXPECT_TRUE(intr) TH_LOG("records 1..4 dropped unsent, no NLM_F_DUMP_INTR");
	nlr_close(n);
	free(n);
	ASSERT_EQ(0, reload_xos_job(""));
}

struct fill_seen {
	int n;
};

static int count_cb(const struct nlmsghdr *h, void *arg)
{
	((struct fill_seen *)arg)->n++;
	return 0;
}

/*
 * A job object that does not fit (the test hook leaves no room in the
 * message) is an error with a message, in every command that sends one:
 * a dump whose first object does not fit must not end as if complete.
 */
TEST(object_that_does_not_fit_is_an_error)
{
	static const struct {
		uint8_t cmd;
		bool dump, ended, id;
	} reqs[] = {
		{ XOS_JOB_CMD_LIST, true, false, false },
		{ XOS_JOB_CMD_LIST, true, true, false },
		{ XOS_JOB_CMD_TASKS, true, false, true },
		{ XOS_JOB_CMD_GET, false, false, true },
	};
	struct fill_seen seen;
	uint64_t id = 0;
	struct nlmsghdr *h;
	int gate, ended_gate;
	pid_t pid, ended;
	struct nlr *n;
	unsigned int i;
	uint16_t fid;

	if (!kernel_has_kprobes())
		SKIP(return, "no kprobes in this kernel (CONFIG_KPROBES): the test hook cannot load");
	if (geteuid())
		SKIP(return, "needs root");
	n = calloc(1, sizeof(*n));
	ASSERT_NE(NULL, n);
	ASSERT_EQ(0, nlr_open(n));
	ASSERT_EQ(0, nlr_resolve(n, XOS_JOB_GENL_NAME, &fid, NULL));
	/* an ended job (a record) and a live one */
	ended = spawn_gated(&ended_gate, NULL, NULL);
	ASSERT_NE(0, job_for(n, ended));
	close(ended_gate);
	ASSERT_EQ(0, reap(ended));
	pid = spawn_gated(&gate, NULL, NULL);
	id = job_for(n, pid);
	ASSERT_NE(0, id);

	ASSERT_EQ(0, load_hook("fill_skb=1"));
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		int r;

		h = nlr_start(n, n->family, reqs[i].dump ? NLM_F_DUMP : 0,
			      reqs[i].cmd, 1);
		if (reqs[i].ended)
			nlr_put(h, XOS_JOB_A_ENDED, NULL, 0);
		if (reqs[i].id)
			nlr_put_u64(h, XOS_JOB_A_ID, id);
		seen.n = 0;
		r = nlr_talk(n, count_cb, &seen, NULL);
		EXPECT_EQ(-EMSGSIZE, r)
			TH_LOG("cmd %u%s: %d, %d objects, '%s'", reqs[i].cmd,
			       reqs[i].ended ? " (ended)" : "", r, seen.n,
			       n->msg);
		EXPECT_NE(0, strlen(n->msg))
			TH_LOG("cmd %u%s: no message", reqs[i].cmd,
			       reqs[i].ended ? " (ended)" : "");
		EXPECT_EQ(0, seen.n);
	}
	unload_hook();
	close(gate);
	EXPECT_EQ(0, reap(pid));
	nlr_close(n);
	free(n);
}

/* In a new user namespace: dumps whose start() refuses the request. */
static int failing_dump_starts(void)
{
	struct nlr *n = calloc(1, sizeof(*n));
	uint16_t id;
	uint32_t version;
	int bad = 0;

	if (!n || nlr_open(n) || nlr_resolve(n, XOS_JOB_GENL_NAME, &id, &version))
		return 10;
	nlr_start(n, n->family, NLM_F_DUMP, XOS_JOB_CMD_LIST, 1);
	nlr_put_u64((struct nlmsghdr *)n->req, XOS_JOB_A_SEQ, 1);
	bad |= nlr_talk(n, NULL, NULL, NULL) != -EINVAL;
	nlr_start(n, n->family, NLM_F_DUMP, XOS_JOB_CMD_TASKS, 1);
	bad |= nlr_talk(n, NULL, NULL, NULL) != -EINVAL;
	nlr_start(n, n->family, NLM_F_DUMP, XOS_JOB_CMD_TASKS, 1);
	nlr_put_u64((struct nlmsghdr *)n->req, XOS_JOB_A_ID, ~0ULL >> 1);
	bad |= nlr_talk(n, NULL, NULL, NULL) != -ENOENT;
	nlr_close(n);
	return bad ? 11 : 0;
}

/*
 * A dump holds the caller's pid and user namespaces from start() to done();
 * on 6.12 a start() that fails is never followed by done(), so it must drop
 * them itself. Inside a user namespace allowed one child namespace, each
 * round creates one, fails dumps from it and exits: a reference kept by the
 * module keeps the namespace counted and the next unshare() fails (ENOSPC).
 */
static int namespace_rounds(int rounds)
{
	int r;

	/* a namespace is only created by an owner mapped in its parent */
	if (unshare(CLONE_NEWUSER) || write_file("/proc/self/uid_map", "0 0 1") ||
	    write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/gid_map", "0 0 1") ||
	    write_file("/proc/sys/user/max_user_namespaces", "1"))
		return 20;
	for (r = 0; r < rounds; r++) {
		struct timespec nap = { 0, 20 * 1000 * 1000 };
		int tries = XOS_SCALED(250), status;
		pid_t pid;

		/* the last round's namespace is freed from a work item */
		for (;;) {
			pid = fork();
			if (pid < 0)
				return 21;
			if (!pid) {
				if (unshare(CLONE_NEWUSER))
					_exit(errno == ENOSPC ? 30 : 31);
				_exit(failing_dump_starts());
			}
			status = reap(pid);
			if (status < 0 || status >= 128)
				return 22;
			if (status != 30 || !--tries)
				break;
			nanosleep(&nap, NULL);
		}
		if (status)
			return status;
	}
	return 0;
}

TEST(failed_dump_start_releases_namespaces)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid)
		_exit(namespace_rounds(4));
	/* 30: a namespace of an earlier round was never freed; 31: other */
	EXPECT_EQ(0, reap(pid));
}

TEST_HARNESS_MAIN
