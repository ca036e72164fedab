"""The ethdev suite (docs/conformance.md), E7: the datapath (tx and rx bursts, well-formed mbufs, loops, queues,
RSS)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from kit.conformance.applicability import reason_not_applicable
from kit.conformance.plugin import KitTarget
from kit.conformance.suites.ethdev.dut import (
    DRAIN_POLLS,
    LOOP_POLLS,
    Dut,
    drain,
    errno_of,
    send_all,
)
from kit.harness import Port, RxPacket

# -- E7 datapath -----------------------------------------------------------------------------------------


@pytest.mark.check("E7")
@pytest.mark.parametrize("n", [1, 32, 256])
def test_e7_tx_takes_at_most_n_and_leaves_the_rest(dut: Dut, n: int) -> None:
    port = dut.setup()
    mbufs = dut.pool.alloc_bulk(n)
    for i, m in enumerate(mbufs):
        m.append(dut.frames(1, i)[0])
    taken = port.tx_burst_mbufs(mbufs)
    assert 0 <= taken <= n, f"tx burst of {n} returned {taken}"
    for m in mbufs[taken:]:
        fields = m.fields()
        assert fields.refcnt == 1 and m.check() is None, (
            f"an mbuf the driver did not take (tx returned {taken} of {n}) was touched: refcnt {fields.refcnt}, "
            f"{m.check()}")
        m.free()


def _well_formed(pkt: object, port: Port, pools: set[int], check_port: bool) -> list[str]:
    assert isinstance(pkt, RxPacket)
    head, segs, problems = pkt.fields, pkt.segments, []
    if pkt.mbuf is not None and (reason := pkt.mbuf.check()) is not None:
        problems.append(f"rte_mbuf_check: {reason}")
    if head.pkt_len != sum(s.data_len for s in segs):
        problems.append(f"pkt_len {head.pkt_len} != sum of segment data_len {sum(s.data_len for s in segs)}")
    if head.nb_segs != len(segs):
        problems.append(f"nb_segs {head.nb_segs} but {len(segs)} segments chained")
    if segs[-1].next != 0:
        problems.append("last segment's next is not NULL")
    for s in segs:
        if s.data_off + s.data_len > s.buf_len:
            problems.append(f"data_off {s.data_off} + data_len {s.data_len} > buf_len {s.buf_len}")
        if s.refcnt != 1:
            problems.append(f"refcnt {s.refcnt}, want 1")
        if s.pool not in pools:
            problems.append(f"mbuf of pool {s.pool:#x}, not of the queue's pool")
    if check_port and head.port != port.port_id:
        problems.append(f"port {head.port}, want {port.port_id}")
    return problems


@pytest.mark.check("E7")
def test_e7_received_mbufs_are_well_formed(dut: Dut, not_applicable: Callable[[str], None],
                                           kit_target: KitTarget) -> None:
    port = dut.setup()
    send_all(port, dut.frames(32))
    received = []
    for _ in range(DRAIN_POLLS):
        received += port.rx_burst(0, 32, keep=True)
        if len(received) >= 32:
            break
    if not received:
        not_applicable("E7.rx")
    check_port = reason_not_applicable(kit_target.driver, "E7.mbuf_port") is None
    try:
        assert received, "nothing received after 32 frames were sent (declare E7.rx if the driver cannot receive)"
        pools = {dut.pool.address}
        for i, pkt in enumerate(received):
            problems = _well_formed(pkt, port, pools, check_port)
            assert not problems, f"received mbuf {i}: " + "; ".join(problems)
    finally:
        for pkt in received:
            if pkt.mbuf is not None and pkt.mbuf.alive:
                pkt.mbuf.free()


@pytest.mark.check("E7")
def test_e7_payload_survives_a_loop(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    """Steps: send 200 distinct frames, receive until all are back (bounded polls).
    Verify: every frame comes back exactly once, byte for byte."""
    not_applicable("E7.loop")
    port = dut.setup()
    sent_frames = dut.frames(200, 7)
    sent, received = send_all(port, sent_frames, receive=lambda: [p.data for p in port.rx_burst(0, 32)])
    for _ in range(LOOP_POLLS):
        if len(received) >= sent:
            break
        received += [p.data for p in port.rx_burst(0, 32)]
    want, got = Counter(sent_frames[:sent]), Counter(received)
    missing, extra = want - got, got - want
    assert not missing and not extra, (
        f"{sent} frames sent, {len(received)} received: {sum(missing.values())} missing or changed, "
        f"{sum(extra.values())} unexpected (first unexpected: {next(iter(extra), b'').hex()[:80]})")


def _multiqueue_traffic(dut: Dut) -> tuple[int, list[bytes], list[bytes]]:
    info = dut.info
    nq = min(4, info.max_rx_queues, info.max_tx_queues)
    port = dut.setup(nq, nq)
    sent: list[bytes] = []
    for q in range(nq):
        pkts = dut.frames(24, 0x40 + q)
        k, _ = send_all(port, pkts, q)
        assert k >= 1, f"tx queue {q} of {nq} took no frame"
        sent += pkts[:k]
    return nq, sent, drain(port, nq, LOOP_POLLS)


@pytest.mark.check("E7")
def test_e7_every_queue_takes_frames(dut: Dut) -> None:
    """Steps: configure up to 4 queue pairs, send distinct frames on each tx queue, receive on every rx queue.
    Verify: each tx queue takes frames on its own, every rx queue answers."""
    nq, _, _ = _multiqueue_traffic(dut)
    for q in range(nq):
        dut.port.rx_burst(q, 1)


@pytest.mark.check("E7")
def test_e7_multiqueue_loop_returns_each_frame_once(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    """Where the driver loops: frames sent over several queues all come back, each exactly once."""
    not_applicable("E7.loop")
    nq, sent, received = _multiqueue_traffic(dut)
    want, got = Counter(sent), Counter(received)
    assert want == got, (f"{len(sent)} frames sent over {nq} queues, {len(received)} received: "
                         f"{sum((want - got).values())} missing, {sum((got - want).values())} unexpected")


@pytest.mark.check("E7")
def test_e7_rss_spreads_flows_or_is_refused(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    info = dut.info
    nq = min(4, info.max_rx_queues, info.max_tx_queues)
    if info.flow_type_rss_offloads == 0:
        got = errno_of(lambda: dut.port.configure(nq, nq, mq_mode="rss", rss_hf=0x4))
        assert got is not None, "a port without RSS types (flow_type_rss_offloads 0) accepted an RSS configuration"
        return
    not_applicable("E7.loop")
    rss_hf = info.flow_type_rss_offloads & (0x4 | 0x80 | 0x20)  # IPv4, non-frag UDP, frag IPv4 where offered
    port = dut.setup(nq, nq, mq_mode="rss", rss_hf=rss_hf or info.flow_type_rss_offloads)
    send_all(port, dut.udp_frames(64))
    queues = set()
    for q in range(nq):
        for _ in range(DRAIN_POLLS):
            burst = port.rx_burst(q, 32)
            if not burst:
                break
            queues.add(q)
    assert len(queues) >= 2, f"64 UDP flows with RSS over {nq} queues all arrived on queue(s) {sorted(queues)}"
