// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libxosjob: the xos_job generic netlink family over libnl-genl-3.
 *
 * One request at a time per context. Every request is read to its end (the
 * ack, the error or the dump's NLMSG_DONE) before the call returns, so the
 * socket never holds a stale answer. Errors keep the kernel's extack
 * message, which libnl does not decode: the error and NLMSG_DONE callbacks
 * parse the ack TLVs themselves.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "xosjob.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define NO_FAMILY_MSG \
	"xos_job family not found: is the module loaded? (modprobe xos_job)"

/* Parses one reply message; returns 0 or a negative errno. */
typedef int (*parse_fn)(struct nlattr **tb, void *arg);

struct xosjob_ctx {
	struct nl_sock *sk;
	struct nl_cb *cb;
	int family;
	/* state of the request in flight */
	int err;		/* negative errno, or 0 */
	bool done;		/* ack, error or NLMSG_DONE seen */
	bool interrupted;	/* NLM_F_DUMP_INTR seen */
	uint32_t seq;		/* of the request */
	parse_fn parse;
	void *arg;
	char msg[512];		/* extack text, or our own words */
	bool from_kernel;	/* err is the kernel's answer to a request */
	struct nl_msg *req;	/* the request in flight (bad-attr offsets) */
};

static int set_err(struct xosjob_ctx *ctx, int err, const char *msg)
{
	ctx->err = err;
	ctx->from_kernel = false;
	snprintf(ctx->msg, sizeof(ctx->msg), "%s", msg ? msg : "");
	return err;
}

/* The request attributes, by the names of the spec (XOS_JOB_A_*). */
static const char *const attr_names[] = {
	[XOS_JOB_A_ID] = "id",
	[XOS_JOB_A_PID] = "pid",
	[XOS_JOB_A_LABEL] = "label",
	[XOS_JOB_A_OWNER_UID] = "owner-uid",
	[XOS_JOB_A_SIGNAL] = "signal",
	[XOS_JOB_A_ENDED] = "ended",
	[XOS_JOB_A_SEQ] = "seq",
	[XOS_JOB_A_NO_CGROUP] = "no-cgroup",
	[XOS_JOB_A_OWN_CGROUP] = "own-cgroup",
	[XOS_JOB_A_LIMITS] = "limits",
	[XOS_JOB_A_CHECKPOINTING] = "checkpointing",
	[XOS_JOB_A_RESTORED_FROM] = "restored-from",
	[XOS_JOB_A_BASE] = "base",
};

static void attr_name(unsigned int type, char *buf, size_t len)
{
	if (type < sizeof(attr_names) / sizeof(attr_names[0]) &&
	    attr_names[type])
		snprintf(buf, len, "%s", attr_names[type]);
	else
		snprintf(buf, len, "attribute %u", type);
}

/* What the ack TLVs say besides the message. */
struct ext_ack {
	int miss_type;				/* -1: none */
	/* NLMSGERR_ATTR_OFFS: the offending attribute's name, "" if none */
	char bad[48];
	/* NLMSGERR_ATTR_MISS_NEST: the nest's name, "" if not in the request */
	bool has_miss_nest;
	char miss_nest[48];
	bool has_max_len, has_max, has_min;
	uint64_t max_len, max, min;
};

static uint64_t tlv_uint(const struct nlattr *a)
{
	uint64_t v = 0;
	size_t len = a->nla_len - NLA_HDRLEN;

	if (len == 8)
		memcpy(&v, (const char *)a + NLA_HDRLEN, 8);
	else if (len >= 4) {
		uint32_t w;

		memcpy(&w, (const char *)a + NLA_HDRLEN, 4);
		v = w;
	}
	return v;
}

/* NLMSGERR_ATTR_POLICY: the limits the attribute broke. */
static void parse_policy(struct ext_ack *x, const struct nlattr *nest)
{
	size_t off = NLA_HDRLEN;

	while (off + NLA_HDRLEN <= nest->nla_len) {
		const struct nlattr *a = (const void *)((const char *)nest + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nest->nla_len)
			return;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			x->has_max_len = true;
			x->max_len = tlv_uint(a);
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			x->has_max = true;
			x->max = tlv_uint(a);
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			x->has_min = true;
			x->min = tlv_uint(a);
			break;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

/* The type of the request attribute at @off bytes into the request. */
static const char *const limit_names[] = {
	[XOS_JOB_LIMIT_A_CPU_TIME_NS] = "cpu-time-ns",
	[XOS_JOB_LIMIT_A_TIME_NS] = "time-ns",
	[XOS_JOB_LIMIT_A_GRACE_NS] = "grace-ns",
	[XOS_JOB_LIMIT_A_MEMORY_MAX] = "memory-max",
	[XOS_JOB_LIMIT_A_MEMORY_HIGH] = "memory-high",
	[XOS_JOB_LIMIT_A_SWAP_MAX] = "swap-max",
	[XOS_JOB_LIMIT_A_PIDS_MAX] = "pids-max",
	[XOS_JOB_LIMIT_A_CPU_QUOTA_US] = "cpu-quota-us",
	[XOS_JOB_LIMIT_A_CPU_PERIOD_US] = "cpu-period-us",
	[XOS_JOB_LIMIT_A_CPU_WEIGHT] = "cpu-weight",
	[XOS_JOB_LIMIT_A_IO_WEIGHT] = "io-weight",
	[XOS_JOB_LIMIT_A_CPUS] = "cpus",
	[XOS_JOB_LIMIT_A_MEMS] = "mems",
};

/*
 * The name of the request attribute that starts @off bytes into the
 * request (NLMSGERR_ATTR_OFFS), one inside the limits nest included;
 * false if there is none.
 */
static bool req_attr_name(const struct xosjob_ctx *ctx, uint32_t off,
			  char *buf, size_t len)
{
	buf[0] = 0;
	const struct nlmsghdr *h;
	const struct nlattr *a;
	size_t pos, end;

	if (!ctx->req)
		return false;
	h = nlmsg_hdr(ctx->req);
	if (off < NLMSG_HDRLEN + GENL_HDRLEN || off + NLA_HDRLEN > h->nlmsg_len)
		return false;
	for (pos = NLMSG_HDRLEN + GENL_HDRLEN; pos + NLA_HDRLEN <= h->nlmsg_len;
	     pos += NLA_ALIGN(a->nla_len)) {
		a = (const void *)((const char *)h + pos);
		if (a->nla_len < NLA_HDRLEN)
			return false;
		end = pos + a->nla_len;
		if (pos == off) {
			attr_name(a->nla_type & NLA_TYPE_MASK, buf, len);
			return true;
		}
		if (off > pos && off < end &&
		    (a->nla_type & NLA_TYPE_MASK) == XOS_JOB_A_LIMITS) {
			unsigned int t;

			a = (const void *)((const char *)h + off);
			t = a->nla_type & NLA_TYPE_MASK;
			if (t < sizeof(limit_names) / sizeof(limit_names[0]) &&
			    limit_names[t])
				snprintf(buf, len, "limits.%s", limit_names[t]);
			else
				snprintf(buf, len, "limits attribute %u", t);
			return true;
		}
	}
	return false;
}

/*
 * Keeps NLMSGERR_ATTR_MSG of the ack TLVs that start @off bytes into @h,
 * and words what only the other TLVs say: which attribute is missing (a
 * GENL_REQ_ATTR_CHECK without a message), or which limit of the policy
 * the offending attribute broke.
 */
static void parse_ext_ack(struct xosjob_ctx *ctx, const struct nlmsghdr *h,
			  size_t off)
{
	struct ext_ack x = { .miss_type = -1 };
	char name[48];
	size_t n;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (off + NLA_HDRLEN <= h->nlmsg_len) {
		const struct nlattr *a = (const void *)((const char *)h + off);
		size_t len;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > h->nlmsg_len)
			break;
		len = a->nla_len - NLA_HDRLEN;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (!len)
				break;
			if (len >= sizeof(ctx->msg))
				len = sizeof(ctx->msg) - 1;
			memcpy(ctx->msg, (const char *)a + NLA_HDRLEN, len);
			ctx->msg[len] = 0;
			/* the kernel's text ends in a NUL, maybe a newline */
			len = strlen(ctx->msg);
			while (len && ctx->msg[len - 1] == '\n')
				ctx->msg[--len] = 0;
			break;
		case NLMSGERR_ATTR_OFFS:
			req_attr_name(ctx, tlv_uint(a), x.bad, sizeof(x.bad));
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			x.miss_type = tlv_uint(a);
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			x.has_miss_nest = true;
			req_attr_name(ctx, tlv_uint(a), x.miss_nest,
				      sizeof(x.miss_nest));
			break;
		case NLMSGERR_ATTR_POLICY:
			parse_policy(&x, a);
			break;
		}
		off += NLA_ALIGN(a->nla_len);
	}
	n = strlen(ctx->msg);
	if (x.miss_type >= 0 && !n) {
		if (!x.has_miss_nest) {
			attr_name(x.miss_type, name, sizeof(name));
			snprintf(ctx->msg, sizeof(ctx->msg),
				 "missing attribute: %s", name);
			return;
		}
		/* inside a nest the types are the nest's own: a number */
		snprintf(name, sizeof(name), "%s",
			 x.miss_nest[0] ? x.miss_nest : "a nested attribute");
		snprintf(ctx->msg, sizeof(ctx->msg),
			 "missing attribute %d inside %s", x.miss_type, name);
		return;
	}
	if (!x.bad[0] || !(x.has_max_len || x.has_max || x.has_min))
		return;
	snprintf(name, sizeof(name), "%s", x.bad);
	if (x.has_max_len)
		snprintf(ctx->msg + n, sizeof(ctx->msg) - n,
			 "%s%s is at most %" PRIu64 " bytes", n ? ": " : "",
			 name, x.max_len);
	else if (x.has_min && x.has_max)
		snprintf(ctx->msg + n, sizeof(ctx->msg) - n,
			 "%s%s must be %" PRIu64 "..%" PRIu64, n ? ": " : "",
			 name, x.min, x.max);
	else
		snprintf(ctx->msg + n, sizeof(ctx->msg) - n,
			 "%s%s must be at %s %" PRIu64, n ? ": " : "", name,
			 x.has_max ? "most" : "least", x.has_max ? x.max : x.min);
}

/*
 * NLMSG_ERROR with an error. The TLVs follow the echoed request: its
 * header only when the kernel capped it (NLM_F_CAPPED), all of it else.
 */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct xosjob_ctx *ctx = arg;
	const struct nlmsghdr *h = (const void *)((char *)e - NLMSG_HDRLEN);
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	(void)nla;
	if (!(h->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	/* a callback's error came first and wins; the kernel's is news */
	if (!ctx->err) {
		ctx->err = e->error;
		ctx->from_kernel = e->error < 0;
		ctx->msg[0] = 0;
		parse_ext_ack(ctx, h, off);
	}
	ctx->done = true;
	return NL_STOP;
}

/* NLMSG_DONE: a dump that failed carries the error and the ack TLVs. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct xosjob_ctx *ctx = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	int err;

	if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&err, nlmsg_data(h), sizeof(err));
		if (err < 0 && !ctx->err) {
			ctx->err = err;
			ctx->from_kernel = true;
			ctx->msg[0] = 0;
			parse_ext_ack(ctx, h, NLMSG_HDRLEN + sizeof(int));
		}
	}
	ctx->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct xosjob_ctx *ctx = arg;

	(void)msg;
	ctx->done = true;
	return NL_STOP;
}

/* Anything but the answer to the request in flight is stale: skip it. */
static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct xosjob_ctx *ctx = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == ctx->seq ? NL_OK : NL_SKIP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct xosjob_ctx *ctx = arg;

	(void)msg;
	ctx->interrupted = true;
	return NL_OK;
}

/*
 * A reply. Never NL_STOP here: libnl would drop the rest of the datagram,
 * which may hold the NLMSG_DONE we wait for. After a failure the remaining
 * replies are read and ignored.
 */
static int on_valid(struct nl_msg *msg, void *arg)
{
	struct xosjob_ctx *ctx = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[XOS_JOB_A_MAX + 1];
	int err;

	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->interrupted = true;
	if (ctx->err || !ctx->parse)
		return NL_SKIP;
	if (genlmsg_parse(h, 0, tb, XOS_JOB_A_MAX, NULL) < 0) {
		set_err(ctx, -EBADMSG, "malformed reply from the kernel");
		return NL_SKIP;
	}
	err = ctx->parse(tb, ctx->arg);
	if (err) {
		/* a caller's callback stopped the dump: keep its errno */
		set_err(ctx, err, err == -EBADMSG ?
			"malformed reply from the kernel" : NULL);
	}
	return NL_SKIP;
}

int xosjob_open(struct xosjob_ctx **ctxp)
{
	struct xosjob_ctx *ctx = calloc(1, sizeof(*ctx));
	int one = 1, err;

	*ctxp = NULL;
	if (!ctx)
		return -ENOMEM;
	ctx->sk = nl_socket_alloc();
	ctx->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ctx->sk || !ctx->cb) {
		err = -ENOMEM;
		goto fail;
	}
	errno = 0;
	if (genl_connect(ctx->sk)) {
		err = errno ? -errno : -EPROTO;
		goto fail;
	}
	/* extack messages; the request need not be echoed in full */
	setsockopt(nl_socket_get_fd(ctx->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(ctx->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* replies can be large: the tasks dump of a big job */
	nl_socket_set_buffer_size(ctx->sk, 1 << 20, 0);
	/* talk() asks for acks itself: dumps must not carry NLM_F_ACK */
	nl_socket_disable_auto_ack(ctx->sk);
	nl_cb_set(ctx->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, ctx);
	nl_cb_err(ctx->cb, NL_CB_CUSTOM, on_error, ctx);
	nl_cb_set(ctx->cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, ctx);
	nl_cb_set(ctx->cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, ctx);
	nl_cb_set(ctx->cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, ctx);
	nl_cb_set(ctx->cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, ctx);
	ctx->family = genl_ctrl_resolve(ctx->sk, XOS_JOB_GENL_NAME);
	if (ctx->family < 0) {
		err = -ENOENT;
		goto fail;
	}
	*ctxp = ctx;
	return 0;
fail:
	if (ctx->cb)
		nl_cb_put(ctx->cb);
	if (ctx->sk)
		nl_socket_free(ctx->sk);
	free(ctx);
	return err;
}

void xosjob_close(struct xosjob_ctx *ctx)
{
	if (!ctx)
		return;
	nl_cb_put(ctx->cb);
	nl_socket_free(ctx->sk);
	free(ctx);
}

const char *xosjob_strerror(const struct xosjob_ctx *ctx)
{
	/* xosjob_open() leaves no context when the family is missing */
	if (!ctx)
		return NO_FAMILY_MSG;
	if (ctx->msg[0])
		return ctx->msg;
	if (ctx->err == -EOPNOTSUPP)
		return "the loaded xos_job module does not know this command";
	return strerror(ctx->err ? -ctx->err : EIO);
}

int xosjob_errno(const struct xosjob_ctx *ctx)
{
	if (!ctx)
		return ENOENT;
	return ctx->err ? -ctx->err : 0;
}

bool xosjob_kernel_error(const struct xosjob_ctx *ctx)
{
	return ctx && ctx->from_kernel;
}

int xosjob_family(const struct xosjob_ctx *ctx)
{
	return ctx->family;
}

/* Starts a request; the caller adds attributes and calls talk(). */
static struct nl_msg *request(struct xosjob_ctx *ctx, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->family, 0,
			 flags, cmd, XOS_JOB_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * Sends @msg (freed here; @put_err is the first nla_put failure while
 * building it) and reads until its ack, error or DONE. Do requests ask for
 * an ack, so that a reply and a bare ack end the same way.
 */
static int talk_recv(struct xosjob_ctx *ctx, int err);

static int talk(struct xosjob_ctx *ctx, struct nl_msg *msg, int put_err,
		parse_fn parse, void *arg)
{
	int err;

	ctx->err = 0;
	ctx->from_kernel = false;
	ctx->done = false;
	ctx->interrupted = false;
	ctx->msg[0] = 0;
	ctx->parse = parse;
	ctx->arg = arg;
	if (!msg)
		return set_err(ctx, -ENOMEM, NULL);
	if (put_err < 0) {
		nlmsg_free(msg);
		return set_err(ctx, -EMSGSIZE,
			       "request does not fit in a netlink message");
	}
	if (!(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP))
		nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	err = nl_send_auto(ctx->sk, msg);
	ctx->seq = nlmsg_hdr(msg)->nlmsg_seq;
	ctx->req = msg;
	err = talk_recv(ctx, err);
	ctx->req = NULL;
	nlmsg_free(msg);
	return err;
}

/* The answers to the request just sent (@err: what sending it gave). */
static int talk_recv(struct xosjob_ctx *ctx, int err)
{
	if (err < 0) {
		snprintf(ctx->msg, sizeof(ctx->msg),
			 "sending to the kernel: %s", nl_geterror(err));
		ctx->err = -EIO;
		return ctx->err;
	}
	while (!ctx->done) {
		err = nl_recvmsgs(ctx->sk, ctx->cb);
		if (err == -NLE_DUMP_INTR) {
			ctx->interrupted = true;
			continue;
		}
		if (err < 0 && !ctx->done) {
			/* the socket failed: nothing more will come */
			snprintf(ctx->msg, sizeof(ctx->msg),
				 "receiving from the kernel: %s",
				 nl_geterror(err));
			ctx->err = -EIO;
			break;
		}
	}
	return ctx->err;
}

static uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] && nla_len(tb[type]) >= 4 ? nla_get_u32(tb[type]) : 0;
}

static uint64_t get_u64(struct nlattr **tb, int type)
{
	return tb[type] && nla_len(tb[type]) >= 8 ? nla_get_u64(tb[type]) : 0;
}

/* Copies a string attribute, always NUL-terminated; false if absent. */
static bool get_str(struct nlattr **tb, int type, char *buf, size_t size)
{
	buf[0] = 0;
	if (!tb[type])
		return false;
	nla_strlcpy(buf, tb[type], size);
	return true;
}

static int parse_info(struct nlattr **tb, void *arg)
{
	struct xosjob_info *info = arg;

	info->version = get_u32(tb, XOS_JOB_A_VERSION);
	get_str(tb, XOS_JOB_A_MODULE_VERSION, info->module_version,
		sizeof(info->module_version));
	info->nr_jobs = get_u32(tb, XOS_JOB_A_NR_JOBS);
	info->max_jobs = get_u32(tb, XOS_JOB_A_MAX_JOBS);
	info->nr_tasks = get_u64(tb, XOS_JOB_A_NR_TASKS);
	info->alloc_failures = get_u64(tb, XOS_JOB_A_ALLOC_FAILURES);
	info->last_seq = get_u64(tb, XOS_JOB_A_SEQ);
	info->oldest_seq = get_u64(tb, XOS_JOB_A_OLDEST_SEQ);
	info->ring_size = get_u32(tb, XOS_JOB_A_RING_SIZE);
	return 0;
}

int xosjob_info(struct xosjob_ctx *ctx, struct xosjob_info *info)
{
	memset(info, 0, sizeof(*info));
	return talk(ctx, request(ctx, XOS_JOB_CMD_INFO, 0), 0, parse_info,
		    info);
}

static int parse_id(struct nlattr **tb, void *arg)
{
	uint64_t *id = arg;

	*id = get_u64(tb, XOS_JOB_A_ID);
	return 0;
}

int xosjob_new_owner(struct xosjob_ctx *ctx, const char *label, pid_t pid,
		     uid_t owner, uint64_t *id)
{
	struct xosjob_new_req req = {
		.label = label, .pid = pid, .owner = owner,
	};

	return xosjob_new_req(ctx, &req, id);
}

bool xosjob_limits_any(const struct xosjob_limits *l)
{
	return l->cpu_time_ns || l->time_ns || l->has_grace ||
	       l->memory_max || l->memory_high || l->has_swap_max ||
	       l->pids_max || l->cpu_quota_us || l->cpu_period_us ||
	       l->cpu_weight || l->io_weight || l->cpus[0] || l->mems[0];
}

static const char *const end_state_names[] = {
	[XOS_JOB_END_COMPLETED] = "completed",
	[XOS_JOB_END_FAILED] = "failed",
	[XOS_JOB_END_KILLED] = "killed",
	[XOS_JOB_END_CPU_TIME_LIMIT] = "cpu-time-limit",
	[XOS_JOB_END_TIME_LIMIT] = "time-limit",
	[XOS_JOB_END_OUT_OF_MEMORY] = "out-of-memory",
	[XOS_JOB_END_CHECKPOINTED] = "checkpointed",
};

const char *xosjob_end_state_name(uint32_t state)
{
	if (state < sizeof(end_state_names) / sizeof(end_state_names[0]) &&
	    end_state_names[state])
		return end_state_names[state];
	return "?";
}

/* The u64 limits in uapi order, and their places in struct xosjob_limits. */
static const struct {
	int type;
	size_t off;
} limit_u64[] = {
	{ XOS_JOB_LIMIT_A_CPU_TIME_NS, offsetof(struct xosjob_limits, cpu_time_ns) },
	{ XOS_JOB_LIMIT_A_TIME_NS, offsetof(struct xosjob_limits, time_ns) },
	{ XOS_JOB_LIMIT_A_GRACE_NS, offsetof(struct xosjob_limits, grace_ns) },
	{ XOS_JOB_LIMIT_A_MEMORY_MAX, offsetof(struct xosjob_limits, memory_max) },
	{ XOS_JOB_LIMIT_A_MEMORY_HIGH, offsetof(struct xosjob_limits, memory_high) },
	{ XOS_JOB_LIMIT_A_SWAP_MAX, offsetof(struct xosjob_limits, swap_max) },
	{ XOS_JOB_LIMIT_A_PIDS_MAX, offsetof(struct xosjob_limits, pids_max) },
	{ XOS_JOB_LIMIT_A_CPU_QUOTA_US, offsetof(struct xosjob_limits, cpu_quota_us) },
	{ XOS_JOB_LIMIT_A_CPU_PERIOD_US, offsetof(struct xosjob_limits, cpu_period_us) },
	{ XOS_JOB_LIMIT_A_CPU_WEIGHT, offsetof(struct xosjob_limits, cpu_weight) },
	{ XOS_JOB_LIMIT_A_IO_WEIGHT, offsetof(struct xosjob_limits, io_weight) },
};

#define NR_LIMIT_U64 (sizeof(limit_u64) / sizeof(limit_u64[0]))

static uint64_t *limit_field(struct xosjob_limits *l, size_t i)
{
	return (uint64_t *)((char *)l + limit_u64[i].off);
}

static int put_limits(struct nl_msg *msg, const struct xosjob_limits *l)
{
	struct xosjob_limits copy = *l;
	struct nlattr *nest;
	size_t i;

	nest = nla_nest_start(msg, XOS_JOB_A_LIMITS);
	if (!nest)
		return -NLE_NOMEM;
	for (i = 0; i < NR_LIMIT_U64; i++) {
		int type = limit_u64[i].type;
		uint64_t v = *limit_field(&copy, i);
		bool set = type == XOS_JOB_LIMIT_A_GRACE_NS ? l->has_grace :
			   type == XOS_JOB_LIMIT_A_SWAP_MAX ? l->has_swap_max :
			   v != 0;

		if (set && nla_put_u64(msg, type, v))
			return -NLE_NOMEM;
	}
	if ((l->cpus[0] && nla_put_string(msg, XOS_JOB_LIMIT_A_CPUS, l->cpus)) ||
	    (l->mems[0] && nla_put_string(msg, XOS_JOB_LIMIT_A_MEMS, l->mems)))
		return -NLE_NOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static void fill_limits(struct nlattr *nest, struct xosjob_limits *l)
{
	struct nlattr *t[XOS_JOB_LIMIT_A_MAX + 1];
	size_t i;

	memset(l, 0, sizeof(*l));
	if (!nest || nla_parse_nested(t, XOS_JOB_LIMIT_A_MAX, nest, NULL))
		return;
	for (i = 0; i < NR_LIMIT_U64; i++)
		*limit_field(l, i) = get_u64(t, limit_u64[i].type);
	l->has_grace = t[XOS_JOB_LIMIT_A_GRACE_NS] != NULL;
	l->has_swap_max = t[XOS_JOB_LIMIT_A_SWAP_MAX] != NULL;
	get_str(t, XOS_JOB_LIMIT_A_CPUS, l->cpus, sizeof(l->cpus));
	get_str(t, XOS_JOB_LIMIT_A_MEMS, l->mems, sizeof(l->mems));
}

/* The u64 figures of @st, as a nest of XOS_JOB_STATS_A_*. */
static int put_stats(struct nl_msg *msg, int type,
		     const struct xosjob_stats *st)
{
	const struct {
		int type;
		uint64_t v;
	} f[] = {
		{ XOS_JOB_STATS_A_UTIME_NS, st->utime_ns },
		{ XOS_JOB_STATS_A_STIME_NS, st->stime_ns },
		{ XOS_JOB_STATS_A_RUNTIME_NS, st->runtime_ns },
		{ XOS_JOB_STATS_A_MINFLT, st->minflt },
		{ XOS_JOB_STATS_A_MAJFLT, st->majflt },
		{ XOS_JOB_STATS_A_NVCSW, st->nvcsw },
		{ XOS_JOB_STATS_A_NIVCSW, st->nivcsw },
		{ XOS_JOB_STATS_A_RCHAR, st->rchar },
		{ XOS_JOB_STATS_A_WCHAR, st->wchar },
		{ XOS_JOB_STATS_A_SYSCR, st->syscr },
		{ XOS_JOB_STATS_A_SYSCW, st->syscw },
		{ XOS_JOB_STATS_A_READ_BYTES, st->read_bytes },
		{ XOS_JOB_STATS_A_WRITE_BYTES, st->write_bytes },
		{ XOS_JOB_STATS_A_CANCELLED_WRITE_BYTES,
		  st->cancelled_write_bytes },
		{ XOS_JOB_STATS_A_HIWATER_RSS_KB, st->hiwater_rss_kb },
		{ XOS_JOB_STATS_A_HIWATER_VM_KB, st->hiwater_vm_kb },
		{ XOS_JOB_STATS_A_COREMEM_MB_US, st->coremem_mb_us },
		{ XOS_JOB_STATS_A_VIRTMEM_MB_US, st->virtmem_mb_us },
	};
	struct nlattr *nest = nla_nest_start(msg, type);
	size_t i;
	int d;

	if (!nest)
		return -NLE_NOMEM;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (nla_put_u64(msg, f[i].type, f[i].v))
			return -NLE_NOMEM;
	for (d = 0; d < XOSJOB_NR_DELAYS; d++) {
		if (!st->has_delay[d])
			continue;
		if (nla_put_u64(msg, XOS_JOB_STATS_A_CPU_DELAY_NS + 2 * d,
				st->delay_ns[d]) ||
		    nla_put_u64(msg, XOS_JOB_STATS_A_CPU_DELAY_COUNT + 2 * d,
				st->delay_count[d]))
			return -NLE_NOMEM;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int xosjob_new_req(struct xosjob_ctx *ctx, const struct xosjob_new_req *req,
		   uint64_t *id)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_NEW, 0);
	int err = 0;

	*id = 0;
	if (msg && req->label)
		err = nla_put_string(msg, XOS_JOB_A_LABEL, req->label);
	if (msg && !err && req->pid)
		err = nla_put_u32(msg, XOS_JOB_A_PID, req->pid);
	if (msg && !err && req->owner != XOSJOB_OWNER_DEFAULT)
		err = nla_put_u32(msg, XOS_JOB_A_OWNER_UID, req->owner);
	if (msg && !err && req->own_cgroup)
		err = nla_put_flag(msg, XOS_JOB_A_OWN_CGROUP);
	if (msg && !err && xosjob_limits_any(&req->limits))
		err = put_limits(msg, &req->limits);
	if (msg && !err && req->restored_from)
		err = nla_put_u64(msg, XOS_JOB_A_RESTORED_FROM,
				  req->restored_from);
	if (msg && !err && req->base)
		err = put_stats(msg, XOS_JOB_A_BASE, req->base);
	return talk(ctx, msg, err, parse_id, id);
}

int xosjob_new(struct xosjob_ctx *ctx, const char *label, pid_t pid,
	       uint64_t *id)
{
	return xosjob_new_owner(ctx, label, pid, XOSJOB_OWNER_DEFAULT, id);
}

static int parse_attach(struct nlattr **tb, void *arg)
{
	uint32_t *n = arg;

	*n = get_u32(tb, XOS_JOB_A_NR_ATTACHED);
	return 0;
}

int xosjob_attach(struct xosjob_ctx *ctx, uint64_t id, pid_t pid,
		  uint32_t *nr_attached)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_ATTACH, 0);
	int err = 0;

	*nr_attached = 0;
	if (msg)
		err = nla_put_u64(msg, XOS_JOB_A_ID, id) ?:
		      nla_put_u32(msg, XOS_JOB_A_PID, pid);
	return talk(ctx, msg, err, parse_attach, nr_attached);
}

static int parse_enter(struct nlattr **tb, void *arg)
{
	struct xosjob_anchor *a = arg;

	a->id = get_u64(tb, XOS_JOB_A_ID);
	a->pid = get_u32(tb, XOS_JOB_A_ANCHOR_PID);
	a->start_boottime_ns = get_u64(tb, XOS_JOB_A_ANCHOR_START_BOOTTIME);
	a->owner_uid = get_u32(tb, XOS_JOB_A_OWNER_UID);
	get_str(tb, XOS_JOB_A_CGROUP, a->cgroup, sizeof(a->cgroup));
	return 0;
}

int xosjob_enter(struct xosjob_ctx *ctx, uint64_t id, bool no_cgroup,
		 struct xosjob_anchor *anchor)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_ENTER, 0);
	int err = 0;

	memset(anchor, 0, sizeof(*anchor));
	if (msg)
		err = nla_put_u64(msg, XOS_JOB_A_ID, id) ?:
		      (no_cgroup ? nla_put_flag(msg, XOS_JOB_A_NO_CGROUP) : 0);
	return talk(ctx, msg, err, parse_enter, anchor);
}

