"""`kit demo [DIR]`: the whole loop on two new drivers, one line per step, then a summary table.

Scaffold a PMD (`acme`) and a mempool driver (`acme_pool`) into DIR, build both, run their conformance suites and
their own tests (`kit test DIR`), forward traffic through dpdk-testpmd from the new PMD's NIC model into net_null
with the new mempool driver as the mbuf pool, and count instructions per packet
against net_null. Every step runs the `kit` command line as a user would; its output goes to DIR/logs/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kit.errors import KitError
from kit.paths import cache_root, kit_env, output_dir
from kit.runtime import world_writable_component
from kit.testpmd import forward_for

PMD, POOL = "acme", "acme_pool"
FORWARD_SECONDS = 5


class _Steps:
    """Numbered progress lines; every step's output in its own log file."""

    def __init__(self, total: int, logs: Path, say: Callable[[str], None]) -> None:
        self.total, self.logs, self.say, self.done = total, logs, say, 0
        self.failed: list[str] = []  # the non-fatal steps that failed: "kit bench exited 1 (output: LOG)"

    def kit(self, title: str, log: str, *args: str | Path, fatal: bool = True) -> subprocess.CompletedProcess[str]:
        start = self._start(title)
        proc = subprocess.run([sys.executable, "-m", "kit.cli", *map(str, args)], capture_output=True, text=True,
                              env=kit_env(), check=False)
        (self.logs / log).write_text(f"$ kit {' '.join(map(str, args))}\n{proc.stdout}{proc.stderr}")
        if proc.returncode == 0 or fatal:
            self._end(start, proc.returncode == 0, self.logs / log)
        else:
            self.failed.append(f"kit {args[0]} exited {proc.returncode} (output: {self.logs / log})")
            self.say(f"      FAILED (exit {proc.returncode}), going on without it; output: {self.logs / log}")
        return proc

    def _start(self, title: str) -> float:
        self.done += 1
        self.say(f"[{self.done}/{self.total}] {title} ...")
        return time.monotonic()

    def _end(self, start: float, ok: bool, log: Path | None = None, note: str = "") -> None:
        took = time.monotonic() - start
        if ok:
            self.say(f"      ok ({took:.1f} s){' ' + note if note else ''}")
            return
        self.say(f"      FAILED after {took:.1f} s; output: {log}")
        raise _StepFailed(log)


class _StepFailed(Exception):
    def __init__(self, log: Path | None) -> None:
        super().__init__(str(log))
        self.log = log


def _checks(report: Path) -> str:
    """'27/28 checks passed, E27 n/a': the suite's verdict in a line (a passing suite has only passed and n/a)."""
    data: dict[str, Any] = json.loads(report.read_text())
    passed = sum(1 for entry in data.values() if entry["result"] == "passed")
    not_applicable = [check for check, entry in data.items() if entry["result"] == "n/a"]
    return f"{passed}/{len(data)} checks passed" + (f", {', '.join(not_applicable)} n/a" if not_applicable else "")


def _default_dir() -> Path:
    root = cache_root() / "demo"
    for name in (PMD, POOL, "logs", "bench"):
        shutil.rmtree(root / name, ignore_errors=True)
    return root


