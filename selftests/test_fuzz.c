// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink fuzzer for the xos_job family. Messages are built from a valid
 * request of every command (INFO, NEW, GET by id and by pid, LIST, the
 * ended-ring LIST, TASKS, ATTACH, KILL, ENTER) and then mutated: random
 * command, version and reserved bytes, flags, message types, attribute
 * types, lengths and nesting, duplicated and deleted attributes, byte
 * flips, truncation, oversized attributes and messages, trailing messages
 * in one datagram, fully random bytes, and dumps abandoned halfway.
 *
 * Every request must get a well-formed answer: an ack or error whose
 * extack TLVs parse, a reply whose attributes all parse with the
 * documented sizes, zeroed padding and the documented attributes present,
 * or, for a dump, messages like that ended by NLMSG_DONE. What the netlink
 * core drops silently (bad framing, no NLM_F_REQUEST) must not answer
 * with garbage either: a NOOP probe after each message collects whatever
 * came. Afterwards the module still works, holds no job or task more than
 * before, and (last case) unloads with an empty task cache.
 *
 * Safety: the fuzzing process (the worker) may end up in any job it creates
 * and be killed or stopped by its own KILL; a supervisor that is never
 * named in any message re-spawns it. Every PID attribute the kernel would
 * parse is rewritten to the worker, one of its children, or a pid above
 * PID_MAX_LIMIT; every job ID to one this run created or one that cannot
 * exist. So nothing outside the fuzzer can be attached, entered or killed.
 *
 * Runs as root, as uid 65534, as uid 65534 in a user namespace (fake root)
 * and there in a new network namespace too (the family is netnsok).
 *
 * Environment: XOS_FUZZ_SEED (default fixed, printed), XOS_FUZZ_COUNT
 * (messages in all, default 20000, shared between the four modes) or
 * XOS_FUZZ_SECONDS (run that long instead, same shares).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdarg.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libgen.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/xos_job.h>

#include "harness.h"
#include "nl_raw.h"
#include "util.h"

#define DEFAULT_SEED 0x786f736a6f62ULL	/* "xosjob" */
#define PID_MAX_LIMIT_ 4194304
#define MAX_IDS 512
#define MAX_FAILS 8
#define MAX_PGIDS 4096
#define NR_CHILDREN 4
#define BUF 70000

/* Shared between the supervisor and its workers. */
struct fuzz_shared {
	uint64_t seed;
	uint64_t next;			/* next message index */
	uint64_t end;			/* index to stop at (count mode) */
	struct timespec deadline;	/* time mode */
	bool timed;
	uint64_t sent, send_rejected, acks, errors, replies, dumps_done;
	uint64_t dump_msgs, abandoned, silent, probes, enobufs, new_ok;
	uint64_t failures;
	char fail[MAX_FAILS][768];
	uint64_t ids[MAX_IDS];		/* jobs this run created */
	int nids;
	pid_t pgids[MAX_PGIDS];
	int npgids;
	int respawns;
	uint64_t kind_n[12], kind_ns[12];	/* per seed kind (kind_names) */
};

static struct fuzz_shared *sh;

/* --- random numbers: every message from its own (seed, index) -------- */
static uint64_t rs;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(void)
{
	return splitmix(&rs);
}

static uint32_t rn(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(int percent)
{
	return rn(100) < (uint32_t)percent;
}

/* --- the worker's sacrificial children --------------------------------- */
static pid_t kids[NR_CHILDREN];

static void kid_body(int i)
{
	/* one of them forks all the time: members come and go */
	for (;;) {
		if (i == 0) {
			pid_t p = fork();

			if (p == 0)
				_exit(0);
			if (p > 0)
				waitpid(p, NULL, 0);
			usleep(2000);
		} else {
			pause();
		}
	}
}

static void keep_kids(void)
{
	pid_t p;
	int i;

	while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
		for (i = 0; i < NR_CHILDREN; i++)
			if (kids[i] == p)
				kids[i] = 0;
	for (i = 0; i < NR_CHILDREN; i++) {
		if (kids[i])
			continue;
		p = fork();
		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			kid_body(i);
		}
		if (p > 0)
			kids[i] = p;
	}
}

static uint32_t safe_pid(void)
{
	switch (rn(6)) {
	case 0:
		return getpid();
	case 1:
		return 0;
	case 2:
		return PID_MAX_LIMIT_ + 1 + rn(1 << 20);
	default:
		return kids[rn(NR_CHILDREN)] ?: (uint32_t)getpid();
	}
}

static uint64_t safe_id(void)
{
	int n = __atomic_load_n(&sh->nids, __ATOMIC_RELAXED);

	if (n && chance(85))
		return sh->ids[rn(n < MAX_IDS ? n : MAX_IDS)];
	switch (rn(3)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL - rn(4);
	default:
		return (1ULL << 40) + rnd() % (1ULL << 40);
	}
}

static void remember_id(uint64_t id)
{
	int i, n = sh->nids;

	for (i = 0; i < n && i < MAX_IDS; i++)
		if (sh->ids[i] == id)
			return;
	if (n < MAX_IDS) {
		sh->ids[n] = id;
		sh->nids = n + 1;
	} else {
		sh->ids[rn(MAX_IDS)] = id;
	}
}

/* --- building messages ------------------------------------------------ */
struct msg {
	char *b;
	size_t len;	/* bytes sent */
};

static uint16_t family;

