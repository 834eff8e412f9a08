// SPDX-License-Identifier: GPL-2.0
/*
 * Security review tests.
 *  - Another user (uid 65534; the same as root of its own user namespace;
 *    and there in a new network namespace, where the family also answers)
 *    cannot see, enter, kill or attach to root's job, nor subscribe to the
 *    events group: ENOENT "no such job" exactly as for a job that does not
 *    exist, EPERM where admin is needed.
 *  - Replies carry no byte that is not set: every attribute of every reply
 *    is documented with its exact size, strings end at their NUL, padding
 *    of attributes and messages is zero, the genetlink header's reserved
 *    byte is zero (labels and comms of every length modulo 4).
 *  - Pids and uids are the caller's: a member in a child pid namespace sees
 *    itself as pid 1 and not the members outside; a caller in a user
 *    namespace sees the owner and members' uids mapped (unmapped ones as
 *    the overflow uid).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/xos_job.h>

#include "harness.h"
#include "nl_raw.h"
#include "util.h"
#include "xosjob.h"

#define OVERFLOW_UID 65534

enum who { NOBODY_ = AS_NOBODY, USERNS = AS_USERNS_ROOT,
	   USERNS_NETNS = AS_USERNS_NETNS_ROOT };

static int become(enum who w)
{
	return become_nobody((enum nobody_as)w);
}

static int fails;

#define CHECK(cond, fmt, ...) do {					\
	if (!(cond)) {							\
		printf("# line %d: %s: " fmt "\n", __LINE__, #cond,	\
		       ##__VA_ARGS__);					\
		fails++;						\
	}								\
} while (0)

struct find {
	uint64_t id;
	int found;
};

static int find_job(const struct xosjob_job *j, void *arg)
{
	struct find *f = arg;

	if (j->id == f->id)
		f->found++;
	return 0;
}

static int count_task(const struct xosjob_task *t, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/* In a child: what another user gets for root's live job @id of @pid. */
static int other_user(enum who w, uint64_t id, pid_t pid)
{
	struct xosjob_ctx *c;
	struct xosjob_job j;
	struct xosjob_anchor a;
	struct find f = { .id = id };
	uint32_t n1, n2;
	int n = 0, err;

	if (become(w))
		return 100;
	if (xosjob_open(&c))
		return 101;
	err = xosjob_get(c, id, &j);
	CHECK(err == -ENOENT, "get: %d %s", err, xosjob_strerror(c));
	CHECK(strstr(xosjob_strerror(c), "no such job"), "%s", xosjob_strerror(c));
	err = xosjob_get_by_pid(c, pid, &j);
	CHECK(err == -ENOENT, "get by pid: %d", err);
	err = xosjob_kill(c, id, SIGKILL, &n1, &n2);
	CHECK(err == -ENOENT, "kill: %d", err);
	CHECK(strstr(xosjob_strerror(c), "no such job"), "%s", xosjob_strerror(c));
	err = xosjob_kill(c, id, 0, &n1, &n2);
	CHECK(err == -ENOENT, "kill 0: %d", err);
	err = xosjob_enter(c, id, true, &a);
	CHECK(err == -ENOENT, "enter: %d %s", err, xosjob_strerror(c));
	err = xosjob_enter(c, id, false, &a);
	CHECK(err == -ENOENT, "enter with cgroups: %d", err);
	err = xosjob_tasks(c, id, count_task, &n, NULL);
	CHECK(err == -ENOENT && !n, "tasks: %d, %d tasks", err, n);
	err = xosjob_attach(c, id, getpid(), &n1);
	CHECK(err == -EPERM, "attach: %d", err);
	err = xosjob_new(c, NULL, pid, &j.id);
	CHECK(err == -EPERM, "new for another pid: %d", err);
	err = xosjob_new_owner(c, NULL, 0, 0, &j.id);
	CHECK(err == -EPERM, "new with owner: %d", err);
	{
		/* a restore's origin and base figures are the admin's word */
		struct xosjob_stats base = { .runtime_ns = 1 };
		struct xosjob_new_req r = { .owner = XOSJOB_OWNER_DEFAULT,
					    .restored_from = id,
					    .base = &base };

		err = xosjob_new_req(c, &r, &j.id);
		CHECK(err == -EPERM && strstr(xosjob_strerror(c), "CAP_SYS_ADMIN"),
		      "new restored from: %d %s", err, xosjob_strerror(c));
	}
	err = xosjob_checkpoint_mark(c, id, true, NULL);
	CHECK(err == -EPERM && strstr(xosjob_strerror(c), "CAP_SYS_ADMIN"),
	      "checkpoint mark: %d %s", err, xosjob_strerror(c));
	err = xosjob_list(c, find_job, &f, NULL);
	CHECK(!err && !f.found, "list: %d, found %d", err, f.found);
	/* the caller is still in no job: nothing above let it in */
	err = xosjob_get_by_pid(c, getpid(), &j);
	CHECK(err == -ENOENT, "self in a job: %d", err);
	xosjob_close(c);
	if (xosjob_open(&c))
		return 101;
	err = xosjob_subscribe(c, 0);
	if (w == USERNS_NETNS && !err) {
		/*
		 * Root of the netns's owner may join the group there; records
		 * are only sent in the initial one: even those of its own job
		 * never arrive.
		 */
		struct timeval tv = { .tv_sec = 1 };
		pid_t p = fork();
		int cmd;

		if (p == 0) {
			struct xosjob_ctx *c2;
			uint64_t own;

			_exit(xosjob_open(&c2) || xosjob_new(c2, "own", 0, &own));
		}
		CHECK(reap(p) == 0, "own job");
		setsockopt(xosjob_fd(c), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		err = xosjob_event_next(c, &cmd, &j);
		CHECK(err == -EAGAIN, "event in another netns: %d (cmd %d, job %llu)",
		      err, cmd, (unsigned long long)j.id);
	} else {
		CHECK(err == -EPERM, "subscribe: %d", err);
	}
	xosjob_close(c);
	return fails;
}

/* In a child: root's ended job @id has no record for another user. */
static int other_user_ended(enum who w, uint64_t id)
{
	struct xosjob_ctx *c;
	struct xosjob_job j;
	struct find f = { .id = id };
	int err;

	if (become(w))
		return 100;
	if (xosjob_open(&c))
		return 101;
	err = xosjob_get(c, id, &j);
	CHECK(err == -ENOENT, "get ended: %d", err);
	err = xosjob_list_ended(c, 0, find_job, &f, NULL);
	CHECK(!err && !f.found, "list ended: %d, found %d", err, f.found);
	xosjob_close(c);
	return fails;
}

static int run_child(int (*fn)(enum who, uint64_t, pid_t), enum who w,
		     uint64_t id, pid_t pid)
{
	pid_t p = fork();

	if (p == 0) {
		fflush(stdout);
		_exit(fn(w, id, pid));
	}
	return reap(p);
}

static int ended_fn(enum who w, uint64_t id, pid_t pid)
{
	return other_user_ended(w, id);
}

FIXTURE(sec) {
	struct xosjob_ctx *c;
};

FIXTURE_SETUP(sec)
{
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, xosjob_open(&self->c));
}