static const char *const delay_names[XOSJOB_NR_DELAYS] = {
	"cpu", "blkio", "swapin", "freepages", "thrashing", "compact", "wpcopy",
};

const char *xosjob_delay_name(enum xosjob_delay d)
{
	return (unsigned int)d < XOSJOB_NR_DELAYS ? delay_names[d] : "?";
}

static void fill_stats(struct nlattr *nest, struct xosjob_stats *st)
{
	struct nlattr *t[XOS_JOB_STATS_A_MAX + 1];
	int i;

	memset(st, 0, sizeof(*st));
	if (!nest || nla_parse_nested(t, XOS_JOB_STATS_A_MAX, nest, NULL))
		return;
	st->utime_ns = get_u64(t, XOS_JOB_STATS_A_UTIME_NS);
	st->stime_ns = get_u64(t, XOS_JOB_STATS_A_STIME_NS);
	st->runtime_ns = get_u64(t, XOS_JOB_STATS_A_RUNTIME_NS);
	st->minflt = get_u64(t, XOS_JOB_STATS_A_MINFLT);
	st->majflt = get_u64(t, XOS_JOB_STATS_A_MAJFLT);
	st->nvcsw = get_u64(t, XOS_JOB_STATS_A_NVCSW);
	st->nivcsw = get_u64(t, XOS_JOB_STATS_A_NIVCSW);
	st->rchar = get_u64(t, XOS_JOB_STATS_A_RCHAR);
	st->wchar = get_u64(t, XOS_JOB_STATS_A_WCHAR);
	st->syscr = get_u64(t, XOS_JOB_STATS_A_SYSCR);
	st->syscw = get_u64(t, XOS_JOB_STATS_A_SYSCW);
	st->read_bytes = get_u64(t, XOS_JOB_STATS_A_READ_BYTES);
	st->write_bytes = get_u64(t, XOS_JOB_STATS_A_WRITE_BYTES);
	st->cancelled_write_bytes =
		get_u64(t, XOS_JOB_STATS_A_CANCELLED_WRITE_BYTES);
	st->hiwater_rss_kb = get_u64(t, XOS_JOB_STATS_A_HIWATER_RSS_KB);
	st->hiwater_vm_kb = get_u64(t, XOS_JOB_STATS_A_HIWATER_VM_KB);
	st->coremem_mb_us = get_u64(t, XOS_JOB_STATS_A_COREMEM_MB_US);
	st->virtmem_mb_us = get_u64(t, XOS_JOB_STATS_A_VIRTMEM_MB_US);
	st->delayacct = t[XOS_JOB_STATS_A_DELAYACCT] &&
			nla_get_u8(t[XOS_JOB_STATS_A_DELAYACCT]);
	for (i = 0; i < XOSJOB_NR_DELAYS; i++) {
		int ns = XOS_JOB_STATS_A_CPU_DELAY_NS + 2 * i;

		st->has_delay[i] = t[ns] != NULL;
		st->delay_ns[i] = get_u64(t, ns);
		st->delay_count[i] = get_u64(t, ns + 1);
	}
}

