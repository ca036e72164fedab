"""The ethdev suite (docs/conformance.md), E11-E13: close, hotplug and devargs destroy or create ports, so they
run in a child EAL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kit.conformance.plugin import KitTarget
from kit.conformance.suites.ethdev import child_ops as child
from kit.conformance.suites.ethdev.devargs import documented_keys, pmd_info, sample_file, sample_value, with_mode
from kit.conformance.suites.ethdev.dut import (
    Dut,
)
from kit.harness import EalConfig, MemorySnapshot, run_in_child

# -- E11 close (child EAL) --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def close_facts(session_dut: Dut, child_config: EalConfig) -> dict[str, object]:
    """One child EAL run of the close scenario (ethdev_child_ops.close_releases_everything)."""
    info = session_dut.port.info()
    nq = min(2, info.max_rx_queues, info.max_tx_queues)
    facts = run_in_child(child.close_releases_everything, session_dut.devargs, nq, eal=child_config, timeout=120)
    assert facts["probe_rc"] == 0, f"rte_dev_probe({session_dut.devargs}) failed with {facts['probe_rc']}"
    assert facts["reprobe_rc"] == 0, (
        f"rte_dev_probe({session_dut.devargs}) failed with {facts['reprobe_rc']} after one probe and remove: "
        f"what the first close left behind (named rings, memzones) collides; DPDK log: {facts.get('reprobe_log')}")
    return facts


@pytest.mark.check("E11")
def test_e11_close_refused_while_started_then_port_gone(close_facts: dict[str, object]) -> None:
    assert close_facts["close_while_started"] != "accepted", "rte_eth_dev_close of a started port succeeded"
    assert not close_facts["valid_after_close"] and not close_facts["found_after_close"], (
        "the port still exists after close")


@pytest.mark.check("E11")
def test_e11_close_gives_every_mbuf_back(close_facts: dict[str, object],
                                         not_applicable: Callable[[str], None]) -> None:
    not_applicable("E11.mbufs")
    assert close_facts["pool_avail"] == close_facts["pool_size"], (
        f"after close {close_facts['pool_avail']} of {close_facts['pool_size']} mbufs are back: close must free "
        "the mbufs its queues hold (frames were left queued)")


@pytest.mark.check("E11")
def test_e11_close_frees_nothing_twice(close_facts: dict[str, object]) -> None:
    assert not close_facts["invalid_memory"], (
        f"close logged {close_facts['invalid_memory']}: memory freed twice (mac_addrs pointing into dev_private "
        "must be set to NULL in close)")


@pytest.mark.check("E11")
def test_e11_memzones_back_at_baseline(close_facts: dict[str, object], not_applicable: Callable[[str], None]) -> None:
    not_applicable("E11.memzones")
    before, after = close_facts["before"], close_facts["after_close"]
    assert isinstance(before, tuple) and isinstance(after, tuple)
    assert after[0] == before[0], (f"{before[0]} memzones before probe, {after[0]} after close: close must free "
                                   "its rings and DMA zones")


@pytest.mark.check("E11")
def test_e11_heap_back_at_baseline(close_facts: dict[str, object], not_applicable: Callable[[str], None]) -> None:
    not_applicable("E11.heap")
    before, after = close_facts["before"], close_facts["after_close"]
    assert isinstance(before, tuple) and isinstance(after, tuple)
    # Only the heap here (memzones are the test above): the same memzone count stands in for both.
    leaked = MemorySnapshot(before[0], after[1], after[2]).leaked_since(MemorySnapshot(*before))
    assert leaked is None, (f"before probe -> after close: {leaked}: close must free every queue itself (the core "
                            "does not call queue release on close)")


# -- E12 hotplug (child EAL) ------------------------------------------------------------------------------


@pytest.mark.check("E12")
def test_e12_hotplug_cycles_reuse_the_port_and_leave_nothing(dut: Dut, child_config: EalConfig) -> None:
    cycles = 20
    facts = run_in_child(child.hotplug_cycles, dut.devargs, cycles, eal=child_config, timeout=120)
    rcs = facts["probe_rcs"]
    assert isinstance(rcs, list) and all(rc == 0 for rc in rcs) and len(rcs) == cycles + 2, (
        f"rte_dev_probe over {cycles + 2} probe/remove cycles returned {rcs}")
    assert all(rc == 0 for rc in facts["remove_rcs"]), f"rte_dev_remove returned {facts['remove_rcs']}"  # type: ignore[attr-defined]
    ids = facts["port_ids"]
    assert isinstance(ids, list) and None not in ids, f"the port was not found by name after some probes: {ids}"
    assert len(set(ids)) == 1, f"port ids over {cycles} cycles: {sorted(set(ids))}; a removed port's id is reused"
    assert not facts["ports_left"], f"ports {facts['ports_left']} still exist after rte_dev_remove"
    before, after = facts["before"], facts["after"]
    assert isinstance(before, tuple) and isinstance(after, tuple)
    leaked = MemorySnapshot(*after).leaked_since(MemorySnapshot(*before))
    assert leaked is None, f"{cycles} probe/remove cycles: {leaked}"


# -- E13 devargs (child EAL) ------------------------------------------------------------------------------


@pytest.mark.check("E13")
def test_e13_documented_keys_accepted(dut: Dut, kit_target: KitTarget, child_config: EalConfig,
                                      tmp_path: Path) -> None:
    device = dut.devargs.split(",")[0]
    infos, files = pmd_info(kit_target)
    entry = next((e for e in infos if e.get("name") == kit_target.driver), None)
    assert entry is not None, (f"no PMD info names {kit_target.driver} in {[str(f) for f in files]}: its devargs "
                               "are undocumented (RTE_PMD_REGISTER_PARAM_STRING, PMD_INFO_STRING)")
    tries, unsynthesisable = [], []
    keys = documented_keys(entry)
    for key, spec in keys.items():
        value = sample_file(key, tmp_path) if spec in ("<file>", "<path>") else sample_value(spec)
        if value is None:
            unsynthesisable.append(f"{key}={spec}")
        else:
            tries.append(f"{device},{key}={value}{with_mode(key, keys)}")
    assert not unsynthesisable, f"no sample value for documented devargs {unsynthesisable}: add one to SAMPLE_VALUES"
    results = run_in_child(child.probe_each, tries, eal=child_config, timeout=120)
    refused = [f"{d} -> {rc}" for d, rc, _ in results if rc != 0]  # a key may name the port otherwise
    assert not refused, f"documented devargs refused (rte_dev_probe rc): {refused}"


@pytest.mark.check("E13")
def test_e13_unknown_key_fails_the_probe(dut: Dut, child_config: EalConfig,
                                         not_applicable: Callable[[str], None]) -> None:
    not_applicable("E13.unknown_key")
    devargs = f"{dut.devargs.split(',')[0]},kit_no_such_key=1"
    [(_, rc, found)] = run_in_child(child.probe_each, [devargs], eal=child_config, timeout=60)
    assert rc != 0 and not found, (
        f"rte_dev_probe({devargs}) returned {rc}: an unknown devargs key must fail the probe "
        "(rte_kvargs_parse with the list of valid keys)")
