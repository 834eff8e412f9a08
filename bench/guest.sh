#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make bench: runs inside a vm.sh guest (root, module loaded)
# and appends JSON lines to $XOS_OUT/bench.jsonl, each tagged with the
# kernel, the mode and the setup.
#
#   guest.sh icount|wall|mem|smoke [PARTS]
#
# PARTS (comma-separated, default all): path, probes, query, events, mem,
# bigjob, enforce, lockwait, scrape; "guest.sh icount bigjob" is what
# "make bench BENCH=bigjob" runs.
#
# icount: path overhead (module unloaded / loaded, caller outside a job /
#         inside a job, interleaved rounds), probe cost with function_graph,
#         query scaling, event throughput. Figures are instruction counts.
# wall:   the same path, query and event figures in plain TCG time on 2
#         vCPUs (host load shows in them).
# mem:    kernel memory per task and per job (one vCPU, plain TCG).
# bigjob (icount): JOB_KILL and a full TASKS dump of a 20,000-thread job.
# enforce: the cost of enforced limits on the path, fork/exec/thread in a
#         job with --cpu-time and --time set against one without,
#         interleaved rounds.
# lockwait (wall only: it needs two vCPUs at once): the longest fork() of a
#         member of a 1,000- and a 10,000-thread job while another process
#         queries that job with JOB_GET in a loop, against the same loop of
#         INFO round trips, which take no job lock.
# scrape (icount): one node-wide scrape of J jobs of P processes x T
#         threads, each job in a cgroup of its own (xosjob run's layout,
#         /xos_job/job-PID): xosjob collect --prometheus --once against
#         the same command without --prometheus, and the jobs' cgroup v2
#         files (cpu.stat, memory.peak, io.stat) read by a C reader.
# smoke:  every part with tiny counts.
set -euo pipefail
mode=${1:?usage: guest.sh icount|wall|mem|smoke [PARTS]}
parts=,${2:-path,probes,query,events,mem,bigjob,enforce,lockwait,scrape},
want() { case $parts in *,$1,*) return 0 ;; esac; return 1; }
ROOT=${XOS_ROOT:?}
K=${XOS_KERNEL:-$(uname -r)}
OUT=${XOS_BENCH_OUT:-${XOS_OUT:-/tmp}/bench.jsonl}
KO=$ROOT/build/$K/xos_job.ko
# Benchmarks run from tmpfs: an exec over 9p waits for the host, and under
# -icount sleep=off a wait jumps the guest clock to the next timer tick.
W=$(mktemp -d /dev/shm/xosbench.XXXXXX)
cp "$ROOT/build/bench/xosbench" "$ROOT/build/bench/xosbench-nop" \
	"$ROOT/build/bench/xosbench-park" "$ROOT/build/userspace/xosjob" "$W/"
XB=$W/xosbench
trap 'rm -rf "$W"' EXIT

log() { echo "bench[$mode $K] $(date +%T): $*" >&2; }
# emit SETUP ROUND: tags every JSON line read from stdin
emit() {
	sed -u "s/^{/{\"kernel\":\"$K\",\"mode\":\"$mode\",\"setup\":\"$1\",\"round\":$2,/" >>"$OUT"
}
loaded() { grep -q '^xos_job ' /proc/modules; }
unload() { if loaded; then rmmod xos_job; fi; }
load() { if ! loaded; then insmod "$KO"; fi; }

case $mode in
icount) rounds=7 nfork=100 nexec=50 nthread=300 sizes=1,10,100,1000,10000
	qreps=5 ecount=500 rates="0" rates19="2000 4000 6000 0" stall=3000
	mem_scales="" big_scales=${XOS_BENCH_BIGJOB:-"20x100 200x100"} breps=5
	scrape_scales=${XOS_BENCH_SCRAPE:-"100x10x10"} sreps=7 ;;
wall) rounds=5 nfork=50 nexec=25 nthread=100 sizes=1,10,100,1000
	qreps=5 ecount=500 rates="0" rates19="0" stall=3000 mem_scales=""
	big_scales=${XOS_BENCH_BIGJOB:-} breps=5
	lock_scales=${XOS_BENCH_LOCKWAIT:-"10x100 100x100"} ;;
mem) rounds=0 sizes="" ecount=0 mem_scales=${XOS_BENCH_MEM:-"100x100 1000x1"}
	big_scales="" ;;
smoke) rounds=2 nfork=20 nexec=10 nthread=20 sizes=1,10 qreps=1 ecount=50
	rates="0" rates19="0" stall=100 mem_scales="5x3" big_scales="3x4"
	lock_scales="3x4" breps=1 scrape_scales="3x2x2" sreps=1 ;;