static void fill_states(struct nlattr *nest, struct xosjob_states *s)
{
	struct nlattr *t[XOS_JOB_STATES_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (!nest || nla_parse_nested(t, XOS_JOB_STATES_A_MAX, nest, NULL))
		return;
	s->running = get_u64(t, XOS_JOB_STATES_A_RUNNING);
	s->sleeping = get_u64(t, XOS_JOB_STATES_A_SLEEPING);
	s->uninterruptible = get_u64(t, XOS_JOB_STATES_A_UNINTERRUPTIBLE);
	s->stopped = get_u64(t, XOS_JOB_STATES_A_STOPPED);
	s->io_wait = get_u64(t, XOS_JOB_STATES_A_IO_WAIT);
	s->frozen = get_u64(t, XOS_JOB_STATES_A_FROZEN);
}

static void fill_job(struct nlattr **tb, struct xosjob_job *job)
{
	memset(job, 0, sizeof(*job));
	job->id = get_u64(tb, XOS_JOB_A_ID);
	job->has_label = get_str(tb, XOS_JOB_A_LABEL, job->label,
				 sizeof(job->label));
	job->owner_uid = get_u32(tb, XOS_JOB_A_OWNER_UID);
	job->created_realtime_ns = get_u64(tb, XOS_JOB_A_CREATED_REALTIME);
	job->created_boottime_ns = get_u64(tb, XOS_JOB_A_CREATED_BOOTTIME);
	job->anchor_pid = get_u32(tb, XOS_JOB_A_ANCHOR_PID);
	job->anchor_start_boottime_ns =
		get_u64(tb, XOS_JOB_A_ANCHOR_START_BOOTTIME);
	job->flags = get_u32(tb, XOS_JOB_A_FLAGS);
	job->nr_tasks = get_u64(tb, XOS_JOB_A_NR_TASKS);
	job->nr_procs = get_u64(tb, XOS_JOB_A_NR_PROCS);
	job->tasks_started = get_u64(tb, XOS_JOB_A_TASKS_STARTED);
	job->tasks_exited = get_u64(tb, XOS_JOB_A_TASKS_EXITED);
	job->procs_started = get_u64(tb, XOS_JOB_A_PROCS_STARTED);
	job->procs_exited = get_u64(tb, XOS_JOB_A_PROCS_EXITED);
	job->elapsed_ns = get_u64(tb, XOS_JOB_A_ELAPSED_NS);
	fill_stats(tb[XOS_JOB_A_STATS], &job->stats);
	job->has_states = tb[XOS_JOB_A_STATES] != NULL;
	fill_states(tb[XOS_JOB_A_STATES], &job->states);
	job->ended = tb[XOS_JOB_A_ENDED] != NULL;
	job->seq = get_u64(tb, XOS_JOB_A_SEQ);
	job->ended_realtime_ns = get_u64(tb, XOS_JOB_A_ENDED_REALTIME);
	job->ended_boottime_ns = get_u64(tb, XOS_JOB_A_ENDED_BOOTTIME);
	get_str(tb, XOS_JOB_A_CGROUP, job->cgroup, sizeof(job->cgroup));
	job->cgroup_id = get_u64(tb, XOS_JOB_A_CGROUP_ID);
	job->own_cgroup = job->flags & XOS_JOB_F_OWN_CGROUP;
	job->frozen = job->flags & XOS_JOB_F_FROZEN;
	job->has_limits = tb[XOS_JOB_A_LIMITS] != NULL;
	fill_limits(tb[XOS_JOB_A_LIMITS], &job->limits);
	job->nr_oom_killed = get_u64(tb, XOS_JOB_A_NR_OOM_KILLED);
	job->end_state = get_u32(tb, XOS_JOB_A_END_STATE);
	job->has_exit_status = tb[XOS_JOB_A_EXIT_STATUS] != NULL;
	job->exit_status = get_u32(tb, XOS_JOB_A_EXIT_STATUS);
	job->restored_from = get_u64(tb, XOS_JOB_A_RESTORED_FROM);
	job->has_base = tb[XOS_JOB_A_BASE] != NULL;
	fill_stats(tb[XOS_JOB_A_BASE], &job->base);
}

static int parse_job(struct nlattr **tb, void *arg)
{
	fill_job(tb, arg);
	return 0;
}

int xosjob_get(struct xosjob_ctx *ctx, uint64_t id, struct xosjob_job *job)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_GET, 0);
	int err = 0;

	memset(job, 0, sizeof(*job));
	if (msg)
		err = nla_put_u64(msg, XOS_JOB_A_ID, id);
	return talk(ctx, msg, err, parse_job, job);
}

