# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by selftests/test_slurm.sh and scripts/guest/demo-slurm.sh (guest, as
# root; ROOT is the repository): a single-node Slurm (munged, slurmctld,
# slurmd on 127.0.0.1) with spank_xos_job.so in its plugstack, and sshd on
# 127.0.0.1:2222 with pam_xosjob.so in /etc/pam.d/sshd, in the way
# INTEGRATION-FACTS found to work in this guest. Everything lives in $W
# (tmpfs); slurm_env_stop stops every daemon started here and puts back
# what was changed. xsleep/xpolls come from selftests/lib.sh.
U=$ROOT/build/userspace
SPANK=$U/spank_xos_job.so
PAMMOD=$U/pam_xosjob.so
PAMLOGIN=$ROOT/build/selftests/pam_login
W=/run/xos-slurm
LOG=$W/log
U1=xosu1 U2=xosu2 U3=xosu3
wait_for() { # TRIES(0.1s, scaled) CMD...: until CMD succeeds
	local _
	for _ in $(seq "$(xpolls "$1")"); do
		"${@:2}" && return 0
		sleep 0.1
	done
	return 1
}
alive() { kill -0 "$1" 2>/dev/null; }
none_alive() { local p; for p in "$@"; do alive "$p" && return 1; done; return 0; }