FIXTURE_TEARDOWN(sec)
{
	if (self->c)
		xosjob_close(self->c);
}

TEST_F(sec, other_users_cannot_touch_a_job)
{
	struct xosjob_job j;
	uint64_t id;
	int gate, w;
	pid_t p = spawn_gated(&gate, NULL, NULL);

	ASSERT_LT(0, p);
	ASSERT_EQ(0, xosjob_new(self->c, "secret", p, &id));
	for (w = NOBODY_; w <= USERNS_NETNS; w++)
		EXPECT_EQ(0, run_child(other_user, w, id, p))
			TH_LOG("mode %d (0 uid 65534, 1 its user namespace, 2 and a netns) could touch root's job", w);
	/* nothing happened to it */
	ASSERT_EQ(0, xosjob_get(self->c, id, &j));
	EXPECT_EQ(1, j.nr_procs);
	EXPECT_EQ(1, j.procs_started);
	open_gate(gate);
	ASSERT_EQ(0, reap(p));
	for (w = NOBODY_; w <= USERNS_NETNS; w++)
		EXPECT_EQ(0, run_child(ended_fn, w, id, 0))
			TH_LOG("mode %d saw root's record", w);
}

/* --- every byte of replies -------------------------------------------- */
static int bytes_checked;

/* 0 if every byte of [p, p+len) is accounted for; else the bad offset + 1 */
static int check_bytes(const char *p, size_t len, enum attr_space level)
{
	size_t off = 0;

	while (off < len) {
		const struct nlattr *a = (const struct nlattr *)(p + off);
		size_t plen, i;
		int t;
		enum attr_kind k;

		if (len - off < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
		    a->nla_len > len - off)
			return off + 1;
		t = a->nla_type & NLA_TYPE_MASK;
		plen = a->nla_len - NLA_HDRLEN;
		k = attr_in_replies(level, t) ? attr_kind(level, t) : K_NONE;
		if ((k == K_U8 && plen != 1) || (k == K_U32 && plen != 4) ||
		    (k == K_U64 && plen != 8) || (k == K_FLAG && plen) ||
		    k == K_NONE || (k == K_NEST) != !!(a->nla_type & NLA_F_NESTED))
			return off + 1;
		if (k == K_STR && (!plen || strnlen(p + off + NLA_HDRLEN, plen) != plen - 1))
			return off + 1;	/* bytes after the NUL, or none */
		if (k == K_NEST) {
			int bad = check_bytes(p + off + NLA_HDRLEN, plen,
					      attr_nest_space(level, t));

			if (bad)
				return off + NLA_HDRLEN + bad;
		}
		for (i = a->nla_len; i < NLA_ALIGN(a->nla_len); i++)
			if (off + i >= len || p[off + i])
				return off + i + 1;
		bytes_checked += NLA_ALIGN(a->nla_len);
		off += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

struct reply_check {
	int msgs, bad;
	char why[128];
};

static int check_reply(const struct nlmsghdr *h, void *arg)
{
	struct reply_check *rc = arg;
	const struct genlmsghdr *g = NLMSG_DATA(h);
	size_t i;
	int bad;

	rc->msgs++;
	for (i = h->nlmsg_len; i < NLMSG_ALIGN(h->nlmsg_len); i++)
		if (((const char *)h)[i])
			rc->bad++;
	if (g->reserved || g->version != XOS_JOB_GENL_VERSION) {
		rc->bad++;
		snprintf(rc->why, sizeof(rc->why), "genl header %u/%u",
			 g->version, g->reserved);
	}
	bad = check_bytes((const char *)h + NLMSG_HDRLEN + GENL_HDRLEN,
			  h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, L_JOB);
	if (bad) {
		rc->bad++;
		snprintf(rc->why, sizeof(rc->why), "command %u: byte %d of the attributes",
			 g->cmd, bad - 1);
	}
	bytes_checked += NLMSG_HDRLEN + GENL_HDRLEN;
	return 0;
}

static void exchange(struct __test_metadata *_metadata, struct nlr *n,
		     struct nlmsghdr *h, const char *what, int want_msgs)
{
	struct reply_check rc = { 0 };
	int err = nlr_talk(n, check_reply, &rc, NULL);

	ASSERT_EQ(0, err) TH_LOG("%s: %s", what, n->msg);
	EXPECT_LE(want_msgs, rc.msgs) TH_LOG("%s", what);
	EXPECT_EQ(0, rc.bad) TH_LOG("%s: %s", what, rc.why);
}

static void named(void *arg)
{
	prctl(PR_SET_NAME, (const char *)arg);
	pause();
}

TEST_F(sec, replies_have_no_stray_bytes)
{
	/* every length modulo 4, for labels and for comms */
	static const char *const labels[] = { "a", "ab", "abc", "abcd" };
	static const char *const comms[] = { "x", "xy", "xyz", "xyzw" };
	static const char *const cpus[] = { "0", "0,1", "0-1", "0-12" };
	struct xosjob_new_req req = { .owner = XOSJOB_OWNER_DEFAULT };
	struct nlr *n = malloc(sizeof(*n));
	struct nlmsghdr *h;
	uint64_t ids[4], ended[4];
	pid_t pids[4];
	int gates[4], i;
	uint16_t fam;

	ASSERT_NE(NULL, n);
	ASSERT_EQ(0, nlr_open(n));
	ASSERT_EQ(0, nlr_resolve(n, XOS_JOB_GENL_NAME, &fam, NULL));
	for (i = 0; i < 4; i++) {
		pids[i] = spawn_gated(&gates[i], NULL, NULL);
		ASSERT_LT(0, pids[i]);
		ASSERT_EQ(0, xosjob_new(self->c, labels[i], pids[i], &ended[i]));
		open_gate(gates[i]);
		ASSERT_EQ(0, reap(pids[i]));
		/* that one ended with its member; a live one, comm of that length */
		pids[i] = spawn_gated(&gates[i], named, (void *)comms[i]);
		/* with limits: a nest, strings of every length modulo 4 */
		req.label = labels[i];
		req.pid = pids[i];
		req.limits.time_ns = 3600ULL * 1000000000;
		snprintf(req.limits.cpus, sizeof(req.limits.cpus), "%s",
			 cpus[i]);
		ASSERT_EQ(0, xosjob_new_req(self->c, &req, &ids[i]))
			TH_LOG("%s", xosjob_strerror(self->c));
		open_gate(gates[i]);
	}
	usleep(XOS_SCALED(100000));	/* the comms are set */
	exchange(_metadata, n, nlr_start(n, fam, 0, XOS_JOB_CMD_INFO, 1), "INFO", 1);
	exchange(_metadata, n, nlr_start(n, fam, NLM_F_DUMP, XOS_JOB_CMD_LIST, 1),
		 "LIST", 4);
	h = nlr_start(n, fam, NLM_F_DUMP, XOS_JOB_CMD_LIST, 1);
	nlr_put(h, XOS_JOB_A_ENDED, NULL, 0);
	exchange(_metadata, n, h, "LIST ended", 4);
	for (i = 0; i < 4; i++) {
		h = nlr_start(n, fam, 0, XOS_JOB_CMD_GET, 1);
		nlr_put_u64(h, XOS_JOB_A_ID, ids[i]);
		exchange(_metadata, n, h, "GET", 1);
		h = nlr_start(n, fam, 0, XOS_JOB_CMD_GET, 1);
		nlr_put_u64(h, XOS_JOB_A_ID, ended[i]);
		exchange(_metadata, n, h, "GET ended", 1);
		h = nlr_start(n, fam, NLM_F_DUMP, XOS_JOB_CMD_TASKS, 1);
		nlr_put_u64(h, XOS_JOB_A_ID, ids[i]);
		exchange(_metadata, n, h, "TASKS", 1);
		h = nlr_start(n, fam, 0, XOS_JOB_CMD_KILL, 1);
		nlr_put_u64(h, XOS_JOB_A_ID, ids[i]);
		nlr_put_u32(h, XOS_JOB_A_SIGNAL, 0);
		exchange(_metadata, n, h, "KILL 0", 1);
	}
	/* ATTACH and ENTER answers, for a process made for it */
	{
		int g = -1;
		pid_t p = spawn_gated(&g, NULL, NULL);

		h = nlr_start(n, fam, 0, XOS_JOB_CMD_ATTACH, 1);
		nlr_put_u64(h, XOS_JOB_A_ID, ids[0]);
		nlr_put_u32(h, XOS_JOB_A_PID, p);
		exchange(_metadata, n, h, "ATTACH", 1);
		open_gate(g);
		reap(p);
	}
	{
		pid_t p = fork();

		if (p == 0) {
			struct nlr *m = malloc(sizeof(*m));
			struct reply_check rc = { 0 };

			if (!m || nlr_open(m) || nlr_resolve(m, XOS_JOB_GENL_NAME, &fam, NULL))
				_exit(2);
			h = nlr_start(m, fam, 0, XOS_JOB_CMD_ENTER, 1);
			nlr_put_u64(h, XOS_JOB_A_ID, ids[1]);
			nlr_put(h, XOS_JOB_A_NO_CGROUP, NULL, 0);
			if (nlr_talk(m, check_reply, &rc, NULL) || rc.msgs != 1)
				_exit(3);
			_exit(rc.bad ? 4 : 0);
		}
		EXPECT_EQ(0, reap(p)) TH_LOG("ENTER reply");
	}
	TH_LOG("%d reply bytes checked", bytes_checked);
	for (i = 0; i < 4; i++) {
		kill(pids[i], SIGKILL);
		reap(pids[i]);
	}
	nlr_close(n);
	free(n);
}

/* --- namespaces -------------------------------------------------------- */
struct pids {
	pid_t pid[8], tgid[8];
	uint32_t uid[8];
	int n;
};

static int collect(const struct xosjob_task *t, void *arg)
{
	struct pids *p = arg;

	if (p->n < 8) {
		p->pid[p->n] = t->pid;
		p->tgid[p->n] = t->tgid;
		p->uid[p->n] = t->uid;
		p->n++;
	}
	return 0;
}

struct pidns_arg {
	uint64_t id;
	int report;	/* B's pid in the parent's namespace goes here */
	int go;		/* B waits on this before it exits */
};

/* B: a member of the job, pid 1 of a new pid namespace. */
static int in_child_pidns(uint64_t id)
{
	struct xosjob_ctx *c;
	struct xosjob_job j;
	struct pids p = { 0 };

	CHECK(getpid() == 1, "pid %d", getpid());
	if (xosjob_open(&c))
		return 101;
	CHECK(!xosjob_tasks(c, id, collect, &p, NULL), "tasks: %s", xosjob_strerror(c));
	/* itself only: the anchor outside is not shown */
	CHECK(p.n == 1 && p.pid[0] == 1 && p.tgid[0] == 1, "%d tasks, first %d/%d",
	      p.n, p.pid[0], p.tgid[0]);
	CHECK(!xosjob_get(c, id, &j), "get: %s", xosjob_strerror(c));
	CHECK(j.anchor_pid == 0, "anchor pid %u (outside this namespace)", j.anchor_pid);
	CHECK(j.nr_procs == 2, "%llu procs", (unsigned long long)j.nr_procs);
	CHECK(!xosjob_get_by_pid(c, 1, &j) && j.id == id, "get by pid 1");
	xosjob_close(c);
	return fails;
}

static void pidns_anchor(void *arg)
{
	struct pidns_arg *a = arg;
	int status;
	char ch;
	pid_t b;

	if (unshare(CLONE_NEWPID))
		_exit(100);
	b = fork();
	if (b == 0) {
		int r = in_child_pidns(a->id);

		fflush(stdout);
		if (read(a->go, &ch, 1) < 0)
			r++;
		_exit(r);
	}
	if (write(a->report, &b, sizeof(b)) != sizeof(b) ||
	    waitpid(b, &status, 0) != b)
		_exit(101);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 102);
}

TEST_F(sec, child_pid_namespace_sees_its_own_pids)
{
	struct pidns_arg a;
	struct pids p = { 0 };
	int rep[2], go[2], i, seen = 0;
	pid_t anchor, b = 0;

	ASSERT_EQ(0, pipe(rep));
	ASSERT_EQ(0, pipe(go));
	anchor = fork();
	ASSERT_LE(0, anchor);
	if (anchor == 0) {
		close(go[1]);
		close(rep[0]);
		a.go = go[0];
		a.report = rep[1];
		/* the job id first: then it is a member */
		if (read(a.go, &a.id, sizeof(a.id)) != sizeof(a.id))
			_exit(103);
		pidns_anchor(&a);
	}
	close(go[0]);
	close(rep[1]);
	ASSERT_EQ(0, xosjob_new(self->c, "pidns", anchor, &a.id));
	ASSERT_EQ(sizeof(a.id), write(go[1], &a.id, sizeof(a.id)));
	ASSERT_EQ(sizeof(b), read(rep[0], &b, sizeof(b)));
	/* both are members, seen from here with pids of this namespace */
	for (i = 0; i < XOS_SCALED(50); i++) {
		p.n = 0;
		ASSERT_EQ(0, xosjob_tasks(self->c, a.id, collect, &p, NULL));
		if (p.n == 2)
			break;
		usleep(20000);
	}
	for (i = 0; i < p.n; i++)
		seen |= (p.tgid[i] == anchor) | (p.tgid[i] == b) << 1;
	EXPECT_EQ(2, p.n);
	EXPECT_EQ(3, seen) TH_LOG("anchor %d, B %d (global pid)", anchor, b);
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(0, reap(anchor)) TH_LOG("the view from the child pid namespace");
	close(go[1]);
	close(rep[0]);
}

/* Q: uid 65534 as root of a user namespace, owner of the job. */
static int userns_view(enum who w, uint64_t id, pid_t member)
{
	struct xosjob_ctx *c;
	struct xosjob_job j;
	struct pids p = { 0 };

	if (become(USERNS))
		return 100;
	if (xosjob_open(&c))
		return 101;
	CHECK(!xosjob_get(c, id, &j), "get: %s", xosjob_strerror(c));
	CHECK(j.owner_uid == 0, "owner %u seen from the user namespace", j.owner_uid);
	CHECK(!xosjob_tasks(c, id, collect, &p, NULL), "tasks: %s", xosjob_strerror(c));
	CHECK(p.n == 1 && p.tgid[0] == member, "%d tasks", p.n);
	/* uid 1000 has no mapping here */
	CHECK(p.uid[0] == OVERFLOW_UID, "member uid %u", p.uid[0]);
	xosjob_close(c);
	return fails;
}

TEST_F(sec, user_namespace_sees_mapped_uids)
{
	struct xosjob_job j;
	struct pids p = { 0 };
	uint64_t id;
	int rd[2];
	pid_t m;
	char ch;

	/* a member running as uid 1000, in a job owned by 65534 */
	ASSERT_EQ(0, pipe(rd));
	m = fork();
	ASSERT_LE(0, m);
	if (m == 0) {
		close(rd[0]);
		if (setresuid(1000, 1000, 1000))
			_exit(1);
		close(rd[1]);
		pause();
		_exit(0);
	}
	close(rd[1]);
	ASSERT_EQ(0, read(rd[0], &ch, 1));	/* closed: uid changed */
	close(rd[0]);
	ASSERT_EQ(0, xosjob_new_owner(self->c, "userns", m, NOBODY, &id));
	ASSERT_EQ(0, xosjob_get(self->c, id, &j));
	EXPECT_EQ(NOBODY, j.owner_uid);
	ASSERT_EQ(0, xosjob_tasks(self->c, id, collect, &p, NULL));
	ASSERT_EQ(1, p.n);
	EXPECT_EQ(1000, p.uid[0]);
	EXPECT_EQ(0, run_child(userns_view, USERNS, id, m))
		TH_LOG("the view from the user namespace");
	kill(m, SIGKILL);
	reap(m);
}

TEST_HARNESS_MAIN
