/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * xos_job: job tagging for grid and cluster nodes.
 *
 * Every task carries at most one job ID. A task created by a member (fork,
 * vfork, clone, threads, io_uring workers) is a member of the same job, and
 * no member can leave its job. A job ends when its last member exits.
 *
 * Generic netlink family XOS_JOB_GENL_NAME, version XOS_JOB_GENL_VERSION.
 * All IDs start at 1. Pids are in the caller's pid namespace, uids in the
 * caller's user namespace. Tasks outside the caller's pid namespace are
 * never reported.
 *
 * Errors: every error the module returns, from a do or a dump, carries an
 * extack message: the module's words (a missing attribute is also named
 * by NLMSGERR_ATTR_MISS_TYPE), or, for a request that breaks an attribute
 * policy, the kernel's text with NLMSGERR_ATTR_OFFS and
 * NLMSGERR_ATTR_POLICY, the limit broken (the label's 255 bytes, the
 * signal's 0..64). A dump whose first object does not fit in a message
 * fails with EMSGSIZE. Generic netlink answers some requests before the
 * module sees them, possibly without a message: a command number the
 * family does not have, the notification ids included (EOPNOTSUPP, never
 * a message), a truncated header, or a non-zero reserved byte or flag
 * (EINVAL).
 *
 * The request policies are generated from spec/xos_job.yaml (the kernel's
 * ynl-gen-c.py, into kmod/netlink-gen.c): an attribute's checks there (min,
 * max, max-len) are the limits the kernel enforces. Every command takes
 * only the attributes listed for its request; any other is refused.
 *
 * "Admin" below means CAP_SYS_ADMIN in the initial user namespace, held by
 * both the socket opener and the sender. Non-admin callers only see jobs
 * they own (job owner uid == caller's effective uid); other users' jobs
 * answer ENOENT, exactly as if they did not exist.
 *
 * Commands and their attribute trees (request -> reply):
 *
 * XOS_JOB_CMD_INFO (do; anyone)
 *   request: (none)
 *   reply:   XOS_JOB_A_VERSION            u32  protocol version
 *            XOS_JOB_A_MODULE_VERSION     string
 *            XOS_JOB_A_NR_JOBS            u32  live jobs
 *            XOS_JOB_A_MAX_JOBS           u32  module parameter max_jobs
 *            XOS_JOB_A_NR_TASKS           u64  live tracked tasks
 *            XOS_JOB_A_ALLOC_FAILURES     u64  tasks that could not be
 *                                              tracked (see
 *                                              XOS_JOB_F_INCOMPLETE)
 *            XOS_JOB_A_SEQ                u64  sequence number of the last
 *                                              end-of-job record (0: none)
 *            XOS_JOB_A_OLDEST_SEQ         u64  lowest sequence number still
 *                                              kept (up to SEQ, with gaps:
 *                                              a full ring drops the oldest
 *                                              record of the owner that
 *                                              holds the most)
 *            XOS_JOB_A_RING_SIZE          u32  records kept (module
 *                                              parameter ended_ring)
 *
 * XOS_JOB_CMD_NEW (do; anyone for itself; admin with PID, OWNER_UID,
 *                 RESTORED_FROM or BASE)
 *   request: [XOS_JOB_A_LABEL]            string, at most 255 bytes
 *            [XOS_JOB_A_PID]              u32  process to place in the job
 *                                              (admin only); default: the
 *                                              calling process
 *            [XOS_JOB_A_OWNER_UID]        u32  owner (admin only); default:
 *                                              the caller's euid
 *            [XOS_JOB_A_OWN_CGROUP]       flag the process's cgroup v2 was
 *                                              made for this job alone (the
 *                                              creator vouches: freeze and
 *                                              thaw act on it)
 *            [XOS_JOB_A_LIMITS]           nest XOS_JOB_LIMIT_A_*, see below
 *            [XOS_JOB_A_RESTORED_FROM]    u64  (admin only) the job this one
 *                                              is restored from, out of a
 *                                              checkpoint; any id but 0 (the
 *                                              module keeps no checkpoint:
 *                                              the id is the restorer's word)
 *            [XOS_JOB_A_BASE]             nest XOS_JOB_STATS_A_* (admin
 *                                              only, with RESTORED_FROM; u64
 *                                              each, DELAYACCT not taken):
 *                                              the figures of the job
 *                                              restored from, up to its
 *                                              checkpoint. The new job's
 *                                              figures start from them (sums
 *                                              go on adding up, high-water
 *                                              marks are the larger), its
 *                                              CPU_TIME_NS limit counts them
 *   reply:   XOS_JOB_A_ID                 u64
 *   The process (all its threads) becomes the first member and anchor;
 *   its exit status becomes the job's (XOS_JOB_A_EXIT_STATUS). Its cgroup
 *   v2 is recorded as the job's cgroup (XOS_JOB_A_CGROUP), for good.
 *   EPERM if a non-admin caller is already in a job, ENOSPC at max_jobs.
 *
 * XOS_JOB_CMD_ATTACH (do; admin)
 *   request: XOS_JOB_A_ID, XOS_JOB_A_PID
 *   reply:   XOS_JOB_A_ID, XOS_JOB_A_NR_ATTACHED u32 (threads moved)
 *   Moves the process with all its threads into the job. A process that
 *   was in another job leaves it (its past use stays with the old job).
 *
 * XOS_JOB_CMD_GET (do; owner or admin)
 *   request: XOS_JOB_A_ID or XOS_JOB_A_PID (the job of that process)
 *   reply:   a job object (see below). A job that has ended answers with
 *            its end-of-job record while the record is kept in the ring.
 *
 * XOS_JOB_CMD_LIST (dump; everyone sees own jobs, admin sees all)
 *   request: [XOS_JOB_A_ENDED]            flag: list ended jobs instead
 *            [XOS_JOB_A_SEQ]              u64  with ENDED: first sequence
 *                                              number wanted (default or 0:
 *                                              the oldest kept)
 *   reply:   live jobs: one job object per message, in ascending ID order,
 *            resuming from the last ID sent; NLM_F_DUMP_INTR if jobs were
 *            created or ended while the dump ran.
 *            ended jobs: one end-of-job record per message in sequence
 *            order; NLM_F_DUMP_INTR if records the dump had not reached
 *            yet were dropped from the ring while it ran. A consumer asks
 *            for "last sequence seen + 1" and sees gaps in the numbers.
 *
 * XOS_JOB_CMD_TASKS (dump; owner or admin)
 *   request: XOS_JOB_A_ID
 *   reply:   per message: XOS_JOB_A_ID, XOS_JOB_A_TASK (nest, task object)
 *            in join order. NLM_F_DUMP_INTR if members joined or left
 *            while the dump ran. A member's figures are sent only if the
 *            caller could read them through /proc/PID/io (ptrace read
 *            access with its filesystem ids: same uids and gids as the
 *            task and a dumpable task, or CAP_SYS_PTRACE; the LSM's
 *            ptrace hook is not consulted); else XOS_JOB_TASK_A_PRIVATE.
 *            The job's sums (XOS_JOB_CMD_GET) stay the owner's to see.
 *
 * XOS_JOB_CMD_KILL (do; owner or admin)
 *   request: XOS_JOB_A_ID, XOS_JOB_A_SIGNAL u32 (1..64; 0 checks only)
 *   reply:   XOS_JOB_A_ID
 *            XOS_JOB_A_NR_SIGNALLED      u32  processes signalled
 *            XOS_JOB_A_NR_DENIED         u32  processes the caller may not
 *                                             signal (EPERM from kill(2))
 *   Each member process is signalled as kill(2) from the caller would:
 *   process-directed (any thread not blocking it takes it), with the
 *   kernel's own permission check (CAP_KILL or matching uids, also for
 *   admins), the LSM's task_kill hook and audit. A process whose fork
 *   raced the kill receives the signal too (rarely twice); after a
 *   SIGKILL that reached every process, XOS_JOB_F_KILLED is set and the
 *   job takes no new member.
 *
 * XOS_JOB_CMD_ENTER (do; the job's owner or admin)
 *   request: XOS_JOB_A_ID
 *            [XOS_JOB_A_NO_CGROUP]       flag: do not join the cgroups
 *   reply:   XOS_JOB_A_ID
 *            XOS_JOB_A_CGROUP            string the job's recorded cgroup
 *                                             (see the job object)
 *            XOS_JOB_A_ANCHOR_PID        u32  the job's anchor process (its
 *                                             oldest member) in the
 *                                             caller's pid ns; 0: not
 *                                             visible there
 *            XOS_JOB_A_ANCHOR_START_BOOTTIME u64 start time of that process
 *                                             (ns since boot; /proc/PID/stat
 *                                             field 22 in clock ticks), to
 *                                             verify the pid without a race
 *            XOS_JOB_A_OWNER_UID         u32
 *   The calling process (with all its threads) becomes a member of the
 *   job, so everything it and its children do is the job's; then the
 *   calling thread is moved into every cgroup of the oldest member that
 *   is in the job's recorded cgroup (XOS_JOB_A_CGROUP; the anchor unless
 *   it moved away), with cgroup_attach_task_all(), unless NO_CGROUP.
 *   When no member is left in the recorded cgroup, ENOENT, before
 *   joining. That move bypasses cgroupfs permissions, so it is for
 *   admins only (EPERM otherwise): an owner sends NO_CGROUP and writes to
 *   the recorded cgroup's cgroup.procs ("xosjob enter" always does so).
 *   Namespaces, root, cwd and credentials are userspace's to take, from
 *   the anchor: see "xosjob enter". A caller already in the job only
 *   joins the cgroups.
 *   Errors: ENOENT (no job the caller may see, or no member in its
 *   cgroup), ESRCH (the job has ended,
 *   ends meanwhile, or was killed), EPERM (a non-admin member of another
 *   job), EINVAL (cgroups asked for from a multi-threaded process). If
 *   joining the cgroups fails, the caller is a member already: it should
 *   exit.
 *
 * XOS_JOB_CMD_CHECKPOINT (do; admin)
 *   request: XOS_JOB_A_ID,
 *            XOS_JOB_A_CHECKPOINTING     u8   1: set XOS_JOB_F_CHECKPOINTING,
 *                                             0: clear it
 *   reply:   XOS_JOB_A_ID, XOS_JOB_A_FLAGS (after the change)
 *   A checkpointer (xosjob checkpoint, from CRIU's post-dump hook, while
 *   the dumped processes are frozen) sets the mark once a dump has
 *   succeeded and before it kills the processes, so that the job's record
 *   says it ended through its checkpoint (XOS_JOB_END_CHECKPOINTED). It
 *   clears the mark if the processes are resumed after all (the dump
 *   failed late, or --leave-running). The module only keeps the mark:
 *   it neither freezes nor kills. ESRCH when the job has ended.
 *
 * Notifications, multicast group XOS_JOB_MCGRP_EVENTS (admin: the group
 * needs CAP_SYS_ADMIN, and records are sent in the initial network
 * namespace only, as they hold every user's accounting):
 *
 * XOS_JOB_CMD_CREATED_NTF: a job object, when a job is created.
 * XOS_JOB_CMD_ENDED_NTF: the end-of-job record (a job object with
 *   XOS_JOB_A_ENDED, XOS_JOB_A_SEQ and the final figures), when the last
 *   member of a job has left. Sequence numbers rise by one per record, from
 *   1; a gap means records were missed (ENOBUFS): read them back with
 *   XOS_JOB_CMD_LIST and XOS_JOB_A_ENDED.
 *
 * When a job ends. The record is made (and GET answers with it) in the
 * exit tracepoint of the job's last member task, or when ATTACH moves the
 * last member process to another job (that process lives on). do_exit()
 * (6.1 and 6.12 alike) runs that tracepoint after the task let go of its
 * address space (exit_mm()) but before it closes its files, leaves its
 * namespaces, runs its task works (where a file's last close completes:
 * flock() locks, pipe, FIFO and socket ends, device handles), leaves its
 * cgroups (cgroup_exit()) and becomes a zombie (exit_notify()). ENDED_NTF
 * is sent after that from a worker: it may arrive at any point of that
 * sequence, or after the process was reaped. At ENDED_NTF a consumer may
 * assume that no member runs user code again or creates a task, and that
 * the figures are final (read in the tracepoint: what the last task does
 * in the kernel after it, closing its files, is not counted, as in
 * taskstats). It must not assume that the last process has closed its
 * files (locks may be held, FIFO ends open, devices busy), left its
 * namespaces (one it was the last user of may still exist) or its cgroup
 * ("populated 1", rmdir fails with EBUSY), nor that it is a zombie or
 * reaped (waitpid(WNOHANG) may return 0). To wait for those, wait for the
 * job's cgroup (if it held only the job) to report "populated 0" in
 * cgroup.events, or for the process to be reaped: both come after it let
 * go of them (references others hold, such as a descriptor passed away or
 * a bind-mounted namespace, stay). Once waitpid() returned for the job's
 * last process, GET answers with the record.
 *
 * Job object (XOS_JOB_CMD_GET reply, XOS_JOB_CMD_LIST entries):
 *   XOS_JOB_A_ID                 u64
 *   XOS_JOB_A_LABEL              string (only when set)
 *   XOS_JOB_A_OWNER_UID          u32
 *   XOS_JOB_A_CREATED_REALTIME   u64  ns since the epoch
 *   XOS_JOB_A_CREATED_BOOTTIME   u64  ns since boot (CLOCK_BOOTTIME)
 *   XOS_JOB_A_ANCHOR_PID         u32  the oldest live member's process;
 *                                     0 if not visible in caller's pid ns.
 *                                     When it exits, the next oldest
 *                                     member becomes the anchor.
 *   XOS_JOB_A_ANCHOR_START_BOOTTIME u64 its start time (live jobs)
 *   XOS_JOB_A_FLAGS              u32  XOS_JOB_F_*
 *   XOS_JOB_A_NR_TASKS           u64  live member tasks (threads included)
 *   XOS_JOB_A_NR_PROCS           u64  live member processes
 *   XOS_JOB_A_TASKS_STARTED      u64  tasks that ever joined
 *   XOS_JOB_A_TASKS_EXITED       u64  tasks that left (exit or moved away)
 *   XOS_JOB_A_PROCS_STARTED      u64  processes that ever joined
 *   XOS_JOB_A_PROCS_EXITED       u64  processes that left
 *   XOS_JOB_A_ELAPSED_NS         u64  boot-time ns from creation to now,
 *                                     or to the end
 *   XOS_JOB_A_STATS              nest XOS_JOB_STATS_A_*: the sums over the
 *                                     members that left plus the current
 *                                     values of the live ones
 *   XOS_JOB_A_STATES             nest XOS_JOB_STATES_A_* (live jobs only)
 *   XOS_JOB_A_CGROUP_ID          u64  the recorded cgroup v2 (the first
 *                                     process's at JOB_NEW): its id, the
 *                                     inode number of its directory
 *   XOS_JOB_A_CGROUP             string (live jobs) its path from the
 *                                     cgroup2 mount in the caller's cgroup
 *                                     namespace
 *   XOS_JOB_A_LIMITS             nest XOS_JOB_LIMIT_A_* (only when set)
 *   XOS_JOB_A_NR_OOM_KILLED      u64  member processes the OOM killer
 *                                     took (a cgroup's or the system's)
 *   XOS_JOB_A_RESTORED_FROM      u64  (restored jobs only) the job it was
 *                                     restored from, as given to JOB_NEW
 *   XOS_JOB_A_BASE               nest XOS_JOB_STATS_A_* (restored jobs
 *                                     only): the part of XOS_JOB_A_STATS
 *                                     that came before the restart (the
 *                                     figures given to JOB_NEW)
 *   Ended jobs (end-of-job records) also carry:
 *   XOS_JOB_A_ENDED              flag
 *   XOS_JOB_A_SEQ                u64  record sequence number
 *   XOS_JOB_A_ENDED_REALTIME     u64
 *   XOS_JOB_A_ENDED_BOOTTIME     u64
 *   XOS_JOB_A_END_STATE          u32  enum xos_job_end_state: why it ended
 *   XOS_JOB_A_EXIT_STATUS        u32  wait status (as waitpid() gives it)
 *                                     of the job's first process, when it
 *                                     exited in the job (not sent if it
 *                                     was moved to another job)
 *
 * Task object (nested XOS_JOB_A_TASK, attributes XOS_JOB_TASK_A_*):
 *   XOS_JOB_TASK_A_PID           u32  thread id in caller's pid ns
 *   XOS_JOB_TASK_A_TGID          u32  process id in caller's pid ns
 *   XOS_JOB_TASK_A_COMM          string
 *   XOS_JOB_TASK_A_UID           u32  real uid in caller's user ns
 *   XOS_JOB_TASK_A_START_BOOTTIME u64 ns since boot
 *   XOS_JOB_TASK_A_STATS         nest XOS_JOB_STATS_A_*: this task's use
 *                                     since it joined (not sent when
 *                                     PRIVATE is)
 *   XOS_JOB_TASK_A_PRIVATE       flag the caller may not read this task's
 *                                     figures (see XOS_JOB_CMD_TASKS)
 *
 * Figures (nest XOS_JOB_STATS_A_*, every value u64 unless noted), the
 * per-task fields of taskstats (linux/taskstats.h) summed per job:
 *   UTIME_NS, STIME_NS            RUNTIME_NS split in the ratio of the
 *                                 summed tick samples (task->utime,
 *                                 ->stime), as getrusage() splits a
 *                                 process's; never go down (a task's
 *                                 in TASKS: its own samples since it
 *                                 joined)
 *   RUNTIME_NS                    se.sum_exec_runtime (precise)
 *   MINFLT, MAJFLT, NVCSW, NIVCSW
 *   RCHAR, WCHAR, SYSCR, SYSCW, READ_BYTES, WRITE_BYTES,
 *   CANCELLED_WRITE_BYTES
 *   HIWATER_RSS_KB, HIWATER_VM_KB the highest of any member (not sums)
 *   COREMEM_MB_US, VIRTMEM_MB_US  memory integrals, as taskstats
 *   DELAYACCT                     u8: kernel.task_delayacct was on when
 *                                 the job was created and is on now
 *   <KIND>_DELAY_NS, <KIND>_DELAY_COUNT for KIND in CPU (run-queue wait,
 *   always sent), BLKIO, SWAPIN, FREEPAGES, THRASHING, COMPACT, WPCOPY.
 *   All but CPU are sent only when DELAYACCT is 1: with delay accounting
 *   off the kernel does not count them, and no zeros are sent for them.
 *   A restored job's figures include those of the job it was restored
 *   from (XOS_JOB_A_BASE); its wall-clock times (ELAPSED_NS, TIME_NS)
 *   start anew with it.
 *
 * Task states of the live members (nest XOS_JOB_STATES_A_*, u64), as
 * cgroupstats counts them: RUNNING, SLEEPING, UNINTERRUPTIBLE, STOPPED
 * (stopped or traced), and IO_WAIT (also counted in its state); FROZEN
 * counts the members the cgroup v2 freezer holds (also counted in their
 * state, sleeping).
 *
 * Limits (nest XOS_JOB_LIMIT_A_*, u64 unless noted; an absent attribute is
 * no limit; 0 is refused but for SWAP_MAX). The module enforces two
 * itself, on the whole job, whatever the members do with signals or
 * sessions:
 *   CPU_TIME_NS    the job's total CPU time (RUNTIME_NS: every member,
 *                  those that left included). At the limit each member
 *                  process gets SIGXCPU, and SIGKILL GRACE_NS later.
 *   TIME_NS        wall-clock time since creation (CLOCK_BOOTTIME, so
 *                  suspend and freeze count). At the limit each member
 *                  process gets SIGTERM, and SIGKILL GRACE_NS later.
 *   GRACE_NS       between the first signal and SIGKILL (default 10 s;
 *                  the largest 1 hour). Sent without the others: no
 *                  limit, refused.
 *   The signals bypass permission checks, as the kernel's RLIMIT_CPU
 *   signals do; after that SIGKILL the job is killed (XOS_JOB_F_KILLED:
 *   a member forking then gets SIGKILL at once). The CPU time is checked
 *   from a worker, next at the earliest moment the rest of the budget
 *   could run out with every online CPU busy, and at least every 1 ms
 *   near the end: the job can exceed CPU_TIME_NS by at most
 *   (online CPUs) x (GRACE_NS + 1 tick + the worker's wake-up latency).
 * The others are the job's cgroup limits as its creator wrote them to
 * the job's cgroup (informational: the cgroup enforces them; the module
 * checks only their range): MEMORY_MAX, MEMORY_HIGH, SWAP_MAX (bytes),
 * PIDS_MAX, CPU_QUOTA_US with CPU_PERIOD_US (cpu.max), CPU_WEIGHT and
 * IO_WEIGHT (1..10000), CPUS and MEMS (strings, cpuset lists, at most
 * 127 bytes).
 *
 * End states (XOS_JOB_A_END_STATE), the first that applies:
 *   CPU_TIME_LIMIT, TIME_LIMIT  the module's limit fired
 *   OUT_OF_MEMORY  the OOM killer took a member process
 *   KILLED         JOB_KILL sent a signal whose default action ends a
 *                  process (not STOP, CONT or one ignored by default)
 *   CHECKPOINTED   XOS_JOB_F_CHECKPOINTING was set when the last member
 *                  left: the job was checkpointed and its processes
 *                  killed by the checkpointer (it may go on as a new
 *                  job, restored from the checkpoint, whose
 *                  XOS_JOB_A_RESTORED_FROM names this one)
 *   COMPLETED      the first process exited with status 0, or was moved
 *                  to another job
 *   FAILED         the first process exited otherwise
 */
