"""The ethdev suite (docs/conformance.md), E26 and E28: what a queue says it holds. tx_done_cleanup frees at most
free_cnt mbufs and returns how many; rx_queue_count and the descriptor status calls agree with what is queued."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kit.conformance.applicability import reason_not_applicable
from kit.conformance.plugin import KitTarget
from kit.conformance.suites.ethdev.dut import Dut, drain
from kit.conformance.suites.ethdev.queues import answer, enotsup_everywhere, moderate_count, receive, send_from
from kit.harness import ethdev_queues as queues

# -- E26 tx_done_cleanup ---------------------------------------------------------------------------------

SENT = 64


@pytest.mark.check("E26")
def test_e26_cleanup_frees_at_most_free_cnt_and_says_how_many(dut: Dut, unsupported: Callable[[str, str], None]
                                                              ) -> None:
    """rte_eth_tx_done_cleanup: "free_cnt: maximum number of packets to free (0: all possible)"; returns "the
    number of packets freed" or -ENOTSUP. Sent frames come from a pool of the check's own, so what goes back to
    it is what the driver freed."""
    port = dut.setup()
    txpool = dut.make_pool(256)
    first = answer(lambda: port.tx_done_cleanup(0, 1))
    sent = send_from(port, txpool, dut.frames(SENT, 0x26))
    assert sent > 0, "the started port took none of 64 frames"
    if first == "ENOTSUP":
        same, answers = enotsup_everywhere([lambda: port.tx_done_cleanup(0, 4), lambda: port.tx_done_cleanup(0, 0)])
        assert same, f"tx_done_cleanup answered -ENOTSUP on an idle queue but {answers} once frames were sent"
        unsupported("E26.tx_done_cleanup", "rte_eth_tx_done_cleanup returned -ENOTSUP")
    assert isinstance(first, int), f"tx_done_cleanup(free_cnt=1) on an idle queue failed with {first}"
    total = 0
    for free_cnt in (1, 4, 8, 1):
        before = txpool.avail_count()
        got = answer(lambda n=free_cnt: port.tx_done_cleanup(0, n))  # type: ignore[misc]
        freed = txpool.avail_count() - before
        assert isinstance(got, int), f"tx_done_cleanup(free_cnt={free_cnt}) failed with {got} after it had answered"
        assert got <= free_cnt, (f"tx_done_cleanup(free_cnt={free_cnt}) returned {got}: it may free at most "
                                 f"free_cnt packets ({freed} mbufs went back to the pool)")
        assert freed == got, (f"tx_done_cleanup(free_cnt={free_cnt}) returned {got} but {freed} mbufs went back "
                              "to the pool: it must return the number it freed")
        total += got
    before = txpool.avail_count()
    got = answer(lambda: port.tx_done_cleanup(0, 0))
    freed = txpool.avail_count() - before
    assert isinstance(got, int) and got == freed, (f"tx_done_cleanup(free_cnt=0) returned {got} but {freed} mbufs "
                                                    "went back to the pool")
    assert total + got <= sent, f"tx_done_cleanup freed {total + got} packets of {sent} sent"


# -- E28 rx_queue_count, descriptor status ---------------------------------------------------------------

QUEUED = 10


@pytest.mark.check("E28")
def test_e28_rx_queue_count_and_descriptor_status_agree_with_what_is_queued(
        dut: Dut, unsupported: Callable[[str, str], None], not_applicable: Callable[[str], None],
        kit_target: KitTarget) -> None:
    """rte_eth_rx_queue_count: "the number of used descriptors" (filled, not yet received);
    rte_eth_rx_descriptor_status: DONE for a filled descriptor, AVAIL or UNAVAIL otherwise, -EINVAL for an offset
    beyond the ring; -ENOTSUP where the driver has neither."""
    port, info = dut.port, dut.info
    nb = moderate_count(info.rx_desc_lim)
    port.configure(1, 1)
    port.rx_queue_setup(0, dut.pool, nb)
    port.tx_queue_setup(0)
    port.start()
    drain(port, 1)
    idle_count = answer(lambda: queues.rx_queue_count(port, 0))
    idle_status = answer(lambda: queues.rx_descriptor_status(port, 0, 0))
    frames = dut.frames(QUEUED, 0x28)
    sent = send_from(port, dut.pool, frames)
    count = answer(lambda: queues.rx_queue_count(port, 0))
    status = [answer(lambda o=o: queues.rx_descriptor_status(port, 0, o)) for o in range(QUEUED + 4)]  # type: ignore[misc]
    beyond = answer(lambda: queues.rx_descriptor_status(port, 0, nb))
    got = receive(port)
    looped = sent == QUEUED and sorted(got) == sorted(frames)
    after = answer(lambda: queues.rx_queue_count(port, 0))
    skipped = []
    declared = False
    if "ENOTSUP" in (idle_count, count, after):
        assert idle_count == count == after == "ENOTSUP", (
            f"rx_queue_count answered {idle_count} idle, {count} with frames queued, {after} after rx: -ENOTSUP "
            "must be the answer every time or never")
        skipped.append(("E28.rx_queue_count", "rte_eth_rx_queue_count returned -ENOTSUP"))
    elif reason_not_applicable(kit_target.driver, "E28.rx_queue_count") is not None:
        declared = True  # a known defect of the driver (applicability.py): reported n/a below
    else:
        assert idle_count == 0, f"rx_queue_count of an empty, drained queue is {idle_count}"
        assert isinstance(count, int) and 0 <= count <= nb, f"rx_queue_count {count} on a ring of {nb} descriptors"
        if looped:
            assert count == QUEUED, (f"rx_queue_count returned {count} with {QUEUED} frames queued (rx_burst then "
                                     f"returned {len(got)} of them): it must count the filled descriptors")
        assert after == 0, f"rx_queue_count is {after} after every queued frame was received"
    if "ENOTSUP" in (idle_status, *status, beyond):
        assert all(a == "ENOTSUP" for a in (idle_status, *status, beyond)), (
            f"rx_descriptor_status answered {idle_status} idle, {status} with frames queued, {beyond} past the "
            "ring: -ENOTSUP must be the answer every time or never")
        skipped.append(("E28.rx_descriptor_status", "rte_eth_rx_descriptor_status returned -ENOTSUP"))
    else:
        allowed = (queues.RX_DESC_AVAIL, queues.RX_DESC_DONE, queues.RX_DESC_UNAVAIL)
        assert idle_status in allowed and idle_status != queues.RX_DESC_DONE, (
            f"rx_descriptor_status(0) of an empty queue is {idle_status}, want AVAIL or UNAVAIL")
        assert all(s in allowed for s in status), f"rx_descriptor_status answers {status}: want 0, 1 or 2"
        assert beyond == "EINVAL", f"rx_descriptor_status({nb}) on a ring of {nb} descriptors: {beyond}, want EINVAL"
        if looped:
            want = [queues.RX_DESC_DONE] * QUEUED
            assert status[:QUEUED] == want and queues.RX_DESC_DONE not in status[QUEUED:], (
                f"rx_descriptor_status of offsets 0..{QUEUED + 3} with {QUEUED} frames queued: {status}; want DONE "
                f"(1) for the first {QUEUED}, then not DONE")
    if declared:  # the descriptor status was checked above
        not_applicable("E28.rx_queue_count")
    if skipped:  # what the driver has was checked above; the report names what it lacks
        unsupported(skipped[0][0], "; ".join(measured for _, measured in skipped))


@pytest.mark.check("E28")
def test_e28_tx_descriptor_status_answers(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    """rte_eth_tx_descriptor_status: FULL, DONE or UNAVAIL for an offset in the ring, -EINVAL beyond it, or -ENOTSUP
    every time."""
    port, info = dut.port, dut.info
    nb = moderate_count(info.tx_desc_lim)
    port.configure(1, 1)
    port.rx_queue_setup(0, dut.pool)
    port.tx_queue_setup(0, nb)
    port.start()
    idle = [answer(lambda o=o: queues.tx_descriptor_status(port, 0, o)) for o in (0, nb - 1)]  # type: ignore[misc]
    send_from(port, dut.pool, dut.frames(QUEUED, 0x29))
    busy = [answer(lambda o=o: queues.tx_descriptor_status(port, 0, o)) for o in range(QUEUED)]  # type: ignore[misc]
    beyond = answer(lambda: queues.tx_descriptor_status(port, 0, nb))
    everything = [*idle, *busy, beyond]
    if "ENOTSUP" in everything:
        assert all(a == "ENOTSUP" for a in everything), (
            f"tx_descriptor_status answered {idle} idle, {busy} after tx, {beyond} past the ring: -ENOTSUP must be "
            "the answer every time or never")
        unsupported("E28.tx_descriptor_status", "rte_eth_tx_descriptor_status returned -ENOTSUP")
    allowed = (queues.TX_DESC_FULL, queues.TX_DESC_DONE, queues.TX_DESC_UNAVAIL)
    assert all(s in allowed for s in [*idle, *busy]), f"tx_descriptor_status answers {idle + busy}: want 0, 1 or 2"
    assert beyond == "EINVAL", f"tx_descriptor_status({nb}) on a ring of {nb} descriptors: {beyond}, want EINVAL"