static struct nlmsghdr *mstart(struct msg *m, uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(m->b + m->len);
	struct genlmsghdr *g = NLMSG_DATA(h);

	memset(h, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	h->nlmsg_type = family;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = (uint32_t)rnd();
	g->cmd = cmd;
	g->version = XOS_JOB_GENL_VERSION;
	return h;
}

static void mend(struct msg *m, struct nlmsghdr *h)
{
	m->len = (char *)h - m->b + NLMSG_ALIGN(h->nlmsg_len);
}

static void put(struct nlmsghdr *h, uint16_t type, const void *d, size_t len)
{
	if (NLMSG_ALIGN(h->nlmsg_len) + NLA_HDRLEN + len > 65000)
		return;
	nlr_put(h, type, d, len);
}

static void put_u32(struct nlmsghdr *h, uint16_t type, uint32_t v)
{
	put(h, type, &v, 4);
}

static void put_u64(struct nlmsghdr *h, uint16_t type, uint64_t v)
{
	put(h, type, &v, 8);
}

/*
 * A limits nest: any limit types (one past the last too), values that
 * are valid or at and past their bounds. Enforced limits that would fire
 * are never valid here (at least an hour): the fuzzer's jobs must end
 * when it ends them.
 */
static void put_limits(struct nlmsghdr *h)
{
	static const char *const lists[] = { "0", "0-1", "0,1", "1-0", "x",
					     "", "0-", "0,,1" };
	struct nlattr *nest = nlr_nest_start(h, XOS_JOB_A_LIMITS);
	int i, n = 1 + rn(4);

	for (i = 0; i < n; i++) {
		uint16_t t = 1 + rn(XOS_JOB_LIMIT_A_MAX + 1);

		if (t == XOS_JOB_LIMIT_A_CPUS || t == XOS_JOB_LIMIT_A_MEMS)
			nlr_put_str(h, t, lists[rn(8)]);
		else if (t == XOS_JOB_LIMIT_A_CPU_TIME_NS ||
			 t == XOS_JOB_LIMIT_A_TIME_NS)
			put_u64(h, t, chance(10) ? 0 :
				3600ULL * 1000000000 + rnd() % (1ULL << 62));
		else
			put_u64(h, t, chance(30) ? rnd() : rn(20000));
	}
	nlr_nest_end(h, nest);
}

/* JOB_NEW's base figures: u64 stats, now and then a wrong one. */
static void put_base(struct nlmsghdr *h)
{
	struct nlattr *nest = nlr_nest_start(h, XOS_JOB_A_BASE);
	int i, n = 1 + rn(6);

	for (i = 0; i < n; i++) {
		uint16_t t = 1 + rn(XOS_JOB_STATS_A_MAX + 1);

		if (t == XOS_JOB_STATS_A_DELAYACCT)
			put_u32(h, t, 1);
		else
			put_u64(h, t, chance(30) ? rnd() : rn(1000000));
	}
	nlr_nest_end(h, nest);
}

/* A valid request of kind @k. */
static void build_seed(struct msg *m, int k)
{
	const uint16_t doit = NLM_F_REQUEST | NLM_F_ACK;
	const uint16_t dump = NLM_F_REQUEST | NLM_F_DUMP;
	static const int sigs[] = { 0, 0, SIGKILL, SIGTERM, SIGSTOP, SIGCONT,
				    SIGUSR1, 64, 65, 255 };
	struct nlmsghdr *h;
	char label[300];

	switch (k) {
	case 0:
		h = mstart(m, doit, XOS_JOB_CMD_INFO);
		break;
	case 1:
		h = mstart(m, doit, XOS_JOB_CMD_NEW);
		if (chance(50)) {
			size_t l = chance(90) ? 1 + rn(20) : 250 + rn(10);

			memset(label, 'a' + rn(26), l);
			label[l] = 0;
			nlr_put_str(h, XOS_JOB_A_LABEL, label);
		}
		if (chance(60))
			put_u32(h, XOS_JOB_A_PID, safe_pid());
		if (chance(20))
			put_u32(h, XOS_JOB_A_OWNER_UID,
				(uint32_t[]){ 0, 65534, 1000, ~0U }[rn(4)]);
		if (chance(15))
			put(h, XOS_JOB_A_OWN_CGROUP, NULL, 0);
		if (chance(30))
			put_limits(h);
		if (chance(15))
			put_u64(h, XOS_JOB_A_RESTORED_FROM,
				chance(10) ? 0 : 1 + rn(1000));
		if (chance(10))
			put_base(h);
		break;
	case 2:
		h = mstart(m, doit, XOS_JOB_CMD_GET);
		put_u64(h, XOS_JOB_A_ID, safe_id());
		break;
	case 3:
		h = mstart(m, doit, XOS_JOB_CMD_GET);
		put_u32(h, XOS_JOB_A_PID, safe_pid());
		break;
	case 4:
		h = mstart(m, dump, XOS_JOB_CMD_LIST);
		break;
	case 5:
		h = mstart(m, dump, XOS_JOB_CMD_LIST);
		put(h, XOS_JOB_A_ENDED, NULL, 0);
		if (chance(60))
			put_u64(h, XOS_JOB_A_SEQ, chance(20) ? rnd() : 1 + rn(5000));
		break;
	case 6:
		h = mstart(m, dump, XOS_JOB_CMD_TASKS);
		put_u64(h, XOS_JOB_A_ID, safe_id());
		break;
	case 7:
		h = mstart(m, doit, XOS_JOB_CMD_ATTACH);
		put_u64(h, XOS_JOB_A_ID, safe_id());
		put_u32(h, XOS_JOB_A_PID, safe_pid());
		break;
	case 8:
		h = mstart(m, doit, XOS_JOB_CMD_KILL);
		put_u64(h, XOS_JOB_A_ID, safe_id());
		put_u32(h, XOS_JOB_A_SIGNAL, sigs[rn(10)]);
		break;
	case 9:
		h = mstart(m, doit, XOS_JOB_CMD_ENTER);
		put_u64(h, XOS_JOB_A_ID, safe_id());
		if (chance(50))
			put(h, XOS_JOB_A_NO_CGROUP, NULL, 0);
		break;
	case 10:
		h = mstart(m, doit, XOS_JOB_CMD_CHECKPOINT);
		put_u64(h, XOS_JOB_A_ID, safe_id());
		if (chance(90)) {
			uint8_t on = chance(90) ? rn(2) : rnd();

			put(h, XOS_JOB_A_CHECKPOINTING, &on, 1);
		}
		break;
	default: {
		/* fully random bytes, with a plausible header half the time */
		size_t l = rn(160), i;

		for (i = 0; i < l; i++)
			m->b[m->len + i] = rnd();
		if (l >= NLMSG_HDRLEN && chance(50)) {
			h = (struct nlmsghdr *)(m->b + m->len);
			h->nlmsg_len = l;
			h->nlmsg_type = family;
		}
		m->len += l;
		return;
	}
	}
	mend(m, h);
}

/* A random attribute tree of @depth levels into @h. */
static void put_random_attrs(struct nlmsghdr *h, int depth)
{
	int n = 1 + rn(4);

	while (n--) {
		uint16_t type = chance(80) ? rn(XOS_JOB_A_MAX + 4) : rn(65536);

		if (depth && chance(30)) {
			struct nlattr *nest;

			if (NLMSG_ALIGN(h->nlmsg_len) + 64 > 65000)
				return;
			nest = nlr_nest_start(h, type);
			if (!chance(80))
				nest->nla_type &= ~NLA_F_NESTED;
			put_random_attrs(h, depth - 1);
			nlr_nest_end(h, nest);
		} else {
			char d[64];
			size_t l = (size_t[]){ 0, 1, 2, 4, 8, 12, 16 }[rn(7)];
			size_t i;

			if (chance(20))
				l = rn(64);
			for (i = 0; i < l; i++)
				d[i] = chance(50) ? 0 : rnd();
			put(h, type, d, l);
		}
	}
}

/* Mutates the message that starts at @off of @m. */
static void mutate(struct msg *m, size_t off)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(m->b + off);
	struct genlmsghdr *g = NLMSG_DATA(h);
	size_t len = m->len - off;
	int n = 1 + rn(3);

	if (len < NLMSG_HDRLEN + GENL_HDRLEN)
		return;
	while (n--) {
		switch (rn(13)) {
		case 0:
			g->cmd = chance(50) ? rn(XOS_JOB_CMD_MAX + 3) : rnd();
			break;
		case 1:
			if (chance(50))
				g->version = rnd();
			else
				g->reserved = rnd();
			break;
		case 2: {
			static const uint16_t f[] = {
				0, NLM_F_REQUEST, NLM_F_REQUEST | NLM_F_ACK,
				NLM_F_REQUEST | NLM_F_DUMP,
				NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK,
				NLM_F_REQUEST | NLM_F_ROOT,
				NLM_F_REQUEST | NLM_F_ECHO | NLM_F_ACK,
				NLM_F_REQUEST | NLM_F_MULTI,
				NLM_F_ACK, NLM_F_REQUEST | NLM_F_ATOMIC,
				NLM_F_REQUEST | NLM_F_REPLACE | NLM_F_EXCL |
					NLM_F_CREATE | NLM_F_APPEND,
			};
			h->nlmsg_flags = chance(80) ? f[rn(11)] : rnd();
			break;
		}
		case 3:
			/* control types only: never another family */
			h->nlmsg_type = chance(70) ? family : rn(NLMSG_MIN_TYPE);
			break;
		case 4:
		case 5:
			/* extra attributes, maybe nested */
			put_random_attrs(h, rn(5));
			m->len = off + NLMSG_ALIGN(h->nlmsg_len);
			break;
		case 6: {
			/* an existing attribute: type, length or duplicate */
			size_t ao = NLMSG_HDRLEN + GENL_HDRLEN;
			struct nlattr *a;

			if (h->nlmsg_len < ao + NLA_HDRLEN ||
			    h->nlmsg_len > len)
				break;
			a = (struct nlattr *)((char *)h + ao);
			if (a->nla_len < NLA_HDRLEN ||
			    a->nla_len > h->nlmsg_len - ao)
				break;
			switch (rn(4)) {
			case 0:
				a->nla_type = chance(50) ? a->nla_type ^
					(chance(50) ? NLA_F_NESTED :
					 NLA_F_NET_BYTEORDER) : rnd();
				break;
			case 1:
				a->nla_len = rn(a->nla_len + 16);
				break;
			case 2:
				if (NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len) < 65000) {
					put(h, a->nla_type, (char *)a + NLA_HDRLEN,
					    a->nla_len - NLA_HDRLEN);
					m->len = off + NLMSG_ALIGN(h->nlmsg_len);
				}
				break;
			default: {
				/* delete the first attribute */
				size_t al = NLA_ALIGN(a->nla_len);

				if (al > h->nlmsg_len - ao)
					break;
				memmove(a, (char *)a + al, m->len - (ao + off) - al);
				h->nlmsg_len -= al;
				m->len = off + NLMSG_ALIGN(h->nlmsg_len);
				break;
			}
			}
			break;
		}
		case 7: {
			/* byte flips */
			int k = 1 + rn(8);

			while (k--)
				m->b[off + rn(len)] ^= 1 << rn(8);
			break;
		}
		case 8:
			/* truncated: the length field says more, or less */
			m->len = off + NLMSG_HDRLEN + rn(len - NLMSG_HDRLEN);
			if (chance(50))
				h->nlmsg_len = m->len - off;
			return;
		case 9:
			/* the header claims more than was sent */
			h->nlmsg_len += 1 + rn(chance(50) ? 8 : 100000);
			return;
		case 10: {
			/* oversized attribute (a long label, or anything) */
			static char big[65536];
			size_t l = chance(50) ? 256 + rn(64) : rn(60000);

			memset(big, chance(50) ? 'x' : 0, l);
			big[l ? l - 1 : 0] = chance(70) ? 0 : 'y';
			put(h, chance(60) ? XOS_JOB_A_LABEL : rn(XOS_JOB_A_MAX + 2),
			    big, l);
			m->len = off + NLMSG_ALIGN(h->nlmsg_len);
			break;
		}
		case 11:
			/* junk after the message, inside the datagram */
			if (m->len + 16 < BUF) {
				size_t k = 1 + rn(15);

				while (k--)
					m->b[m->len++] = rnd();
			}
			return;
		default:
			/* no mutation: the valid request */
			break;
		}
	}
}

