"""Functions the suites run in a child EAL (run_in_child pickles them by module path, so they live here)."""

from __future__ import annotations

from kit.harness import Mempool, stress_two_lcores


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
