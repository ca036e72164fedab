"""Functions the suites run in a child EAL (run_in_child pickles them by module path, so they live here)."""

from __future__ import annotations

from dataclasses import asdict

from kit.harness import Mempool, stress_two_lcores
from kit.harness.mempool_stress import stress_all_lcores


def free_never_populated(ops: str) -> str:
    """create_empty + set_ops + free: the driver's free runs with pool_data NULL (alloc never ran)."""
    pool = Mempool.create_empty("kitc_unpop", 64, elt_size=64)
    pool.set_ops(ops)
    pool.free()
    return "freed"


def two_lcore_stress(ops: str, cache_size: int) -> dict[str, int]:
    """Two lcores get and put bulks of 8 on one MP/MC pool; counts of rounds, duplicates and lost objects."""
    pool = Mempool.create("kitc_stress", 2047, elt_size=64, cache_size=cache_size, ops_name=ops)
    try:
        result = stress_two_lcores(pool, iterations=20000, bulk=8)
        pool.flush_cache()
        return {"rounds": result.rounds, "duplicates": result.duplicates, "failures": result.failures,
                "foreign": result.foreign, "lost": pool.size - pool.avail_count()}
    finally:
        pool.free()


def _drain(pool: Mempool) -> dict[str, int]:
    """Take everything the driver holds (bulks of 32, then single objects) and put it back: how many objects
    came out, how many twice, how many are not objects of the pool."""
    taken: list[int] = []
    for bulk in (32, 1):
        while len(taken) + bulk <= pool.size + 1:
            result = pool.ops_dequeue_bulk(min(bulk, pool.size))
            if not result.ok:
                break
            taken += result.table
    distinct = set(taken)
    foreign = len(distinct - pool.object_set())
    pool.ops_enqueue_bulk(sorted(distinct))
    return {"drained": len(taken), "drained_distinct": len(distinct), "drained_foreign": foreign}


def multi_lcore_stress(ops: str, cache_size: int, n_ops: int, pipeline: bool, seed: int = 1) -> dict[str, object]:
    """M12/M14: one pool of 2047 objects, every lcore getting and putting (or the main lcore getting and one
    worker putting); the stress result, the driver's count once all finished, and a drain of the driver."""
    pool = Mempool.create("kitc_mstress", 2047, elt_size=64, cache_size=cache_size, ops_name=ops)
    try:
        result = stress_all_lcores(pool, ops=n_ops, pipeline=pipeline, seed=seed)
        counts = {"size": pool.size, "get_count_after": pool.ops_get_count(), "avail_after": pool.avail_count()}
        return {**asdict(result), **counts, **_drain(pool)}
    finally:
        pool.free()