/*
 * What the kernel will parse: every message in the datagram, as
 * netlink_rcv_skb() walks it, every top-level attribute as nla_parse()
 * walks it. Other families are never addressed; PID and ID are made safe.
 */
static void sanitize(struct msg *m)
{
	size_t off = 0;

	while (m->len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr *h = (struct nlmsghdr *)(m->b + off);
		size_t ml = h->nlmsg_len, ao, rem;

		if (ml < NLMSG_HDRLEN || ml > m->len - off)
			return;
		if (h->nlmsg_type >= NLMSG_MIN_TYPE)
			h->nlmsg_type = family;
		ao = NLMSG_HDRLEN + GENL_HDRLEN;
		rem = ml > ao ? ml - ao : 0;
		while (rem >= NLA_HDRLEN) {
			struct nlattr *a = (struct nlattr *)((char *)h + ml - rem);
			uint16_t t = a->nla_type & NLA_TYPE_MASK;

			if (a->nla_len < NLA_HDRLEN || a->nla_len > rem)
				break;
			if (t == XOS_JOB_A_PID && a->nla_len >= NLA_HDRLEN + 4) {
				uint32_t v = safe_pid();

				memcpy((char *)a + NLA_HDRLEN, &v, 4);
			}
			if (t == XOS_JOB_A_ID && a->nla_len >= NLA_HDRLEN + 8) {
				uint64_t v = safe_id();

				memcpy((char *)a + NLA_HDRLEN, &v, 8);
			}
			if (NLA_ALIGN(a->nla_len) >= rem)
				break;
			rem -= NLA_ALIGN(a->nla_len);
		}
		off += NLMSG_ALIGN(ml) < m->len - off ? NLMSG_ALIGN(ml) : m->len - off;
	}
}

