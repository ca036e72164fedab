"""Mempools through the harness: create, ops table, bulk get/put, counts, objects, audit, driver-level calls.

Object addresses are ints. The harness remembers which objects the caller holds (taken with get_bulk or
ops_dequeue_bulk and not yet put back) and refuses to put anything else, so a Python mistake cannot
corrupt a pool. Driver-level calls (ops_*) bypass the per-lcore cache and return DPDK's raw result,
because conformance checks judge the result itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypedDict, Unpack

from kit.harness.eal import Eal
from kit.harness.errors import HarnessUsageError, MempoolAuditError

SENTINEL = 0x5E5E5E5E5E5E5E5E  # default filler of the caller's table in try_get_bulk / ops_dequeue_bulk


@dataclass(frozen=True)
class OpsTable:
    """rte_mempool_ops_table: registered ops names in index order, and the number of slots."""

    names: tuple[str, ...]
    max_slots: int

    @property
    def free_slots(self) -> int:
        return self.max_slots - len(self.names)

    def index(self, name: str) -> int | None:
        """The slot DPDK would use for name (the first match: DPDK does not reject duplicates)."""
        return self.names.index(name) if name in self.names else None


@dataclass(frozen=True)
class BulkResult:
    """The raw outcome of a get/dequeue: rc (0 or -errno) and the whole caller's table after the call."""

    rc: int
    table: tuple[int, ...]

    @property
    def ok(self) -> bool:
        return self.rc == 0


class PoolShape(TypedDict, total=False):
    """The keyword arguments of Mempool.create_empty, which Mempool.create passes on (defaults: create_empty's)."""

    elt_size: int
    cache_size: int
    flags: int
    private_data_size: int
    socket_id: int


@dataclass(frozen=True)
class MempoolInfo:
    name: str
    size: int
    cache_size: int
    elt_size: int
    header_size: int
    trailer_size: int
    private_data_size: int
    flags: int
    ops_index: int
    ops_name: str | None
    populated_size: int
    nb_mem_chunks: int
    socket_id: int


def ops_table() -> OpsTable:
    eal = Eal.current()
    lib, ffi = eal.lib, eal.ffi
    names = tuple(ffi.string(lib.kh_ops_name(i)).decode() for i in range(lib.kh_ops_num()))
    return OpsTable(names, int(lib.kh_ops_max()))


def require_ops(name: str) -> int:
    """Return the ops index of name, or raise HarnessUsageError saying why it is not registered."""
    eal = Eal.current()
    table = ops_table()
    idx = table.index(name)
    if idx is not None:
        return idx
    namesize = int(eal.lib.RTE_MEMPOOL_OPS_NAMESIZE)
    log = [ln.strip() for ln in eal.log_text().splitlines() if "mempool ops" in ln.lower()]
    if len(name) >= namesize - 1:
        why = f"the name is {len(name)} characters; DPDK rejects ops names of {namesize - 1} or more"
        fix = "use a shorter ops name"
    elif table.free_slots == 0:
        why = (
            f"the ops table is full ({table.max_slots}/{table.max_slots} slots: {', '.join(table.names)}), "
            "so the driver's RTE_MEMPOOL_REGISTER_OPS failed with -ENOSPC (DPDK ignores that result)"
        )
        fix = "load fewer mempool plugins, or register fewer ops in the driver (one ops reading SP/SC flags)"
    else:
        why = f"it is not in the ops table ({', '.join(table.names)})"
        fix = "load the driver with EalConfig(plugins=(...)) and check that it registers this name"
    if log:
        why += f"; DPDK log: {log[-1]}"
    raise HarnessUsageError(f"mempool ops {name!r} is not registered: {why}", fix)


