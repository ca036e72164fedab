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

# Bytes a heap element made again may take beyond the one it replaces: DPDK's allocator keeps an aligned
# allocation's leading pad inside the element when the pad is too small to split off, so the same calls can land
# with more or less pad (measured: 128 bytes after a queue's rings were re-made). A memzone's alignment (at most a
# page here) bounds it. Leaks still show exactly, as an element or a memzone more.
PADDING_SLACK = 4096


@dataclass(frozen=True)
class MemorySnapshot:
    memzones: int
    heap_used: int
    allocations: int = 0

    def leaked_since(self, before: MemorySnapshot) -> str | None:
        """What is still held of what was allocated after `before` (None: nothing): a memzone or a heap element
        more, or heap bytes grown by more than alignment padding can explain."""
        if (self.memzones, self.allocations) == (before.memzones, before.allocations) and \
                self.heap_used - before.heap_used <= PADDING_SLACK:
            return None
        return (f"memzones {before.memzones} -> {self.memzones}, heap elements {before.allocations} -> "
                f"{self.allocations}, heap bytes in use {before.heap_used} -> {self.heap_used}")


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
    return MemorySnapshot(int(out.memzones), int(out.heap_used), int(out.allocations))


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
