#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xos-timeout: 300
# `xosjob run` with limits on a systemd host, given no cgroup parent: the
# job goes into a transient scope with Delegate=yes that systemd itself
# makes (systemd-run --scope), the supervisor in the scope's "supervisor"
# child and the job's cgroup beside it (the no-internal-processes rule),
# and systemd removes the scope when the job is over. The systemd is the
# real one (/lib/systemd/systemd of the host), started as PID 1 of a pid,
# mount and cgroup namespace of this guest, with a /run of its own (there
# /run/systemd/system exists) and a cgroup2 mount rooted at its cgroup;
# every xosjob of the test runs in those namespaces (nsenter). An
# unprivileged owner gets a scope from its own user manager (systemd
# --user, started as user@.service would). Refusals: by the user manager
# (a process outside the user's tree), no user manager, no systemd-run,
# new for a running process; each with its message and nothing left
# behind.
set -u
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_print_header
MNT=/sys/fs/cgroup
C=$MNT/xos-sd		# systemd's cgroup: "/" inside its namespace
NOBODY=65534
SD=/lib/systemd/systemd
ktap_set_plan 16

# every controller the limits use, down to systemd's root
for c in cpuset cpu io memory pids; do
	echo "+$c" >$MNT/cgroup.subtree_control 2>/dev/null
done
mkdir -p $C
t0=$(date +%s%N)
# The unshare process stays outside $C: systemd's root cgroup must hold no
# process other than its own, or it cannot enable controllers below it.
# A target of its own with no dependencies: no service of the host starts.
# shellcheck disable=SC2016
unshare --pid --fork --mount --propagation private sh -c '
	echo $$ >'$C'/cgroup.procs || exit 1
	exec unshare --cgroup sh -c "
		umount -l /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup &&
		mount -t proc proc /proc && mount -t tmpfs tmpfs /run &&
		mkdir -p /run/systemd/system &&
		printf \"[Unit]\nDescription=xosjob test\nDefaultDependencies=no\n\" >/run/systemd/system/xos-test.target &&
		exec env container=xosjob-test '$SD' --unit=xos-test.target --log-target=console --log-level=notice"' \
	>/tmp/sd-scope.log 2>&1 &
sdw=$!
sd=""
for _ in $(seq "$(xpolls 600)"); do
	sd=$(pgrep -P $sdw | head -1)
	[ -n "$sd" ] && grep -qx systemd /proc/"$sd"/comm 2>/dev/null &&
		nsenter -t "$sd" -m test -S /run/systemd/private && break
	sleep 0.1
done
ms=$((($(date +%s%N) - t0) / 1000000))
sdin() { nsenter -t "$sd" -m -p -C -- "$@"; }
state=$(sdin systemctl is-system-running 2>&1)
check "systemd $(dpkg-query -W -f='${Version}' systemd 2>/dev/null) runs as PID 1 of its namespaces (pid $sd here, $state after $ms ms)" \
	'[ -n "$sd" ] && [ "$(sdin cat /proc/1/comm)" = systemd ] && [ "$(sdin cat /proc/1/cgroup)" = "0::/init.scope" ] && sdin test -d /run/systemd/system' \
	"sd '$sd', $(tail -20 /tmp/sd-scope.log)"

