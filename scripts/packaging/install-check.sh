#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install-check: make install into a staging DESTDIR must yield the
# complete tree; a program built against it through pkg-config (shared and
# static) links and runs; the man pages render without a groff warning;
# make uninstall then leaves no file behind.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
kernel=$("$ROOT/scripts/guest/kernels.sh" | tr -s ' ' '\n' | tail -1)
stage=$ROOT/build/install-check
rm -rf "$stage"
mkdir -p "$stage"
dest=$stage/root
multiarch=$(${CC:-gcc} -print-multiarch)
mk=(make -s -C "$ROOT" DESTDIR="$dest" PREFIX=/usr INSTALL_KERNEL="$kernel")
"${mk[@]}" install >"$stage/install.log" 2>&1 || { cat "$stage/install.log" >&2; exit 1; }
fail=0
want=(
	"lib/modules/$kernel/extra/xos_job.ko"
	usr/bin/xosjob
	usr/lib/libxosjob.so.0 usr/lib/libxosjob.so usr/lib/libxosjob.a
	usr/lib/pkgconfig/libxosjob.pc
	usr/include/xosjob.h usr/include/linux/xos_job.h
	usr/share/man/man8/xosjob.8 usr/share/man/man7/xos_job.7
	usr/share/bash-completion/completions/xosjob
	usr/share/doc/xos_job/xosjob-collect.service
	usr/lib/$multiarch/slurm-wlm/spank_xos_job.so
	lib/$multiarch/security/pam_xosjob.so
	usr/libexec/xos_job/xosjob-sshrc
	usr/share/man/man8/spank_xos_job.8 usr/share/man/man8/pam_xosjob.8
)
for f in "${want[@]}"; do
	[ -e "$dest/$f" ] || { echo "install-check: $f not installed" >&2; fail=1; }
done
extra=$(cd "$dest" && find . -type f -o -type l | sed 's|^\./||' | sort |
	grep -vxF -f <(printf '%s\n' "${want[@]}") || true)
[ -z "$extra" ] || { echo "install-check: unexpected files: $extra" >&2; fail=1; }
[ "$(modinfo -F vermagic "$dest/lib/modules/$kernel/extra/xos_job.ko" | cut -d' ' -f1)" = "$kernel" ] ||
	{ echo "install-check: the installed module is not for $kernel" >&2; fail=1; }

# a client of the installed library, found through its pkg-config file
cat >"$stage/client.c" <<'C'
#include <stdio.h>
#include <xosjob.h>

int main(void)
{
	struct xosjob_ctx *ctx;
	int err = xosjob_open(&ctx);

	/* the uapi constants through the installed headers, and a call */
	printf("%s %d %d %s\n", XOS_JOB_GENL_NAME, XOS_JOB_CMD_ENTER,
	       XOS_JOB_A_MAX, err ? "module not loaded" : "module loaded");
	if (!err)
		xosjob_close(ctx);
	return 0;
}
C
export PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH=$dest/usr/lib/pkgconfig
[ "$(pkg-config --modversion libxosjob)" = "$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$ROOT/dkms.conf")" ] ||
	{ echo "install-check: pkg-config version differs from the module's" >&2; fail=1; }
# shellcheck disable=SC2046
${CC:-gcc} -Wall -Werror -I"$ROOT/userspace" -I"$ROOT/uapi" -o "$stage/client-src" "$stage/client.c" \
	"$ROOT/build/userspace/libxosjob.a" $(pkg-config --libs libnl-genl-3.0)
expected=$("$stage/client-src")
for how in shared static; do
	if [ $how = static ]; then
		flags=$(pkg-config --cflags --libs --static libxosjob)
		flags=${flags/-lxosjob/-Wl,-Bstatic -lxosjob -Wl,-Bdynamic}
	else
		flags=$(pkg-config --cflags --libs libxosjob)
	fi
	# shellcheck disable=SC2086
	${CC:-gcc} -Wall -Wextra -Werror -o "$stage/client-$how" "$stage/client.c" $flags
	out=$(LD_LIBRARY_PATH=$dest/usr/lib "$stage/client-$how")
	[ "$out" = "$expected" ] || { echo "install-check: $how client printed '$out'" >&2; fail=1; }
done
# ldd's whole output first: under pipefail, grep -q quitting at the first
# match could kill ldd with SIGPIPE and fail the pipeline
libs=$(ldd "$stage/client-static" 2>&1 || true)
grep -q libxosjob <<<"$libs" && { echo "install-check: static client uses the shared library" >&2; fail=1; }
libs=$(LD_LIBRARY_PATH=$dest/usr/lib ldd "$stage/client-shared" 2>&1 || true)
grep -q "$dest/usr/lib/libxosjob.so.0" <<<"$libs" ||
	{ echo "install-check: shared client does not use the installed library" >&2; fail=1; }

# the plugins: the entry points slurmstepd and libpam look up, and
# libxosjob inside (static, hidden), not a dependency on where it is
plugin_ok() { # FILE SYMBOL...
	local syms libs s
	syms=$(nm -D --defined-only "$1")
	libs=$(ldd "$1" 2>&1 || true)
	for s in "${@:2}"; do
		grep -qw "$s" <<<"$syms" || { echo "install-check: $1 does not export $s" >&2; return 1; }
	done
	! grep -qw xosjob_open <<<"$syms" && ! grep -q libxosjob <<<"$libs" ||
		{ echo "install-check: $1 exports or needs libxosjob" >&2; return 1; }
}
plugin_ok "$dest/usr/lib/$multiarch/slurm-wlm/spank_xos_job.so" slurm_spank_init \
	slurm_spank_task_init_privileged slurm_spank_job_epilog plugin_name spank_plugin_version || fail=1
plugin_ok "$dest/lib/$multiarch/security/pam_xosjob.so" pam_sm_acct_mgmt pam_sm_open_session \
	pam_sm_close_session || fail=1

# the man pages render cleanly
for m in man8/xosjob.8 man7/xos_job.7 man8/spank_xos_job.8 man8/pam_xosjob.8; do
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$dest/usr/share/man/$m" 2>&1 >/dev/null || true)
	[ -z "$warn" ] || { echo "install-check: $m: $warn" >&2; fail=1; }
done
bash -n "$dest/usr/share/bash-completion/completions/xosjob" || fail=1

"${mk[@]}" uninstall >"$stage/uninstall.log" 2>&1 || { cat "$stage/uninstall.log" >&2; exit 1; }
left=$(find "$dest" -type f -o -type l)
[ -z "$left" ] || { echo "install-check: left after uninstall: $left" >&2; fail=1; }
[ $fail = 0 ] && echo "install-check: make install DESTDIR: ${#want[@]} files, clients link (shared, static), man pages clean, uninstall complete"
exit $fail
