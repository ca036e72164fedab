"""The mempool suite's session EAL (two lcores, the driver's plugin loaded), the ops under test, pools of it that
must hold every object again at teardown, and leak accounting around every check."""

import itertools
from collections.abc import Callable, Iterator

import pytest

from kit.conformance.plugin import KitTarget
from kit.harness import Eal, EalConfig, Mempool, memory_snapshot

F_SP_PUT = 0x0004  # RTE_MEMPOOL_F_SP_PUT
F_SC_GET = 0x0008  # RTE_MEMPOOL_F_SC_GET
_names = itertools.count()

PoolFactory = Callable[..., Mempool]


def pool_name() -> str:
    return f"kitc{next(_names)}"


@pytest.fixture(scope="session")
def eal(kit_target: KitTarget) -> Iterator[Eal]:
    with Eal(EalConfig(plugins=tuple(map(str, kit_target.plugins)), lcores="0-1", memory_mb=512)) as instance:
        yield instance


@pytest.fixture(scope="session")
def ops(kit_target: KitTarget) -> str:
    assert kit_target.mempool is not None
    return kit_target.mempool


@pytest.fixture(autouse=True)
def leak_accounting(eal: Eal) -> Iterator[None]:
    """Memzones and heap usage must be back at their baseline once a check freed what it created."""
    before = memory_snapshot()
    yield
    after = memory_snapshot()
    leaked = after.leaked_since(before)
    assert leaked is None, f"leak: {leaked} after every pool of the check was freed"


@pytest.fixture
def make_pool(eal: Eal, ops: str) -> Iterator[PoolFactory]:
    """Create pools of the driver under test; at teardown each must hold every object again, then is freed."""
    pools: list[Mempool] = []

    def factory(size: int = 1024, *, cache_size: int = 0, flags: int = 0, elt_size: int = 64) -> Mempool:
        pool = Mempool.create(pool_name(), size, elt_size=elt_size, cache_size=cache_size, flags=flags,
                              ops_name=ops)
        pools.append(pool)
        return pool

    yield factory
    lost: list[str] = []
    for pool in pools:
        if not pool.alive:
            continue
        if pool.held:
            pool.put_bulk(sorted(pool.held))
        pool.flush_cache()
        if pool.avail_count() != pool.size:
            lost.append(f"{pool.name}: {pool.avail_count()} of {pool.size} objects back")
        pool.free()
    assert not lost, "objects lost by the driver: " + "; ".join(lost)
