"""The pytest plugin behind `kit test`: options that name the driver, one marker per contract check,
declared non-applicable aspects, and a per-check report (terminal table and JSON).

Registered as the `kit_conformance` pytest11 entry point, so a generated project's own tests get the
same options and fixtures. The suites themselves live in kit/conformance/suites/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kit.conformance.applicability import OPTIONAL_OPS, reason_not_applicable, reason_unsupported

PASSED, FAILED, NOT_APPLICABLE = "passed", "FAILED", "n/a"


@dataclass(frozen=True)
class KitTarget:
    """The driver under test: a mempool ops name or PMD devargs, and the plugins that provide it."""

    mempool: str | None
    pmd: str | None
    plugins: tuple[Path, ...]

    @property
    def driver(self) -> str:
        """The driver name for applicability lookups: the ops name, or the devargs' device name minus its index."""
        if self.mempool:
            return self.mempool
        device = (self.pmd or "").split(",", 1)[0]
        return device.rstrip("0123456789")


@dataclass
class CheckReport:
    outcomes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, check: str, outcome: str, detail: str) -> None:
        self.outcomes.setdefault(check, []).append((outcome, detail))

    def note(self, check: str, text: str) -> None:
        self.notes.setdefault(check, []).append(text)

    def summary(self) -> dict[str, dict[str, object]]:
        result: dict[str, dict[str, object]] = {}
        for check in sorted(self.outcomes, key=_check_order):
            entries = self.outcomes[check]
            outcomes = {o for o, _ in entries}
            overall = FAILED if FAILED in outcomes else PASSED if PASSED in outcomes else NOT_APPLICABLE
            details = [d for o, d in entries if o != PASSED and d]
            result[check] = {"result": overall, "tests": len(entries), "details": details}
            if self.notes.get(check):
                result[check]["notes"] = list(self.notes[check])
        return result


def _check_order(check: str) -> tuple[str, int]:
    return (check[0], int(check[1:]) if check[1:].isdigit() else 0)


_REPORT_KEY = pytest.StashKey[CheckReport]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kit", "dpdk-kit conformance")
    group.addoption("--kit-mempool", metavar="NAME", help="mempool ops name to test (e.g. ring_mp_mc)")
    group.addoption("--kit-pmd", metavar="DEVARGS", help="vdev devargs of the PMD to test (e.g. net_null0)")
    group.addoption("--kit-plugin", metavar="PATH", action="append", default=[], type=Path,
                    help="driver plugin (.so) to load with EAL -d; repeatable")
    group.addoption("--kit-report", metavar="FILE", type=Path, help="write the per-check results as JSON")
    group.addoption("--kit-checks", metavar="IDS", default="",
                    help="comma-separated check ids to run (e.g. M4,M5); default: all")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers",
                            "check(id): the docs/conformance.md check of a test (M1..M14, E1..E29)")
    config.stash[_REPORT_KEY] = CheckReport()


@pytest.fixture(scope="session")
def kit_target(pytestconfig: pytest.Config) -> KitTarget:
    mempool = pytestconfig.getoption("--kit-mempool")
    pmd = pytestconfig.getoption("--kit-pmd")
    if bool(mempool) == bool(pmd):
        raise pytest.UsageError("name exactly one driver: --kit-mempool NAME or --kit-pmd DEVARGS")
    plugins = tuple(p.resolve() for p in pytestconfig.getoption("--kit-plugin"))
    for plugin in plugins:
        if not plugin.is_file():
            raise pytest.UsageError(f"--kit-plugin {plugin}: no such file")
    return KitTarget(mempool, pmd, plugins)


@pytest.fixture
def not_applicable(kit_target: KitTarget, request: pytest.FixtureRequest):
    """Call with an aspect name ("E7.loop") to skip, with the declared reason, what cannot apply to this driver.

    Only aspects declared in applicability.py may be skipped, so nothing is skipped silently.
    """

    def check(aspect: str) -> None:
        reason = reason_not_applicable(kit_target.driver, aspect)
        if reason is not None:
            pytest.skip(f"{aspect} not applicable to {kit_target.driver}: {reason}")

    return check


@pytest.fixture
def unsupported(kit_target: KitTarget):
    """Call with an aspect of applicability.OPTIONAL_OPS and what was measured ("rte_eth_rx_queue_info_get returned
    -ENOTSUP") to report the aspect n/a: the driver lacks an op DPDK lets it leave out."""

    def skip(aspect: str, measured: str) -> None:
        if aspect not in OPTIONAL_OPS:
            raise pytest.UsageError(f"{aspect} is not an optional-op aspect (applicability.OPTIONAL_OPS)")
        pytest.skip(f"{aspect} not applicable to {kit_target.driver}: {reason_unsupported(aspect, measured)}")

    return skip


@pytest.fixture
def note(request: pytest.FixtureRequest):
    """Call with a line of text to add to the report of the running test's check (what it tested, what it left
    out and why); notes are information, not failures nor n/a."""
    check = _check_id(request.node)

    def add(text: str) -> None:
        if check is not None:
            request.config.stash[_REPORT_KEY].note(check, text)

    return add


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = {c.strip().upper() for c in str(config.getoption("--kit-checks") or "").split(",") if c.strip()}
    if not wanted:
        return
    keep = [item for item in items if _check_id(item) in wanted]
    if not keep:
        raise pytest.UsageError(f"--kit-checks {','.join(sorted(wanted))}: no such check in this suite")
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


def _failure_text(report: pytest.TestReport) -> str:
    """The failure's own message (what DPDK expects and what the driver did), not the traceback's location."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else report.longreprtext.strip()
    lines = text.strip().splitlines()
    return lines[0][:400] if lines else "failed"


def _check_id(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("check")
    return str(marker.args[0]) if marker and marker.args else None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    check = _check_id(item)
    if check is None:
        return
    store = item.config.stash[_REPORT_KEY]
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            store.add(check, NOT_APPLICABLE, reason.removeprefix("Skipped: "))
        elif report.failed:
            store.add(check, FAILED, f"{item.name}: {_failure_text(report)}")
        else:
            store.add(check, PASSED, "")
    elif report.when == "teardown" and report.failed:
        store.add(check, FAILED, f"{item.name} teardown: {_failure_text(report)}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    summary = config.stash[_REPORT_KEY].summary()
    if not summary:
        return
    terminalreporter.section("kit conformance")
    for check, entry in summary.items():
        terminalreporter.write_line(f"{check:<4} {entry['result']:<7} ({entry['tests']} tests)")
        for detail in entry["details"]:  # type: ignore[attr-defined]
            terminalreporter.write_line(f"       {detail}")
        for text in entry.get("notes", []):  # type: ignore[attr-defined]
            terminalreporter.write_line(f"       note: {text}")
    path: Path | None = config.getoption("--kit-report", default=None)
    if path is not None:
        path.write_text(json.dumps(summary, indent=2) + "\n")
