"""The one reader of callgrind output files (`kit bench`, tools/bench_instructions.py): total, per-function self
and inclusive instructions, and the cost of calls
into a set of functions (a NIC model, a PMD stage) from outside that set.

Only what `kit bench` needs of the format (valgrind's docs/cl-format.html): one event (Ir), positions by
line, compressed names `fn=(id) name` / `fn=(id)`. GCC clones (`f.constprop.0`, `f.part.0`, `f.cold`) are
counted under their base name `f`.
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_NAME_RE = re.compile(r"^\((\d+)\)(?: (.*))?$")


def base_name(function: str) -> str:
    """`mqnic_rx_refill.part.0` -> `mqnic_rx_refill` (GCC's clone suffixes)."""
    return function.split(".", 1)[0] if not function.startswith(".") else function


@dataclass
class Profile:
    """One callgrind dump: `label` (the client request's label), total Ir, self Ir per function and the
    Ir of each call edge (caller, callee), all by base name."""

    label: str = ""
    total: int = 0
    self_cost: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    calls: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def inclusive(self) -> dict[str, int]:
        """Inclusive Ir of every function: its self cost plus the cost of its calls into other functions."""
        costs = defaultdict(int, self.self_cost)
        for (caller, callee), cost in self.calls.items():
            if caller != callee:
                costs[caller] += cost
        return dict(costs)

    def functions(self) -> set[str]:
        return set(self.self_cost) | {c for edge in self.calls for c in edge}

    def into(self, members: Iterable[str]) -> int:
        """Ir of the calls into `members` from functions outside it: the inclusive cost of a set of functions
        as seen by their callers, without counting a call between members twice."""
        inside = set(members)
        return sum(cost for (caller, callee), cost in self.calls.items() if callee in inside and caller not in inside)

    def between(self, callers: Iterable[str], callees: Iterable[str]) -> int:
        """Ir of the direct calls from `callers` to `callees`."""
        a, b = set(callers), set(callees)
        return sum(cost for (caller, callee), cost in self.calls.items() if caller in a and callee in b)


def matching(names: Iterable[str], patterns: Iterable[str]) -> set[str]:
    pats = list(patterns)
    return {n for n in names if any(fnmatch.fnmatchcase(n, p) for p in pats)}


def parse(path: Path) -> Profile:
    """Parse one callgrind output file (one dump)."""
    prof = Profile()
    names: dict[str, dict[str, str]] = {"fn": {}}
    fn = ""
    callee: str | None = None
    pending_call = False

    def resolve(value: str) -> str:
        m = _NAME_RE.match(value)
        if not m:
            return base_name(value)
        ident, name = m.groups()
        table = names["fn"]
        if name is not None:
            table[ident] = base_name(name)
        return table.get(ident, f"?{ident}")

    with path.open() as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if not line or line[0] == "#":
                continue
            head = line[0]
            if head.isdigit() or head in "+-*":
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if pending_call and callee is not None:
                    prof.calls[(fn, callee)] += cost
                    pending_call = False
                else:
                    prof.self_cost[fn] += cost
                continue
            key, _, value = line.partition("=")
            if key == "fn":
                fn = resolve(value)
                callee = None
            elif key == "cfn":
                callee = resolve(value)
            elif key == "calls":
                pending_call = True
            elif line.startswith("summary:"):
                prof.total = int(line.split()[1])
            elif line.startswith("desc: Trigger: Client Request:"):
                prof.label = line.rsplit(":", 1)[1].strip()
    return prof


def dumps(out_file: Path) -> list[Profile]:
    """All dumps of one callgrind run: `<out_file>.<n>` (CALLGRIND_DUMP_STATS_AT), in dump order."""
    files = sorted(out_file.parent.glob(out_file.name + ".*"), key=lambda p: int(p.suffix[1:] or 0))
    return [parse(f) for f in files if f.suffix[1:].isdigit()]
