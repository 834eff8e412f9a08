#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deps: installs the Debian packages xos_job needs to build, test and
# demo. Idempotent; silent when everything is present.
set -euo pipefail
pkgs=(
	build-essential pkg-config make gcc bc kmod cpio xz-utils zstd
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	linux-headers-rt-amd64
	linux-source-6.12 flex bison libelf-dev libssl-dev
	qemu-system-x86 busybox-static
	libnl-3-dev libnl-genl-3-dev libnl-utils libjson-c-dev
	python3 python3-yaml python3-jsonschema liburing-dev
	util-linux procps iproute2 strace e2fsprogs
	man-db groff-base dkms openssl bash-completion
	slurmctld slurmd slurm-client slurm-wlm-basic-plugins munge libslurm-dev
	libpam0g-dev pamtester openssh-server criu
)
# promtool (checks the collector's Prometheus file) is taken out of Debian's
# prometheus package: installing that package would also set up and start
# a Prometheus server.
PROMTOOL=/usr/local/bin/promtool
install_promtool() {
	local tmp
	tmp=$(mktemp -d)
	chmod 0755 "$tmp"	# apt's _apt user downloads into it
	(cd "$tmp" && apt-get download -qq prometheus >/dev/null)
	dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x"
	install -m 0755 "$tmp/x/usr/bin/promtool" "$PROMTOOL"
	rm -rf "$tmp"
	echo "deps: installed $PROMTOOL from Debian's prometheus package"
}
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ -x "$PROMTOOL" ] || missing_promtool=1
[ ${#missing[@]} = 0 ] && [ -z "${missing_promtool:-}" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing: ${missing[*]} ${missing_promtool:+promtool}" >&2
	echo "deps: run 'sudo make deps'" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ ${#missing[@]} != 0 ]; then
	echo "deps: installing ${missing[*]}"
	# munged, slurmctld, slurmd and sshd are started only inside the test
	# guests: a policy-rc.d that says 101 keeps the packages' maintainer
	# scripts from starting them on the host.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 0755 /usr/sbin/policy-rc.d
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -z "${missing_promtool:-}" ] || install_promtool
