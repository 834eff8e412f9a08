// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libxosjob: the xos_job generic netlink family over libnl-genl-3.
 *
 * One request at a time per context. Errors keep the kernel's extack
 * message, which libnl does not decode: the error and NLMSG_DONE
 * callbacks parse the ack TLVs themselves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "xosjob.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct xosjob_ctx {
	struct nl_sock *sk;
	struct nl_cb *cb;
	int family;
	/* state of the request in flight */
	int err;		/* negative errno from the kernel, or 0 */
	bool done;
	bool interrupted;
	int (*parse)(struct nlattr **tb, void *arg);	/* per reply */
	void *arg;
	char msg[512];
};

static void ctx_set_msg(struct xosjob_ctx *ctx, const char *fmt, const char *s)
{
	snprintf(ctx->msg, sizeof(ctx->msg), fmt, s);
}

/* The extack TLVs of an error or DONE message, starting at @off. */
static void parse_ext_ack(struct xosjob_ctx *ctx, const struct nlmsghdr *h,
			  size_t off)
{
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (off + NLA_HDRLEN <= h->nlmsg_len) {
		const struct nlattr *a = (const void *)((const char *)h + off);
		size_t len;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > h->nlmsg_len)
			return;
		len = a->nla_len - NLA_HDRLEN;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG && len) {
			if (len >= sizeof(ctx->msg))
				len = sizeof(ctx->msg) - 1;
			memcpy(ctx->msg, (const char *)a + NLA_HDRLEN, len);
			ctx->msg[len] = 0;
			/* the kernel's text ends in a NUL or a newline */
			len = strlen(ctx->msg);
			while (len && ctx->msg[len - 1] == '\n')
				ctx->msg[--len] = 0;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct xosjob_ctx *ctx = arg;
	const struct nlmsghdr *h = (const void *)((char *)e - NLMSG_HDRLEN);
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	(void)nla;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	ctx->err = e->error;
	parse_ext_ack(ctx, h, off);
	ctx->done = true;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct xosjob_ctx *ctx = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);

	/* a dump that failed midway ends in DONE carrying the error */
	if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		int err = *(int *)nlmsg_data(h);

		if (err < 0) {
			ctx->err = err;
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

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct xosjob_ctx *ctx = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[XOS_JOB_A_MAX + 1];
	int err;

	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->interrupted = true;
	if (!ctx->parse)
		return NL_OK;
	err = genlmsg_parse(h, 0, tb, XOS_JOB_A_MAX, NULL);
	if (err < 0) {
		ctx->err = -EBADMSG;
		ctx_set_msg(ctx, "%s", "malformed reply from the kernel");
		return NL_STOP;
	}
	err = ctx->parse(tb, ctx->arg);
	if (err) {
		/* the caller's callback stopped the dump */
		ctx->err = err;
		ctx->msg[0] = 0;
		return NL_STOP;
	}
	return NL_OK;
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
	err = genl_connect(ctx->sk);
	if (err) {
		err = -EPROTO;
		goto fail;
	}
	setsockopt(nl_socket_get_fd(ctx->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	/* replies can be large: the tasks dump of a big job */
	nl_socket_set_buffer_size(ctx->sk, 1 << 20, 0);
	nl_socket_disable_auto_ack(ctx->sk);
	nl_cb_err(ctx->cb, NL_CB_CUSTOM, on_error, ctx);
	nl_cb_set(ctx->cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, ctx);
	nl_cb_set(ctx->cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, ctx);
	nl_cb_set(ctx->cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, ctx);
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
	if (!ctx)
		return "xos_job family not found: is the module loaded? (modprobe xos_job)";
	if (ctx->msg[0])
		return ctx->msg;
	if (ctx->err == -EOPNOTSUPP)
		return "the loaded xos_job module does not know this command";
	return strerror(ctx->err ? -ctx->err : EIO);
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

/* Sends @msg (freed) and reads until its ack, error or DONE. */
static int talk(struct xosjob_ctx *ctx, struct nl_msg *msg,
		int (*parse)(struct nlattr **tb, void *arg), void *arg)
{
	int err;

	ctx->err = 0;
	ctx->done = false;
	ctx->interrupted = false;
	ctx->msg[0] = 0;
	ctx->parse = parse;
	ctx->arg = arg;
	if (!msg) {
		ctx->err = -ENOMEM;
		return ctx->err;
	}
	err = nl_send_auto(ctx->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		ctx->err = -EIO;
		ctx_set_msg(ctx, "sending to the kernel: %s", nl_geterror(err));
		return ctx->err;
	}
	while (!ctx->done) {
		err = nl_recvmsgs(ctx->sk, ctx->cb);
		if (err < 0 && err != -NLE_DUMP_INTR) {
			if (!ctx->err) {
				ctx->err = -EIO;
				ctx_set_msg(ctx, "receiving from the kernel: %s",
					    nl_geterror(err));
			}
			break;
		}
		if (err == -NLE_DUMP_INTR)
			ctx->interrupted = true;
	}
	return ctx->err;
}

static int do_request(struct xosjob_ctx *ctx, struct nl_msg *msg,
		      int (*parse)(struct nlattr **tb, void *arg), void *arg)
{
	if (msg)
		nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	return talk(ctx, msg, parse, arg);
}

static uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

static uint64_t get_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

static int parse_info(struct nlattr **tb, void *arg)
{
	struct xosjob_info *info = arg;

	info->version = get_u32(tb, XOS_JOB_A_VERSION);
	if (tb[XOS_JOB_A_MODULE_VERSION])
		snprintf(info->module_version, sizeof(info->module_version),
			 "%s", nla_get_string(tb[XOS_JOB_A_MODULE_VERSION]));
	info->nr_jobs = get_u32(tb, XOS_JOB_A_NR_JOBS);
	info->max_jobs = get_u32(tb, XOS_JOB_A_MAX_JOBS);
	info->nr_tasks = get_u64(tb, XOS_JOB_A_NR_TASKS);
	info->alloc_failures = get_u64(tb, XOS_JOB_A_ALLOC_FAILURES);
	return 0;
}

int xosjob_info(struct xosjob_ctx *ctx, struct xosjob_info *info)
{
	memset(info, 0, sizeof(*info));
	return do_request(ctx, request(ctx, XOS_JOB_CMD_INFO, 0), parse_info,
			  info);
}

static int parse_id(struct nlattr **tb, void *arg)
{
	uint64_t *id = arg;

	*id = get_u64(tb, XOS_JOB_A_ID);
	return 0;
}

int xosjob_new(struct xosjob_ctx *ctx, const char *label, pid_t pid,
	       uint64_t *id)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_NEW, 0);

	*id = 0;
	if (msg && label && nla_put_string(msg, XOS_JOB_A_LABEL, label) < 0)
		goto too_big;
	if (msg && pid && nla_put_u32(msg, XOS_JOB_A_PID, pid) < 0)
		goto too_big;
	return do_request(ctx, msg, parse_id, id);
too_big:
	nlmsg_free(msg);
	ctx->err = -EMSGSIZE;
	ctx_set_msg(ctx, "%s", "request does not fit in a message");
	return ctx->err;
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

	*nr_attached = 0;
	if (msg) {
		nla_put_u64(msg, XOS_JOB_A_ID, id);
		nla_put_u32(msg, XOS_JOB_A_PID, pid);
	}
	return do_request(ctx, msg, parse_attach, nr_attached);
}

static void fill_job(struct nlattr **tb, struct xosjob_job *job)
{
	memset(job, 0, sizeof(*job));
	job->id = get_u64(tb, XOS_JOB_A_ID);
	if (tb[XOS_JOB_A_LABEL]) {
		job->has_label = true;
		snprintf(job->label, sizeof(job->label), "%s",
			 nla_get_string(tb[XOS_JOB_A_LABEL]));
	}
	job->owner_uid = get_u32(tb, XOS_JOB_A_OWNER_UID);
	job->created_realtime_ns = get_u64(tb, XOS_JOB_A_CREATED_REALTIME);
	job->created_boottime_ns = get_u64(tb, XOS_JOB_A_CREATED_BOOTTIME);
	job->anchor_pid = get_u32(tb, XOS_JOB_A_ANCHOR_PID);
	job->flags = get_u32(tb, XOS_JOB_A_FLAGS);
	job->nr_tasks = get_u64(tb, XOS_JOB_A_NR_TASKS);
	job->nr_procs = get_u64(tb, XOS_JOB_A_NR_PROCS);
	job->tasks_started = get_u64(tb, XOS_JOB_A_TASKS_STARTED);
	job->tasks_exited = get_u64(tb, XOS_JOB_A_TASKS_EXITED);
}

static int parse_job(struct nlattr **tb, void *arg)
{
	fill_job(tb, arg);
	return 0;
}

int xosjob_get(struct xosjob_ctx *ctx, uint64_t id, struct xosjob_job *job)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_GET, 0);

	memset(job, 0, sizeof(*job));
	if (msg)
		nla_put_u64(msg, XOS_JOB_A_ID, id);
	return do_request(ctx, msg, parse_job, job);
}

