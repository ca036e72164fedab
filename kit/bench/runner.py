"""Run the benchmark matrices: interleaved timed repetitions and callgrind instruction counts.

Both kinds drive one C program (csrc/: kit_bench.c with the command line, kb_mempool.c and kb_pmd.c with the
benchmarks; compiled against libdpdk and cached like the harness's programs) that runs every configuration of a
repetition in one EAL process:

- throughput: `reps` processes; in each, the configuration groups (same cache/bulk/keep/lcores, or same
  mode/burst) come in a random order and the drivers of a group run back to back in a random order, so a
  ratio to the reference is taken between runs close in time. Each configuration is calibrated to about
  `ms` milliseconds, warmed up, and timed `rounds` times; the fastest round counts (it drops rounds another
  process interrupted). Reported: median, min and max over the repetitions, and the median of the
  per-repetition ratios to the reference.
- instructions: one process under `valgrind --tool=callgrind`, collecting only inside the measured loop
  functions (`kb_part_*`); every configuration runs at two sizes and the difference of the counts divided by
  the extra objects/packets is the cost of one, without setup or warm-up. Exact and repeatable.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kit.bench import callgrind
from kit.errors import KitError
from kit.runtime import base_eal_args, remove_runtime_dir, unique_file_prefix

CSRC = Path(__file__).parent / "csrc"
SOURCES = tuple(CSRC / name for name in ("kit_bench.c", "kb_mempool.c", "kb_pmd.c"))
HEADERS = (CSRC / "kit_bench.h",)
RESULT_RE = re.compile(r"^result (\d+) units=(\d+) total=(\d+) rate=([\d.]+) fails=(\d+)$", re.MULTILINE)
# kb_pmd.c: a port's pcie_* xstats around the measured runs, and how many bursts those runs made
PCIE_RE = re.compile(r"^pcie (\d+) (before|after) (\S+) (pcie_\w+) (\d+)$", re.MULTILINE)
BURSTS_RE = re.compile(r"^bursts (\d+) (\d+)$", re.MULTILINE)
MEMORY_MB = 512

MEMPOOL_REFERENCE = "ring_mp_mc"
MEMPOOL_REFS = ("ring_mp_mc", "ring_sp_sc", "stack")
NOT_MT_SAFE = frozenset({"ring_sp_sc"})  # single-producer/consumer: never shared by two lcores
PMD_REFERENCE = "net_null"
PMD_REFS = ("net_null", "net_ring")
# Function name patterns (in the plugin) of a NIC model and of the PMD's stages, first match wins.
MODEL_PATTERNS = ("*model_step*",)
TOP_FUNCTIONS = 12  # the functions of most self cost, per row of the driver under test (JSON: "self:<name>")
STAGE_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("refill", ("*refill*",)),
    ("completion", ("*reap*", "*complet*", "*tx_clean*")),
    ("rx", ("*recv_pkts*", "*rx_pkts*")),
    ("tx", ("*xmit_pkts*", "*tx_pkts*")),
)


@dataclass(frozen=True)
class Matrix:
    """What to run and how long. `quick` trims the configurations; `ms`/`rounds` shape each timed run."""

    reps: int = 5
    rounds: int = 3
    ms: int = 30
    quick: bool = False


@dataclass(frozen=True)
class Config:
    """One benchmark row: a driver and its parameters (`params` is ordered and hashable)."""

    driver: str
    params: tuple[tuple[str, int | str], ...]
    role: str = "reference"  # or "under test"
    group_by: tuple[str, ...] = ()  # the params whose rows run back to back (default: all)

    @property
    def group(self) -> tuple[tuple[str, int | str], ...]:
        return tuple(p for p in self.params if not self.group_by or p[0] in self.group_by)

    def param(self, name: str) -> int | str:
        return dict(self.params)[name]

    @property
    def key(self) -> str:
        return " ".join([self.driver, *(f"{k}={v}" for k, v in self.params)])


@dataclass
class Row:
    config: Config
    unit: str  # "obj" (one get and one put) or "pkt"
    rate: tuple[float, float, float]  # median, min, max in units per second
    rate_ratio: float | None
    instr: float | None
    instr_ratio: float | None
    split: dict[str, float] = field(default_factory=dict)  # pmd/model/stage instructions per unit
    pcie: dict[str, float] = field(default_factory=dict)  # pcie_* xstats per packet, "bursts" per packet


class Tracker:
    """Where a run is: `plan` gives the counts of the two phases, then `throughput(key)` / `instructions(key)`
    as each configuration finishes. This one does nothing; the command line shows a progress bar through it."""

    def plan(self, throughput_runs: int, instruction_runs: int) -> None:
        pass

    def throughput(self, key: str) -> None:
        pass

    def instructions(self, key: str) -> None:
        pass


@dataclass(frozen=True)
class Program:
    """How to start one EAL process of the bench program for a benchmark kind."""

    kind: str  # "mempool" or "pmd"
    eal_extra: tuple[str, ...]  # vdevs and plugins
    lcores: str
    spec: Callable[[int, Config, str], str]  # (index, config, count) -> the C program's SPEC


def bench_program() -> Path:
    from kit.toolchain.compile import build_program

    return build_program("kit_bench", *SOURCES, headers=HEADERS)


def _error_line(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    mine = [ln[len("error: "):] for ln in lines if ln.startswith("error: ")]
    eal = [ln for ln in lines if ln.startswith("EAL:") or "failed" in ln.lower()]
    if mine and mine[0].startswith("rte_eal_init") and eal:
        return f"{mine[0]} ({eal[0]})"
    if mine:
        return mine[0]
    return (eal or lines or ["no output"])[-1]


def run_program(prog: Program, specs: Sequence[str], rounds: int, *, wrapper: Sequence[str] = (),
                timeout: float = 600.0, on_result: Callable[[int], None] = lambda _: None) -> str:
    """One EAL process running `specs`; returns its stdout. KitError (one line) when it fails. `on_result` is
    called with a spec's index as soon as the program reports it (progress)."""
    exe = bench_program()
    prefix = unique_file_prefix("kitb")
    cmd = [*wrapper, str(exe), *base_eal_args(prefix, memory_mb=MEMORY_MB, lcores=prog.lcores),
           *prog.eal_extra, "--", prog.kind, str(rounds), *specs]
    lines: list[str] = []
    timed_out = threading.Event()
    with tempfile.TemporaryFile("w+") as err:
        try:
            with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True) as child:
                def kill() -> None:
                    timed_out.set()
                    child.kill()

                timer = threading.Timer(timeout, kill)
                timer.start()
                try:
                    assert child.stdout is not None
                    for line in child.stdout:
                        lines.append(line)
                        m = RESULT_RE.match(line.rstrip("\n"))
                        if m:
                            on_result(int(m[1]))
                    child.wait()
                finally:
                    timer.cancel()
        finally:
            remove_runtime_dir(prefix)
        err.seek(0)
        proc = subprocess.CompletedProcess(cmd, child.returncode, "".join(lines), err.read())
    if timed_out.is_set():
        raise KitError(f"the {prog.kind} benchmark did not finish in {timeout:.0f} s", "try --quick")
    if proc.returncode == 3:
        raise KitError(f"mempool ops: {_error_line(proc.stderr)} (no such ops registered)",
                       "check the name; load the driver's plugin with --plugin PATH ('kit info PLUGIN' lists its ops)")
    if proc.returncode != 0:
        raise KitError(f"the {prog.kind} benchmark failed: {_error_line(proc.stderr)}",
                       "run 'kit test' on the driver; check --plugin and the devargs")
    return proc.stdout


