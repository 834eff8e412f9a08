/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for the selftests and the fuzzer: builds any message,
 * well-formed or not, and reads back errors with their extack text. It
 * deliberately does not use libxosjob, so that it can test what the library
 * would never send.
 */
#ifndef XOS_NL_RAW_H
#define XOS_NL_RAW_H

#include <stddef.h>
#include <stdint.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define NLR_BUFSZ 65536

struct nlr {
	int fd;
	uint32_t seq;
	uint16_t family;	/* xos_job family id, 0 if not resolved */
	uint32_t family_version;
	/* the last request, built in place */
	char req[NLR_BUFSZ] __attribute__((aligned(4)));
	/* the last error: errno (positive) and extack text */
	int err;
	char msg[512];
	uint32_t bad_attr_offs;	/* NLMSGERR_ATTR_OFFS, 0 if none */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, -1 if none */
	/* NLMSGERR_ATTR_POLICY: NL_POLICY_TYPE_ATTR_*, -1 if absent */
	int64_t pol_max_len, pol_min, pol_max;
	char rx[NLR_BUFSZ] __attribute__((aligned(4)));
};

/* Opens a NETLINK_GENERIC socket with extended acks. 0 or -errno. */
int nlr_open(struct nlr *n);
void nlr_close(struct nlr *n);
/* Resolves @name with CTRL_CMD_GETFAMILY; 0 or -errno. */
int nlr_resolve(struct nlr *n, const char *name, uint16_t *id,
		uint32_t *version);

/* Starts a request in n->req; returns the header for attributes. */
struct nlmsghdr *nlr_start(struct nlr *n, uint16_t type, uint16_t flags,
			   uint8_t cmd, uint8_t version);
void nlr_put(struct nlmsghdr *h, uint16_t type, const void *data,
	     size_t len);
void nlr_put_u32(struct nlmsghdr *h, uint16_t type, uint32_t v);
void nlr_put_u64(struct nlmsghdr *h, uint16_t type, uint64_t v);
void nlr_put_str(struct nlmsghdr *h, uint16_t type, const char *s);
struct nlattr *nlr_nest_start(struct nlmsghdr *h, uint16_t type);
void nlr_nest_end(struct nlmsghdr *h, struct nlattr *nest);

/* Sends @len raw bytes (may be malformed). 0 or -errno. */
int nlr_send_raw(struct nlr *n, const void *buf, size_t len);

/*
 * Callback per reply message of a request (not for the final ack/done).
 * Returns 0 to continue.
 */
typedef int (*nlr_cb)(const struct nlmsghdr *h, void *arg);

/*
 * Sends the request in n->req (NLM_F_ACK is added) and reads until the
 * ack, the error or NLMSG_DONE. Returns 0 or -errno; n->msg holds the
 * extack message. *dump_intr (may be NULL) is set on NLM_F_DUMP_INTR.
 */
int nlr_talk(struct nlr *n, nlr_cb cb, void *arg, int *dump_intr);
/* Reads replies of an already sent request, as nlr_talk. */
int nlr_recv(struct nlr *n, nlr_cb cb, void *arg, int *dump_intr);

/* Attribute lookup in a genetlink message; NULL if absent. */
const struct nlattr *nlr_attr(const struct nlmsghdr *h, uint16_t type);
const struct nlattr *nlr_nested(const struct nlattr *nest, uint16_t type);
uint32_t nlr_get_u32(const struct nlattr *a);
uint64_t nlr_get_u64(const struct nlattr *a);
static inline const void *nlr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

#endif
