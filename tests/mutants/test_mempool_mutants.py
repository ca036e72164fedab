"""Every mempool check can fail: each mutant breaks one rule of docs/conformance.md and the check named for
that rule must catch it. The unbroken build of the same source (the control) must pass them all.

Each run is a real `kit test` in its own process with the mutant loaded as an EAL plugin.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kit.toolchain.compile import compile_plugin

SOURCE = Path(__file__).with_name("mempool") / "mutant_mempool.c"

# mutant macro -> the checks that must catch it (docs/conformance.md has the same table).
MUTANTS: dict[str, tuple[str, ...]] = {
    "MISSING_DEQUEUE": ("M1",),
    "ALLOC_FAILS": ("M2",),
    "COUNT_OFF_BY_ONE": ("M3", "M11"),
    "SCRIBBLE_ON_FAIL": ("M4", "M5"),
    "PARTIAL_DEQUEUE": ("M5",),
    "LOSSY_ENQUEUE": ("M6",),
    "DUPLICATE": ("M7",),
    "WRITES_OBJECTS": ("M7", "M11"),
    "RACY": ("M8",),
    "BULK_LIMIT": ("M9",),
    "FREE_NULL_CRASH": ("M10",),
    "RACY_HEAD": ("M12",),
    "ONE_CHUNK": ("M13",),
    "COUNT_DRIFT": ("M14",),
}
# mutant macro -> (check, words its failure message must contain): caught for its defect, not by accident.
MESSAGES: dict[str, tuple[str, str]] = {
    "RACY_HEAD": ("M12", "were handed out while another lcore held them"),
    "ONE_CHUNK": ("M13", "the driver refused or lost"),
    "COUNT_DRIFT": ("M14", "the count drifted under load"),
}
ALL_CHECKS = tuple(f"M{i}" for i in range(1, 15))


def build(macro: str) -> tuple[str, Path]:
    ops = f"mut_{macro.lower()}"[:31]
    return ops, compile_plugin([SOURCE], f"rte_mempool_{ops}", [f"MUT_{macro}", f'MUT_OPS_NAME="{ops}"'])


def kit_test(ops: str, plugin: Path, report: Path, checks: tuple[str, ...]) -> dict[str, dict[str, object]]:
    cmd = [sys.executable, "-m", "kit.cli", "test", "--mempool", ops, "--plugin", str(plugin),
           "--report", str(report), "--check", ",".join(checks), "--", "-q", "-p", "no:randomly"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert report.is_file(), f"kit test wrote no report:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}"
    return json.loads(report.read_text())


def test_control_build_passes_every_check(tmp_path: Path) -> None:
    ops, plugin = build("NONE")
    report = kit_test(ops, plugin, tmp_path / "report.json", ALL_CHECKS)
    assert set(report) == set(ALL_CHECKS)
    failed = {c: r["details"] for c, r in report.items() if r["result"] != "passed"}
    assert not failed, failed


@pytest.mark.parametrize("macro", sorted(MUTANTS))
def test_mutant_is_caught_by_its_check(macro: str, tmp_path: Path) -> None:
    ops, plugin = build(macro)
    expected = MUTANTS[macro]
    report = kit_test(ops, plugin, tmp_path / "report.json", expected)
    for check in expected:
        assert report[check]["result"] == "FAILED", f"{check} did not catch mutant {macro}: {report[check]}"
    if macro in MESSAGES:
        check, words = MESSAGES[macro]
        details = report[check]["details"]
        assert isinstance(details, list) and any(words in str(d) for d in details), (
            f"{check} failed on mutant {macro} but not with '{words}': {details}")