/* --- checking answers ------------------------------------------------- */
static uint64_t cur_idx;
static struct msg cur;

static void fail(const char *fmt, ...)
{
	uint64_t n = __atomic_fetch_add(&sh->failures, 1, __ATOMIC_RELAXED);
	char *s;
	va_list ap;
	size_t i, l;

	if (n >= MAX_FAILS)
		return;
	s = sh->fail[n];
	l = snprintf(s, 256, "msg %llu (seed %#llx): ",
		     (unsigned long long)cur_idx, (unsigned long long)sh->seed);
	va_start(ap, fmt);
	l += vsnprintf(s + l, 256, fmt, ap);
	va_end(ap);
	l += snprintf(s + l, 768 - l, "; request %zu bytes:", cur.len);
	for (i = 0; i < cur.len && i < 64 && l + 4 < 768; i++)
		l += snprintf(s + l, 768 - l, " %02x", (unsigned char)cur.b[i]);
}


/*
 * Every attribute in [p, p+len) has a known type and the documented size,
 * the padding is zero, strings end in NUL, nests parse. Returns a bitmap of
 * the types seen (top level, for required-attribute checks), or -1.
 */
static int64_t check_attrs(const char *p, size_t len, enum attr_space lv, int depth)
{
	int64_t seen = 0;

	while (len) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t plen, i;
		int t;
		enum attr_kind k;

		if (len < NLA_HDRLEN || a->nla_len < NLA_HDRLEN || a->nla_len > len) {
			fail("reply attribute overruns (level %d, %zu bytes left)", lv, len);
			return -1;
		}
		t = a->nla_type & NLA_TYPE_MASK;
		plen = a->nla_len - NLA_HDRLEN;
		k = attr_kind(lv, t);
		if ((k == K_U8 && plen != 1) || (k == K_U32 && plen != 4) ||
		    (k == K_U64 && plen != 8) || (k == K_FLAG && plen) ||
		    (k == K_PAD && plen) || k == K_NONE ||
		    (k == K_STR && (!plen || p[a->nla_len - 1] != 0)) ||
		    ((k == K_NEST) != !!(a->nla_type & NLA_F_NESTED))) {
			fail("reply attribute level %d type %d length %zu is not as documented",
			     lv, t, plen);
			return -1;
		}
		for (i = a->nla_len; i < NLA_ALIGN(a->nla_len) && i < len; i++)
			if (p[i]) {
				fail("non-zero padding after attribute %d (level %d)", t, lv);
				return -1;
			}
		if (k == K_NEST) {
			enum attr_space sub = attr_nest_space(lv, t);

			if (depth > 3 || check_attrs(p + NLA_HDRLEN, plen, sub, depth + 1) < 0)
				return -1;
		}
		if (t < 64)
			seen |= 1LL << t;
		if (NLA_ALIGN(a->nla_len) >= len)
			break;
		p += NLA_ALIGN(a->nla_len);
		len -= NLA_ALIGN(a->nla_len);
	}
	return seen;
}