*) echo "guest.sh: unknown mode $mode" >&2; exit 2 ;;
esac

# No address space randomisation: the page-table layout it varies changes
# the instructions a fork copies by several percent from one process to
# the next, far more than the module costs.
echo 0 >/proc/sys/kernel/randomize_va_space
# Room for 100,000 tasks (the default threads-max of a 1.5 GB guest is
# about 12,000).
echo 4194304 >/proc/sys/kernel/pid_max
echo 400000 >/proc/sys/kernel/threads-max
rmem_max=$(cat /proc/sys/net/core/rmem_max)
ulimit -n 65536 || true

{
	printf '{"bench":"env","nproc":%d,"mem_kb":%d,"cmdline":"%s"}\n' \
		"$(nproc)" "$(awk '/MemTotal/ {print $2}' /proc/meminfo)" \
		"$(tr -d '"\n' </proc/cmdline)"
} | emit env 0

# --- 1. path overhead: three setups per round, in a rotating order ------
path_round() {	# SETUP ROUND
	local op n
	for op in fork exec thread; do
		case $op in fork) n=$nfork ;; exec) n=$nexec ;; thread) n=$nthread ;; esac
		case $1 in
		unloaded) unload; "$XB" path --op $op --n "$n" ;;
		outside) load; "$XB" path --op $op --n "$n" ;;
		inside) load; "$XB" path --op $op --n "$n" --in-job ;;
		esac | emit "$1" "$2"
	done
}
erounds=$rounds
want path || rounds=0
[ "$rounds" = 0 ] || log "path: $rounds rounds"
for r in $(seq 1 "$rounds"); do
	case $((r % 3)) in
	1) order="unloaded outside inside" ;;
	2) order="outside inside unloaded" ;;
	0) order="inside unloaded outside" ;;
	esac
	for s in $order; do
		path_round "$s" "$r"
	done
done
load

# --- 1b. enforced limits: a job with limits against one without --------
enforce_round() {	# SETUP ROUND
	local op n
	for op in fork exec thread; do
		case $op in fork) n=$nfork ;; exec) n=$nexec ;; thread) n=$nthread ;; esac
		case $1 in
		job) "$XB" path --op $op --n "$n" --in-job ;;
		limited) "$XB" path --op $op --n "$n" --in-job --limited ;;
		esac | sed -u 's/"bench":"path"/"bench":"enforce"/' | emit "$1" "$2"
	done
}
want enforce || erounds=0
[ "$erounds" = 0 ] || log "enforce: $erounds rounds"
for r in $(seq 1 "$erounds"); do
	if [ $((r % 2)) = 1 ]; then order="job limited"; else order="limited job"; fi
	for s in $order; do
		enforce_round "$s" "$r"
	done
done

