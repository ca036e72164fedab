"""Interrupts of an ethdev port, for the ethdev suite (csrc/ethdev_intr.c).

advertises_lsc() reads RTE_ETH_DEV_INTR_LSC from the port's dev_flags. LscWatch registers a C callback for
RTE_ETH_EVENT_INTR_LSC (it runs on EAL's interrupt thread) and flips the link with rte_eth_dev_set_link_down/up,
timing each event from the call. rx_intr_round() arms an RX queue's interrupt on the worker lcore, which sleeps
in rte_epoll_wait, while the calling lcore sends one frame (or nothing) and reports when the worker woke.
Answers that are a driver's behaviour come back as values (negative errno) for the check to judge; only misuse
of the harness raises.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from kit.harness.eal import Eal
from kit.harness.errors import HarnessUsageError
from kit.harness.ethdev import Port
from kit.harness.mbuf import PktmbufPool

LINK_DOWN, LINK_UP = 0, 1
NOT_READ = 0xFF


def advertises_lsc(port: Port) -> bool:
    """Whether the port's dev_flags have RTE_ETH_DEV_INTR_LSC."""
    eal, _ = port._check()
    rc = int(eal.lib.kh_intr_dev_lsc(port.port_id))
    if rc < 0:
        raise HarnessUsageError(f"rte_eth_dev_info_get of port {port.port_id} failed: {rc}")
    return rc == 1


@dataclass(frozen=True)
class LscFlip:
    rc: int            # rte_eth_dev_set_link_up/down's answer
    events: int        # LSC events since the watch began, once the wait ended
    latency_ms: float  # call to event; -1.0 if none came within the wait
    cb_status: int     # link status rte_eth_link_get_nowait gave inside the callback
    after_status: int  # and right after, on the calling lcore (NOT_READ: no event)


class LscWatch:
    """`with LscWatch(port) as w:` the LSC callback registered for the block; w.flip(up), w.events()."""

    def __init__(self, port: Port) -> None:
        self.port = port

    def __enter__(self) -> LscWatch:
        eal, _ = self.port._check()
        rc = int(eal.lib.kh_intr_lsc_register(self.port.port_id))
        if rc != 0:
            raise HarnessUsageError(f"rte_eth_dev_callback_register(RTE_ETH_EVENT_INTR_LSC) failed: {rc}")
        return self

    def __exit__(self, *exc: object) -> None:
        Eal.current().lib.kh_intr_lsc_unregister(self.port.port_id)

    def events(self) -> int:
        return int(Eal.current().lib.kh_intr_lsc_events())

    def flip(self, up: bool, wait_ms: int = 1000) -> LscFlip:
        """rte_eth_dev_set_link_up (up) or _down, then up to wait_ms for an LSC event."""
        eal = Eal.current()
        out = eal.ffi.new("struct kh_intr_lsc_result *")
        if int(eal.lib.kh_intr_lsc_flip(self.port.port_id, int(up), wait_ms, out)) != 0:
            raise HarnessUsageError("LscWatch.flip outside its with block")
        latency = -1.0 if out.latency_us < 0 else out.latency_us / 1000
        return LscFlip(int(out.rc), int(out.events), latency, int(out.cb_status), int(out.after_status))


def rx_intr_enable(port: Port, queue: int = 0) -> int:
    """rte_eth_dev_rx_intr_enable: 0 or a negative errno."""
    eal, _ = port._check()
    return int(eal.lib.kh_intr_rx_enable(port.port_id, queue))


def rx_intr_disable(port: Port, queue: int = 0) -> int:
    eal, _ = port._check()
    return int(eal.lib.kh_intr_rx_disable(port.port_id, queue))


RX_STAGES = {1: "rte_eth_dev_rx_intr_ctl_q(RTE_INTR_EVENT_ADD)", 2: "rte_eth_dev_rx_intr_enable",
             3: "rte_epoll_wait"}


@dataclass(frozen=True)
class RxWake:
    rc: int          # 0, or the negative errno of `failed`
    failed: str      # the call that failed on the worker ("" if none)
    woke: bool       # rte_epoll_wait returned an event
    wake_ms: float   # from the tx burst (no frame: from the arming) to the wake-up; -1 none; -2 before the burst
    sent: int        # frames the tx burst took


def rx_intr_round(port: Port, queue: int, pool: PktmbufPool | None, frame: bytes | None, *, settle_ms: int = 20,
                  timeout_ms: int = 1000) -> RxWake:
    """The worker lcore arms rx queue `queue` and sleeps in rte_epoll_wait up to timeout_ms; settle_ms after it
    armed, the calling lcore sends `frame` on tx queue `queue` (None: sends nothing)."""
    eal, _ = port._check()
    if (frame is None) != (pool is None):
        raise HarnessUsageError("rx_intr_round needs both a frame and a pool, or neither")
    out = eal.ffi.new("struct kh_intr_rx_result *")
    data = eal.ffi.from_buffer(frame) if frame is not None else eal.ffi.NULL
    rc = int(eal.lib.kh_intr_rx_round(port.port_id, queue, pool.ptr if pool is not None else eal.ffi.NULL, data,
                                      len(frame or b""), settle_ms, timeout_ms, out))
    if rc == -errno.ENODEV:
        raise HarnessUsageError("rx_intr_round needs an EAL with two lcores", "use EalConfig(lcores='0-1')")
    if rc == -errno.EBUSY:
        raise HarnessUsageError("rx_intr_round could not launch its worker lcore: it is busy")
    if rc < 0:
        raise HarnessUsageError(f"rx_intr_round refused its arguments (rc {rc})")
    wake = float(out.wake_us) if out.wake_us < 0 else out.wake_us / 1000
    return RxWake(int(out.rc), RX_STAGES.get(int(out.stage), ""), bool(out.woke > 0), wake, int(out.sent))
