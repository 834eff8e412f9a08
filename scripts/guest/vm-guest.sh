#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of vm.sh: runs as pid 1 after switch_root onto the overlay of
# the host's root. Mounts what a real system has, loads the module, runs the
# command on ttyS1 and leaves status, dmesg and taint in /run/xos-out.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
OUT=/run/xos-out

mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts 2>/dev/null ||
	{ mkdir -p /dev/pts && mount -t devpts devpts /dev/pts; }
mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=0755 tmpfs /run
# /tmp stays the overlay's (writes land in its tmpfs upper layer): a
# repository cloned under the host's /tmp must stay visible.
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p $OUT
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none xosout $OUT || {
	echo "vm-guest: cannot mount the result directory" >/dev/ttyS0
	poweroff -f
}
# shellcheck disable=SC1091
. $OUT/env
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/mounts /etc/mtab 2>/dev/null
hostname xos-guest
ip link set lo up 2>/dev/null
echo 1 > /proc/sys/kernel/panic_on_oops

finish() {
	dmesg >$OUT/dmesg 2>/dev/null
	cat /proc/sys/kernel/tainted >$OUT/taint
	echo "$1" >$OUT/status.tmp
	mv $OUT/status.tmp $OUT/status
	sync
	poweroff -f
}

if [ "$XOS_MODULE" = 1 ]; then
	if ! insmod "$XOS_ROOT/build/$XOS_KERNEL/xos_job.ko" 2>$OUT/insmod.err; then
		echo "vm-guest: insmod xos_job.ko failed: $(cat $OUT/insmod.err)" >/dev/ttyS1
		finish 125
	fi
fi
export PATH="$XOS_ROOT/build/userspace:$PATH"
export XOS_ROOT XOS_KERNEL HOME=/root TERM=${TERM:-linux} XOS_OUT=$OUT
cd "$XOS_CWD" 2>/dev/null || cd "$XOS_ROOT"

if [ "$XOS_SHELL" = 1 ]; then
	echo "xos_job guest: kernel $XOS_KERNEL; exit the shell to power off" >/dev/ttyS1
	setsid -c -w bash -i </dev/ttyS1 >/dev/ttyS1 2>&1
	finish $?
fi
stty -F /dev/ttyS1 raw -echo 2>/dev/null
bash -c "$XOS_CMD" </dev/null >/dev/ttyS1 2>&1
finish $?
