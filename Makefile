# SPDX-License-Identifier: GPL-2.0
#
# xos_job: kernel module (kmod/), uapi header, userspace library and CLI,
# kselftest-style tests run in QEMU on Debian's 6.1 and 6.12 kernels.
#
#   make deps              install Debian packages (as root)
#   make                   module for every kernel in KERNELS + userspace
#   make KDIR=<dir>        module for one kernel build tree
#   make check             boot every kernel in QEMU and run the selftests
#   make check-debug       the same on a debug 6.12 (KASAN, lockdep, kmemleak...)
#   make spec-gen          kmod/netlink-gen.[ch] from spec/xos_job.yaml
#   make vm-run KERNEL=<release> CMD='...'
#   make run | shell       demo | interactive guest shell (6.12)
#   make run-slurm         demo with Slurm and sshd: a batch job, a login into it
#   make install           module (running kernel), CLI, library, headers,
#                          man pages, completion; DESTDIR, PREFIX honoured
#   make dkms-install      register with DKMS: built for every kernel
#   make fuzz [FUZZ_SECONDS=600 | FUZZ_COUNT=N] [FUZZ_SEED=S] [KERNEL=...]
#   make bench             benchmarks on every kernel (bench/results.json)
#   make bench BENCH=bigjob  only those parts (build/bench/results-bigjob.json)

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(ROOT)/build

ifneq ($(KDIR),)
KERNELS := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
kdir_of = $(KDIR)
else
KERNELS ?= $(shell $(ROOT)/scripts/guest/kernels.sh)
kdir_of = /lib/modules/$(1)/build
endif
KERNEL ?= $(lastword $(KERNELS))

CC ?= gcc
export CC
comma := ,
# CMD reaches vm.sh through the environment: no quoting is lost.
export XOS_VM_CMD = $(value CMD)

.PHONY: all modules userspace selftests check vm-run run run-slurm shell deps clean \
	checkpatch headers check-harness host-checks spec-check spec-gen dkms-check \
	install uninstall dkms-install dkms-uninstall install-check fuzz \
	bench bench-bin check-debug rt-check

all: modules userspace selftests bench-bin

modules: $(addprefix module-,$(KERNELS))

module-%:
	@$(ROOT)/scripts/build-module.sh $* $(call kdir_of,$*)

userspace:
	@$(MAKE) -s -C $(ROOT)/userspace BUILD=$(BUILD)/userspace

# kselftest_harness.h, kselftest.h and ktap_helpers.sh come from Debian's
# linux-source-6.12 at build time; they are never committed.
headers: $(BUILD)/kselftest/kselftest_harness.h $(BUILD)/kselftest/ktap_helpers.sh

$(BUILD)/kselftest/kselftest_harness.h $(BUILD)/kselftest/ktap_helpers.sh &:
	@$(ROOT)/scripts/extract-kernel-tools.sh $(BUILD)

selftests: userspace headers
	@$(MAKE) -s -C $(ROOT)/selftests BUILD=$(BUILD)

# xosbench: built with everything, so that the smoke selftest can run it.
bench-bin: userspace
	@$(MAKE) -s -C $(ROOT)/bench BUILD=$(BUILD)

# Benchmarks (not part of check): both kernels under -icount, then plain TCG.
# BENCH=part,... (bench/guest.sh parts: path probes query events mem bigjob
# enforce lockwait scrape)
# runs only those, in the -icount boot, and leaves results.json and the
# tables of bench/README.md alone.
BENCH ?=
# lockwait needs two vCPUs at once: the plain TCG boot
BENCH_MODES ?= $(if $(filter lockwait,$(subst $(comma), ,$(BENCH))),wall,icount)
bench: all
ifeq ($(BENCH),)
	@$(ROOT)/scripts/bench/bench.sh --out $(ROOT)/bench/results.json \
		--readme $(ROOT)/bench/README.md $(KERNELS)
else
	@$(ROOT)/scripts/bench/bench.sh --parts $(BENCH) --modes $(BENCH_MODES) \
		--out $(BUILD)/bench/results-$(subst $(comma),-,$(BENCH)).json $(KERNELS)
endif

# Debian packages for building, testing and the demo (as root).
deps:
	@$(ROOT)/scripts/deps.sh

# T='test_netlink*' runs a subset (and skips the host-side checks).
check: all $(if $(T),,host-checks)
	@$(ROOT)/scripts/check/check.sh "$(KERNELS)" $(T)

