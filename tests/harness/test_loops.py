"""The C-side loops (short runs: they are exercised, not benchmarked, here)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kit.harness import Eal, HarnessUsageError, Mempool, PktmbufPool, Port, fwd_loop, mempool_loop, rx_loop, tx_loop


@pytest.mark.parametrize("ops", ["ring_mp_mc", "ring_sp_sc", "stack"])
def test_mempool_loop(eal: Eal, ops: str) -> None:
    mp = Mempool.create(f"loop_{ops}", 1024, cache_size=64, ops_name=ops)
    res = mempool_loop(mp, bulk=32, n_keep=128, iterations=1000)
    assert res.ops == 128_000 and res.cycles > 0 and res.cycles_per_op < 10_000
    assert mp.avail_count() == 1024
    with pytest.raises(HarnessUsageError):
        mempool_loop(mp, bulk=32, n_keep=100)
    mp.free()


def test_packet_loops(port_of: Callable[..., Port], pktpool: PktmbufPool) -> None:
    a, b = port_of("net_null0"), port_of("net_null1")
    a.stats_reset()
    b.stats_reset()
    rx = rx_loop(a, burst=32, packets=10_000)
    assert rx.ops == 10_000 and rx.polls == 313
    tx = tx_loop(b, pktpool, burst=32, packets=10_000, pkt_len=64)
    assert tx.ops == 10_000 and tx.dropped == 0
    fwd = fwd_loop(a, b, burst=32, packets=10_000)
    assert fwd.ops == 10_000
    assert a.stats().ipackets == 20_000 and b.stats().opackets == 20_000
    assert pktpool.in_use_count() == 0
    with pytest.raises(HarnessUsageError):
        rx_loop(a, burst=0)


def test_ring_loop_no_packets_bounded(port_of: Callable[..., Port]) -> None:
    port = port_of("net_ring1")
    res = rx_loop(port, packets=10, max_polls=100)
    assert res.ops == 0 and res.polls == 100
