"""Check that the kit's imports point down its layers (docs/architecture.md) and that no import cycle exists.

    python tools/import_layers.py [ROOT]      (ROOT: the folder holding the `kit` package; default the checkout)

Every import statement counts, at module level or inside a function (ast, not a running interpreter). A module
belongs to a unit, the longest name in LAYERS that is it or a package above it (`kit.harness.eal` is in
`kit.harness`; the unit `kit` is kit/__init__.py alone). An import is allowed within its own unit, or into a unit
of a lower layer; an import into another unit of the same layer, or up a layer, is a violation, and so is a module
in no unit. Independently, the graph of imports between modules must have no cycle (importing `a.b.c` is an edge
to module `a.b.c`, not to the package `a.b` that Python runs first).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Top to bottom: each layer may import the layers below it, never one above, nor its siblings.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kit.__main__",),
    ("kit.cli",),
    ("kit.demo",),
    ("kit.project", "kit.doctor", "kit.info", "kit.scaffold"),
    ("kit.conformance", "kit.bench"),
    ("kit.harness", "kit.testpmd"),
    ("kit.toolchain",),
    ("kit.runtime", "kit.paths"),
    ("kit.errors", "kit"),
)


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    path: Path
    line: int

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def find_modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of `package` under `root` by dotted name (a package by its own name, for its __init__.py)."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(name: str, known: Iterable[str]) -> str | None:
    """The module `name` is, or the longest known module above it (an attribute of a package or module)."""
    names = set(known)
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in names:
            return candidate
    return None


def imports_of(module: str, path: Path, known: set[str]) -> list[Import]:
    """The imports of one module into the known modules, wherever they stand in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            resolved = _resolve(target, known)
            if resolved is not None and resolved != module:
                found.append(Import(module, resolved, path, node.lineno))
    return found


def unit_of(module: str, layers: Sequence[Sequence[str]]) -> tuple[str, int] | None:
    """The unit a module belongs to and its layer's index (0 is the top), or None."""
    best: tuple[str, int] | None = None
    for index, layer in enumerate(layers):
        for unit in layer:
            # A top-level package as a unit (`kit`) is its __init__.py only: a new module must find its layer.
            inside = module.startswith(unit + ".") and "." in unit
            if (module == unit or inside) and (best is None or len(unit) > len(best[0])):
                best = (unit, index)
    return best


def layer_violations(edges: Iterable[Import], modules: Iterable[str],
                     layers: Sequence[Sequence[str]] = LAYERS) -> list[str]:
    """One line per module in no unit and per import that does not point down (or stay in its unit)."""
    problems = [f"{m}: in no layer (add its unit to LAYERS and docs/architecture.md)" for m in sorted(modules)
                if unit_of(m, layers) is None]
    for edge in edges:
        src, dst = unit_of(edge.importer, layers), unit_of(edge.imported, layers)
        if src is None or dst is None or src[0] == dst[0]:
            continue
        if dst[1] < src[1]:
            problems.append(f"{edge.where()}: {edge.importer} imports {edge.imported}, a layer above it")
        elif dst[1] == src[1]:
            problems.append(f"{edge.where()}: {edge.importer} imports {edge.imported}, a sibling in its layer")
    return problems


def cycles(edges: Iterable[Import]) -> list[list[str]]:
    """The import cycles between modules (each strongly connected component of more than one module, or a module
    importing itself), found with Tarjan's algorithm."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.importer, set()).add(edge.imported)
        graph.setdefault(edge.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def check(root: Path, package: str = "kit", layers: Sequence[Sequence[str]] = LAYERS) -> list[str]:
    """Every problem with the imports of `package` under `root`: layer violations, then cycles."""
    modules = find_modules(root, package)
    known = set(modules)
    edges = [edge for name, path in modules.items() for edge in imports_of(name, path, known)]
    problems = layer_violations(edges, modules, layers)
    problems += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(edges)]
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1]
    problems = check(root)
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s) in the imports of {root / 'kit'}" if problems else "imports point down: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
