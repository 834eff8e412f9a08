#!/bin/bash
# Print the installed Debian 6.1 and 6.12 kernel releases that have headers.
for d in /lib/modules/6.1.*-amd64 /lib/modules/6.12.*-amd64; do
	[ -e "$d/build/Makefile" ] && [ -e "/boot/vmlinuz-${d##*/}" ] && echo "${d##*/}"
done | sort -V
