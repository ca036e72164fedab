"""meson + ninja against the installed DPDK, out of source: the one way the kit runs meson (`kit build`, and every
driver project and reference driver the kit or its tests build).

Compiler errors are shown as the compiler printed them (meson/ninja output passes through), and a
failure raises KitError naming the step.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kit.errors import KitError
from kit.paths import kit_env, kit_tool
from kit.runtime import check_plugin_path
from kit.toolchain.pmdinfo import add_pmdinfo


def tool(name: str) -> str:
    """meson or ninja: the kit's own first (another ninja version reads the build log differently)."""
    return kit_tool(name) or name


SANITIZERS = ("address", "undefined", "thread", "leak", "memory")
STATE_FILE = "kit-build.json"  # the options kit configured a build directory with


@dataclass(frozen=True)
class BuildResult:
    source: Path
    build_dir: Path
    plugins: tuple[Path, ...]  # shared objects the build produced (with PMD info added where a PMD registers)


def _to_stderr() -> int | None:
    """meson's and ninja's output goes to our stderr: stdout carries only the plugin paths."""
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def build_options(*, debug: bool = False, sanitize: str | None = None, coverage: bool = False) -> list[str]:
    """meson -D options for `kit build` flags (and `kit test --coverage`); KitError for a sanitizer meson does not
    know."""
    options: list[str] = []
    if debug:
        options.append("-Dbuildtype=debug")
    if sanitize:
        wanted = sanitizer_list(sanitize)
        # Plugins leave DPDK's symbols undefined until EAL loads them: with sanitizers, meson's default
        # -Wl,--no-undefined would also reject the sanitizer runtime's symbols.
        options += [f"-Db_sanitize={','.join(wanted)}", "-Db_lundef=false"]
    if coverage:
        # Unoptimized, so that each line's counter is its own (gcov's advice); atomic counters, since a driver's
        # code runs on several lcores at once (plain increments lose updates there, and gcovr refuses the
        # negative branch counts that come of it: measured, E24's two lcores on one burst function).
        options += ["-Db_coverage=true", "-Doptimization=0", "-Dc_args=-fprofile-update=atomic"]
    return options


def sanitizer_list(sanitize: str) -> list[str]:
    """--sanitize LIST as meson's b_sanitize names, or KitError naming the fix."""
    wanted = list(dict.fromkeys(s.strip() for s in sanitize.split(",") if s.strip()))
    unknown = [s for s in wanted if s not in SANITIZERS]
    if unknown or not wanted:
        raise KitError(f"unknown sanitizer {', '.join(unknown) or repr(sanitize)}",
                       f"use a comma-separated list of {', '.join(SANITIZERS)} (e.g. address,undefined)")
    if "address" in wanted and "thread" in wanted:
        raise KitError("the address and thread sanitizers cannot be combined", "pick one of them")
    return wanted


_SHORT = {"address": "asan", "undefined": "ubsan", "thread": "tsan", "leak": "lsan", "memory": "msan"}


def variant_dir_name(*, sanitize: str | None = None, coverage: bool = False) -> str:
    """The build folder of a `kit test DIR` variant: build-coverage, build-asan-ubsan (build for none)."""
    parts = (["coverage"] if coverage else []) + [_SHORT[s] for s in (sanitizer_list(sanitize) if sanitize else [])]
    return "-".join(["build", *parts])


def describe_options(options: Sequence[str]) -> str:
    """What a build directory was configured with, as the kit's flags: '--debug --sanitize address', 'no options'."""
    words = []
    for option in options:
        if option == "-Dbuildtype=debug":
            words.append("--debug")
        elif option.startswith("-Db_sanitize="):
            words.append(f"--sanitize {option.split('=', 1)[1]}")
        elif option == "-Db_coverage=true":
            words.append("--coverage")
        elif option not in ("-Db_lundef=false", "-Doptimization=0", "-Dc_args=-fprofile-update=atomic"):
            words.append(option)
    return " ".join(words) or "no options"


