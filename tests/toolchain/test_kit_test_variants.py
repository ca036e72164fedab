"""`kit test DIR --coverage` and `kit test DIR --sanitize address,undefined`: each builds its own variant of the
driver in a folder of its own and runs the suite and the project's tests on it; neither, nor a plain `kit test
DIR`, replaces a build folder made with other options.

Projects: a copy of the reference mqnic PMD (the figures of docs/conformance.md), and a one-file PMD made of
tests/mutants/ethdev/mutant_pmd.c (the control, and MUT_RX_OOB_WRITE: its rx burst writes past a table).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from kit.conformance.runner import vdev_driver_takes
from kit.harness import EalConfig, run_in_child
from kit.toolchain.dpdk import find_dpdk
from kit.toolchain.sdk import ensure_sdk

from ..conftest import kit

REPO = Path(__file__).resolve().parents[2]
MQNIC = REPO / "reference_drivers" / "mqnic"
MUTANT_SOURCE = REPO / "tests" / "mutants" / "ethdev" / "mutant_pmd.c"
# The acceptance of issue 13 for `kit test reference_drivers/mqnic --coverage` (percent of lines).
ETHDEV_TARGET, DRIVER_TARGET = 90.0, 85.0


@pytest.fixture(scope="module")
def mqnic(work_area: Path) -> Path:
    """A copy of the reference PMD without its build folders (EAL refuses plugins below /tmp; the copy keeps the
    checkout clean)."""
    copy = work_area / "mqnic"
    shutil.copytree(MQNIC, copy, ignore=shutil.ignore_patterns("build*"))
    return copy


def mutant_project(area: Path, name: str, mutant: str | None) -> Path:
    """A PMD project of one file, mutant_pmd.c, built as net_NAME_sim (the name kit test DIR tests). The mutant
    ignores devargs it does not know (MUT_ACCEPTS_UNKNOWN_DEVARG) so that kit test's wire=loopback probes it."""
    root = area / name
    root.mkdir()
    shutil.copy(MUTANT_SOURCE, root / "mutant_pmd.c")
    defines = ["ALLOW_INTERNAL_API", f"MUT_DRV_NAME=net_{name}_sim", "MUT_ACCEPTS_UNKNOWN_DEVARG"]
    defines += [f"MUT_{mutant}"] if mutant else []
    sdk = ensure_sdk(find_dpdk()).include_dir
    (root / "meson.build").write_text(
        f"project('{name}', 'c', default_options: ['buildtype=release', 'c_std=gnu11'])\n"
        "name = meson.project_name()\n"
        "cc = meson.get_compiler('c')\n"
        "shared_library('rte_net_' + name, 'mutant_pmd.c',\n"
        f"  c_args: {['-D' + d for d in defines]!r},\n"
        f"  include_directories: include_directories('{sdk}'),\n"
        "  dependencies: [dependency('libdpdk'), cc.find_library('rte_bus_vdev')])\n")
    return root


def test_coverage_of_the_reference_pmd(mqnic: Path) -> None:
    """Steps: kit test DIR --coverage on the reference PMD.
    Verify: exit 0; DIR/build is not made, the variant is in DIR/build-coverage, built with -Db_coverage (and kept
    so by the project's own tests, which build $KIT_BUILD_DIR); counters written; the table has a row per source
    file with line and branch figures, the uncovered lines of src/mqnic_ethdev.c are listed; HTML and JSON
    written, and the JSON's figures are the table's."""
    proc = kit("test", mqnic, "--coverage")
    build = mqnic / "build-coverage"
    assert not (mqnic / "build").exists()
    assert json.loads((build / "kit-build.json").read_text())["options"][0] == "-Db_coverage=true"
    assert list(build.rglob("*.gcda"))
    summary = json.loads((build / "coverage" / "summary.json").read_text())
    files = {f["filename"]: f for f in summary["files"]}
    assert {"src/mqnic_ethdev.c", "src/mqnic_rxtx.c", "src/mqnic_sim.c", "src/model/mqnic_model.c"} <= set(files)
    ethdev = files["src/mqnic_ethdev.c"]
    row = next(ln for ln in proc.stdout.splitlines() if ln.startswith("src/mqnic_ethdev.c "))
    assert f"{ethdev['line_covered']}/{ethdev['line_total']}" in row
    assert f"{ethdev['branch_covered']}/{ethdev['branch_total']}" in row
    assert "uncovered lines of src/mqnic_ethdev.c" in proc.stdout
    assert "uncovered lines of src/mqnic_rxtx.c" in proc.stdout
    assert (build / "coverage" / "index.html").is_file() and (build / "coverage" / "coverage.json").is_file()
    assert "conformance suite passed, project tests passed" in proc.stderr