# Host-side parts of make check: the spec against the kernel's generator,
# the DKMS build for every kernel, make install into a staging tree, and a
# build against a PREEMPT_RT kernel that must be refused.
host-checks: spec-check dkms-check install-check rt-check

rt-check:
	@$(ROOT)/scripts/check/rt-check.sh

# spec/xos_job.yaml through the kernel's ynl-gen-c.py: kmod/netlink-gen.[ch]
# must be what it generates, the uapi header's constants what it defines
spec-check: headers
	@$(ROOT)/scripts/check/spec-check.sh $(BUILD)

# after a change of spec/xos_job.yaml: regenerate kmod/netlink-gen.[ch]
spec-gen: headers
	@$(ROOT)/scripts/check/spec-check.sh --update $(BUILD)

# The suite on a debug 6.12 built from linux-source-6.12 (cached in cache/;
# the first build takes 23 CPU-minutes, 12-45 minutes wall). T= as for check.
# The tests are built for its time scale (selftests/harness.h).
check-debug: export XOS_TIME_SCALE ?= 15
check-debug: userspace selftests bench-bin
	@$(ROOT)/scripts/debug-kernel/check-debug.sh $(T)

# Proves that make check fails on a failing test, a WARN and a hung guest.
check-harness: all
	@$(ROOT)/scripts/check/check-harness.sh $(KERNEL)

VM_TIMEOUT ?= 600
vm-run: all
	@$(ROOT)/scripts/guest/vm.sh --timeout $(VM_TIMEOUT) $(KERNEL) -- "$$XOS_VM_CMD"

# The netlink fuzzer (selftests/test_fuzz.c) in the guest, as long as asked:
# FUZZ_SECONDS of time or FUZZ_COUNT messages, shared between root, uid
# 65534 and uid 65534 as root of a user (and network) namespace.
FUZZ_SECONDS ?=
FUZZ_COUNT ?= 100000
FUZZ_SEED ?=
fuzz: all
	@$(ROOT)/scripts/guest/vm.sh --timeout $$(( $(or $(FUZZ_SECONDS),$(if $(FUZZ_COUNT),$(FUZZ_COUNT) / 100,200)) + 600 )) \
		$(KERNEL) -- XOS_FUZZ_SECONDS=$(FUZZ_SECONDS) XOS_FUZZ_COUNT=$(FUZZ_COUNT) \
		XOS_FUZZ_SEED=$(FUZZ_SEED) $(BUILD)/selftests/test_fuzz

run: all
	@$(ROOT)/scripts/guest/vm.sh --timeout 120 $(KERNEL) -- $(ROOT)/scripts/guest/demo.sh

# Slurm (munged, slurmctld, slurmd) and sshd in the guest: a batch job is
# an xos_job, an ssh login lands in it, scancel kills what is left.
run-slurm: all
	@$(ROOT)/scripts/guest/vm.sh --timeout 300 $(KERNEL) -- $(ROOT)/scripts/guest/demo-slurm.sh

shell: all
	@$(ROOT)/scripts/guest/vm.sh --shell $(KERNEL)

checkpatch:
	@$(ROOT)/scripts/check/checkpatch.sh

