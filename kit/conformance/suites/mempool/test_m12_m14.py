"""The mempool suite (docs/conformance.md), M12-M14: many lcores on one pool, the other population paths, and
DPDK's mempool_perf_autotest with every pool on the driver, and counts that stay exact under load."""

from __future__ import annotations

import mmap
import shutil
from collections.abc import Callable

import pytest

from kit.conformance.applicability import reason_not_applicable
from kit.conformance.plugin import KitTarget
from kit.conformance.suites.mempool.child_ops import multi_lcore_stress
from kit.conformance.suites.mempool.conftest import pool_name
from kit.conformance.suites.mempool.perf_autotest import run_perf_autotest, shim_env
from kit.harness import Eal, EalConfig, Mempool, run_in_child
from kit.harness.mempool_stress import (
    dpdk_free,
    dpdk_zmalloc,
    populate_anon,
    populate_iova,
    populate_virt,
    register_extmem,
    unregister_extmem,
)
from kit.runtime import base_eal_args, unique_file_prefix
from kit.toolchain.dpdk import find_dpdk

STRESS_OPS = 1_000_000  # get or put operations per lcore (bulks of 1..32 objects)
PAGE = 4096

# -- M12 several lcores on one pool -------------------------------------------------------------------


_stress_runs: dict[tuple[str, int, bool], dict[str, object]] = {}


def _stress(kit_target: KitTarget, ops: str, cache_size: int, *, pipeline: bool) -> dict[str, object]:
    """One stress run per (driver, cache, mode) and session: M12 judges its objects, M14 its counts."""
    key = (ops, cache_size, pipeline)
    if key not in _stress_runs:
        config = EalConfig(plugins=tuple(map(str, kit_target.plugins)), lcores="0-1", memory_mb=256)
        _stress_runs[key] = run_in_child(multi_lcore_stress, ops, cache_size, STRESS_OPS, pipeline, eal=config,
                                         timeout=120)
    return _stress_runs[key]


def _who(r: dict[str, object], pipeline: bool) -> str:
    how = "lcore 0 getting, lcore 1 putting" if pipeline else f"{r['lcores']} lcores each getting and putting"
    return f"{how}, {r['ops']} operations, {r['objects']} objects taken, cache {{}}"


def _assert_identity(r: dict[str, object], pipeline: bool, cache_size: int) -> None:
    who = _who(r, pipeline).format(cache_size)
    assert r["duplicates"] == 0, (f"{who}: {r['duplicates']} objects were handed out while another lcore held "
                                  "them (its stamp was on them): the driver gave one object to two holders")
    assert r["stamp_changed"] == 0, (f"{who}: {r['stamp_changed']} objects carried another lcore's stamp when "
                                     "their holder put them back: handed out twice at the same time")
    assert r["foreign"] == 0, f"{who}: {r['foreign']} pointers handed out are not in the pool's memory"
    assert r["get_failures"] == 0, (f"{who}: {r['get_failures']} gets failed although at most 256 + caches "
                                    f"of {r['size']} objects were ever held")
    assert r["drained"] == r["drained_distinct"] == r["size"] and r["drained_foreign"] == 0, (
        f"{who}: afterwards the driver gave back {r['drained']} objects ({r['drained_distinct']} distinct, "
        f"{r['drained_foreign']} not of the pool) of {r['size']}: every object must be accounted for")


@pytest.mark.check("M12")
@pytest.mark.parametrize("cache_size", [0, 32])
def test_m12_all_lcores_get_and_put(kit_target: KitTarget, ops: str, cache_size: int,
                                    not_applicable: Callable[[str], None]) -> None:
    """Steps: lcores 0 and 1 each do 1e6 gets or puts of 1..32 objects on one default (MP/MC) pool of 2047,
    holding up to 128; a holder stamps each object with its lcore id (CAS from 0) and checks its stamp on put.
    Verify: no object handed out while stamped, no stamp changed while held, no failed get, and afterwards
    the driver gives back exactly the 2047 objects, each once. In a child EAL: a racy driver may crash."""
    not_applicable("M12.mpmc")
    _assert_identity(_stress(kit_target, ops, cache_size, pipeline=False), False, cache_size)


@pytest.mark.check("M12")
@pytest.mark.parametrize("cache_size", [0, 32])
def test_m12_one_getter_one_putter(kit_target: KitTarget, ops: str, cache_size: int) -> None:
    """The use every driver allows, single-producer/single-consumer ones included: lcore 0 only gets (1e6
    successful gets of 1..32) and hands the objects to lcore 1, which only puts. Same verification."""
    _assert_identity(_stress(kit_target, ops, cache_size, pipeline=True), True, cache_size)


# -- M13 other population paths -------------------------------------------------------------------------

M13_SIZE = 1500


