"""The user's loop for a mempool driver: kit new-mempool -> kit build -> kit test -> kit info.

Also: `kit test DIR --sanitize address,undefined`, and the refusals of `kit build` (one line, exit 2).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from kit.paths import kit_env

from ..conftest import kit

NAME = "acme_pool"
PLUGIN = f"librte_mempool_{NAME}.so"


@pytest.fixture(scope="module")
def project(work_area: Path) -> Path:
    proc = kit("new-mempool", NAME, "-o", work_area)
    path = Path(proc.stdout.strip())
    assert path == work_area / NAME and (path / f"rte_mempool_{NAME}.c").is_file()
    return path


@pytest.fixture(scope="module")
def plugin(project: Path) -> Path:
    proc = kit("build", project)
    assert proc.stdout.split() == [str(project / "build" / PLUGIN)], "stdout carries only the plugin paths"
    return project / "build" / PLUGIN


def test_generated_project_passes_its_own_tests(project: Path, plugin: Path) -> None:
    """Steps: `pytest tests` in the generated project (kit build, kit test --mempool acme_pool, kit info).
    Verify: it passes."""
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=project,
                          capture_output=True, text=True, env=kit_env(), check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "2 passed" in proc.stdout


def test_kit_info_shows_the_ops(plugin: Path) -> None:
    out = kit("info", plugin).stdout.splitlines()
    assert f"mempool ops  {NAME}" in out
    assert any(line.startswith("pmd          none") for line in out), out


def test_kit_info_without_loading(plugin: Path, work_area: Path) -> None:
    """A plugin EAL would refuse (world-writable directory): the ops come from its symbol table, with the reason."""
    shared = work_area / "world-writable"
    shared.mkdir()
    shared.chmod(0o777)
    copy = shared / PLUGIN
    copy.write_bytes(plugin.read_bytes())
    out = kit("info", copy).stdout.splitlines()
    assert out[-1].startswith(f"mempool ops  {NAME} (from the symbol table: not loaded: EAL would refuse"), out
    copy.unlink()
    shared.rmdir()


def test_sanitized_build_passes_the_suite_under_asan(project: Path) -> None:
    """Steps: kit test DIR --sanitize address,undefined (its own build folder, the runtimes preloaded in every
    process it starts).
    Verify: the plugin is instrumented; the whole suite and the project's tests pass with no sanitizer report, M11's
    dpdk-test and dpdk-testpmd included (they load the ASan plugin only with the runtime preloaded)."""
    proc = kit("test", project, "--sanitize", "address,undefined")
    assert "sanitizer reports: none" in proc.stderr, proc.stderr[-2000:]
    plugin = project / "build-asan-ubsan" / PLUGIN
    with open(plugin, "rb") as handle:
        dynsym = ELFFile(handle).get_section_by_name(".dynsym")
        names = {s.name for s in dynsym.iter_symbols()}
    assert any(n.startswith("__asan_") for n in names) and any(n.startswith("__ubsan_") for n in names)


def test_switching_back_to_a_default_build(project: Path, plugin: Path) -> None:
    """--debug makes the build directory anew; a plain `kit build` then restores the project's options."""
    kit("build", project, "--debug")
    assert "-O0" in (project / "build" / "compile_commands.json").read_text()
    kit("build", project)
    assert "-O2" in (project / "build" / "compile_commands.json").read_text()


@pytest.mark.parametrize(("args", "expect"), [
    (["build", "{area}/nowhere"], "is not a directory"),
    (["build", "{area}"], "has no meson.build"),
    (["build", "{project}", "--sanitize", "adress", "--build-dir", "{area}/b-bad"], "unknown sanitizer adress"),
    (["build", "{project}", "--sanitize", "address,thread", "--build-dir", "{area}/b-bad"], "cannot be combined"),
])
def test_build_refusals(args: list[str], expect: str, work_area: Path, project: Path) -> None:
    before = sorted(p.name for p in work_area.iterdir())
    proc = kit(*(a.format(area=work_area, project=project) for a in args), check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and expect in proc.stderr and proc.stderr.startswith("kit build: error:")
    assert sorted(p.name for p in work_area.iterdir()) == before


def test_compiler_errors_are_shown(work_area: Path) -> None:
    broken = work_area / "broken"
    broken.mkdir()
    (broken / "meson.build").write_text("project('broken', 'c')\nshared_library('broken', 'broken.c')\n")
    (broken / "broken.c").write_text("int broken(void) { return missing_symbol; }\n")
    proc = kit("build", broken, check=False)
    assert proc.returncode == 2
    assert "missing_symbol" in proc.stderr and "undeclared" in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("kit build: error: building")