def test_coverage_meets_the_acceptance(mqnic: Path) -> None:
    """The core (control path src/mqnic_ethdev.c and datapath src/mqnic_rxtx.c, one file when the target was
    set) at ETHDEV_TARGET, the whole driver at DRIVER_TARGET."""
    summary = json.loads((mqnic / "build-coverage" / "coverage" / "summary.json").read_text())
    core = [f for f in summary["files"] if f["filename"] in ("src/mqnic_ethdev.c", "src/mqnic_rxtx.c")]
    assert len(core) == 2, [f["filename"] for f in summary["files"]]
    covered, total = sum(f["line_covered"] for f in core), sum(f["line_total"] for f in core)
    assert 100 * covered / total >= ETHDEV_TARGET, core
    assert summary["line_percent"] >= DRIVER_TARGET, summary["line_percent"]


def test_sanitized_reference_pmd_passes(mqnic: Path) -> None:
    """Steps: kit test DIR --sanitize address,undefined on the reference PMD.
    Verify: exit 0 with no sanitizer report; the plugin in DIR/build-asan-ubsan is instrumented and still
    sanitized after the project's tests built it again."""
    proc = kit("test", mqnic, "--sanitize", "address,undefined")
    assert "sanitizer reports: none" in proc.stderr, proc.stderr[-2000:]
    build = mqnic / "build-asan-ubsan"
    with open(build / "librte_net_mqnic.so", "rb") as handle:
        names = {s.name for s in ELFFile(handle).get_section_by_name(".dynsym").iter_symbols()}
    assert any(n.startswith("__asan_") for n in names) and any(n.startswith("__ubsan_") for n in names)
    assert "-Db_sanitize=address,undefined" in json.loads((build / "kit-build.json").read_text())["options"]


def test_rx_out_of_bounds_write_fails_with_the_sanitizer_report(work_area: Path) -> None:
    """Steps: kit test DIR --sanitize address,undefined --check E7 on the control PMD, then on MUT_RX_OOB_WRITE;
    then the mutant with --sanitize address alone.
    Verify: the control passes; the mutant fails (exit 1) with the sanitizer's report on its rx burst in the
    message: UBSan's bounds check sees the write first ("runtime error: index 4 out of bounds"), ASan alone reports
    a global-buffer-overflow (from the file the runtime wrote: the suite process died)."""
    control = mutant_project(work_area, "mutctl", None)
    kit("test", control, "--sanitize", "address,undefined", "--check", "E7")
    mutant = mutant_project(work_area, "mutoob", "RX_OOB_WRITE")
    for sanitize, expect in (("address,undefined", "runtime error: index 4 out of bounds for type 'uint16_t [4]'"),
                             ("address", "ERROR: AddressSanitizer: global-buffer-overflow")):
        proc = kit("test", mutant, "--sanitize", sanitize, "--check", "E7", check=False)
        assert proc.returncode == 1, proc.stderr[-3000:]
        message = proc.stderr[proc.stderr.rindex("sanitizer report(s)"):]
        assert expect in message and " in mut_rx " in message, message
        assert message.rstrip().endswith("sanitizer reports: 1"), message[-500:]


def test_kit_test_never_replaces_another_build(work_area: Path) -> None:
    """Steps: kit build DIR --sanitize address; kit test DIR.
    Verify: one line naming the fix (kit test DIR --sanitize address), exit 2, DIR/build untouched."""
    project = mutant_project(work_area, "mutkeep", None)
    kit("build", project, "--sanitize", "address")
    state = (project / "build" / "kit-build.json").read_text()
    proc = kit("test", project, "--check", "E1", check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "was built with --sanitize address" in proc.stderr
    assert f"kit test {project} --sanitize address" in proc.stderr
    assert (project / "build" / "kit-build.json").read_text() == state


def test_child_eals_write_coverage_counters(work_area: Path) -> None:
    """Steps: kit build --coverage; a child EAL (run_in_child, as the suites start them) loads the plugin.
    Verify: the counters (.gcda) appear when the child exits, though this process never loaded the plugin."""
    project = mutant_project(work_area, "mutcov", None)
    build = project / "build-coverage"
    kit("build", project, "--coverage", "--build-dir", build)
    assert not list(build.rglob("*.gcda"))
    config = EalConfig(plugins=(str(build / "librte_net_mutcov.so"),))
    assert run_in_child(vdev_driver_takes, "net_mutcov_sim0", eal=config)
    assert [p.name for p in build.rglob("*.gcda")] == ["mutant_pmd.c.gcda"]


@pytest.mark.parametrize(("args", "expect"), [
    (["test", "--pmd", "net_null0", "--coverage"], "--coverage goes with a project directory"),
    (["test", "--mempool", "ring_mp_mc", "--sanitize", "address"], "--sanitize goes with a project directory"),
    (["test", "{project}", "--sanitize", "adress"], "unknown sanitizer adress"),
    (["test", "{project}", "--sanitize", "address,thread"], "cannot be combined"),
])
def test_refusals(args: list[str], expect: str, work_area: Path) -> None:
    """Bad input: one line, exit 2, nothing built."""
    project = work_area / "mutref"
    if not project.exists():
        mutant_project(work_area, "mutref", None)
    proc = kit(*(a.format(project=project) for a in args), check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and expect in proc.stderr, proc.stderr
    assert sorted(p.name for p in project.iterdir()) == ["meson.build", "mutant_pmd.c"]
