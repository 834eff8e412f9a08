#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of make check-debug, in place of selftests/run.sh: runs the
# suite (same arguments), then asks kmemleak twice, once with xos_job still
# loaded (backtraces name its functions) and once after rmmod (what the
# unload left behind; the module's frames are then bare addresses). Each
# check is one more result in $XOS_OUT/summary.
#
# Leaks found before the suite (boot) are cleared first. A leak whose
# allocation backtrace passes through xos_job, or through an address no
# symbol covers any more (an unloaded module: only xos_job is loaded here),
# fails. Any other new leak is listed and fails as well: a missing put in
# the module leaks the kernel's own objects (a task_struct, a struct pid),
# allocated by the kernel, so "not from xos_job" does not clear it.
set -u
OUT=${XOS_OUT:-/tmp}
KL=/sys/kernel/debug/kmemleak

if [ ! -w $KL ]; then
	echo "debug-guest: $KL missing: not a kmemleak kernel"
	echo "0 1 0" >"$OUT/summary"
	exit 1
fi
# Everything is built in, and /lib/modules has nothing for this release:
# give modprobe the kernel's list of built-ins (the tests' "modprobe loop")
# in the guest's overlay.
rel=$(uname -r)
if [ ! -e "/lib/modules/$rel/modules.builtin" ]; then
	kdir=$("$XOS_ROOT/scripts/debug-kernel/debug-kernel.sh" --kdir)
	mkdir -p "/lib/modules/$rel"
	if ! cp "$kdir/modules.builtin" "$kdir/modules.builtin.modinfo" "/lib/modules/$rel/"; then
		# the guest sees the host's paths: XOS_DEBUG_CACHE is not passed in
		echo "not ok - debug-guest: no modules.builtin in $kdir (a cache outside the tree? link it as cache/)"
		echo "0 1 0" >"$OUT/summary"
		exit 1
	fi
	: >"/lib/modules/$rel/modules.order"
	depmod "$rel"
fi

# boot-time reports are the kernel's, before anything of ours ran (objects
# younger than 5 s are not reported yet: let the boot's last ones age)
sleep 6
echo scan >$KL
echo clear >$KL

start=$(date +%s)
"${XOS_ROOT}/selftests/run.sh" "$@"
rc=$?
echo "# suite took $(($(date +%s) - start))s"
read -r passed failed skipped <"$OUT/summary" 2>/dev/null || {
	passed=0 failed=1 skipped=0
}

# Objects younger than 5 s are never reported: wait, then scan twice (an
# object referenced only from a moving pointer can be missed once).
leaks() {
	local what=$1 file=$OUT/kmemleak-$2.txt n ours
	sleep 6
	echo scan >$KL
	sleep 6
	if ! echo scan >$KL; then
		# kmemleak turns itself off when its object pool runs out
		echo "not ok - kmemleak $what: cannot scan: $(dmesg | grep -i kmemleak | tail -3)"
		failed=$((failed + 1))
		rc=1
		return
	fi
	cat $KL >"$file"
	echo clear >$KL
	n=$(grep -c '^unreferenced object' "$file")
	ours=$(awk '/^unreferenced object/ { if (o) n++; o = 0 }
		/\[xos_job\]|\] 0x[0-9a-f]+$/ { o = 1 }
		END { if (o) n++; print n + 0 }' "$file")
	if [ "$n" = 0 ]; then
		echo "ok - kmemleak $what: no leaks"
		passed=$((passed + 1))
	else
		sed 's/^/# /' "$file" | head -200
		echo "not ok - kmemleak $what: $n unreferenced objects, $ours through xos_job" \
			"(full list: ${file#"$OUT"/})"
		failed=$((failed + 1))
		rc=1
	fi
}

# A checker that switched itself off (lockdep after a report or when out of
# entries, debug objects out of memory) would make a clean result hollow.
armed=1
grep -q 'debug_locks: *1' /proc/lockdep_stats || armed=0
dmesg | grep -qE 'ODEBUG disabled|kmemleak.*disabled' && armed=0
if [ $armed = 1 ]; then
	echo "ok - lockdep, debug objects and kmemleak still armed after the suite"
	passed=$((passed + 1))
else
	echo "not ok - a debug checker switched itself off: $(grep debug_locks /proc/lockdep_stats)" \
		"$(dmesg | grep -E 'ODEBUG disabled|kmemleak.*disabled|lockdep' | tail -3)"
	failed=$((failed + 1))
	rc=1
fi

leaks "after the suite, module loaded" suite
if grep -q '^xos_job ' /proc/modules; then
	if rmmod xos_job; then
		leaks "after rmmod xos_job" rmmod
	else
		echo "not ok - rmmod xos_job failed"
		failed=$((failed + 1))
		rc=1
	fi
else
	echo "# xos_job was not loaded at the end of the suite: no unload check"
fi
echo "$passed $failed $skipped" >"$OUT/summary"
echo "# $(uname -r) with kmemleak: $passed passed, $failed failed, $skipped skipped"
exit $rc
