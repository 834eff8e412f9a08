#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own YNL client (tools/net/ynl/cli.py from linux-source-6.12,
# extracted into build/ynl) drives xos_job from spec/xos_job.yaml alone;
# ynl_check.py compares its answers with the C library's.
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
ROOT=${XOS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
[ -r "$ROOT/build/ynl/cli.py" ] || ktap_exit_fail_msg "build/ynl/cli.py missing: run make"
exec /usr/bin/python3 "$ROOT/selftests/ynl_check.py"
