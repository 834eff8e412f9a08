#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a Debian kernel in QEMU (TCG) with the host's root mounted read-only
# over 9p under a tmpfs overlay, load build/<release>/xos_job.ko, run a
# command as root in bash and exit with its status.
#
#   vm.sh [options] KERNEL_RELEASE [--] CMD...
#     --timeout SEC     kill the guest after SEC seconds (default 600)
#     --shell           interactive shell instead of CMD
#     --no-module       do not load xos_job.ko
#     --icount          -icount shift=0,sleep=off, one vCPU (benchmarks)
#     --smp N           vCPUs (default 2)
#     --mem MB          guest memory (default 1536)
#     --out DIR         keep the guest's files (console.log, dmesg, status)
#     --append ARGS     extra kernel command line
#
# XOS_KERNEL_IMAGE=PATH boots that image instead of /boot/vmlinuz-RELEASE
# (make check-debug: a kernel with everything the guest needs built in, so
# the initramfs carries no modules; RELEASE names build/RELEASE/xos_job.ko).
#
# The run fails (exit 3 when CMD itself succeeded) if the guest kernel log
# shows a splat, or if the kernel is tainted other than by an out-of-tree
# (4096) or unsigned (8192) module. A guest that exceeds its time limit gives
# exit 124 and names the test it was in (the file "current" in the out dir,
# written by the test runner).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
timeout=600 shell=0 module=1 icount=0 smp=2 mem=1536 out="" append=""
while [ $# -gt 0 ]; do
	case "$1" in
	--timeout) timeout=$2; shift 2 ;;
	--shell) shell=1; shift ;;
	--no-module) module=0; shift ;;
	--icount) icount=1; smp=1; shift ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "vm.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "usage: vm.sh [options] KERNEL_RELEASE [--] CMD..." >&2; exit 2; }
rel=$1; shift
[ "${1:-}" = "--" ] && shift
if [ "$shell" = 0 ] && [ $# -eq 0 ]; then
	echo "vm.sh: no command given (use --shell for a shell)" >&2
	exit 2
fi
cmd="$*"

mods=/lib/modules/$rel
vmlinuz=${XOS_KERNEL_IMAGE:-/boot/vmlinuz-$rel}
[ -r "$vmlinuz" ] || { echo "vm.sh: $vmlinuz missing: run 'make deps'" >&2; exit 1; }
ko=$ROOT/build/$rel/xos_job.ko
if [ "$module" = 1 ] && [ ! -r "$ko" ]; then
	echo "vm.sh: $ko missing: run 'make'" >&2
	exit 1
fi

# --- initramfs: busybox + the modules that reach the host root ---------
initrd=$ROOT/build/vm/$rel/initramfs.cpio.gz
if [ ! -s "$initrd" ] || [ "$0" -nt "$initrd" ]; then
	stage=$(mktemp -d)
	trap 'rm -rf "$stage"' EXIT
	mkdir -p "$stage"/{bin,dev,proc,sys,lower,upper,newroot,lib/modules}
	cp /bin/busybox "$stage/bin/busybox"
	for a in sh mount mkdir insmod switch_root cat echo poweroff sleep; do
		ln -s busybox "$stage/bin/$a"
	done
	# Modules in dependency order, from modules.dep; built-ins are skipped.
	declare -A seen=()
	order=()
	add_mod() {
		local name=$1 line path deps d
		line=$(grep -E "(^|/)${name}\.ko(\.xz|\.zst)?:" "$mods/modules.dep" || true)
		if [ -z "$line" ]; then
			grep -qE "/${name}\.ko$" "$mods/modules.builtin" && return 0
			echo "vm.sh: module $name not found for $rel" >&2
			exit 1
		fi
		path=${line%%:*}
		[ -n "${seen[$path]:-}" ] && return 0
		seen[$path]=1
		deps=${line#*:}
		for d in $deps; do
			d=${d##*/}
			add_mod "${d%%.ko*}"
		done
		order+=("$path")
	}
	if [ -z "${XOS_KERNEL_IMAGE:-}" ]; then
		for m in virtio_pci 9pnet_virtio 9p overlay; do
			add_mod "$m"
		done
	fi
	: >"$stage/modules.order"
	for p in "${order[@]}"; do
		b=${p##*/}
		case "$p" in
		*.xz) xz -dc "$mods/$p" >"$stage/lib/modules/${b%.xz}"; b=${b%.xz} ;;
		*.zst) zstd -qdc "$mods/$p" >"$stage/lib/modules/${b%.zst}"; b=${b%.zst} ;;
		*) cp "$mods/$p" "$stage/lib/modules/$b" ;;
		esac
		echo "$b" >>"$stage/modules.order"
	done
	cat >"$stage/init" <<EOF
#!/bin/sh
fail() { echo "initramfs: \$*"; poweroff -f; }
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in \$(cat /modules.order); do
	insmod /lib/modules/\$m || fail "insmod \$m"
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose \\
	hostroot /lower || fail "9p mount of the host root"
mount -t tmpfs -o mode=0755 tmpfs /upper
mkdir -p /upper/u /upper/w
mount -t overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w \\
	overlay /newroot || fail "overlay mount"
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
exec switch_root /newroot /bin/bash $ROOT/scripts/guest/vm-guest.sh
EOF
	chmod +x "$stage/init"
	mkdir -p "$(dirname "$initrd")"
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
	rm -rf "$stage"
	trap - EXIT
fi

# --- the shared directory the guest writes results into ----------------
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/xos-vm.XXXXXX")
	keep_out=0
else
	rm -rf "$out"
	mkdir -p "$out"
	keep_out=1
fi
out=$(cd "$out" && pwd)
cleanup() { [ "$keep_out" = 1 ] || rm -rf "$out"; }
trap cleanup EXIT
{
	printf 'XOS_ROOT=%q\n' "$ROOT"
	printf 'XOS_KERNEL=%q\n' "$rel"
	printf 'XOS_MODULE=%q\n' "$module"
	printf 'XOS_SHELL=%q\n' "$shell"
	printf 'XOS_CMD=%q\n' "$cmd"
	printf 'XOS_CWD=%q\n' "$PWD"
} >"$out/env"

kcmd="console=ttyS0 loglevel=5 panic=-1 panic_on_warn=1 oops=panic"
kcmd+=" slub_debug=FZPU init_on_free=1 page_poison=1 softlockup_panic=1"
kcmd+=" hung_task_panic=1 hung_task_timeout_secs=60 8250.nr_uarts=2"
case "$rel" in
6.1.*) ;;
*) [ -n "${XOS_KERNEL_IMAGE:-}" ] || kcmd+=" kfence.sample_interval=1" ;;
esac
kcmd+=" $append"

