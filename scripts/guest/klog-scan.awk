# SPDX-License-Identifier: GPL-2.0
#
# Reads guest kernel logs and prints them again without the "Call Trace:"
# line of each OOM-killer report, so that vm.sh's splat scan passes a
# memory hog killed under memory.max but still fails any other stack.
#
# A stack runs from "Call Trace:" to "</TASK>". It is an OOM report when
# one of its frames is the OOM killer's dump_header or oom_kill_process;
# that holds on 6.1 and 6.12 whatever the console dropped before it.

function flush(	i, oom)
{
	oom = 0
	for (i = 1; i <= n; i++)
		if (buf[i] ~ /[ \t](dump_header|oom_kill_process)\+0x/)
			oom = 1
	for (i = 1; i <= n; i++)
		if (!(oom && i == 1))
			print buf[i]
	n = 0
}

FNR == 1 { flush() }
/Call Trace:/ { flush(); buf[++n] = $0; next }
# a stack is short; a cap keeps a lost "</TASK>" from hiding the rest
n { buf[++n] = $0; if (/<\/TASK>/ || n >= 200) flush(); next }
{ print }
END { flush() }
