"""Packet mbufs: pktmbuf pools, alloc/free, bytes in and out, chains, and the fields checks read.

An Mbuf is a handle the harness tracks: owned by the caller until freed, chained into another mbuf,
or taken by a driver's tx burst. Using it in any other state raises HarnessUsageError, never touches
freed memory.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from kit.harness.eal import Eal
from kit.harness.errors import HarnessUsageError
from kit.harness.mempool import Mempool, ops_table, require_ops

OWNED, FREED, CHAINED, SENT = "owned", "freed", "chained", "sent"


@dataclass(frozen=True)
class MbufFields:
    """The rte_mbuf fields a conformance check reads (addresses as ints)."""

    addr: int
    buf_addr: int
    buf_len: int
    data_off: int
    data_len: int
    pkt_len: int
    nb_segs: int
    next: int
    port: int
    ol_flags: int
    packet_type: int
    refcnt: int
    rss: int  # hash.rss
    pool: int  # address of the owning mempool
    priv_size: int


def read_fields(eal: Eal, addr: int) -> MbufFields:
    out = eal.ffi.new("struct kh_mbuf_fields *")
    eal.lib.kh_mbuf_fields(addr, out)
    return MbufFields(
        addr=out.addr,
        buf_addr=out.buf_addr,
        buf_len=out.buf_len,
        data_off=out.data_off,
        data_len=out.data_len,
        pkt_len=out.pkt_len,
        nb_segs=out.nb_segs,
        next=out.next,
        port=out.port,
        ol_flags=out.ol_flags,
        packet_type=out.packet_type,
        refcnt=out.refcnt,
        rss=out.rss,
        pool=out.pool,
        priv_size=out.priv_size,
    )


def pool_of_mbuf(addr: int) -> PktmbufPool | None:
    """The live harness pktmbuf pool that addr is an object of, found without dereferencing addr."""
    for pool in list(PktmbufPool.live_pools()):
        if addr in pool.object_set():
            return pool
    return None


class PktmbufPool(Mempool):
    """A pktmbuf pool (rte_pktmbuf_pool_create_by_ops)."""

    DEFAULT_DATA_ROOM: ClassVar[int] = 2176  # RTE_MBUF_DEFAULT_BUF_SIZE: 2048 + 128 headroom

    @classmethod
    def create(  # type: ignore[override]
        cls,
        name: str,
        size: int,
        *,
        cache_size: int = 0,
        priv_size: int = 0,
        data_room_size: int = DEFAULT_DATA_ROOM,
        ops_name: str | None = None,
        socket_id: int = -1,
    ) -> PktmbufPool:
        """ops_name None: DPDK's choice (--mbuf-pool-ops-name, then the platform's, then ring_mp_mc)."""
        eal = Eal.current()
        if size <= 0 or not 0 <= data_room_size <= 0xFFFF or not 0 <= priv_size <= 0xFFFF:
            raise HarnessUsageError(f"pktmbuf pool {name!r}: bad size {size} / data room / priv size")
        mark = eal.log_mark()
        ops = ops_name.encode() if ops_name else eal.ffi.NULL
        ptr = eal.lib.rte_pktmbuf_pool_create_by_ops(
            name.encode(), size, cache_size, priv_size, data_room_size, socket_id, ops
        )
        if ptr == eal.ffi.NULL:
            err = eal.lib.kh_errno()
            if ops_name and ops_table().index(ops_name) is None:
                require_ops(ops_name)
            raise eal.error("rte_pktmbuf_pool_create_by_ops", err, mark, detail=f"{name!r}, n={size}")
        return cls(ptr, name)

    def __init__(self, ptr: Any, name: str) -> None:
        super().__init__(ptr, name)
        self._mbufs: dict[int, Mbuf] = {}

    @classmethod
    def live_pools(cls) -> list[PktmbufPool]:
        return [p for p in Mempool._live.values() if isinstance(p, PktmbufPool) and p.alive]

    @property
    def data_room_size(self) -> int:
        return int(self._check().lib.kh_pktmbuf_data_room_size(self._ptr))

    @property
    def max_packet_len(self) -> int:
        """The most bytes one segment of this pool can take (data room minus headroom)."""
        return self.data_room_size - int(self._eal.lib.RTE_PKTMBUF_HEADROOM)

    def alloc(self) -> Mbuf:
        """rte_pktmbuf_alloc; DpdkError ENOBUFS when the pool is empty."""
        eal = self._check()
        addr = int(eal.lib.kh_pktmbuf_alloc(self._ptr))
        if addr == 0:
            raise eal.error("rte_pktmbuf_alloc", errno.ENOBUFS, eal.log_mark(), detail=repr(self.name))
        return Mbuf(self, addr)

    def alloc_bulk(self, n: int) -> list[Mbuf]:
        """rte_pktmbuf_alloc_bulk (all or nothing)."""
        eal = self._check()
        if not 0 <= n <= self.info().size:
            raise HarnessUsageError(f"alloc of {n} mbufs from pool {self.name!r} of size {self.info().size}")
        table = eal.ffi.new("uintptr_t[]", max(n, 1))
        mark = eal.log_mark()
        eal.check(eal.lib.kh_pktmbuf_alloc_bulk(self._ptr, table, n), "rte_pktmbuf_alloc_bulk", mark, detail=f"n={n}")
        return [Mbuf(self, table[i]) for i in range(n)]

    def reclaim(self, addr: int) -> Mbuf:
        """A handle on an mbuf of this pool that the caller holds a reference to (Mbuf.add_reference) after
        the handle it had went to a driver with a tx burst."""
        self._check()
        if addr not in self.object_set():
            raise HarnessUsageError(f"{addr:#x} is not an mbuf of pool {self.name!r}")
        if addr in self._mbufs and self._mbufs[addr].state == OWNED:
            raise HarnessUsageError(f"mbuf {addr:#x} already has an owned handle")
        return Mbuf(self, addr)

    def outstanding(self) -> list[Mbuf]:
        """Mbuf handles of this pool the caller still owns."""
        return [m for m in self._mbufs.values() if m.state == OWNED]

    def free(self) -> None:
        for m in self._mbufs.values():
            if m.state == OWNED:
                m.state = FREED  # freeing the pool frees its memory: handles must not be used
        super().free()


class Mbuf:
    """A handle on one rte_mbuf (a chain's head for multi-segment packets)."""

    def __init__(self, pool: PktmbufPool, addr: int) -> None:
        self.pool = pool
        self.addr = addr
        self.state = OWNED
        pool._mbufs[addr] = self

    def _check(self) -> Eal:
        eal = self.pool._check()
        if self.state != OWNED:
            raise HarnessUsageError(f"mbuf {self.addr:#x} is {self.state}; only an owned mbuf can be used")
        return eal

    @property
    def alive(self) -> bool:
        return self.state == OWNED and self.pool.alive

    def fields(self) -> MbufFields:
        return read_fields(self._check(), self.addr)

    def segments(self) -> list[MbufFields]:
        """The fields of every segment, following next (bounded by nb_segs of the head + 1)."""
        eal = self._check()
        head = read_fields(eal, self.addr)
        segs, addr = [head], head.next
        while addr and len(segs) <= head.nb_segs:
            if pool_of_mbuf(addr) is None:
                raise HarnessUsageError(f"mbuf {self.addr:#x}: segment pointer {addr:#x} is not an mbuf of any pool")
            seg = read_fields(eal, addr)
            segs.append(seg)
            addr = seg.next
        return segs

    def append(self, data: bytes) -> None:
        """rte_pktmbuf_append + copy: add data at the end of the last segment (DpdkError ENOSPC if no room)."""
        eal = self._check()
        mark = eal.log_mark()
        eal.check(eal.lib.kh_pktmbuf_append(self.addr, data, len(data)), "rte_pktmbuf_append", mark,
                  detail=f"{len(data)} bytes")

    def read(self, offset: int = 0, length: int | None = None) -> bytes:
        """rte_pktmbuf_read across segments: bytes [offset, offset+length) of the packet."""
        eal = self._check()
        pkt_len = read_fields(eal, self.addr).pkt_len
        if length is None:
            length = pkt_len - offset
        if offset < 0 or length < 0 or offset + length > pkt_len:
            raise HarnessUsageError(f"read of [{offset}, {offset + length}) from a packet of {pkt_len} bytes")
        buf = eal.ffi.new("uint8_t[]", max(length, 1))
        if length and eal.lib.kh_pktmbuf_read(self.addr, offset, length, buf) != 0:
            raise HarnessUsageError(f"mbuf {self.addr:#x}: segments hold fewer bytes than pkt_len says")
        return bytes(eal.ffi.buffer(buf, length))

    def chain(self, tail: Mbuf) -> None:
        """rte_pktmbuf_chain: append tail's segments; tail's handle becomes part of this packet."""
        eal = self._check()
        tail._check()
        if tail is self:
            raise HarnessUsageError("cannot chain an mbuf to itself")
        mark = eal.log_mark()
        eal.check(eal.lib.kh_pktmbuf_chain(self.addr, tail.addr), "rte_pktmbuf_chain", mark)
        tail.state = CHAINED

    def add_reference(self) -> int:
        """rte_mbuf_refcnt_update(m, 1), as an application that keeps a sent mbuf (a retransmit queue, a
        clone) does; returns the new count. After a tx burst the caller gets its handle back with
        pool.reclaim(addr) and frees it."""
        return int(self._check().lib.kh_mbuf_refcnt_update(self.addr, 1))

    def check(self, is_header: bool = True) -> str | None:
        """rte_mbuf_check without its panic: None if sane, else DPDK's reason."""
        eal = self._check()
        reason = eal.ffi.new("char[]", 128)
        if eal.lib.kh_mbuf_check(self.addr, int(is_header), reason, 128) == 0:
            return None
        return eal.ffi.string(reason).decode()

    def free(self) -> None:
        """rte_pktmbuf_free (the whole chain). A second free raises."""
        eal = self._check()
        eal.lib.kh_pktmbuf_free(self.addr)
        self.state = FREED
        self.pool._mbufs.pop(self.addr, None)

    def __repr__(self) -> str:
        return f"<Mbuf {self.addr:#x} {self.state} pool={self.pool.name!r}>"


def mark_sent(mbufs: Sequence[Mbuf]) -> None:
    """Internal: a driver's tx burst took these; the caller no longer owns them."""
    for m in mbufs:
        m.state = SENT
        m.pool._mbufs.pop(m.addr, None)
