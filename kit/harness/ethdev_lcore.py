"""Datapath work on several lcores, for the ethdev suite (csrc/ethdev_lcore.c).

flows_on_lcores() sends and receives one flow per queue, each queue polled from its own lcore at once, and
reports per queue what came back (in order, duplicated, reordered, foreign). PeerSender keeps a port sending
from a worker lcore while the caller does something else (stops another port). BuffersTaken takes every mbuf
a pool has available and fills it with a pattern, then tells whether anything wrote into them since.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Any

from kit.harness.eal import Eal
from kit.harness.errors import HarnessUsageError
from kit.harness.mbuf import PktmbufPool

MAX_FRAME = 256
MAX_FLOWS = 2


@dataclass(frozen=True)
class Flow:
    queue: int
    frame: bytes      # the sequence number (4 bytes, little-endian) is written at seq_off
    seq_off: int
    tag_off: int      # frame[tag_off] tells this flow from the others
    count: int


@dataclass(frozen=True)
class FlowResult:
    lcore: int
    sent: int
    received: int
    in_order: int
    duplicates: int
    out_of_order: int
    late: int
    foreign: int
    bad_len: int
    alloc_failures: int
    first_bad_seq: int
    first_bad_after: int


def _raise_for(rc: int, what: str) -> None:
    if rc == -errno.ENODEV:
        raise HarnessUsageError(f"{what} needs an EAL with two lcores", "use EalConfig(lcores='0-1')")
    if rc == -errno.EBUSY:
        raise HarnessUsageError(f"{what} could not launch its worker lcore: it is busy")
    if rc < 0:
        raise HarnessUsageError(f"{what} refused its arguments (rc {rc})")


def flows_on_lcores(port_id: int, pool: PktmbufPool, flows: list[Flow], *, idle_ms: int = 300) -> list[FlowResult]:
    """Flow i on its queue from lcore i (0: the calling lcore), all at once; each lcore stops once it received
    everything it sent or nothing came for idle_ms."""
    eal = Eal.current()
    if not 1 <= len(flows) <= MAX_FLOWS:
        raise HarnessUsageError(f"{len(flows)} flows: 1..{MAX_FLOWS}")
    cflows = eal.ffi.new("struct kh_lc_flow[]", len(flows))
    for c, f in zip(cflows, flows, strict=True):
        if len(f.frame) > MAX_FRAME:
            raise HarnessUsageError(f"a frame of {len(f.frame)} bytes: at most {MAX_FRAME}")
        c.queue, c.len, c.seq_off, c.tag_off, c.count = f.queue, len(f.frame), f.seq_off, f.tag_off, f.count
        c.tag = f.frame[f.tag_off]
        eal.ffi.memmove(c.frame, f.frame, len(f.frame))
    out = eal.ffi.new("struct kh_lc_result[]", len(flows))
    _raise_for(int(eal.lib.kh_lc_flows(port_id, pool.ptr, cflows, len(flows), idle_ms, out)), "flows_on_lcores")
    return [FlowResult(*(int(getattr(r, name)) for name in FlowResult.__dataclass_fields__)) for r in out]


class PeerSender:
    """`with PeerSender(port_id, queue, pool, frame):` the frame sent from a worker lcore until the block ends."""

    def __init__(self, port_id: int, queue: int, pool: PktmbufPool, frame: bytes) -> None:
        self.args = (port_id, queue, pool, frame)
        self.sent = 0

    def __enter__(self) -> PeerSender:
        eal = Eal.current()
        port_id, queue, pool, frame = self.args
        _raise_for(int(eal.lib.kh_lc_sender_start(port_id, queue, pool.ptr, frame, len(frame))), "the peer sender")
        return self

    def __exit__(self, *exc: object) -> None:
        self.sent = int(Eal.current().lib.kh_lc_sender_stop())


class BuffersTaken:
    """Every mbuf `pool` has available, taken and filled with `pattern` (in C, outside the pool's Python
    bookkeeping): written() counts those no longer carrying it; give_back() frees them."""

    def __init__(self, pool: PktmbufPool, pattern: int = 0xA5) -> None:
        eal = Eal.current()
        self.pattern = pattern
        self._held: Any = eal.ffi.new("struct rte_mbuf *[]", max(pool.size, 1))
        self.count = int(eal.lib.kh_lc_take_and_fill(pool.ptr, self._held, pool.size, pattern))

    def written(self) -> tuple[int, int]:
        """(buffers written since they were filled, the first one's offset or -1)."""
        eal = Eal.current()
        first = eal.ffi.new("int32_t *")
        n = int(eal.lib.kh_lc_count_written(self._held, self.count, self.pattern, first))
        return n, int(first[0])

    def give_back(self) -> None:
        if self.count:
            Eal.current().lib.kh_lc_give_back(self._held, self.count)
            self.count = 0