#ifndef _UAPI_LINUX_XOS_JOB_H
#define _UAPI_LINUX_XOS_JOB_H

#define XOS_JOB_GENL_NAME	"xos_job"
#define XOS_JOB_GENL_VERSION	1
#define XOS_JOB_LABEL_MAX	255
#define XOS_JOB_MCGRP_EVENTS	"events"

/* XOS_JOB_A_FLAGS */
enum xos_job_flags {
	/*
	 * A member could not be tracked: it and everything it forks run
	 * outside the job for good. A fork whose allocation fails takes an
	 * entry from a reserve (module parameter task_reserve) that a worker
	 * refills; only a burst of more failures than that before the worker
	 * runs, or a member table that must grow in such a burst, loses
	 * members. Each loss counts in XOS_JOB_A_ALLOC_FAILURES.
	 */
	XOS_JOB_F_INCOMPLETE = 1,
	/* XOS_JOB_CMD_KILL with SIGKILL was issued: every new member dies */
	XOS_JOB_F_KILLED = 2,
	/* the recorded cgroup was made for this job (XOS_JOB_A_OWN_CGROUP) */
	XOS_JOB_F_OWN_CGROUP = 4,
	/* live jobs: the recorded cgroup is frozen (cgroup.freeze) */
	XOS_JOB_F_FROZEN = 8,
	/* a limit fired: the first signal went out, SIGKILL follows */
	XOS_JOB_F_LIMIT_HIT = 16,
	/*
	 * Set by XOS_JOB_CMD_CHECKPOINT: a checkpoint of the job succeeded and
	 * its processes are about to be killed by the checkpointer; the job
	 * then ends in XOS_JOB_END_CHECKPOINTED
	 */
	XOS_JOB_F_CHECKPOINTING = 32,
};

