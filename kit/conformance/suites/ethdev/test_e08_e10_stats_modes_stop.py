"""The ethdev suite (docs/conformance.md), E8-E10: statistics, promiscuous/allmulticast/MTU, stop."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kit.conformance.suites.ethdev.dut import (
    LOOP_POLLS,
    Dut,
    drain,
    errno_of,
    send_all,
)
from kit.harness import MempoolAuditError, Port, Stats

# -- E8 stats --------------------------------------------------------------------------------------------


def _all_zero(port: Port) -> dict[str, int]:
    s = port.stats()
    fields = {"ipackets": s.ipackets, "opackets": s.opackets, "ibytes": s.ibytes, "obytes": s.obytes,
              "imissed": s.imissed, "ierrors": s.ierrors, "oerrors": s.oerrors, "rx_nombuf": s.rx_nombuf}
    return {k: v for k, v in fields.items() if v}


def _counted_traffic(dut: Dut, port: Port) -> tuple[int, int, int, int]:
    """Traffic after a reset: (packets sent, bytes sent, packets received, bytes received) as the caller saw it."""
    port.stats_reset()
    pkts = dut.frames(64, 2)
    sent, received = send_all(port, pkts, receive=lambda: [p.data for p in port.rx_burst(0, 32)])
    for _ in range(8):
        received += [p.data for p in port.rx_burst(0, 32)]
    return sent, sum(len(p) for p in pkts[:sent]), len(received), sum(len(p) for p in received)


@pytest.mark.check("E8")
def test_e8_stats_zero_after_reset(dut: Dut) -> None:
    port = dut.setup()
    send_all(port, dut.frames(40, 1))
    drain(port, 1, 4)
    port.stats_reset()
    nonzero = _all_zero(port)
    assert not nonzero, f"stats after rte_eth_stats_reset are not zero: {nonzero}"


def _traffic_then_stats(dut: Dut) -> tuple[int, int, int, int, Stats]:
    """Counted traffic on a freshly set-up port (frames sent, bytes sent, frames and bytes received), then its
    stats."""
    port = dut.setup()
    send_all(port, dut.frames(16, 1))
    drain(port, 1, 4)
    sent, obytes, received, ibytes = _counted_traffic(dut, port)
    return sent, obytes, received, ibytes, port.stats()


@pytest.mark.check("E8")
def test_e8_packet_counts_match_traffic(dut: Dut) -> None:
    sent, _, received, _, s = _traffic_then_stats(dut)
    assert (s.opackets, s.ipackets) == (sent, received), (
        f"stats say {s.opackets} packets sent and {s.ipackets} received; the driver took {sent} and "
        f"returned {received}")


@pytest.mark.check("E8")
def test_e8_byte_counts_match_traffic(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    not_applicable("E8.bytes")
    _, obytes, _, ibytes, s = _traffic_then_stats(dut)
    assert (s.obytes, s.ibytes) == (obytes, ibytes), (
        f"stats say {s.obytes} bytes sent and {s.ibytes} received; the traffic was {obytes} and {ibytes} bytes")


@pytest.mark.check("E8")
def test_e8_xstats_names_and_values_agree(dut: Dut) -> None:
    port, lib = dut.setup(), dut.eal.lib
    send_all(port, dut.frames(8))
    ffi = dut.eal.ffi
    names = lib.rte_eth_xstats_get_names(port.port_id, ffi.NULL, 0)
    values = lib.rte_eth_xstats_get(port.port_id, ffi.NULL, 0)
    assert names >= 0 and names == values, f"xstats: {names} names but {values} values"
    x, s = port.xstats(), port.stats()
    assert len(x) == names
    for key, want in (("rx_good_packets", s.ipackets), ("tx_good_packets", s.opackets)):
        if key in x:
            assert x[key] == want, f"xstat {key} is {x[key]}, stats say {want}"
    port.xstats_reset()
    nonzero = {k: v for k, v in port.xstats().items() if v and ("packets" in k or "bytes" in k)}
    assert not nonzero, f"packet/byte xstats after rte_eth_xstats_reset: {nonzero}"


# -- E9 promiscuous, allmulticast, MTU -------------------------------------------------------------------


@pytest.mark.check("E9")
@pytest.mark.parametrize("mode", ["promiscuous", "allmulticast"])
def test_e9_mode_answers_and_reads_back(dut: Dut, mode: str) -> None:
    port = dut.port
    get = getattr(port, mode)
    for action, want in (("enable", True), ("disable", False), ("enable", True)):
        before = get()
        got = errno_of(getattr(port, f"{mode}_{action}"))
        assert got in (None, "ENOTSUP"), f"{mode}_{action} returned {got}; want 0 or ENOTSUP"
        now = get()
        expected = want if got is None else before
        assert now == expected, f"{mode}_{action} returned {got or 0} but the state reads {now}"


@pytest.mark.check("E9")
def test_e9_mtu_in_range_accepted_out_of_range_refused(dut: Dut) -> None:
    """In-range MTUs return 0 or -ENOTSUP and read back; one whose frame does not fit the rx queue's buffers
    may also be refused with -EINVAL (no scatter); out-of-range MTUs are refused."""
    port, info = dut.port, dut.info
    original = port.mtu()
    room = dut.pool.max_packet_len  # the canonical rx queue's buffers
    in_range = sorted({max(info.min_mtu, 68), 1500, min(info.max_mtu, 2000), min(info.max_mtu, 9000)})
    in_range = [m for m in in_range if info.min_mtu <= m <= info.max_mtu and m + 18 <= info.max_rx_pktlen]
    try:
        for mtu in in_range:
            got = errno_of(lambda m=mtu: port.set_mtu(m))  # type: ignore[misc]
            allowed = (None, "ENOTSUP", "EINVAL") if mtu + 18 > room else (None, "ENOTSUP")
            assert got in allowed, (f"set_mtu({mtu}) within [{info.min_mtu}, {info.max_mtu}], frames fitting the rx "
                                    f"buffers ({room} bytes), returned {got}; want 0 or ENOTSUP")
            if got is None:
                assert port.mtu() == mtu, f"set_mtu({mtu}) returned 0 but the MTU reads {port.mtu()}"
        for mtu in (info.min_mtu - 1, info.max_mtu + 1):
            if 0 < mtu <= 0xFFFF:
                got = errno_of(lambda m=mtu: port.set_mtu(m))  # type: ignore[misc]
                assert got is not None, f"set_mtu({mtu}) outside [{info.min_mtu}, {info.max_mtu}] succeeded"
    finally:
        errno_of(lambda: port.set_mtu(original))


# -- E10 stop --------------------------------------------------------------------------------------------


@pytest.mark.check("E10")
def test_e10_stop_twice_link_down_and_no_mbuf_kept(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    port = dut.port
    port.configure(1, 1)
    port.rx_queue_setup(0, dut.pool, 0)
    port.tx_queue_setup(0, 0)
    avail = dut.pool.avail_count()
    port.start()
    send_all(port, dut.frames(128, 3))
    drain(port, 1, LOOP_POLLS)
    port.stop()
    got = errno_of(port.stop)
    assert got is None, f"a second stop failed with {got}; it must be harmless"
    # A stopped port's tx queue holds nothing it may free again (the op is optional: ENOTSUP is an answer).
    errno_of(lambda: port.tx_done_cleanup(0))
    try:
        dut.pool.audit()
    except MempoolAuditError as exc:
        pytest.fail(f"tx_done_cleanup on the stopped port returned mbufs to the pool twice: {exc}")
    port.configure(1, 1)
    port.rx_queue_setup(0, dut.pool)  # releases the queue the traffic went through
    port.tx_queue_setup(0)
    lost = avail - dut.pool.avail_count()
    assert lost <= 0, (f"{lost} mbufs still held after the port was drained, stopped and its queues released: "
                       "the driver lost mbufs it took")
    if port.link().up:
        not_applicable("E10.link_down")
    assert not port.link().up, "the link is still up after stop (a virtual port's link must go down)"
