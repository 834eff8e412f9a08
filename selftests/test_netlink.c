// SPDX-License-Identifier: GPL-2.0
/*
 * The xos_job family: it resolves, answers the version query, and rejects
 * unknown commands and malformed requests with an extack message.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
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

struct info_seen {
	uint32_t version;
	char module_version[64];
	uint32_t max_jobs;
	int has_nr_jobs, has_nr_tasks, has_failures;
};

static int info_cb(const struct nlmsghdr *h, void *arg)
{
	struct info_seen *s = arg;
	const struct nlattr *a;

	a = nlr_attr(h, XOS_JOB_A_VERSION);
	if (a)
		s->version = nlr_get_u32(a);
	a = nlr_attr(h, XOS_JOB_A_MODULE_VERSION);
	if (a)
		snprintf(s->module_version, sizeof(s->module_version), "%s",
			 (const char *)nlr_data(a));
	a = nlr_attr(h, XOS_JOB_A_MAX_JOBS);
	if (a)
		s->max_jobs = nlr_get_u32(a);
	s->has_nr_jobs = !!nlr_attr(h, XOS_JOB_A_NR_JOBS);
	s->has_nr_tasks = !!nlr_attr(h, XOS_JOB_A_NR_TASKS);
	s->has_failures = !!nlr_attr(h, XOS_JOB_A_ALLOC_FAILURES);
	return 0;
}

TEST_F(nl, version_query_answers)
{
	struct info_seen s = { 0 };

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
	struct info_seen s = { 0 };
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
