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

.PHONY: all modules userspace selftests check vm-run run shell deps clean \
	checkpatch headers

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

checkpatch:
	@$(ROOT)/scripts/checkpatch.sh

clean:
	rm -rf $(BUILD)
