# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
"""dpdk-kit's checks on this driver, run with `pytest tests` (needs dpdk-kit's `kit` on PATH).

Steps: build the plugin with `kit build` into $KIT_BUILD_DIR (default: ./build), run the mempool
conformance suite on it (`kit test --mempool NAME --plugin PLUGIN`) and read it back (`kit info PLUGIN`).
Verify: every conformance check passes; `kit info` lists the ops the plugin registers.
`kit test DIR` runs the suite itself first and names its report in $KIT_CONFORMANCE_REPORT: the report is then
read here instead of running the suite a second time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
NAME = "{{ cookiecutter.name }}"  # the meson project name: the ops name and the plugin name derive from it


def kit() -> str:
    exe = shutil.which("kit")
    if exe is None:
        pytest.fail("dpdk-kit's 'kit' is not on PATH (activate the venv dpdk-kit is installed in)")
    return exe


@pytest.fixture(scope="module")
def plugin() -> Path:
    """The built plugin; `kit build` is incremental, so this costs little when nothing changed."""
    build_dir = Path(os.environ.get("KIT_BUILD_DIR", PROJECT / "build")).resolve()
    subprocess.run([kit(), "build", str(PROJECT), "--build-dir", str(build_dir)], check=True)
    path = build_dir / f"librte_mempool_{NAME}.so"
    assert path.is_file(), f"kit build did not produce {path}"
    return path


def test_conformance(plugin: Path, tmp_path: Path) -> None:
    report_path = Path(os.environ.get("KIT_CONFORMANCE_REPORT") or tmp_path / "report.json")
    if "KIT_CONFORMANCE_REPORT" not in os.environ:
        proc = subprocess.run([kit(), "test", "--mempool", NAME, "--plugin", str(plugin), "--report",
                               str(report_path)], check=False)
        assert proc.returncode == 0, f"kit test --mempool {NAME} failed (exit {proc.returncode}); see above"
    report = json.loads(report_path.read_text())
    assert report, "the suite reported no checks"
    failed = {check: entry["details"] for check, entry in report.items() if entry["result"] not in ("passed", "n/a")}
    assert not failed, failed


def test_info_lists_the_ops(plugin: Path) -> None:
    proc = subprocess.run([kit(), "info", str(plugin)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert NAME in proc.stdout.split(), proc.stdout
