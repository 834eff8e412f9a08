#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make bench: runs inside a vm.sh guest (root, module loaded)
# and appends JSON lines to $XOS_OUT/bench.jsonl, each tagged with the
# kernel, the mode and the setup.
#
#   guest.sh icount|wall|smoke
#
# icount: path overhead (module unloaded / loaded, caller outside a job /
#         inside a job, interleaved rounds), probe cost with function_graph,
#         query scaling, event throughput. Figures are instruction counts.
# wall:   the same path and query figures in plain TCG time (host load
#         shows in them), event throughput on 2 vCPUs, memory at scale.
# smoke:  every part with tiny counts (selftests/test_bench_smoke.sh).
set -euo pipefail
mode=${1:?usage: guest.sh icount|wall|smoke}
ROOT=${XOS_ROOT:?}
K=${XOS_KERNEL:-$(uname -r)}
OUT=${XOS_BENCH_OUT:-${XOS_OUT:-/tmp}/bench.jsonl}
KO=$ROOT/build/$K/xos_job.ko
# Benchmarks run from tmpfs: an exec over 9p waits for the host, and under
# -icount sleep=off a wait jumps the guest clock to the next timer tick.
W=$(mktemp -d /dev/shm/xosbench.XXXXXX)
cp "$ROOT/build/bench/xosbench" "$ROOT/build/bench/xosbench-nop" "$W/"
XB=$W/xosbench
trap 'rm -rf "$W"' EXIT

log() { echo "bench[$mode $K]: $*" >&2; }
# emit SETUP ROUND: tags every JSON line read from stdin
emit() {
	sed -u "s/^{/{\"kernel\":\"$K\",\"mode\":\"$mode\",\"setup\":\"$1\",\"round\":$2,/" >>"$OUT"
}
loaded() { grep -q '^xos_job ' /proc/modules; }
unload() { if loaded; then rmmod xos_job; fi; }
load() { if ! loaded; then insmod "$KO"; fi; }

case $mode in
icount) rounds=9 nfork=300 nexec=200 nthread=1000 sizes=1,10,100,1000,10000
	qreps=5 ecount=2000 rates="1000 2000 4000 8000 0" mem_scales="" ;;
wall) rounds=5 nfork=150 nexec=100 nthread=300 sizes=1,10,100,1000
	qreps=5 ecount=2000 rates="1000 2000 4000 8000 0"
	mem_scales=${XOS_BENCH_MEM:-"1000x10 10000x10"} ;;
smoke) rounds=2 nfork=20 nexec=10 nthread=20 sizes=1,10 qreps=1 ecount=50
	rates="0" mem_scales="5x3" ;;
*) echo "guest.sh: unknown mode $mode" >&2; exit 2 ;;
esac

# Room for 100,000 tasks.
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
log "path: $rounds rounds"
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

# --- 5. probe cost: function_graph durations of the probe functions ------
T=/sys/kernel/tracing
[ -d $T/events ] || T=/sys/kernel/debug/tracing
[ -d $T/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
if [ "$mode" != wall ] && [ -w $T/set_ftrace_filter ]; then
	log "probes: function_graph"
	for where in outside inside; do
		echo 0 >$T/tracing_on
		echo nop >$T/current_tracer
		echo 8192 >$T/buffer_size_kb
		echo 'xos_probe_newtask xos_probe_exit xos_probe_exec' >$T/set_ftrace_filter
		echo function_graph >$T/current_tracer
		echo >$T/trace
		echo 1 >$T/tracing_on
		flag=""
		[ $where = inside ] && flag=--in-job
		"$XB" path --op fork --n "$nfork" $flag >/dev/null
		"$XB" path --op exec --n "$nexec" $flag >/dev/null
		echo 0 >$T/tracing_on
		# "cpu)  1.234 us  |  xos_probe_exit [xos_job]();" -> func ns
		awk -v k="$K" -v m="$mode" -v w="$where" '
			/xos_probe_[a-z]+.*\(\);/ {
				for (i = 1; i <= NF; i++) if ($i == "us") d = $(i - 1)
				f = $0; sub(/.*xos_probe_/, "", f); sub(/ .*/, "", f)
				sub(/\(.*/, "", f)
				printf "{\"kernel\":\"%s\",\"mode\":\"%s\",\"setup\":\"%s\",\"round\":0,\"bench\":\"probe\",\"func\":\"%s\",\"ns\":%d}\n", k, m, w, f, d * 1000 + 0.5
			}' $T/trace >>"$OUT"
		echo nop >$T/current_tracer
		echo >$T/set_ftrace_filter
	done
fi

# --- 2. query cost ---------------------------------------------------------
log "query: sizes $sizes"
"$XB" query --sizes "$sizes" --reps "$qreps" | emit loaded 0

# --- 3. event throughput ---------------------------------------------------
log "events: rates $rates"
for buf in 0 4194304; do
	# default: what libxosjob asks (1 MiB) within the stock rmem_max;
	# 4 MiB needs rmem_max raised, as an admin would
	if [ $buf = 0 ]; then
		echo "$rmem_max" >/proc/sys/net/core/rmem_max
	else
		echo $((2 * buf)) >/proc/sys/net/core/rmem_max
	fi
	for nice in 0 19; do
		for rate in $rates; do
			"$XB" events --count "$ecount" --rate "$rate" --rcvbuf $buf \
				--listener-nice $nice | emit loaded 0
		done
	done
done

# --- 4. memory: the same population outside and inside jobs -----------------
for sc in $mem_scales; do
	j=${sc%x*} t=${sc#*x}
	log "mem: $j jobs x $t tasks"
	for flag in --no-job ""; do
		# shellcheck disable=SC2086
		"$XB" mem --jobs "$j" --tasks "$t" $flag | emit loaded 0
		sleep 2
	done
done
log "done"
