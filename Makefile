# SPDX-License-Identifier: GPL-2.0
#
# xos_job: kernel module (kmod/), uapi header, userspace library and CLI,
# kselftest-style tests run in QEMU on Debian's 6.1 and 6.12 kernels.
#
#   make deps              install Debian packages (as root)
#   make                   module for every kernel in KERNELS + userspace
#   make KDIR=<dir>        module for one kernel build tree
#   make check             boot every kernel in QEMU and run the selftests
#   make vm-run KERNEL=<release> CMD='...'
#   make run | shell       demo | interactive guest shell (6.12)
#   make bench             benchmarks on every kernel (bench/results.json)

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(ROOT)/build

ifneq ($(KDIR),)
KERNELS := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
kdir_of = $(KDIR)
else
KERNELS ?= $(shell $(ROOT)/scripts/kernels.sh)
kdir_of = /lib/modules/$(1)/build
endif
KERNEL ?= $(lastword $(KERNELS))

CC ?= gcc
export CC
# CMD reaches vm.sh through the environment: no quoting is lost.
export XOS_VM_CMD = $(value CMD)

.PHONY: all modules userspace selftests check vm-run run shell deps clean \
	checkpatch headers check-harness bench bench-bin

all: modules userspace selftests bench-bin

modules: $(addprefix module-,$(KERNELS))

module-%:
	@$(ROOT)/scripts/build-module.sh $* $(call kdir_of,$*)

userspace:
	@$(MAKE) -s -C $(ROOT)/userspace BUILD=$(BUILD)/userspace

# kselftest_harness.h and kselftest.h come from Debian's linux-source-6.12 at
# build time; they are never committed.
headers: $(BUILD)/kselftest/kselftest_harness.h

$(BUILD)/kselftest/kselftest_harness.h:
	@$(ROOT)/scripts/extract-kernel-tools.sh $(BUILD)

selftests: userspace headers
	@$(MAKE) -s -C $(ROOT)/selftests BUILD=$(BUILD)

# xosbench: built with everything, so that the smoke selftest can run it.
bench-bin: userspace
	@$(MAKE) -s -C $(ROOT)/bench BUILD=$(BUILD)

# Benchmarks (not part of check): both kernels under -icount, then plain TCG.
bench: all
	@$(ROOT)/scripts/bench.sh --out $(ROOT)/bench/results.json \
		--readme $(ROOT)/README.md $(KERNELS)

# Debian packages for building, testing and the demo (as root).
deps:
	@$(ROOT)/scripts/deps.sh

# T='test_netlink*' runs a subset.
check: all
	@$(ROOT)/scripts/check.sh "$(KERNELS)" $(T)

# Proves that make check fails on a failing test, a WARN and a hung guest.
check-harness: all
	@$(ROOT)/scripts/check-harness.sh $(KERNEL)

VM_TIMEOUT ?= 600
vm-run: all
	@$(ROOT)/scripts/vm.sh --timeout $(VM_TIMEOUT) $(KERNEL) -- "$$XOS_VM_CMD"

run: all
	@$(ROOT)/scripts/vm.sh --timeout 120 $(KERNEL) -- $(ROOT)/scripts/demo.sh

shell: all
	@$(ROOT)/scripts/vm.sh --shell $(KERNEL)

checkpatch:
	@$(ROOT)/scripts/checkpatch.sh

clean:
	rm -rf $(BUILD)
