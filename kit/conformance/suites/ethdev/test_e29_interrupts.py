"""The ethdev suite (docs/conformance.md), E29: interrupts do what they advertise. A port whose dev_flags have
RTE_ETH_DEV_INTR_LSC and that takes intr_conf.lsc sends RTE_ETH_EVENT_INTR_LSC, soon, for each link change and
for nothing else, with the new status readable; a port that takes intr_conf.rxq and arms a queue
(rte_eth_dev_rx_intr_enable) wakes an lcore asleep in rte_epoll_wait on that queue's event fd when a frame
arrives, and not otherwise (DPDK's l3fwd-power sleeps this way)."""

from __future__ import annotations

import errno
import time
from collections.abc import Callable

import pytest

from kit.conformance.suites.ethdev.dut import Dut, drain, errno_of
from kit.conformance.suites.ethdev.queues import receive
from kit.harness.ethdev_intr import (
    LINK_DOWN,
    LINK_UP,
    LscWatch,
    advertises_lsc,
    rx_intr_disable,
    rx_intr_enable,
    rx_intr_round,
)

LSC_MAX_MS = 100.0
LSC_CYCLES = 2      # down and up, twice
QUIET_MS = 50       # no event, no wake-up, when nothing happens for this long
RX_MAX_MS = 10.0
RX_ROUNDS = 5
STATUS = {LINK_DOWN: "down", LINK_UP: "up"}


def _errno(rc: int) -> str:
    return "-" + errno.errorcode.get(-rc, str(-rc)) if rc < 0 else str(rc)


def _status(s: int) -> str:
    return STATUS.get(s, f"unread ({s:#x})")


# -- link state change ----------------------------------------------------------------------------------------


@pytest.mark.check("E29")
def test_e29_lsc_event_for_each_link_change(dut: Dut, unsupported: Callable[[str, str], None],
                                            note: Callable[[str], None]) -> None:
    """rte_ethdev.h: intr_conf.lsc "enable/disable lsc interrupt" (ethdev refuses it without RTE_ETH_DEV_INTR_LSC
    in dev_flags, so no driver can break that part); RTE_ETH_EVENT_INTR_LSC is the "lsc interrupt event"; with lsc
    on, rte_eth_link_get_nowait reads the status the driver last set."""
    port = dut.port
    if not advertises_lsc(port):
        refused = errno_of(lambda: port.configure(1, 1, lsc_intr=True))
        unsupported("E29.lsc", "dev_flags lack RTE_ETH_DEV_INTR_LSC; rte_eth_dev_configure with intr_conf.lsc=1 "
                               + (f"returned -{refused}" if refused else "succeeded"))
    refused = errno_of(lambda: port.configure(1, 1, lsc_intr=True))
    if refused is not None:
        unsupported("E29.lsc", f"RTE_ETH_DEV_INTR_LSC advertised, but rte_eth_dev_configure with intr_conf.lsc=1 "
                               f"returned -{refused}")
    port.rx_queue_setup(0, dut.pool)
    port.tx_queue_setup(0)
    port.start()
    deadline = time.monotonic() + 5
    while not port.link().up and time.monotonic() < deadline:
        time.sleep(0.01)
    assert port.link().up, "link still down 5 s after start with intr_conf.lsc=1"
    problems: list[str] = []
    with LscWatch(port) as watch:
        time.sleep(QUIET_MS / 1000)
        assert watch.events() == 0, (f"{watch.events()} RTE_ETH_EVENT_INTR_LSC events within {QUIET_MS} ms of "
                                     "registering, with no link change: an LSC event must mean a change")
        changes = 0
        down = True
        worst = 0.0
        try:
            for i in range(2 * LSC_CYCLES):
                up = i % 2 == 1
                flip = watch.flip(up)
                call = f"rte_eth_dev_set_link_{'up' if up else 'down'}"
                if i == 0 and flip.rc == -errno.ENOTSUP:
                    down = False
                    unsupported("E29.set_link_down", "rte_eth_dev_set_link_down returned -ENOTSUP: the check "
                                                     "cannot cause a link change")
                down = not up
                assert flip.rc == 0, f"{call} returned {_errno(flip.rc)} on a started port with intr_conf.lsc=1"
                changes += 1
                worst = max(worst, flip.latency_ms)
                want = LINK_UP if up else LINK_DOWN
                if flip.latency_ms < 0:
                    problems.append(f"{call} (change {changes}): no RTE_ETH_EVENT_INTR_LSC event within 1 s "
                                    f"({flip.events} events for {changes} changes; link now "
                                    f"{_status(port.link().status)})")
                    break
                if flip.latency_ms > LSC_MAX_MS:
                    problems.append(f"{call} (change {changes}): the LSC event came {flip.latency_ms:.1f} ms after "
                                    f"the call, more than {LSC_MAX_MS:.0f} ms")
                if flip.cb_status != want or flip.after_status != want:
                    problems.append(f"{call} (change {changes}): rte_eth_link_get_nowait gave link "
                                    f"{_status(flip.cb_status)} inside the LSC callback and "
                                    f"{_status(flip.after_status)} after it, want {STATUS[want]}: the driver "
                                    "must update the link status before it sends the event")
                if problems:
                    break
            time.sleep(QUIET_MS / 1000)
            if not problems and watch.events() != changes:
                problems.append(f"{watch.events()} RTE_ETH_EVENT_INTR_LSC events for {changes} link changes "
                                f"(counted {QUIET_MS} ms after the last): one event per change, none without")
        finally:
            if down:
                watch.flip(True)
    assert not problems, ("with RTE_ETH_DEV_INTR_LSC advertised and intr_conf.lsc=1, every link change the port "
                          f"makes must send RTE_ETH_EVENT_INTR_LSC within {LSC_MAX_MS:.0f} ms: " + "; ".join(problems))
    note(f"LSC: {changes} link changes (set_link_down/up on the port), {changes} events, worst {worst:.2f} ms")


