"""A driver project made from a template: what kind it is, its name, where its plugin is built (`kit build`), and
`kit test DIR` (build if needed, conformance suite, the project's own tests). Scaffolding (kit.scaffold) writes
projects; this module finds, builds and tests them.

The templates name everything after the meson project name, so `project('NAME', ...)` and the plugin's
`shared_library('rte_<class>_' + name, ...)` in meson.build say all we need: class `net` is a PMD (DPDK driver
names `net_NAME` and `net_NAME_sim`), class `mempool` a mempool driver (ops `NAME`).
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kit.conformance.runner import run_suite_and_project_tests
from kit.errors import KitError
from kit.paths import kit_env
from kit.toolchain.coverage import clear_counters, measure, plugin_sources
from kit.toolchain.meson import (
    build_driver,
    build_options,
    configured_options,
    configured_variant,
    describe_options,
    sanitizer_list,
    variant_dir_name,
)
from kit.toolchain.sanitizers import first_lines, reports, runtime_libraries, sanitizer_env

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


def build_plugin(project: Project, *, coverage: bool = False, sanitize: str | None = None,
                 variant: str | None = None) -> Path:
    """`kit build` the project (incremental: ninja does nothing when nothing changed) and return its plugin
    (`kit test DIR --coverage/--sanitize` build a `variant` in its own folder)."""
    built = build_driver(project.root, project.build_dir, coverage=coverage, sanitize=sanitize, variant=variant)
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


def _refuse_other_build(project: Project, wanted: Sequence[str], flags: str, variant: str | None) -> None:
    """KitError when the build folder kit test would use was built with other options: kit test never replaces it
    (unless an earlier `kit test` of the same variant made it, with an older kit)."""
    previous = configured_options(project.build_dir)
    if previous is None or previous == list(wanted) or (variant and configured_variant(project.build_dir) == variant):
        return
    made = describe_options(previous)
    where = "" if project.build_dir == project.root / "build" else f" --build-dir {project.build_dir}"
    sanitize = [o.split("=", 1)[1] for o in previous if o.startswith("-Db_sanitize=")]
    if sanitize and previous == build_options(sanitize=sanitize[0]) and not where:
        fix = (f"test that build with 'kit test {project.root} --sanitize {sanitize[0]}' (it builds into its own "
               f"folder), or rebuild {project.build_dir} with 'kit build {project.root}' first")
    else:
        fix = (f"rebuild it with 'kit build {project.root}{where}{flags}' first (that replaces it), "
               "or remove that folder")
    raise KitError(f"{project.build_dir} was built with {made} (kit build); 'kit test{flags}' would replace it with "
                   f"a build with {describe_options(wanted)}", fix)


def run_project_tests(directory: Path, *, report: Path | None = None, checks: Sequence[str] = (),
                      extra: Sequence[str] = (), coverage: bool = False, sanitize: str | None = None,
                      say: Callable[[str], None] = _stderr) -> int:
    """`kit test DIR`: build if needed, the conformance suite on the plugin, then pytest DIR/tests. 0 if all pass.

    With `coverage` or `sanitize` the plugin is built with them into a folder of its own (DIR/build-coverage,
    DIR/build-asan-ubsan); coverage then reports line and branch coverage per source file, a sanitized run fails
    on any sanitizer report. No run replaces a build folder made with other options (KitError instead)."""
    found = find_project(directory)
    folder = variant_dir_name(sanitize=sanitize, coverage=coverage)
    project = replace(found, build_dir=found.root / folder)
    wanted = build_options(sanitize=sanitize, coverage=coverage)
    flags = f" {describe_options(wanted)}" if wanted else ""
    variant = folder.removeprefix("build-") if wanted else None
    _refuse_other_build(project, wanted, flags, variant)
    say(f"building {project.root} into {project.build_dir} (kit build{flags})")
    plugin = build_plugin(project, coverage=coverage, sanitize=sanitize, variant=variant)
    env: dict[str, str] | None = None
    output: list[str] | None = None
    log_dir = project.build_dir / "sanitizer-reports"
    if sanitize:
        shutil.rmtree(log_dir, ignore_errors=True)
        log_dir.mkdir()
        libraries = runtime_libraries(sanitizer_list(sanitize))
        env, output = sanitizer_env(kit_env(), sanitizer_list(sanitize), log_dir, libraries), []
        say(f"sanitizers: every process runs with LD_PRELOAD={env['LD_PRELOAD']}; reports go to {log_dir}")
    if coverage:
        clear_counters(project.build_dir)
    suite_rc, own_rc = run_suite_and_project_tests(**suite_target(project), plugin=plugin, project_root=project.root,
                                                   report=report, checks=checks, extra=extra, say=say, env=env,
                                                   output=output)
    word = {True: "passed", False: "FAILED"}
    found_reports = reports(log_dir, output or []) if sanitize else []
    if coverage:
        _report_coverage(project, plugin, say)
    verdict = f"{project.name}: conformance suite {word[suite_rc == 0]}, project tests {word[own_rc == 0]}"
    if sanitize:
        verdict += f", sanitizer reports: {len(found_reports) or 'none'}"
    if found_reports:
        print("\n\n".join(found_reports), file=sys.stderr, flush=True)
        say(f"{len(found_reports)} sanitizer report(s) (in full above, files in {log_dir}); the first:\n"
            f"{first_lines(found_reports[0], 12)}")
    say(verdict)
    return 0 if suite_rc == 0 and own_rc == 0 and not found_reports else 1


def _report_coverage(project: Project, plugin: Path, say: Callable[[str], None]) -> None:
    sources = plugin_sources(project.build_dir, plugin)
    if project.kind == "pmd":
        src = project.root / "src"
        datapath = sorted([*src.glob("*_ethdev.c"), *src.glob("*_rxtx.c")])
    else:
        datapath = [s for s in sources if s.name.startswith("rte_mempool_")] or sources[:1]
    result = measure(project.root, project.build_dir, sources, datapath)
    print(result.table(), flush=True)
    print(result.uncovered_text(), flush=True)
    say(f"coverage: {result.total.line_percent:.1f}% of lines, {result.total.branch_percent:.1f}% of branches; "
        f"HTML {result.html}, JSON {result.json} (summary {result.summary_json})")
