#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's first command: set the machine up, show that it is ready ('kit doctor') and run
# real DPDK with two net_null ports forwarding for a few seconds.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash ci/setup.sh
.venv/bin/kit doctor
prefix="kit-demo-$$"
trap 'rm -rf "/var/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/tmp}/dpdk/$prefix"' EXIT
echo "demo: dpdk-testpmd forwarding between net_null0 and net_null1 for 3 seconds"
(sleep 3; echo) | dpdk-testpmd --no-huge --no-pci -m 512 -l 0-1 --file-prefix "$prefix" --log-level=error \
	--vdev net_null0 --vdev net_null1 -- --forward-mode=io --total-num-mbufs=4096 |
	grep -E 'RX-packets|TX-packets|Forward statistics for port|Bye' || true