int xosjob_get_by_pid(struct xosjob_ctx *ctx, pid_t pid,
		      struct xosjob_job *job)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_GET, 0);
	int err = 0;

	memset(job, 0, sizeof(*job));
	if (msg)
		err = nla_put_u32(msg, XOS_JOB_A_PID, pid);
	return talk(ctx, msg, err, parse_job, job);
}

struct kill_reply {
	uint32_t *sent, *denied;
};

static int parse_kill(struct nlattr **tb, void *arg)
{
	struct kill_reply *r = arg;

	*r->sent = get_u32(tb, XOS_JOB_A_NR_SIGNALLED);
	*r->denied = get_u32(tb, XOS_JOB_A_NR_DENIED);
	return 0;
}

int xosjob_kill(struct xosjob_ctx *ctx, uint64_t id, int sig,
		uint32_t *nr_signalled, uint32_t *nr_denied)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_KILL, 0);
	struct kill_reply r = { nr_signalled, nr_denied };
	int err = 0;

	*nr_signalled = *nr_denied = 0;
	if (msg)
		err = nla_put_u64(msg, XOS_JOB_A_ID, id) ?:
		      nla_put_u32(msg, XOS_JOB_A_SIGNAL, (uint32_t)sig);
	return talk(ctx, msg, err, parse_kill, &r);
}