def _state(build_dir: Path) -> dict[str, object] | None:
    try:
        state = json.loads((build_dir / STATE_FILE).read_text())
        options = state["options"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state if isinstance(state, dict) and isinstance(options, list) else None


def configured_options(build_dir: Path) -> list[str] | None:
    """The meson options `kit build` configured `build_dir` with; None when kit did not configure it."""
    state = _state(build_dir) if (build_dir / "build.ninja").is_file() else None
    options = state["options"] if state is not None else None
    return [str(o) for o in options] if isinstance(options, list) else None


def configured_variant(build_dir: Path) -> str | None:
    """The `kit test` variant ("coverage", "asan-ubsan", ...) that made `build_dir`, if one did."""
    state = _state(build_dir) if (build_dir / "build.ninja").is_file() else None
    variant = state.get("variant") if state is not None else None
    return variant if isinstance(variant, str) else None


def configure(source: Path, build_dir: Path, options: Sequence[str], variant: str | None = None) -> None:
    """meson setup; a build directory configured with other `kit build` options is made anew.

    (`meson setup --wipe` would keep the old command-line options: a --debug build could not go back to the
    project's own default_options.)"""
    configured = (build_dir / "build.ninja").is_file()
    previous = configured_options(build_dir) if configured else None
    if configured and (previous or []) == list(options):
        if variant and configured_variant(build_dir) != variant:  # `kit build` made it, `kit test` adopts it
            _write_state(build_dir, options, variant)
        return
    if configured:
        if not (build_dir / "meson-private" / "coredata.dat").is_file():
            raise KitError(f"{build_dir} has a build.ninja but is not a meson build directory",
                           "pass another --build-dir")
        shutil.rmtree(build_dir)
    cmd = [tool("meson"), "setup", str(build_dir), str(source), *options]
    proc = subprocess.run(cmd, stdout=_to_stderr(), check=False, env=kit_env())
    if proc.returncode != 0:
        raise KitError(f"meson setup of {source} failed (its output is above)",
                       "fix the errors meson printed; 'kit doctor' checks the toolchain")
    _write_state(build_dir, options, variant)


def _write_state(build_dir: Path, options: Sequence[str], variant: str | None) -> None:
    state: dict[str, object] = {"options": list(options)}
    if variant:
        state["variant"] = variant
    (build_dir / STATE_FILE).write_text(json.dumps(state) + "\n")


def shared_objects(build_dir: Path) -> list[Path]:
    """The shared libraries meson built, found by their private object directories (<lib>.so.p)."""
    found = []
    for objdir in sorted(build_dir.rglob("*.so*.p")):
        lib = objdir.with_name(objdir.name[:-2])
        if objdir.is_dir() and lib.is_file() and ".so" in lib.name:
            found.append(lib)
    return found


def build_driver(source: Path, build_dir: Path | None = None, *, debug: bool = False,
                 sanitize: str | None = None, coverage: bool = False, options: Sequence[str] = (),
                 variant: str | None = None) -> BuildResult:
    """`kit build`: configure (out of source), ninja, then add PMD info to plugins that register a PMD.
    `options` are more meson -D options (e.g. a project's own). `variant` names a `kit test` variant build
    (--coverage, --sanitize): a build folder made for one keeps its options when `kit build` is run on it with
    no option at all (as a project's own tests do with $KIT_BUILD_DIR), instead of being made anew without them."""
    source = Path(source).resolve()
    if not source.is_dir():
        raise KitError(f"{source} is not a directory", "point 'kit build' at a driver project directory")
    if not (source / "meson.build").is_file():
        raise KitError(f"{source} has no meson.build", "point 'kit build' at a driver project directory")
    build_dir = Path(build_dir).resolve() if build_dir is not None else source / "build"
    wanted = [*build_options(debug=debug, sanitize=sanitize, coverage=coverage), *options]
    kept = configured_variant(build_dir) if not wanted and variant is None else None
    if kept is not None:
        wanted, variant = configured_options(build_dir) or [], kept
    configure(source, build_dir, wanted, variant)
    proc = subprocess.run([tool("ninja"), "-C", str(build_dir)], stdout=_to_stderr(), check=False, env=kit_env())
    if proc.returncode != 0:
        raise KitError(f"building {source} failed (the compiler's output is above)", "fix the compiler errors above")
    plugins = tuple(shared_objects(build_dir))
    for plugin in plugins:
        add_pmdinfo(plugin, build_dir)
    _warn_insecure(plugins)
    return BuildResult(source, build_dir, plugins)


def test_command(build_dir: Path) -> list[str] | None:
    """`meson test` of a configured build folder (a project's own C tests), or None when it is not one. Run it with
    the kit's tools first on PATH: meson's rebuild before testing must use the kit's ninja."""
    if not (Path(build_dir) / "meson-info").is_dir():
        return None
    return [tool("meson"), "test", "-C", str(build_dir), "--print-errorlogs"]


def _warn_insecure(plugins: Sequence[Path]) -> None:
    for plugin in plugins[:1]:
        try:
            check_plugin_path(plugin)
        except KitError as err:
            print(f"kit build: warning: {err.one_line()}", file=sys.stderr)
