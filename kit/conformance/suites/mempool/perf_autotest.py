"""dpdk-test's mempool_perf_autotest on the driver under test (M14), streamed and bounded.

The test times each configuration by the TSC and runs at least one full pass of its loop per configuration;
`perf_shim.c` (preloaded) shortens the timed part and puts every pool the test makes on the driver. What is
left is the pass: 65536 objects per lcore up to DPDK 24.07, 4194304 (128 x 32768) from 24.11 on, where one
configuration takes 1-3 s on two busy cores and the test runs ~350 of them per section, four or five sections:
an hour. So from 24.11 on the run stops after `max_configs` configurations, or once `budget` seconds have passed
with at least `min_configs` done (a driver as slow as ring_mp_mc on two busy cores takes 1-3 s per configuration
there); the process is killed, as any DPDK program can be. Up to 24.07 it runs to the end."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kit.runtime import remove_runtime_dir
from kit.toolchain.compile import compile_plugin
from kit.toolchain.sanitizers import preload_after

TSC_DIVISOR = 1000
CONFIG_LINE = re.compile(r"^mempool_autotest .*rate_persec=\s*\d+")
# What the test prints when a configuration or its setup fails (test_mempool_perf.c).
FAILURE_LINE = re.compile(
    r"test failed at|per-lcore test returned -1|mempool is not full|cannot (allocate|set|populate)")


Ending = Literal["ok", "failed", "stopped", "hung", "exited", "timeout"]


@dataclass
class PerfRun:
    """How a run ended: "ok" (Test OK, then the process exited by itself), "failed" (Test Failed or a failure
    line), "stopped" (by us: max_configs, or the budget with min_configs), "hung" (no configuration finished
    within idle_timeout), "exited" (ended without a verdict: a crash), "timeout" (total_timeout passed while
    configurations were still finishing)."""

    ending: Ending
    configs: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    output: list[str] = field(default_factory=list)
    returncode: int | None = None
    seconds: float = 0.0

    def tail(self, lines: int = 25) -> str:
        return "\n".join(self.output[-lines:])


def perf_shim() -> Path:
    return compile_plugin([Path(__file__).with_name("perf_shim.c")], "kit_perf_shim", libs=["-ldl"])


def _reader(stream: object, lines: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line.rstrip("\r\n"))
    lines.put(None)


def run_perf_autotest(argv: list[str], prefix: str, env: dict[str, str], *, max_configs: int | None,
                      idle_timeout: float, total_timeout: float, budget: float | None = None,
                      min_configs: int = 0) -> PerfRun:
    """Run `argv` (dpdk-test with DPDK_TEST in `env`), line by line, until it ends or one of the bounds."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace", env=env)
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    run = PerfRun(ending="exited")
    last_progress = started
    try:
        while True:
            now = time.monotonic()
            if now - started > total_timeout:
                run.ending = "timeout"
                break
            try:
                line = lines.get(timeout=max(0.1, min(idle_timeout - (now - last_progress), 1.0)))
            except queue.Empty:
                if time.monotonic() - last_progress > idle_timeout:
                    run.ending = "hung"
                    break
                continue
            if line is None:
                break
            run.output.append(line)
            if CONFIG_LINE.match(line):
                run.configs.append(line)
                last_progress = time.monotonic()
            elif line.startswith("start performance test"):
                run.sections.append(line)
                last_progress = time.monotonic()
            if "Test OK" in line:
                run.ending = "ok"
            elif "Test Failed" in line or FAILURE_LINE.search(line):
                run.ending = "failed"
            if run.ending in ("ok", "failed"):
                break
            done = len(run.configs)
            if max_configs is not None and (done >= max_configs or (
                    budget is not None and done >= min_configs and time.monotonic() - started >= budget)):
                run.ending = "stopped"
                break
    finally:
        if run.ending == "ok":  # let it exit on its own: the exit path (rte_eal_cleanup) is part of the test
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                run.ending = "hung"
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        run.returncode = proc.returncode
        run.seconds = time.monotonic() - started
        remove_runtime_dir(prefix)
    return run


def shim_env(ops: str, test: str) -> dict[str, str]:
    """The caller's environment, the shim preloaded after what it preloads, the driver named for every pool the
    test makes."""
    return dict(preload_after(os.environ, [perf_shim()]), DPDK_TEST=test, KIT_TSC_DIVISOR=str(TSC_DIVISOR),
                KIT_MEMPOOL_OPS=ops)