# --- a job with limits: a transient scope, the supervisor beside the job -----
# shellcheck disable=SC2016
sdin xosjob run --label sd-scope --memory-max 64M --pids-max 40 --cpu-weight 50 -- sh -c '
	cg=$(cut -d: -f3 /proc/self/cgroup) scope=${cg%/*}
	echo "cg $cg"
	echo "limits $(cat /sys/fs/cgroup$cg/memory.max /sys/fs/cgroup$cg/pids.max /sys/fs/cgroup$cg/cpu.weight | tr "\n" " ")"
	echo "subtree $(cat /sys/fs/cgroup$scope/cgroup.subtree_control)"
	echo "scope_procs $(cat /sys/fs/cgroup$scope/cgroup.procs | tr "\n" " ")"
	echo "sup_procs $(cat /sys/fs/cgroup$scope/supervisor/cgroup.procs | tr "\n" " ")"
	echo "sup_pid $PPID"
	echo "job $(xosjob id $$) $XOS_JOB_ID"
	echo "kcg $(xosjob get --json $XOS_JOB_ID | python3 -c "import json,sys; print(json.load(sys.stdin)[\"cgroup\"])")"
	echo "unit $(systemctl show -p Id -p Delegate -p ActiveState -p ControlGroup ${scope##*/} | sort | tr "\n" " ")"
	echo "env ${XOSJOB_SYSTEMD_SCOPE:-unset}"
	exit 5' >/tmp/sd.out 2>/tmp/sd.err
rc=$?
val() { sed -n "s/^$1 //p" /tmp/sd.out; }
cg=$(val cg)
scope=${cg%/*}
check "run --memory-max 64M --pids-max 40 --cpu-weight 50: the job's cgroup $cg is in a transient scope" \
	'[[ $cg =~ ^/system\.slice/xosjob-[0-9]+-[0-9]+\.scope/job-[0-9]+$ ]]' "rc $rc $(cat /tmp/sd.out /tmp/sd.err)"
check "the limits are written there: $(val limits)" '[ "$(val limits)" = "67108864 40 50 " ]' "$(cat /tmp/sd.out)"
check "systemd made the unit: $(val unit); systemd-run named it: $(cat /tmp/sd.err)" \
	'[ "$(val unit)" = "ActiveState=active ControlGroup=$scope Delegate=yes Id=${scope##*/} " ] && [ "$(cat /tmp/sd.err)" = "Running scope as unit: ${scope##*/}" ]' "$(val unit) (scope $scope) $(cat /tmp/sd.err)"
check "no internal process: the scope's cgroup holds none ('$(val scope_procs)'), the supervisor (pid $(val sup_pid)) is in $scope/supervisor, memory pids cpu enabled below" \
	'[ -z "$(val scope_procs)" ] && [ "$(val sup_procs)" = "$(val sup_pid) " ] && [[ " $(val subtree) " == *" memory "* ]] && [[ " $(val subtree) " == *" pids "* ]] && [[ " $(val subtree) " == *" cpu "* ]]' \
	"$(cat /tmp/sd.out)"
# shellcheck disable=SC2034
read -r jid envid <<<"$(val job)"
check "the command is in job $jid, which the kernel recorded in $(val kcg); the scope's name is not passed on ($(val env))" \
	'[ -n "$jid" ] && [ "$jid" = "$envid" ] && [ "$(val kcg)" = "$cg" ] && [ "$(val env)" = unset ]' "$(cat /tmp/sd.out)"
check "run exits with the command's status (5)" '[ $rc = 5 ]' "rc $rc"
gone=""
for _ in $(seq "$(xpolls 50)"); do
	sdin test -e "$MNT$scope" || { gone=1; break; }
	sleep 0.1
done
check "systemd removed the scope and its cgroups when the job ended" \
	'[ -n "$gone" ] && ! sdin systemctl is-active -q "${scope##*/}"' "gone '$gone': $(sdin find "$MNT$scope" 2>&1 | head)"

# --- an unprivileged owner: its own systemd user manager ---------------------
# As user@.service runs it: systemd --user as the user, in a service with
# the same Delegate= (pids memory cpu); its runtime directory made by root
# (user-runtime-dir@.service there, which needs logind). No default
# dependencies: sysinit.target would run systemd-tmpfiles, which empties
# the guest's /tmp. A login session's
# processes live in the user's tree, from which the user manager may move
# them: "login" stands for it (without the system D-Bus, the user manager
# cannot ask PID 1 to move a process from elsewhere).
US=xos-user-$NOBODY.service
U=$MNT/system.slice/$US
RT=/run/user/$NOBODY
t0=$(date +%s%N)
sdin sh -c "mkdir -p $RT /run/systemd/user && chown $NOBODY:$NOBODY $RT && chmod 700 $RT &&
	printf '[Unit]\nDescription=xosjob test\nDefaultDependencies=no\n' >/run/systemd/user/xos-test.target"
sdin systemd-run --quiet --unit=$US -p DefaultDependencies=no -p "Delegate=pids memory cpu" --uid=$NOBODY --gid=$NOBODY \
	-E XDG_RUNTIME_DIR=$RT -- $SD --user --unit=xos-test.target --log-level=notice
for _ in $(seq "$(xpolls 900)"); do
	sdin test -S $RT/systemd/private && break
	sleep 0.1
done
ms=$((($(date +%s%N) - t0) / 1000000))
sdin sh -c "mkdir -p $U/login && chown -R $NOBODY:$NOBODY $U/login"
ulogin() { # CMD...: as $NOBODY, from its login cgroup, with its runtime directory
	# shellcheck disable=SC2016
	sdin sh -c 'echo $$ >'"$U"'/login/cgroup.procs && exec setpriv --reuid='$NOBODY' --regid='$NOBODY' --clear-groups env XDG_RUNTIME_DIR='$RT' "$@"' sh "$@"
}
# shellcheck disable=SC2016
ulogin xosjob run --memory-max 32M --pids-max 9 -- sh -c '
	cg=$(cut -d: -f3 /proc/self/cgroup) scope=${cg%/*}
	echo "cg $cg"
	echo "limits $(cat /sys/fs/cgroup$cg/memory.max /sys/fs/cgroup$cg/pids.max | tr "\n" " ")"
	echo "owner $(stat -c %u /sys/fs/cgroup$scope /sys/fs/cgroup$cg | tr "\n" " ")$(id -u)"
	echo "scope_procs $(cat /sys/fs/cgroup$scope/cgroup.procs | tr "\n" " ")"
	echo "unit $(systemctl --user show -p Id -p Delegate -p ActiveState -p ControlGroup ${scope##*/} | sort | tr "\n" " ")"
	echo "job $(xosjob id $$)"' >/tmp/sd.out 2>/tmp/sd.err