#define B(x) (1LL << XOS_JOB_A_##x)

static void check_reply(const struct nlmsghdr *h)
{
	const struct genlmsghdr *g = NLMSG_DATA(h);
	int64_t seen, need;

	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		fail("reply of %u bytes has no genetlink header", h->nlmsg_len);
		return;
	}
	if (g->version != XOS_JOB_GENL_VERSION || g->reserved) {
		fail("reply genetlink header version %u reserved %u", g->version,
		     g->reserved);
		return;
	}
	seen = check_attrs((const char *)h + NLMSG_HDRLEN + GENL_HDRLEN,
			   h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, L_JOB, 0);
	if (seen < 0)
		return;
	switch (g->cmd) {
	case XOS_JOB_CMD_INFO:
		need = B(VERSION) | B(MODULE_VERSION) | B(NR_JOBS) | B(MAX_JOBS) |
			B(NR_TASKS) | B(ALLOC_FAILURES) | B(SEQ) | B(OLDEST_SEQ) |
			B(RING_SIZE);
		break;
	case XOS_JOB_CMD_NEW:
		need = B(ID);
		if (seen & need) {
			const struct nlattr *a = nlr_attr(h, XOS_JOB_A_ID);

			remember_id(nlr_get_u64(a));
			sh->new_ok++;
		}
		break;
	case XOS_JOB_CMD_ATTACH:
		need = B(ID) | B(NR_ATTACHED);
		break;
	case XOS_JOB_CMD_GET:
	case XOS_JOB_CMD_LIST:
		need = B(ID) | B(OWNER_UID) | B(CREATED_REALTIME) |
			B(CREATED_BOOTTIME) | B(ANCHOR_PID) | B(FLAGS) |
			B(NR_TASKS) | B(NR_PROCS) | B(TASKS_STARTED) |
			B(TASKS_EXITED) | B(PROCS_STARTED) | B(PROCS_EXITED) |
			B(ELAPSED_NS) | B(STATS);
		break;
	case XOS_JOB_CMD_TASKS:
		need = B(ID) | B(TASK);
		break;
	case XOS_JOB_CMD_KILL:
		need = B(ID) | B(NR_SIGNALLED) | B(NR_DENIED);
		break;
	case XOS_JOB_CMD_ENTER:
		need = B(ID) | B(ANCHOR_PID) | B(OWNER_UID);
		break;
	case XOS_JOB_CMD_CHECKPOINT:
		need = B(ID) | B(FLAGS);
		break;
	default:
		fail("reply with command %u", g->cmd);
		return;
	}
	if ((seen & need) != need)
		fail("reply to command %u lacks attributes %#llx", g->cmd,
		     (unsigned long long)(need & ~seen));
}

/* The TLVs of an error or NLMSG_DONE, from @off. */
static void check_ack_tlvs(const struct nlmsghdr *h, size_t off, uint32_t orig_len)
{
	const char *p = (const char *)h;

	while (off < h->nlmsg_len) {
		const struct nlattr *a = (const struct nlattr *)(p + off);
		size_t plen;

		if (h->nlmsg_len - off < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
		    a->nla_len > h->nlmsg_len - off) {
			fail("extack TLVs overrun");
			return;
		}
		plen = a->nla_len - NLA_HDRLEN;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (!plen || p[off + a->nla_len - 1] ||
			    strlen(p + off + NLA_HDRLEN) + 1 != plen)
				fail("extack message is not one NUL-terminated string");
			break;
		case NLMSGERR_ATTR_OFFS:
			if (plen != 4 || *(uint32_t *)(p + off + NLA_HDRLEN) >= orig_len)
				fail("extack offset outside the request");
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
		case NLMSGERR_ATTR_MISS_NEST:
			if (plen != 4)
				fail("extack missing-attribute TLV of %zu bytes", plen);
			break;
		case NLMSGERR_ATTR_POLICY:
		case NLMSGERR_ATTR_COOKIE:
			break;
		default:
			fail("unknown extack TLV %u", a->nla_type);
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

struct expect {
	uint32_t seq;		/* the fuzzed message's */
	bool answer;		/* must be answered */
	bool ack_asked;
	bool done;		/* its final answer arrived */
	uint32_t pseq;		/* the probe's */
	bool probe_done;
	int dump_msgs;
};

static void check_msg(const struct nlmsghdr *h, struct expect *e)
{
	size_t i;

	for (i = h->nlmsg_len; i < NLMSG_ALIGN(h->nlmsg_len); i++)
		if (((const char *)h)[i]) {
			fail("non-zero padding after a netlink message");
			break;
		}
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = NLMSG_DATA(h);
		size_t off = NLMSG_HDRLEN + sizeof(*err);

		if (h->nlmsg_len < off) {
			fail("short error message (%u bytes)", h->nlmsg_len);
			return;
		}
		if (err->error > 0 || err->error < -4095)
			fail("error code %d", err->error);
		if (h->nlmsg_seq == e->pseq) {
			if (err->error)
				fail("probe answered %d", err->error);
			e->probe_done = true;
			sh->probes++;
			return;
		}
		if (h->nlmsg_seq == e->seq) {
			e->done = true;
			if (err->error)
				sh->errors++;
			else
				sh->acks++;
		}
		if (!(h->nlmsg_flags & NLM_F_CAPPED) && err->error)
			off += NLMSG_ALIGN(err->msg.nlmsg_len) - NLMSG_HDRLEN;
		if (off > NLMSG_ALIGN(h->nlmsg_len)) {
			fail("error message shorter than the request it quotes");
			return;
		}
		if (h->nlmsg_flags & NLM_F_ACK_TLVS)
			check_ack_tlvs(h, off, err->msg.nlmsg_len);
		return;
	}
	if (h->nlmsg_type == NLMSG_DONE) {
		if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(int)) {
			fail("short NLMSG_DONE");
			return;
		}
		if (*(const int *)NLMSG_DATA(h) > 0)
			fail("NLMSG_DONE with %d", *(const int *)NLMSG_DATA(h));
		if (h->nlmsg_seq == e->seq) {
			e->done = true;
			sh->dumps_done++;
		}
		if (h->nlmsg_flags & NLM_F_ACK_TLVS)
			check_ack_tlvs(h, NLMSG_HDRLEN + sizeof(int), ~0U);
		return;
	}
	if (h->nlmsg_type != family) {
		fail("answer of type %u", h->nlmsg_type);
		return;
	}
	check_reply(h);
	if (h->nlmsg_flags & NLM_F_MULTI) {
		sh->dump_msgs++;
		e->dump_msgs++;
	} else if (h->nlmsg_seq == e->seq) {
		sh->replies++;
		if (!e->ack_asked)
			e->done = true;
	}
}