def run_demo(directory: Path | None = None, *, say: Callable[[str], None] | None = None) -> int:
    out = say or (lambda line: print(line, flush=True))
    base = Path(directory).absolute() if directory is not None else _default_dir()
    for name in (PMD, POOL):
        if (base / name).exists():
            raise KitError(f"{base / name} already exists", "give kit demo a new or empty directory")
    unsafe = world_writable_component(base)
    if unsafe is not None:  # found now, not after two projects and a build (EAL's -d refuses such plugins)
        raise KitError(f"{base} is under {unsafe}, which is world-writable: EAL would refuse the plugins built there",
                       "give kit demo a directory that is not under a world-writable one (e.g. ~/kit-demo)")
    logs = output_dir(base / "logs", "the demo's logs")
    steps = _Steps(8, logs, out)
    t0 = time.monotonic()
    out(f"kit demo: a PMD ({PMD}) and a mempool driver ({POOL}) in {base}; logs in {logs}")
    try:
        steps.kit(f"kit new-pmd {PMD}", "new-pmd.log", "new-pmd", PMD, "-o", base)
        steps.kit(f"kit new-mempool {POOL}", "new-mempool.log", "new-mempool", POOL, "-o", base)
        steps.kit(f"kit build {PMD}", "build-pmd.log", "build", base / PMD)
        steps.kit(f"kit build {POOL}", "build-mempool.log", "build", base / POOL)
        steps.kit(f"kit test {PMD} (ethdev suite on net_{PMD}_sim0,wire=loopback + its own tests)", "test-pmd.log",
                  "test", base / PMD, "--report", logs / "report-pmd.json")
        steps.kit(f"kit test {POOL} (mempool suite on {POOL} + its own tests)", "test-mempool.log",
                  "test", base / POOL, "--report", logs / "report-mempool.json")
        pmd_so = base / PMD / "build" / f"librte_net_{PMD}.so"
        pool_so = base / POOL / "build" / f"librte_mempool_{POOL}.so"
        start = steps._start(f"dpdk-testpmd: net_{PMD}_sim0,wire=gen -> net_null0 for {FORWARD_SECONDS} s, "
                             f"mbufs from {POOL}")
        run = forward_for(FORWARD_SECONDS, [pmd_so, pool_so], [f"net_{PMD}_sim0,wire=gen", "net_null0"],
                          mbuf_pool_ops=POOL)
        (logs / "testpmd.log").write_text(run.output)
        steps._end(start, run.clean_exit and run.tx_packets > 0, logs / "testpmd.log",
                   f"{run.tx_packets:,} packets forwarded")
        proc = steps.kit(f"kit bench --pmd net_{PMD}_sim0,wire=gen --quick (instructions per packet vs net_null)",
                         "bench.log", "bench", "--pmd", f"net_{PMD}_sim0,wire=gen", "--plugin", pmd_so,
                         "--quick", "--out", base / "bench", fatal=False)
        bench_line = (_bench_summary(base / "bench" / f"pmd-net_{PMD}_sim0.json") if proc.returncode == 0 else
                      f"kit bench failed (see {logs / 'bench.log'}): packets forwarded only")
    except _StepFailed as failed:
        out(f"kit demo: FAILED; see {failed.log}")
        return 1
    total = time.monotonic() - t0
    rows = [
        ("ethdev suite", f"net_{PMD}_sim (PMD + NIC model)",
         f"{_checks(logs / 'report-pmd.json')}; own tests passed"),
        ("mempool suite", POOL, f"{_checks(logs / 'report-mempool.json')}; own tests passed"),
        ("dpdk-testpmd", f"net_{PMD}_sim0 -> net_null0, pool {POOL}",
         f"{run.tx_packets:,} packets forwarded in {run.seconds:.1f} s ({run.tx_packets / run.seconds / 1e6:.1f} "
         "Mpps, one core)"),
        ("instructions", f"net_{PMD}_sim vs net_null", bench_line),
    ]
    out("")
    out(_table(("step", "driver", "result"), rows))
    line, status = verdict(steps.failed, total, [base / PMD, base / POOL])
    out(f"\n{line}")
    return status


def verdict(failed: Sequence[str], seconds: float, projects: Sequence[Path]) -> tuple[str, int]:
    """The demo's last line and exit status: all green (0) only when no step failed, else FAILED naming the
    failed steps (1)."""
    where = f"projects: {', '.join(map(str, projects))}"
    if failed:
        return f"kit demo: FAILED in {seconds:.0f} s: {'; '.join(failed)}; {where}", 1
    return f"kit demo: all green in {seconds:.0f} s; {where}", 0


def _bench_summary(json_path: Path) -> str:
    try:
        acc = json.loads(json_path.read_text()).get("acceptance")
    except (OSError, ValueError):
        acc = None
    if not acc:
        return f"kit bench ran but reported no forward burst-32 row ({json_path})"
    pmd, model, ref = acc["pmd_instr"], acc["model_instr"], acc["net_null_instr"]
    return (f"fwd burst 32: PMD {pmd:.1f} instr/pkt = {acc['pmd_ratio']:.2f}x net_null's {ref:.1f}; "
            f"PMD+model {pmd + model:.1f} = {acc['pmd_model_ratio']:.2f}x")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)
