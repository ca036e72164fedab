"""`kit doctor`: one line per check, exit 0 only when every blocking check passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kit import doctor
from kit.build import dpdk as dpdk_mod
from kit.runtime import runtime_dir, world_writable_component

KIT = [sys.executable, "-m", "kit.cli"]


def run_doctor(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KIT, "doctor"], capture_output=True, text=True, check=False,
                          env=dict(os.environ, **env), timeout=120)


def line_of(output: str, check: str) -> str:
    return next(ln for ln in output.splitlines() if ln[6:].startswith(check))


def test_doctor_passes_on_a_ready_machine() -> None:
    """Verify: every blocking check is ok, the EAL really started, the ops table is read, nothing left behind."""
    before = set(runtime_dir("x").parent.glob("kit-doctor-*")) if runtime_dir("x").parent.is_dir() else set()
    proc = run_doctor()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for check in ("dpdk", "sdk headers", "c compiler", "meson", "ninja", "dpdk-testpmd", "dpdk-test",
                  "eal start", "mempool ops slots", "plugin directory"):
        assert line_of(proc.stdout, check).startswith("ok "), check
    assert line_of(proc.stdout, "hugepages").startswith("info")
    slots = line_of(proc.stdout, "mempool ops slots")
    assert " of 16 mempool ops slots free" in slots
    after = set(runtime_dir("x").parent.glob("kit-doctor-*")) if runtime_dir("x").parent.is_dir() else set()
    assert after == before, "doctor left EAL runtime files behind"


def test_doctor_without_dpdk_fails_with_the_fix(tmp_path: Path) -> None:
    proc = run_doctor(PKG_CONFIG_LIBDIR=str(tmp_path), PKG_CONFIG_PATH="")
    assert proc.returncode == 1
    line = line_of(proc.stdout, "dpdk")
    assert line.startswith("FAIL")
    assert "pkg-config finds no libdpdk.pc" in line and "fix:" in line
    assert "Traceback" not in proc.stderr
    # Checks that do not need DPDK still report.
    assert line_of(proc.stdout, "c compiler").startswith("ok")
    assert proc.stdout.strip().endswith("blocking check(s) failed")


def test_doctor_without_sdk_headers_says_run_kit_sdk(tmp_path: Path) -> None:
    proc = run_doctor(DPDK_KIT_CACHE=str(tmp_path / "empty-cache"))
    assert proc.returncode == 1
    line = line_of(proc.stdout, "sdk headers")
    assert line.startswith("FAIL") and "fix: run 'kit sdk'" in line


def test_doctor_reports_an_eal_that_does_not_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """An EAL argument the real EAL rejects makes the eal check fail (the check can fail)."""
    monkeypatch.setattr(doctor, "base_eal_args", lambda prefix: ["--no-huge", "--no-pci", "-l", "999",
                                                                 "--file-prefix", prefix])
    dpdk_mod.find_dpdk.cache_clear()
    results = {r.name: r for r in doctor._all_checks()}
    assert results["eal start"].status == doctor.FAIL
    assert "EAL does not start" in results["eal start"].detail


def test_full_ops_table_is_a_blocking_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    full = doctor.EalReport(ops_max=16, ops_names=tuple(f"ops{i}" for i in range(16)))
    monkeypatch.setattr(doctor, "run_eal_probe", lambda _dpdk: full)
    dpdk_mod.find_dpdk.cache_clear()
    results = {r.name: r for r in doctor._all_checks()}
    assert results["mempool ops slots"].status == doctor.FAIL
    assert results["mempool ops slots"].detail.startswith("0 of 16")


def test_world_writable_component_follows_eal(tmp_path: Path) -> None:
    """EAL's rule: the path itself and every ancestor must not be world-writable."""
    safe = tmp_path / "a" / "b"
    safe.mkdir(parents=True)
    tmp_path.chmod(0o755)
    (tmp_path / "a").chmod(0o777)
    assert world_writable_component(safe) == tmp_path / "a"
    (tmp_path / "a").chmod(0o755)
    plugin = safe / "librte_x.so"
    plugin.write_bytes(b"")
    plugin.chmod(0o666)
    assert world_writable_component(plugin) == plugin, "a world-writable plugin file is refused by EAL too"
    # /tmp itself is world-writable on every Linux system, so anything below it is refused.
    assert world_writable_component(Path("/tmp/x/y")) == Path("/tmp")
    assert world_writable_component(Path("/usr/lib")) is None