static int parse_flags(struct nlattr **tb, void *arg)
{
	uint32_t *flags = arg;

	if (flags)
		*flags = get_u32(tb, XOS_JOB_A_FLAGS);
	return 0;
}

int xosjob_checkpoint_mark(struct xosjob_ctx *ctx, uint64_t id, bool on,
			   uint32_t *flags)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_CHECKPOINT, 0);
	int err = 0;

	if (msg)
		err = nla_put_u64(msg, XOS_JOB_A_ID, id) ?:
		      nla_put_u8(msg, XOS_JOB_A_CHECKPOINTING, on);
	return talk(ctx, msg, err, parse_flags, flags);
}

struct job_dump {
	xosjob_job_cb cb;
	void *arg;
};

static int parse_list(struct nlattr **tb, void *arg)
{
	struct job_dump *d = arg;
	struct xosjob_job job;

	fill_job(tb, &job);
	return d->cb ? d->cb(&job, d->arg) : 0;
}

static int dump_end(struct xosjob_ctx *ctx, int err, bool *interrupted)
{
	if (interrupted)
		*interrupted = ctx->interrupted;
	return err;
}

int xosjob_list(struct xosjob_ctx *ctx, xosjob_job_cb cb, void *arg,
		bool *interrupted)
{
	struct job_dump d = { cb, arg };
	int err;

	err = talk(ctx, request(ctx, XOS_JOB_CMD_LIST, NLM_F_DUMP), 0,
		   parse_list, &d);
	return dump_end(ctx, err, interrupted);
}