qemu=(qemu-system-x86_64 -machine ${XOS_MACHINE:-q35},accel=tcg -cpu max -m "$mem"
	-smp "$smp" -nodefaults -no-reboot -display none
	-kernel "$vmlinuz" -initrd "$initrd" -append "$kcmd"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$out,mount_tag=xosout,security_model=none,multidevs=remap"
	-serial "file:$out/console.log")
[ "$icount" = 1 ] && qemu+=(-icount shift=0,sleep=off)

# ttyS1 carries the command's own output (or the interactive shell);
# ttyS0, the kernel console, goes to console.log and is scanned afterwards.
rc=0
if [ "$shell" = 1 ]; then
	qemu+=(-serial mon:stdio)
	"${qemu[@]}" || rc=$?
else
	qemu+=(-serial stdio)
	timeout -k 5 "$timeout" "${qemu[@]}" </dev/null || rc=$?
fi

# --- verdict ------------------------------------------------------------
status=""
[ -s "$out/status" ] && status=$(cat "$out/status")
verdict=0
# the test the runner was in when the guest stopped, if any
where=""
[ -s "$out/current" ] && where=" in test $(cat "$out/current")"
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "vm.sh: TIMEOUT: kernel $rel hung$where (limit ${timeout}s)" >&2
	verdict=124
fi
splat='BUG:|WARNING:|Oops|KFENCE|scheduling while atomic|soft lockup|hard LOCKUP|blocked for more than|rcu_sched detected stall|rcu: INFO|self-detected stall|Kernel panic|general protection fault|UBSAN|KASAN|suspected memory leak|unreferenced object|possible circular locking|possible recursive locking|inconsistent lock state|Call Trace:'
# dmesg is absent when the guest panicked: the console has it all then.
klog=$out/console.log
[ -s "$out/dmesg" ] && klog=$out/dmesg
logs=("$out/console.log")
[ "$klog" = "$out/console.log" ] || logs+=("$klog")
# The OOM killer's report (a test's memory hog under memory.max) prints a
# stack by design. Such a stack is known by its frames (dump_header called
# by oom_kill_process), not by the "invoked oom-killer" line before it: a
# console that fell behind may have dropped that line. Only the "Call
# Trace:" line of such a stack is left out; any other report inside it
# still counts.
scan=$out/klog.scan
awk -f "$ROOT/scripts/guest/klog-scan.awk" "${logs[@]}" >"$scan"
if grep -aqE "$splat" "$scan"; then
	echo "vm.sh: SPLAT in the guest kernel log of $rel$where:" >&2
	grep -aE -B2 -A40 "$splat" "$scan" |
		head -80 | sed 's/^/    /' >&2
	# Only the end of a CI log may be shown: repeat the essentials last.
	echo "vm.sh: splat summary ($rel$where):" >&2
	grep -aE "$splat|RIP:|^ *\[ *[0-9.]+\]  [a-z_0-9.]+\+0x|\[xos_job\]" "$scan" |
		grep -avE "^ *\[ *[0-9.]+\] +\? " | head -24 | sed 's/^/    /' >&2
	echo "vm.sh: the lines that count as a splat ($rel$where):" >&2
	grep -aE "$splat" "$scan" | head -6 | sed 's/^/    /' >&2
	[ "$verdict" = 0 ] && verdict=3
fi
if [ -s "$out/taint" ]; then
	taint=$(cat "$out/taint")
	if [ $((taint & ~(4096 | 8192))) != 0 ]; then
		echo "vm.sh: TAINT: kernel $rel tainted $taint" \
			"(only 4096 out-of-tree and 8192 unsigned are allowed)" >&2
		[ "$verdict" = 0 ] && verdict=3
	fi
fi
if [ "$verdict" = 0 ] && [ -z "$status" ]; then
	echo "vm.sh: the guest ($rel) stopped without a result (qemu exit $rc);" \
		"last console lines:" >&2
	tail -20 "$out/console.log" | sed 's/^/    /' >&2
	verdict=1
fi
if [ "$verdict" != 0 ]; then
	[ "$keep_out" = 1 ] || echo "vm.sh: console log: (re-run with --out DIR to keep it)" >&2
	[ "$status" = 0 ] || [ -z "$status" ] || exit "$status"
	exit "$verdict"
fi
exit "$status"