rc=$?
ucg=$(val cg)
uscope=${ucg%/*}
check "uid $NOBODY, its user manager up in $ms ms: run --memory-max 32M --pids-max 9 makes $ucg" \
	'[ $rc = 0 ] && [[ $ucg =~ ^/system\.slice/$US/app\.slice/xosjob-[0-9]+-[0-9]+\.scope/job-[0-9]+$ ]] && [ "$(val limits)" = "33554432 9 " ]' \
	"rc $rc $(cat /tmp/sd.out /tmp/sd.err) $(sdin systemctl status $US --no-pager 2>&1 | head -20)"
check "its user manager made the scope ($(val unit)), delegated to uid $NOBODY (owner $(val owner)), no process in it; the command in job $(val job)" \
	'[ "$(val unit)" = "ActiveState=active ControlGroup=$uscope Delegate=yes Id=${uscope##*/} " ] && [ "$(val owner)" = "$NOBODY $NOBODY $NOBODY" ] &&
	 [ -z "$(val scope_procs)" ] && [ -n "$(val job)" ]' "scope $uscope: $(cat /tmp/sd.out /tmp/sd.err)"
# systemd refusing: from outside the user's tree (here the guest's root
# cgroup) the user manager cannot move the process into its scope
before=$(sdin find $U -type d | sort)
sdin setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups env XDG_RUNTIME_DIR=$RT xosjob run --pids-max 5 -- true >/tmp/sd.out 2>/tmp/sd.err
rc=$?
after=""
for _ in $(seq "$(xpolls 50)"); do
	after=$(sdin find $U -type d | sort)
	[ "$after" = "$before" ] && break
	sleep 0.1
