"""Where a `kit bench` run is: a live progress bar (rich) on a terminal, plain lines otherwise.

The runner reports each configuration as its result arrives (kit.bench.runner.Tracker); a bar per phase
(throughput repetitions, callgrind) shows the configuration last measured and the time left at the rate so far.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from kit.bench.runner import Tracker


def tracker_for(stream: TextIO | None = None) -> Tracker:
    """A rich progress bar when `stream` (default stderr) is a terminal, else plain lines."""
    stream = stream or sys.stderr
    return RichTracker(stream) if stream.isatty() else LineTracker(stream)


class LineTracker(Tracker):
    """Plain lines: one per tenth of each phase, with the configuration and the time left."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.totals = {"throughput": 0, "instructions": 0}
        self.done = {"throughput": 0, "instructions": 0}
        self.started: dict[str, float] = {}

    def plan(self, throughput_runs: int, instruction_runs: int) -> None:
        self.totals = {"throughput": throughput_runs, "instructions": instruction_runs}

    def _tick(self, phase: str, key: str) -> None:
        now = time.monotonic()
        start = self.started.setdefault(phase, now)
        self.done[phase] += 1
        done, total = self.done[phase], max(self.totals[phase], 1)
        step = max(total // 10, 1)
        if done % step and done != total:
            return
        left = (now - start) / done * (total - done)
        print(f"kit bench: {phase} {done}/{total} ({key}), about {left:.0f} s left", file=self.stream, flush=True)

    def throughput(self, key: str) -> None:
        self._tick("throughput", key)

    def instructions(self, key: str) -> None:
        self._tick("instructions", key)


class RichTracker(Tracker):
    """Two rich progress bars (throughput, callgrind), transient: the table replaces them."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("{task.description:<13}"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), TextColumn("{task.fields[key]}"),
                                 console=Console(file=stream), transient=True)
        self.tasks: dict[str, int] = {}

    def plan(self, throughput_runs: int, instruction_runs: int) -> None:
        self.progress.start()
        self.tasks = {"throughput": self.progress.add_task("throughput", total=throughput_runs, key=""),
                      "instructions": self.progress.add_task("callgrind", total=instruction_runs, key="",
                                                             start=False)}

    def _tick(self, phase: str, key: str) -> None:
        task = self.tasks[phase]
        if phase == "instructions" and not self.progress.tasks[task].started:
            self.progress.start_task(task)
        self.progress.update(task, advance=1, key=key)
        if all(t.finished for t in self.progress.tasks):
            self.progress.stop()

    def throughput(self, key: str) -> None:
        self._tick("throughput", key)

    def instructions(self, key: str) -> None:
        self._tick("instructions", key)

    def close(self) -> None:
        self.progress.stop()
