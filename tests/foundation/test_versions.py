"""The kit's few version tests (docs/versions.md), each at the boundary the DPDK release set: the LTS branch of a
version, Dpdk.at_least, the harness cdef that follows the installed headers, PMD info symbols of both forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.harness import _build
from kit.toolchain import pmdinfo, sdk
from kit.toolchain.dpdk import SUPPORTED_BRANCHES, Dpdk


def dpdk(version: str) -> Dpdk:
    return Dpdk(version, (), (), (), None)


@pytest.mark.parametrize(("version", "branch"), [("22.11.11", "22.11"), ("24.11.0-rc2", "24.11"), ("25.11", "25.11")])
def test_branch_of(version: str, branch: str) -> None:
    assert sdk.branch_of(version) == branch


@pytest.mark.parametrize(("version", "since", "expected"), [
    ("22.11.11", (24, 3), False), ("24.11.8", (24, 3), True), ("24.11.8", (25, 11), False),
    ("25.11.0", (25, 11), True), ("25.11-rc1", (25, 11), True), ("26.03.0", (25, 11), True),
])
def test_at_least(version: str, since: tuple[int, int], expected: bool) -> None:
    assert dpdk(version).at_least(*since) is expected


def test_supported_branches_are_the_maintained_lts() -> None:
    assert SUPPORTED_BRANCHES == ("22.11", "24.11", "25.11")


@pytest.mark.parametrize(("version", "has_queue_arrays"), [("22.11.11", True), ("24.11.8", True), ("25.11.4", False)])
def test_harness_cdef_follows_the_installed_headers(version: str, has_queue_arrays: bool,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """25.11 moved rte_eth_stats' per-queue arrays and RTE_ETHDEV_QUEUE_STAT_CNTRS out of the public headers: the
    cdef lines marked 'until 25.11' go, nothing else does."""
    monkeypatch.setattr(_build, "find_dpdk", lambda: dpdk(version))
    text = _build._cdef_text()
    assert ("q_ipackets" in text) is has_queue_arrays
    assert ("#define RTE_ETHDEV_QUEUE_STAT_CNTRS" in text) is has_queue_arrays
    full = "\n".join((_build.CSRC / name).read_text() for name in _build.CDEF_FILES)
    marked = sum(1 for line in full.splitlines() if _build.UNTIL_MARK.search(line))
    assert marked == 6
    assert len(text.splitlines()) == len(full.splitlines()) - (0 if has_queue_arrays else marked)


@pytest.mark.parametrize("symbol", ["this_pmd_name0", "this_pmd_name12", "this_pmd_namenet_mqnic_sim"])
def test_pmd_name_symbols_of_every_release(symbol: str) -> None:
    """this_pmd_name<N> until DPDK 25.11, this_pmd_name<driver name> since (RTE_PMD_EXPORT_NAME)."""
    assert pmdinfo.NAME_SYMBOL.fullmatch(symbol)


def test_mqnic_compat_header_names_each_release() -> None:
    """Every version test in the reference PMD's compatibility header has a comment naming the DPDK release."""
    header = Path(__file__).resolve().parents[2] / "reference_drivers/mqnic/src/mqnic_compat.h"
    blocks = header.read_text().split("#if RTE_VERSION")[1:]
    assert blocks
    text = header.read_text()
    for block in blocks:
        start = text.index("#if RTE_VERSION" + block)
        comment = text[:start].rsplit("/*", 1)[1]
        assert "DPDK 2" in comment, comment