#define XOS_JOB_CPULIST_MAX	127

enum xos_job_end_state {
	XOS_JOB_END_UNSPEC,
	XOS_JOB_END_COMPLETED,
	XOS_JOB_END_FAILED,
	XOS_JOB_END_KILLED,
	XOS_JOB_END_CPU_TIME_LIMIT,
	XOS_JOB_END_TIME_LIMIT,
	XOS_JOB_END_OUT_OF_MEMORY,
	XOS_JOB_END_CHECKPOINTED,

	__XOS_JOB_END_MAX,
	XOS_JOB_END_MAX = (__XOS_JOB_END_MAX - 1)
};

enum xos_job_cmd {
	XOS_JOB_CMD_UNSPEC,
	XOS_JOB_CMD_INFO,
	XOS_JOB_CMD_NEW,
	XOS_JOB_CMD_ATTACH,
	XOS_JOB_CMD_GET,
	XOS_JOB_CMD_LIST,
	XOS_JOB_CMD_TASKS,
	XOS_JOB_CMD_KILL,
	XOS_JOB_CMD_CREATED_NTF,
	XOS_JOB_CMD_ENDED_NTF,
	XOS_JOB_CMD_ENTER,
	XOS_JOB_CMD_CHECKPOINT,

	__XOS_JOB_CMD_MAX,
	XOS_JOB_CMD_MAX = (__XOS_JOB_CMD_MAX - 1)
};

