"""Run a conformance suite against one driver in a fresh pytest process (its own EAL)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from kit.errors import KitError
from kit.harness.eal import check_plugin_path

SUITES = Path(__file__).with_name("suites")


def suite_path(kind: str) -> Path:
    return SUITES / f"{kind}_suite.py"


def pytest_command(*, mempool: str | None, pmd: str | None, plugins: Sequence[Path],
                   report: Path | None = None, checks: Sequence[str] = (),
                   extra: Sequence[str] = ()) -> list[str]:
    if bool(mempool) == bool(pmd):
        raise KitError("name exactly one driver to test", "use --mempool NAME or --pmd DEVARGS")
    for plugin in plugins:
        check_plugin_path(plugin)
    kind, option, value = ("mempool", "--kit-mempool", mempool) if mempool else ("ethdev", "--kit-pmd", pmd)
    cmd = [sys.executable, "-m", "pytest", str(suite_path(kind)), "-c", str(SUITES / "pytest.ini"),
           "--rootdir", str(SUITES), "-p", "no:cacheprovider", option, str(value)]
    for plugin in plugins:
        cmd += ["--kit-plugin", str(Path(plugin).resolve())]
    if report is not None:
        cmd += ["--kit-report", str(report)]
    if checks:
        cmd += ["--kit-checks", ",".join(checks)]
    return [*cmd, *extra]


def run_suite(*, mempool: str | None, pmd: str | None, plugins: Sequence[Path] = (),
              report: Path | None = None, checks: Sequence[str] = (), extra: Sequence[str] = ()) -> int:
    cmd = pytest_command(mempool=mempool, pmd=pmd, plugins=plugins, report=report, checks=checks, extra=extra)
    return subprocess.run(cmd, check=False).returncode
