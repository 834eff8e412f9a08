// SPDX-License-Identifier: GPL-2.0
/*
 * How libxosjob words an error ack whose attributes say more than its
 * message, or say it alone: a missing attribute (NLMSGERR_ATTR_MISS_TYPE,
 * MISS_NEST) and the limit of a policy (NLMSGERR_ATTR_POLICY). The module
 * words its own errors; another kernel, module or the genetlink core may
 * not. The acks are built here: the library's parser is included.
 */
#include "../userspace/lib/xosjob.c"

#include "harness.h"

struct ack {
	char buf[1024] __attribute__((aligned(4)));
	struct nlmsghdr *h;
};

/* NLMSG_ERROR @err with a capped copy of the request: TLVs follow. */
static void ack_start(struct ack *a, int err)
{
	struct nlmsgerr *e;

	memset(a->buf, 0, sizeof(a->buf));
	a->h = (struct nlmsghdr *)a->buf;
	a->h->nlmsg_type = NLMSG_ERROR;
	a->h->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	a->h->nlmsg_len = NLMSG_HDRLEN + sizeof(*e);
	e = NLMSG_DATA(a->h);
	e->error = err;
}

static void ack_put(struct ack *a, int type, const void *data, size_t len)
{
	struct nlattr *at = (struct nlattr *)(a->buf + NLMSG_ALIGN(a->h->nlmsg_len));

	at->nla_type = type;
	at->nla_len = NLA_HDRLEN + len;
	memcpy((char *)at + NLA_HDRLEN, data, len);
	a->h->nlmsg_len = NLMSG_ALIGN(a->h->nlmsg_len) + NLA_ALIGN(at->nla_len);
}

static void ack_put_u32(struct ack *a, int type, uint32_t v)
{
	ack_put(a, type, &v, sizeof(v));
}

static const char *words(struct xosjob_ctx *ctx, struct ack *a)
{
	ctx->msg[0] = 0;
	parse_ext_ack(ctx, a->h, NLMSG_HDRLEN + sizeof(struct nlmsgerr));
	return ctx->msg;
}

/* Offset of the first attribute of type @type in the request. */
static uint32_t req_offset(struct nl_msg *m, int type)
{
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct nlattr *at;
	int rem;

	nla_for_each_attr(at, genlmsg_attrdata(nlmsg_data(h), 0),
			  genlmsg_attrlen(nlmsg_data(h), 0), rem)
		if (nla_type(at) == type)
			return (char *)at - (char *)h;
	return 0;
}

TEST(missing_attribute_without_message)
{
	struct xosjob_ctx ctx = { 0 };
	struct ack a;

	ack_start(&a, -EINVAL);
	ack_put_u32(&a, NLMSGERR_ATTR_MISS_TYPE, XOS_JOB_A_ID);
	EXPECT_STREQ("missing attribute: id", words(&ctx, &a));

	ack_start(&a, -EINVAL);
	ack_put_u32(&a, NLMSGERR_ATTR_MISS_TYPE, XOS_JOB_A_SIGNAL);
	EXPECT_STREQ("missing attribute: signal", words(&ctx, &a));
}

/* The kernel's words win; the type only fills in for none. */
TEST(missing_attribute_with_message)
{
	struct xosjob_ctx ctx = { 0 };
	struct ack a;

	ack_start(&a, -EINVAL);
	ack_put(&a, NLMSGERR_ATTR_MSG, "missing pid", sizeof("missing pid"));
	ack_put_u32(&a, NLMSGERR_ATTR_MISS_TYPE, XOS_JOB_A_PID);
	EXPECT_STREQ("missing pid", words(&ctx, &a));
}

/* MISS_NEST: the offset of the nest, in the request, that lacks it. */
TEST(missing_attribute_in_a_nest)
{
	struct xosjob_ctx ctx = { 0 };
	struct nlattr *nest;
	struct nl_msg *m;
	struct ack a;

	m = nlmsg_alloc();
	ASSERT_NE(NULL, m);
	ASSERT_NE(NULL, genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, 30, 0, 0,
				    XOS_JOB_CMD_GET, XOS_JOB_GENL_VERSION));
	ASSERT_EQ(0, nla_put_u64(m, XOS_JOB_A_ID, 7));
	nest = nla_nest_start(m, XOS_JOB_A_LABEL);
	ASSERT_NE(NULL, nest);
	ASSERT_EQ(0, nla_put_u32(m, 1, 1));
	nla_nest_end(m, nest);
	ctx.req = m;

	ack_start(&a, -EINVAL);
	ack_put_u32(&a, NLMSGERR_ATTR_MISS_TYPE, 2);
	ack_put_u32(&a, NLMSGERR_ATTR_MISS_NEST, req_offset(m, XOS_JOB_A_LABEL));
	EXPECT_STREQ("missing attribute 2 inside label", words(&ctx, &a));

	/* a nest offset the library cannot place */
	ctx.req = NULL;
	EXPECT_STREQ("missing attribute 2 inside a nested attribute",
		     words(&ctx, &a));
	nlmsg_free(m);
}

/* A policy error: the kernel's text, then the attribute and its limit. */
TEST(policy_limit_worded)
{
	static const char kmsg[] = "Attribute failed policy validation";
	struct xosjob_ctx ctx = { 0 };
	struct nl_msg *m;
	struct ack a;
	struct {
		struct nlattr h;
		uint32_t v;
	} pol[2] = {
		{ { 8, NL_POLICY_TYPE_ATTR_MIN_VALUE_U }, 0 },
		{ { 8, NL_POLICY_TYPE_ATTR_MAX_VALUE_U }, 64 },
	};

	m = nlmsg_alloc();
	ASSERT_NE(NULL, m);
	ASSERT_NE(NULL, genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, 30, 0, 0,
				    XOS_JOB_CMD_KILL, XOS_JOB_GENL_VERSION));
	ASSERT_EQ(0, nla_put_u64(m, XOS_JOB_A_ID, 7));
	ASSERT_EQ(0, nla_put_u32(m, XOS_JOB_A_SIGNAL, 65));
	ctx.req = m;
	ack_start(&a, -ERANGE);
	ack_put(&a, NLMSGERR_ATTR_MSG, kmsg, sizeof(kmsg));
	ack_put_u32(&a, NLMSGERR_ATTR_OFFS, req_offset(m, XOS_JOB_A_SIGNAL));
	ack_put(&a, NLMSGERR_ATTR_POLICY | NLA_F_NESTED, pol, sizeof(pol));
	EXPECT_STREQ("Attribute failed policy validation: signal must be 0..64",
		     words(&ctx, &a));
	nlmsg_free(m);
}

TEST_HARNESS_MAIN
