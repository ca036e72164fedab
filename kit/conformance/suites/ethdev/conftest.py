"""The ethdev suite's session: one EAL with the device (two lcores, the driver's plugin loaded), the port under
test, and around every check the canonical state and leak accounting (kit.conformance.suites.ethdev.dut)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kit.conformance.plugin import KitTarget
from kit.conformance.suites.ethdev.dut import SESSION_POOL, Dut, restore
from kit.harness import DpdkError, Eal, EalConfig, PktmbufPool, Port, memory_snapshot


@pytest.fixture(scope="session")
def devargs(kit_target: KitTarget) -> str:
    assert kit_target.pmd is not None
    return kit_target.pmd


@pytest.fixture(scope="session")
def eal_config(kit_target: KitTarget, devargs: str) -> EalConfig:
    return EalConfig(vdevs=(devargs,), plugins=tuple(map(str, kit_target.plugins)), lcores="0-1", memory_mb=512)


@pytest.fixture(scope="session")
def child_config(kit_target: KitTarget) -> EalConfig:
    """The same EAL without the device: child checks probe it themselves."""
    return EalConfig(plugins=tuple(map(str, kit_target.plugins)), lcores="0-1", memory_mb=512)


@pytest.fixture(scope="session")
def eal(eal_config: EalConfig) -> Iterator[Eal]:
    with Eal(eal_config) as instance:
        yield instance


@pytest.fixture(scope="session")
def session_dut(eal: Eal, devargs: str) -> Dut:
    port = Port.by_name(devargs.split(",")[0])
    dut = Dut(eal, port, PktmbufPool.create("kite_session", SESSION_POOL), devargs)
    mac = bytes(int(b, 16) for b in port.mac_addr().split(":"))
    if mac != bytes(6) and not mac[0] & 1:
        dut.dst_mac = mac
    return dut


@pytest.fixture(autouse=True)
def dut(session_dut: Dut) -> Iterator[Dut]:
    """Every check starts from the canonical state and must leave nothing behind. A port that cannot even be
    put in that state (configure refused) gets no leak accounting: its checks fail on their own calls."""
    try:
        restore(session_dut)
    except DpdkError:
        yield session_dut
        for pool in session_dut.pools:
            pool.free()
        session_dut.pools.clear()
        return
    before = memory_snapshot()
    avail = session_dut.pool.avail_count()
    yield session_dut
    restore(session_dut)
    lost = [f"{p.name}: {p.avail_count()} of {p.size} mbufs back" for p in session_dut.pools
            if p.avail_count() != p.size]
    if session_dut.pool.avail_count() != avail:
        lost.append(f"session pool: {session_dut.pool.avail_count()} mbufs available, {avail} before the check")
    for pool in session_dut.pools:
        pool.free()
    session_dut.pools.clear()
    after = memory_snapshot()
    assert not lost, ("mbufs not given back once the port was drained, stopped and its queues released "
                      "(a driver must free every mbuf it took): " + "; ".join(lost))
    leaked = after.leaked_since(before)
    assert leaked is None, f"leak: {leaked} once the port was back to 1 rx + 1 tx queue, stopped"