static struct nlr *nl;

static void reopen(void)
{
	int rcv = 1 << 20;

	nlr_close(nl);
	if (nlr_open(nl))
		_exit(3);
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
}

/* Sends the message and the probe, reads until both are answered. */
static void talk(struct msg *m, bool abandon)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)m->b;
	struct expect e = { 0 };
	struct nlmsghdr probe = {
		.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	};
	bool framed = m->len >= NLMSG_HDRLEN && h->nlmsg_len >= NLMSG_HDRLEN &&
		h->nlmsg_len <= m->len;
	int reads = 0;

	e.seq = h->nlmsg_seq;
	e.pseq = probe.nlmsg_seq = e.seq ^ 0x5a5a5a5a;
	e.ack_asked = framed && (h->nlmsg_flags & NLM_F_ACK);
	e.answer = framed && ((h->nlmsg_flags & NLM_F_ACK) ||
		   ((h->nlmsg_flags & NLM_F_REQUEST) &&
		    h->nlmsg_type >= NLMSG_MIN_TYPE));
	sh->sent++;
	if (nlr_send_raw(nl, m->b, m->len)) {
		/* refused whole by the socket layer: nothing to answer */
		sh->send_rejected++;
		e.answer = false;
	}
	if (!e.answer)
		sh->silent++;
	if (abandon) {
		struct pollfd pfd = { .fd = nl->fd, .events = POLLIN };

		/* a dump abandoned after its first part, or before it */
		if (e.answer && chance(50) && poll(&pfd, 1, 2000) == 1)
			recv(nl->fd, nl->rx, sizeof(nl->rx), MSG_DONTWAIT);
		sh->abandoned++;
		reopen();
		return;
	}
	if (nlr_send_raw(nl, &probe, probe.nlmsg_len)) {
		fail("probe send failed: %s", strerror(errno));
		reopen();
		return;
	}
	while (!e.probe_done || (e.answer && !e.done)) {
		struct pollfd pfd = { .fd = nl->fd, .events = POLLIN };
		const struct nlmsghdr *r;
		ssize_t len;

		if (poll(&pfd, 1, 10000) != 1) {
			fail("no answer after 10 s (answer %s%s, probe %s)",
			     e.answer ? "expected" : "not expected",
			     e.done ? " and came" : "",
			     e.probe_done ? "came" : "missing");
			reopen();
			return;
		}
		len = recv(nl->fd, nl->rx, sizeof(nl->rx), MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* overflowed: the answer may be lost; start over */
				sh->enobufs++;
				reopen();
				return;
			}
			fail("recv: %s", strerror(errno));
			reopen();
			return;
		}
		reads++;
		for (r = (const struct nlmsghdr *)nl->rx; NLMSG_OK(r, (size_t)len);
		     r = NLMSG_NEXT(r, len))
			check_msg(r, &e);
		if (len)
			fail("%zd bytes after the last message of a datagram", len);
	}
}

static void fuzz_one(uint64_t idx)
{
	static char buf[BUF] __attribute__((aligned(8)));
	struct timespec t0, t1;
	int k;
	bool abandon = false;

	rs = sh->seed ^ (idx * 0x9e3779b97f4a7c15ULL);
	splitmix(&rs);
	cur_idx = idx;
	cur.b = buf;
	cur.len = 0;
	k = rn(12);
	build_seed(&cur, k);
	if (k < 11 && !chance(15))
		mutate(&cur, 0);
	if (chance(5) && cur.len + 1024 < BUF) {
		/* a second request in the same datagram */
		size_t off = NLMSG_ALIGN(cur.len);

		memset(buf + cur.len, 0, off - cur.len);
		cur.len = off;
		build_seed(&cur, rn(11));
		if (chance(50))
			mutate(&cur, off);
	}
	/*
	 * An error echoes the whole request: a datagram past the receive
	 * buffer would get an answer this harness cannot read. Cut there,
	 * the header then claims more than was sent.
	 */
	if (cur.len > NLR_BUFSZ - 1024)
		cur.len = NLR_BUFSZ - 1024;
	sanitize(&cur);
	if ((k == 4 || k == 5 || k == 6) && chance(8))
		abandon = true;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	talk(&cur, abandon);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sh->kind_n[k]++;
	sh->kind_ns[k] += (t1.tv_sec - t0.tv_sec) * 1000000000ULL + t1.tv_nsec - t0.tv_nsec;
}

