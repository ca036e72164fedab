"""Line and branch coverage of a plugin built with meson's b_coverage (gcc --coverage), read with gcovr.

Every process that loaded the plugin adds its counters to the .gcda files next to the objects when it exits
normally (the child EALs and peer programs of a suite included); gcovr turns them into a terminal table, an HTML
report and JSON. Only the plugin's own sources are reported (from meson's introspection of the build).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kit.errors import KitError
from kit.paths import kit_env
from kit.toolchain.meson import tool

REPORT_DIR = "coverage"  # under the coverage build folder
GCOV = "gcov"  # gcc's own (its version must match the .gcno files gcc wrote)


@dataclass(frozen=True)
class FileCoverage:
    path: str  # relative to the project
    lines: int
    lines_covered: int
    branches: int
    branches_covered: int
    uncovered: tuple[int, ...] = ()  # line numbers
    uncovered_functions: tuple[str, ...] = ()  # functions never entered

    @staticmethod
    def percent(covered: int, total: int) -> float:
        return 100.0 * covered / total if total else 100.0

    @property
    def line_percent(self) -> float:
        return self.percent(self.lines_covered, self.lines)

    @property
    def branch_percent(self) -> float:
        return self.percent(self.branches_covered, self.branches)


@dataclass(frozen=True)
class CoverageReport:
    files: tuple[FileCoverage, ...]
    total: FileCoverage
    html: Path
    json: Path
    summary_json: Path
    datapath: tuple[str, ...] = field(default=())  # the files whose uncovered lines are listed

    def file(self, path: str) -> FileCoverage:
        return next(f for f in self.files if f.path == path)

    def table(self) -> str:
        rows = [*self.files, self.total]
        width = max(len(f.path) for f in rows)
        out = [f"{'file':<{width}}  {'lines':>15}  {'branches':>15}", "-" * (width + 34)]
        for f in rows:
            if f is self.total:
                out.append("-" * (width + 34))
            out.append(f"{f.path:<{width}}  {f.line_percent:5.1f}% {f.lines_covered:>4}/{f.lines:<4}  "
                       f"{f.branch_percent:5.1f}% {f.branches_covered:>4}/{f.branches:<4}")
        return "\n".join(line.rstrip() for line in out)

    def uncovered_text(self) -> str:
        out = []
        for path in self.datapath:
            f = self.file(path)
            out.append(f"uncovered lines of {path} ({len(f.uncovered)}): {spans(f.uncovered) or 'none'}")
            if f.uncovered_functions:
                out.append(f"  functions never called: {', '.join(f.uncovered_functions)}")
        return "\n".join(out)


def spans(numbers: Sequence[int]) -> str:
    """1,2,3,7 -> '1-3,7'."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def plugin_sources(build_dir: Path, plugin: Path) -> list[Path]:
    """The C sources meson compiles into `plugin` (meson introspect --targets)."""
    proc = subprocess.run([tool("meson"), "introspect", "--targets", str(build_dir)], capture_output=True,
                          text=True, check=False, env=kit_env())
    if proc.returncode != 0:
        raise KitError(f"meson introspect of {build_dir} failed: {proc.stderr.strip()[-300:]}",
                       f"remove {build_dir} and run the command again")
    sources: list[Path] = []
    for target in json.loads(proc.stdout):
        if any(Path(f).resolve() == plugin.resolve() for f in target.get("filename", [])):
            for group in target.get("target_sources", []):
                sources += [Path(s) for s in group.get("sources", []) if s.endswith(".c")]
    if not sources:
        raise KitError(f"meson does not list the sources of {plugin.name} in {build_dir}",
                       f"remove {build_dir} and run the command again")
    return sources


def counter_files(build_dir: Path) -> list[Path]:
    return sorted(Path(build_dir).rglob("*.gcda"))


def clear_counters(build_dir: Path) -> None:
    """Remove the counters of earlier runs (each run's figures are its own)."""
    for path in counter_files(build_dir):
        path.unlink()


def measure(root: Path, build_dir: Path, sources: Sequence[Path], datapath: Sequence[Path]) -> CoverageReport:
    """Run gcovr over the counters in `build_dir` for `sources` (and the headers under `root` they include);
    writes BUILD/coverage/{index.html,coverage.json,summary.json} and returns the figures."""
    if not counter_files(build_dir):
        raise KitError(f"no coverage counters (.gcda) were written in {build_dir}: no process that loaded the "
                       "plugin exited normally", "look at the test output above for crashes or killed processes")
    out = build_dir / REPORT_DIR
    out.mkdir(exist_ok=True)
    html, detail, summary = out / "index.html", out / "coverage.json", out / "summary.json"
    root = Path(root).resolve()
    files = sorted({str(Path(s).resolve()) for s in sources})
    folders = sorted({str(Path(s).parent) for s in files})
    filters = [f"{re.escape(f)}$" for f in files] + [rf"{re.escape(d)}/[^/]*\.h$" for d in folders]
    cmd = [sys.executable, "-m", "gcovr", "--root", str(root), "--gcov-executable", GCOV,
           *[w for regex in filters for w in ("--filter", regex)],
           "--html-details", str(html), "--json", str(detail), "--json-summary", str(summary),
           "--html-title", f"{root.name}: kit test --coverage", str(build_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=build_dir, env=kit_env())
    if proc.returncode != 0:
        raise KitError(f"gcovr failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}",
                       "check that gcovr is installed with the kit (pip install gcovr) and gcov matches gcc")
    return _read(root, detail, summary, html, [str(Path(d).resolve().relative_to(root)) for d in datapath])


def _read(root: Path, detail: Path, summary: Path, html: Path, datapath: Sequence[str]) -> CoverageReport:
    totals = json.loads(summary.read_text())
    uncovered: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {}
    for entry in json.loads(detail.read_text()).get("files", []):
        lines = sorted({int(ln["line_number"]) for ln in entry.get("lines", [])
                        if not ln.get("gcovr/excluded") and int(ln.get("count", 0)) == 0})
        never = tuple(str(fn["name"]) for fn in entry.get("functions", [])
                      if not fn.get("gcovr/excluded") and int(fn.get("execution_count", 0)) == 0)
        uncovered[str(entry["file"])] = (tuple(lines), never)
    files = []
    for entry in totals.get("files", []):
        name = str(entry["filename"])
        lines, never = uncovered.get(name, ((), ()))
        files.append(FileCoverage(name, int(entry["line_total"]), int(entry["line_covered"]),
                                  int(entry["branch_total"]), int(entry["branch_covered"]), lines, never))
    total = FileCoverage("total", int(totals["line_total"]), int(totals["line_covered"]), int(totals["branch_total"]),
                         int(totals["branch_covered"]))
    return CoverageReport(tuple(sorted(files, key=lambda f: f.path)), total, html, detail, summary,
                          tuple(d for d in datapath if any(f.path == d for f in files)))