struct task_dump {
	xosjob_task_cb cb;
	void *arg;
};

static int parse_task(struct nlattr **tb, void *arg)
{
	struct nlattr *t[XOS_JOB_TASK_A_MAX + 1];
	struct task_dump *d = arg;
	struct xosjob_task task;

	if (!tb[XOS_JOB_A_TASK] ||
	    nla_parse_nested(t, XOS_JOB_TASK_A_MAX, tb[XOS_JOB_A_TASK], NULL))
		return -EBADMSG;
	memset(&task, 0, sizeof(task));
	task.pid = get_u32(t, XOS_JOB_TASK_A_PID);
	task.tgid = get_u32(t, XOS_JOB_TASK_A_TGID);
	task.uid = get_u32(t, XOS_JOB_TASK_A_UID);
	task.start_boottime_ns = get_u64(t, XOS_JOB_TASK_A_START_BOOTTIME);
	get_str(t, XOS_JOB_TASK_A_COMM, task.comm, sizeof(task.comm));
	task.private = t[XOS_JOB_TASK_A_PRIVATE] != NULL;
	fill_stats(t[XOS_JOB_TASK_A_STATS], &task.stats);
	return d->cb ? d->cb(&task, d->arg) : 0;
}

int xosjob_tasks(struct xosjob_ctx *ctx, uint64_t id, xosjob_task_cb cb,
		 void *arg, bool *interrupted)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_TASKS, NLM_F_DUMP);
	struct task_dump d = { cb, arg };
	int err = 0;

	if (msg)
		err = nla_put_u64(msg, XOS_JOB_A_ID, id);
	err = talk(ctx, msg, err, parse_task, &d);
	return dump_end(ctx, err, interrupted);
}

