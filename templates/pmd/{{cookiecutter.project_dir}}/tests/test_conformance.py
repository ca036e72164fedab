# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
"""dpdk-kit's checks on this driver, run with `pytest tests` (needs dpdk-kit's `kit` on PATH).

Steps: build the plugin with `kit build` into $KIT_BUILD_DIR (default: ./build), run the ethdev conformance
suite on the sim front end with its wire looped back (`kit test --pmd net_NAME_sim0,wire=loopback --plugin
PLUGIN`) and read the PMD info back (`kit info PLUGIN`).
Verify: every check passes (or is declared n/a); `kit info` lists both front ends, the PCI front end with its
ids and kernel module dependency.
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
NAME = "{{ cookiecutter.name }}"  # the meson project name: driver names and the plugin name derive from it
PCI_IDS = [{% if cookiecutter.vendor_id == "0x1234" and cookiecutter.device_id == "0x1001" %}"1234:1001", "5543:1001"{% else %}"{{ cookiecutter.vendor_id[2:] }}:{{ cookiecutter.device_id[2:] }}"{% endif %}]


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
    path = build_dir / f"librte_net_{NAME}.so"
    assert path.is_file(), f"kit build did not produce {path}"
    return path


def test_conformance(plugin: Path, tmp_path: Path) -> None:
    report_path = Path(os.environ.get("KIT_CONFORMANCE_REPORT") or tmp_path / "report.json")
    if "KIT_CONFORMANCE_REPORT" not in os.environ:
        proc = subprocess.run([kit(), "test", "--pmd", f"net_{NAME}_sim0,wire=loopback", "--plugin", str(plugin),
                               "--report", str(report_path)], check=False)
        assert proc.returncode == 0, f"kit test --pmd net_{NAME}_sim0 failed (exit {proc.returncode}); see above"
    report = json.loads(report_path.read_text())
    assert report, "the suite reported no checks"
    failed = {check: entry["details"] for check, entry in report.items() if entry["result"] not in ("passed", "n/a")}
    assert not failed, failed


def test_info_lists_both_front_ends(plugin: Path) -> None:
    proc = subprocess.run([kit(), "info", str(plugin)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = [line.split() for line in proc.stdout.splitlines()]
    assert ["pmd", f"net_{NAME}"] in lines and ["pmd", f"net_{NAME}_sim"] in lines, proc.stdout
    pci_ids = [words[2] for words in lines if words[:2] == ["pci", "id"]]
    assert pci_ids == PCI_IDS, proc.stdout
    assert any(words[0] == "kmod" and "vfio-pci" in words for words in lines if words), proc.stdout
