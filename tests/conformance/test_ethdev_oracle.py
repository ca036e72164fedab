"""The ethdev suite on DPDK's own PMDs, the oracle: every check passes, and what cannot apply to a driver is
reported as n/a with its declared reason, through a real `kit test` process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kit.conformance.applicability import NOT_APPLICABLE, OPTIONAL_OPS

CHECKS = [*(f"E{i}" for i in range(1, 30))]


@pytest.mark.parametrize("devargs", ["net_null0", "net_ring0"])
def test_dpdk_pmd_passes_the_ethdev_suite(devargs: str, tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "kit.cli", "test", "--pmd", devargs, "--report", str(report_path),
                           "--", "-q", "-rs"], capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    report = json.loads(report_path.read_text())
    assert sorted(report, key=lambda c: int(c[1:])) == CHECKS
    # Passed, or n/a only where the driver lacks an optional op (measured, with the answer as reason) or, for a whole
    # check, where an aspect declared for the driver was measured (net_ring's E22: it has no receive filter).
    failed = {c: e for c, e in report.items() if e["result"] == "FAILED"}
    assert not failed, failed
    driver = devargs.rstrip("0123456789")
    declared = [f"{aspect} not applicable to {driver}: {why}" for aspect, why in NOT_APPLICABLE.get(driver, {}).items()]
    for check, entry in report.items():
        if entry["result"] == "n/a":
            assert entry["details"] and all("driver has no " in d or d in declared for d in entry["details"]), (
                check, entry)
    # Every skip shown is declared for this driver, or an optional op the driver measurably lacks.
    driver = devargs.rstrip("0123456789")
    for line in proc.stdout.splitlines():
        if line.startswith("SKIPPED"):
            assert f"not applicable to {driver}:" in line, line
            aspect = line.split(" not applicable to ")[0].rsplit(" ", 1)[-1]
            assert aspect in NOT_APPLICABLE[driver] or aspect in OPTIONAL_OPS, line