def _results(stdout: str) -> dict[int, tuple[int, int, float, int]]:
    """idx -> (units per round, units of all rounds, best rate, fails)."""
    return {int(m[1]): (int(m[2]), int(m[3]), float(m[4]), int(m[5])) for m in RESULT_RE.finditer(stdout)}


def _pcie(stdout: str) -> dict[int, dict[str, int]]:
    """idx -> pcie_* xstat -> its change over the measured runs, summed over the ports; "bursts" -> bursts."""
    out: dict[int, dict[str, int]] = {}
    for m in PCIE_RE.finditer(stdout):
        sign = 1 if m[2] == "after" else -1
        d = out.setdefault(int(m[1]), {})
        d[m[4]] = d.get(m[4], 0) + sign * int(m[5])
    for m in BURSTS_RE.finditer(stdout):
        out.setdefault(int(m[1]), {})["bursts"] = int(m[2])
    return out


def measure_throughput(prog: Program, configs: Sequence[Config], matrix: Matrix,
                       reference: Callable[[Config], Config | None],
                       tick: Callable[[str], None] = lambda _: None) -> dict[Config, tuple[list[float], list[float]]]:
    """Per config: the best rate of each repetition, and its ratio to the reference's in that repetition."""
    groups: dict[tuple, list[Config]] = {}
    for c in configs:
        groups.setdefault(c.group, []).append(c)
    rng = random.Random(22_11)
    out: dict[Config, tuple[list[float], list[float]]] = {c: ([], []) for c in configs}
    for _ in range(matrix.reps):
        order = [c for key in rng.sample(list(groups), len(groups)) for c in rng.sample(groups[key], len(groups[key]))]
        stdout = run_program(prog, [prog.spec(i, c, f"{matrix.ms}ms") for i, c in enumerate(order)], matrix.rounds,
                             on_result=lambda i, order=order: tick(order[i].key))
        got = _results(stdout)
        rates = {}
        for i, c in enumerate(order):
            if i not in got:
                raise KitError(f"the {prog.kind} benchmark gave no result for {c.key}")
            rates[c] = got[i][2]
        for c in configs:
            ref = reference(c)
            out[c][0].append(rates[c])
            if ref is not None:
                out[c][1].append(rates[c] / rates[ref])
    return out


