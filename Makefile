# SPDX-License-Identifier: GPL-2.0
# linkcrypt: build, test and demo.  See README.md.
#
#   make                 module for every target kernel, lcctl, plugin, tests
#   make check           everything, then the tests in a VM per kernel
#   make check KERNELS=6.1 T=lc_netns.sh    one kernel, one test
#   make lint            checkpatch --strict, sparse and W=1 on both kernels
#   make demo            the main job (see README.md)
#   make KDIR=/path/to/kernel/build module  the module for one kernel tree
#
# Every target first makes sure the machine has what it needs
# (scripts/install-deps, as root, from Debian's archive).

REPO := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(REPO)/build
KSFT_DIR := $(BUILD)/ksft/linux-source-6.1/tools/testing/selftests

# The kernels to build for: KDIR= names one tree, else KERNELS= filters the
# installed targets (scripts/kernels).  Evaluated in recipes, after deps.
ifdef KDIR
KVERS_CMD := cat $(KDIR)/include/config/kernel.release
else
KVERS_CMD := $(REPO)/scripts/kernels $(KERNELS)
endif

# W=1 warnings are errors: the module is kept W=1 clean on every kernel.
MODULE_FLAGS := W=1 KCFLAGS=-Werror

.PHONY: all deps module userspace selftests lint unit check demo clean help

all: module userspace selftests

deps:
	@$(REPO)/scripts/install-deps
	@$(REPO)/scripts/ksft-framework

module: deps
	@set -e; kvers=$$($(KVERS_CMD)); \
	for k in $$kvers; do \
		echo "  MODULE  $$k"; \
		$(REPO)/scripts/build-module $$k $(MODULE_FLAGS) $(if $(C),C=$(C)); \
	done

userspace: deps
	@$(MAKE) -s -C userspace
	@$(MAKE) -s -C userspace/iplink

selftests: deps
	@$(MAKE) -s -C selftests

# Host-side suites, run through the kernel's kselftest runner like the VM
# ones: static checks of the module, and lcctl's unit tests under ASan/UBSan.
lint: deps
	@$(REPO)/scripts/host-tests lint

unit: deps
	@$(REPO)/scripts/host-tests unit

check: all
	@mkdir -p $(BUILD)/check
	@$(REPO)/scripts/host-tests lint unit | tee $(BUILD)/check/host.ktap
	@$(REPO)/scripts/check --extra-ktap host=$(BUILD)/check/host.ktap

demo: all
	@$(REPO)/scripts/demo

clean:
	rm -rf $(BUILD)

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' $(REPO)/Makefile
