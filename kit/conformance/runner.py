"""Run a conformance suite against one driver in a fresh pytest process (its own EAL), or against a project's
plugin followed by the project's own tests (`kit test DIR`)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from kit.errors import KitError
from kit.harness.eal import check_plugin_path
from kit.paths import kit_env

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



def _project_env(report: Path | None) -> dict[str, str]:
    """The kit's bin directory first on PATH (the project's tests run `kit`), and the suite's report if any."""
    env = kit_env()
    env.pop("KIT_CONFORMANCE_REPORT", None)
    if report is not None:
        env["KIT_CONFORMANCE_REPORT"] = str(report)
    return env


def run_suite_and_project_tests(*, mempool: str | None, pmd: str | None, plugin: Path, project_root: Path,
                                report: Path | None = None, checks: Sequence[str] = (), extra: Sequence[str] = (),
                                say: Callable[[str], None] = print) -> tuple[int, int]:
    """The conformance suite on `plugin`, then the project's own tests (pytest PROJECT/tests, cwd PROJECT).

    The project's tests get the suite's report in $KIT_CONFORMANCE_REPORT (unless `checks` narrowed the suite),
    so a test that would run the suite again reads it instead. Returns both exit codes (suite, project tests);
    the project tests' code is 0 when there are none."""
    what = f"--pmd {pmd}" if pmd else f"--mempool {mempool}"
    say(f"conformance suite: kit test {what} --plugin {plugin}")
    with tempfile.TemporaryDirectory(prefix="kit-test-") as scratch:
        suite_report = report if report is not None else Path(scratch) / "report.json"
        suite_rc = run_suite(mempool=mempool, pmd=pmd, plugins=[plugin], report=suite_report, checks=checks,
                             extra=extra)
        tests = project_root / "tests"
        if not (tests.is_dir() and any(tests.glob("test_*.py"))):
            say(f"project tests: none ({tests} has no test_*.py)")
            return suite_rc, 0
        say(f"project tests: pytest {tests}")
        handed = suite_report if not checks and suite_report.is_file() else None
        own = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
                             cwd=project_root, env=_project_env(handed), check=False)
    return suite_rc, own.returncode
