"""The mempool suite on DPDK's own drivers (the oracle: a check failing there is wrong) and on the
reference driver kit_ring, each through a real `kit test` process."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kit.paths import cache_root, kit_bin_dir, kit_env
from kit.toolchain.meson import build_driver

REPO = Path(__file__).resolve().parents[2]
CHECKS = [f"M{i}" for i in range(1, 15)]


def kit_test(tmp_path: Path, *args: str) -> dict[str, dict[str, object]]:
    report = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "kit.cli", "test", *args, "--report", str(report), "--", "-q"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return json.loads(report.read_text())


@pytest.fixture(scope="module")
def kit_ring_plugin() -> Path:
    source = REPO / "reference_drivers" / "ring_mempool"
    # Built under the kit's cache, not the checkout: EAL refuses plugins below world-writable directories.
    build_dir = cache_root() / "builds" / f"ring_mempool-{hashlib.sha256(str(source).encode()).hexdigest()[:8]}"
    build_driver(source, build_dir)
    return build_dir / "librte_mempool_kit_ring.so"


@pytest.mark.parametrize("ops", ["ring_mp_mc", "ring_sp_sc", "stack"])
def test_dpdk_driver_passes_the_mempool_suite(ops: str, tmp_path: Path) -> None:
    report = kit_test(tmp_path, "--mempool", ops)
    assert sorted(report) == sorted(CHECKS)
    assert all(entry["result"] == "passed" for entry in report.values()), report


def test_ring_sp_sc_is_not_shared_by_getting_and_putting_lcores(tmp_path: Path) -> None:
    """ring_sp_sc passes M12/M14 on the one-getter/one-putter stress; the all-lcores variant is n/a with its
    reason, named in the report."""
    report = kit_test(tmp_path, "--mempool", "ring_sp_sc", "--check", "M12,M14")
    for check in ("M12", "M14"):
        assert report[check]["result"] == "passed", report
        assert any("single-producer/single-consumer by contract" in str(d) for d in report[check]["details"]), report


def test_reference_kit_ring_passes_the_mempool_suite(kit_ring_plugin: Path, tmp_path: Path) -> None:
    report = kit_test(tmp_path, "--mempool", "kit_ring", "--plugin", str(kit_ring_plugin))
    assert sorted(report) == sorted(CHECKS)
    assert all(entry["result"] == "passed" for entry in report.values()), report


def test_unknown_ops_is_refused_before_any_check(tmp_path: Path) -> None:
    """A misspelt ops name is the user's input, not a broken driver: one line, exit 2, no check runs."""
    report = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "kit.cli", "test", "--mempool", "no_such_ops", "--check", "M1",
                           "--report", str(report)], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 2
    assert "no mempool ops named 'no_such_ops' is registered" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not report.exists()


def test_plugin_under_a_world_writable_directory_is_refused_before_eal(tmp_path: Path) -> None:
    plugin = tmp_path / "librte_mempool_x.so"
    plugin.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "kit.cli", "test", "--mempool", "x", "--plugin", str(plugin)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "world-writable" in proc.stderr and "Traceback" not in proc.stderr


def test_reference_kit_ring_own_tests(kit_ring_plugin: Path) -> None:
    """The driver project's own tests (meson test): its C unit test and its peers script."""
    bindir = kit_bin_dir()  # the kit's meson, and its ninja through kit_env(): another would rebuild all
    proc = subprocess.run([str(bindir / "meson"), "test", "-C", str(kit_ring_plugin.parent), "--print-errorlogs"],
                          capture_output=True, text=True, timeout=300, check=False, env=kit_env())
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert "Fail:              0" in proc.stdout and "Ok:                 0" not in proc.stdout, proc.stdout[-2000:]
