"""Run a conformance suite against one driver in a fresh pytest process (its own EAL), or against a project's
plugin followed by the project's own tests (`kit test DIR`).

Before a suite runs, bad input is refused with one line (KitError, exit 2): an unknown check id, a report path
that cannot be written, a plugin EAL would refuse, and a driver or ops name that nothing registers. The last is
decided in a child EAL with the same plugins: a vdev driver must take the device name (rte_devargs_parse, which
runs no driver code), an ops name must be in the ops table. A driver that is registered but broken (its probe
fails, DPDK refuses its ops) is not bad input: the suite runs and reports it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from kit.errors import KitError
from kit.paths import kit_env
from kit.runtime import check_plugin_path
from kit.toolchain.meson import test_command

SUITES = Path(__file__).with_name("suites")
CHILD_TIMEOUT_S = 300  # the first child EAL on a machine may build the harness extension


def suite_path(kind: str) -> Path:
    """The suite's package: its conftest, helpers and test modules."""
    return SUITES / kind


def suite_kind(driver_kind: str) -> str:
    """The suite for a driver kind: "pmd" (a PMD project or --pmd) -> "ethdev", "mempool" -> "mempool"."""
    return "ethdev" if driver_kind in ("pmd", "ethdev") else "mempool"


def _check_order(check: str) -> tuple[str, int]:
    return (check[0], int(check[1:]) if check[1:].isdigit() else 0)


def suite_checks(kind: str) -> tuple[str, ...]:
    """The check ids a suite implements, in order: its @pytest.mark.check("ID") markers."""
    found: set[str] = set()
    for module in suite_path(kind).glob("test_*.py"):
        found.update(re.findall(r'mark\.check\("(\w+)"\)', module.read_text()))
    return tuple(sorted(found, key=_check_order))


def _span(ids: Sequence[str]) -> str:
    """The ids with contiguous runs shortened: E1-E17,E26,E28."""
    runs: list[list[str]] = []
    for c in ids:
        if runs and _check_order(c) == (_check_order(runs[-1][-1])[0], _check_order(runs[-1][-1])[1] + 1):
            runs[-1].append(c)
        else:
            runs.append([c])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else r[0] for r in runs)


def select_checks(kind: str, text: str | None) -> list[str]:
    """The ids of --check IDS (comma-separated, any case), each one the suite has; [] (all) when not given."""
    if text is None:
        return []
    valid = suite_checks(kind)
    wanted = list(dict.fromkeys(c.strip().upper() for c in text.split(",") if c.strip()))
    fix = f"give ids of the {kind} suite's checks {_span(valid)}, e.g. --check {','.join(valid[:2])}"
    if not wanted:
        raise KitError("--check names no check", fix)
    unknown = [c for c in wanted if c not in valid]
    if unknown:
        raise KitError(f"no check {','.join(unknown)} in the {kind} suite (its checks are {_span(valid)})", fix)
    return wanted


def check_report_path(report: Path | None) -> Path | None:
    """--report FILE as an absolute path (the project's tests read it from their own directory), or KitError when
    the suite could not write it at the end of the run."""
    if report is None:
        return None
    path = Path(report).absolute()
    if path.is_dir():
        raise KitError(f"--report {report} is a directory", f"give a file path, e.g. --report {report}/report.json")
    folder = path.parent
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a directory"
        raise KitError(f"cannot write the report {report}: folder {folder} {what}",
                       "create the folder first, or give --report a file in an existing folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise KitError(f"cannot write the report {report}: folder {folder} is not writable",
                       "give --report a file in a folder you can write to")
    return path


# -- does the driver exist? (bad input) -----------------------------------------------------------------


def vdev_driver_takes(device: str) -> bool:
    """In a child EAL: whether a registered vdev driver takes the device name, as EAL decides for --vdev
    (rte_devargs_parse of "vdev:DEVICE": a driver whose name or alias starts the device name). No driver code
    runs."""
    from kit.harness import Eal

    return Eal.current().devargs_parse(f"vdev:{device}") == 0


def registered_ops_and_failures() -> tuple[tuple[str, ...], list[str]]:
    """In a child EAL: the mempool ops table, and the registrations DPDK logged as failed (table full, missing
    callback)."""
    from kit.harness import Eal, ops_table

    log = [ln.strip() for ln in Eal.current().log_text().splitlines() if "mempool ops" in ln.lower()]
    return ops_table().names, log


def _loaded(plugins: Sequence[Path]) -> str:
    return "DPDK's drivers" + (f" and {', '.join(p.name for p in plugins)}" if plugins else "")


def _plugin_fix(plugins: Sequence[Path], what: str) -> str:
    if plugins:
        return f"check the {what} with 'kit info PLUGIN' (it lists what a plugin registers)"
    return f"check the {what} with 'kit info PLUGIN' and load that plugin with --plugin PATH"


