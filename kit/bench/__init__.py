"""`kit bench`: a driver's speed side by side with DPDK's own drivers, as ratios.

- `--mempool NAME`: get+put loops in the manner of DPDK's mempool_perf_autotest (bulk 1/8/32, n_keep
  32/512, cache 0/256, one lcore and, where the machine has two, two lcores on one shared pool) for NAME
  and ring_mp_mc, ring_sp_sc (one lcore only: not MT-safe) and stack; ratios to ring_mp_mc.
- `--pmd DEVARGS`: rx-only, tx-only and forward (rx from one port, tx to a second port of the same driver:
  the device name's number plus one) at bursts 1/8/32/64 for DEVARGS and net_null, net_ring; ratios to
  net_null. For a plugin with a NIC model (functions `*model_step*`) the instructions of the model and of
  the PMD are reported apart, and the PMD's per stage (rx, refill, tx, completion reaping) by function name.
  A port that exports `pcie_*` xstats (its model counts PCIe transactions) gets MMIO reads and writes, DMA
  transactions and bytes per packet and per burst, and an estimated cost in ns from a cost table (kit.bench.pcie;
  `--pcie-cost KEY=VALUE,...` overrides it).

Throughput: objects or packets per second, median (min, max) of interleaved repetitions. Instructions:
callgrind, per object (get+put) or per packet, exact and repeatable. Output: a table, `<out>/<kind>-<name>.json`
and `.png` (and `.md`, the table). See kit.bench.runner for the method.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kit.bench import report
from kit.bench.pcie import Costs, figures
from kit.bench.runner import Matrix, Row, Tracker, require_callgrind, run_mempool, run_pmd
from kit.errors import KitError
from kit.paths import output_dir

__all__ = ["BenchResult", "Costs", "Matrix", "Row", "Tracker", "bench"]

_OPS_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,31}$")  # RTE_MEMPOOL_OPS_NAMESIZE is 32
_VDEV_RE = re.compile(r"^[A-Za-z0-9_]+$")


@dataclass(frozen=True)
class BenchResult:
    kind: str
    target: str
    rows: list[Row]
    table: str
    acceptance: str
    json_path: Path
    png_path: Path
    table_path: Path
    comparison: str | None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "driver"


def _check_target(kind: str, target: str) -> None:
    if kind == "mempool":
        if not _OPS_RE.match(target):
            raise KitError(f"bad mempool ops name {target!r}", "give the ops name the driver registers (1-31 "
                           "characters: letters, digits, _ . -), e.g. ring_mp_mc")
        return
    name = target.split(",", 1)[0]
    if not _VDEV_RE.match(name) or ":" in target or " " in target:
        raise KitError(f"bad vdev devargs {target!r}", "give devargs as for EAL --vdev, e.g. net_null0 or "
                       "net_mqnic_sim0,wire=gen")


def bench(kind: str, target: str, plugins: Sequence[Path] = (), *, out: Path = Path("bench-results"), reps: int = 5,
          quick: bool = False, compare: Path | None = None, command: str | None = None,
          progress: Callable[[str], None] = lambda _: None, tracker: Tracker | None = None,
          pcie_costs: Costs | None = None) -> BenchResult:
    """Run one benchmark (`kind` "mempool" or "pmd") and write its table, JSON and plot into `out`."""
    from kit.runtime import check_plugin_path
    from kit.toolchain.dpdk import find_dpdk

    if kind not in ("mempool", "pmd"):
        raise KitError(f"unknown benchmark kind {kind!r}", "use --mempool NAME or --pmd DEVARGS")
    _check_target(kind, target)
    if reps < 1:
        raise KitError(f"--reps {reps}: must be at least 1", "use --reps 5 or more for medians worth reading")
    real_plugins = [check_plugin_path(p) for p in plugins]
    old = report.load(compare) if compare is not None else None
    if old is not None and old.get("kind") != kind:
        raise KitError(f"{compare} holds a {old.get('kind')} benchmark, not a {kind} one",
                       "compare results of the same kind (--mempool with --mempool, --pmd with --pmd)")
    out = output_dir(Path(out), "the benchmark results")
    require_callgrind()  # before minutes of throughput runs, not after
    dpdk = find_dpdk()
    matrix = Matrix(reps=reps, rounds=2 if quick else 3, ms=10 if quick else 30, quick=quick)
    run = run_mempool if kind == "mempool" else run_pmd
    rows = run(target, real_plugins, matrix, progress=progress, tracker=tracker)
    costs = pcie_costs or Costs()
    for r in rows:
        if r.pcie:
            r.pcie = {**r.pcie, **figures(r.pcie, costs)}

    stem = f"{kind}-{_slug(target.split(',', 1)[0])}"
    meta = {"dpdk": dpdk.version, "reps": matrix.reps, "rounds": matrix.rounds, "ms_per_run": matrix.ms,
            "quick": quick, "command": command, "pcie_costs": costs.as_dict()}
    data = report.to_json(kind, target, real_plugins, rows, meta)
    text = report.table(kind, rows)
    acc = report.acceptance_text(data["acceptance"]) if kind == "pmd" else ""
    json_path, png_path, table_path = out / f"{stem}.json", out / f"{stem}.png", out / f"{stem}.md"
    json_path.write_text(json.dumps(data, indent=1) + "\n")
    table_path.write_text(text + ("\n\n" + acc if acc else "") + "\n")
    report.plot(kind, target, rows, png_path)
    comparison = report.compare(old, data) if old is not None else None
    return BenchResult(kind, target, rows, text, acc, json_path, png_path, table_path, comparison)