# -- RX queue interrupts --------------------------------------------------------------------------------------


@pytest.mark.check("E29")
def test_e29_rx_interrupt_wakes_a_sleeping_lcore(dut: Dut, unsupported: Callable[[str, str], None],
                                                 note: Callable[[str], None]) -> None:
    """rte_ethdev.h: intr_conf.rxq "enable/disable rxq interrupt"; rte_eth_dev_rx_intr_enable "enables the Rx
    interrupt on the queue", -ENOTSUP where the driver has none; rte_eth_dev_rx_intr_ctl_q adds the queue's
    event fd to an epoll instance, which rte_epoll_wait waits on."""
    port = dut.port
    refused = errno_of(lambda: port.configure(1, 1, rxq_intr=True))
    if refused is not None:
        unsupported("E29.rxq_intr", f"rte_eth_dev_configure with intr_conf.rxq=1 returned -{refused}")
    pool = dut.pool
    port.rx_queue_setup(0, pool)
    port.tx_queue_setup(0)
    port.start()
    rc = rx_intr_enable(port, 0)
    if rc == -errno.ENOTSUP:
        again = rx_intr_enable(port, 0)
        assert again == rc, f"rte_eth_dev_rx_intr_enable answered -ENOTSUP, then {_errno(again)}"
        unsupported("E29.rxq_intr", "rte_eth_dev_rx_intr_enable returned -ENOTSUP")
    assert rc == 0, f"rte_eth_dev_rx_intr_enable(queue 0) returned {_errno(rc)} on a started port with intr_conf.rxq=1"
    rc = rx_intr_disable(port, 0)
    assert rc == 0, f"rte_eth_dev_rx_intr_disable(queue 0) returned {_errno(rc)} after enable returned 0"
    frames = dut.frames(RX_ROUNDS + 1, 0x29)
    port.tx_burst(frames[:1], pool=pool)
    if frames[0] not in receive(port):
        unsupported("E29.rx_loop", "a frame sent on tx queue 0 did not come back on rx queue 0")
    drain(port, 1)
    quiet = rx_intr_round(port, 0, None, None, timeout_ms=QUIET_MS)
    assert quiet.rc == 0, (f"{quiet.failed} returned {_errno(quiet.rc)} on the worker lcore: an RX queue whose "
                           "interrupt can be enabled must give an event fd to wait on")
    assert not quiet.woke, (f"an lcore asleep on the armed, empty rx queue 0 woke after {quiet.wake_ms:.1f} ms "
                            f"with no frame sent: an RX interrupt must mean a frame")
    slow: list[str] = []
    times: list[float] = []
    for i, frame in enumerate(frames[1:]):
        for _attempt in range(2):  # a late wake-up is measured again once: a scheduler tick is not the driver's
            wake = rx_intr_round(port, 0, pool, frame)
            assert wake.rc == 0, f"round {i}: {wake.failed} returned {_errno(wake.rc)} on the worker lcore"
            assert wake.sent == 1, f"round {i}: the tx burst took {wake.sent} of 1 frame"
            assert wake.wake_ms != -2, (f"round {i}: the lcore asleep on the armed, drained rx queue 0 woke before "
                                        "the frame was sent")
            got = receive(port)
            assert frame in got, (f"round {i}: the frame sent while the worker slept did not come back "
                                  f"({len(got)} frames received)")
            assert wake.woke, (f"round {i}: an lcore asleep in rte_epoll_wait on rx queue 0 (armed with "
                               "rte_eth_dev_rx_intr_enable, event fd added with rte_eth_dev_rx_intr_ctl_q) was not "
                               "woken within 1 s by a frame that arrived on that queue: the RX interrupt never "
                               "fired")
            if wake.wake_ms <= RX_MAX_MS:
                times.append(wake.wake_ms)
                break
            slow.append(f"round {i}: {wake.wake_ms:.1f} ms")
        else:
            pytest.fail(f"round {i}: an lcore asleep on rx queue 0 woke {wake.wake_ms:.1f} ms after a frame "
                        f"arrived, twice more than {RX_MAX_MS:.0f} ms (late: {', '.join(slow)})")
    quiet = rx_intr_round(port, 0, None, None, timeout_ms=QUIET_MS)
    assert quiet.rc == 0 and not quiet.woke, (
        f"after {RX_ROUNDS} wake-ups, an lcore asleep on the armed, empty rx queue 0 woke with no frame sent "
        f"({quiet.failed or 'woke'} {_errno(quiet.rc)}, after {quiet.wake_ms:.1f} ms): the interrupt must be "
        "consumed with the wake-up")
    note(f"RX interrupt: {RX_ROUNDS} wake-ups of a sleeping lcore, worst {max(times):.2f} ms"
         + (f" (re-measured once: {', '.join(slow)})" if slow else "") + f"; none in {QUIET_MS} ms without a frame")
