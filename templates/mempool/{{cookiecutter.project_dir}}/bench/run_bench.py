#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
"""Benchmark {{ cookiecutter.name }} against DPDK's ring_mp_mc, ring_sp_sc and stack.

Steps:
  1. Build (or find) bench/mempool_bench and the plugin with meson/ninja.
  2. Run every configuration (driver x mode x cache x bulk) in one EAL
     process per repetition, in a different order each time (interleaved),
     and take the median throughput over the repetitions.
  3. Run the same configurations twice under callgrind with two object counts;
     the difference of the instruction counts divided by the extra objects is
     the cost of one get+put per object, without setup and warm-up.
  4. Print a table with ratios to the reference driver of the same mode.

Standard library only. Exit status 1 with --check if {{ cookiecutter.name }} misses the
target (>= 0.95x throughput, <= 1.05x instructions of its reference).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
NAME = "{{ cookiecutter.name }}"  # the driver under test: the meson project name

# (ops, mode, reference ops or None). Mode is the pool flags: mpmc = 0,
# spsc = RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET.
DRIVERS = [
    ("ring_mp_mc", "mpmc", None),
    (NAME, "mpmc", "ring_mp_mc"),
    ("ring_sp_sc", "spsc", None),
    (NAME, "spsc", "ring_sp_sc"),
    ("stack", "mpmc", "ring_mp_mc"),
]
CACHES = (0, 256)
BULKS = (1, 32)
TARGET_THROUGHPUT = 0.95
TARGET_INSTRUCTIONS = 1.05

RESULT_RE = re.compile(
    r"result ops=(\S+) mode=(\S+) cache=(\d+) bulk=(\d+) objs=(\d+) "
    r"cycles=(\d+) hz=(\d+) fails=(\d+)"
)


@dataclass(frozen=True)
class Config:
    ops: str
    mode: str
    cache: int
    bulk: int
    ref: str | None

    def spec(self, objects: int) -> str:
        return f"{self.ops}:{self.mode}:{self.cache}:{self.bulk}:{objects}"

    @property
    def key(self) -> tuple[str, str, int, int]:
        return (self.ops, self.mode, self.cache, self.bulk)


class BenchError(Exception):
    """A run failed; carries the captured output."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message + ("\n" + output[-3000:] if output else ""))


def build(build_dir: Path) -> tuple[Path, Path]:
    """Configure if needed, build, and return (bench binary, plugin)."""
    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    if not (build_dir / "build.ninja").exists():
        subprocess.run(["meson", "setup", str(build_dir), str(PROJECT)],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", str(build_dir)], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    bench = build_dir / "bench" / "mempool_bench"
    plugin = build_dir / f"librte_mempool_{NAME}.so"
    for path in (bench, plugin):
        if not path.exists():
            raise BenchError(f"build did not produce {path}")
    return bench, plugin


def runtime_dir(prefix: str) -> Path:
    base = Path("/var/run") if os.geteuid() == 0 else Path(
        os.environ.get("XDG_RUNTIME_DIR", "/tmp"))
    return base / "dpdk" / prefix


def run_eal(cmd_prefix: list[str], bench: Path, plugin: Path, specs: list[str],
            tag: str, timeout: float) -> str:
    """One EAL process running the given specs; returns its stdout."""
    prefix = f"kit_bench_{os.getpid()}_{tag}"
    cmd = [
        *cmd_prefix,
        str(bench), "--no-huge", "--no-pci", "-m", "256", "-l", "0",
        "--file-prefix", prefix, "-d", str(plugin), "--log-level=error",
        "--", "-o", "1",
        *specs,
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=timeout)
    finally:
        shutil.rmtree(runtime_dir(prefix), ignore_errors=True)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} exited {proc.returncode}",
                         proc.stdout + proc.stderr)
    return proc.stdout


