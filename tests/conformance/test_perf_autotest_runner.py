"""M14's runner of mempool_perf_autotest tells each way a run can end apart. The program here is a stand-in
that prints what dpdk-test prints (test_mempool_perf.c's lines), so that every ending, hang and crash
included, can be produced on demand; the real program runs in the suite (kit test --check M14)."""

from __future__ import annotations

import sys

import pytest

from kit.conformance.suites.mempool.perf_autotest import run_perf_autotest

CONFIG = "mempool_autotest cache=0 cores=2 n_get_bulk=1 n_put_bulk=1 n_keep=32 constant_n=0 rate_persec=5326"


def _run(script: str, *, max_configs: int | None = None, idle_timeout: float = 5.0):
    argv = [sys.executable, "-u", "-c", script]
    return run_perf_autotest(argv, "kit-perf-runner-test", {}, max_configs=max_configs,
                             idle_timeout=idle_timeout, total_timeout=30)


def _prints(*lines: str, then: str = "") -> str:
    return "".join(f"print({line!r})\n" for line in lines) + then


def test_ok_needs_the_verdict_and_a_clean_exit() -> None:
    run = _run(_prints("start performance test (without cache)", CONFIG, CONFIG, "Test OK"))
    assert (run.ending, len(run.configs), run.returncode) == ("ok", 2, 0)
    assert run.sections == ["start performance test (without cache)"]


@pytest.mark.parametrize("line", ["Test Failed", "test failed at per_lcore_mempool_test():263",
                                  "mempool is not full", "per-lcore test returned -1"])
def test_failure_lines_end_the_run_as_failed(line: str) -> None:
    run = _run(_prints(CONFIG, line, then="import time; time.sleep(30)\n"))
    assert run.ending == "failed" and run.output[-1] == line and run.seconds < 15


def test_a_crash_is_not_a_pass() -> None:
    run = _run(_prints(CONFIG, then="import os; os.abort()\n"))
    assert run.ending == "exited" and run.returncode != 0


def test_no_progress_is_a_hang() -> None:
    run = _run(_prints(CONFIG, then="import time; time.sleep(30)\n"), idle_timeout=1.0)
    assert run.ending == "hung" and len(run.configs) == 1 and run.seconds < 10


def test_stops_after_max_configs() -> None:
    run = _run(_prints(*[CONFIG] * 5, then="import time; time.sleep(30)\n"), max_configs=3)
    assert run.ending == "stopped" and len(run.configs) == 3 and run.seconds < 10


def test_a_budget_stops_once_enough_ran() -> None:
    """A slow driver: the budget ends the run, but not before min_configs configurations finished."""
    slow = "import time\n" + "".join(f"print({CONFIG!r}); time.sleep(0.4)\n" for _ in range(10))
    run = run_perf_autotest([sys.executable, "-u", "-c", slow], "kit-perf-runner-test", {}, max_configs=48,
                            idle_timeout=5, total_timeout=30, budget=0.5, min_configs=4)
    assert run.ending == "stopped" and len(run.configs) == 4, (run.ending, len(run.configs))