enum xos_job_attr {
	XOS_JOB_A_UNSPEC,
	XOS_JOB_A_PAD,
	XOS_JOB_A_VERSION,
	XOS_JOB_A_MODULE_VERSION,
	XOS_JOB_A_NR_JOBS,
	XOS_JOB_A_MAX_JOBS,
	XOS_JOB_A_ALLOC_FAILURES,
	XOS_JOB_A_ID,
	XOS_JOB_A_PID,
	XOS_JOB_A_LABEL,
	XOS_JOB_A_OWNER_UID,
	XOS_JOB_A_CREATED_REALTIME,
	XOS_JOB_A_CREATED_BOOTTIME,
	XOS_JOB_A_ANCHOR_PID,
	XOS_JOB_A_FLAGS,
	XOS_JOB_A_NR_TASKS,
	XOS_JOB_A_NR_PROCS,
	XOS_JOB_A_TASKS_STARTED,
	XOS_JOB_A_TASKS_EXITED,
	XOS_JOB_A_TASK,
	XOS_JOB_A_SIGNAL,
	XOS_JOB_A_NR_SIGNALLED,
	XOS_JOB_A_NR_DENIED,
	XOS_JOB_A_NR_ATTACHED,
	XOS_JOB_A_PROCS_STARTED,
	XOS_JOB_A_PROCS_EXITED,
	XOS_JOB_A_ELAPSED_NS,
	XOS_JOB_A_STATS,
	XOS_JOB_A_STATES,
	XOS_JOB_A_ENDED,
	XOS_JOB_A_SEQ,
	XOS_JOB_A_ENDED_REALTIME,
	XOS_JOB_A_ENDED_BOOTTIME,
	XOS_JOB_A_OLDEST_SEQ,
	XOS_JOB_A_RING_SIZE,
	XOS_JOB_A_NO_CGROUP,
	XOS_JOB_A_ANCHOR_START_BOOTTIME,
	XOS_JOB_A_OWN_CGROUP,
	XOS_JOB_A_LIMITS,
	XOS_JOB_A_CGROUP,
	XOS_JOB_A_CGROUP_ID,
	XOS_JOB_A_END_STATE,
	XOS_JOB_A_EXIT_STATUS,
	XOS_JOB_A_NR_OOM_KILLED,
	XOS_JOB_A_CHECKPOINTING,
	XOS_JOB_A_RESTORED_FROM,
	XOS_JOB_A_BASE,