def objects_for(cfg: Config, scale: float) -> int:
    """Objects moved per timed loop: about 0.1 s per configuration here."""
    base = {(0, 1): 5_000_000, (0, 32): 64_000_000,
            (256, 1): 32_000_000, (256, 32): 128_000_000}[(cfg.cache, cfg.bulk)]
    return max(cfg.bulk, int(base * scale) // cfg.bulk * cfg.bulk)


def measure_throughput(configs: list[Config], bench: Path, plugin: Path,
                       reps: int, scale: float) -> tuple[dict, dict]:
    """Million objects (get+put) per second: (median, min, max) per config,
    and the median over repetitions of each config's ratio to its reference.

    The machine's load drifts, so a ratio is taken between runs close in time:
    in each repetition the (cache, bulk) groups come in a random order and the
    drivers of a group run back to back, also in a random order.
    """
    samples: dict[tuple, list[float]] = {c.key: [] for c in configs}
    ratios: dict[tuple, list[float]] = {c.key: [] for c in configs if c.ref}
    groups: dict[tuple, list[Config]] = {}
    for c in configs:
        groups.setdefault((c.cache, c.bulk), []).append(c)
    rng = random.Random(22_11)
    for rep in range(reps):
        order = []
        for key in rng.sample(list(groups), len(groups)):
            order += rng.sample(groups[key], len(groups[key]))
        out = run_eal([], bench, plugin,
                      [c.spec(objects_for(c, scale)) for c in order],
                      f"r{rep}", timeout=120)
        this_rep = {}
        for m in RESULT_RE.finditer(out):
            ops, mode, cache, bulk, objs, cycles, hz, _ = m.groups()
            mops = int(objs) / (int(cycles) / int(hz)) / 1e6
            this_rep[(ops, mode, int(cache), int(bulk))] = mops
        for c in configs:
            if c.key not in this_rep:
                raise BenchError(f"no result for {c.key}", out)
            samples[c.key].append(this_rep[c.key])
            if c.ref:
                ref_key = (c.ref, c.mode, c.cache, c.bulk)
                ratios[c.key].append(this_rep[c.key] / this_rep[ref_key])
    thr = {k: (statistics.median(v), min(v), max(v))
           for k, v in samples.items()}
    return thr, {k: statistics.median(v) for k, v in ratios.items()}


def callgrind_counts(configs: list[Config], bench: Path, plugin: Path,
                     objects: int, tag: str, outdir: Path) -> dict:
    """(instructions, loop iterations) of each configuration's timed loops,
    from the labelled callgrind dumps."""
    out_file = outdir / f"cg.{tag}"
    cmd = ["valgrind", "--tool=callgrind", "--collect-atstart=no",
           "--toggle-collect=bench_loop*", f"--callgrind-out-file={out_file}"]
    run_eal(cmd, bench, plugin,
            [c.spec(objects * (c.bulk if c.bulk > 1 else 1)) for c in configs],
            tag, timeout=600)
    counts = {}
    for dump in outdir.glob(f"cg.{tag}.*"):
        text = dump.read_text()
        label = re.search(r"^desc: Trigger: Client Request: (\S+)$", text,
                          re.M)
        total = re.search(r"^summary: (\d+)$", text, re.M)
        if label and total:
            ops, mode, cache, bulk, iters = label.group(1).split(":")
            counts[(ops, mode, int(cache), int(bulk))] = (
                int(total.group(1)), int(iters))
    return counts


def measure_instructions(configs: list[Config], bench: Path,
                         plugin: Path) -> dict:
    """Instructions per object (one get and one put), from two run lengths."""
    small, large = 16_384, 65_536
    with tempfile.TemporaryDirectory(dir=PROJECT / "build") as tmp:
        outdir = Path(tmp)
        a = callgrind_counts(configs, bench, plugin, small, "cg1", outdir)
        b = callgrind_counts(configs, bench, plugin, large, "cg2", outdir)
    result = {}
    for c in configs:
        (ins_a, it_a), (ins_b, it_b) = a[c.key], b[c.key]
        result[c.key] = (ins_b - ins_a) / ((it_b - it_a) * c.bulk)
    return result


def table(configs: list[Config], thr: dict, thr_ratio: dict,
          ins: dict) -> tuple[str, bool]:
    header = ("driver", "mode", "cache", "bulk", "Mobj/s median (min-max)",
              "instr/obj", "thr ratio", "instr ratio", "vs")
    rows = []
    ok = True
    for c in configs:
        med, lo, hi = thr[c.key]
        cells = [c.ops, c.mode, str(c.cache), str(c.bulk),
                 f"{med:.1f} ({lo:.1f}-{hi:.1f})", f"{ins[c.key]:.1f}"]
        if c.ref:
            ref_key = (c.ref, c.mode, c.cache, c.bulk)
            tr = thr_ratio[c.key]
            ir = ins[c.key] / ins[ref_key]
            cells += [f"{tr:.3f}", f"{ir:.3f}", c.ref]
            if c.ops == NAME and (tr < TARGET_THROUGHPUT
                                  or ir > TARGET_INSTRUCTIONS):
                ok = False
                cells[-1] += " MISS"
        else:
            cells += ["1.000", "1.000", "(reference)"]
        rows.append(cells)
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines), ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", type=Path, default=PROJECT / "build")
    ap.add_argument("--reps", type=int, default=7,
                    help="timed repetitions per configuration (>= 5)")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply the objects per timed loop")
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--check", action="store_true",
                    help=f"exit 1 if {NAME} misses the target")
    args = ap.parse_args()

    configs = [Config(ops, mode, cache, bulk, ref)
               for cache in CACHES for bulk in BULKS
               for ops, mode, ref in DRIVERS]
    try:
        bench, plugin = build(args.build_dir.resolve())
        thr, thr_ratio = measure_throughput(configs, bench, plugin,
                                            args.reps, args.scale)
        if args.no_callgrind:
            ins = {c.key: float("nan") for c in configs}
        else:
            ins = measure_instructions(configs, bench, plugin)
    except (BenchError, subprocess.SubprocessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text, ok = table(configs, thr, thr_ratio, ins)
    print(text)
    print(f"\nMobj/s: million objects per second, each object one get and one "
          f"put, median of {args.reps} interleaved runs on one lcore; "
          f"thr ratio: median of the per-run ratios to the reference; "
          f"instr/obj: callgrind instructions per object (get+put).")
    if not ok:
        print(f"{NAME} misses the target (>= {TARGET_THROUGHPUT}x throughput,"
              f" <= {TARGET_INSTRUCTIONS}x instructions)")
    return 1 if (args.check and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
