"""The ethdev suite (docs/conformance.md), E4-E6: configure, queue setup, start."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kit.conformance.suites.ethdev.dut import (
    MAX_QUEUES_PER_PORT,
    Dut,
    errno_of,
    send_all,
)
from kit.harness import Port, memory_snapshot

# -- E4 configure ----------------------------------------------------------------------------------------


def _missing_bit(capa: int, low: int = 0) -> int:
    return next(1 << b for b in range(low, 64) if not capa & (1 << b))


@pytest.mark.check("E4")
def test_e4_configure_queue_counts(dut: Dut) -> None:
    port, info = dut.port, dut.info
    port.stop()
    port.configure(1, 1)
    top_rx, top_tx = min(info.max_rx_queues, MAX_QUEUES_PER_PORT), min(info.max_tx_queues, MAX_QUEUES_PER_PORT)
    failed = errno_of(lambda: port.configure(top_rx, top_tx))
    assert failed is None, f"configure({top_rx}, {top_tx}) (the advertised maxima) failed with {failed}"
    now = port.info()
    assert (now.nb_rx_queues, now.nb_tx_queues) == (top_rx, top_tx)
    failed = errno_of(lambda: port.configure(0, 0))
    assert failed is None, f"configure(0, 0) (the driver's default queue counts) failed with {failed}"
    for nb_rx, nb_tx in ((info.max_rx_queues + 1, 1), (1, info.max_tx_queues + 1)):
        if max(nb_rx, nb_tx) <= 0xFFFF:
            got = errno_of(lambda r=nb_rx, t=nb_tx: port.configure(r, t))  # type: ignore[misc]
            assert got == "EINVAL", f"configure({nb_rx}, {nb_tx}) beyond the maxima: {got or 'accepted'}, want EINVAL"


@pytest.mark.check("E4")
def test_e4_configure_refuses_unsupported_offloads_and_rss(dut: Dut) -> None:
    port, info = dut.port, dut.info
    port.stop()
    rx_bit, tx_bit = _missing_bit(info.rx_offload_capa), _missing_bit(info.tx_offload_capa)
    got = errno_of(lambda: port.configure(1, 1, rx_offloads=rx_bit))
    assert got == "EINVAL", f"rx offload {rx_bit:#x} (not in rx_offload_capa): {got or 'accepted'}, want EINVAL"
    got = errno_of(lambda: port.configure(1, 1, tx_offloads=tx_bit))
    assert got == "EINVAL", f"tx offload {tx_bit:#x} (not in tx_offload_capa): {got or 'accepted'}, want EINVAL"
    rss_bit = _missing_bit(info.flow_type_rss_offloads, 2)
    got = errno_of(lambda: port.configure(2, 2, mq_mode="rss", rss_hf=rss_bit))
    assert got == "EINVAL", f"RSS type {rss_bit:#x} (not in flow_type_rss_offloads): {got or 'accepted'}, want EINVAL"


@pytest.mark.check("E4")
def test_e4_configure_while_started_is_busy(dut: Dut) -> None:
    dut.setup()
    got = errno_of(lambda: dut.port.configure(1, 1))
    assert got == "EBUSY", f"configure of a started port: {got or 'accepted'}, want EBUSY"


# -- E5 queue setup --------------------------------------------------------------------------------------


@pytest.mark.check("E5")
def test_e5_queue_ids_and_default_descriptors(dut: Dut) -> None:
    port = dut.port
    port.configure(1, 1)
    got = errno_of(lambda: port.rx_queue_setup(1, dut.pool))
    assert got is not None, "rx_queue_setup of queue 1 on a port configured with 1 rx queue succeeded"
    got = errno_of(lambda: port.tx_queue_setup(1))
    assert got is not None, "tx_queue_setup of queue 1 on a port configured with 1 tx queue succeeded"
    for q_setup in (lambda: port.rx_queue_setup(0, dut.pool, 0), lambda: port.tx_queue_setup(0, 0)):
        got = errno_of(q_setup)
        assert got is None, f"queue setup with nb_desc 0 (take the driver's default) failed with {got}"
    port.start()
    sent, _ = send_all(port, dut.frames(4))
    assert sent >= 1, "a port set up with default descriptors took no frame"


@pytest.mark.check("E5")
def test_e5_descriptor_counts_outside_the_limits_fail(dut: Dut) -> None:
    """Every nb_desc the advertised limits exclude (and a 16-bit count can express) must be refused."""
    port, info = dut.port, dut.info
    port.configure(1, 1)
    for side, lim in (("rx", info.rx_desc_lim), ("tx", info.tx_desc_lim)):
        bad = []
        if lim.nb_max < 0xFFFF:
            bad.append(lim.nb_max + 1)
        if lim.nb_min > 1:
            bad.append(lim.nb_min - 1)
        if lim.nb_align > 1:
            bad.append(lim.nb_min + lim.nb_align + 1 if lim.nb_min + lim.nb_align + 1 <= lim.nb_max else 1)
        for nb in bad:
            if side == "rx":
                got = errno_of(lambda n=nb: port.rx_queue_setup(0, dut.pool, n))  # type: ignore[misc]
            else:
                got = errno_of(lambda n=nb: port.tx_queue_setup(0, n))  # type: ignore[misc]
            assert got is not None, (f"{side} queue setup with nb_desc {nb} succeeded; limits are "
                                     f"min {lim.nb_min} max {lim.nb_max} align {lim.nb_align}")


@pytest.mark.check("E5")
def test_e5_too_small_data_room_fails(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    info = dut.info
    if info.min_rx_bufsize == 0:
        not_applicable("E5.small_data_room")
    assert info.min_rx_bufsize > 0, ("dev_info.min_rx_bufsize is 0: the driver claims to accept pools of any data "
                                     "room; say what its buffers need (or declare E5.small_data_room)")
    headroom = int(dut.eal.lib.RTE_PKTMBUF_HEADROOM)
    small = dut.make_pool(512, data_room_size=headroom + info.min_rx_bufsize - 1)
    dut.port.configure(1, 1)
    got = errno_of(lambda: dut.port.rx_queue_setup(0, small))
    assert got is not None, (f"rx queue setup accepted a pool with {info.min_rx_bufsize - 1} bytes of data room "
                             f"below min_rx_bufsize {info.min_rx_bufsize}")


@pytest.mark.check("E5")
def test_e5_queue_resetup_leaks_nothing(dut: Dut) -> None:
    port = dut.port
    port.configure(2, 2)
    for q in range(2):
        port.rx_queue_setup(q, dut.pool)
        port.tx_queue_setup(q)
    before = memory_snapshot()
    for _ in range(50):
        for q in range(2):
            port.rx_queue_setup(q, dut.pool)
            port.tx_queue_setup(q)
    after = memory_snapshot()
    leaked = after.leaked_since(before)
    assert leaked is None, (f"50 re-setups of 2 queue pairs: {leaked} (the core releases the old queue through "
                            "rx/tx_queue_release before setup: it must free everything)")


# -- E6 start --------------------------------------------------------------------------------------------


def _wait_link(port: Port, up: bool, seconds: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port.link().up == up:
            return True
        time.sleep(0.02)
    return port.link().up == up


@pytest.mark.check("E6")
def test_e6_link_up_after_start_and_second_start_harmless(dut: Dut) -> None:
    port = dut.port
    port.configure(1, 1)
    port.rx_queue_setup(0, dut.pool)
    port.tx_queue_setup(0)
    failed = errno_of(port.start)
    assert failed is None, (f"rte_eth_dev_start failed with {failed} (without a link_update op the core returns "
                            "ENOTSUP after the driver started)")
    assert _wait_link(port, True), f"link still down 5 s after start: {port.link()}"
    failed = errno_of(port.start)
    assert failed is None, f"a second start failed with {failed}; it must be harmless"
    assert port.link().up, "link went down after a second start"
    sent, _ = send_all(port, dut.frames(4))
    assert sent >= 1, "after a second start the port takes no frame"
