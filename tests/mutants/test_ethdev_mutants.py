"""Every ethdev check can fail: each mutant of tests/mutants/ethdev/mutant_pmd.c breaks one rule of
docs/conformance.md and the checks named for it must catch it. The unbroken build of the same source (the
control) must pass them all, with nothing declared not applicable.

Each run is a real `kit test --pmd` in its own process with the mutant loaded as an EAL plugin.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from kit.toolchain.compile import compile_plugin
from kit.toolchain.dpdk import find_dpdk
from kit.toolchain.sdk import ensure_sdk

SOURCE = Path(__file__).with_name("ethdev") / "mutant_pmd.c"

# mutant macro -> the checks that must catch it (docs/conformance.md has the same table).
MUTANTS: dict[str, tuple[str, ...]] = {
    "WRONG_PORT_NAME": ("E1",),
    "INFO_SIDE_EFFECT": ("E2",),
    "BAD_DEV_INFO": ("E2",),
    "MULTICAST_MAC": ("E3",),
    "CONFIGURE_LIMIT": ("E4",),
    "QUEUE_RESETUP_LEAKS": ("E5",),
    "MISSING_LINK_UPDATE": ("E6",),
    "BAD_PKT_LEN": ("E7",),
    "CORRUPTS_PAYLOAD": ("E7",),
    "STATS_WRONG": ("E8",),
    "MTU_RANGE": ("E9",),
    "TX_LEAKS": ("E7", "E8", "E10"),
    "LINK_STAYS_UP": ("E10",),
    "CLEANUP_FREES_SENT": ("E10",),
    "CLOSE_KEEPS_QUEUES": ("E11",),
    "MAC_IN_PRIVATE": ("E11",),
    "REMOVE_KEEPS_PORT": ("E12",),
    "ACCEPTS_UNKNOWN_DEVARG": ("E13",),
    "NO_PMD_INFO": ("E14",),
    "ALIGN_LIES": ("E15",),
    "SEG_MAX_LIES": ("E15",),
    "WRONG_QINFO_NB_DESC": ("E16",),
    "IGNORES_DEFERRED_START": ("E17",),
    "CLEANUP_IGNORES_FREE_CNT": ("E26",),
    "RX_COUNT_ZERO": ("E28",),
    "VLAN_PTYPE_L2": ("E19",),
    "MTU_DROPS_UNCOUNTED": ("E18",),
    "SCATTER_LIES": ("E18",),
    "RSS_IGNORES_KEY": ("E20",),
    "CKSUM_ALWAYS_GOOD": ("E20",),
    "FAST_FREE_ALWAYS": ("E20",),
    "XSTATS_RESET_KEEPS": ("E21",),
    "DUP_XSTAT_NAME": ("E21",),
    "QBYTES_WITH_CRC": ("E21",),
    "FOREIGN_UNICAST": ("E22",),
    "MC_LIST_IGNORED": ("E22",),
    "RESETS_AT_START": ("E23",),
    "LATE_DMA": ("E25",),
    "SHARED_TX_SCRATCH": ("E24",),
    "SECONDARY_NO_BURST": ("E27",),
    "LSC_NO_EVENT": ("E29",),
    "RXQ_INTR_NEVER_FIRES": ("E29",),
    "LSC_EVENT_BEFORE_LINK": ("E29",),
}
# mutant macro -> what the failure message of its check must say (the check catches it for its defect).
MESSAGES: dict[str, str] = {
    "ALIGN_LIES": "though dev_info allows any multiple of nb_align",
    "SEG_MAX_LIES": "did not come back whole",
    "WRONG_QINFO_NB_DESC": "rxq_info_get says nb_desc 1024; the queue was set up with",
    "IGNORES_DEFERRED_START": "set up with tx_deferred_start, took 8 of 8 frames",
    "CLEANUP_IGNORES_FREE_CNT": "tx_done_cleanup(free_cnt=1) returned 64: it may free at most free_cnt",
    "RX_COUNT_ZERO": "rx_queue_count returned 0 with 10 frames queued",
    "VLAN_PTYPE_L2": "L2_ETHER with L3_IPV4/L4_UDP, want L2_ETHER_VLAN",
    "MTU_DROPS_UNCOUNTED": "frames longer than the MTU allows were dropped but ierrors is 0",
    "SCATTER_LIES": "frames longer than one rx buffer must arrive as chains of buffers",
    "RSS_IGNORES_KEY": "the hash is not Toeplitz over the configured key",
    "CKSUM_ALWAYS_GOOD": "bad L4 checksum frame with UDP_CKSUM enabled: L4 checksum flags 0x100, want BAD",
    "FAST_FREE_ALWAYS": "sent mbufs the application still held a reference to were back in their pool",
    "XSTATS_RESET_KEEPS": "xstats not zero right after rte_eth_xstats_reset: {'tx_bursts'",
    "DUP_XSTAT_NAME": "xstat names repeat: ['rx_nonempty_bursts']",
    "QBYTES_WITH_CRC": "per-queue counters of 2 queues do not sum to the port totals: q_ibytes",
    "FOREIGN_UNICAST": "8 of 8 frames to the foreign unicast address 02:4b:49:54:00:22 were received with promiscuous",
    "MC_LIST_IGNORED": "0 of 8 frames to the multicast group 01:00:5e:00:00:fb were received after rte_eth_dev_set_mc",
    "RESETS_AT_START": "settings lost across rte_eth_dev_stop + rte_eth_dev_start: MTU was set to",
    "LATE_DMA": "right after rte_eth_dev_stop were written within 200 ms",
    "SHARED_TX_SCRATCH": "must each get their flow back complete, once and in order",
    "SECONDARY_NO_BURST": "the driver's secondary-process probe must set rx_pkt_burst and tx_pkt_burst",
    "LSC_NO_EVENT": "rte_eth_dev_set_link_down (change 1): no RTE_ETH_EVENT_INTR_LSC event within 1 s",
    "RXQ_INTR_NEVER_FIRES": "was not woken within 1 s by a frame that arrived on that queue: the RX interrupt never",
    "LSC_EVENT_BEFORE_LINK": "rte_eth_link_get_nowait gave link up inside the LSC callback and down after it, want",
}
ALL_CHECKS = tuple(f"E{i}" for i in range(1, 30))


def driver_name(macro: str) -> str:
    """net_mut<macro>: no name prefixes another (vdev matching is by prefix), none ends in a digit."""
    return f"net_mut{macro.lower()}"


@cache
def sdk_include() -> str:
    return str(ensure_sdk(find_dpdk()).include_dir)


def build(macro: str) -> tuple[str, Path]:
    name = driver_name(macro)
    plugin = compile_plugin([SOURCE], f"rte_{name}", [f"MUT_{macro}", f"MUT_DRV_NAME={name}"],
                            cflags=[f"-I{sdk_include()}", "-DALLOW_INTERNAL_API"], libs=["-lrte_bus_vdev"])
    return name, plugin


def kit_test(name: str, plugin: Path, report: Path, checks: tuple[str, ...]) -> dict[str, dict[str, object]]:
    cmd = [sys.executable, "-m", "kit.cli", "test", "--pmd", f"{name}0", "--plugin", str(plugin),
           "--report", str(report), "--check", ",".join(checks), "--", "-q", "-p", "no:randomly"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert report.is_file(), f"kit test wrote no report:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}"
    return json.loads(report.read_text())


def test_driver_names_do_not_prefix_one_another() -> None:
    names = [driver_name(m) for m in ("NONE", *MUTANTS)]
    clashes = [(a, b) for a in names for b in names if a != b and b.startswith(a)]
    assert not clashes, clashes


def test_control_build_passes_every_check(tmp_path: Path) -> None:
    name, plugin = build("NONE")
    report = kit_test(name, plugin, tmp_path / "report.json", ALL_CHECKS)
    assert set(report) == set(ALL_CHECKS)
    failed = {c: r for c, r in report.items() if r["result"] != "passed" or r["details"]}
    assert not failed, failed


@pytest.mark.parametrize("macro", sorted(MUTANTS))
def test_mutant_is_caught_by_its_check(macro: str, tmp_path: Path) -> None:
    name, plugin = build(macro)
    expected = MUTANTS[macro]
    report = kit_test(name, plugin, tmp_path / "report.json", expected)
    for check in expected:
        assert report[check]["result"] == "FAILED", f"{check} did not catch mutant {macro}: {report[check]}"
    if macro in MESSAGES:
        details = [d for c in expected for d in report[c]["details"]]  # type: ignore[attr-defined]
        assert any(MESSAGES[macro] in d for d in details), f"mutant {macro} failed for another reason: {details}"
