"""kit/toolchain/testpmd_build.py: a dpdk-testpmd with the ieee1588 engine, built once from the installed DPDK's
source, reused after; and what it says when no source is available or a source does not fit.

The build itself (and that its testpmd has the engine) is proven by tests/reference/test_mqnic_ptp.py; here the
cache and the refusals, which cost no compilation."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kit.errors import KitError
from kit.toolchain.dpdk import find_dpdk
from kit.toolchain.testpmd_build import PROGRAM, NoSource, ensure_ieee1588_testpmd


def test_a_built_testpmd_is_reused_without_building_again() -> None:
    try:
        first = ensure_ieee1588_testpmd()  # builds (about 20 s) unless a test built it before
    except NoSource as err:
        pytest.skip(f"{err.problem}; {err.fix}")
    started = time.monotonic()
    again = ensure_ieee1588_testpmd()
    assert again.path == first.path and again.path.name == PROGRAM and again.path.is_file()
    assert not again.built, "the second call built testpmd again"
    assert time.monotonic() - started < 2, "finding the cached testpmd took longer than hashing its source"
    assert find_dpdk().version in str(again.path), "the cache is not keyed on the DPDK version"
    assert (again.path.parent / "ORIGIN").read_text().startswith(again.origin)


def test_without_a_source_it_says_how_to_provide_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dpdk = find_dpdk()
    monkeypatch.delenv("DPDK_SRC", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no apt-get, no dpkg-query: not a Debian system as far as it sees
    with pytest.raises(NoSource) as caught:
        ensure_ieee1588_testpmd(dpdk=dpdk)
    assert "no DPDK source tree" in caught.value.problem
    assert "DPDK_SRC" in caught.value.fix and dpdk.version in caught.value.fix


def test_a_source_tree_of_another_branch_is_refused(tmp_path: Path) -> None:
    (tmp_path / "VERSION").write_text("21.11.0\n")
    with pytest.raises(KitError) as caught:
        ensure_ieee1588_testpmd(tmp_path, dpdk=find_dpdk())
    assert not isinstance(caught.value, NoSource)
    assert "21.11.0" in caught.value.problem and "another branch" in caught.value.problem


def test_an_incomplete_source_tree_is_a_failure_not_a_missing_source(tmp_path: Path) -> None:
    dpdk = find_dpdk()
    (tmp_path / "VERSION").write_text(dpdk.version + "\n")
    with pytest.raises(KitError) as caught:
        ensure_ieee1588_testpmd(tmp_path, dpdk=dpdk)
    assert not isinstance(caught.value, NoSource)
    assert "not a complete DPDK source tree" in caught.value.problem and "app/test-pmd" in caught.value.problem
