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
#   make fuzz [FUZZ_SECONDS=600 | FUZZ_COUNT=N] [FUZZ_SEED=S] [KERNEL=...]

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
	checkpatch headers check-harness fuzz

all: modules userspace selftests

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

# The netlink fuzzer (selftests/test_fuzz.c) in the guest, as long as asked:
# FUZZ_SECONDS of time or FUZZ_COUNT messages, shared between root, uid
# 65534 and uid 65534 as root of a user (and network) namespace.
FUZZ_SECONDS ?=
FUZZ_COUNT ?= 100000
FUZZ_SEED ?=
fuzz: all
	@$(ROOT)/scripts/vm.sh --timeout $$(( $(or $(FUZZ_SECONDS),$(FUZZ_COUNT) / 100) + 600 )) \
		$(KERNEL) -- XOS_FUZZ_SECONDS=$(FUZZ_SECONDS) XOS_FUZZ_COUNT=$(FUZZ_COUNT) \
		XOS_FUZZ_SEED=$(FUZZ_SEED) $(BUILD)/selftests/test_fuzz

run: all
	@$(ROOT)/scripts/vm.sh --timeout 120 $(KERNEL) -- $(ROOT)/scripts/demo.sh

shell: all
	@$(ROOT)/scripts/vm.sh --shell $(KERNEL)

checkpatch:
	@$(ROOT)/scripts/checkpatch.sh

clean:
	rm -rf $(BUILD)
