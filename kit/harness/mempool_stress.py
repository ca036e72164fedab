"""A get/put stress of one mempool on every lcore of the EAL, and the non-default population paths.

stress_all_lcores() runs in C (csrc/mempool_stress.c): either every lcore gets and puts random bulks
(multi-producer/multi-consumer use), or the main lcore only gets and one worker only puts, objects
flowing from one to the other (the one use a single-producer/single-consumer pool allows). Holders
stamp the objects they hold, so an object handed to two holders at once is counted, not guessed.

populate_anon/populate_virt/populate_iova and register_extmem wrap DPDK's other ways to give a pool
its memory (rte_mempool_populate_default is Mempool.populate_default).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from kit.harness.eal import Eal
from kit.harness.errors import HarnessUsageError
from kit.harness.mempool import Mempool

MAX_BULK = 32


@dataclass(frozen=True)
class MultiStressResult:
    lcores: int
    ops: int            # get and put operations done, all lcores
    objects: int        # objects taken, all lcores
    duplicates: int     # objects handed out while another holder had them stamped
    stamp_changed: int  # objects whose holder's stamp was gone when it put them back
    foreign: int        # pointers outside the pool's memory
    get_failures: int   # gets that failed although the pool could not be empty
    empty_gets: int     # pipeline: gets that found the pool empty (objects in flight)
    final_count: int    # driver get_count once every lcore finished and flushed its cache
    final_avail: int    # rte_mempool_avail_count then
    seconds: float


def stress_all_lcores(pool: Mempool, *, ops: int, max_bulk: int = MAX_BULK, pipeline: bool = False,
                      seed: int = 1) -> MultiStressResult:
    """`ops` get or put operations per lcore (pipeline: get operations of the main lcore), bulks 1..max_bulk."""
    eal = Eal.current()
    if pool.held:
        raise HarnessUsageError(f"mempool {pool.name!r}: put back the {len(pool.held)} held objects before a stress")
    cfg = eal.ffi.new("struct kh_mstress_config *", {"pipeline": int(pipeline), "max_bulk": max_bulk, "ops": ops,
                                                      "seed": seed})
    out = eal.ffi.new("struct kh_mstress_result *")
    rc = int(eal.lib.kh_mp_stress(pool.ptr, cfg, out))
    if rc == -errno.ENODEV:
        raise HarnessUsageError("the stress needs an EAL with two lcores or more", "use EalConfig(lcores='0-1')")
    if rc == -errno.EBUSY:
        raise HarnessUsageError("the stress could not launch a worker lcore: it is busy")
    if rc < 0:
        raise HarnessUsageError(f"the stress refused its arguments (rc {rc}): max_bulk must be 1..{MAX_BULK}, "
                                "elt_size >= 8")
    return MultiStressResult(
        lcores=int(out.lcores), ops=int(out.ops), objects=int(out.objects), duplicates=int(out.duplicates),
        stamp_changed=int(out.stamp_changed), foreign=int(out.foreign), get_failures=int(out.get_failures),
        empty_gets=int(out.empty_gets), final_count=int(out.final_count), final_avail=int(out.final_avail),
        seconds=int(out.cycles) / max(int(out.tsc_hz), 1))


def populate_anon(pool: Mempool) -> int:
    """rte_mempool_populate_anon: objects added (0 means failure: DPDK returns 0 and sets rte_errno)."""
    return int(Eal.current().lib.kh_mp_populate_anon(pool.ptr))


def populate_virt(pool: Mempool, addr: int, length: int, page_size: int) -> int:
    """rte_mempool_populate_virt of [addr, addr+length) (no free callback): objects added or -errno."""
    return int(Eal.current().lib.kh_mp_populate_virt(pool.ptr, addr, length, page_size))


def populate_iova(pool: Mempool, addr: int, length: int) -> int:
    """rte_mempool_populate_iova of [addr, addr+length) with RTE_BAD_IOVA: one chunk; objects added or -errno."""
    return int(Eal.current().lib.kh_mp_populate_iova(pool.ptr, addr, length))


def dpdk_zmalloc(length: int, align: int) -> int:
    """rte_zmalloc from DPDK's heap; 0 when it fails. Free with dpdk_free."""
    return int(Eal.current().lib.kh_mp_zmalloc(length, align))


def dpdk_free(addr: int) -> None:
    Eal.current().lib.kh_mp_free(addr)


def register_extmem(addr: int, length: int, page_size: int) -> int:
    """rte_extmem_register (no IOVA table): 0 or -rte_errno."""
    return int(Eal.current().lib.kh_mp_extmem_register(addr, length, page_size))


def unregister_extmem(addr: int, length: int) -> int:
    return int(Eal.current().lib.kh_mp_extmem_unregister(addr, length))
