"""The ethdev suite (docs/conformance.md), E18: the MTU on the datapath (DTS `mtu`).

Frames up to the MTU pass, longer ones are dropped and counted in ierrors; an MTU that rte_eth_dev_configure
raised past the rx queues' buffers is refused (configure, queue setup or start fails) or handled (the frames
come back whole), never silently lost. E9 already checks that rte_eth_dev_set_mtu refuses MTUs outside
[min_mtu, max_mtu]."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kit.conformance.suites.ethdev.dut import Dut, drain, errno_of
from kit.conformance.suites.ethdev.queues import loop_measured, moderate_count, receive, send_from
from kit.harness import DevInfo, DpdkError, Mbuf, PktmbufPool
from kit.harness.offloads import bits

ETHER_HDR = 14


def overhead(info: DevInfo) -> int:
    """What ethdev adds to the MTU to get a frame size (eth_dev_get_overhead_len): max_rx_pktlen - max_mtu when
    the driver set both, else header + CRC (18)."""
    if info.max_mtu != 0xFFFF and info.max_rx_pktlen > info.max_mtu:
        return info.max_rx_pktlen - info.max_mtu
    return 18


@pytest.mark.check("E18")
def test_e18_frames_up_to_the_mtu_pass_longer_ones_counted(dut: Dut,
                                                           unsupported: Callable[[str, str], None]) -> None:
    """For MTU 1500 and 1000 (set with rte_eth_dev_set_mtu on the started port): frames whose payload is the MTU
    (MTU + 14 bytes, no FCS) and shorter come back; frames longer than the frame size ethdev derives (MTU +
    max_rx_pktlen - max_mtu) do not, and each is counted in ierrors."""
    port, info = dut.setup(), dut.info
    looped, measured = loop_measured(dut, port)
    original = port.mtu()
    answer = errno_of(lambda: port.set_mtu(original))
    if answer == "ENOTSUP":
        unsupported("E18.mtu", "rte_eth_dev_set_mtu returned -ENOTSUP")
    if not looped:
        unsupported("E18.traffic", measured)
    room = dut.pool.max_packet_len
    extra = overhead(info)
    try:
        for mtu in (1500, 1000):
            if not info.min_mtu <= mtu <= info.max_mtu or mtu + extra + 60 > room:
                continue
            got = errno_of(lambda m=mtu: port.set_mtu(m))  # type: ignore[misc]
            assert got is None, f"set_mtu({mtu}) on the started port failed with {got}"
            fit = dut.sized_frames([mtu + ETHER_HDR, mtu, 200], 0x18)
            too_long = dut.sized_frames([mtu + extra + 1, mtu + extra + 60], 0x19)
            port.stats_reset()
            sent = send_from(port, dut.pool, fit + too_long)
            assert sent == len(fit) + len(too_long), f"tx took {sent} of {len(fit) + len(too_long)} frames"
            back = receive(port) + drain(port, 1, 8)
            s = port.stats()
            missing = [len(f) for f in fit if f not in back]
            assert not missing, (f"MTU {mtu}: frames of {missing} bytes (payload up to the MTU) did not come back; "
                                 "frames up to the MTU must pass")
            passed = [len(f) for f in too_long if f in back]
            assert not passed, (f"MTU {mtu}: frames of {passed} bytes came back, longer than the {mtu + extra} "
                                f"bytes a frame of that MTU may have (MTU + {extra}, from dev_info)")
            assert s.ierrors == len(too_long), (
                f"MTU {mtu}: {len(too_long)} frames longer than the MTU allows were dropped but ierrors is "
                f"{s.ierrors} (imissed {s.imissed}): a frame dropped as too long must be counted in ierrors")
    finally:
        errno_of(lambda: port.set_mtu(original))


@pytest.mark.check("E18")
def test_e18_mtu_past_the_buffers_refused_or_handled(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    """rte_eth_dev_configure with rxmode.mtu 9000 (or max_mtu), then an rx queue of 2048-byte buffers: configure,
    queue setup or start refuse it, or frames of up to 4000 bytes come back whole (scatter) or are counted in
    ierrors/imissed. Started, silently losing them is the failure."""
    port, info = dut.port, dut.info
    extra = overhead(info)
    room = dut.pool.max_packet_len
    mtu = min(info.max_mtu, 9000, info.max_rx_pktlen - extra)
    if mtu + extra <= room:
        return  # the largest MTU fits the buffers: nothing to refuse
    try:
        port.configure(1, 1, mtu=mtu)
        port.rx_queue_setup(0, dut.pool)
        port.tx_queue_setup(0)
        port.start()
    except DpdkError:
        # Refused: what DPDK allows. A queue whose setup failed is gone: set the port up again before the
        # fixture's restore starts it (starting a port with a missing rx queue crashes some drivers' rx burst).
        if port.started:
            port.stop()
        port.configure(1, 1)
        port.rx_queue_setup(0, dut.pool)
        port.tx_queue_setup(0)
        return
    big = dut.make_pool(64, data_room_size=4096 + 256)
    looped, measured = loop_measured(dut, port)
    if not looped:
        unsupported("E18.traffic", measured)
    length = min(mtu + ETHER_HDR, 4000)
    frames = dut.sized_frames([length] * 4, 0x1A)
    port.stats_reset()
    sent = send_from(port, big, frames)
    back = receive(port) + drain(port, 1, 8)
    s = port.stats()
    whole = sum(1 for f in frames if f in back)
    lost = sent - whole
    assert lost <= s.ierrors + s.imissed, (
        f"configure set MTU {mtu} with rx buffers of {room} bytes and start succeeded; of {sent} frames of {length} "
        f"bytes {whole} came back whole and ierrors {s.ierrors}, imissed {s.imissed}: frames silently lost (refuse "
        "the MTU at configure or start, or receive them in several segments)")


def _chain_of(pool: PktmbufPool, frame: bytes, seg: int) -> Mbuf:
    head = pool.alloc()
    head.append(frame[:seg])
    for off in range(seg, len(frame), seg):
        tail = pool.alloc()
        tail.append(frame[off:off + seg])
        head.chain(tail)
    return head


@pytest.mark.check("E18")
def test_e18_scatter_receives_frames_longer_than_a_buffer(dut: Dut, note: Callable[[str], None],
                                                          unsupported: Callable[[str, str], None]) -> None:
    """(DTS pmd_buffer_scatter) With RTE_ETH_RX_OFFLOAD_SCATTER advertised: configure it (and tx MULTI_SEGS when
    advertised) with MTU 9000 (or max_mtu) and an rx queue of 2048-byte buffers; frames of 64 bytes up to MTU + 14,
    sent as chains of 2048-byte segments (one segment from a large pool without MULTI_SEGS), come back byte for
    byte, each a chain of as many segments as its length needs, none holding more than a buffer."""
    b, info = bits(), dut.info
    scatter = b["RTE_ETH_RX_OFFLOAD_SCATTER"]
    if not info.rx_offload_capa & scatter:
        note("rx scatter: not advertised, not tested")
        return
    multi = info.tx_offload_capa & b["RTE_ETH_TX_OFFLOAD_MULTI_SEGS"]
    mtu = min(info.max_mtu, 9000, info.max_rx_pktlen - overhead(info))
    # A small ring: a scattering NIC may post several buffers per descriptor (pool pressure is not the check)
    rx_pool = dut.make_pool(2048)
    room = rx_pool.max_packet_len
    port = dut.port
    port.configure(1, 1, mtu=mtu, rx_offloads=scatter, tx_offloads=multi)
    port.rx_queue_setup(0, rx_pool, moderate_count(info.rx_desc_lim))
    port.tx_queue_setup(0)
    port.start()
    looped, measured = loop_measured(dut, port)
    if not looped:
        unsupported("E18.traffic", measured)
    lengths = sorted({n for n in (64, 1500, room - 1, room, room + 1, 2 * room + 100, 4000, 6000, mtu + ETHER_HDR)
                      if 60 <= n <= mtu + ETHER_HDR})
    frames = dut.sized_frames(lengths, 0x1B)
    tx_pool = dut.make_pool(64) if multi else dut.make_pool(16, data_room_size=mtu + 512)
    port.stats_reset()
    sent = 0
    for f in frames:
        m = _chain_of(tx_pool, f, room if multi else len(f))
        if port.tx_burst_mbufs([m]) != 1:
            m.free()
            break
        sent += 1
    assert sent == len(frames), f"tx took {sent} of {len(frames)} frames (chains of {room}-byte segments)"
    got = []
    for _ in range(16):
        burst = port.rx_burst(0, 32)
        got += burst
        if not burst and got:
            break
    back = {p.data: p for p in got}
    missing = [len(f) for f in frames if f not in back]
    s = port.stats()
    assert not missing, (f"with RTE_ETH_RX_OFFLOAD_SCATTER enabled, MTU {mtu} and rx buffers of {room} bytes, frames "
                         f"of {missing} bytes did not come back (ierrors {s.ierrors}, imissed {s.imissed}): frames "
                         "longer than one rx buffer must arrive as chains of buffers")
    for f in frames:
        p = back[f]
        need = -(-len(f) // room)
        over = [seg.data_len for seg in p.segments if seg.data_len > room]
        assert not over, f"a {len(f)}-byte frame arrived with segments of {over} bytes, over the {room}-byte buffers"
        assert p.fields.nb_segs == len(p.segments) >= need, (
            f"a {len(f)}-byte frame arrived as {len(p.segments)} segments with nb_segs {p.fields.nb_segs}; "
            f"{room}-byte buffers need {need}")
    note(f"rx scatter tested: frames of {lengths} bytes at MTU {mtu} with {room}-byte rx buffers"
         f"{', sent as chains (MULTI_SEGS)' if multi else ''}")