def _exercise(pool: Mempool, how: str) -> None:
    """Every object can be taken and put back, and the counts are exact, once the pool is populated."""
    info = pool.info()
    assert info.populated_size == info.size, f"{how}: populated {info.populated_size} of {info.size}"
    chunks = pool.chunks()
    avail = pool.avail_count()
    assert avail == info.size and pool.ops_get_count() == info.size, (
        f"{how}: after populating {info.size} objects in {len(chunks)} chunks the pool has {avail} available "
        f"(driver count {pool.ops_get_count()}): the driver refused or lost "
        f"{info.size - pool.ops_get_count()} objects given to its enqueue")
    taken = pool.get_bulk(info.size)
    assert set(taken) == pool.object_set(), (
        f"{how}: a get of all {info.size} objects returned {len(set(taken))} distinct objects, "
        f"{len(set(taken) - pool.object_set())} not of the pool")
    per_chunk = [sum(1 for o in taken if start <= o < start + length) for start, length in chunks]
    assert pool.avail_count() == 0 and pool.in_use_count() == info.size
    pool.put_bulk(taken)
    assert pool.avail_count() == info.size and pool.ops_get_count() == info.size, (
        f"{how}: {pool.ops_get_count()} of {info.size} objects back in the driver after putting all back "
        f"(objects per chunk: {per_chunk})")


def _empty_pool(ops: str, size: int = M13_SIZE) -> Mempool:
    pool = Mempool.create_empty(pool_name(), size, elt_size=64)
    pool.set_ops(ops)
    return pool


def _object_span(pool: Mempool) -> int:
    info = pool.info()
    return info.header_size + info.elt_size + info.trailer_size


@pytest.mark.check("M13")
def test_m13_populate_anon(eal: Eal, ops: str) -> None:
    """rte_mempool_create_empty + set_ops + rte_mempool_populate_anon (mmap'd memory, not DPDK's heap)."""
    pool = _empty_pool(ops)
    try:
        added = populate_anon(pool)
        assert added == M13_SIZE, f"rte_mempool_populate_anon added {added} of {M13_SIZE} objects"
        _exercise(pool, "populate_anon")
    finally:
        pool.free()


