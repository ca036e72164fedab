#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
#
# dpdk-testpmd forwards the model's generator (wire=gen) into net_null for
# GEN_SECONDS (default 10), as a user would run it.
# Verify: both ports forwarded frames and testpmd exits cleanly ("Bye...").
# Usage: testpmd_gen.sh PLUGIN.so
set -u

plugin=$1
testpmd=${TESTPMD_BIN:-dpdk-testpmd}
seconds=${GEN_SECONDS:-10}
prefix="{{ cookiecutter.name }}_testpmd_gen_$$"
log=$(mktemp)

if [ "$(id -u)" -eq 0 ]; then
	rundir="/var/run/dpdk/$prefix"
else
	rundir="${XDG_RUNTIME_DIR:-/tmp}/dpdk/$prefix"
fi
trap 'rm -rf "$rundir" "$log"' EXIT

(sleep "$seconds"; echo) | timeout $((seconds + 60)) "$testpmd" \
	--no-huge --no-pci -m 1024 -l 0-1 --file-prefix "$prefix" \
	-d "$plugin" --vdev net_{{ cookiecutter.name }}_sim0,wire=gen,gen_flows=64 \
	--vdev net_null0 -- --forward-mode=io --total-num-mbufs=16384 \
	>"$log" 2>&1
rc=$?

# "RX-packets: N" of each port's forward statistics, in port order.
rx=$(grep -A1 "Forward statistics for port" "$log" |
	sed -n 's/.*RX-packets: *\([0-9]*\).*/\1/p' | tr '\n' ' ')
tx=$(grep -A2 "Forward statistics for port" "$log" |
	sed -n 's/.*TX-packets: *\([0-9]*\).*/\1/p' | tr '\n' ' ')
set -- $rx
rx0=${1:-0}
set -- $tx
tx1=${2:-0}
echo "testpmd: exit $rc; port 0 ({{ cookiecutter.name }} sim, gen) RX $rx0; port 1 (null) TX $tx1 in ${seconds}s"
if [ "$rc" -ne 0 ] || [ "$rx0" -eq 0 ] || [ "$tx1" -eq 0 ] ||
		! grep -q "^Bye\.\.\." "$log"; then
	echo "FAIL: expected forwarded frames on both ports and a clean exit"
	tail -n 40 "$log"
	exit 1
fi
exit 0