def _declared_ops(plugins: Sequence[Path]) -> tuple[list[str], bool]:
    """The ops names the plugins' symbol tables show an RTE_MEMPOOL_REGISTER_OPS for, and whether some plugin has
    no such symbols to read (stripped, or registering by hand)."""
    from kit.toolchain.pmdinfo import static_ops_names

    declared = {p: static_ops_names(p) for p in plugins}
    return [name for names in declared.values() for name in names], not all(declared.values())


def _pmd_names(plugins: Sequence[Path]) -> list[str]:
    from kit.toolchain.pmdinfo import read_pmdinfo

    names = []
    for plugin in plugins:
        try:
            names += [str(info["name"]) for info in read_pmdinfo(plugin) if info.get("name")]
        except KitError:
            continue
    return names


def require_driver(*, mempool: str | None, pmd: str | None, plugins: Sequence[Path] = ()) -> None:
    """KitError when nothing registers the driver under test: no vdev driver takes the device name of `pmd`, or
    `mempool` is not in the ops table and no plugin declares it. Decided in a child EAL with `plugins`; when that
    EAL cannot start or crashes, the plugins are broken, not the name: the suite runs and reports it."""
    from kit.harness import EalConfig, run_in_child

    reals = [check_plugin_path(p) for p in plugins]
    config = EalConfig(plugins=tuple(map(str, reals)))
    if pmd:
        device = pmd.split(",", 1)[0]
        try:
            taken = run_in_child(vdev_driver_takes, device, eal=config, timeout=CHILD_TIMEOUT_S)
        except Exception:
            return
        if taken:
            return
        known = _pmd_names(reals)
        hint = f"; the plugins register {', '.join(known)}" if known else ""
        raise KitError(f"no vdev driver takes the device name {device!r} with {_loaded(reals)} loaded (a vdev is "
                       f"named after its driver plus an index, e.g. net_null0 for net_null){hint}",
                       _plugin_fix(reals, "driver name"))
    assert mempool is not None
    try:
        names, failures = run_in_child(registered_ops_and_failures, eal=config, timeout=CHILD_TIMEOUT_S)
    except Exception:
        return
    if mempool in names:
        return
    declared, unreadable = _declared_ops(reals)
    # Names of 31 characters or more, which DPDK refuses, are read from the symbol table cut to 32 bytes.
    if any(mempool == d or (len(d) >= 31 and mempool.startswith(d)) for d in declared) or (
            failures and (unreadable or not reals)):
        return  # a plugin meant to register it (or may have) and DPDK refused: the suite's M1 says why
    hint = f"; the plugins declare {', '.join(declared)}" if declared else ""
    raise KitError(f"no mempool ops named {mempool!r} is registered with {_loaded(reals)} loaded (registered: "
                   f"{', '.join(names)}){hint}", _plugin_fix(reals, "ops name"))


# -- running the suite ------------------------------------------------------------------------------------


def pytest_command(*, mempool: str | None, pmd: str | None, plugins: Sequence[Path],
                   report: Path | None = None, checks: Sequence[str] = (),
                   extra: Sequence[str] = ()) -> list[str]:
    if bool(mempool) == bool(pmd):
        raise KitError("name exactly one driver to test", "use --mempool NAME or --pmd DEVARGS")
    for plugin in plugins:
        check_plugin_path(plugin)
    kind, option, value = ("mempool", "--kit-mempool", mempool) if mempool else ("ethdev", "--kit-pmd", pmd)
    cmd = [sys.executable, "-m", "pytest", str(suite_path(kind)), "-c", str(SUITES / "pytest.ini"),
           "--rootdir", str(SUITES), "-p", "no:cacheprovider", option, str(value)]
    for plugin in plugins:
        cmd += ["--kit-plugin", str(Path(plugin).resolve())]
    if report is not None:
        cmd += ["--kit-report", str(report)]
    if checks:
        cmd += ["--kit-checks", ",".join(checks)]
    return [*cmd, *extra]


def run_suite(*, mempool: str | None, pmd: str | None, plugins: Sequence[Path] = (),
              report: Path | None = None, checks: Sequence[str] = (), extra: Sequence[str] = (),
              env: Mapping[str, str] | None = None, output: list[str] | None = None) -> int:
    """The suite in its own pytest process: 0 when every check passed, 1 when one failed or the run broke off
    (said on stderr); KitError (exit 2) when pytest refused the arguments after -- or they selected no test.
    `env`: the process's environment (default: ours); `output`: a list that gets its output (still shown)."""
    cmd = pytest_command(mempool=mempool, pmd=pmd, plugins=plugins, report=report, checks=checks,
                         extra=[*_FD_THROUGH, *extra] if output is not None else extra)
    return suite_exit_status(_run(cmd, env=env, output=output), extra)


# With `output`, what is written to file descriptors 1 and 2 (a sanitizer's report, in a process that then dies)
# must reach it: pytest's default capture would keep it in a temporary file that goes with the process.
_FD_THROUGH = ("--capture=sys",)


