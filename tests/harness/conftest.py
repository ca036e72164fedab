"""One EAL for the whole harness test session; other EAL configurations run through run_in_child."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kit.harness import Eal, EalConfig, PktmbufPool, Port

SESSION_VDEVS = ("net_null0", "net_null1", "net_ring0", "net_ring1", "net_null9")


@pytest.fixture(scope="session")
def eal() -> Iterator[Eal]:
    e = Eal(EalConfig(vdevs=SESSION_VDEVS))
    yield e
    e.close()


@pytest.fixture(scope="session")
def pktpool(eal: Eal) -> PktmbufPool:
    return PktmbufPool.create("sess_pkt", 8191, cache_size=128)


@pytest.fixture
def port_of(eal: Eal, pktpool: PktmbufPool) -> Iterator[object]:
    """port_of(name, nb_rx=1, nb_tx=1): the port configured and started; stopped again after the test."""
    used: list[Port] = []

    def make(name: str, nb_rx: int = 1, nb_tx: int = 1, **conf: object) -> Port:
        port = Port.by_name(name)
        if port.started:
            port.stop()
        port.setup(pktpool, nb_rx, nb_tx, **conf)
        used.append(port)
        return port

    yield make
    for port in used:
        if port.valid and port.started:
            port.stop()