static const char *const kind_names[] = {
	"INFO", "NEW", "GET(id)", "GET(pid)", "LIST", "LIST(ended)", "TASKS",
	"ATTACH", "KILL", "ENTER", "CHECKPOINT", "random",
};

static bool past_deadline(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > sh->deadline.tv_sec ||
		(now.tv_sec == sh->deadline.tv_sec &&
		 now.tv_nsec >= sh->deadline.tv_nsec);
}

enum mode { M_ROOT, M_NOBODY, M_USERNS, M_USERNS_NETNS };

static void worker(enum mode mode)
{
	int sig;
	uint16_t id;

	setpgid(0, 0);
	/* catchable signals of random KILLs must not end the run */
	for (sig = 1; sig < 65; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD &&
		    sig != SIGCONT && sig != 32 && sig != 33)
			signal(sig, SIG_IGN);
	if (mode != M_ROOT &&
	    become_nobody(mode == M_NOBODY ? AS_NOBODY :
			  mode == M_USERNS ? AS_USERNS_ROOT :
			  AS_USERNS_NETNS_ROOT))
		_exit(3);
	/* after the credential changes, which clear it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	nl = malloc(sizeof(*nl));
	if (!nl || nlr_open(nl) || nlr_resolve(nl, XOS_JOB_GENL_NAME, &id, NULL))
		_exit(3);
	family = id;
	reopen();
	for (;;) {
		uint64_t idx = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED);

		if (sh->timed ? past_deadline() : sh->sent >= sh->end)
			_exit(0);
		if (!(idx & 15))
			keep_kids();
		fuzz_one(idx);
	}
}

/* --- the supervisor ---------------------------------------------------- */
static int get_info(struct info_reply *i)
{
	struct nlr *n = malloc(sizeof(*n));
	uint16_t id;
	int err;

	if (!n)
		return -ENOMEM;
	memset(i, 0xff, sizeof(*i));
	err = nlr_open(n);
	if (!err)
		err = nlr_resolve(n, XOS_JOB_GENL_NAME, &id, NULL);
	if (!err) {
		nlr_start(n, n->family, 0, XOS_JOB_CMD_INFO, 1);
		err = nlr_talk(n, info_cb, i, NULL);
	}
	nlr_close(n);
	free(n);
	return err;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

static const char *const mode_names[] = {
	"root", "uid 65534", "uid 65534 as root of a user namespace",
	"uid 65534 as root of a user and network namespace",
};

/* Fuzzes in @mode for this mode's share of messages or seconds. */
static void run_mode(struct __test_metadata *_metadata, enum mode mode, int share)
{
	uint64_t count = env_u64("XOS_FUZZ_COUNT", 20000) * share / 100;
	uint64_t secs = env_u64("XOS_FUZZ_SECONDS", 0) * share / 100;
	struct info_reply before, after;
	struct timespec t0, t1;
	pid_t w = 0;
	int i, st, stalls = 0;
	uint64_t last = 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	sh->seed = env_u64("XOS_FUZZ_SEED", DEFAULT_SEED) + mode;
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, get_info(&before));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (secs) {
		sh->timed = true;
		sh->deadline = t0;
		sh->deadline.tv_sec += secs;
	} else {
		sh->end = count;
	}
	TH_LOG("%s: seed %#llx (XOS_FUZZ_SEED=%#llx), %s %llu", mode_names[mode],
	       (unsigned long long)sh->seed,
	       (unsigned long long)(sh->seed - mode),
	       secs ? "seconds" : "messages",
	       (unsigned long long)(secs ?: count));

	for (;;) {
		pid_t p;

		if (!w) {
			if (sh->timed ? past_deadline() : sh->sent >= sh->end)
				break;
			w = fork();
			ASSERT_LE(0, w);
			if (w == 0)
				worker(mode);
			if (sh->npgids < MAX_PGIDS)
				sh->pgids[sh->npgids++] = w;
		}
		p = waitpid(-1, &st, WNOHANG | WUNTRACED);
		if (p == w && WIFSTOPPED(st)) {
			/* a SIGSTOP from a KILL of its own job */
			kill(w, SIGCONT);
		} else if (p == w) {
			if (WIFEXITED(st) && WEXITSTATUS(st) == 3) {
				ASSERT_TRUE(0) TH_LOG("worker could not set up (%s)",
						      mode_names[mode]);
			}
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				sh->respawns++;
			w = 0;
			continue;
		} else if (p > 0) {
			continue;	/* an orphan of a dead worker */
		}
		usleep(20000);
		if (sh->next == last) {
			/* 20 s without a message: the worker is stuck */
			if (++stalls == XOS_SCALED(1000)) {
				ASSERT_TRUE(0) TH_LOG("worker stuck at message %llu",
						      (unsigned long long)last);
			}
		} else {
			stalls = 0;
			last = sh->next;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* the fuzzer's processes, wherever they are, go; reap everything */
	for (i = 0; i < sh->npgids; i++)
		kill(-sh->pgids[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	TH_LOG("%s: %llu messages in %.1f s (%.0f/s); %llu acks, %llu errors, %llu replies, %llu dumps done (%llu dump messages), %llu abandoned, %llu unanswerable (%llu refused by send), %llu probes, %llu jobs created, %llu ENOBUFS, %d worker re-spawns",
	       mode_names[mode], (unsigned long long)sh->sent,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       sh->sent / ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9),
	       (unsigned long long)sh->acks, (unsigned long long)sh->errors,
	       (unsigned long long)sh->replies, (unsigned long long)sh->dumps_done,
	       (unsigned long long)sh->dump_msgs, (unsigned long long)sh->abandoned,
	       (unsigned long long)sh->silent, (unsigned long long)sh->send_rejected,
	       (unsigned long long)sh->probes, (unsigned long long)sh->new_ok,
	       (unsigned long long)sh->enobufs, sh->respawns);
	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		TH_LOG("  %-12s %6llu messages, %.2f ms each", kind_names[i],
		       (unsigned long long)sh->kind_n[i],
		       sh->kind_n[i] ? sh->kind_ns[i] / 1e6 / sh->kind_n[i] : 0);
	for (i = 0; i < (int)sh->failures && i < MAX_FAILS; i++)
		TH_LOG("FAIL %s", sh->fail[i]);
	EXPECT_EQ(0, sh->failures);
	if (!secs)
		EXPECT_LE(count, sh->sent);

	/* every job the fuzzer made ends with its processes */
	for (i = 0; i < XOS_SCALED(100); i++) {
		ASSERT_EQ(0, get_info(&after));
		if (after.nr_jobs == before.nr_jobs && after.nr_tasks == before.nr_tasks)
			break;
		usleep(100000);
	}
	EXPECT_EQ(before.nr_jobs, after.nr_jobs);
	EXPECT_EQ(before.nr_tasks, after.nr_tasks);
}

/* The module still does its job: a process placed in a job, its end. */
static void still_works(struct __test_metadata *_metadata)
{
	struct nlr *n = malloc(sizeof(*n));
	const struct nlattr *a;
	uint64_t id = 0;
	int gate, ended = 0;
	pid_t c;

	ASSERT_NE(NULL, n);
	ASSERT_EQ(0, nlr_open(n));
	ASSERT_EQ(0, nlr_resolve(n, XOS_JOB_GENL_NAME, &(uint16_t){ 0 }, NULL));
	c = spawn_gated(&gate, NULL, NULL);
	ASSERT_LT(0, c);
	nlr_put_u32(nlr_start(n, n->family, 0, XOS_JOB_CMD_NEW, 1), XOS_JOB_A_PID, c);
	ASSERT_EQ(0, nlr_send_raw(n, n->req, ((struct nlmsghdr *)n->req)->nlmsg_len));
	ASSERT_LT(0, recv(n->fd, n->rx, sizeof(n->rx), 0));
	a = nlr_attr((struct nlmsghdr *)n->rx, XOS_JOB_A_ID);
	ASSERT_NE(NULL, a);
	id = nlr_get_u64(a);
	open_gate(gate);
	ASSERT_EQ(0, reap(c));
	for (int i = 0; i < XOS_SCALED(50) && !ended; i++) {
		nlr_put_u64(nlr_start(n, n->family, 0, XOS_JOB_CMD_GET, 1), XOS_JOB_A_ID, id);
		ASSERT_EQ(0, nlr_send_raw(n, n->req, ((struct nlmsghdr *)n->req)->nlmsg_len));
		ASSERT_LT(0, recv(n->fd, n->rx, sizeof(n->rx), 0));
		ended = !!nlr_attr((struct nlmsghdr *)n->rx, XOS_JOB_A_ENDED);
		if (!ended)
			usleep(100000);
	}
	EXPECT_TRUE(ended) TH_LOG("job %llu of an exited process did not end",
				  (unsigned long long)id);
	nlr_close(n);
	free(n);
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
	if (geteuid())
		SKIP(return, "needs root");
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* Timeouts are the runner's (and the supervisor's own stall check). */
TEST_F_TIMEOUT(fuzz, as_root, XOS_TIMEOUT(86400))
{
	run_mode(_metadata, M_ROOT, 55);
	still_works(_metadata);
}

TEST_F_TIMEOUT(fuzz, as_nobody, XOS_TIMEOUT(86400))
{
	run_mode(_metadata, M_NOBODY, 15);
	still_works(_metadata);
}

TEST_F_TIMEOUT(fuzz, as_userns_root, XOS_TIMEOUT(86400))
{
	run_mode(_metadata, M_USERNS, 15);
	still_works(_metadata);
}

TEST_F_TIMEOUT(fuzz, as_userns_root_in_netns, XOS_TIMEOUT(86400))
{
	run_mode(_metadata, M_USERNS_NETNS, 15);
	still_works(_metadata);
}

/* Last: the module unloads after all that, with its task cache empty. */
TEST_F_TIMEOUT(fuzz, unloads_clean, XOS_TIMEOUT(120))
{
	char exe[4096], ko[4200], cmd[4400];
	struct utsname u;
	struct info_reply i;
	ssize_t l = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	ASSERT_LT(0, l);
	exe[l] = 0;
	ASSERT_EQ(0, uname(&u));
	snprintf(ko, sizeof(ko), "%s/../%s/xos_job.ko", dirname(exe), u.release);
	ASSERT_EQ(0, access(ko, R_OK));
	ASSERT_EQ(0, system("rmmod xos_job || (sleep 1; rmmod xos_job)"));
	/* the cache is destroyed with the module: no line may remain */
	EXPECT_NE(0, system("grep -q '^xos_task ' /proc/slabinfo"));
	snprintf(cmd, sizeof(cmd), "insmod %s", ko);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, get_info(&i));
	EXPECT_EQ(0, i.nr_jobs);
	EXPECT_EQ(0, i.nr_tasks);
}

TEST_HARNESS_MAIN
