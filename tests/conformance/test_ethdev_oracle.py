"""The ethdev suite on DPDK's own PMDs, the oracle: every check passes, and what cannot apply to a driver is
reported as n/a with its declared reason, through a real `kit test` process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kit.conformance.applicability import NOT_APPLICABLE

CHECKS = [f"E{i}" for i in range(1, 15)]


@pytest.mark.parametrize("devargs", ["net_null0", "net_ring0"])
def test_dpdk_pmd_passes_the_ethdev_suite(devargs: str, tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "kit.cli", "test", "--pmd", devargs, "--report", str(report_path),
                           "--", "-q", "-rs"], capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    report = json.loads(report_path.read_text())
    assert sorted(report, key=lambda c: int(c[1:])) == CHECKS
    assert all(entry["result"] == "passed" for entry in report.values()), report
    # Every skip shown is one declared for this driver, with its reason.
    driver = devargs.rstrip("0123456789")
    for line in proc.stdout.splitlines():
        if line.startswith("SKIPPED"):
            assert f"not applicable to {driver}:" in line, line
            aspect = line.split(" not applicable to ")[0].rsplit(" ", 1)[-1]
            assert aspect in NOT_APPLICABLE[driver], line
