"""The mempool suite (docs/conformance.md), M12-M14: many lcores on one pool, the other population paths, and
DPDK's whole mempool_perf_autotest with counts that stay exact under load."""

from __future__ import annotations

import mmap
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kit.conformance.applicability import reason_not_applicable
from kit.conformance.plugin import KitTarget
from kit.conformance.suites.mempool.child_ops import multi_lcore_stress
from kit.conformance.suites.mempool.conftest import pool_name
from kit.conformance.suites.mempool.test_m11_peers import _dpdk_program
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
from kit.toolchain.compile import compile_plugin
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

TSC_DIVISOR = 1000


def _tsc_shim() -> Path:
    return compile_plugin([Path(__file__).with_name("tsc_scale.c")], "kit_tsc_scale", libs=["-ldl"])


# DPDK 25.11's mempool_perf_autotest creates its four pools (~150 MB each on two lcores) before the first
# configuration; 1024 MB of --no-huge memory is not enough for them and the driver's own structures.
PERF_MEMORY_MB = 2048


@pytest.mark.check("M14")
def test_m14_dpdk_mempool_perf_autotest_completes(kit_target: KitTarget, ops: str) -> None:
    """dpdk-test's mempool_perf_autotest, every configuration (720 on two lcores), with the driver as the
    default ops: its 'default_pool' section runs on the driver. The test times each configuration for 5 s
    by the TSC; an LD_PRELOAD shim divides rte_get_tsc_hz() by 1000 so each runs ~5 ms (at least one pass
    of 65536 objects): about 15 s in all, the printed rates inflated 1000 times and ignored.
    A driver declared single-producer/single-consumer (M14.mpmc) runs it on one lcore: its two-core
    configurations share one pool between two lcores (measured: ring_sp_sc fails the first of them)."""
    dpdk_test = shutil.which("dpdk-test")
    assert dpdk_test, "dpdk-test is not installed (apt-get install dpdk)"
    prefix = unique_file_prefix("kitm14")
    lcores = "0" if reason_not_applicable(kit_target.driver, "M14.mpmc") else "0-1"
    args = base_eal_args(prefix, memory_mb=PERF_MEMORY_MB, lcores=lcores)
    for plugin in kit_target.plugins:
        args += ["-d", str(plugin)]
    # A sanitizer runtime the caller preloads must stay first in the list (ASan refuses to start otherwise).
    preload = " ".join(p for p in (os.environ.get("LD_PRELOAD", ""), str(_tsc_shim())) if p)
    # DPDK 24.11 runs several times as many configurations (get and put bulk sizes apart, constant sizes) for 1
    # core, then 2: there, only the run on the suite's lcores (mempool_perf_autotest_1core / _2cores, new in 24.11)
    test, timeout = "mempool_perf_autotest", 150
    if find_dpdk().at_least(24, 11):  # ~2000 configurations on 25.11: measured 135 s on two busy cores
        test, timeout = test + ("_1core" if lcores == "0" else "_2cores"), 300
    env = dict(os.environ, DPDK_TEST=test, LD_PRELOAD=preload, KIT_TSC_DIVISOR=str(TSC_DIVISOR))
    out = _dpdk_program(["stdbuf", "-oL", dpdk_test, *args, "--mbuf-pool-ops-name", ops], prefix, env=env,
                        timeout=timeout)
    section = f"start performance test for {ops} (without cache)"
    assert section in out, f"mempool_perf_autotest never reached the driver's pool ('{section}'):\n" + out[-1500:]
    # the next section: "(with cache)", or "(using ring_mp_mc, with cache)" from DPDK 25.11 on
    driver_part = out.split(section, 1)[1].split("start performance test (", 1)[0]
    configs = len(re.findall(r"rate_persec=\s*\d+", driver_part))
    assert "Test OK" in out, (f"mempool_perf_autotest failed with this driver as the default ops on lcores "
                              f"{lcores} after {configs} of its configurations on the driver's pool:\n"
                              + out[-1500:])
    assert configs >= 3, f"only {configs} configurations ran on the driver's pool:\n" + driver_part[-1500:]


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
