"""Leak accounting and a two-lcore mempool stress, for the conformance suites.

memory_snapshot() counts memzones and heap bytes in use: a check that frees everything it created
must leave both where they were. stress_two_lcores() gets and puts bulks on one pool from the main
lcore and a worker lcore at once, and reports any object that both held at the same time.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from kit.harness.eal import Eal
from kit.harness.errors import HarnessUsageError
from kit.harness.mempool import Mempool


@dataclass(frozen=True)
class MemorySnapshot:
    memzones: int
    heap_used: int


@dataclass(frozen=True)
class StressResult:
    rounds: int
    duplicates: int
    failures: int
    foreign: int


def memory_snapshot() -> MemorySnapshot:
    eal = Eal.current()
    out = eal.ffi.new("struct kh_memory *")
    eal.lib.kh_memory_snapshot(out)
    return MemorySnapshot(int(out.memzones), int(out.heap_used))


def stress_two_lcores(pool: Mempool, *, iterations: int, bulk: int) -> StressResult:
    """Both lcores loop get_bulk(bulk) / put_bulk for `iterations` rounds each (needs an EAL with 2 lcores)."""
    eal = Eal.current()
    if pool.held:
        raise HarnessUsageError(f"mempool {pool.name!r}: put back the {len(pool.held)} held objects before a stress")
    out = eal.ffi.new("struct kh_stress_result *")
    rc = int(eal.lib.kh_mempool_stress_2lcores(pool.ptr, bulk, iterations, out))
    if rc == -errno.ENODEV:
        raise HarnessUsageError("the two-lcore stress needs an EAL with two lcores", "use EalConfig(lcores='0-1')")
    if rc == -errno.EBUSY:
        raise HarnessUsageError("the two-lcore stress could not launch its worker lcore: it is busy",
                                "wait for the work running on lcore 1 to finish")
    if rc < 0:
        raise HarnessUsageError(f"two-lcore stress refused its arguments (bulk {bulk} must be 1..64, elt_size >= 8)")
    return StressResult(int(out.rounds), int(out.duplicates), int(out.failures), int(out.foreign))
