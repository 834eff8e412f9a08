// SPDX-License-Identifier: GPL-2.0
/* Raw generic netlink helpers; see nl_raw.h. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nl_raw.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int nlr_open(struct nlr *n)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;

	memset(n, 0, sizeof(*n));
	n->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (n->fd < 0)
		return -errno;
	if (setsockopt(n->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    bind(n->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(n->fd);
		return err;
	}
	return 0;
}

void nlr_close(struct nlr *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

struct nlmsghdr *nlr_start(struct nlr *n, uint16_t type, uint16_t flags,
			   uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *h = (struct nlmsghdr *)n->req;
	struct genlmsghdr *g;

	memset(n->req, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = ++n->seq;
	g = NLMSG_DATA(h);
	g->cmd = cmd;
	g->version = version;
	return h;
}

void nlr_put(struct nlmsghdr *h, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

void nlr_put_u32(struct nlmsghdr *h, uint16_t type, uint32_t v)
{
	nlr_put(h, type, &v, sizeof(v));
}

void nlr_put_u64(struct nlmsghdr *h, uint16_t type, uint64_t v)
{
	nlr_put(h, type, &v, sizeof(v));
}

void nlr_put_str(struct nlmsghdr *h, uint16_t type, const char *s)
{
	nlr_put(h, type, s, strlen(s) + 1);
}

struct nlattr *nlr_nest_start(struct nlmsghdr *h, uint16_t type)
{
	struct nlattr *a = (struct nlattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	nlr_put(h, type | NLA_F_NESTED, NULL, 0);
	return a;
}

void nlr_nest_end(struct nlmsghdr *h, struct nlattr *nest)
{
	nest->nla_len = (char *)h + h->nlmsg_len - (char *)nest;
}

int nlr_send_raw(struct nlr *n, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(n->fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* The limits of NLMSGERR_ATTR_POLICY (u32 or u64 values). */
static void nlr_parse_policy(struct nlr *n, const struct nlattr *nest)
{
	size_t off = NLA_HDRLEN;

	while (off + NLA_HDRLEN <= nest->nla_len) {
		const struct nlattr *a = (const void *)((const char *)nest + off);
		int64_t v;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nest->nla_len)
			return;
		v = a->nla_len - NLA_HDRLEN == 8 ? (int64_t)nlr_get_u64(a) :
						   nlr_get_u32(a);
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			n->pol_max_len = v;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			n->pol_min = v;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			n->pol_max = v;
			break;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

/*
 * Parses the TLVs after an error message: message text, bad offset,
 * missing attribute and the policy limits.
 */
static void nlr_parse_ext_ack(struct nlr *n, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	const struct nlattr *a;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (h->nlmsg_type == NLMSG_DONE)
		off = NLMSG_HDRLEN + sizeof(int);
	else if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= h->nlmsg_len) {
		a = (const struct nlattr *)((const char *)h + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > h->nlmsg_len)
			break;
		if (a->nla_type == NLMSGERR_ATTR_MSG) {
			size_t len = a->nla_len - NLA_HDRLEN;

			if (len >= sizeof(n->msg))
				len = sizeof(n->msg) - 1;
			memcpy(n->msg, nlr_data(a), len);
			n->msg[len] = 0;
		} else if (a->nla_type == NLMSGERR_ATTR_OFFS) {
			n->bad_attr_offs = nlr_get_u32(a);
		} else if (a->nla_type == NLMSGERR_ATTR_MISS_TYPE) {
			n->miss_type = nlr_get_u32(a);
		} else if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_POLICY) {
			nlr_parse_policy(n, a);
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

int nlr_recv(struct nlr *n, nlr_cb cb, void *arg, int *dump_intr)
{
	n->err = 0;
	n->msg[0] = 0;
	n->bad_attr_offs = 0;
	n->miss_type = -1;
	n->pol_max_len = n->pol_min = n->pol_max = -1;
	for (;;) {
		ssize_t len = recv(n->fd, n->rx, sizeof(n->rx), 0);
		struct nlmsghdr *h;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (struct nlmsghdr *)n->rx; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			if (dump_intr && (h->nlmsg_flags & NLM_F_DUMP_INTR))
				*dump_intr = 1;
			if (h->nlmsg_type == NLMSG_ERROR ||
			    h->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (h->nlmsg_type == NLMSG_ERROR)
					err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				else if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					err = *(int *)NLMSG_DATA(h);
				nlr_parse_ext_ack(n, h);
				n->err = -err;
				return err;
			}
			if (h->nlmsg_type == NLMSG_NOOP)
				continue;
			if (cb) {
				int r = cb(h, arg);

				if (r)
					return r;
			}
		}
	}
}

int nlr_talk(struct nlr *n, nlr_cb cb, void *arg, int *dump_intr)
{
	struct nlmsghdr *h = (struct nlmsghdr *)n->req;
	int err;

	/* a dump ends with NLMSG_DONE; no ack follows it */
	if ((h->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		h->nlmsg_flags |= NLM_F_ACK;
	err = nlr_send_raw(n, h, h->nlmsg_len);
	if (err)
		return err;
	return nlr_recv(n, cb, arg, dump_intr);
}

int nlr_resolve(struct nlr *n, const char *name, uint16_t *id,
		uint32_t *version)
{
	struct nlmsghdr *h;
	const struct nlmsghdr *r;
	const struct nlattr *a;
	ssize_t len;
	int err;

	h = nlr_start(n, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	nlr_put_str(h, CTRL_ATTR_FAMILY_NAME, name);
	err = nlr_send_raw(n, h, h->nlmsg_len);
	if (err)
		return err;
	len = recv(n->fd, n->rx, sizeof(n->rx), 0);
	if (len < 0)
		return -errno;
	r = (const struct nlmsghdr *)n->rx;
	if (!NLMSG_OK(r, (size_t)len))
		return -EBADMSG;
	if (r->nlmsg_type == NLMSG_ERROR) {
		n->err = -((struct nlmsgerr *)NLMSG_DATA(r))->error;
		return -n->err;
	}
	a = nlr_attr(r, CTRL_ATTR_FAMILY_ID);
	if (!a)
		return -EBADMSG;
	*id = *(const uint16_t *)nlr_data(a);
	a = nlr_attr(r, CTRL_ATTR_VERSION);
	if (version)
		*version = a ? nlr_get_u32(a) : 0;
	if (!strcmp(name, "xos_job")) {
		n->family = *id;
		n->family_version = version ? *version : 0;
	}
	return 0;
}

static const struct nlattr *nlr_find(const char *p, size_t len, uint16_t type)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			return NULL;
		p += NLA_ALIGN(a->nla_len);
		len -= NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

const struct nlattr *nlr_attr(const struct nlmsghdr *h, uint16_t type)
{
	size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;

	if (h->nlmsg_len < hdr)
		return NULL;
	return nlr_find((const char *)h + hdr, h->nlmsg_len - hdr, type);
}

const struct nlattr *nlr_nested(const struct nlattr *nest, uint16_t type)
{
	return nlr_find((const char *)nest + NLA_HDRLEN,
			nest->nla_len - NLA_HDRLEN, type);
}

uint32_t nlr_get_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	if (a->nla_len >= NLA_HDRLEN + sizeof(v))
		memcpy(&v, nlr_data(a), sizeof(v));
	return v;
}

uint64_t nlr_get_u64(const struct nlattr *a)
{
	uint64_t v = 0;

	if (a->nla_len >= NLA_HDRLEN + sizeof(v))
		memcpy(&v, nlr_data(a), sizeof(v));
	return v;
}
