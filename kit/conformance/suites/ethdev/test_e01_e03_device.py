"""The ethdev suite (docs/conformance.md), E1-E3: the device is probed and named, its info is sane, its MAC answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kit.conformance.plugin import KitTarget
from kit.conformance.suites.ethdev.dut import (
    Dut,
    errno_of,
)
from kit.harness import Eal, Port

# -- E1 probe ----------------------------------------------------------------------------------------


@pytest.mark.check("E1")
def test_e1_port_found_by_name_with_the_registered_driver(dut: Dut, eal: Eal, kit_target: KitTarget) -> None:
    device = dut.devargs.split(",")[0]
    port = Port.by_name(device)
    assert port.name == device, f"port {port.port_id} is named {port.name!r}; the vdev is {device!r}"
    assert port in Port.all(), f"port {port.port_id} is not listed by RTE_ETH_FOREACH_DEV (probing not finished?)"
    assert eal.lib.rte_eth_dev_count_avail() >= 1
    name = port.info().driver_name
    assert name == kit_target.driver, (f"dev_info.driver_name is {name!r}; the device {device!r} was matched to "
                                       f"the driver registered as {kit_target.driver!r}")


# -- E2 info ---------------------------------------------------------------------------------------------


@pytest.mark.check("E2")
def test_e2_dev_info_is_sane(dut: Dut) -> None:
    info = dut.info
    problems = []
    if info.max_rx_queues < 1 or info.max_tx_queues < 1:
        problems.append(f"max_rx_queues {info.max_rx_queues} / max_tx_queues {info.max_tx_queues}: need >= 1")
    if info.max_mac_addrs < 1:
        problems.append(f"max_mac_addrs {info.max_mac_addrs}: need >= 1")
    if info.max_rx_pktlen < 1518:
        problems.append(f"max_rx_pktlen {info.max_rx_pktlen}: the default MTU 1500 needs 1518")
    if not info.min_mtu <= 1500 <= info.max_mtu:
        problems.append(f"MTU range [{info.min_mtu}, {info.max_mtu}] does not contain the default 1500")
    for side, lim in (("rx", info.rx_desc_lim), ("tx", info.tx_desc_lim)):
        if lim.nb_align < 1 or lim.nb_min > lim.nb_max or lim.nb_max < 1:
            problems.append(f"{side}_desc_lim min {lim.nb_min} max {lim.nb_max} align {lim.nb_align}: inconsistent")
    if info.rx_queue_offload_capa & ~info.rx_offload_capa:
        problems.append(f"rx queue offloads {info.rx_queue_offload_capa:#x} not within port rx offloads "
                        f"{info.rx_offload_capa:#x}")
    if info.tx_queue_offload_capa & ~info.tx_offload_capa:
        problems.append(f"tx queue offloads {info.tx_queue_offload_capa:#x} not within port tx offloads "
                        f"{info.tx_offload_capa:#x}")
    assert not problems, "dev_info: " + "; ".join(problems)


@pytest.mark.check("E2")
def test_e2_dev_info_is_repeatable(dut: Dut) -> None:
    """dev_infos_get is called by the core on most calls: it must have no side effects."""
    first = dut.port.info()
    for i in range(20):
        again = dut.port.info()
        assert again == first, f"dev_info call {i + 2} differs from the first: {first} -> {again}"


# -- E3 MAC ----------------------------------------------------------------------------------------------


@pytest.mark.check("E3")
def test_e3_default_mac_is_valid_unicast(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    mac = bytes(int(b, 16) for b in dut.port.mac_addr().split(":"))
    if mac == bytes(6):
        not_applicable("E3.default_mac")
    assert mac != bytes(6), "the default MAC is 00:00:00:00:00:00; DPDK expects a valid unicast address"
    assert not mac[0] & 1, f"the default MAC {dut.port.mac_addr()} is multicast; it must be unicast"


@pytest.mark.check("E3")
def test_e3_set_default_answers_zero_or_enotsup(dut: Dut) -> None:
    port = dut.port
    original = port.mac_addr()
    got = errno_of(lambda: port.set_mac_addr("02:00:00:00:00:05"))
    assert got in (None, "ENOTSUP"), f"default MAC set returned {got}; want 0 or ENOTSUP"
    if got is None:
        assert port.mac_addr() == "02:00:00:00:00:05", "default MAC set returned 0 but did not change the address"
        port.set_mac_addr(original)


@pytest.mark.check("E3")
def test_e3_add_remove_answer_zero_or_enotsup(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    port = dut.port
    if port.mac_addr() == "00:00:00:00:00:00":
        not_applicable("E3.default_mac")
    results = {"add": errno_of(lambda: port.add_mac_addr("02:00:00:00:00:06"))}
    results["remove added"] = errno_of(lambda: port.remove_mac_addr("02:00:00:00:00:06"))
    bad = {k: v for k, v in results.items() if v not in (None, "ENOTSUP")}
    assert not bad, f"MAC calls must return 0 or -ENOTSUP; got {bad}"
    removing_default = errno_of(lambda: port.remove_mac_addr(port.mac_addr()))
    assert removing_default is not None, "removing the default MAC (index 0) returned 0; it must be refused"