	__XOS_JOB_A_MAX,
	XOS_JOB_A_MAX = (__XOS_JOB_A_MAX - 1)
};

enum xos_job_task_attr {
	XOS_JOB_TASK_A_UNSPEC,
	XOS_JOB_TASK_A_PAD,
	XOS_JOB_TASK_A_PID,
	XOS_JOB_TASK_A_TGID,
	XOS_JOB_TASK_A_COMM,
	XOS_JOB_TASK_A_UID,
	XOS_JOB_TASK_A_START_BOOTTIME,
	XOS_JOB_TASK_A_STATS,
	XOS_JOB_TASK_A_PRIVATE,

	__XOS_JOB_TASK_A_MAX,
	XOS_JOB_TASK_A_MAX = (__XOS_JOB_TASK_A_MAX - 1)
};

enum xos_job_stats_attr {
	XOS_JOB_STATS_A_UNSPEC,
	XOS_JOB_STATS_A_PAD,
	XOS_JOB_STATS_A_UTIME_NS,
	XOS_JOB_STATS_A_STIME_NS,
	XOS_JOB_STATS_A_RUNTIME_NS,
	XOS_JOB_STATS_A_MINFLT,
	XOS_JOB_STATS_A_MAJFLT,
	XOS_JOB_STATS_A_NVCSW,
	XOS_JOB_STATS_A_NIVCSW,
	XOS_JOB_STATS_A_RCHAR,
	XOS_JOB_STATS_A_WCHAR,
	XOS_JOB_STATS_A_SYSCR,
	XOS_JOB_STATS_A_SYSCW,
	XOS_JOB_STATS_A_READ_BYTES,
	XOS_JOB_STATS_A_WRITE_BYTES,
	XOS_JOB_STATS_A_CANCELLED_WRITE_BYTES,
	XOS_JOB_STATS_A_HIWATER_RSS_KB,
	XOS_JOB_STATS_A_HIWATER_VM_KB,
	XOS_JOB_STATS_A_COREMEM_MB_US,
	XOS_JOB_STATS_A_VIRTMEM_MB_US,
	XOS_JOB_STATS_A_DELAYACCT,
	XOS_JOB_STATS_A_CPU_DELAY_NS,
	XOS_JOB_STATS_A_CPU_DELAY_COUNT,
	XOS_JOB_STATS_A_BLKIO_DELAY_NS,
	XOS_JOB_STATS_A_BLKIO_DELAY_COUNT,
	XOS_JOB_STATS_A_SWAPIN_DELAY_NS,
	XOS_JOB_STATS_A_SWAPIN_DELAY_COUNT,
	XOS_JOB_STATS_A_FREEPAGES_DELAY_NS,
	XOS_JOB_STATS_A_FREEPAGES_DELAY_COUNT,
	XOS_JOB_STATS_A_THRASHING_DELAY_NS,
	XOS_JOB_STATS_A_THRASHING_DELAY_COUNT,
	XOS_JOB_STATS_A_COMPACT_DELAY_NS,
	XOS_JOB_STATS_A_COMPACT_DELAY_COUNT,
	XOS_JOB_STATS_A_WPCOPY_DELAY_NS,
	XOS_JOB_STATS_A_WPCOPY_DELAY_COUNT,

