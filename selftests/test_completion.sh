#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bash completion of xosjob: commands, each command's options, signal
# names, namespace lists, and the ids of the live jobs.
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_print_header
ktap_set_plan 16
# shellcheck disable=SC1091
source /usr/share/bash-completion/bash_completion
# shellcheck disable=SC1091
source "$ROOT/userspace/xosjob.bash-completion"
# complete WORDS... -> the candidates for the last word
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_xosjob xosjob "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() {
	local want=$1 got
	shift
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then ok "'$*' -> '$got'"; else notok "'$*' -> '$got', want '$want'"; fi
}
expect "collect" xosjob co
expect "enter" xosjob en
expect "--prometheus" xosjob collect --p
expect "--ended --from --help --json" xosjob list --
expect "KILL" xosjob kill -s KIL
expect "user,mnt" xosjob enter --ns user,m
expect "--isolate" xosjob run --is
expect "pid,mnt" xosjob run --isolate pid,m
expect "freeze" xosjob fre
expect "--cpu-max --cpu-time --cpu-time-grace --cpu-weight --cpus" xosjob run --cpu
expect "max" xosjob new --memory-high m
# The options come from the binary's own tables (xosjob --list-options
# CMD): every command's are offered, exactly, and each is in its --help.
offered_ok=1 missing=""
for cmd in $(xosjob --list-options); do
	[ "$cmd" = help ] && continue
	listed=$(xosjob --list-options "$cmd")
	want=$(awk '$1 ~ /^--/ { print $1 }' <<<"$listed" | sort | tr '\n' ' ' | sed 's/ $//')
	got=$(complete_words xosjob "$cmd" --)
	[ -n "$want" ] && [ "$got" = "$want" ] || { offered_ok=0; echo "# $cmd --: '$got', want '$want'"; }
	help=$(xosjob "$cmd" --help)
	for o in $(awk '{ print $1 }' <<<"$listed"); do
		[ "$o" = --help ] && continue
		grep -qE -- "(^|[^-a-z])$o([^-a-z]|\$)" <<<"$help" || missing+=" $cmd:$o"
	done
done
if [ $offered_ok = 1 ]; then ok "every command's options are offered as the binary lists them"; else notok "offered options differ from xosjob --list-options"; fi
if [ -z "$missing" ]; then ok "every option the binary takes is in its command's --help"; else notok "options missing from --help:$missing"; fi
xosjob run --label completion -- sleep 300 &
member=$!
job=$(job_of_pid $member)
expect "$(xosjob list | awk 'NR > 1 { print $1 }' | sort | tr '\n' ' ' | sed 's/ $//')" xosjob show ""
got=$(complete_words xosjob ps "")
case " $got " in *" $job "*) ok "ps <TAB> offers the live job $job" ;; *) notok "ps <TAB>: '$got' lacks job $job" ;; esac
expect "" xosjob kill "$job" ""
xosjob kill -s KILL "$job" >/dev/null || kill -KILL $member
wait
ktap_finished