# --- install -----------------------------------------------------------
# The module goes to the running kernel (or INSTALL_KERNEL) under extra/;
# depmod runs on a real install only (a DESTDIR is a package's staging
# tree: its postinst runs depmod).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
LIBEXECDIR ?= $(PREFIX)/libexec
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
INSTALL_KERNEL ?= $(shell uname -r)
VERSION := $(shell sed -n 's/^\#define XOS_JOB_MODULE_VERSION "\(.*\)"/\1/p' $(ROOT)/kmod/version.h)
MODDIR := /lib/modules/$(INSTALL_KERNEL)/extra
U := $(BUILD)/userspace
# Where Debian's Slurm and PAM look, whatever PREFIX is: slurmd's plugin
# directory (any path works in plugstack.conf; this one is Slurm's own),
# and the PAM module directory that a bare "pam_xosjob.so" resolves to.
MULTIARCH ?= $(shell $(CC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
SLURM_PLUGINDIR ?= /usr/lib/$(MULTIARCH)/slurm-wlm
PAMDIR ?= /lib/$(MULTIARCH)/security
INSTALLED := $(MODDIR)/xos_job.ko $(BINDIR)/xosjob \
	$(SLURM_PLUGINDIR)/spank_xos_job.so $(PAMDIR)/pam_xosjob.so \
	$(LIBEXECDIR)/xos_job/xosjob-sshrc \
	$(MANDIR)/man8/spank_xos_job.8 $(MANDIR)/man8/pam_xosjob.8 \
	$(LIBDIR)/libxosjob.so.0 $(LIBDIR)/libxosjob.so $(LIBDIR)/libxosjob.a \
	$(LIBDIR)/pkgconfig/libxosjob.pc $(INCLUDEDIR)/xosjob.h \
	$(INCLUDEDIR)/linux/xos_job.h $(MANDIR)/man8/xosjob.8 \
	$(MANDIR)/man7/xos_job.7 $(DATADIR)/bash-completion/completions/xosjob \
	$(DATADIR)/doc/xos_job/xosjob-collect.service

# NOBUILD=1 installs what build/ holds (the guest's install test: building
# a module under TCG takes minutes).
install: $(if $(NOBUILD),,userspace module-$(INSTALL_KERNEL))
	install -D -m 0644 $(BUILD)/$(INSTALL_KERNEL)/xos_job.ko $(DESTDIR)$(MODDIR)/xos_job.ko
	install -D -m 0755 $(U)/xosjob $(DESTDIR)$(BINDIR)/xosjob
	install -D -m 0755 $(U)/libxosjob.so.0 $(DESTDIR)$(LIBDIR)/libxosjob.so.0
	ln -sf libxosjob.so.0 $(DESTDIR)$(LIBDIR)/libxosjob.so
	install -D -m 0644 $(U)/libxosjob.a $(DESTDIR)$(LIBDIR)/libxosjob.a
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
		$(ROOT)/userspace/libxosjob.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/libxosjob.pc
	install -D -m 0644 $(ROOT)/userspace/xosjob.h $(DESTDIR)$(INCLUDEDIR)/xosjob.h
	install -D -m 0644 $(ROOT)/uapi/linux/xos_job.h $(DESTDIR)$(INCLUDEDIR)/linux/xos_job.h
	install -D -m 0644 $(ROOT)/doc/xosjob.8 $(DESTDIR)$(MANDIR)/man8/xosjob.8
	install -D -m 0644 $(ROOT)/doc/xos_job.7 $(DESTDIR)$(MANDIR)/man7/xos_job.7
	install -D -m 0644 $(U)/spank_xos_job.so $(DESTDIR)$(SLURM_PLUGINDIR)/spank_xos_job.so
	install -D -m 0644 $(U)/pam_xosjob.so $(DESTDIR)$(PAMDIR)/pam_xosjob.so
	install -D -m 0755 $(U)/xosjob-sshrc $(DESTDIR)$(LIBEXECDIR)/xos_job/xosjob-sshrc
	install -D -m 0644 $(ROOT)/doc/spank_xos_job.8 $(DESTDIR)$(MANDIR)/man8/spank_xos_job.8
	install -D -m 0644 $(ROOT)/doc/pam_xosjob.8 $(DESTDIR)$(MANDIR)/man8/pam_xosjob.8
	install -D -m 0644 $(ROOT)/userspace/xosjob.bash-completion \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/xosjob
	install -D -m 0644 $(ROOT)/doc/xosjob-collect.service \
		$(DESTDIR)$(DATADIR)/doc/xos_job/xosjob-collect.service
	$(if $(DESTDIR),,depmod -a $(INSTALL_KERNEL) && ldconfig)

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(DATADIR)/doc/xos_job $(DESTDIR)$(LIBEXECDIR)/xos_job 2>/dev/null
	$(if $(DESTDIR),,depmod -a $(INSTALL_KERNEL) && ldconfig)

# DKMS: the source into /usr/src/xos_job-VERSION, then add, build, install
# for every installed kernel.
dkms-install:
	$(ROOT)/scripts/packaging/dkms-source.sh /usr/src/xos_job-$(VERSION)
	dkms add -m xos_job -v $(VERSION) || true
	dkms autoinstall

dkms-uninstall:
	-dkms remove -m xos_job -v $(VERSION) --all
	rm -rf /usr/src/xos_job-$(VERSION)

# dkms add + build for every kernel in KERNELS, in a private tree under build/
dkms-check:
	@$(ROOT)/scripts/packaging/dkms-check.sh $(BUILD) "$(KERNELS)"

# make install DESTDIR=<tmp>: the complete tree, a program built against it,
# the man pages, then make uninstall leaves nothing behind
install-check: all
	@$(ROOT)/scripts/packaging/install-check.sh

clean:
	rm -rf $(BUILD)
