#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copy what DKMS needs to build the module (dkms.conf, Kbuild, kmod/, uapi/)
# into DIR, e.g. /usr/src/xos_job-<version>.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
dst=${1:?usage: dkms-source.sh DIR}
mkdir -p "$dst/kmod" "$dst/uapi/linux"
install -m 0644 "$ROOT/dkms.conf" "$ROOT/Kbuild" "$dst/"
install -m 0644 "$ROOT"/kmod/*.[ch] "$ROOT/kmod/Kbuild" "$dst/kmod/"
install -m 0644 "$ROOT/uapi/linux/xos_job.h" "$dst/uapi/linux/"
