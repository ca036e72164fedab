"""The ethdev suite (docs/conformance.md), E15-E17: queues as dev_info and the queue calls describe them. E15
dev_info's descriptor and segment limits are what setup and tx really do; E16 rx/txq_info_get report the queue's
configuration; E17 queue start/stop and deferred start (DTS queue_start_stop)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kit.conformance.suites.ethdev.dut import Dut, drain, errno_of
from kit.conformance.suites.ethdev.queues import (
    answer,
    enotsup_everywhere,
    loops,
    moderate_count,
    receive,
    send_from,
    valid_range,
)
from kit.harness import DescLim, Mbuf, PktmbufPool, Port
from kit.harness import ethdev_queues as queues
from kit.harness.offloads import bits

ODD_REQUESTS = (1, 130, 1000, 4097, 65535)  # what an application asks rte_eth_dev_adjust_nb_rx_tx_desc to fix

# -- E15 dev_info is honest ------------------------------------------------------------------------------


def _valid_samples(lim: DescLim, adjusted: set[int]) -> list[int]:
    lo, hi = valid_range(lim)
    align = max(lim.nb_align, 1)
    picks = {lo, hi, *(lo + k * align for k in (1, 2, 3, 5, 7)), *adjusted}
    return sorted(n for n in picks if lo <= n <= hi)


def _invalid_samples(lim: DescLim) -> list[int]:
    lo, hi = valid_range(lim)
    bad = {lim.nb_min - 1 if lim.nb_min > 1 else 0, lim.nb_max + 1 if lim.nb_max < 0xFFFF else 0}
    if lim.nb_align > 1:
        bad |= {lo + 1, lo + lim.nb_align + lim.nb_align // 2, hi - 1}
    return sorted(n for n in bad if 0 < n <= 0xFFFF and (n < lo or n > hi or n % lim.nb_align))


def _setup(port: Port, pool: PktmbufPool, side: str, nb: int) -> str | None:
    if side == "rx":
        return errno_of(lambda: port.rx_queue_setup(0, pool, nb))
    return errno_of(lambda: port.tx_queue_setup(0, nb))


@pytest.mark.check("E15")
def test_e15_every_advertised_descriptor_count_is_accepted(dut: Dut) -> None:
    """rte_eth_dev_info.rx/tx_desc_lim: nb_desc must be in [nb_min, nb_max] and a multiple of nb_align; the
    counts rte_eth_dev_adjust_nb_rx_tx_desc yields are what applications then pass to queue setup."""
    port, info = dut.port, dut.info
    port.configure(1, 1)
    adjusted = [queues.adjust_nb_desc(port, n, n) for n in ODD_REQUESTS]
    for side, lim, index in (("rx", info.rx_desc_lim, 0), ("tx", info.tx_desc_lim, 1)):
        samples = _valid_samples(lim, {a[index] for a in adjusted})
        refused = {n: e for n in samples if (e := _setup(port, dut.pool, side, n)) is not None}
        assert not refused, (f"{side} queue setup refused nb_desc {refused} though dev_info allows any multiple of "
                             f"nb_align {lim.nb_align} in [{lim.nb_min}, {lim.nb_max}] (samples {samples}, including "
                             f"what rte_eth_dev_adjust_nb_rx_tx_desc made of {ODD_REQUESTS})")
        accepted = [n for n in _invalid_samples(lim) if _setup(port, dut.pool, side, n) is None]
        assert not accepted, (f"{side} queue setup accepted nb_desc {accepted} outside the limits min {lim.nb_min} "
                              f"max {lim.nb_max} align {lim.nb_align}")


def _chain(pool: PktmbufPool, frame: bytes, segments: int) -> Mbuf:
    size = -(-len(frame) // segments)
    head = pool.alloc()
    head.append(frame[:size])
    for i in range(1, segments):
        tail = pool.alloc()
        tail.append(frame[i * size:(i + 1) * size])
        head.chain(tail)
    return head


@pytest.mark.check("E15")
def test_e15_nb_seg_max_is_what_tx_does(dut: Dut) -> None:
    """tx_desc_lim.nb_seg_max: "max segments per whole packet". With 1, a chained mbuf is refused by
    rte_eth_tx_prepare, or dropped and counted in oerrors, and freed; with more, a chain of that many segments
    (8 at most here) is sent whole: it comes back byte for byte where the port loops, and its mbufs are freed.
    A port advertising RTE_ETH_TX_OFFLOAD_MULTI_SEGS gets it enabled (an application sending chains must)."""
    multi = dut.info.tx_offload_capa & bits()["RTE_ETH_TX_OFFLOAD_MULTI_SEGS"]
    port, lim = (dut.setup(tx_offloads=multi) if multi else dut.setup()), dut.info.tx_desc_lim
    pool = dut.make_pool(64)
    segments = min(max(lim.nb_seg_max, 2), 8)
    looped = loops(dut, port)
    frame = dut.frames(1, 0x15, base_len=segments * 64)[0]
    chain = _chain(pool, frame, segments)
    prepared = answer(lambda: queues.tx_prepare(port, [chain]))
    port.stats_reset()
    if lim.nb_seg_max == 1 and prepared != 1:
        chain.free()  # refused by tx_prepare: the caller keeps it
        return
    assert prepared == 1, (f"tx_prepare refused a {segments}-segment chain ({prepared}) though nb_seg_max is "
                           f"{lim.nb_seg_max}")
    taken = port.tx_burst_mbufs([chain])
    if not taken:
        chain.free()
    back = receive(port) if looped else []
    errno_of(lambda: port.tx_done_cleanup(0))
    if lim.nb_seg_max == 1:
        assert taken == 0 or port.stats().oerrors >= 1, (
            f"nb_seg_max is 1 and tx_prepare accepted a {segments}-segment chain; tx_burst took it but oerrors "
            "stayed 0: a chain it cannot send must be refused by tx_prepare or dropped and counted")
    else:
        assert taken == 1, f"tx_burst did not take a {segments}-segment chain though nb_seg_max is {lim.nb_seg_max}"
        if looped:
            assert frame in back, (f"nb_seg_max is {lim.nb_seg_max} but a {segments}-segment chain of {len(frame)} "
                                   f"bytes taken by tx_burst did not come back whole (got {len(back)} frames): the "
                                   "driver drops chains it claims to send")
    drain(port, 1)
    assert pool.avail_count() == pool.size, (f"{pool.size - pool.avail_count()} mbufs of a {segments}-segment chain "
                                             "given to tx_burst never went back to their pool")


# -- E16 rx/txq_info_get ---------------------------------------------------------------------------------


def _lowest_bit(capa: int) -> int:
    return capa & -capa


@pytest.mark.check("E16")
def test_e16_rxq_info_reports_the_configuration(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    """rte_eth_rx_queue_info_get: the queue's mempool, nb_desc ("configured number of RXDs"), offloads and
    rx_deferred_start as set up, or -ENOTSUP."""
    port, info = dut.port, dut.info
    pool = dut.make_pool(1024)
    nb = moderate_count(info.rx_desc_lim)
    offload = _lowest_bit(info.rx_queue_offload_capa)
    port.configure(1, 1)
    port.rx_queue_setup(0, pool, nb, offloads=offload)
    got = answer(lambda: queues.rx_queue_info(port, 0))
    if got == "ENOTSUP":
        unsupported("E16.rxq_info", "rte_eth_rx_queue_info_get returned -ENOTSUP")
    assert isinstance(got, queues.RxqInfo), f"rte_eth_rx_queue_info_get failed with {got}"
    address = int(dut.eal.ffi.cast("uintptr_t", pool.ptr))
    assert got.nb_desc == nb, f"rxq_info_get says nb_desc {got.nb_desc}; the queue was set up with {nb}"
    assert got.mp == address, f"rxq_info_get names mempool {got.mp:#x}; the queue was set up with {address:#x}"
    assert got.offloads & offload == offload, (f"rxq_info_get offloads {got.offloads:#x} lack the queue offload "
                                               f"{offload:#x} it was set up with")
    assert not got.deferred_start, "rxq_info_get says rx_deferred_start for a queue set up without it"
    if errno_of(lambda: queues.rx_queue_setup_deferred(port, 0, pool, nb)) is None:
        got = queues.rx_queue_info(port, 0)
        assert got.deferred_start, "rxq_info_get says no rx_deferred_start for a queue set up with it"


@pytest.mark.check("E16")
def test_e16_txq_info_reports_the_configuration(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    """rte_eth_tx_queue_info_get: nb_desc, offloads and tx_deferred_start as set up, or -ENOTSUP."""
    port, info = dut.port, dut.info
    nb = moderate_count(info.tx_desc_lim)
    offload = _lowest_bit(info.tx_queue_offload_capa)
    port.configure(1, 1)
    port.tx_queue_setup(0, nb, offloads=offload)
    got = answer(lambda: queues.tx_queue_info(port, 0))
    if got == "ENOTSUP":
        unsupported("E16.txq_info", "rte_eth_tx_queue_info_get returned -ENOTSUP")
    assert isinstance(got, queues.TxqInfo), f"rte_eth_tx_queue_info_get failed with {got}"
    assert got.nb_desc == nb, f"txq_info_get says nb_desc {got.nb_desc}; the queue was set up with {nb}"
    assert got.offloads & offload == offload, (f"txq_info_get offloads {got.offloads:#x} lack the queue offload "
                                               f"{offload:#x} it was set up with")
    assert not got.deferred_start, "txq_info_get says tx_deferred_start for a queue set up without it"
    if errno_of(lambda: queues.tx_queue_setup_deferred(port, 0, nb)) is None:
        got = queues.tx_queue_info(port, 0)
        assert got.deferred_start, "txq_info_get says no tx_deferred_start for a queue set up with it"


# -- E17 queue start/stop, deferred start ----------------------------------------------------------------


def _queue_ops_or_skip(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    """On a started 1/1 port: stop and start each queue. All four -ENOTSUP: n/a; some only: a failure."""
    port = dut.setup()
    calls = [lambda: queues.queue_stop(port, 0, tx=False), lambda: queues.queue_start(port, 0, tx=False),
             lambda: queues.queue_stop(port, 0, tx=True), lambda: queues.queue_start(port, 0, tx=True)]
    none, answers = enotsup_everywhere(calls)
    if none:
        port.stop()
        unsupported("E17.queue_start_stop", "rte_eth_dev_rx_queue_start/stop and rte_eth_dev_tx_queue_start/stop "
                                            "returned -ENOTSUP")
    assert answers == [None] * 4, (f"rx queue stop, start, tx queue stop, start of a started port answered {answers}: "
                                   "a driver has all four ops (0) or none (-ENOTSUP)")
    port.stop()


@pytest.mark.check("E17")
def test_e17_deferred_queues_move_nothing_until_started(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    """rte_eth_rxconf.rx_deferred_start / txconf.tx_deferred_start: "do not start queue with
    rte_eth_dev_start()"; the queue starts with rte_eth_dev_rx/tx_queue_start (DTS queue_start_stop). A driver
    may instead refuse the flag at setup."""
    _queue_ops_or_skip(dut, unsupported)
    port = dut.port
    port.start()
    looped = loops(dut, port)
    port.stop()
    port.configure(1, 1)
    refused = [errno_of(lambda: queues.rx_queue_setup_deferred(port, 0, dut.pool)),
               errno_of(lambda: queues.tx_queue_setup_deferred(port, 0))]
    if any(refused):
        return  # the driver refuses deferred start at setup: allowed
    port.start()
    frames = dut.frames(8, 0x17)
    took = port.tx_burst(frames)
    assert took == 0, (f"tx queue 0, set up with tx_deferred_start, took {took} of 8 frames after "
                       "rte_eth_dev_start and before rte_eth_dev_tx_queue_start")
    got = port.rx_burst(0, 32)
    assert not got, (f"rx queue 0, set up with rx_deferred_start, returned {len(got)} frames after "
                     "rte_eth_dev_start and before rte_eth_dev_rx_queue_start")
    queues.queue_start(port, 0, tx=False)
    queues.queue_start(port, 0, tx=True)
    sent = send_from(port, dut.pool, frames)
    assert sent > 0, "the deferred tx queue took no frame once started"
    if looped:
        back = receive(port)
        assert back, "the deferred rx queue received nothing once started (the port loops frames back)"


@pytest.mark.check("E17")
def test_e17_queue_stopped_at_run_time_moves_nothing_gives_mbufs_back_and_restarts(
        dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    """rte_eth_dev_rx/tx_queue_stop on a started port: the queue moves no traffic and the driver frees the mbufs
    it holds for it (rx buffers, sent frames); rte_eth_dev_rx/tx_queue_start then resumes (DTS
    queue_start_stop)."""
    _queue_ops_or_skip(dut, unsupported)
    port = dut.port
    rxpool, txpool = dut.make_pool(4096), dut.make_pool(512)
    port.configure(1, 1)
    port.rx_queue_setup(0, rxpool)
    port.tx_queue_setup(0)
    port.start()
    looped = loops(dut, port, txpool)
    queues.queue_stop(port, 0, tx=False)
    sent = send_from(port, txpool, dut.frames(16, 0x71))
    got = port.rx_burst(0, 32)
    assert not got, f"rx queue 0 returned {len(got)} frames after rte_eth_dev_rx_queue_stop"
    assert rxpool.avail_count() == rxpool.size, (
        f"{rxpool.size - rxpool.avail_count()} mbufs of the rx queue pool still held after rte_eth_dev_rx_queue_stop: "
        "a stopped queue gives its buffers back")
    queues.queue_stop(port, 0, tx=True)
    took = port.tx_burst(dut.frames(4, 0x72), pool=txpool)
    assert took == 0, f"tx queue 0 took {took} of 4 frames after rte_eth_dev_tx_queue_stop"
    assert txpool.avail_count() == txpool.size, (
        f"{txpool.size - txpool.avail_count()} of the {sent} mbufs sent still held after "
        "rte_eth_dev_tx_queue_stop: a stopped queue frees what it sent")
    queues.queue_start(port, 0, tx=False)
    queues.queue_start(port, 0, tx=True)
    frames = dut.frames(8, 0x73)
    assert send_from(port, txpool, frames) > 0, "tx queue 0 took no frame after rte_eth_dev_tx_queue_start"
    if looped:
        back = receive(port)
        assert any(f in back for f in frames), "rx queue 0 received nothing after rte_eth_dev_rx_queue_start"