	__XOS_JOB_STATS_A_MAX,
	XOS_JOB_STATS_A_MAX = (__XOS_JOB_STATS_A_MAX - 1)
};

enum xos_job_states_attr {
	XOS_JOB_STATES_A_UNSPEC,
	XOS_JOB_STATES_A_PAD,
	XOS_JOB_STATES_A_RUNNING,
	XOS_JOB_STATES_A_SLEEPING,
	XOS_JOB_STATES_A_UNINTERRUPTIBLE,
	XOS_JOB_STATES_A_STOPPED,
	XOS_JOB_STATES_A_IO_WAIT,
	XOS_JOB_STATES_A_FROZEN,

	__XOS_JOB_STATES_A_MAX,
	XOS_JOB_STATES_A_MAX = (__XOS_JOB_STATES_A_MAX - 1)
};

enum xos_job_limit_attr {
	XOS_JOB_LIMIT_A_UNSPEC,
	XOS_JOB_LIMIT_A_PAD,
	XOS_JOB_LIMIT_A_CPU_TIME_NS,
	XOS_JOB_LIMIT_A_TIME_NS,
	XOS_JOB_LIMIT_A_GRACE_NS,
	XOS_JOB_LIMIT_A_MEMORY_MAX,
	XOS_JOB_LIMIT_A_MEMORY_HIGH,
	XOS_JOB_LIMIT_A_SWAP_MAX,
	XOS_JOB_LIMIT_A_PIDS_MAX,
	XOS_JOB_LIMIT_A_CPU_QUOTA_US,
	XOS_JOB_LIMIT_A_CPU_PERIOD_US,
	XOS_JOB_LIMIT_A_CPU_WEIGHT,
	XOS_JOB_LIMIT_A_IO_WEIGHT,
	XOS_JOB_LIMIT_A_CPUS,
	XOS_JOB_LIMIT_A_MEMS,

	__XOS_JOB_LIMIT_A_MAX,
	XOS_JOB_LIMIT_A_MAX = (__XOS_JOB_LIMIT_A_MAX - 1)
};

#endif /* _UAPI_LINUX_XOS_JOB_H */
