#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The iproute2 plugin, against Debian's real ip and the real module: every
# option, text and JSON output, help, and iproute2-style errors.
dir=$(cd "$(dirname "$0")" && pwd -P)
exec bash "$dir/../userspace/iplink/test-plugin.sh" "$dir/../build/userspace"