int xosjob_list_ended(struct xosjob_ctx *ctx, uint64_t from_seq,
		      xosjob_job_cb cb, void *arg, bool *interrupted)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_LIST, NLM_F_DUMP);
	struct job_dump d = { cb, arg };
	int err = 0;

	if (msg)
		err = nla_put_flag(msg, XOS_JOB_A_ENDED);
	if (msg && !err && from_seq)
		err = nla_put_u64(msg, XOS_JOB_A_SEQ, from_seq);
	err = talk(ctx, msg, err, parse_list, &d);
	return dump_end(ctx, err, interrupted);
}

int xosjob_fd(const struct xosjob_ctx *ctx)
{
	return nl_socket_get_fd(ctx->sk);
}

int xosjob_subscribe(struct xosjob_ctx *ctx, int rcvbuf)
{
	int grp, err;

	grp = genl_ctrl_resolve_grp(ctx->sk, XOS_JOB_GENL_NAME,
				    XOS_JOB_MCGRP_EVENTS);
	if (grp < 0)
		return set_err(ctx, -ENOENT,
			       "the xos_job module has no events group");
	if (rcvbuf > 0 && nl_socket_set_buffer_size(ctx->sk, rcvbuf, 0) < 0)
		return set_err(ctx, -EINVAL, "cannot set the receive buffer");
	err = nl_socket_add_membership(ctx->sk, grp);
	if (err < 0) {
		/* joining the group needs CAP_SYS_ADMIN */
		return set_err(ctx, err == -NLE_PERM ? -EPERM : -EIO,
			       err == -NLE_PERM ?
			       "joining the events group requires CAP_SYS_ADMIN" :
			       nl_geterror(err));
	}
	return 0;
}