def callgrind_available() -> bool:
    return shutil.which("valgrind") is not None


def require_callgrind() -> None:
    if not callgrind_available():
        raise KitError("valgrind is not installed (instruction counts need callgrind)", "apt-get install valgrind")


def measure_instructions(prog: Program, configs: Sequence[Config], sizes: Callable[[Config], tuple[int, int]], *,
                         tick: Callable[[str], None] = lambda _: None,
                         pcie: dict[Config, dict[str, float]] | None = None,
                         ) -> dict[Config, tuple[callgrind.Profile, int]]:
    """Per config: the difference profile (large - small run) and the extra units it covers. Into `pcie`, for
    the configs whose ports export pcie_* xstats: each one's change per extra unit, and bursts per unit."""
    require_callgrind()
    specs = []
    for i, c in enumerate(configs):
        small, large = sizes(c)
        specs += [prog.spec(2 * i, c, str(small)), prog.spec(2 * i + 1, c, str(large))]
    cache = _cache_dir()
    with tempfile.TemporaryDirectory(prefix="callgrind-", dir=cache) as tmp:
        out_file = Path(tmp) / "cg"
        wrapper = ["valgrind", "-q", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=kb_part_*",
                   f"--callgrind-out-file={out_file}"]
        stdout = run_program(prog, specs, 1, wrapper=wrapper, timeout=1200,
                             on_result=lambda i: tick(configs[i // 2].key) if i % 2 else None)
        got = _results(stdout)
        counts = _pcie(stdout)
        profiles = {p.label: p for p in callgrind.dumps(out_file)}
    result = {}
    for i, c in enumerate(configs):
        a, b = profiles.get(f"kb{2 * i}"), profiles.get(f"kb{2 * i + 1}")
        if a is None or b is None or 2 * i not in got or 2 * i + 1 not in got:
            raise KitError(f"callgrind gave no counts for {c.key}")
        units = got[2 * i + 1][1] - got[2 * i][1]
        result[c] = (_difference(b, a), units)
        small, large = counts.get(2 * i, {}), counts.get(2 * i + 1, {})
        if pcie is not None and units > 0 and any(k.startswith("pcie_") for k in large):
            pcie[c] = {k: (large[k] - small.get(k, 0)) / units for k in large}
    return result


def _cache_dir() -> Path:
    from kit.paths import cache_root

    path = cache_root() / "bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _difference(b: callgrind.Profile, a: callgrind.Profile) -> callgrind.Profile:
    d = callgrind.Profile(label=f"{b.label}-{a.label}", total=b.total - a.total)
    for name in set(a.self_cost) | set(b.self_cost):
        d.self_cost[name] = b.self_cost.get(name, 0) - a.self_cost.get(name, 0)
    for edge in set(a.calls) | set(b.calls):
        d.calls[edge] = b.calls.get(edge, 0) - a.calls.get(edge, 0)
    return d


def summarize(configs: Sequence[Config], unit: str, thr: dict[Config, tuple[list[float], list[float]]],
              ins: dict[Config, tuple[callgrind.Profile, int]], reference: Callable[[Config], Config | None],
              split: Callable[[Config, callgrind.Profile, int], dict[str, float]] | None = None,
              pcie: dict[Config, dict[str, float]] | None = None) -> list[Row]:
    rows = []
    for c in configs:
        samples, ratios = thr[c]
        ref = reference(c)
        per_unit = None
        ratio_i = None
        parts: dict[str, float] = {}
        if c in ins:
            prof, units = ins[c]
            per_unit = prof.total / units
            if ref is not None and ref in ins:
                ref_prof, ref_units = ins[ref]
                ratio_i = per_unit / (ref_prof.total / ref_units)
            if split is not None:
                parts = split(c, prof, units)
        rows.append(Row(c, unit, (statistics.median(samples), min(samples), max(samples)),
                        statistics.median(ratios) if ratios else (1.0 if ref is None else None),
                        per_unit, ratio_i if ref is not None else (1.0 if per_unit is not None else None), parts,
                        (pcie or {}).get(c, {})))
    return rows


# ------------------------------------------------------------------ mempool


def two_lcores_available() -> bool:
    return len(os.sched_getaffinity(0)) >= 2


def mempool_configs(name: str, matrix: Matrix) -> list[Config]:
    bulks, keeps, caches = ((1, 32), (32,), (0,)) if matrix.quick else ((1, 8, 32), (32, 512), (0, 256))
    lcore_sets = (1, 2) if (not matrix.quick and two_lcores_available()) else (1,)
    drivers = [name, *(r for r in MEMPOOL_REFS if r != name)]
    configs = []
    for lcores in lcore_sets:
        for cache in caches:
            for keep in keeps:
                for bulk in bulks:
                    for d in drivers:
                        if lcores > 1 and d in NOT_MT_SAFE:
                            continue
                        role = "under test" if d == name else "reference"
                        configs.append(Config(d, (("cache", cache), ("bulk", bulk), ("keep", keep),
                                                  ("lcores", lcores)), role))
    return configs


def run_mempool(name: str, plugins: Sequence[Path], matrix: Matrix, *,
                progress: Callable[[str], None] = lambda _: None, tracker: Tracker | None = None) -> list[Row]:
    configs = mempool_configs(name, matrix)
    by_key = {(c.driver, c.params): c for c in configs}

    def reference(c: Config) -> Config | None:
        return None if c.driver == MEMPOOL_REFERENCE else by_key.get((MEMPOOL_REFERENCE, c.params))

    def spec(i: int, c: Config, count: str) -> str:
        iters = count if count.endswith("ms") else str(max(1, int(count) // int(c.param("keep"))))
        return f"{i}:{c.driver}:{c.param('cache')}:{c.param('bulk')}:{c.param('keep')}:{c.param('lcores')}:{iters}"

    extra = tuple(a for p in plugins for a in ("-d", str(p)))
    lcores = "0,1" if any(c.param("lcores") == 2 for c in configs) else "0"
    prog = Program("mempool", extra, lcores, spec)
    counted = [c for c in configs if c.param("lcores") == 1]
    tracker = tracker or Tracker()
    tracker.plan(len(configs) * matrix.reps, len(counted))
    progress(f"throughput: {len(configs)} configurations x {matrix.reps} repetitions")
    thr = measure_throughput(prog, configs, matrix, reference, tracker.throughput)
    progress(f"instructions: {len(counted)} configurations under callgrind")
    # objects per run (the spec turns them into iterations of `keep` objects)
    ins = measure_instructions(prog, counted, lambda c: (4096, 4 * 4096), tick=tracker.instructions)
    return summarize(configs, "obj", thr, ins, reference)


# ---------------------------------------------------------------------- pmd


def vdev_name(devargs: str) -> str:
    return devargs.split(",", 1)[0].strip()


def peer_devargs(devargs: str) -> str:
    """The second port of a forward: the same devargs, the device name's trailing number plus one."""
    name, sep, rest = devargs.partition(",")
    m = re.match(r"^(.*?)(\d+)$", name)
    peer = f"{m.group(1)}{int(m.group(2)) + 1}" if m else f"{name}_peer"
    return peer + sep + rest


def _free_pair(driver: str, taken: set[str]) -> tuple[str, str]:
    i = 0
    while f"{driver}{i}" in taken or f"{driver}{i + 1}" in taken:
        i += 2
    return f"{driver}{i}", f"{driver}{i + 1}"


def plugin_functions(plugins: Sequence[Path]) -> set[str]:
    """Function names (base names) defined in the plugins, from their ELF symbol tables."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile
    from elftools.elf.sections import SymbolTableSection

    names: set[str] = set()
    for plugin in plugins:
        try:
            with open(plugin, "rb") as fh:
                elf = ELFFile(fh)
                for section in elf.iter_sections():
                    if isinstance(section, SymbolTableSection):
                        for sym in section.iter_symbols():
                            if sym["st_info"]["type"] == "STT_FUNC" and sym["st_shndx"] != "SHN_UNDEF" and sym.name:
                                names.add(callgrind.base_name(sym.name))
        except (OSError, ELFError):
            continue
    return names


def pmd_split(functions: set[str]) -> Callable[[Config, callgrind.Profile, int], dict[str, float]]:
    """Instructions per packet in the NIC model and in each PMD stage, for rows of the driver under test."""
    model = callgrind.matching(functions, MODEL_PATTERNS)
    stages: dict[str, set[str]] = {}
    left = set(functions) - model
    for stage, patterns in STAGE_PATTERNS:
        stages[stage] = callgrind.matching(left, patterns)
        left -= stages[stage]

    def split(c: Config, prof: callgrind.Profile, units: int) -> dict[str, float]:
        if c.role != "under test" or not functions:
            return {}
        present = prof.functions()
        out: dict[str, float] = {}
        model_cost = prof.into(model & present)
        out["pmd"] = (prof.total - model_cost) / units
        if model & present:
            out["model"] = model_cost / units
        classified = (model | set().union(*stages.values())) & present
        staged = 0
        for stage, functions_of_stage in stages.items():
            members = functions_of_stage & present
            if not members:
                continue
            cost = prof.into(members) - prof.between(members, classified - members)
            out[stage] = cost / units
            staged += cost
        if staged:
            out["other"] = (prof.total - model_cost - staged) / units
        for name in sorted(present, key=lambda f: -prof.self_cost.get(f, 0))[:TOP_FUNCTIONS]:
            if prof.self_cost.get(name, 0) > 0:
                out[f"self:{name}"] = prof.self_cost[name] / units
        return out

    return split


def pmd_configs(devargs: str, matrix: Matrix) -> tuple[list[Config], list[str]]:
    """The rows and the --vdev arguments they need."""
    bursts = (1, 32) if matrix.quick else (1, 8, 32, 64)
    peer = peer_devargs(devargs)
    vdevs = [devargs, peer]
    taken = {vdev_name(devargs), vdev_name(peer)}
    # A reference given as the driver under test (net_ring0) is one row set, named as the reference.
    plain = re.sub(r"\d+$", "", devargs)
    dut = plain if plain in PMD_REFS else devargs
    ports: dict[str, tuple[str, str]] = {dut: (vdev_name(devargs), vdev_name(peer))}
    for ref in PMD_REFS:
        if ref != dut:
            a, b = _free_pair(ref, taken)
            taken |= {a, b}
            vdevs += [a, b]
            ports[ref] = (a, b)
    configs = []
    for mode in ("rx", "tx", "fwd"):
        for burst in bursts:
            for driver, (a, b) in ports.items():
                role = "under test" if driver == dut else "reference"
                configs.append(Config(driver, (("mode", mode), ("burst", burst), ("rx", a),
                                               ("tx", b if mode == "fwd" else a)), role, ("mode", "burst")))
    return configs, vdevs


def run_pmd(devargs: str, plugins: Sequence[Path], matrix: Matrix, *,
            progress: Callable[[str], None] = lambda _: None, tracker: Tracker | None = None) -> list[Row]:
    configs, vdevs = pmd_configs(devargs, matrix)
    by_group = {(c.group, c.driver): c for c in configs}

    def reference(c: Config) -> Config | None:
        return None if c.driver == PMD_REFERENCE else by_group.get((c.group, PMD_REFERENCE))

    def spec(i: int, c: Config, count: str) -> str:
        return f"{i}:{c.param('mode')}:{c.param('burst')}:{c.param('rx')}:{c.param('tx')}:{count}"

    extra = tuple(a for v in vdevs for a in ("--vdev", v)) + tuple(a for p in plugins for a in ("-d", str(p)))
    prog = Program("pmd", extra, "0", spec)
    tracker = tracker or Tracker()
    tracker.plan(len(configs) * matrix.reps, len(configs))
    progress(f"throughput: {len(configs)} configurations x {matrix.reps} repetitions")
    thr = measure_throughput(prog, configs, matrix, reference, tracker.throughput)
    progress(f"instructions: {len(configs)} configurations under callgrind")
    pcie: dict[Config, dict[str, float]] = {}
    ins = measure_instructions(prog, configs, lambda c: (2048, 4 * 2048), tick=tracker.instructions, pcie=pcie)
    return summarize(configs, "pkt", thr, ins, reference, pmd_split(plugin_functions(plugins)), pcie)
