#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
#
# Run the driver under DPDK's own programs, as a user would:
#   dpdk-test mempool_autotest, and dpdk-testpmd forwarding between two
#   net_null ports with the driver as the mbuf pool.
# Usage: peers.sh PLUGIN.so OPS_NAME
set -u

plugin=$1
ops=$2
dpdk_test=${DPDK_TEST_BIN:-dpdk-test}
testpmd=${TESTPMD_BIN:-dpdk-testpmd}
log=$(mktemp)
status=0

# The runtime directory EAL uses for a file prefix (it leaves it behind).
runtime_dir() {
	if [ "$(id -u)" -eq 0 ]; then
		echo "/var/run/dpdk/$1"
	else
		echo "${XDG_RUNTIME_DIR:-/tmp}/dpdk/$1"
	fi
}

fail() {
	echo "FAIL: $*"
	echo "---- output ----"
	tail -n 40 "$log"
	status=1
}

# mempool_autotest needs two lcores, even for DPDK's own drivers.
prefix="kit_peers_autotest_$$"
DPDK_TEST=mempool_autotest timeout 240 "$dpdk_test" --no-huge --no-pci \
	-m 1024 -l 0-1 --file-prefix "$prefix" -d "$plugin" \
	--mbuf-pool-ops-name "$ops" </dev/null >"$log" 2>&1
rc=$?
rm -rf "$(runtime_dir "$prefix")"
if [ $rc -eq 0 ] && grep -q "Test OK" "$log"; then
	echo "ok - mempool_autotest"
else
	fail "mempool_autotest (exit $rc)"
fi

# testpmd: commands are fed with pauses so forwarding runs for a while.
# --total-num-mbufs: the default (~155k mbufs of 2176 bytes) exceeds -m 512.
prefix="kit_peers_testpmd_$$"
{
	sleep 1
	echo "start tx_first"
	sleep 2
	echo "show port stats all"
	echo "stop"
	sleep 1
	echo "quit"
} | timeout 60 "$testpmd" --no-huge --no-pci -m 512 -l 0-1 \
	--file-prefix "$prefix" -d "$plugin" \
	--vdev net_null0 --vdev net_null1 --mbuf-pool-ops-name "$ops" \
	-- -i --forward-mode=io --total-num-mbufs=8192 >"$log" 2>&1
rc=$?
rm -rf "$(runtime_dir "$prefix")"
# "stop" prints the totals: "RX-packets: N  RX-dropped: ... RX-total: ..."
fwd=$(sed -n '/Accumulated forward statistics/,/^ *+++/p' "$log" |
	sed -n 's/.*RX-packets: *\([0-9]*\).*/\1/p' | head -n 1)
if [ $rc -ne 0 ]; then
	fail "testpmd exit $rc"
elif ! grep -q "mempool ops selected: $ops" "$log"; then
	fail "testpmd did not use $ops"
elif [ -z "$fwd" ] || [ "$fwd" -eq 0 ]; then
	fail "testpmd forwarded no packets"
else
	echo "ok - testpmd forwarded $fwd packets"
fi

rm -f "$log"
exit $status