int xosjob_event_next(struct xosjob_ctx *ctx, int *cmd,
		      struct xosjob_job *job)
{
	static __thread char buf[65536];
	struct nlattr *tb[XOS_JOB_A_MAX + 1];
	struct nlmsghdr *h;
	ssize_t n;

	for (;;) {
		n = recv(nl_socket_get_fd(ctx->sk), buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				return set_err(ctx, -ENOBUFS,
					       "notifications were lost (receive buffer overflow)");
			return set_err(ctx, -errno, NULL);
		}
		/* one notification per datagram; skip anything else */
		h = (struct nlmsghdr *)buf;
		if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_type != ctx->family ||
		    genlmsg_parse(h, 0, tb, XOS_JOB_A_MAX, NULL) < 0)
			continue;
		*cmd = ((struct genlmsghdr *)NLMSG_DATA(h))->cmd;
		fill_job(tb, job);
		return 0;
	}
}

/* Field 22 of /proc/PID/stat: start time in clock ticks since boot. */
static bool proc_start_ticks(pid_t pid, unsigned long long *ticks)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strrchr(buf, ')');	/* comm may hold spaces and parentheses */
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	return p && sscanf(p + 1, "%llu", ticks) == 1;
}

int xosjob_anchor_pidfd(const struct xosjob_anchor *a)
{
	unsigned long long ticks;
	long hz = sysconf(_SC_CLK_TCK);
	int fd;

	if (!a->pid || hz <= 0)
		return -ESRCH;
	fd = syscall(SYS_pidfd_open, a->pid, 0);
	if (fd < 0)
		return -errno;
	if (!proc_start_ticks(a->pid, &ticks) ||
	    ticks != a->start_boottime_ns / (1000000000ULL / hz)) {
		close(fd);
		return -ESRCH;
	}
	return fd;
}
