"""The ethdev suite (docs/conformance.md), E25: rte_eth_dev_stop quiesces the port. Once stop returns, the
buffers of the rx queue's pool are the application's again: every one is back in the pool and nothing (a
NIC's DMA still in flight, a driver alarm or thread) writes into them afterwards.

After stop the burst functions are dummies (DPDK 22.11), so only an asynchronous writer can still write: the
check owns the rx queue's pool, takes every buffer it has right after stop, fills each whole buffer with a
pattern, waits, and looks for any change."""

from __future__ import annotations

import time

import pytest

from kit.conformance.suites.ethdev.dut import LOOP_POLLS, Dut, drain, send_all
from kit.harness.ethdev_lcore import BuffersTaken

WAIT_S = 0.2
POOL = 2048


@pytest.mark.check("E25")
def test_e25_stopped_port_gives_back_and_never_writes(dut: Dut) -> None:
    pool = dut.make_pool(POOL)
    port = dut.port
    port.configure(1, 1)
    port.rx_queue_setup(0, pool)
    port.tx_queue_setup(0)
    port.start()
    send_all(port, dut.frames(64, 0x25), receive=lambda: [p.data for p in port.rx_burst(0, 32)])
    drain(port, 1, LOOP_POLLS)
    port.stop()
    taken = BuffersTaken(pool)
    try:
        time.sleep(WAIT_S)
        written, offset = taken.written()
        count = taken.count
    finally:
        taken.give_back()
    assert written == 0, (
        f"{written} of the {count} buffers the rx queue's pool held right after rte_eth_dev_stop were written "
        f"within {int(WAIT_S * 1000)} ms (the first at byte {offset} of its buffer): the driver gave buffers back "
        "while something (a DMA in flight, an alarm, a thread) could still write into them; stop must wait until "
        "the device is done with its rings")
    assert count == pool.size, (
        f"right after rte_eth_dev_stop only {count} of the {pool.size} mbufs of the rx queue's pool are back (the "
        "port was drained first): stop must give back every buffer its rings hold")