@pytest.mark.check("M13")
def test_m13_populate_virt_in_three_chunks(eal: Eal, ops: str) -> None:
    """rte_mempool_populate_virt called three times on three separate DPDK heap areas: three chunks, far apart."""
    pool = _empty_pool(ops)
    areas: list[int] = []
    try:
        per_chunk = M13_SIZE // 3 + 1
        length = -(-(_object_span(pool) * per_chunk + 2 * PAGE) // PAGE) * PAGE
        added = 0
        for i in range(3):
            areas.append(dpdk_zmalloc(length, PAGE))
            assert areas[-1], "rte_zmalloc of a chunk failed"
            rc = populate_virt(pool, areas[-1], length, PAGE)
            assert rc > 0, f"rte_mempool_populate_virt of chunk {i + 1} returned {rc}"
            added += rc
        assert added == M13_SIZE, f"three populate_virt calls added {added} of {M13_SIZE} objects"
        assert pool.info().nb_mem_chunks >= 3
        _exercise(pool, f"populate_virt in {pool.info().nb_mem_chunks} chunks")
    finally:
        pool.free()
        for area in areas:
            dpdk_free(area)


@pytest.mark.check("M13")
@pytest.mark.parametrize("how", ["iova", "virt"])
def test_m13_external_memory(eal: Eal, ops: str, how: str) -> None:
    """Memory the application mmap'd and registered with rte_extmem_register (no IOVA table), given to the pool
    with rte_mempool_populate_iova (one chunk, RTE_BAD_IOVA) or rte_mempool_populate_virt (4 KiB pages without
    IOVAs: one chunk per page)."""
    pool = _empty_pool(ops)
    length = -(-(_object_span(pool) * M13_SIZE * 2) // PAGE) * PAGE
    area = mmap.mmap(-1, length)
    addr = int(eal.ffi.cast("uintptr_t", eal.ffi.from_buffer(area)))
    registered = register_extmem(addr, length, PAGE)
    try:
        assert registered == 0, f"rte_extmem_register of {length} bytes failed: {registered}"
        added = populate_iova(pool, addr, length) if how == "iova" else populate_virt(pool, addr, length, PAGE)
        assert added == M13_SIZE, f"populate_{how} of registered external memory added {added} of {M13_SIZE}"
        _exercise(pool, f"external memory, populate_{how}, {pool.info().nb_mem_chunks} chunks")
    finally:
        pool.free()
        if registered == 0:
            unregister_extmem(addr, length)
        area.close()


# -- M14 DPDK's perf test to the end, and counts under load ---------------------------------------------

# DPDK 25.11's mempool_perf_autotest creates its pools (~150 MB each on two lcores) before the first
# configuration; 1024 MB of --no-huge memory is not enough for them and the driver's own structures.
PERF_MEMORY_MB = 2048
# From 24.11 on (one pass of 4194304 objects per configuration, see perf_autotest.py): the driver's first 48
# configurations (28 s for kit_ring on 24.11, 6 s on 25.11), or as many as 30 s allow, at least 12 (ring_mp_mc
# on two busy cores: 1-3 s each on 24.11). The first 12 already hold nearly every object out (n_keep 32768).
PERF_CONFIGS_FROM_24_11 = 48
PERF_BUDGET_S = 30
PERF_MIN_CONFIGS = 12


@pytest.mark.check("M14")
def test_m14_dpdk_mempool_perf_autotest_runs_on_the_driver(kit_target: KitTarget, ops: str) -> None:
    """dpdk-test's mempool_perf_autotest with every pool it makes on the driver (perf_shim.c), on two lcores:
    no cache, per-lcore cache and user-owned cache, bulk sizes 1 to 512, up to nearly every object out.
    Up to 24.07 every configuration, to "Test OK" (about 15 s); from 24.11 on its first PERF_CONFIGS_FROM_24_11,
    or at least PERF_MIN_CONFIGS within PERF_BUDGET_S (one configuration there is a pass of 4 million objects per
    lcore: the whole test would take an hour).
    A driver declared single-producer/single-consumer (M14.mpmc) runs it on one lcore: its two-core
    configurations share one pool between two lcores (measured: ring_sp_sc fails the first of them)."""
    dpdk_test = shutil.which("dpdk-test")
    assert dpdk_test, "dpdk-test is not installed (apt-get install dpdk)"
    prefix = unique_file_prefix("kitm14")
    lcores = "0" if reason_not_applicable(kit_target.driver, "M14.mpmc") else "0-1"
    args = base_eal_args(prefix, memory_mb=PERF_MEMORY_MB, lcores=lcores)
    for plugin in kit_target.plugins:
        args += ["-d", str(plugin)]
    test, max_configs = "mempool_perf_autotest", None
    if find_dpdk().at_least(24, 11):  # the runs on the suite's lcores only (_1core / _2cores, new in 24.11)
        test, max_configs = test + ("_1core" if lcores == "0" else "_2cores"), PERF_CONFIGS_FROM_24_11
    run = run_perf_autotest(["stdbuf", "-oL", dpdk_test, *args, "--mbuf-pool-ops-name", ops], prefix,
                            shim_env(ops, test), max_configs=max_configs, idle_timeout=60, total_timeout=600,
                            budget=PERF_BUDGET_S, min_configs=PERF_MIN_CONFIGS)
    where = f"mempool_perf_autotest on lcores {lcores}, every pool on the driver"
    done = f"after {len(run.configs)} configurations in {run.seconds:.0f} s"
    assert run.ending != "failed", f"{where} failed {done}:\n{run.tail()}"
    assert run.ending != "hung", f"{where}: no configuration finished in 60 s {done} (a get or put never " \
                                 f"returns?):\n{run.tail()}"
    assert run.ending != "exited", f"{where} ended without a verdict {done} (exit {run.returncode}: " \
                                   f"a crash?):\n{run.tail()}"
    assert run.ending != "timeout", f"{where} still running {done}:\n{run.tail()}"
    expected = "stopped" if max_configs else "ok"
    assert run.ending == expected, f"{where}: ended {run.ending}, expected {expected} {done}:\n{run.tail()}"
    assert run.ending != "ok" or run.returncode == 0, f"{where}: Test OK, then exit {run.returncode}:\n{run.tail()}"
    assert len(run.configs) >= 3, f"{where}: only {len(run.configs)} configurations ran:\n{run.tail()}"


@pytest.mark.check("M14")
@pytest.mark.parametrize("cache_size", [0, 32])
@pytest.mark.parametrize("mode", ["all_lcores", "getter_putter"])
def test_m14_get_count_exact_after_load(kit_target: KitTarget, ops: str, cache_size: int, mode: str,
                                        not_applicable: Callable[[str], None]) -> None:
    """Steps: M12's stress (1e6 operations per lcore). Verify: once every lcore finished and flushed its cache,
    the driver's get_count and rte_mempool_avail_count equal the pool size, and the driver really holds that
    many objects (a drain takes exactly that many), so the count neither drifted nor lied."""
    pipeline = mode == "getter_putter"
    if not pipeline:
        not_applicable("M14.mpmc")
    r = _stress(kit_target, ops, cache_size, pipeline=pipeline)
    who = _who(r, pipeline).format(cache_size)
    assert r["final_count"] == r["size"] and r["get_count_after"] == r["size"], (
        f"{who}: afterwards the driver's get_count is {r['final_count']} with {r['drained_distinct']} objects "
        f"really in it, pool size {r['size']}: the count drifted under load")
    assert r["avail_after"] == r["size"], f"{who}: rte_mempool_avail_count {r['avail_after']} of {r['size']}"
    assert r["drained_distinct"] == r["size"], (
        f"{who}: get_count says {r['size']} but the driver gave back {r['drained_distinct']} distinct objects")