# --- daemons --------------------------------------------------------------
# stop PIDFILE|PID...: TERM, then KILL whatever is still there after 10 s
stop() {
	local p pids=() _
	for p in "$@"; do
		[ -f "$p" ] && p=$(cat "$p" 2>/dev/null)
		[ -n "$p" ] && kill "$p" 2>/dev/null && pids+=("$p")
	done
	for _ in $(seq 100); do
		none_alive "${pids[@]}" && return
		sleep 0.1
	done
	kill -9 "${pids[@]}" 2>/dev/null
}
munged_pid=""
slurm_env_stop() {
	local p
	# slurmd first: it tells slurmctld the epilogs are done
	stop $W/sshd.pid
	rmdir /sys/fs/cgroup/xos-sshd 2>/dev/null
	stop $W/slurmd.pid
	stop $W/slurmctld.pid
	stop $munged_pid
	# what a job left (none expected) and the module back if unloaded
	for p in $(pgrep -u "$U1,$U2,$U3" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	grep -q '^xos_job ' /proc/modules || insmod "$ROOT/build/$(uname -r)/xos_job.ko"
	[ -f $W/pam.d.sshd.orig ] && cp $W/pam.d.sshd.orig /etc/pam.d/sshd
	rm -f /etc/ssh/sshrc
	rm -f /usr/local/bin/xosjob
}

# plugstack OPTIONS...: the plugin's line in plugstack.conf
plugstack() { echo "required $SPANK $*" >$W/plugstack.conf; }
start_slurmd() {
	/usr/sbin/slurmd -N xosnode -f $W/slurm.conf 2>>$LOG/slurmd.err
	wait_for 300 sh -c '[ "$(sinfo -h -n xosnode -o %T 2>/dev/null)" = idle ]'
}

# slurm_env_start: users, munged, slurmctld, slurmd; the node idle or 1
slurm_env_start() {
	mkdir -p $W $LOG /run/slurm
	chmod 755 $W
	# glibc's AI_ADDRCONFIG: with only 127.0.0.1 on lo, slurm cannot bind
	ip addr add 127.0.0.2/8 dev lo 2>/dev/null
	for u in $U1 $U2 $U3; do
		id "$u" >/dev/null 2>&1 || useradd -m -s /bin/bash "$u"
		usermod -p '*' "$u"
	done
	# tasks and logins get the user's PATH, without build/
	ln -sf "$U/xosjob" /usr/local/bin/xosjob

	# munge
	mkdir -p /run/munge /var/lib/munge /var/log/munge
	chown munge: /run/munge /var/lib/munge /var/log/munge /etc/munge
	chmod 0700 /etc/munge
	[ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey -c
	chown munge: /etc/munge/munge.key
	chmod 0400 /etc/munge/munge.key
	runuser -u munge -- /usr/sbin/munged --force 2>$LOG/munged.err
	munged_pid=$(pgrep -nx munged)
	wait_for 200 sh -c 'munge -n | unmunge >/dev/null 2>&1'
	# cgroup v2 for slurmd without systemd
	mkdir -p /sys/fs/cgroup/system.slice
	echo "+cpuset +cpu +io +memory +pids" >/sys/fs/cgroup/cgroup.subtree_control
	echo "+cpuset +cpu +io +memory +pids" >/sys/fs/cgroup/system.slice/cgroup.subtree_control
	mkdir -p /var/spool/slurmd /var/spool/slurmctld /etc/slurm/plugstack.conf.d
	chown slurm: /var/spool/slurmctld $LOG
	cat >$W/slurm.conf <<-EOF
	ClusterName=xos
	SlurmctldHost=$(hostname)(127.0.0.1)
	MailProg=/bin/true
	SlurmUser=slurm
	AuthType=auth/munge
	CredType=cred/munge
	SelectType=select/cons_tres
	SelectTypeParameters=CR_Core
	ReturnToService=2
	MpiDefault=none
	ProctrackType=proctrack/linuxproc
	TaskPlugin=task/none
	AccountingStorageType=accounting_storage/none
	JobAcctGatherType=jobacct_gather/none
	SlurmdParameters=config_overrides
	SlurmctldPidFile=$W/slurmctld.pid
	SlurmdPidFile=$W/slurmd.pid
	SlurmctldLogFile=$LOG/slurmctld.log
	SlurmdLogFile=$LOG/slurmd.log
	SlurmdDebug=info
	StateSaveLocation=/var/spool/slurmctld
	SlurmdSpoolDir=/var/spool/slurmd
	PlugStackConfig=$W/plugstack.conf
	KillWait=5
	NodeName=xosnode NodeAddr=127.0.0.1 CPUs=4 RealMemory=1000
	PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
	EOF
	printf 'CgroupPlugin=cgroup/v2\nIgnoreSystemd=yes\n' >$W/cgroup.conf
	export SLURM_CONF=$W/slurm.conf
	# shellcheck disable=SC2119
	plugstack
	# cgroup.conf is looked for next to slurm.conf
	/usr/sbin/slurmctld -c -f $W/slurm.conf 2>$LOG/slurmctld.err
	start_slurmd
	[ "$(sinfo -h -n xosnode -o %T 2>&1)" = idle ]
}

# sshd_start PAM_OPTIONS: sshd with pam_xosjob (PAM_OPTIONS) after pam_unix
sshd_start() {
	mkdir -p /run/sshd $W/keys
	chmod 755 /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f $W/hostkey <<<y >/dev/null 2>&1
	ssh-keygen -q -t ed25519 -N '' -f $W/userkey <<<y >/dev/null 2>&1
	for u in $U1 $U2 $U3 root; do cp $W/userkey.pub "$W/keys/$u"; done
	chmod 644 $W/keys/*
	cat >$W/sshd_config <<-EOF
	Port 2222
	ListenAddress 127.0.0.1
	HostKey $W/hostkey
	PidFile $W/sshd.pid
	UsePAM yes
	PubkeyAuthentication yes
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	AuthorizedKeysFile $W/keys/%u
	StrictModes no
	PermitRootLogin prohibit-password
	AcceptEnv XOS_JOB_ID
	PermitUserRC no
	EOF
	[ -f $W/pam.d.sshd.orig ] || cp /etc/pam.d/sshd $W/pam.d.sshd.orig
	pam_conf "$@"
	# in a cgroup of its own, so that a login moved into the job's shows
	mkdir -p /sys/fs/cgroup/xos-sshd
	(echo $BASHPID >/sys/fs/cgroup/xos-sshd/cgroup.procs &&
		exec /usr/sbin/sshd -f $W/sshd_config -E $LOG/sshd.log)
	wait_for 100 bash -c 'echo >/dev/tcp/127.0.0.1/2222' 2>/dev/null
}

# pam_conf OPTIONS...: /etc/pam.d/sshd (read at each login) with
# pam_xosjob OPTIONS, without pam_systemd or pam_loginuid
pam_conf() {
	cat >/etc/pam.d/sshd <<-EOF
	auth     required pam_permit.so
	account  required pam_unix.so
	account  required $PAMMOD $*
	session  required pam_unix.so
	session  required $PAMMOD $*
	EOF
}
SSH=(ssh -p 2222 -i $W/userkey -o BatchMode=yes -o StrictHostKeyChecking=no
	-o UserKnownHostsFile=/dev/null -o LogLevel=info -o ConnectTimeout=60)