def _run(cmd: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None,
         output: list[str] | None = None) -> int:
    """Run cmd; with `output`, its stdout and stderr go through this process (shown as they come, and kept)."""
    if output is None:
        return subprocess.run(cmd, env=env, cwd=cwd, check=False).returncode
    with subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as proc:
        assert proc.stdout is not None
        kept = []
        for raw in proc.stdout:
            line = raw.decode(errors="replace")
            sys.stdout.write(line)
            sys.stdout.flush()
            kept.append(line)
        rc = proc.wait()
    output.append("".join(kept))
    return rc


def suite_exit_status(rc: int, extra: Sequence[str] = ()) -> int:
    """pytest's exit status as the kit's 0/1/2: 0 passed, 1 failed (tests failed: 1; the run broke off:
    interrupted 2, internal error 3, a signal), KitError for pytest's usage error (4) or no test selected (5)
    when the arguments after -- caused them (otherwise they are the kit's fault: 1)."""
    if rc in (0, 1):
        return rc
    given = " ".join(extra)
    if rc == 4 and extra:
        raise KitError(f"pytest refused the arguments after -- ({given}); its message is above",
                       "fix or drop the arguments after -- (they go to pytest, e.g. -- -x -k NAME)")
    if rc == 5 and extra:
        raise KitError(f"no check ran: the arguments after -- ({given}) deselected every test",
                       "widen or drop them (e.g. a -k expression that matches), or choose checks with --check IDS")
    if rc < 0:
        try:
            why = f"was killed by {signal.Signals(-rc).name}"
        except ValueError:
            why = f"was killed by signal {-rc}"
    else:
        why = {2: "was interrupted (a collection error or a stop request)", 3: "hit an internal error",
               4: "refused the kit's arguments (a dpdk-kit bug)", 5: "collected no test (a dpdk-kit bug)"}.get(
                   rc, f"exited with status {rc}")
    print(f"kit test: the conformance suite {why} before every check had a verdict; its output is above",
          file=sys.stderr, flush=True)
    return 1



def _project_env(report: Path | None, base: Mapping[str, str] | None = None,
                 build_dir: Path | None = None) -> dict[str, str]:
    """The kit's bin directory first on PATH (the project's tests run `kit`), the suite's report if any, and the
    build folder under test in $KIT_BUILD_DIR (the templates' tests build and load the plugin from there)."""
    env = dict(base) if base is not None else kit_env()
    env.pop("KIT_CONFORMANCE_REPORT", None)
    if report is not None:
        env["KIT_CONFORMANCE_REPORT"] = str(report)
    if build_dir is not None:
        env["KIT_BUILD_DIR"] = str(build_dir)
    return env


def run_suite_and_project_tests(*, mempool: str | None, pmd: str | None, plugin: Path, project_root: Path,
                                report: Path | None = None, checks: Sequence[str] = (), extra: Sequence[str] = (),
                                say: Callable[[str], None] = print, env: Mapping[str, str] | None = None,
                                output: list[str] | None = None) -> tuple[int, int]:
    """The conformance suite on `plugin`, then the project's own tests: its C tests (`meson test` in the plugin's
    build folder, when that is a meson build) and pytest PROJECT/tests (cwd PROJECT).

    The project's tests get the suite's report in $KIT_CONFORMANCE_REPORT (unless `checks` narrowed the suite),
    so a test that would run the suite again reads it instead, and the plugin's folder in $KIT_BUILD_DIR. Returns
    both exit codes (suite, project tests); the project tests' code is 0 when there are none. `env` is the
    environment of both pytest processes (default: ours); `output` gets their output (see run_suite)."""
    what = f"--pmd {pmd}" if pmd else f"--mempool {mempool}"
    say(f"conformance suite: kit test {what} --plugin {plugin}")
    with tempfile.TemporaryDirectory(prefix="kit-test-") as scratch:
        suite_report = report if report is not None else Path(scratch) / "report.json"
        suite_rc = run_suite(mempool=mempool, pmd=pmd, plugins=[plugin], report=suite_report, checks=checks,
                             extra=extra, env=env, output=output)
        build_dir = Path(plugin).resolve().parent
        own = 0
        meson_test = test_command(build_dir)
        if meson_test is not None:  # the project's C tests, on the same build the suite tested
            say(f"project C tests: meson test -C {build_dir}")
            own = _run(meson_test, cwd=project_root, env=_project_env(None, env, build_dir), output=output)
        tests = project_root / "tests"
        if not (tests.is_dir() and any(tests.glob("test_*.py"))):
            say(f"project tests: no pytest tests ({tests} has no test_*.py)")
            return suite_rc, own
        say(f"project tests: pytest {tests}")
        handed = suite_report if not checks and suite_report.is_file() else None
        own |= _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                     *(_FD_THROUGH if output is not None else ()), str(tests)], cwd=project_root,
                    env=_project_env(handed, env, build_dir), output=output)
    return suite_rc, own
