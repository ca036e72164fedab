"""Mempool calls against DPDK's own drivers: ring_mp_mc, ring_sp_sc, stack."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from kit.harness import (
    SENTINEL,
    DpdkError,
    Eal,
    HarnessUsageError,
    Mempool,
    mempool_flags,
    ops_table,
)

OPS = ("ring_mp_mc", "ring_sp_sc", "stack")
_names = itertools.count()


@pytest.fixture(params=OPS)
def ops(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def pool(eal: Eal, ops: str) -> Iterator[Mempool]:
    flags = mempool_flags(sp_put=True, sc_get=True) if ops == "ring_sp_sc" else 0
    mp = Mempool.create(f"t{next(_names)}", 1024, elt_size=64, flags=flags, ops_name=ops)
    yield mp
    if mp.alive:
        for o in list(mp.held):
            mp.put_bulk([o])
        mp.free()


def test_create_steps_and_info(eal: Eal, ops: str) -> None:
    mp = Mempool.create_empty(f"e{next(_names)}", 256, elt_size=32)
    with pytest.raises(HarnessUsageError, match="first populate"):
        mp.get_bulk(1)
    mp.set_ops(ops)
    assert mp.populate_default() == 256
    with pytest.raises(DpdkError) as again:
        mp.populate_default()  # a second populate adds nothing: DPDK says EEXIST
    assert again.value.errno_name == "EEXIST" and mp.info().populated_size == 256
    info = mp.info()
    assert (info.size, info.populated_size, info.ops_name, info.elt_size) == (256, 256, ops, 32)
    with pytest.raises(DpdkError) as err:
        mp.set_ops("ring_mp_mc")  # set_ops after populate fails
    assert err.value.errno_name == "EEXIST"
    mp.free()


def test_counts_get_put(pool: Mempool) -> None:
    assert pool.avail_count() == 1024 and pool.in_use_count() == 0
    objs = pool.get_bulk(100)
    assert len(set(objs)) == 100
    assert pool.avail_count() == 924 and pool.in_use_count() == 100
    pool.put_bulk(objs)
    assert pool.avail_count() == 1024
    pool.audit()


def test_exhaustion_leaves_table_untouched(pool: Mempool) -> None:
    everything = pool.get_bulk(1024)
    res = pool.try_get_bulk(1)
    assert res.rc < 0 and res.table == (SENTINEL,)
    with pytest.raises(DpdkError) as err:
        pool.get_bulk(1)
    assert err.value.errno_name in ("ENOENT", "ENOBUFS")
    pool.put_bulk(everything)
    assert pool.avail_count() == 1024


def test_driver_level_all_or_nothing(pool: Mempool) -> None:
    taken = pool.ops_dequeue_bulk(1000)
    assert taken.ok and pool.ops_get_count() == 24
    res = pool.ops_dequeue_bulk(25, sentinel=0xABCD)
    assert res.rc < 0 and set(res.table) == {0xABCD}
    assert pool.ops_get_count() == 24
    for bulk in (1, 7, 32, 512):
        chunk, rest = list(taken.table[:bulk]), list(taken.table[bulk:])
        assert pool.ops_enqueue_bulk(chunk) == 0
        taken = type(taken)(0, tuple(rest))
    assert pool.ops_enqueue_bulk(list(taken.table)) == 0
    assert pool.ops_get_count() == 1024


def test_objects_identity(pool: Mempool) -> None:
    objs = pool.objects()
    assert len(objs) == len(set(objs)) == 1024
    got = pool.get_bulk(1024)
    assert set(got) == set(objs)
    assert all(pool.owns(o) for o in got[:16])
    assert not pool.owns(got[0] + 1)
    pool.put_bulk(got)
    start, length = pool.chunks()[0]
    assert start <= objs[0] < start + length


def test_cache_and_flush(eal: Eal, ops: str) -> None:
    mp = Mempool.create(f"c{next(_names)}", 2048, cache_size=256, ops_name=ops)
    for n in (1, 3, 32, 256, 512):
        objs = mp.get_bulk(n)
        mp.put_bulk(objs)
        assert mp.avail_count() + mp.in_use_count() == 2048
    assert mp.cache_len() > 0
    mp.flush_cache()
    assert mp.cache_len() == 0 and mp.ops_get_count() == 2048
    mp.audit()
    mp.free()


def test_bulk_larger_than_pool_raises(pool: Mempool) -> None:
    with pytest.raises(HarnessUsageError, match="size 1024"):
        pool.get_bulk(1025)
    with pytest.raises(HarnessUsageError):
        pool.ops_dequeue_bulk(5000)


def test_put_of_foreign_or_double_raises(pool: Mempool) -> None:
    objs = pool.get_bulk(2)
    pool.put_bulk(objs)
    with pytest.raises(HarnessUsageError, match="does not hold"):
        pool.put_bulk(objs)
    with pytest.raises(HarnessUsageError, match="does not hold"):
        pool.put_bulk([0x1234])


def test_use_after_free_raises(eal: Eal) -> None:
    mp = Mempool.create(f"f{next(_names)}", 64)
    mp.free()
    mp.free()  # idempotent
    for call in (mp.avail_count, mp.objects, mp.audit, lambda: mp.get_bulk(1), mp.ops_get_count):
        with pytest.raises(HarnessUsageError, match="was freed"):
            call()


def test_free_never_populated(eal: Eal) -> None:
    mp = Mempool.create_empty(f"n{next(_names)}", 64)
    mp.set_ops("stack")
    mp.free()


def test_unknown_ops_name_explained(eal: Eal) -> None:
    mp = Mempool.create_empty(f"u{next(_names)}", 64)
    with pytest.raises(HarnessUsageError, match="not registered"):
        mp.set_ops("not_a_driver")
    mp.free()
    assert ops_table().index("not_a_driver") is None


def test_sp_sc_flags_recorded(eal: Eal) -> None:
    flags = mempool_flags(sp_put=True, sc_get=True)
    mp = Mempool.create(f"s{next(_names)}", 64, flags=flags, ops_name="ring_sp_sc")
    assert mp.info().flags & flags == flags
    mp.put_bulk(mp.get_bulk(64))
    mp.free()
