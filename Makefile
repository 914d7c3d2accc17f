# SPDX-License-Identifier: GPL-2.0
# linkcrypt: build, test and demo.  See README.md.
#
#   make                 module for every target kernel, lcctl, plugin, tests
#   make check           everything, then the tests in a VM per kernel
#   make check KERNELS=6.1 T=lc_netns.sh    one kernel, one test
#   make check-debug     the tests on the debug kernel (KASAN, lockdep,
#                        kmemleak ...; built first by scripts/debug-kernel)
#   make lint            checkpatch --strict, sparse and W=1 on both kernels
#   make check-dist      man pages, netlink spec, completion, install, DKMS
#   make demo            the main job (see README.md)
#   make bench [KERNELS=6.1]   linkcrypt against WireGuard, MACsec, IPsec in
#                        a VM per kernel (docs/performance.md); build/bench/
#   make KDIR=/path/to/kernel/build module  the module for one kernel tree
#   make install [DESTDIR=DIR]   install what make built (see below)
#   make uninstall [DESTDIR=DIR] remove exactly what make install put
#
# Every other target first makes sure the machine has what it needs
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

.PHONY: all deps module userspace selftests lint unit check check-dist demo \
	bench clean help install uninstall check-debug

all: module userspace selftests

comma := ,
deps:
	@$(REPO)/scripts/install-deps
	@$(REPO)/scripts/ksft-framework
	$(if $(filter debug,$(subst $(comma), ,$(KERNELS))),@$(REPO)/scripts/debug-kernel >/dev/null)

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
	@$(REPO)/scripts/bench-build

# Host-side suites, run through the kernel's kselftest runner like the VM
# ones: static checks of the module, and lcctl's unit tests under ASan/UBSan.
lint: deps
	@$(REPO)/scripts/host-tests lint

unit: deps
	@$(REPO)/scripts/host-tests unit

check-dist: deps
	@$(REPO)/scripts/host-tests dist

check: all
	@mkdir -p $(BUILD)/check
	@$(REPO)/scripts/host-tests lint unit dist | tee $(BUILD)/check/host.ktap
	@$(REPO)/scripts/check --extra-ktap host=$(BUILD)/check/host.ktap

# Not in CI (it takes longer than CI allows beside the stock kernels): run
# it before resolving any kernel-side issue (README.md, "How it is tested").
check-debug:
	@$(MAKE) --no-print-directory check KERNELS=debug

demo: all
	@$(REPO)/scripts/demo

bench: all
	@$(REPO)/scripts/bench

clean:
	rm -rf $(BUILD)

# --- install / uninstall -----------------------------------------------------
#
# "make install" copies what "make" built: it builds nothing and runs no
# install-deps, so it works as root from a read-only tree, and it writes
# only below $(DESTDIR).  Its parts can be installed alone:
#   install-module  linkcrypt.ko of every kernel in build/kernels/ to
#                   /lib/modules/KVER/$(MODSUBDIR)/, then "depmod KVER" if
#                   $(DESTDIR)/lib/modules/KVER/modules.dep exists (a
#                   staging DESTDIR gets no partial modules.dep)
#   install-tools   lcctl to $(SBINDIR), the ip plugin to $(IPLIBDIR)
#   install-data    man pages lcctl(8) and linkcrypt(7), bash completion,
#                   the uapi header $(INCLUDEDIR)/linux/linkcrypt.h
#   install-dkms    the module's sources and dkms.conf to $(DKMSDIR), for
#                   "dkms install linkcrypt/VERSION", which rebuilds it for
#                   every new kernel (use DKMS or install-module, not both)
#   install-systemd the template unit lcctl@.service to $(SYSTEMDUNITDIR)
#                   and its helper $(LIBEXECDIR)/linkcrypt/ensure-device
# "make uninstall" removes exactly those files (and, without DESTDIR, the
# DKMS registration of this version, which would point at nothing).

VERSION := $(shell sed -n 's/^\#define LC_VERSION[[:space:]]*"\(.*\)"/\1/p' \
		$(REPO)/module/lc_consts.h)
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
INCLUDEDIR ?= $(PREFIX)/include
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
# Where Debian's ip looks for plugins, whatever PREFIX is.
IPLIBDIR ?= /usr/lib$(if $(MULTIARCH),/$(MULTIARCH))/ip
DKMSDIR ?= /usr/src/linkcrypt-$(VERSION)
LIBEXECDIR ?= $(PREFIX)/libexec
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
MODSUBDIR ?= updates
D = $(DESTDIR)