class Mempool:
    """A DPDK mempool. Create with Mempool.create() (or create_empty + set_ops + populate_default)."""

    _live: ClassVar[dict[int, Mempool]] = {}  # pointer -> pool, for pools this process created and not freed

    def __init__(self, ptr: Any, name: str) -> None:
        """Internal: wrap a pointer returned by DPDK. Use the classmethods."""
        self._eal = Eal.current()
        self._ptr = ptr
        self._addr = int(self._eal.ffi.cast("uintptr_t", ptr))
        self.name = name
        self._freed = False
        self._held: set[int] = set()
        self._objects: frozenset[int] | None = None
        self._attached: set[int] = set()  # port ids whose rx queues use this pool
        Mempool._live[self._addr] = self

    # -- creation -------------------------------------------------------------------------------

    @classmethod
    def create_empty(
        cls,
        name: str,
        size: int,
        *,
        elt_size: int = 64,
        cache_size: int = 0,
        flags: int = 0,
        private_data_size: int = 0,
        socket_id: int = -1,
    ) -> Mempool:
        """rte_mempool_create_empty: no ops chosen, no memory; call set_ops() then populate_default()."""
        eal = Eal.current()
        if size <= 0 or elt_size <= 0 or cache_size < 0 or private_data_size < 0:
            raise HarnessUsageError(f"mempool {name!r}: size and elt_size must be > 0, cache_size >= 0")
        mark = eal.log_mark()
        ptr = eal.lib.rte_mempool_create_empty(
            name.encode(), size, elt_size, cache_size, private_data_size, socket_id, flags
        )
        if ptr == eal.ffi.NULL:
            raise eal.error("rte_mempool_create_empty", eal.lib.kh_errno(), mark, detail=repr(name))
        return cls(ptr, name)

    @classmethod
    def create(cls, name: str, size: int, *, ops_name: str = "ring_mp_mc", **shape: Unpack[PoolShape]) -> Mempool:
        """create_empty(name, size, **shape) + set_ops(ops_name) + populate_default; the pool is freed again if a
        step fails."""
        mp = cls.create_empty(name, size, **shape)
        try:
            mp.set_ops(ops_name)
            mp.populate_default()
        except BaseException:
            mp.free()
            raise
        return mp

    def set_ops(self, ops_name: str) -> None:
        """rte_mempool_set_ops_byname; an unregistered name raises with the reason (see require_ops)."""
        eal = self._check()
        mark = eal.log_mark()
        rc = eal.lib.rte_mempool_set_ops_byname(self._ptr, ops_name.encode(), eal.ffi.NULL)
        if rc < 0:
            if rc == -22 and ops_table().index(ops_name) is None:
                require_ops(ops_name)
            raise eal.error("rte_mempool_set_ops_byname", rc, mark, detail=f"{self.name!r}, {ops_name!r}")

    def populate_default(self) -> int:
        """rte_mempool_populate_default: returns the number of objects added (0 if already populated)."""
        eal = self._check()
        mark = eal.log_mark()
        rc = eal.lib.rte_mempool_populate_default(self._ptr)
        self._objects = None
        return eal.check(rc, "rte_mempool_populate_default", mark, detail=repr(self.name))

    # -- state ----------------------------------------------------------------------------------

    @property
    def ptr(self) -> Any:
        """The struct rte_mempool * (a cffi pointer) for callers of the extension."""
        self._check()
        return self._ptr

    @property
    def address(self) -> int:
        return self._addr

    @property
    def alive(self) -> bool:
        return not self._freed and self._eal.alive

    def _check(self) -> Eal:
        if self._freed:
            raise HarnessUsageError(f"mempool {self.name!r} was freed", "create a new pool")
        if not self._eal.alive:
            raise HarnessUsageError(f"mempool {self.name!r}: the EAL was cleaned up")
        return self._eal

    def _check_populated(self) -> Eal:
        eal = self._check()
        if not self.info().flags & int(eal.lib.RTE_MEMPOOL_F_POOL_CREATED):
            raise HarnessUsageError(
                f"mempool {self.name!r} has no driver data yet (the ops' alloc runs at the first populate)",
                "call populate_default() first",
            )
        return eal

    def info(self) -> MempoolInfo:
        eal = self._check()
        out = eal.ffi.new("struct kh_mempool_info *")
        eal.lib.kh_mempool_info(self._ptr, out)
        ops_name = None
        if 0 <= out.ops_index < eal.lib.kh_ops_num():
            ops_name = eal.ffi.string(eal.lib.kh_ops_name(out.ops_index)).decode()
        return MempoolInfo(
            name=eal.ffi.string(out.name).decode(),
            size=out.size,
            cache_size=out.cache_size,
            elt_size=out.elt_size,
            header_size=out.header_size,
            trailer_size=out.trailer_size,
            private_data_size=out.private_data_size,
            flags=out.flags,
            ops_index=out.ops_index,
            ops_name=ops_name,
            populated_size=out.populated_size,
            nb_mem_chunks=out.nb_mem_chunks,
            socket_id=out.socket_id,
        )

    @property
    def size(self) -> int:
        return self.info().size

    @property
    def ops_name(self) -> str | None:
        return self.info().ops_name

    def avail_count(self) -> int:
        """rte_mempool_avail_count: objects in the driver plus in the per-lcore caches."""
        return int(self._check().lib.rte_mempool_avail_count(self._ptr))

    def in_use_count(self) -> int:
        return int(self._check().lib.rte_mempool_in_use_count(self._ptr))

    @property
    def held(self) -> frozenset[int]:
        """Objects the caller holds through this harness (taken and not yet put back)."""
        return frozenset(self._held)

    # -- get / put ------------------------------------------------------------------------------

    def _take(self, n: int, what: str, sentinel: int, call: Callable[[Any, Any, int], int]) -> BulkResult:
        """call(pool, table, n) (a get or a dequeue, named `what`) into a table pre-filled with sentinel; on success
        the caller holds the objects."""
        eal = self._check_populated()
        size = self.info().size
        if n < 0 or n > size:
            raise HarnessUsageError(
                f"{what} of {n} objects from mempool {self.name!r} of size {size}: the bulk must be 0..{size}"
            )
        table = eal.ffi.new("uintptr_t[]", [sentinel] * max(n, 1))
        rc = int(call(self._ptr, table, n))
        result = BulkResult(rc, tuple(table[0:n]))
        if rc == 0:
            self._held.update(result.table)
        return result

    def try_get_bulk(self, n: int, *, sentinel: int = SENTINEL) -> BulkResult:
        """rte_mempool_get_bulk into a table pre-filled with sentinel; shows what a failed get left there."""
        return self._take(n, "get", sentinel, self._eal.lib.kh_mempool_get_bulk)

    def get_bulk(self, n: int) -> list[int]:
        """Take n objects (all or nothing); raises DpdkError (ENOENT/ENOBUFS) when the pool cannot."""
        mark = self._eal.log_mark() if self.alive else 0
        result = self.try_get_bulk(n)
        if result.rc != 0:
            raise self._eal.error("rte_mempool_get_bulk", result.rc, mark, detail=f"{self.name!r}, n={n}")
        return list(result.table)

    def _take_back(self, objs: Sequence[int], what: str) -> Any:
        eal = self._check_populated()
        seen: set[int] = set()
        for o in objs:
            if o not in self._held or o in seen:
                raise HarnessUsageError(
                    f"{what} of {o:#x} to mempool {self.name!r}: the caller does not hold it "
                    "(never taken from this pool through the harness, or already put back)"
                )
            seen.add(o)
        return eal.ffi.new("uintptr_t[]", list(objs) or [0])

    def put_bulk(self, objs: Sequence[int]) -> None:
        """rte_mempool_put_bulk of objects taken with get_bulk / ops_dequeue_bulk."""
        table = self._take_back(objs, "put")
        self._eal.lib.kh_mempool_put_bulk(self._ptr, table, len(objs))
        self._held.difference_update(objs)

    # -- driver level (no cache) ----------------------------------------------------------------

    def ops_dequeue_bulk(self, n: int, *, sentinel: int = SENTINEL) -> BulkResult:
        """rte_mempool_ops_dequeue_bulk: straight to the driver's dequeue; raw rc, table as left."""
        return self._take(n, "dequeue", sentinel, self._eal.lib.kh_ops_dequeue_bulk)

    def ops_enqueue_bulk(self, objs: Sequence[int]) -> int:
        """rte_mempool_ops_enqueue_bulk: straight to the driver's enqueue; returns its raw rc."""
        table = self._take_back(objs, "enqueue")
        rc = int(self._eal.lib.kh_ops_enqueue_bulk(self._ptr, table, len(objs)))
        self._held.difference_update(objs)  # the put path ignores failures too: the objects are gone
        return rc

    def ops_get_count(self) -> int:
        """The driver's get_count: objects held by the driver, not counting per-lcore caches."""
        return int(self._check_populated().lib.kh_ops_get_count(self._ptr))

    # -- cache ----------------------------------------------------------------------------------

    def cache_len(self, lcore: int | None = None) -> int:
        """Objects in the default cache of lcore (default: the calling lcore); 0 without a cache."""
        eal = self._check()
        lc = int(eal.lib.kh_lcore_id()) if lcore is None else lcore
        return int(eal.lib.kh_mempool_cache_len(self._ptr, lc))

    def flush_cache(self) -> None:
        """rte_mempool_cache_flush of the calling lcore's default cache (a no-op without a cache)."""
        eal = self._check_populated()
        eal.lib.kh_mempool_cache_flush(self._ptr)

    # -- objects --------------------------------------------------------------------------------

    def objects(self) -> list[int]:
        """rte_mempool_obj_iter: the address of every object of the pool, in iteration order."""
        eal = self._check()
        cap = max(self.info().size, 1)
        out = eal.ffi.new("uintptr_t[]", cap)
        n = int(eal.lib.kh_mempool_objects(self._ptr, out, cap))
        return list(out[0 : min(n, cap)])

    def object_set(self) -> frozenset[int]:
        """objects() as a set, cached until the next populate."""
        if self._objects is None:
            self._objects = frozenset(self.objects())
        return self._objects

    def chunks(self) -> list[tuple[int, int]]:
        """rte_mempool_mem_iter: (start address, length) of each memory chunk."""
        eal = self._check()
        cap = max(self.info().nb_mem_chunks, 1)
        starts, lens = eal.ffi.new("uintptr_t[]", cap), eal.ffi.new("uintptr_t[]", cap)
        n = min(int(eal.lib.kh_mempool_chunks(self._ptr, starts, lens, cap)), cap)
        return [(starts[i], lens[i]) for i in range(n)]

    def owns(self, addr: int) -> bool:
        """True if addr is an object of this pool (an object address, and rte_mempool_from_obj agrees)."""
        eal = self._check()
        if addr not in self.object_set():
            return False
        return int(eal.lib.kh_mempool_from_obj(addr)) == self._addr

    def audit(self) -> None:
        """rte_mempool_audit, without its abort: inconsistencies raise MempoolAuditError instead."""
        eal = self._check()
        reason = eal.ffi.new("char[]", 256)
        if eal.lib.kh_mempool_audit(self._ptr, reason, 256) != 0:
            raise MempoolAuditError(f"mempool {self.name!r}: {eal.ffi.string(reason).decode()}")
        info = self.info()
        if info.flags & int(eal.lib.RTE_MEMPOOL_F_POOL_CREATED):
            cached = sum(self.cache_len(lc) for lc in range(int(eal.lib.RTE_MAX_LCORE))) if info.cache_size else 0
            in_driver = self.ops_get_count()
            if in_driver + cached > info.size:
                raise MempoolAuditError(
                    f"mempool {self.name!r}: driver count {in_driver} + cached {cached} exceeds size {info.size}"
                )

    # -- teardown -------------------------------------------------------------------------------

    def free(self) -> None:
        """rte_mempool_free. Later calls on this object raise HarnessUsageError."""
        if self._freed or not self._eal.alive:
            self._freed = True
            return
        if self._attached:
            raise HarnessUsageError(
                f"mempool {self.name!r} is used by the rx queues of port(s) {sorted(self._attached)}",
                "close those ports first",
            )
        self._eal.lib.rte_mempool_free(self._ptr)
        self._freed = True
        Mempool._live.pop(self._addr, None)

    def __enter__(self) -> Mempool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.free()

    def __repr__(self) -> str:
        state = "freed" if self._freed else f"size={self.info().size}"
        return f"<{type(self).__name__} {self.name!r} {state}>"


def mempool_flags(*, sp_put: bool = False, sc_get: bool = False, no_cache_align: bool = False) -> int:
    """The RTE_MEMPOOL_F_* bits for the common options."""
    lib = Eal.current().lib
    flags = 0
    if sp_put:
        flags |= int(lib.RTE_MEMPOOL_F_SP_PUT)
    if sc_get:
        flags |= int(lib.RTE_MEMPOOL_F_SC_GET)
    if no_cache_align:
        flags |= int(lib.RTE_MEMPOOL_F_NO_CACHE_ALIGN)
    return flags


def _check_mbuf_pool_ops(eal: Eal) -> None:
    """An EAL started with --mbuf-pool-ops-name NAME: NAME must be registered (else why it is not)."""
    if eal.config.mbuf_pool_ops_name:
        require_ops(eal.config.mbuf_pool_ops_name)


Eal.on_init(_check_mbuf_pool_ops)

__all__ = [
    "SENTINEL",
    "BulkResult",
    "Mempool",
    "MempoolInfo",
    "OpsTable",
    "mempool_flags",
    "ops_table",
    "require_ops",
]