int xosjob_get_by_pid(struct xosjob_ctx *ctx, pid_t pid,
		      struct xosjob_job *job)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_GET, 0);

	memset(job, 0, sizeof(*job));
	if (msg)
		nla_put_u32(msg, XOS_JOB_A_PID, pid);
	return do_request(ctx, msg, parse_job, job);
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

	*nr_signalled = *nr_denied = 0;
	if (msg) {
		nla_put_u64(msg, XOS_JOB_A_ID, id);
		nla_put_u32(msg, XOS_JOB_A_SIGNAL, (uint32_t)sig);
	}
	return do_request(ctx, msg, parse_kill, &r);
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

	err = talk(ctx, request(ctx, XOS_JOB_CMD_LIST, NLM_F_DUMP),
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
	if (t[XOS_JOB_TASK_A_COMM])
		snprintf(task.comm, sizeof(task.comm), "%s",
			 nla_get_string(t[XOS_JOB_TASK_A_COMM]));
	return d->cb ? d->cb(&task, d->arg) : 0;
}

int xosjob_tasks(struct xosjob_ctx *ctx, uint64_t id, xosjob_task_cb cb,
		 void *arg, bool *interrupted)
{
	struct nl_msg *msg = request(ctx, XOS_JOB_CMD_TASKS, NLM_F_DUMP);
	struct task_dump d = { cb, arg };
	int err;

	if (msg)
		nla_put_u64(msg, XOS_JOB_A_ID, id);
	err = talk(ctx, msg, parse_task, &d);
	return dump_end(ctx, err, interrupted);
}