done
check "the user manager refuses a scope for a process outside the user's tree: systemd-run says so ($(head -c 200 /tmp/sd.err)), exit $rc, nothing left" \
	'[ $rc = 1 ] && grep -q "Job failed" /tmp/sd.err && [ "$after" = "$before" ] && [ -z "$(sdin setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups env XDG_RUNTIME_DIR=$RT systemctl --user list-units --all --no-legend "xosjob-*" 2>&1)" ]' \
	"rc $rc $(cat /tmp/sd.out /tmp/sd.err) before $before after $after"

# --- a parent given: no scope ------------------------------------------------
sdin sh -c 'mkdir -p /sys/fs/cgroup/xos-sd-manual && echo +pids >/sys/fs/cgroup/xos-sd-manual/cgroup.subtree_control'
# shellcheck disable=SC2016
out=$(sdin env PATH=/nonexistent XOSJOB_CGROUP_PARENT=/xos-sd-manual "$(command -v xosjob)" run --pids-max 7 -- \
	/bin/sh -c 'cg=$(/bin/cut -d: -f3 /proc/self/cgroup); echo $cg $(/bin/cat /sys/fs/cgroup$cg/pids.max)' 2>&1)
check "XOSJOB_CGROUP_PARENT given: the job goes there, with no systemd-run on PATH ($out)" \
	'[[ $out =~ ^/xos-sd-manual/job-[0-9]+\ 7$ ]]' "$out"
sdin rmdir /sys/fs/cgroup/xos-sd-manual

# --- refused ----------------------------------------------------------------
units() { sdin systemctl list-units --all --no-legend --plain 'xosjob-*' | sort; }
expect() { # STATUS PATTERN CMD...: the status, the message, no unit or cgroup left
	local want=$1 pat=$2 rc before after
	shift 2
	before="$(units) $(sdin find $MNT -mindepth 1 -type d | sort)"
	sdin "$@" >/tmp/sd.out 2>/tmp/sd.err
	rc=$?
	after="$(units) $(sdin find $MNT -mindepth 1 -type d | sort)"
	if [ $rc = "$want" ] && grep -qE -- "$pat" /tmp/sd.err && [ "$after" = "$before" ]; then
		ok "refused: ${*: -5} -> $rc, $(head -c 300 /tmp/sd.err)"
	else
		notok "$* -> $rc (want $want, /$pat/), stderr: $(cat /tmp/sd.err), before: $before, after: $after"
	fi
}
nob=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups)
expect 1 "uid $NOBODY needs a transient scope of its own, but XDG_RUNTIME_DIR is not set: there is no systemd user manager" \
	env -u XDG_RUNTIME_DIR "${nob[@]}" xosjob run --pids-max 5 -- true
expect 1 "uid $NOBODY has no systemd user manager to ask for a transient scope \(/tmp/xos-sd-rt/systemd/private: No such file" \
	env XDG_RUNTIME_DIR=/tmp/xos-sd-rt "${nob[@]}" xosjob run --pids-max 5 -- true
expect 1 "the job needs a transient scope, but systemd-run cannot run: No such file or directory" \
	env PATH=/nonexistent "$(command -v xosjob)" run --pids-max 5 -- true
sdin sleep 300 &
slp=$!
spid=""
for _ in $(seq "$(xpolls 100)"); do
	spid=$(sdin pgrep -nx sleep) && break
	sleep 0.1
done
expect 1 "systemd runs this host: there is no default cgroup parent for a running process.*start the command with xosjob run" \
	xosjob new --pid "$spid" --memory-max 64M
sdin kill "$spid"
wait $slp 2>/dev/null

# systemd, its namespaces and its cgroups go with its PID 1
kill -KILL "$sd"
wait $sdw 2>/dev/null
for _ in $(seq "$(xpolls 50)"); do
	[ -z "$(find $C -mindepth 1 -type d 2>/dev/null)" ] && break
	find $C -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
	sleep 0.1
done
rmdir $C 2>/dev/null
ktap_finished
