"""The mempool suite (docs/conformance.md), M1-M10: on the real EAL of this pytest process."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from kit.conformance.plugin import KitTarget
from kit.conformance.suites.mempool.child_ops import free_never_populated, two_lcore_stress
from kit.conformance.suites.mempool.conftest import F_SC_GET, F_SP_PUT, PoolFactory, pool_name
from kit.harness import DpdkError, Eal, EalConfig, Mempool, memory_snapshot, run_in_child
from kit.harness.mempool import SENTINEL, require_ops

# -- M1 registration ------------------------------------------------------------------------------


@pytest.mark.check("M1")
def test_m1_ops_registered_after_plugin_load(eal: Eal, ops: str) -> None:
    """Verify: the ops name is in rte_mempool_ops_table (RTE_MEMPOOL_REGISTER_OPS ignores failures:
    an ops missing a mandatory op, a full table or a 31+ character name is only visible as absence)."""
    require_ops(ops)


# -- M2 create / populate -------------------------------------------------------------------------


@pytest.mark.check("M2")
def test_m2_create_set_ops_populate(eal: Eal, ops: str) -> None:
    """Steps: create_empty, set_ops_byname, populate_default, populate again, set_ops again.
    Verify: alloc runs lazily at populate; the second populate adds nothing; set_ops after populate fails."""
    pool = Mempool.create_empty(pool_name(), 511, elt_size=64)
    try:
        pool.set_ops(ops)
        created = int(eal.lib.RTE_MEMPOOL_F_POOL_CREATED)
        assert not pool.info().flags & created, "alloc must not run before the first populate"
        added = pool.populate_default()
        assert added == 511, f"populate_default added {added} objects to a pool of 511"
        assert pool.info().flags & created
        assert pool.avail_count() == 511
        with pytest.raises(DpdkError):  # DPDK answers -EEXIST; only the refusal matters
            pool.populate_default()
        assert pool.avail_count() == 511, "a second populate must add nothing"
        with pytest.raises(DpdkError):
            pool.set_ops(ops)
    finally:
        pool.free()


# -- M3 counts --------------------------------------------------------------------------------------


@pytest.mark.check("M3")
@pytest.mark.parametrize("k", [1, 17, 1023, 1024])
def test_m3_counts_follow_gets_and_puts(make_pool: PoolFactory, k: int) -> None:
    pool = make_pool(1024)
    assert pool.avail_count() == 1024, f"avail {pool.avail_count()} after populate of 1024 objects"
    assert pool.ops_get_count() == 1024, f"driver get_count {pool.ops_get_count()} with 1024 objects enqueued"
    objs = pool.get_bulk(k)
    assert pool.avail_count() == 1024 - k, f"avail {pool.avail_count()} after taking {k} of 1024"
    assert pool.in_use_count() == k
    pool.put_bulk(objs)
    assert pool.avail_count() == 1024, f"avail {pool.avail_count()} after putting all {k} back"
    assert pool.ops_get_count() == 1024


# -- M4 exhaustion ----------------------------------------------------------------------------------


@pytest.mark.check("M4")
def test_m4_exhaustion_fails_cleanly(make_pool: PoolFactory) -> None:
    pool = make_pool(1024)
    everything = pool.get_bulk(1024)
    for n in (1, 8, 32):
        result = pool.try_get_bulk(n)
        assert not result.ok, f"get of {n} from an empty pool returned 0; must fail"
        assert result.table == (SENTINEL,) * n, f"failed get of {n} wrote into the caller's table: must not"
    assert pool.avail_count() == 0
    pool.put_bulk(everything)
    assert pool.avail_count() == 1024


# -- M5 driver-level all-or-nothing -------------------------------------------------------------------


@pytest.mark.check("M5")
@pytest.mark.parametrize("extra", [1, 23])
def test_m5_dequeue_is_all_or_nothing(make_pool: PoolFactory, extra: int) -> None:
    pool = make_pool(1024)
    taken = pool.ops_dequeue_bulk(1024 - 32)
    assert taken.ok
    result = pool.ops_dequeue_bulk(32 + extra)
    assert result.rc < 0, (f"dequeue of {32 + extra} with 32 available returned {result.rc}; "
                           "must fail with a negative errno and take nothing")
    assert result.table == (SENTINEL,) * (32 + extra), "a failed dequeue wrote into the caller's table"
    assert pool.ops_get_count() == 32, f"get_count {pool.ops_get_count()} after a failed dequeue; must stay 32"
    rest = pool.ops_dequeue_bulk(32)
    assert rest.ok, "dequeue of exactly the 32 available objects failed"
    assert pool.ops_enqueue_bulk(list(taken.table) + list(rest.table)) == 0
    assert pool.ops_get_count() == 1024


# -- M6 enqueue never loses ---------------------------------------------------------------------------


@pytest.mark.check("M6")
@pytest.mark.parametrize("bulk", [1, 7, 32, 512])
def test_m6_enqueue_never_loses(make_pool: PoolFactory, bulk: int) -> None:
    pool = make_pool(1024)
    objs = list(pool.ops_dequeue_bulk(1024).table)
    assert pool.ops_get_count() == 0
    for start in range(0, 1024, bulk):
        chunk = objs[start:start + bulk]
        rc = pool.ops_enqueue_bulk(chunk)
        assert rc == 0, f"enqueue of {len(chunk)} returned {rc}; the put path ignores failures, objects would be lost"
        expected = min(start + bulk, 1024)
        assert pool.ops_get_count() == expected, (
            f"after enqueueing {expected} objects in bulks of {bulk} the driver counts {pool.ops_get_count()}")


# -- M7 identity and no writes --------------------------------------------------------------------------


@pytest.mark.check("M7")
def test_m7_every_object_back_once_and_untouched(eal: Eal, make_pool: PoolFactory) -> None:
    pool = make_pool(1024, elt_size=64)
    ffi = eal.ffi
    pattern = bytes(range(64))
    every = pool.object_set()
    assert len(every) == 1024
    for obj in every:
        ffi.memmove(ffi.cast("uint8_t *", obj), pattern, 64)
    rng = random.Random(7)
    for _ in range(4):
        taken: list[int] = []
        while len(taken) < 1024:
            n = min(rng.choice((1, 3, 32, 100)), 1024 - len(taken))
            taken += pool.get_bulk(n)
        assert len(set(taken)) == len(taken), f"{len(taken) - len(set(taken))} objects handed out twice"
        foreign = [o for o in taken if not pool.owns(o)]
        assert not foreign, f"{len(foreign)} objects are not objects of this pool (first {foreign[0]:#x})"
        rng.shuffle(taken)
        for start in range(0, 1024, 77):
            pool.put_bulk(taken[start:start + 77])
    changed = [o for o in every if bytes(ffi.buffer(ffi.cast("uint8_t *", o), 64)) != pattern]
    assert not changed, f"the driver wrote into {len(changed)} objects; it must never touch object memory"


# -- M8 flags and concurrency ------------------------------------------------------------------------------


@pytest.mark.check("M8")
def test_m8_single_producer_single_consumer_pool(make_pool: PoolFactory) -> None:
    pool = make_pool(1024, flags=F_SP_PUT | F_SC_GET)
    for n in (1, 32, 1024):
        objs = pool.get_bulk(n)
        assert pool.avail_count() == 1024 - n
        pool.put_bulk(objs)
    assert pool.avail_count() == 1024


@pytest.mark.check("M8")
@pytest.mark.parametrize("cache_size", [0, 32])
def test_m8_two_lcores_share_a_default_pool(kit_target: KitTarget, ops: str, cache_size: int,
                                           not_applicable: Callable[[str], None]) -> None:
    """Steps: lcores 0 and 1 get and put bulks of 8 concurrently on one MP/MC pool (in a child EAL: a
    driver that is not thread-safe may crash). Verify: no object held by two lcores at once, none lost."""
    not_applicable("M8.concurrent")
    config = EalConfig(plugins=tuple(map(str, kit_target.plugins)), lcores="0-1", memory_mb=256)
    result = run_in_child(two_lcore_stress, ops, cache_size, eal=config)
    assert result["duplicates"] == 0, f"{result['duplicates']} objects were handed to both lcores at once"
    assert result["foreign"] == 0, f"{result['foreign']} pointers handed out were not objects of the pool"
    assert result["failures"] == 0, f"{result['failures']} gets failed although the pool was never near empty"
    assert result["lost"] == 0, f"{result['lost']} objects lost by concurrent get/put"


# -- M9 cache -------------------------------------------------------------------------------------------


@pytest.mark.check("M9")
def test_m9_cache_keeps_the_books(make_pool: PoolFactory) -> None:
    pool = make_pool(4096, cache_size=256)
    rng = random.Random(9)
    held: list[list[int]] = []
    for step in range(400):
        if held and (rng.random() < 0.5 or pool.avail_count() < 512):
            pool.put_bulk(held.pop(rng.randrange(len(held))))
        else:
            n = rng.randint(1, 512)
            before = pool.avail_count()
            result = pool.try_get_bulk(n)
            assert result.ok, f"step {step}: get of {n} with {before} available (cache 256) failed"
            held.append(list(result.table))
        in_use = sum(map(len, held))
        assert pool.avail_count() + in_use == 4096, (
            f"step {step}: avail {pool.avail_count()} + in use {in_use} != 4096")
    for objs in held:
        pool.put_bulk(objs)
    pool.flush_cache()
    assert pool.ops_get_count() == 4096, f"after flush the driver holds {pool.ops_get_count()} of 4096"


# -- M10 free ------------------------------------------------------------------------------------------


@pytest.mark.check("M10")
def test_m10_free_of_a_never_populated_pool(eal: Eal, ops: str, kit_target: KitTarget) -> None:
    """The driver's free runs even when alloc never did (pool_data NULL). Run in a child: a crash must
    not take the suite down."""
    config = EalConfig(plugins=tuple(map(str, kit_target.plugins)), lcores="0", memory_mb=256)
    assert run_in_child(free_never_populated, ops, eal=config) == "freed"


@pytest.mark.check("M10")
def test_m10_create_free_cycles_leave_nothing(eal: Eal, ops: str) -> None:
    baseline = memory_snapshot()
    for i in range(1000):
        pool = Mempool.create(f"kitcf{i}", 63, elt_size=64, ops_name=ops)
        pool.free()
    after = memory_snapshot()
    leaked = after.leaked_since(baseline)
    assert leaked is None, f"1000 create/free cycles: {leaked}"