# --- 5. probe cost: function_graph durations of the probe functions ------
T=/sys/kernel/tracing
[ -d $T/events ] || T=/sys/kernel/debug/tracing
# ftrace_run TAG "FUNCS" CMD...: runs CMD with function_graph on FUNCS only
# (their callees are not traced) and emits one record per call: under
# icount a duration is an instruction count.
ftrace_run() {
	local tag=$1 funcs=$2
	shift 2
	echo 0 >$T/tracing_on
	echo nop >$T/current_tracer
	echo 16384 >$T/buffer_size_kb
	echo >$T/set_ftrace_filter
	for f in $funcs; do
		echo "$f" >>$T/set_ftrace_filter 2>/dev/null || log "cannot trace $f"
	done
	echo function_graph >$T/current_tracer
	echo 1 >$T/options/funcgraph-tail 2>/dev/null || true
	echo >$T/trace
	echo 1 >$T/tracing_on
	"$@" >/dev/null
	echo 0 >$T/tracing_on
	# " 0)   1.234 us    |  f();" or " 0) + 24.692 us   |  } /* f */"
	awk -v k="$K" -v m="$mode" -v t="$tag" '
		/ us +\|/ {
			d = ""
			for (i = 1; i < NF; i++) if ($(i + 1) == "us") d = $i
			f = ""
			# module functions carry " [xos_job]"
			if (match($0, /\/\* [A-Za-z0-9_.]+/))
				f = substr($0, RSTART + 3, RLENGTH - 3)
			else if (match($0, /[A-Za-z0-9_.]+( \[[A-Za-z0-9_]+\])?\(\);/)) {
				f = substr($0, RSTART, RLENGTH)
				sub(/[ (].*/, "", f)
			}
			if (f == "" || d == "") next
			sub(/^(xos_probe_|__do_sys_)/, "", f)
			printf "{\"kernel\":\"%s\",\"mode\":\"%s\",\"setup\":\"%s\",\"round\":0,\"bench\":\"ktrace\",\"func\":\"%s\",\"ns\":%d}\n", k, m, t, f, d * 1000 + 0.5
		}' $T/trace >>"$OUT"
	echo nop >$T/current_tracer
	echo >$T/set_ftrace_filter
}
if { [ "$mode" = icount ] || [ "$mode" = smoke ]; } && want probes &&
	[ -w $T/set_ftrace_filter ]; then
	log "probes: function_graph"
	# __do_sys_getppid: a near-empty function traced the same way gives
	# function_graph's own cost, to subtract
	probes="xos_probe_newtask xos_probe_exit xos_probe_exec __do_sys_getppid"
	for where in outside inside; do
		flag=""
		[ $where = inside ] && flag=--in-job
		ftrace_run $where "$probes" bash -c "
			'$XB' path --op fork --n $nfork $flag &&
			'$XB' path --op exec --n $nexec $flag &&
			'$XB' path --op getppid --n $nfork $flag"
	done
	log "query breakdown: function_graph"
	ftrace_run query "genl_rcv_msg xos_job_nl_get_doit xos_job_snapshot xos_acct_put
		xos_acct_put_states taskstats_user_cmd netlink_unicast genlmsg_new
		__alloc_skb __do_sys_getppid" bash -c "
		'$XB' query --sizes 1 --reps 2 && '$XB' path --op getppid --n 50"
fi

# --- 2. query cost ---------------------------------------------------------
if [ -n "$sizes" ] && want query; then
	log "query: sizes $sizes"
	"$XB" query --sizes "$sizes" --reps "$qreps" | emit loaded 0
fi

# --- 3. event throughput ---------------------------------------------------
want events || ecount=0
[ "$ecount" = 0 ] || log "events: rates $rates"
for buf in 0 4194304; do
	[ "$ecount" = 0 ] && break
	# default: what libxosjob asks (1 MiB) within the stock rmem_max;
	# 4 MiB needs rmem_max raised, as an admin would
	if [ $buf = 0 ]; then
		echo "$rmem_max" >/proc/sys/net/core/rmem_max
	else
		echo $((2 * buf)) >/proc/sys/net/core/rmem_max
	fi
	# a listener at nice 19 is starved by the creator on one vCPU: there
	# the rate decides, so it is swept
	for nice in 0 19; do
		r=$rates
		[ $nice = 19 ] && r=$rates19
		for rate in $r; do
			"$XB" events --count "$ecount" --rate "$rate" --rcvbuf $buf \
				--listener-nice $nice | emit loaded 0
		done
	done
	# how many records the buffer holds for a listener that stalls
	"$XB" events --count "$stall" --rcvbuf $buf --stall | emit loaded 0
done

# --- 4. memory: the same population outside and inside jobs -----------------
want mem || mem_scales=""
for sc in $mem_scales; do
	j=${sc%x*} t=${sc#*x}
	log "mem: $j jobs x $t tasks"
	for flag in --no-job ""; do
		# shellcheck disable=SC2086
		"$XB" mem --jobs "$j" --tasks "$t" $flag | emit loaded 0
		sleep 2
	done
done
# --- 6. a big job: JOB_KILL and a full TASKS dump ----------------------------
# PxT: P processes of T threads each, all blocked in pause(); then the same
# with every process's main thread gone (pthread_exit()): each process is
# represented by a thread that is not its leader.
want bigjob || big_scales=""
for sc in $big_scales; do
	for lx in "" --leaders-exit; do
		log "bigjob: ${sc%x*} processes x ${sc#*x} threads ${lx:-(leaders live)}"
		# shellcheck disable=SC2086
		"$XB" bigjob --procs "${sc%x*}" --threads "${sc#*x}" --reps "$breps" \
			$lx | emit loaded 0
	done
done
# --- 7. a member's fork while its job is queried in a loop -------------------
want lockwait || lock_scales=""
for sc in ${lock_scales:-}; do
	log "lockwait: ${sc%x*} processes x ${sc#*x} threads"
	"$XB" bigjob --lockwait --procs "${sc%x*}" --threads "${sc#*x}" \
		--reps "$breps" | emit loaded 0
done
# --- 8. one node-wide scrape: xosjob collect against cgroup v2 files -----
# JxPxT: J jobs, each P processes x T threads in a cgroup of its own
want scrape || scrape_scales=""
for sc in ${scrape_scales:-}; do
	sj=${sc%%x*} spt=${sc#*x}
	log "scrape: $sj jobs of ${spt%x*} processes x ${spt#*x} threads"
	"$XB" scrape --jobs "$sj" --procs "${spt%x*}" --threads "${spt#*x}" \
		--reps "$sreps" --xosjob "$W/xosjob" | emit loaded 0
done
log "done"