# (Not the debug kernel's: it exists only for make check-debug.)
INSTALL_MODS = $(filter-out %-lcdebug/module/linkcrypt.ko,\
	$(wildcard $(BUILD)/kernels/*/module/linkcrypt.ko))
DATA_FILES = $(D)$(MANDIR)/man8/lcctl.8 $(D)$(MANDIR)/man7/linkcrypt.7 \
	     $(D)$(BASHCOMPDIR)/lcctl $(D)$(INCLUDEDIR)/linux/linkcrypt.h
TOOL_FILES = $(D)$(SBINDIR)/lcctl $(D)$(IPLIBDIR)/link_linkcrypt.so
SYSTEMD_FILES = $(D)$(SYSTEMDUNITDIR)/lcctl@.service \
		$(D)$(LIBEXECDIR)/linkcrypt/ensure-device
# The unit and its helper name the installed programs.
SUBST_PATHS = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g'

.PHONY: install-module install-tools install-data install-dkms install-systemd \
	version-check

# depmod KVER, when DESTDIR holds that kernel's module tree.
define lc_depmod
	if [ -f "$(D)/lib/modules/$(1)/modules.dep" ]; then \
		depmod -a $(if $(D),-b "$(D)") "$(1)"; \
	else \
		echo "  SKIP    depmod $(1): no $(D)/lib/modules/$(1)/modules.dep"; \
	fi
endef

version-check:
	@[ -n "$(VERSION)" ] || { echo "no LC_VERSION in module/lc_consts.h" >&2; exit 1; }

install: install-module install-tools install-data install-dkms install-systemd

install-module:
	@[ -n "$(INSTALL_MODS)" ] || { echo "install: no build/kernels/*/module/linkcrypt.ko; run make first" >&2; exit 1; }
	@set -e; for ko in $(INSTALL_MODS); do \
		k=$$(basename "$$(dirname "$$(dirname "$$ko")")"); \
		echo "  INSTALL $(D)/lib/modules/$$k/$(MODSUBDIR)/linkcrypt.ko"; \
		install -D -m 0644 "$$ko" "$(D)/lib/modules/$$k/$(MODSUBDIR)/linkcrypt.ko"; \
		$(call lc_depmod,$$k); \
	done

install-tools:
	@for f in $(BUILD)/userspace/lcctl $(BUILD)/userspace/link_linkcrypt.so; do \
		[ -f "$$f" ] || { echo "install: $$f missing; run make first" >&2; exit 1; }; \
	done
	install -D -m 0755 $(BUILD)/userspace/lcctl $(D)$(SBINDIR)/lcctl
	install -D -m 0644 $(BUILD)/userspace/link_linkcrypt.so $(D)$(IPLIBDIR)/link_linkcrypt.so

install-data:
	install -D -m 0644 $(REPO)/dist/man/lcctl.8 $(D)$(MANDIR)/man8/lcctl.8
	install -D -m 0644 $(REPO)/dist/man/linkcrypt.7 $(D)$(MANDIR)/man7/linkcrypt.7
	install -D -m 0644 $(REPO)/dist/bash-completion/lcctl $(D)$(BASHCOMPDIR)/lcctl
	install -D -m 0644 $(REPO)/module/include/uapi/linux/linkcrypt.h \
		$(D)$(INCLUDEDIR)/linux/linkcrypt.h

install-dkms: version-check
	@echo "  INSTALL $(D)$(DKMSDIR)"
	@install -d $(D)$(DKMSDIR)/module/include/uapi/linux
	@sed 's/@VERSION@/$(VERSION)/g' $(REPO)/dist/dkms.conf.in >$(D)$(DKMSDIR)/dkms.conf
	@chmod 0644 $(D)$(DKMSDIR)/dkms.conf
	@install -m 0644 $(REPO)/Kbuild $(D)$(DKMSDIR)/Kbuild
	@install -m 0644 $(REPO)/module/Kbuild $(REPO)/module/*.[ch] $(D)$(DKMSDIR)/module/
	@install -m 0644 $(REPO)/module/include/uapi/linux/linkcrypt.h \
		$(D)$(DKMSDIR)/module/include/uapi/linux/

install-systemd:
	@echo "  INSTALL $(D)$(SYSTEMDUNITDIR)/lcctl@.service"
	@install -d $(D)$(SYSTEMDUNITDIR) $(D)$(LIBEXECDIR)/linkcrypt
	@$(SUBST_PATHS) $(REPO)/dist/systemd/lcctl@.service.in >$(D)$(SYSTEMDUNITDIR)/lcctl@.service
	@chmod 0644 $(D)$(SYSTEMDUNITDIR)/lcctl@.service
	@$(SUBST_PATHS) $(REPO)/dist/systemd/ensure-device.in >$(D)$(LIBEXECDIR)/linkcrypt/ensure-device
	@chmod 0755 $(D)$(LIBEXECDIR)/linkcrypt/ensure-device

uninstall: version-check
	@if [ -z "$(D)" ] && command -v dkms >/dev/null && \
	    [ -n "$$(dkms status linkcrypt/$(VERSION) 2>/dev/null)" ]; then \
		echo "  DKMS    remove linkcrypt/$(VERSION) --all"; \
		dkms remove linkcrypt/$(VERSION) --all; \
	fi
	@set -e; for ko in $(D)/lib/modules/*/$(MODSUBDIR)/linkcrypt.ko; do \
		[ -f "$$ko" ] || continue; \
		k=$$(basename "$$(dirname "$$(dirname "$$ko")")"); \
		echo "  RM      $$ko"; \
		rm -f "$$ko"; \
		$(call lc_depmod,$$k); \
	done
	rm -f $(TOOL_FILES) $(DATA_FILES) $(SYSTEMD_FILES)
	@rmdir $(D)$(LIBEXECDIR)/linkcrypt 2>/dev/null || true
	rm -rf $(D)$(DKMSDIR)

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' $(REPO)/Makefile
