"""Helpers of the ethdev suite's queue checks (E15-E17, E26, E28): valid descriptor counts, whether the port loops
frames back, traffic from a pool the check owns, and the answer of an optional op."""

from __future__ import annotations

from collections.abc import Callable

from kit.conformance.suites.ethdev.dut import Dut, drain, errno_of
from kit.harness import DescLim, DpdkError, PktmbufPool, Port


def valid_range(lim: DescLim) -> tuple[int, int]:
    """The smallest and largest nb_desc the limits allow (multiples of nb_align in [nb_min, nb_max], not 0: 0
    asks for the driver's default)."""
    align = max(lim.nb_align, 1)
    lo = -(-max(lim.nb_min, 1) // align) * align
    hi = lim.nb_max // align * align
    return lo, hi


def moderate_count(lim: DescLim) -> int:
    """A valid nb_desc that is neither the smallest nor (where possible) the driver's usual 512/1024 default:
    the smallest valid count of at least 96, else the largest."""
    lo, hi = valid_range(lim)
    align = max(lim.nb_align, 1)
    n = max(lo + align, -(-96 // align) * align)
    return n if n <= hi else hi


def send_from(port: Port, pool: PktmbufPool, packets: list[bytes], queue: int = 0, tries: int = 8) -> int:
    """tx every packet with mbufs of `pool` (retrying what the driver did not take); how many it took."""
    sent = 0
    for _ in range(tries):
        if sent == len(packets):
            break
        sent += port.tx_burst(packets[sent:sent + 32], queue, pool=pool)
    return sent


def receive(port: Port, queue: int = 0, polls: int = 16) -> list[bytes]:
    got: list[bytes] = []
    for _ in range(polls):
        burst = port.rx_burst(queue, 32)
        got += [p.data for p in burst]
        if not burst and got:
            break
    return got


def loops(dut: Dut, port: Port, pool: PktmbufPool | None = None, tag: int = 0x51) -> bool:
    """Whether the started port gives back frames it sent (a loop-back device): 4 tagged frames (mbufs from pool,
    default the rx queue's), any back."""
    frames = dut.frames(4, tag)
    sent = port.tx_burst(frames, pool=pool)
    back = set(receive(port))
    return sent > 0 and any(f in back for f in frames)


def loop_measured(dut: Dut, port: Port) -> tuple[bool, str]:
    """Whether the started port loops, and the measurement as text (the n/a reason when it does not)."""
    looped = loops(dut, port, tag=0x21)
    drain(port, 1, 8)
    return looped, "4 tagged frames sent, none came back on rx queue 0"


def answer(call: Callable[[], object]) -> object:
    """The call's result, or the errno name it failed with."""
    try:
        return call()
    except DpdkError as exc:
        return exc.errno_name


def enotsup_everywhere(calls: list[Callable[[], object]]) -> tuple[bool, list[object]]:
    """(every call answered ENOTSUP, the answers): an optional op must be absent consistently."""
    answers = [answer(c) for c in calls]
    return all(a == "ENOTSUP" for a in answers), answers


__all__ = ["answer", "enotsup_everywhere", "errno_of", "loops", "moderate_count", "receive", "send_from",
           "valid_range"]
