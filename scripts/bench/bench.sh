#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boots each kernel twice in QEMU and gathers the figures of
# bench/guest.sh into one JSON file and a table.
#
#   bench.sh [--out FILE] [--readme FILE] [--modes "icount wall mem"]
#            [--parts PARTS] KERNEL...
#
# The icount boot (-icount shift=0,sleep=off, one vCPU) gives instruction
# counts, immune to host load; the plain TCG boot (2 vCPUs) gives wall-clock
# sanity figures, which host load does change; a third boot (plain TCG, one
# vCPU) the memory figures.
# Both boots run without the debugging options vm.sh sets for make check
# (slub_debug, init_on_free, page_poison, KFENCE), which would dominate the
# costs measured, and with slab_nomerge so that the module's slab cache
# shows in /proc/slabinfo under its own name.
# --parts (comma-separated, see bench/guest.sh) runs only those parts:
# "make bench BENCH=bigjob" is --parts bigjob --modes icount.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
out=$ROOT/bench/results.json readme="" modes="icount wall mem" parts=""
while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=$2; shift 2 ;;
	--readme) readme=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	--parts) parts=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "usage: bench.sh [options] KERNEL..." >&2; exit 2; }
append="slub_debug=- init_on_free=0 page_poison=0 kfence.sample_interval=0 slab_nomerge"
runs=$ROOT/build/bench/runs
rm -rf "$runs"
mkdir -p "$runs"
start=$(date +%s)
files=()
for k in "$@"; do
	for m in $modes; do
		case $m in
		icount) opts=(--icount --mem 4096) ;;
		wall) opts=(--mem 2048) ;;
		# one vCPU: cross-CPU TLB flushes make task creation crawl under TCG
		mem) opts=(--smp 1 --mem 4096) ;;
		*) echo "bench.sh: unknown mode $m" >&2; exit 2 ;;
		esac
		d=$runs/$k-$m
		t0=$(date +%s)
		echo "bench: $k $m (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
		"$ROOT/scripts/guest/vm.sh" "${opts[@]}" --timeout 1200 --out "$d" \
			--append "$append" "$k" -- "$ROOT/bench/guest.sh" "$m" "$parts"
		printf '{"kernel":"%s","mode":"%s","bench":"host","seconds":%d,"loadavg_end":"%s","host_cpus":%d}\n' \
			"$k" "$m" $(($(date +%s) - t0)) "$(cut -d' ' -f1-3 /proc/loadavg)" \
			"$(nproc)" >>"$d/bench.jsonl"
		echo "bench: $k $m took $(($(date +%s) - t0)) s" >&2
		files+=("$d/bench.jsonl")
	done
done
# the raw records, to redo the report: bench/report.py bench/raw/*.gz
raw=$(dirname "$out")/raw
rm -rf "$raw"
mkdir -p "$raw"
for f in "${files[@]}"; do
	gzip -9c "$f" >"$raw/$(basename "$(dirname "$f")").jsonl.gz"
done
args=(--out "$out")
[ -n "$readme" ] && args+=(--readme "$readme")
python3 "$ROOT/bench/report.py" "${args[@]}" "${files[@]}"
echo "bench: $(($(date +%s) - start)) s in all; results in $out" >&2
