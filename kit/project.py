"""A driver project made from a template: what kind it is, its name, where its plugin is built (`kit build`), and
`kit test DIR` (build if needed, conformance suite, the project's own tests). Scaffolding (kit.scaffold) writes
projects; this module finds, builds and tests them.

The templates name everything after the meson project name, so `project('NAME', ...)` and the plugin's
`shared_library('rte_<class>_' + name, ...)` in meson.build say all we need: class `net` is a PMD (DPDK driver
names `net_NAME` and `net_NAME_sim`), class `mempool` a mempool driver (ops `NAME`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kit.conformance.runner import run_suite_and_project_tests
from kit.errors import KitError
from kit.toolchain.meson import build_driver

_PROJECT_RE = re.compile(r"""project\(\s*['"]([A-Za-z0-9_]+)['"]""")
_LIBRARY_RE = re.compile(r"""shared_library\(\s*['"]rte_(net|mempool)_""")


@dataclass(frozen=True)
class Project:
    root: Path
    kind: str  # "pmd" or "mempool"
    name: str
    build_dir: Path

    @property
    def plugin(self) -> Path:
        return self.build_dir / f"librte_{'net' if self.kind == 'pmd' else 'mempool'}_{self.name}.so"

    def sim_devargs(self, wire: str = "loopback", instance: int = 0) -> str:
        """The vdev devargs of the NIC model front end (PMD projects)."""
        return f"net_{self.name}_sim{instance},wire={wire}"


def find_project(directory: Path, build_dir: Path | None = None) -> Project:
    """The project in `directory` (a `kit new-pmd` or `kit new-mempool` project), or KitError saying why not."""
    root = Path(directory).resolve()
    if not root.is_dir():
        raise KitError(f"{root} is not a directory", "give the directory of a driver project (kit new-pmd NAME)")
    meson = root / "meson.build"
    if not meson.is_file():
        raise KitError(f"{root} has no meson.build", "give the directory of a driver project (kit new-pmd NAME)")
    text = meson.read_text(errors="replace")
    name, kind = _PROJECT_RE.search(text), _LIBRARY_RE.search(text)
    if name is None or kind is None:
        raise KitError(f"{meson} does not build a plugin named after its project (shared_library('rte_net_' + name) "
                       "or 'rte_mempool_' + name)", "use a project made by 'kit new-pmd' or 'kit new-mempool'")
    return Project(root, "pmd" if kind.group(1) == "net" else "mempool", name.group(1),
                   Path(build_dir).resolve() if build_dir is not None else root / "build")


def build_plugin(project: Project) -> Path:
    """`kit build` the project (incremental: ninja does nothing when nothing changed) and return its plugin."""
    built = build_driver(project.root, project.build_dir)
    if project.plugin not in built.plugins:
        raise KitError(f"kit build of {project.root} did not produce {project.plugin.name}",
                       "keep the template's shared_library('rte_<class>_' + name, ...) in meson.build")
    return project.plugin


def default_vdevs(project: Project) -> list[str]:
    """For `kit testpmd`: a PMD project's sim port generating traffic, forwarded into net_null0; a mempool
    project's two null ports."""
    if project.kind == "pmd":
        return [project.sim_devargs("gen"), "net_null0"]
    return ["net_null0", "net_null1"]


def suite_target(project: Project) -> dict[str, str | None]:
    """What the conformance suite runs on: the ops name, or the sim port with its wire looped back."""
    if project.kind == "pmd":
        return {"mempool": None, "pmd": project.sim_devargs("loopback")}
    return {"mempool": project.name, "pmd": None}


def _stderr(message: str) -> None:
    print(f"kit test: {message}", file=sys.stderr, flush=True)


def run_project_tests(directory: Path, *, report: Path | None = None, checks: Sequence[str] = (),
                      extra: Sequence[str] = (), say: Callable[[str], None] = _stderr) -> int:
    """`kit test DIR`: build if needed, the conformance suite on the plugin, then pytest DIR/tests. 0 if all pass."""
    project = find_project(directory)
    say(f"building {project.root} (kit build)")
    plugin = build_plugin(project)
    suite_rc, own_rc = run_suite_and_project_tests(**suite_target(project), plugin=plugin, project_root=project.root,
                                                   report=report, checks=checks, extra=extra, say=say)
    word = {True: "passed", False: "FAILED"}
    say(f"{project.name}: conformance suite {word[suite_rc == 0]}, project tests {word[own_rc == 0]}")
    return 0 if suite_rc == 0 and own_rc == 0 else 1
